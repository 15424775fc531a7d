// Waxseal's directory lookup (#9, SEC-47): LDAP searches through Thunderbird's own LDAP stack, the
// components its S/MIME certificate fetching uses (chrome/messenger/content/messenger-smime/
// certFetchingStatus.js in TB 128+): nsILDAPConnection.init(url, bindDn, listener), then
// nsILDAPOperation.simpleBind and searchExt. Results go back as base64 so they cross the
// experiment boundary as plain strings.
//
// Thunderbird's LDAP client (modules/LDAPClient.sys.mjs) speaks ldaps:// (TLS from the start) and
// plain ldap://; it has no StartTLS. Certificates read over plain LDAP are validated like any other
// (SEC-47a), so a tampered answer can at worst hide a certificate, never substitute one.
//
// It never prompts: a bind DN without a saved password fails the search instead of opening a dialog
// while the user types recipients.
'use strict';

// Thunderbird loads every experiment script of an extension into one shared sandbox, so top-level
// `const`/`function` names would collide with the other experiments' (a redeclaration fails the whole
// script). Everything but the API class therefore lives inside this function.
(() => {

  const { ExtensionUtils } = ChromeUtils.importESModule('resource://gre/modules/ExtensionUtils.sys.mjs');
  const { setTimeout: setTimer, clearTimeout: clearTimer } = ChromeUtils.importESModule('resource://gre/modules/Timer.sys.mjs');

  const SCOPES = { base: Ci.nsILDAPURL.SCOPE_BASE, one: Ci.nsILDAPURL.SCOPE_ONELEVEL, sub: Ci.nsILDAPURL.SCOPE_SUBTREE };
  const MAX_SIZE_LIMIT = 100;
  const MAX_VALUE_BYTES = 256 * 1024;

  // The experiment's sandbox has no btoa (Thunderbird creates it without global properties), so the
  // values are encoded with ChromeUtils and turned from base64url into the standard alphabet.
  function toBase64(bytes) {
    return ChromeUtils.base64URLEncode(bytes, { pad: true }).replace(/-/g, '+').replace(/_/g, '/');
  }

  function listDirectories() {
    const out = [];
    for (const branch of new Set(Services.prefs.getChildList('ldap_2.servers.').map((name) => name.split('.').slice(0, 3).join('.')))) {
      const uri = Services.prefs.getStringPref(`${branch}.uri`, '');
      if (!/^ldaps?:\/\//i.test(uri)) continue;
      const bindDn = Services.prefs.getStringPref(`${branch}.auth.dn`, '');
      out.push({ id: branch, name: Services.prefs.getStringPref(`${branch}.description`, branch), uri, ...(bindDn ? { bindDn } : {}) });
    }
    return out;
  }

  async function savedPassword(url) {
    const logins = await Services.logins.searchLoginsAsync({ origin: url.prePath, httpRealm: url.spec });
    return logins[0]?.password ?? null;
  }

  function search(request) {
    const { ExtensionError } = ExtensionUtils;
    // An address book's own URI, so the password Thunderbird saved for it (origin prePath, realm spec) is found.
    const url = Services.io.newURI(request.addressBookUri ?? `${request.url}/`).QueryInterface(Ci.nsILDAPURL);
    const sizeLimit = Math.min(request.sizeLimit, MAX_SIZE_LIMIT);
    return new Promise((resolve, reject) => {
      const entries = [];
      let operation = null;
      let done = false;
      const finish = (error) => {
        if (done) return;
        done = true;
        clearTimer(timer);
        if (error) {
          try {
            operation?.abandonExt();
          } catch (abandonError) {
            // The connection may already be gone; the search is answered with the original error.
            console.warn('waxsealLdap: abandon failed', abandonError);
          }
          reject(new ExtensionError(error));
        } else resolve(entries);
      };
      const timer = setTimer(() => finish(`no answer from ${request.url} within ${request.timeoutMs} ms`), request.timeoutMs);
      const listener = {
        QueryInterface: ChromeUtils.generateQI(['nsILDAPMessageListener']),
        async onLDAPInit() {
          try {
            operation = Cc['@mozilla.org/network/ldap-operation;1'].createInstance(Ci.nsILDAPOperation);
            operation.init(connection, listener, null);
            let password = null;
            if (request.bindDn) {
              password = request.bindPassword ?? (await savedPassword(url));
              if (password === null) return finish(`no saved password for ${request.bindDn} at ${request.url}`);
            }
            operation.simpleBind(password);
          } catch (error) {
            finish(`LDAP bind to ${request.url} failed: ${error}`);
          }
          return undefined;
        },
        onLDAPMessage(message) {
          if (message.type === Ci.nsILDAPMessage.RES_BIND) {
            if (message.errorCode !== Ci.nsILDAPErrors.SUCCESS) return finish(`LDAP bind to ${request.url} refused (result ${message.errorCode})`);
            operation.searchExt(request.baseDn, SCOPES[request.scope], request.filter, request.attributes.join(','), Math.ceil(request.timeoutMs / 1000), sizeLimit);
            return undefined;
          }
          if (message.type === Ci.nsILDAPMessage.RES_SEARCH_ENTRY) {
            if (entries.length >= sizeLimit) return undefined;
            const attributes = {};
            for (const name of message.getAttributes()) {
              if (!request.attributes.some((wanted) => wanted.toLowerCase().split(';')[0] === name.toLowerCase().split(';')[0])) continue;
              attributes[name] = (message.getBinaryValues(name) ?? [])
                .map((value) => value.get())
                .filter((bytes) => bytes.length <= MAX_VALUE_BYTES)
                .map((bytes) => toBase64(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)));
            }
            entries.push({ dn: message.dn ?? '', attributes });
            return undefined;
          }
          if (message.type === Ci.nsILDAPMessage.RES_SEARCH_RESULT) {
            // 4 = sizeLimitExceeded (RFC 4511 §4.1.9): the entries up to the limit are an answer.
            if (message.errorCode === Ci.nsILDAPErrors.SUCCESS || message.errorCode === (Ci.nsILDAPErrors.SIZELIMIT_EXCEEDED ?? 4)) return finish(null);
            return finish(`LDAP search at ${request.url} failed (result ${message.errorCode})`);
          }
          return undefined;
        },
        onLDAPError(status, secInfo, location) {
          finish(secInfo ? `TLS error connecting to ${location}` : `cannot connect to ${location} (status ${status})`);
        },
      };
      const connection = Cc['@mozilla.org/network/ldap-connection;1'].createInstance(Ci.nsILDAPConnection);
      try {
        connection.init(url, request.bindDn ?? '', listener);
      } catch (error) {
        finish(`cannot connect to ${request.url}: ${error}`);
      }
    });
  }

  // The experiment's entry point: Thunderbird looks the API class up under this global name.
  globalThis.waxsealLdap = class extends ExtensionCommon.ExtensionAPI {
    getAPI() {
      return {
        waxsealLdap: {
          listDirectories: async () => listDirectories(),
          search: (request) => search(request),
        },
      };
    }
  };
})();
