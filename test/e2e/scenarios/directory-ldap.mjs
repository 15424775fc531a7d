// Directory lookup through Thunderbird's own LDAP stack (issue #9): a real slapd on a loopback port
// (test/helpers/slapd.ts) with users made by openssl, and Waxseal's LDAP experiment
// (src/experiments/ldap/implementation.js) run inside the running Thunderbird through Marionette's
// chrome context, so it uses Thunderbird's nsILDAPConnection / nsILDAPOperation exactly as the
// extension does. Checked against the runner's own certificate bytes.
//
// Then through the extension itself (issue #9 acceptance): an LDAP address book made the way
// Thunderbird's address book dialog makes it (MailServices.ab.newAddressBook writes ldap_2.servers.*),
// the directory's openssl CA added as a user anchor from Waxseal's options page, a compose window to a
// directory user, Waxseal's compose action popup opened with a real click, read, and Encrypt clicked in it, the
// message sent with Thunderbird's own Send command and decrypted by `openssl cms -decrypt` with the
// user's private key, which only the runner holds. Directory down (a closed loopback port) and slow (a
// TCP server that never answers): the popup still shows the recipient, says the directory could not be
// reached, and the message goes out. TEST KEYS — NOT SECRET.
import { execFileSync } from 'node:child_process';
import net from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { mainWindow } from '../lib/marionette-pages.mjs';
import { provisionWaxseal, setComposeDefaults } from './compose-provision.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const IMPLEMENTATION = path.join(ROOT, 'src/experiments/ldap/implementation.js');

let helpers = null;
function slapdHelpers() {
  helpers ??= (async () => {
    const out = path.join(ROOT, '.tmp/e2e-directory/slapd.mjs');
    await build({ entryPoints: [path.join(ROOT, 'test/helpers/slapd.ts')], bundle: true, platform: 'node', format: 'esm', outfile: out, logLevel: 'warning' });
    return import(pathToFileURL(out).href);
  })();
  return helpers;
}

/** A self-signed S/MIME certificate for `email`, DER, made by openssl (the key is thrown away). */
function opensslCertificate(email) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'waxseal-e2e-cert-'));
  try {
    const run = (args) => execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      run(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', path.join(dir, 'k.pem'), '-out', path.join(dir, 'c.pem'),
        '-days', '30', '-subj', `/CN=${email}`, '-addext', `subjectAltName=email:${email}`, '-addext', 'extendedKeyUsage=emailProtection']);
    } catch (error) {
      throw new Error(`openssl failed (install with: apt-get install -y openssl libnss3-tools): ${error.message}`);
    }
    const der = run(['x509', '-in', path.join(dir, 'c.pem'), '-outform', 'DER']);
    const p7 = run(['crl2pkcs7', '-nocrl', '-certfile', path.join(dir, 'c.pem'), '-outform', 'DER']);
    return { der, p7 };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// Evaluates the experiment's implementation in a system-principal sandbox and calls its API, as Thunderbird
// would after `getAPI()`. Each call's outcome is returned as { entries } or { error }.
const RUN_EXPERIMENT = `
  const [source, requests, prefs] = arguments;
  // An LDAP address book as Thunderbird's own address book dialog writes it (ldap_2.servers.*).
  for (const [name, value] of Object.entries(prefs)) Services.prefs.setStringPref(name, value);
  // Like Thunderbird's experiment sandbox: no global properties (no btoa), so the script must not need them.
  const sandbox = Cu.Sandbox(Services.scriptSecurityManager.getSystemPrincipal());
  Object.assign(sandbox, { ChromeUtils, Services, Cc, Ci, Cr, ExtensionCommon: { ExtensionAPI: class {} } });
  Cu.evalInSandbox(source, sandbox, 'latest', 'experiments/ldap/implementation.js', 1);
  const api = new sandbox.waxsealLdap().getAPI({}).waxsealLdap;
  const directories = JSON.parse(JSON.stringify(await api.listDirectories()));
  const results = await Promise.all(requests.map((r) => api.search(Cu.cloneInto(r, sandbox)).then(
    (entries) => ({ entries: JSON.parse(JSON.stringify(entries)) }),
    (e) => ({ error: String((e && e.message) || e) }),
  )));
  for (const name of Object.keys(prefs)) Services.prefs.clearUserPref(name);
  return { directories, results };
`;

const observed = { results: null, error: null, url: null };

