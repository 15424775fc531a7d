/* global Components -- Experiment (parent process) global */
// Waxseal's send hook (docs/thunderbird.md §5.1, docs/decisions.md D1).
//
// Thunderbird builds the message with its own MIME code, writes the top-level headers (without
// Content-Type) to the message file and hands the one inner entity to
// nsIMsgComposeSecure.mimeCryptoWriteBlock(). We buffer it, pass it to the background in
// onCryptoRequest, and write back the entity the background returns. Thunderbird then sends that file
// over SMTP, and the Sent/Outbox copy is the same file.
//
// finishCryptoEncapsulation() is synchronous and not awaited, so the round trip to the background
// spins a nested event loop until the listener settles (bounded by CRYPTO_TIMEOUT_MS).
//
// SEC-07: once armed, every path other than "the background returned an entity" throws, so
// Thunderbird aborts the send: no fallback to the unprotected entity.
'use strict';

// Thunderbird loads every experiment script of an extension into one shared sandbox, so top-level
// `const`/`function` names would collide with the other experiments' (a redeclaration fails the whole
// script). Everything but the API class therefore lives inside this function.
(() => {

  const { ExtensionUtils } = ChromeUtils.importESModule('resource://gre/modules/ExtensionUtils.sys.mjs');
  const { setTimeout: setTimer, clearTimeout: clearTimer } = ChromeUtils.importESModule('resource://gre/modules/Timer.sys.mjs');

  const CRYPTO_TIMEOUT_MS = 120_000;
  const DELIVER_MODES = new Map([
    [Ci.nsIMsgCompDeliverMode.Now, 'now'],
    [Ci.nsIMsgCompDeliverMode.Later, 'later'],
    [Ci.nsIMsgCompDeliverMode.Background, 'background'],
  ]);
  const ENCRYPTED_HEADER = /^Content-Type:\s*application\/pkcs7-mime;/i;
  const SIGNED_HEADER = /^Content-Type:\s*(multipart\/signed;|application\/pkcs7-mime;)/i;

  class WaxsealComposeSecure {
    QueryInterface = ChromeUtils.generateQI(['nsIMsgComposeSecure']);
    // Thunderbird's generic code reads these; "no built-in crypto" keeps MimeMessage from adding its own.
    signMessage = false;
    requireEncryptMessage = false;
    signFormat = '';

    constructor({ tabId, options, deliverMode, original, fire, restore }) {
      Object.assign(this, { tabId, options, deliverMode, original, fire, restore });
      this.chunks = [];
    }

    requiresCryptoEncapsulation() {
      return true;
    }

    beginCryptoEncapsulation(stream, _recipients, compFields, headers, identity) {
      Object.assign(this, { stream, compFields, identity, headers: typeof headers === 'string' ? headers : '' });
    }

    mimeCryptoWriteBlock(buffer, length) {
      this.chunks.push(buffer.length === length ? buffer : buffer.substring(0, length));
    }

    finishCryptoEncapsulation(abort, sendReport) {
      this.restore();
      if (abort) return;
      const fields = this.compFields;
      const request = {
        tabId: this.tabId,
        options: this.options,
        deliverMode: this.deliverMode,
        identityEmail: this.identity.email,
        from: fields.from,
        to: fields.to,
        cc: fields.cc,
        bcc: fields.bcc,
        headers: this.headers,
        entity: this.chunks.join(''),
      };
      this.chunks = [];
      const mime = this.waitForBackground(request, sendReport);
      this.stream.write(mime, mime.length);
    }

    /** Returns the replacement entity, or sets the send report's text and throws (the send stops). */
    waitForBackground(request, sendReport) {
      const state = { done: false, result: null, error: null };
      this.fire.async(request).then(
        (result) => Object.assign(state, { done: true, result }),
        (error) => Object.assign(state, { done: true, error: String(error?.message ?? error) }),
      );
      const deadline = Date.now() + CRYPTO_TIMEOUT_MS;
      const wake = setTimer(() => {}, CRYPTO_TIMEOUT_MS + 50);
      Services.tm.spinEventLoopUntil('Waxseal: signing/encrypting the message', () => state.done || Date.now() > deadline);
      clearTimer(wake);
      let error = state.error ?? state.result?.error ?? null;
      const mime = state.result?.mime;
      if (!state.done) error = 'Waxseal did not answer within 2 minutes. The message was not sent; try again.';
      else if (!error && typeof mime !== 'string') error = 'Waxseal returned nothing to send. The message was not sent.';
      else if (!error && this.options.encrypt && !ENCRYPTED_HEADER.test(mime)) error = 'Waxseal did not return an encrypted message. Nothing was sent.';
      else if (!error && this.options.sign && !SIGNED_HEADER.test(mime)) error = 'Waxseal did not return a signed message. Nothing was sent.';
      if (error) {
        sendReport.errMessage = `Waxseal: ${error}`;
        throw Components.Exception(error, Cr.NS_ERROR_FAILURE);
      }
      return mime;
    }

    // The compose window's own S/MIME UI uses these; delegate to Thunderbird's object.
    haveValidCertForEmail(email) {
      return this.original ? this.original.haveValidCertForEmail(email) : false;
    }
    getCertDBKeyForEmail(email) {
      return this.original ? this.original.getCertDBKeyForEmail(email) : '';
    }
    cacheValidCertForEmail(email, key) {
      this.original?.cacheValidCertForEmail(email, key);
    }
    asyncFindCertByEmailAddr(email, callback) {
      return this.original?.asyncFindCertByEmailAddr(email, callback);
    }
  }

  // The experiment's entry point: Thunderbird looks the API class up under this global name.
  globalThis.composeCrypto = class extends ExtensionCommon.ExtensionAPI {
    getAPI(context) {
      const { extension } = context;
      const listeners = new Set();
      const armed = new Map();

      function composeWindow(tabId) {
        const tab = extension.tabManager.get(tabId);
        if (tab.type !== 'messageCompose') throw new ExtensionUtils.ExtensionError(`Not a compose tab: ${tabId}`);
        return tab.nativeTab;
      }

      function disarmWindow(win) {
        const handler = armed.get(win);
        if (!handler) return;
        win.removeEventListener('compose-send-message', handler);
        armed.delete(win);
      }

      context.callOnClose({ close: () => [...armed.keys()].forEach(disarmWindow) });

      return {
        composeCrypto: {
          async arm(tabId, options) {
            const win = composeWindow(tabId);
            disarmWindow(win);
            // "compose-send-message" fires after onBeforeSend and Thunderbird's own S/MIME/OpenPGP
            // preparation, right before gMsgCompose.sendMsg(): swapping composeSecure here makes us the
            // last writer (thunderbird.md §5.3 (2)).
            const handler = (event) => {
              const deliverMode = DELIVER_MODES.get(event.detail?.msgType);
              if (!deliverMode) return; // a draft or template save: stay armed for the send
              disarmWindow(win);
              if (win.gSendSigned || win.gSendEncrypted) {
                // The background switches Thunderbird's own crypto off in onBeforeSend; two
                // encapsulations cannot be combined, so refuse rather than guess.
                event.preventDefault();
                Services.prompt.alert(win, 'Waxseal', "Thunderbird's own signing or encryption is switched on for this message. Switch it off (Options > Security) or switch off Waxseal's, then send again.");
                return;
              }
              const fire = [...listeners][0];
              if (!fire) {
                event.preventDefault();
                Services.prompt.alert(win, 'Waxseal', 'Waxseal is not running, so the message cannot be signed or encrypted. It was not sent.');
                return;
              }
              const fields = win.gMsgCompose.compFields;
              const original = fields.composeSecure;
              // As Thunderbird does for signed mail: quoted-printable/base64 instead of 8bit, so the
              // signed bytes are 7-bit and survive relays (RFC 8551 §3.1.2).
              fields.forceMsgEncoding = true;
              fields.composeSecure = new WaxsealComposeSecure({
                tabId,
                options,
                deliverMode,
                original,
                fire,
                restore: () => {
                  fields.composeSecure = original;
                },
              });
            };
            win.addEventListener('compose-send-message', handler);
            armed.set(win, handler);
          },

          async disarm(tabId) {
            disarmWindow(composeWindow(tabId));
          },

          onCryptoRequest: new ExtensionCommon.EventManager({
            context,
            name: 'composeCrypto.onCryptoRequest',
            register: (fire) => {
              listeners.add(fire);
              return () => listeners.delete(fire);
            },
          }).api(),
        },
      };
    }
  };
})();