export const directoryScenarios = [
  {
    name: 'directory-ldap-experiment',
    description: "Waxseal's LDAP experiment searches a real slapd through Thunderbird's LDAP stack: userSMIMECertificate and userCertificate;binary come back byte for byte, a bind-only entry needs the simple bind, a refused and a silent directory fail within the timeout",
    timeoutMs: 60_000,
    marionette: true,
    async before() {
      const { startSlapd, startSilentServer, ldifBinary } = await slapdHelpers();
      const bob = opensslCertificate('bob@example.com');
      const dave = opensslCertificate('dave@example.com');
      const frank = opensslCertificate('frank@example.com');
      const person = (uid, ou, values, password) =>
        [`dn: uid=${uid},ou=${ou},dc=example,dc=com`, 'objectClass: inetOrgPerson', `uid: ${uid}`, `cn: ${uid}`, `sn: ${uid}`, `mail: ${uid}@example.com`, ...(password ? [`userPassword: ${password}`] : []), ...values, '', ''].join('\n');
      const slapd = await startSlapd(
        person('bob', 'people', [ldifBinary('userSMIMECertificate', bob.p7)]) +
          person('dave', 'people', [ldifBinary('userCertificate;binary', dave.der)]) +
          person('frank', 'restricted', [ldifBinary('userCertificate;binary', frank.der)], 'frank-password'),
      );
      const silent = await startSilentServer();
      observed.expected = { bob: bob.p7.toString('base64'), dave: dave.der.toString('base64'), frank: frank.der.toString('base64') };
      observed.servers = { slapd, silent };
    },
    async drive({ marionette }) {
      const { slapd, silent } = observed.servers;
      const base = { baseDn: 'dc=example,dc=com', scope: 'sub', attributes: ['userSMIMECertificate', 'userCertificate;binary'], sizeLimit: 8, timeoutMs: 3000 };
      const requests = [
        { ...base, url: slapd.url, filter: '(mail=bob@example.com)' },
        { ...base, url: slapd.url, filter: '(mail=dave@example.com)' },
        { ...base, url: slapd.url, filter: '(mail=frank@example.com)' },
        { ...base, url: slapd.url, filter: '(mail=frank@example.com)', bindDn: 'uid=frank,ou=restricted,dc=example,dc=com', bindPassword: 'frank-password' },
        { ...base, url: slapd.url, filter: '(mail=frank@example.com)', bindDn: 'uid=frank,ou=restricted,dc=example,dc=com', bindPassword: 'wrong' },
        { ...base, url: 'ldap://127.0.0.1:1', filter: '(mail=bob@example.com)' },
        { ...base, url: silent.url, filter: '(mail=bob@example.com)', timeoutMs: 1500 },
      ];
      try {
        const client = await marionette();
        await client.cmd('Marionette:SetContext', { value: 'chrome' });
        const started = Date.now();
        const prefs = { 'ldap_2.servers.waxsealtest.uri': `${slapd.url}/dc=example,dc=com??sub?(objectclass=*)`, 'ldap_2.servers.waxsealtest.description': 'Waxseal test directory' };
        const reply = (await client.cmd('WebDriver:ExecuteScript', { script: `return (async () => { ${RUN_EXPERIMENT} })();`, args: [fs.readFileSync(IMPLEMENTATION, 'utf8'), requests, prefs] })).value;
        observed.results = reply.results;
        observed.directories = reply.directories;
        observed.ms = Date.now() - started;
      } catch (error) {
        observed.error = String(error?.message ?? error);
      } finally {
        await slapd.stop();
        await silent.stop();
      }
    },
    check() {
      if (observed.error) throw new Error(`running the experiment: ${observed.error}`);
      const book = observed.directories.find((d) => d.id === 'ldap_2.servers.waxsealtest');
      if (!book || book.name !== 'Waxseal test directory' || !book.uri.startsWith(observed.servers.slapd.url)) throw new Error(`listDirectories did not report the LDAP address book: ${JSON.stringify(observed.directories)}`);
      const [bob, dave, frankAnonymous, frankBound, frankWrong, refused, silent] = observed.results;
      const value = (result, attribute) => {
        if (result.error) throw new Error(`search failed: ${result.error}`);
        const entry = result.entries[0];
        const key = Object.keys(entry?.attributes ?? {}).find((k) => k.toLowerCase().split(';')[0] === attribute.toLowerCase());
        return key ? entry.attributes[key][0] : null;
      };
      if (value(bob, 'userSMIMECertificate') !== observed.expected.bob) throw new Error(`bob's userSMIMECertificate differs: ${JSON.stringify(bob).slice(0, 300)}`);
      if (value(dave, 'userCertificate') !== observed.expected.dave) throw new Error(`dave's userCertificate;binary differs: ${JSON.stringify(dave).slice(0, 300)}`);
      if (frankAnonymous.error || frankAnonymous.entries.length !== 0) throw new Error(`anonymous search saw the restricted entry: ${JSON.stringify(frankAnonymous).slice(0, 300)}`);
      if (value(frankBound, 'userCertificate') !== observed.expected.frank) throw new Error(`bound search did not return frank's certificate: ${JSON.stringify(frankBound).slice(0, 300)}`);
      if (!frankWrong.error) throw new Error('a wrong bind password did not fail the search');
      if (!refused.error) throw new Error('a refused connection did not fail the search');
      if (!/within 1500 ms/.test(silent.error ?? '')) throw new Error(`a silent directory did not time out: ${JSON.stringify(silent)}`);
    },
  },
];

// ---------------------------------------------------------------------------------------------------
// Through the extension (issue #9 acceptance).

const WAXSEAL_ID = 'waxseal@waxseal.org';
const OPENSSL_HINT = 'apt-get install -y openssl';
const BODY_CANARY = 'waxseal-e2e-directory-canary';
/** The compose popup must show its recipients within this bound even when the directory hangs (lookup timeout: 3 s). */
const POPUP_HANG_BOUND_MS = 12_000;
const EN = JSON.parse(fs.readFileSync(path.join(ROOT, '_locales/en/messages.json'), 'utf8'));
const english = (name) => {
  if (!EN[name]) throw new Error(`_locales/en/messages.json has no ${name}`);
  return EN[name].message;
};

function openssl(args, input) {
  try {
    return execFileSync('openssl', args, { input, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (error) {
    if (error.code === 'ENOENT') throw new Error(`openssl is missing: ${OPENSSL_HINT}`);
    throw new Error(`openssl ${args[0]} failed: ${error.stderr?.toString() ?? error.message}`);
  }
}

/**
 * The organisation's PKI, made by openssl: a CA and two directory users it issued, one published as
 * userSMIMECertificate (a PKCS#7 bundle with the CA), one as userCertificate;binary (DER). The private
 * keys stay here, in the runner. TEST KEYS — NOT SECRET.
 */
function organisationPki() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'waxseal-e2e-dirpki-'));
  const f = (name) => path.join(dir, name);
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.pem'), '-days', '30', '-subj', '/O=Waxseal Directory E2E/CN=Waxseal Directory E2E CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  const user = (uid) => {
    const email = `${uid}@example.com`;
    openssl(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', f(`${uid}.key`), '-out', f(`${uid}.csr`), '-subj', `/O=Waxseal Directory E2E/CN=${uid}`]);
    fs.writeFileSync(f(`${uid}.ext`), [`subjectAltName=email:${email}`, 'keyUsage=critical,digitalSignature,keyEncipherment', 'extendedKeyUsage=emailProtection', 'basicConstraints=critical,CA:FALSE', ''].join('\n'));
    openssl(['x509', '-req', '-in', f(`${uid}.csr`), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f(`${uid}.pem`), '-days', '30', '-extfile', f(`${uid}.ext`)]);
    return {
      uid,
      email,
      certificate: f(`${uid}.pem`),
      key: f(`${uid}.key`),
      der: openssl(['x509', '-in', f(`${uid}.pem`), '-outform', 'DER']),
      p7: openssl(['crl2pkcs7', '-nocrl', '-certfile', f(`${uid}.pem`), '-certfile', f('ca.pem'), '-outform', 'DER']),
    };
  };
  return { dir, ca: openssl(['x509', '-in', f('ca.pem'), '-outform', 'DER']), pkcs7User: user('dirsmime'), binaryUser: user('dirbinary') };
}

/** Chrome JS: an LDAP address book exactly as Thunderbird's address book dialog creates one; answers the prefs it wrote. */
const ADD_LDAP_BOOK = `
  const [name, uri] = arguments;
  const { MailServices } = ChromeUtils.importESModule('resource:///modules/MailServices.sys.mjs');
  const prefName = MailServices.ab.newAddressBook(name, uri, Ci.nsIAbManager.LDAP_DIRECTORY_TYPE);
  return { prefName, uri: Services.prefs.getStringPref(prefName + '.uri', ''), description: Services.prefs.getStringPref(prefName + '.description', '') };`;

const REMOVE_LDAP_BOOK = `
  const [prefName] = arguments;
  const { MailServices } = ChromeUtils.importESModule('resource:///modules/MailServices.sys.mjs');
  const book = MailServices.ab.getDirectoryFromId(prefName);
  if (book) MailServices.ab.deleteAddressBook(book.URI);
  return Services.prefs.getChildList(prefName + '.').length;`;

/** Marionette in chrome context on Thunderbird's main window. */
async function chromeMain(marionette) {
  return mainWindow(await marionette());
}

async function handles(client) {
  const reply = await client.cmd('WebDriver:GetWindowHandles');
  return Array.isArray(reply) ? reply : reply.value;
}

async function chrome(client, script, args = []) {
  return (await client.cmd('WebDriver:ExecuteScript', { script, args })).value;
}

async function addLdapBook(marionette, name, uri) {
  const client = await chromeMain(marionette);
  const book = await chrome(client, ADD_LDAP_BOOK, [name, uri]);
  if (!book?.prefName?.startsWith('ldap_2.servers.') || book.uri !== uri || book.description !== name) throw new Error(`the LDAP address book was not written to the prefs: ${JSON.stringify(book)}`);
  return book.prefName;
}

async function removeLdapBook(marionette, prefName) {
  const client = await chromeMain(marionette);
  const left = await chrome(client, REMOVE_LDAP_BOOK, [prefName]);
  if (left !== 0) throw new Error(`address book ${prefName} left ${left} prefs behind`);
}

/**
 * A frame script in a Waxseal page's <browser> (remote, so out of reach of chrome JS): `call` sends
 * an RPC with the page's own runtime.sendMessage (bytes as base64), `read` answers the compose popup's
 * state, `click` clicks an element by id. Replies come back by message id.
 */
const FRAME_SCRIPT = `
  addMessageListener('waxseal-e2e-dir:do', async (message) => {
    const { id, action, name, req, bytes, target } = message.data;
    const reply = (value) => sendAsyncMessage('waxseal-e2e-dir:result', { id, value });
    try {
      const doc = content.document;
      if (action === 'call') {
        const win = Cu.waiveXrays(content);
        const body = Object.assign({}, req);
        for (const [key, b64] of Object.entries(bytes || {})) body[key] = Uint8Array.from(content.atob(b64), (c) => c.charCodeAt(0));
        const answer = await win.browser.runtime.sendMessage(Cu.cloneInto({ waxseal: 1, name, req: body }, content));
        return reply(JSON.parse(win.JSON.stringify(answer)));
      }
      if (action === 'click') {
        const element = doc.getElementById(target);
        if (!element) throw new Error('no element #' + target);
        element.click();
        return reply(true);
      }
      const main = doc.querySelector('[data-testid="compose-page"]');
      const rows = Array.from(doc.querySelectorAll('tr[data-testid^="recipient-"]')).map((row) => ({
        testid: row.getAttribute('data-testid'),
        status: row.getAttribute('data-status'),
        source: row.querySelector('[data-testid="recipient-source"]')?.textContent ?? '',
        why: row.querySelector('[data-testid="recipient-why"]')?.textContent ?? '',
      }));
      const encrypt = doc.getElementById('encrypt');
      return reply({ url: String(doc.location.href), ready: main?.getAttribute('data-ready') ?? null, busy: main?.getAttribute('aria-busy') ?? null, encrypt: encrypt ? encrypt.checked : null, rows, alerts: Array.from(doc.querySelectorAll('[role="alert"]')).map((a) => a.textContent) });
    } catch (error) {
      sendAsyncMessage('waxseal-e2e-dir:result', { id, error: String((error && error.message) || error) });
    }
  });`;

/** Chrome JS in the window holding the browser: installs the frame script once, sends one request, resolves with its reply. */
const FRAME_DO = `
  const [selector, script, data] = arguments;
  const browser = selector === 'options'
    ? document.getElementById('tabmail').currentTabInfo.browser
    : Array.from(document.querySelectorAll('browser')).find((b) => String(b.currentURI?.spec).includes('/compose/index.html'));
  if (!browser) return { missing: true };
  if (!browser.hasAttribute('data-waxseal-e2e-dir')) {
    browser.messageManager.loadFrameScript('data:,' + encodeURIComponent(script), false);
    browser.setAttribute('data-waxseal-e2e-dir', 'true');
  }
  const mm = browser.messageManager;
  const id = String(Math.random());
  return new Promise((resolve) => {
    // A popup that is closing never answers: after a while that counts as no popup.
    const timer = setTimeout(() => {
      mm.removeMessageListener('waxseal-e2e-dir:result', listener);
      resolve({ missing: true, unanswered: true });
    }, 3000);
    const listener = (message) => {
      if (message.data.id !== id) return;
      clearTimeout(timer);
      mm.removeMessageListener('waxseal-e2e-dir:result', listener);
      resolve(message.data.error ? { error: message.data.error } : { value: message.data.value });
    };
    mm.addMessageListener('waxseal-e2e-dir:result', listener);
    mm.sendAsyncMessage('waxseal-e2e-dir:do', Object.assign({ id }, data));
  });`;

async function frameDo(client, selector, data) {
  return chrome(client, FRAME_DO, [selector, FRAME_SCRIPT, data]);
}

/** Opens Waxseal's options page in a tab, sends the requests `steps(call)` makes from it, closes the tab. */
async function fromOptionsPage(marionette, steps) {
  const client = await chromeMain(marionette);
  await chrome(client, `const url = WebExtensionPolicy.getByID('${WAXSEAL_ID}').getURL('options/index.html');
    document.getElementById('tabmail').openTab('contentTab', { url }); return url;`);
  const call = async (name, req = {}, bytes = {}) => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const ready = await chrome(client, `const b = document.getElementById('tabmail').currentTabInfo.browser;
        return Boolean(b && String(b.currentURI?.spec).endsWith('/options/index.html') && !b.webProgress?.isLoadingDocument);`);
      const result = ready ? await frameDo(client, 'options', { action: 'call', name, req, bytes }) : null;
      if (result?.value?.ok) return result.value.res;
      // The page registers its messaging once loaded; until then the request fails and is sent again.
      if (Date.now() > deadline) throw new Error(`${name} from the options page failed: ${JSON.stringify(result)}`);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  };
  try {
    return await steps(call);
  } finally {
    await chrome(client, "const t = document.getElementById('tabmail'); t.closeTab(t.currentTabInfo); return true;");
  }
}

/** Marionette on the compose window whose subject is `subject`. */
async function composeWindow(marionette, subject) {
  const client = await marionette();
  await client.cmd('Marionette:SetContext', { value: 'chrome' });
  const deadline = Date.now() + 15_000;
  for (;;) {
    for (const handle of await handles(client)) {
      await client.cmd('WebDriver:SwitchToWindow', { handle });
      const found = await chrome(client, `return document.documentElement.getAttribute('windowtype') === 'msgcompose' && document.getElementById('msgSubject')?.value === arguments[0];`, [subject]);
      if (found) return client;
    }
    if (Date.now() > deadline) throw new Error(`no compose window with subject "${subject}"`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** For a failure message: the compose window's open panels and the pages of its browsers. */
const POPUP_PANELS = `
  return {
    panels: Array.from(document.querySelectorAll('panel')).filter((p) => p.state !== 'closed').map((p) => p.id + ':' + p.state),
    browsers: Array.from(document.querySelectorAll('browser')).map((b) => String(b.currentURI?.spec)),
  };`;

async function clickComposeAction(client) {
  const button = await client.cmd('WebDriver:FindElement', { using: 'css selector', value: '#waxseal_waxseal_org-composeAction-toolbarbutton' });
  await client.cmd('WebDriver:ElementClick', { id: Object.values(button.value)[0] });
}

/** Chrome JS: whether a new compose window has finished setting itself up (it moves the focus to a recipient field when done). */
const COMPOSE_SETTLED = `return Boolean(window.gLoadingComplete) && document.readyState === 'complete' && document.activeElement?.closest?.('#recipientsContainer, #msgSubject, #messageEditor') !== null;`;

/**
 * Clicks Waxseal's compose action button (a real click) once the compose window has settled (a popup
 * opened earlier closes when the window moves the focus to the recipients), and waits, within the hang
 * bound, for the popup to show its recipients; a popup that went away is opened once more.
 */
async function openComposePopup(client, screenshot) {
  const settle = Date.now();
  while (!(await chrome(client, COMPOSE_SETTLED)) && Date.now() - settle < 10_000) await new Promise((resolve) => setTimeout(resolve, 200));
  // Where a user would be typing: the body. A focus move into the recipients (pills being checked) closes an open popup.
  await chrome(client, `document.getElementById('messageEditor').focus(); return true;`);
  // Thunderbird checks the recipient pills against the address books (the LDAP one too) after opening;
  // a popup opened during that closes, and the button then opens no new one. Let it finish first.
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const started = Date.now();
  await clickComposeAction(client);
  let last = null;
  let clicks = 1;
  let missingSince = null;
  for (;;) {
    const result = await frameDo(client, 'compose', { action: 'read' });
    last = result?.value ?? result;
    if (result?.value?.ready === 'true' && result.value.busy === 'false') return { ...result.value, ms: Date.now() - started, clicks };
    if (result?.missing && !result.unanswered) {
      missingSince ??= Date.now();
      if (Date.now() - missingSince > 2000 && clicks < 3) {
        screenshot(`popup-gone-${clicks}`);
        await clickComposeAction(client);
        clicks += 1;
        missingSince = null;
        await new Promise((resolve) => setTimeout(resolve, 500));
        screenshot(`popup-reopened-${clicks}`);
      }
    } else missingSince = null;
    if (Date.now() - started > POPUP_HANG_BOUND_MS) {
      const panels = await chrome(client, POPUP_PANELS);
      throw new Error(`the compose popup did not show its recipients within ${POPUP_HANG_BOUND_MS} ms (${clicks} clicks): ${JSON.stringify(last)}; panels: ${JSON.stringify(panels)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

/** Waits (hang bound) until Waxseal's compose action button carries `label`; answers the label it saw last. */
async function buttonLabelBecomes(client, label) {
  const started = Date.now();
  for (;;) {
    const current = await chrome(client, `return document.getElementById('waxseal_waxseal_org-composeAction-toolbarbutton')?.getAttribute('label') ?? null;`);
    if (current === label || Date.now() - started > POPUP_HANG_BOUND_MS) return current;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

/** Any modal: a window other than the main and compose windows (prompts, alerts, Waxseal windows), or a dialog box in one. */
const MODALS = `
  const out = [];
  for (const win of Services.wm.getEnumerator(null)) {
    const type = win.document.documentElement.getAttribute('windowtype');
    if (type !== 'mail:3pane' && type !== 'msgcompose') out.push(type || String(win.location.href));
    for (const box of win.document.querySelectorAll('dialog[open], .dialogBox, tabmodalprompt')) out.push('in ' + type + ': ' + box.localName);
  }
  return out;`;

/** Closes the popup and sends with Thunderbird's own Send command, as the Send button does. */
async function sendFromComposeWindow(client) {
  await chrome(client, `for (const panel of document.querySelectorAll('panel')) if (panel.state === 'open') panel.hidePopup(); return true;`);
  await chrome(client, `goDoCommand('cmd_sendNow'); return true;`);
}

function splitHead(bytes) {
  return bytes.subarray(0, bytes.indexOf('\r\n\r\n')).toString('latin1');
}

async function arrivedAtSink(sink, subject) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const message = sink.messages.find((m) => m.bytes.includes(`Subject: ${subject}`));
    if (message) return message;
    if (Date.now() > deadline) throw new Error(`no message "${subject}" at the SMTP sink (${sink.messages.length} there)`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Whether `text` appears in the bytes or inside one of their base64 blocks. */
function textAppears(bytes, text) {
  const all = Buffer.from(bytes).toString('latin1');
  if (all.includes(text)) return true;
  return (all.match(/(?:^[A-Za-z0-9+/=]{4,}\r?$\n?)+/gm) ?? []).some((block) => Buffer.from(block.replace(/\s+/g, ''), 'base64').toString('latin1').includes(text));
}

const acceptance = { pki: null, slapd: null, book: null, observed: {} };

function composeArgs(name, to) {
  return { to, subject: `Waxseal e2e ${name} ${Date.now()}`, body: `Hello, ${BODY_CANARY}.` };
}

/** Closes a compose window without the "save changes?" prompt (after a failed step, so the companion's wait ends). */
const DISCARD_COMPOSE = `
  window.gContentChanged = false;
  if (window.gMsgCompose) window.gMsgCompose.bodyModified = false;
  window.gAutoSaveKickedIn = false;
  goDoCommand('cmd_close');
  return true;`;

/**
 * The runner's half of a compose-to-a-directory-address scenario: a real click on Waxseal's compose
 * action, the popup's state once it shows the recipients, then Thunderbird's own Send command.
 */
async function driveCompose({ marionette, waitForSignal, screenshot, args }, { shot, encrypt = false }) {
  await waitForSignal(`directory-compose-open ${args.subject}`, 20_000);
  const client = await composeWindow(marionette, args.subject);
  try {
    const observed = { popup: await openComposePopup(client, screenshot), modals: await chrome(client, MODALS) };
    screenshot(`${shot}-popup`);
    if (encrypt) {
      // The user turns Encrypt on in the popup: the toolbar button says so, and the popup stays open with
      // Encrypt checked (a popup whose page resized used to be closed by Thunderbird; it has a fixed size now).
      const click = await frameDo(client, 'compose', { action: 'click', target: 'encrypt' });
      if (!click?.value) throw new Error(`clicking Encrypt in the popup failed: ${JSON.stringify(click)}`);
      observed.buttonLabel = await buttonLabelBecomes(client, english('compose_labelEncrypt'));
      const after = await frameDo(client, 'compose', { action: 'read' });
      if (after?.value?.encrypt !== true) throw new Error(`after Encrypt was clicked the popup is gone or shows Encrypt off: ${JSON.stringify(after)}`);
      screenshot(`${shot}-encrypt-on`);
    }
    await sendFromComposeWindow(client);
    return observed;
  } catch (error) {
    await chrome(client, DISCARD_COMPOSE).catch(() => {});
    throw error;
  }
}

function rowFor(popup, address) {
  const row = popup.rows.find((r) => r.testid === `recipient-${address}`);
  if (!row) throw new Error(`the popup has no row for ${address}: ${JSON.stringify(popup.rows)}`);
  return row;
}

directoryScenarios.push(
  {
    name: 'directory-compose-send',
    description: 'issue #9 acceptance: an LDAP address book points at a real slapd; composing to a directory user (userSMIMECertificate, a PKCS#7 bundle with the CA) shows "from the directory", Encrypt is turned on in the popup, and the sent message decrypts with that user\'s key in openssl; the certificate is then listed in the people store as from the directory',
    marionette: true,
    timeoutMs: 60_000,
    args: () => composeArgs('directory-send', ['dirsmime@example.com']),
    async before({ marionette }) {
      const { startSlapd, ldifBinary } = await slapdHelpers();
      acceptance.pki = organisationPki();
      const { pkcs7User, binaryUser } = acceptance.pki;
      const person = (u, attribute, value) =>
        [`dn: uid=${u.uid},ou=people,dc=example,dc=com`, 'objectClass: inetOrgPerson', `uid: ${u.uid}`, `cn: ${u.uid}`, `sn: ${u.uid}`, `mail: ${u.email}`, ldifBinary(attribute, value), '', ''].join('\n');
      acceptance.slapd = await startSlapd(person(pkcs7User, 'userSMIMECertificate', pkcs7User.p7) + person(binaryUser, 'userCertificate;binary', binaryUser.der));
      await provisionWaxseal(marionette);
      await setComposeDefaults(marionette, { signByDefault: false, encryptWhenPossible: false, requireEncryption: false });
      // The organisation's CA, trusted the way a user does it: added as an anchor from Waxseal's options page.
      acceptance.observed.anchor = await fromOptionsPage(marionette, (call) => call('addTrustAnchor', { purposes: ['emailSigning', 'emailEncryption'] }, { certificate: acceptance.pki.ca.toString('base64') }));
      acceptance.book = await addLdapBook(marionette, 'Example Directory', `${acceptance.slapd.url}/dc=example,dc=com??sub?(objectclass=*)`);
    },
    async drive(context) {
      try {
        acceptance.observed.compose = await driveCompose(context, { shot: 'directory-send', encrypt: true });
        await context.waitForSignal(`directory-sent ${context.args.subject}`, 30_000);
        acceptance.observed.people = await fromOptionsPage(context.marionette, (call) => call('listPeopleCertificates', {}));
      } finally {
        if (acceptance.book) await removeLdapBook(context.marionette, acceptance.book);
        await acceptance.slapd?.stop();
      }
    },
    async check({ result, sink, args }) {
      try {
        const { compose, anchor, people } = acceptance.observed;
        if (!anchor?.subject?.includes('Waxseal Directory E2E CA')) throw new Error(`the directory CA was not added as an anchor: ${JSON.stringify(anchor)}`);
        if (result.error) throw new Error(`sending failed in Thunderbird: ${result.error}`);
        for (const address of args.to) {
          const row = rowFor(compose.popup, address);
          if (row.status !== 'ok' || !row.source.startsWith(english('compose_origin_directory'))) throw new Error(`the popup row does not say the certificate is from the directory: ${JSON.stringify(row)}`);
        }
        if (compose.popup.encrypt !== false) throw new Error(`Encrypt was already on before the click: ${JSON.stringify(compose.popup)}`);
        if (compose.buttonLabel !== english('compose_labelEncrypt')) throw new Error(`after clicking Encrypt Waxseal's button says "${compose.buttonLabel}"`);
        if (compose.modals.length > 0) throw new Error(`a modal opened while composing: ${compose.modals.join(', ')}`);
        const message = await arrivedAtSink(sink, args.subject);
        if (!/^Content-Type: application\/pkcs7-mime; smime-type=(auth)?enveloped-data/m.test(splitHead(message.bytes))) throw new Error(`not encrypted:\n${splitHead(message.bytes)}`);
        if (textAppears(message.bytes, BODY_CANARY)) throw new Error('the SMTP copy carries the body in plaintext (SEC-07)');
        const file = path.join(acceptance.pki.dir, 'sent.eml');
        fs.writeFileSync(file, message.bytes);
        for (const user of [acceptance.pki.pkcs7User, acceptance.pki.binaryUser].filter((u) => args.to.includes(u.email))) {
          const plain = openssl(['cms', '-decrypt', '-in', file, '-recip', user.certificate, '-inkey', user.key]);
          if (!textAppears(plain, BODY_CANARY)) throw new Error(`${user.email}'s decryption lacks the body:\n${plain.toString('latin1').slice(0, 400)}`);
          // #9 item 3: the lookup left the certificate in the people store, source directory, named and dated.
          const listed = people?.find((p) => p.address === user.email && p.der === user.der.toString('base64'));
          const directory = listed?.provenance.find((p) => p.source === 'directory');
          if (!directory || directory.directory !== 'Example Directory' || Number.isNaN(Date.parse(directory.date))) throw new Error(`${user.email}'s directory certificate is not listed as from the directory: ${JSON.stringify(people)}`);
        }
      } finally {
        fs.rmSync(acceptance.pki?.dir ?? '', { recursive: true, force: true });
      }
    },
  },
);

/** A loopback port nothing listens on: a directory that is down. */
async function closedPort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A directory that accepts connections and never answers; counts the connections it got. */
async function hangingDirectory() {
  const sockets = new Set();
  let connections = 0;
  const server = net.createServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `ldap://127.0.0.1:${server.address().port}`,
    connections: () => connections,
    stop: () => new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(resolve);
    }),
  };
}

/**
 * Directory down or slow (#9): the recipient has an imported certificate in Waxseal (provisioned), the
 * only LDAP address book cannot answer. The popup must show the row within the hang bound, say the
 * directory could not be reached (SEC-47e), open no modal, and the unencrypted message must go out.
 */
function unreachableScenario({ name, to, description, directory }) {
  const state = { book: null, server: null, observed: {} };
  return {
    name,
    description,
    marionette: true,
    timeoutMs: 60_000,
    args: () => composeArgs(name, to),
    async before({ marionette }) {
      await provisionWaxseal(marionette);
      await setComposeDefaults(marionette, { signByDefault: false, encryptWhenPossible: false, requireEncryption: false });
      state.server = await directory();
      state.book = await addLdapBook(marionette, `Unreachable directory (${name})`, `${state.server.url}/dc=example,dc=com??sub?(objectclass=*)`);
    },
    async drive(context) {
      try {
        state.observed.compose = await driveCompose(context, { shot: name });
        state.observed.connections = state.server.connections?.() ?? null;
        await context.waitForSignal(`directory-sent ${context.args.subject}`, 30_000);
      } finally {
        if (state.book) await removeLdapBook(context.marionette, state.book);
        await state.server?.stop?.();
      }
    },
    async check({ result, sink, args }) {
      const { compose, connections } = state.observed;
      if (connections === 0) throw new Error('the hanging directory was never asked');
      const row = rowFor(compose.popup, to);
      if (row.status !== 'ok' || !row.source.startsWith(english('compose_origin_imported'))) throw new Error(`the row lost the imported certificate: ${JSON.stringify(row)}`);
      if (!row.why.includes(english('compose_reason_directory-unreachable'))) throw new Error(`the row does not say the directory could not be reached: ${JSON.stringify(row)}`);
      if (compose.modals.length > 0) throw new Error(`a modal opened while composing: ${compose.modals.join(', ')}`);
      if (result.error) throw new Error(`sending failed in Thunderbird: ${result.error}`);
      const message = await arrivedAtSink(sink, args.subject);
      if (/pkcs7-mime/i.test(splitHead(message.bytes)) || !textAppears(message.bytes, BODY_CANARY)) throw new Error('the unencrypted message did not arrive as sent');
      console.log(`[e2e] ${name}: popup showed the recipient after ${compose.popup.ms} ms`);
    },
  };
}

directoryScenarios.push(
  unreachableScenario({
    name: 'directory-down-compose',
    to: 'bob@example.com',
    description: 'directory down (LDAP address book on a closed loopback port): the compose popup shows the recipient promptly, with its imported certificate and "the directory could not be reached", no modal, and the message is sent',
    directory: async () => ({ url: `ldap://127.0.0.1:${await closedPort()}` }),
  }),
  unreachableScenario({
    name: 'directory-slow-compose',
    to: 'dave@example.com',
    description: 'directory slow (LDAP address book on a server that accepts and never answers): the lookup times out after a few seconds, the popup then shows the recipient with "the directory could not be reached", no modal, and the message is sent',
    directory: hangingDirectory,
  }),
);
