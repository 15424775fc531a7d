// Reading scenarios (issue #7) in the real Thunderbird: signed messages of each state, made at run time
// with `openssl cms -sign` from the provisioned test PKI (alice is the user; bob, dave correspondents),
// are imported into Local Folders and displayed; the runner reads Waxseal's banner from the message
// pane and the message toolbar button over Marionette, screenshots each state, and checks that bob's
// certificate was harvested into the key store. The Thunderbird half is in companion/read-scenarios.js.
// TEST KEYS — NOT SECRET.
import fs from 'node:fs';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mainWindow, openssl } from '../lib/marionette-pages.mjs';
import { provisioning, provisionWaxseal } from './compose-provision.mjs';

/** TEST PASSPHRASE — NOT SECRET (the provisioned key store's). */
const PASSPHRASE = 'correct horse battery staple';
const CANARY = 'waxseal-e2e-read-canary-plaintext';

const WAXSEAL_ID = 'waxseal@waxseal.org';

const crlf = (text) => Buffer.from(text.replace(/\r?\n/g, '\r\n'), 'utf8');

/** A multipart/signed message: `openssl cms -sign` over a text entity, headers put in front. */
function signed(dir, { from, signer, runId, name, text, md = 'sha256', unsignedTail = null, protectedHeaders = null }) {
  // `protectedHeaders`: RFC 9788 header protection, the signed part's own copy of From/To/Subject (hp="clear").
  const entity = protectedHeaders === null
    ? crlf(`Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 7bit\n\n${text}\n`)
    : crlf(`Content-Type: text/plain; charset=utf-8; hp="clear"\n${protectedHeaders}Content-Transfer-Encoding: 7bit\n\n${text}\n`);
  const entityFile = path.join(dir, `${name}.entity`);
  fs.writeFileSync(entityFile, entity);
  const smime = openssl(['cms', '-sign', '-binary', '-md', md, '-signer', signer.cert, '-inkey', signer.key, '-certfile', signer.chain, '-in', entityFile]);
  let body = Buffer.from(smime.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');
  if (unsignedTail !== null) {
    // Only part signed (SEC-13): the signed entity sits inside a multipart/mixed next to unsigned text.
    const withoutMimeVersion = body.toString('latin1').replace(/^MIME-Version: 1\.0\r\n/i, '');
    body = Buffer.concat([
      crlf('MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="partial"\n\n--partial\n'),
      Buffer.from(withoutMimeVersion, 'latin1'),
      crlf(`\n--partial\nContent-Type: text/plain; charset=utf-8\n\n${unsignedTail}\n--partial--\n`),
    ]);
  }
  const headers = crlf(`From: ${from}\nTo: Alice <alice@example.com>\nSubject: Waxseal read ${name}\nDate: Mon, 01 Jun 2026 00:00:00 +0000\nMessage-ID: <read-${name}-${runId}@e2e.waxseal.org>\n`);
  return Buffer.concat([headers, body]);
}

/** A CA and a bob certificate that Waxseal does not trust (not among the provisioned anchors). */
function unknownCa(dir) {
  const p = (name) => path.join(dir, name);
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', p('uca.key'), '-out', p('uca.pem'), '-subj', '/CN=Unknown Test CA', '-days', '3650', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', p('ubob.key'), '-out', p('ubob.csr'), '-subj', '/CN=Bob elsewhere']);
  fs.writeFileSync(p('ubob.ext'), 'subjectAltName=email:bob@example.com\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=emailProtection\nbasicConstraints=CA:FALSE\n');
  openssl(['x509', '-req', '-in', p('ubob.csr'), '-CA', p('uca.pem'), '-CAkey', p('uca.key'), '-CAcreateserial', '-out', p('ubob.pem'), '-days', '3650', '-extfile', p('ubob.ext')]);
  return { cert: p('ubob.pem'), key: p('ubob.key'), chain: p('uca.pem') };
}

/** openssl's ASN.1 time (YYYYMMDDHHMMSSZ) for `openssl ca -startdate/-enddate`. */
const asn1Time = (date) => date.toISOString().replace(/[-:T]/g, '').replace(/\.\d+Z$/, 'Z');

/**
 * An organisation CA that Waxseal trusts (added as a trust root in Waxseal, below) and NSS does not,
 * issuing bob certificates with chosen validity periods through `openssl ca` (the only openssl 3.0 way
 * to set a notBefore/notAfter in the past).
 */
function organisationCa(dir) {
  const p = (name) => path.join(dir, name);
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', p('org.key'), '-out', p('org.pem'), '-subj', '/O=Waxseal E2E Organisation/CN=Organisation Test CA', '-days', '3650', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  fs.writeFileSync(p('index.txt'), '');
  fs.writeFileSync(p('serial'), '1000\n');
  fs.writeFileSync(p('ca.cnf'), [
    '[ca]', 'default_ca = org', '[org]', `dir = ${dir}`, `database = ${p('index.txt')}`, `new_certs_dir = ${dir}`, `serial = ${p('serial')}`,
    'default_md = sha256', 'policy = any', 'unique_subject = no', 'copy_extensions = none', '[any]', 'commonName = supplied',
    '[bob]', 'subjectAltName = email:bob@example.com', 'keyUsage = critical,digitalSignature,keyEncipherment', 'extendedKeyUsage = emailProtection', 'basicConstraints = CA:FALSE', '',
  ].join('\n'));
  const issue = (name, notBefore, notAfter) => {
    openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', p(`${name}.key`), '-out', p(`${name}.csr`), '-subj', `/CN=Bob ${name}`]);
    openssl(['ca', '-batch', '-notext', '-config', p('ca.cnf'), '-cert', p('org.pem'), '-keyfile', p('org.key'), '-in', p(`${name}.csr`), '-out', p(`${name}.pem`), '-extensions', 'bob', '-startdate', asn1Time(notBefore), '-enddate', asn1Time(notAfter)]);
    return { cert: p(`${name}.pem`), key: p(`${name}.key`), chain: p('org.pem'), notAfter };
  };
  return { certificate: fs.readFileSync(p('org.pem'), 'utf8'), issue };
}

/**
 * Runs `work` in a scratch directory holding the provisioned test PKI's signers as files for `openssl cms
 * -sign` (bob and dave, with the e-mail CA as their chain), and removes the directory afterwards.
 */
async function withSigners(label, work) {
  const { pem } = await provisioning();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `waxseal-e2e-${label}-`));
  try {
    const file = (name, text) => {
      const p = path.join(dir, name);
      fs.writeFileSync(p, text);
      return p;
    };
    const chain = file('ca.pem', pem.emailCa);
    const signers = {
      bob: { cert: file('bob.pem', pem.bob.certificate), key: file('bob.key', pem.bob.key), chain },
      dave: { cert: file('dave.pem', pem.dave.certificate), key: file('dave.key', pem.dave.key), chain },
    };
    return await work({ dir, file, pem, signers });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function makeMessages(runId) {
  return withSigners('read', async ({ dir, signers: { bob, dave } }) => {
    const valid = signed(dir, { from: 'Bob <bob@example.com>', signer: bob, runId, name: 'valid', text: 'Hello Alice, the figures are attached.' });
    const modified = Buffer.from(signed(dir, { from: 'Bob <bob@example.com>', signer: bob, runId, name: 'modified', text: 'Please pay invoice 100.' }).toString('latin1').replace('invoice 100', 'invoice 900'), 'latin1');
    const notSender = signed(dir, { from: 'Bob <bob@example.com>', signer: dave, runId, name: 'not-sender', text: 'I am Bob, really.' });
    const untrusted = signed(dir, { from: 'Bob <bob@example.com>', signer: unknownCa(dir), runId, name: 'unknown-ca', text: 'Signed under a CA you do not know.' });
    const weak = signed(dir, { from: 'Bob <bob@example.com>', signer: bob, runId, name: 'weak-algorithm', text: 'Signed with SHA-1.', md: 'sha1' });
    const partial = signed(dir, { from: 'Bob <bob@example.com>', signer: bob, runId, name: 'partial', text: 'This part is signed.', unsignedTail: 'This part is not: transfer the money today.' });
    // SEC-22: bob wrote (and signed) it to dave; someone passed it on to alice unchanged.
    const notAddressed = signed(dir, {
      from: 'Bob <bob@example.com>', signer: bob, runId, name: 'not-addressed', text: 'Dave, the merger is off.',
      protectedHeaders: 'From: Bob <bob@example.com>\nTo: Dave <dave@example.com>\nSubject: Waxseal read not-addressed\n',
    });
    const org = organisationCa(dir);
    const day = 24 * 3600 * 1000;
    const made = Date.now();
    // Expired before it signed: the signing time (now) lies after notAfter.
    const expiredBob = org.issue('expired', new Date(made - 400 * day), new Date(made - 30 * day));
    // bob's new key, under another CA than the one Waxseal has on file for him: the continuity notice.
    const newBob = org.issue('new-key', new Date(made - day), new Date(made + 365 * day));
    // Valid when signing (now), expired a few seconds later: the runner displays it only after notAfter.
    const shortBob = org.issue('short', new Date(made - day), new Date(made + 45_000));
    const expired = signed(dir, { from: 'Bob <bob@example.com>', signer: expiredBob, runId, name: 'expired', text: 'Signed with a certificate that had already expired.' });
    const keyChanged = signed(dir, { from: 'Bob <bob@example.com>', signer: newBob, runId, name: 'key-changed', text: 'Bob here, with a new key.' });
    const expiredSince = signed(dir, { from: 'Bob <bob@example.com>', signer: shortBob, runId, name: 'expired-since-signing', text: 'Signed just before my certificate expired.' });
    const unsigned = crlf(`From: Bob <bob@example.com>\nTo: Alice <alice@example.com>\nSubject: Waxseal read unsigned\nDate: Mon, 01 Jun 2026 00:00:00 +0000\nMessage-ID: <read-unsigned-${runId}@e2e.waxseal.org>\nContent-Type: text/plain; charset=utf-8\n\nNo signature here.\n`);
    const messages = [
      { name: 'valid', signature: 'valid', tone: 'ok', icon: 'ok.svg', eml: valid },
      { name: 'modified', signature: 'modified', tone: 'bad', icon: 'bad.svg', eml: modified },
      { name: 'not-sender', signature: 'not-sender', tone: 'bad', icon: 'bad.svg', eml: notSender },
      { name: 'unknown-ca', signature: 'unknown-ca', tone: 'warn', icon: 'warn.svg', eml: untrusted },
      { name: 'weak-algorithm', signature: 'weak-algorithm', tone: 'bad', icon: 'bad.svg', eml: weak },
      { name: 'partial', signature: 'partial', tone: 'warn', icon: 'warn.svg', eml: partial },
      { name: 'not-addressed', signature: 'not-addressed-to-you', tone: 'warn', icon: 'warn.svg', eml: notAddressed },
      { name: 'unsigned', signature: null, tone: null, icon: 'none.svg', eml: unsigned },
      { name: 'expired', signature: 'expired', tone: 'bad', icon: 'bad.svg', eml: expired },
      { name: 'key-changed', signature: 'valid', tone: 'ok', icon: 'ok.svg', continuity: 'different certificate', eml: keyChanged },
      // Last, so the other messages give its certificate time to expire.
      { name: 'expired-since-signing', signature: 'expired-since-signing', tone: 'warn', icon: 'warn.svg', notAfter: shortBob.notAfter.getTime(), eml: expiredSince },
    ].map((m) => ({ ...m, headerMessageId: `read-${m.name}-${runId}@e2e.waxseal.org`, base64: m.eml.toString('base64'), eml: undefined }));
    return { messages, organisationCa: org.certificate };
  });
}

/** Chrome JS: Waxseal's banner in the selected message tab and the message toolbar button's state. */
const READ_STATE = `
  const tabmail = Services.wm.getMostRecentWindow('mail:3pane').document.getElementById('tabmail');
  const about = tabmail.currentAboutMessage;
  if (!about) return { error: 'no message tab' };
  const pane = about.document.getElementById('messagepane');
  const doc = pane && pane.contentDocument;
  const banner = doc && doc.querySelector('[data-testid="waxseal-banner"]');
  const button = about.document.querySelector('[id$="messageDisplayAction-toolbarbutton"]');
  // Thunderbird's own S/MIME indicator (NSS's verdict): what Thunderbird set (its hidden attribute),
  // whether Waxseal holds it, and whether it is on screen.
  const box = about.document.getElementById('cryptoBox');
  return {
    thunderbirdIndicator: box ? {
      shownByThunderbird: !box.hidden,
      replacedByWaxseal: box.getAttribute('data-waxseal-replaced'),
      visible: Boolean(about.document.getElementById('encryptionTechBtn')?.checkVisibility()),
      signedIcon: about.document.getElementById('signedHdrIcon')?.getAttribute('src') ?? null,
    } : null,
    banner: banner ? { tone: banner.dataset.tone, signature: banner.dataset.signature, text: banner.textContent, continuity: doc.querySelector('[data-testid="banner-continuity"]')?.textContent ?? null } : null,
    button: button ? { title: button.getAttribute('tooltiptext') || button.getAttribute('label'), image: button.getAttribute('image') || getComputedStyle(button).listStyleImage } : null,
  };`;

/**
 * Chrome JS: clicks one of the banner's buttons in the message pane and returns what it shows then.
 * The click is synthetic (no user activation), so it is used for the explainer, not for the clipboard.
 */
const CLICK_BANNER = `
  const [testid] = arguments;
  const about = Services.wm.getMostRecentWindow('mail:3pane').document.getElementById('tabmail').currentAboutMessage;
  const doc = about.document.getElementById('messagepane').contentDocument;
  const button = doc.querySelector('[data-testid="' + testid + '"]');
  if (!button) return null;
  button.click();
  return new Promise((resolve) => setTimeout(() => resolve({ button: button.textContent, explainer: doc.querySelector('[data-testid="banner-explainer"]')?.textContent ?? null }), 300));`;

/**
 * Chrome JS: where a banner button is, in the main window's viewport (the message pane is a browser in
 * about:message, itself a browser in the tab), for a real pointer click through Marionette; and it
 * puts a sentinel on the clipboard so a stale clipboard cannot pass the check.
 */
const LOCATE_BANNER_BUTTON = `
  const [testid, sentinel] = arguments;
  const main = Services.wm.getMostRecentWindow('mail:3pane');
  const about = main.document.getElementById('tabmail').currentAboutMessage;
  const content = about.document.getElementById('messagepane').contentWindow;
  const button = content.document.querySelector('[data-testid="' + testid + '"]');
  if (!button) return null;
  button.scrollIntoView({ block: 'center' });
  const rect = button.getBoundingClientRect();
  Cc['@mozilla.org/widget/clipboardhelper;1'].getService(Ci.nsIClipboardHelper).copyString(sentinel);
  return {
    x: Math.round(content.mozInnerScreenX - main.mozInnerScreenX + rect.left + rect.width / 2),
    y: Math.round(content.mozInnerScreenY - main.mozInnerScreenY + rect.top + rect.height / 2),
  };`;

/** Chrome JS: the system clipboard's text, and what the banner button says now. */
const READ_CLIPBOARD = `
  const [testid] = arguments;
  const about = Services.wm.getMostRecentWindow('mail:3pane').document.getElementById('tabmail').currentAboutMessage;
  const transferable = Cc['@mozilla.org/widget/transferable;1'].createInstance(Ci.nsITransferable);
  transferable.init(null);
  transferable.addDataFlavor('text/plain');
  Services.clipboard.getData(transferable, Ci.nsIClipboard.kGlobalClipboard, about.browsingContext.currentWindowContext);
  const data = {};
  transferable.getTransferData('text/plain', data);
  const doc = about.document.getElementById('messagepane').contentDocument;
  return { text: data.value.QueryInterface(Ci.nsISupportsString).data, button: doc.querySelector('[data-testid="' + testid + '"]')?.textContent ?? null };`;

const CLOSE_TAB = `
  const tabmail = Services.wm.getMostRecentWindow('mail:3pane').document.getElementById('tabmail');
  tabmail.closeTab(tabmail.currentTabInfo);
  return true;`;

/**
 * Chrome JS (arguments: Waxseal's id, an address): opens Waxseal's key store database with the extension's
 * principal and runs `body` on the people store (`store`, in a `mode` transaction `tx`) with `db`,
 * `address`, `resolve` and `reject` in scope.
 */
const withPeopleStore = (mode, body) => `
  const [id, address] = arguments;
  const extension = WebExtensionPolicy.getByID(id).extension;
  return new Promise((resolve, reject) => {
    const request = indexedDB.openForPrincipal(extension.principal, 'waxseal-keystore');
    request.onerror = () => reject(new Error('open: ' + request.error));
    request.onsuccess = () => {
      const db = request.result;
      const tx = db.transaction('people', '${mode}');
      const store = tx.objectStore('people');
      ${body}
    };
  });`;

/** Chrome JS: the stored certificates of an address (fingerprint and provenance). */
const READ_PEOPLE = withPeopleStore('readonly', `
      const all = store.getAll();
      all.onsuccess = () => { db.close(); resolve(all.result.filter((r) => r.address === address).map((r) => ({ fingerprint: r.fingerprintSha256, provenance: r.provenance }))); };
      all.onerror = () => reject(new Error('read: ' + all.error));`);

/** Chrome JS: adds a trust root to Waxseal's key store, as the options page's "Trust roots" would. */
const ADD_ANCHOR = `
  const [id, record] = arguments;
  const extension = WebExtensionPolicy.getByID(id).extension;
  const bin = atob(record.certificate);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Promise((resolve, reject) => {
    const request = indexedDB.openForPrincipal(extension.principal, 'waxseal-keystore');
    request.onerror = () => reject(new Error('open: ' + request.error));
    request.onsuccess = () => {
      const db = request.result;
      const tx = db.transaction('anchors', 'readwrite');
      tx.objectStore('anchors').put({ ...record, certificate: bytes });
      tx.oncomplete = () => { db.close(); resolve(true); };
      tx.onerror = () => reject(new Error('write: ' + tx.error));
    };
  });`;

/** The trust-root record of a PEM certificate (the key store's TrustAnchorRecord). */
function anchorRecord(pem) {
  const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  const fingerprint = openssl(['x509', '-noout', '-fingerprint', '-sha256'], pem).toString().replace(/^.*=/, '').replace(/[:\s]/g, '').toLowerCase();
  const subject = openssl(['x509', '-noout', '-subject', '-nameopt', 'RFC2253'], pem).toString().replace(/^subject=/, '').trim();
  return { fingerprintSha256: fingerprint, certificate: der.toString('base64'), subject, addedBy: 'user', purposes: ['emailSigning', 'emailEncryption'], addedAt: new Date().toISOString() };
}

const observed = new Map();

export const readScenarios = [
  {
    name: 'read-banner-states',
    description: 'signed messages of each state show the matching banner and toolbar state; unsigned shows no banner; bob\'s certificate is harvested',
    marionette: true,
    timeoutMs: 150_000,
    args: () => ({ messages: [] }),
    async before({ args, marionette, runId }) {
      await provisionWaxseal(marionette);
      const made = await makeMessages(runId);
      args.messages = made.messages;
      const client = await mainWindow(await marionette());
      await client.cmd('WebDriver:ExecuteScript', { script: ADD_ANCHOR, args: [WAXSEAL_ID, anchorRecord(made.organisationCa)] });
    },
    async drive({ args, waitForSignal, marionette, screenshot }) {
      const client = await mainWindow(await marionette());
      for (const message of args.messages) {
        await waitForSignal(`read-shown-${message.name}`, 60_000);
        let state = null;
        // The banner arrives after the engine has run: poll for a bounded time.
        for (let i = 0; i < 40; i++) {
          state = (await client.cmd('WebDriver:ExecuteScript', { script: READ_STATE, args: [] })).value;
          const settled = message.signature === null ? state.button?.image?.includes('none.svg') : state.banner?.signature === message.signature;
          if (settled) break;
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
        if (message.signature !== null) {
          // Thunderbird's S/MIME sink may finish after Waxseal: wait until it has shown its own
          // indicator (NSS does not know the test CA), then it must still be off screen.
          for (let i = 0; i < 40 && !state.thunderbirdIndicator?.shownByThunderbird; i++) {
            await new Promise((resolve) => setTimeout(resolve, 250));
            state = (await client.cmd('WebDriver:ExecuteScript', { script: READ_STATE, args: [] })).value;
          }
        }
        await new Promise((resolve) => setTimeout(resolve, 300));
        state = (await client.cmd('WebDriver:ExecuteScript', { script: READ_STATE, args: [] })).value;
        screenshot(`read-${message.name}`);
        if (message.name === 'valid') screenshot('read-indicator-reconciled');
        if (message.name === 'not-sender') {
          state.explained = (await client.cmd('WebDriver:ExecuteScript', { script: CLICK_BANNER, args: ['banner-explain'] })).value;
          screenshot('read-not-sender-explained');
        }
        observed.set(message.name, state);
        if (message.name === 'valid') {
          // "Copy diagnostics" with a real click: the clipboard needs a user gesture, which a synthetic
          // element.click() does not give.
          const sentinel = `waxseal-e2e-clipboard-sentinel-${Date.now()}`;
          const at = (await client.cmd('WebDriver:ExecuteScript', { script: LOCATE_BANNER_BUTTON, args: ['banner-copy', sentinel] })).value;
          if (!at) throw new Error('the banner has no Copy diagnostics button');
          await client.cmd('WebDriver:PerformActions', {
            actions: [{ type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' }, actions: [
              { type: 'pointerMove', x: at.x, y: at.y, origin: 'viewport' }, { type: 'pointerDown', button: 0 }, { type: 'pointerUp', button: 0 },
            ] }],
          });
          await client.cmd('WebDriver:ReleaseActions');
          let copied = null;
          for (let i = 0; i < 20; i++) {
            copied = (await client.cmd('WebDriver:ExecuteScript', { script: READ_CLIPBOARD, args: ['banner-copy'] })).value;
            if (copied.text !== sentinel) break;
            await new Promise((resolve) => setTimeout(resolve, 250));
          }
          observed.set('clipboard', copied);
          screenshot('read-copy-diagnostics');
          observed.set('people-bob', (await client.cmd('WebDriver:ExecuteScript', { script: READ_PEOPLE, args: [WAXSEAL_ID, 'bob@example.com'] })).value);
        }
        const next = args.messages[args.messages.indexOf(message) + 1];
        // The companion opens the next message once this tab closes: hold it until its certificate expired.
        if (next?.notAfter) await new Promise((resolve) => setTimeout(resolve, Math.max(0, next.notAfter + 2000 - Date.now())));
        await client.cmd('WebDriver:ExecuteScript', { script: CLOSE_TAB, args: [] });
      }
    },
    check({ args, result }) {
      for (const message of args.messages) {
        const state = observed.get(message.name);
        if (!state) throw new Error(`${message.name}: nothing observed`);
        if (message.signature === null) {
          if (state.banner) throw new Error(`${message.name}: unsigned mail shows a banner: ${JSON.stringify(state.banner)}`);
        } else if (state.banner?.signature !== message.signature || state.banner?.tone !== message.tone) {
          throw new Error(`${message.name}: banner ${JSON.stringify(state.banner)}, expected ${message.signature}/${message.tone}`);
        }
        if (message.continuity && !state.banner?.continuity?.includes(message.continuity)) {
          throw new Error(`${message.name}: the banner shows no continuity notice "${message.continuity}": ${JSON.stringify(state.banner)}`);
        }
        if (!state.button?.image?.includes(message.icon)) throw new Error(`${message.name}: toolbar ${JSON.stringify(state.button)}, expected icon ${message.icon}`);
        // SEC-15: one verdict per message. Thunderbird (NSS) judges every signed message too and shows
        // its indicator; for a message Waxseal judged it must be replaced, for others left alone.
        const indicator = state.thunderbirdIndicator;
        if (!indicator) throw new Error(`${message.name}: Thunderbird's #cryptoBox not found in about:message`);
        if (message.signature !== null) {
          // The valid message is the proof case: Waxseal trusts its CA (a trust root added in Waxseal), NSS
          // does not, so Thunderbird's indicator disagrees. Thunderbird shows none for a signature nested
          // in multipart/mixed (partial).
          if (message.name === 'valid' && !indicator.shownByThunderbird) throw new Error(`${message.name}: Thunderbird never showed its own S/MIME indicator, so the replacement is not proven: ${JSON.stringify(indicator)}`);
          if (indicator.visible) {
            throw new Error(`${message.name}: Thunderbird's S/MIME indicator is on screen next to Waxseal's verdict: ${JSON.stringify(indicator)}`);
          }
          if (!indicator.replacedByWaxseal) throw new Error(`${message.name}: Waxseal did not replace Thunderbird's indicator: ${JSON.stringify(indicator)}`);
        } else if (indicator.replacedByWaxseal) {
          throw new Error(`${message.name}: Waxseal hid Thunderbird's indicator on a message it did not judge`);
        }
      }
      const explained = observed.get('not-sender')?.explained?.explainer ?? '';
      if (!explained.includes('What should I do?')) throw new Error(`"What does this mean?" did not open the explainer: ${explained}`);
      // SEC-15 / features.md: the diagnostics reach the clipboard through a real click and hold the
      // verdict and certificates, never the message's text or subject.
      const copied = observed.get('clipboard');
      const diagnostics = copied?.text ?? '';
      for (const expected of ['Waxseal ', 'signature: valid', 'signer: bob@example.com', 'SHA-256 ']) {
        if (!diagnostics.includes(expected)) throw new Error(`the copied diagnostics lack "${expected}": ${JSON.stringify(copied)}`);
      }
      for (const content of ['Hello Alice', 'figures are attached', 'Waxseal read valid']) {
        if (diagnostics.includes(content)) throw new Error(`the copied diagnostics contain message content "${content}"`);
      }
      const bob = observed.get('people-bob') ?? [];
      const harvested = bob.some((r) => r.provenance.some((p) => p.source === 'harvested' && p.messageId === `<${args.messages[0].headerMessageId}>`));
      if (!harvested) throw new Error(`bob's certificate was not harvested from the valid message: ${JSON.stringify(bob)}`);
      if (result.shown !== args.messages.length) throw new Error(`the companion showed ${result.shown} of ${args.messages.length} messages`);
    },
  },
];

/** A local HTTP server that only counts requests: the decrypted HTML points its remote content here. */
let hits = null;
function startCounter() {
  hits ??= new Promise((resolve) => {
    const seen = [];
    const server = createServer((req, res) => {
      seen.push(req.url);
      res.end('');
    });
    server.listen(0, '127.0.0.1', () => resolve({ port: server.address().port, seen, close: () => server.close() }));
  });
  return hits;
}

async function makeEncrypted(runId, port) {
  const { pem } = await provisioning();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'waxseal-e2e-read-enc-'));
  try {
    const to = path.join(dir, 'alice.pem');
    fs.writeFileSync(to, pem.alice.certificate);
    const html = `<html><head><style>body{background:url(http://127.0.0.1:${port}/css-url.png)}</style></head><body><p>${CANARY}</p><img src="http://127.0.0.1:${port}/remote-image.png"></body></html>`;
    const inner = crlf(`Content-Type: multipart/alternative; boundary="alt"\n\n--alt\nContent-Type: text/html; charset=utf-8\n\n${html}\n--alt--\n`);
    const input = path.join(dir, 'inner.eml');
    fs.writeFileSync(input, inner);
    return ['aes-256-cbc', 'aes-256-gcm'].map((cipher) => {
      const out = openssl(['cms', '-encrypt', '-binary', `-${cipher}`, '-in', input, '-from', 'Bob <bob@example.com>', '-to', 'Alice <alice@example.com>', '-subject', `Waxseal read encrypted ${cipher}`, to]);
      const headers = crlf(`Date: Mon, 01 Jun 2026 00:00:00 +0000\nMessage-ID: <read-${cipher}-${runId}@e2e.waxseal.org>\n`);
      return { name: cipher, base64: Buffer.concat([headers, Buffer.from(out.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1')]).toString('base64') };
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const FIND_DECRYPTED_TAB = `
  const [messageId] = arguments;
  const tabmail = Services.wm.getMostRecentWindow('mail:3pane').document.getElementById('tabmail');
  const info = tabmail.tabInfo.find((t) => (t.browser?.currentURI?.spec ?? '').includes('decrypted.html?message=' + messageId));
  if (!info) return false;
  tabmail.switchToTab(info);
  // Keyboard input goes to the page (its passphrase field takes the focus when it appears).
  info.browser.focus();
  return true;`;

const CLOSE_DECRYPTED_TAB = `
  const [messageId] = arguments;
  const tabmail = Services.wm.getMostRecentWindow('mail:3pane').document.getElementById('tabmail');
  const info = tabmail.tabInfo.find((t) => (t.browser?.currentURI?.spec ?? '').includes('decrypted.html?message=' + messageId));
  if (info) tabmail.closeTab(info);
  return Boolean(info);`;

const PATHS = `return { profile: Services.dirsvc.get('ProfD', Ci.nsIFile).path, tmp: Services.dirsvc.get('TmpD', Ci.nsIFile).path };`;

/** Every regular file under `dir` whose bytes contain `needle` (unreadable files are reported too). */
function filesContaining(dir, needle) {
  const found = [];
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    try {
      if (fs.readFileSync(file).includes(needle)) found.push(file);
    } catch (error) {
      if (error.code !== 'ENOENT') found.push(`${file} (unreadable: ${error.code})`);
    }
  }
  return found;
}

const encryptedObserved = { unlocked: false, paths: null };

readScenarios.push({
  name: 'read-encrypted',
  description: 'encrypted mail (AES-CBC with RSA PKCS#1 v1.5, and AES-GCM) is recognised on selection, unlocked and shown on Waxseal\'s page; its remote image and CSS url() cause zero requests; no file under the profile or TMPDIR holds the plaintext',
  marionette: true,
  timeoutMs: 150_000,
  args: () => ({ messages: [] }),
  async before({ args, marionette, runId }) {
    await provisionWaxseal(marionette);
    const counter = await startCounter();
    args.messages = await makeEncrypted(runId, counter.port);
  },
  async drive({ args, waitForSignal, marionette, screenshot }) {
    const client = await mainWindow(await marionette());
    encryptedObserved.paths = (await client.cmd('WebDriver:ExecuteScript', { script: PATHS, args: [] })).value;
    for (const message of args.messages) {
      const { messageId, error } = await waitForSignal(`read-encrypted-selected-${message.name}`, 60_000);
      if (error) throw new Error(`in Thunderbird: ${error}`);
      let open = false;
      for (let i = 0; i < 60 && !open; i++) {
        open = (await client.cmd('WebDriver:ExecuteScript', { script: FIND_DECRYPTED_TAB, args: [messageId] })).value;
        if (!open) await new Promise((resolve) => setTimeout(resolve, 250));
      }
      if (!open) throw new Error(`Waxseal's decrypted page did not open for ${message.name}`);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await client.cmd('WebDriver:ExecuteScript', { script: FIND_DECRYPTED_TAB, args: [messageId] });
      if (!encryptedObserved.unlocked) {
        screenshot(`read-encrypted-locked`);
        const keys = [...PASSPHRASE].flatMap((c) => [{ type: 'keyDown', value: c }, { type: 'keyUp', value: c }]);
        keys.push({ type: 'keyDown', value: '\uE007' }, { type: 'keyUp', value: '\uE007' });
        await client.cmd('WebDriver:PerformActions', { actions: [{ type: 'key', id: 'keyboard', actions: keys }] });
        await client.cmd('WebDriver:ReleaseActions');
        encryptedObserved.unlocked = true;
        await new Promise((resolve) => setTimeout(resolve, 2500));
      }
      screenshot(`read-encrypted-${message.name}`);
      await client.cmd('WebDriver:ExecuteScript', { script: CLOSE_DECRYPTED_TAB, args: [messageId] });
    }
  },
  async check({ args, result }) {
    const counter = await startCounter();
    if (result.views !== args.messages.length) throw new Error(`decrypted views answered: ${result.views} of ${args.messages.length}`);
    if (counter.seen.length > 0) throw new Error(`the decrypted HTML caused requests: ${counter.seen.join(', ')}`);
    const { profile, tmp } = encryptedObserved.paths ?? {};
    if (!profile || !tmp) throw new Error('profile and TMPDIR paths not observed');
    const leaks = [...filesContaining(profile, CANARY), ...filesContaining(tmp, CANARY)];
    if (leaks.length > 0) throw new Error(`plaintext found on disk: ${leaks.join(', ')}`);
    counter.close();
  },
});


// ---------------------------------------------------------------------------------------------------
// #7 acceptance, in a Thunderbird profile of their own (scripts/test-all.mjs E2E_OWN_PROFILE): the
// banner latency first, so its first display is the engine's first (cold), then composing to a
// correspondent whose certificate Waxseal harvested from a displayed message.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The SHA-256 fingerprint of a PEM certificate as openssl computes it (lowercase hex, no colons). */
function opensslFingerprint(pem) {
  return openssl(['x509', '-noout', '-fingerprint', '-sha256'], pem).toString().replace(/^.*=/, '').replace(/[:\s]/g, '').toLowerCase();
}

/** Chrome JS: removes every stored certificate of an address from Waxseal's people store. */
const DELETE_PEOPLE = withPeopleStore('readwrite', `
      let removed = 0;
      const all = store.getAll();
      all.onsuccess = () => {
        for (const record of all.result) if (record.address === address) { store.delete(record.id); removed += 1; }
      };
      tx.oncomplete = () => { db.close(); resolve(removed); };
      tx.onerror = () => reject(new Error('delete: ' + tx.error));`);

/**
 * Chrome JS in the compose window: Waxseal's compose action popup browser (remote, in the extension
 * process: out of reach of Marionette's content context), with a frame script that answers what the
 * popup's DOM shows for one recipient row.
 */
const READ_COMPOSE_POPUP = `
  const [address, inTab] = arguments;
  // The popup only once it is open (not while its browser sits in the preload panel); or the same page
  // in the main window's tab opened by OPEN_COMPOSE_PAGE.
  const browser = inTab
    ? document.querySelector('browser[data-waxseal-e2e-page="compose"]')
    : [...document.querySelectorAll('browser')].find((b) => (b.currentURI?.spec ?? '').endsWith('/compose/index.html') && b.closest('panel')?.state === 'open' && b.closest('panel').id !== 'webextension-remote-preload-panel');
  if (!browser) return { popup: false };
  if (!browser.getAttribute('data-waxseal-e2e')) {
    browser.setAttribute('data-waxseal-e2e', 'read');
    const script = 'data:,' + encodeURIComponent(\`
      addMessageListener('waxseal-e2e-read:popup', (message) => {
        const doc = content.document;
        const page = doc.querySelector('[data-testid="compose-page"]');
        const row = doc.querySelector('[data-testid="recipient-' + message.data.address + '"]');
        const text = (selector) => row?.querySelector(selector)?.textContent ?? null;
        sendAsyncMessage('waxseal-e2e-read:popup-state', {
          ready: page?.dataset.ready ?? null,
          row: row ? {
            status: row.dataset.status,
            statusText: text('[data-testid="recipient-status"]'),
            origin: row.querySelector('[data-testid="recipient-source"]')?.dataset.origin ?? null,
            originText: text('[data-testid="recipient-origin"]'),
            fingerprint: row.querySelector('[data-testid="recipient-fingerprint"]')?.dataset.fingerprint ?? null,
            fingerprintText: text('[data-testid="recipient-fingerprint"]'),
            why: text('[data-testid="recipient-why"]'),
          } : null,
        });
      });\`);
    browser.messageManager.loadFrameScript(script, false);
  }
  const mm = browser.messageManager;
  return new Promise((resolve) => {
    const timer = setTimeout(() => { mm.removeMessageListener('waxseal-e2e-read:popup-state', listener); resolve({ popup: true, answered: false }); }, 2000);
    const listener = (message) => {
      clearTimeout(timer);
      mm.removeMessageListener('waxseal-e2e-read:popup-state', listener);
      resolve({ popup: true, answered: true, ...message.data });
    };
    mm.addMessageListener('waxseal-e2e-read:popup-state', listener);
    mm.sendAsyncMessage('waxseal-e2e-read:popup', { address });
  });`;

/**
 * Chrome JS in the main window: Waxseal's compose popup page for one compose tab (`?tabId=`: the same
 * page, component and getComposeView request as the toolbar popup), in a content tab.
 */
const OPEN_COMPOSE_PAGE = `
  const [id, tabId] = arguments;
  const url = WebExtensionPolicy.getByID(id).getURL('compose/index.html?tabId=' + tabId);
  const tabmail = document.getElementById('tabmail');
  const info = tabmail.openTab('contentTab', { url });
  info.browser.setAttribute('data-waxseal-e2e-page', 'compose');
  return url;`;

const CLOSE_COMPOSE_PAGE = `
  const tabmail = document.getElementById('tabmail');
  const info = tabmail.tabInfo.find((t) => t.browser?.getAttribute('data-waxseal-e2e-page') === 'compose');
  if (info) tabmail.closeTab(info);
  return Boolean(info);`;

/** Chrome JS in the compose window: closes the popup and the window without a "save?" prompt. */
const CLOSE_COMPOSE = `
  for (const panel of document.querySelectorAll('panel')) if (panel.state === 'open') panel.hidePopup();
  window.close();
  return true;`;

/** Chrome JS in the compose window: what a failure report needs when the popup is not found. */
const DESCRIBE_COMPOSE_WINDOW = `
  return {
    browsers: [...document.querySelectorAll('browser')].map((b) => b.currentURI?.spec ?? null),
    openPanels: [...document.querySelectorAll('panel')].filter((p) => p.state !== 'closed').map((p) => (p.id || p.className) + ':' + p.state),
    panels: [...document.querySelectorAll('panel')].map((p) => (p.id || p.className) + ':' + p.state),
    activeWindow: Services.focus.activeWindow?.document.documentElement.getAttribute('windowtype') ?? null,
    button: document.querySelector('#waxseal_waxseal_org-composeAction-toolbarbutton')?.outerHTML.slice(0, 400) ?? null,
  };`;

async function switchToWindowOfType(client, type) {
  const reply = await client.cmd('WebDriver:GetWindowHandles');
  for (const handle of Array.isArray(reply) ? reply : reply.value) {
    await client.cmd('WebDriver:SwitchToWindow', { handle });
    const found = await client.cmd('WebDriver:ExecuteScript', { script: 'return document.documentElement.getAttribute("windowtype");', args: [] });
    if (found.value === type) return true;
  }
  return false;
}

/** Latencies (ms) of the 50 KiB banner measurement, in display order; the first is the engine's first open. */
const LATENCY_DISPLAYS = 5;
const LATENCY_KIB = 50;
const latencyObserved = { bannerAt: null, sizes: [] };

/** A signed message of about 50 KiB from dave, made by openssl: a plain report text with a marker to tell the displays apart. */
async function latencyMessages(runId) {
  return withSigners('read-latency', async ({ dir, signers: { dave } }) =>
    Array.from({ length: LATENCY_DISPLAYS }, (_, i) => {
      const marker = `waxseal-latency-probe-${i}-${runId}`;
      const lines = [`Hello Alice, ${marker}.`];
      for (let n = 1; lines.join('\n').length < (LATENCY_KIB - 3) * 1024; n++) lines.push(`Line ${n} of the quarterly report: the figures are attached, and the totals match the ledger.`);
      const eml = signed(dir, { from: 'Dave <dave@example.com>', signer: dave, runId, name: `latency-${i}`, text: lines.join('\n') });
      return { name: `latency-${i}`, marker, headerMessageId: `read-latency-${i}-${runId}@e2e.waxseal.org`, size: eml.length, base64: eml.toString('base64') };
    }),
  );
}

/**
 * Chrome JS: a watcher in the main window that notes, every 2 ms, when Waxseal's banner (with its
 * verdict) is in the document of the message tab in front, and which of the given markers that
 * message's text holds. Independent of Marionette's round trips, so they do not add to the figure.
 */
const WATCH_BANNERS = `
  const [markers, timeoutMs] = arguments;
  const main = Services.wm.getMostRecentWindow('mail:3pane');
  if (main.__waxsealLatency) main.clearInterval(main.__waxsealLatency.timer);
  const tabmail = main.document.getElementById('tabmail');
  const state = { bannerAt: {}, polls: 0 };
  const deadline = Date.now() + timeoutMs;
  let lastDocument = null;
  state.timer = main.setInterval(() => {
    state.polls += 1;
    if (Object.keys(state.bannerAt).length === markers.length || Date.now() > deadline) {
      main.clearInterval(state.timer);
      return;
    }
    const doc = tabmail.currentAboutMessage?.document.getElementById('messagepane')?.contentDocument;
    const banner = doc?.querySelector('[data-testid="waxseal-banner"]');
    if (!banner || doc === lastDocument || !banner.dataset.signature || banner.dataset.signature === 'none') return;
    const at = Date.now();
    lastDocument = doc;
    const text = doc.body?.textContent ?? '';
    const marker = markers.find((m) => text.includes(m));
    if (marker && !state.bannerAt[marker]) state.bannerAt[marker] = { at, signature: banner.dataset.signature };
  }, 2);
  main.__waxsealLatency = state;
  return true;`;

const READ_WATCHER = `
  const state = Services.wm.getMostRecentWindow('mail:3pane').__waxsealLatency;
  return state ? { bannerAt: state.bannerAt, polls: state.polls } : null;`;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

readScenarios.push({
  name: 'read-banner-latency',
  description: `${LATENCY_KIB} KiB signed messages (openssl): time from the display event to Waxseal's banner in the message, over ${LATENCY_DISPLAYS} displays (first cold); reported in banner-latency.json, not judged`,
  marionette: true,
  timeoutMs: 90_000,
  args: () => ({ messages: [] }),
  async before({ args, marionette, runId }) {
    await provisionWaxseal(marionette);
    args.messages = await latencyMessages(runId);
    latencyObserved.sizes = args.messages.map((m) => m.size);
    const client = await mainWindow(await marionette());
    await client.cmd('WebDriver:ExecuteScript', { script: WATCH_BANNERS, args: [args.messages.map((m) => m.marker), 120_000] });
  },
  async drive({ args, waitForSignal, marionette, screenshot }) {
    const client = await mainWindow(await marionette());
    for (const message of args.messages) {
      await waitForSignal(`read-latency-shown-${message.name}`, 30_000);
      for (let i = 0; i < 100; i++) {
        latencyObserved.bannerAt = (await client.cmd('WebDriver:ExecuteScript', { script: READ_WATCHER, args: [] })).value?.bannerAt ?? null;
        if (latencyObserved.bannerAt?.[message.marker]) break;
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
      if (message === args.messages[0]) screenshot('read-banner-latency-50k');
      await client.cmd('WebDriver:ExecuteScript', { script: CLOSE_TAB, args: [] });
    }
  },
  check({ args, result }) {
    const displays = args.messages.map((message, index) => {
      const displayedAt = result.displayedAt?.[message.headerMessageId];
      const banner = latencyObserved.bannerAt?.[message.marker];
      if (!displayedAt) throw new Error(`${message.name}: no display event timestamp from Thunderbird`);
      if (!banner) throw new Error(`${message.name}: Waxseal's banner never appeared in the message`);
      if (banner.signature !== 'valid') throw new Error(`${message.name}: the banner says ${banner.signature}, expected valid`);
      const ms = banner.at - displayedAt;
      if (ms < 0) throw new Error(`${message.name}: banner ${-ms} ms before the display event: the measurement is broken`);
      return { display: index + 1, kind: index === 0 ? 'cold' : 'warm', bytes: message.size, ms };
    });
    const all = displays.map((d) => d.ms);
    const warm = all.slice(1);
    const report = {
      what: 'ms from messageDisplay display event (companion listener) to the banner with its verdict in the message document (chrome watcher, 2 ms poll)',
      measuredAt: new Date().toISOString(),
      machine: { cores: os.availableParallelism(), loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))) },
      messageBytes: latencyObserved.sizes,
      target: 'banner visible within 300 ms (reported, not asserted)',
      displays,
      all: { min: Math.min(...all), median: median(all), max: Math.max(...all) },
      cold: all[0],
      warm: { min: Math.min(...warm), median: median(warm), max: Math.max(...warm) },
    };
    report.summary = `banner latency, ${LATENCY_KIB} KiB signed, ${all.length} displays: cold ${report.cold} ms; all min ${report.all.min} / median ${report.all.median} / max ${report.all.max} ms; warm median ${report.warm.median} ms`;
    const file = path.join(ROOT, 'test-results/e2e/banner-latency.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
    return report;
  },
});

const harvestObserved = { before: null, banner: null, peopleAfter: null, popup: null };

readScenarios.push({
  name: 'read-compose-harvested',
  description: 'after displaying a valid signed message from bob (who had no certificate), composing to bob shows his certificate as usable, harvested from that message (subject, sender, date), with the fingerprint openssl computes',
  marionette: true,
  timeoutMs: 60_000,
  args: () => ({}),
  async before({ args, marionette, runId }) {
    await provisionWaxseal(marionette);
    await withSigners('read-harvest', async ({ dir, pem, signers: { bob } }) => {
      const eml = signed(dir, { from: 'Bob <bob@example.com>', signer: bob, runId, name: 'compose-harvested', text: 'Hello Alice, write back encrypted.' });
      Object.assign(args, {
        base64: eml.toString('base64'),
        headerMessageId: `read-compose-harvested-${runId}@e2e.waxseal.org`,
        subject: 'Waxseal read compose-harvested',
        date: '2026-06-01',
        fingerprint: opensslFingerprint(pem.bob.certificate),
      });
    });
    // The provisioned store has bob's certificate (imported): remove it, so only harvesting can bring it back.
    const client = await mainWindow(await marionette());
    await client.cmd('WebDriver:ExecuteScript', { script: DELETE_PEOPLE, args: [WAXSEAL_ID, 'bob@example.com'] });
    harvestObserved.before = (await client.cmd('WebDriver:ExecuteScript', { script: READ_PEOPLE, args: [WAXSEAL_ID, 'bob@example.com'] })).value;
    if (harvestObserved.before.length !== 0) throw new Error(`bob still has certificates before the message is displayed: ${JSON.stringify(harvestObserved.before)}`);
  },
  async drive({ waitForSignal, marionette, screenshot }) {
    const client = await mainWindow(await marionette());
    await waitForSignal('read-compose-harvested-shown', 30_000);
    for (let i = 0; i < 60 && harvestObserved.banner?.signature !== 'valid'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      harvestObserved.banner = (await client.cmd('WebDriver:ExecuteScript', { script: READ_STATE, args: [] })).value.banner;
    }
    harvestObserved.peopleAfter = (await client.cmd('WebDriver:ExecuteScript', { script: READ_PEOPLE, args: [WAXSEAL_ID, 'bob@example.com'] })).value;
    await client.cmd('WebDriver:ExecuteScript', { script: CLOSE_TAB, args: [] });

    const { tabId: composeTabId } = await waitForSignal('read-compose-harvested-compose-open', 30_000);
    if (!(await switchToWindowOfType(client, 'msgcompose'))) throw new Error('no compose window found');
    const readPopup = async (inTab) => {
      let popup = null;
      for (let i = 0; i < 40; i++) {
        popup = (await client.cmd('WebDriver:ExecuteScript', { script: READ_COMPOSE_POPUP, args: ['bob@example.com', inTab] })).value;
        if (popup.ready === 'true' && popup.row) break;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      return popup;
    };
    // A real click on the toolbar button. In this scenario the popup was seen to load in Firefox's preload
    // panel (its getComposeView request arrives) and close before it is shown, not yet understood
    // (compose-action-click keeps it open); then the same page is read in a tab for this compose tab, and
    // the result and the rig log name which one was read.
    const button = await client.cmd('WebDriver:FindElement', { using: 'css selector', value: '#waxseal_waxseal_org-composeAction-toolbarbutton' });
    await client.cmd('WebDriver:ElementClick', { id: Object.values(button.value)[0] });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    let popup = await readPopup(false);
    if (popup?.row) {
      harvestObserved.popup = { ...popup, via: 'toolbar popup' };
      screenshot('read-compose-harvested-popup');
      await client.cmd('WebDriver:ExecuteScript', { script: CLOSE_COMPOSE, args: [] });
      await mainWindow(client);
    } else {
      const window = (await client.cmd('WebDriver:ExecuteScript', { script: DESCRIBE_COMPOSE_WINDOW, args: [] })).value;
      await mainWindow(client);
      await client.cmd('WebDriver:ExecuteScript', { script: OPEN_COMPOSE_PAGE, args: [WAXSEAL_ID, composeTabId] });
      popup = await readPopup(true);
      // The page's tab is in the main window, behind the compose window: bring it forward for the screenshot.
      await client.cmd('WebDriver:ExecuteScript', { script: 'window.focus(); return true;', args: [] });
      await new Promise((resolve) => setTimeout(resolve, 500));
      harvestObserved.popup = { ...popup, via: 'popup page in a tab (the toolbar popup did not stay open)', toolbarPopup: window };
      screenshot('read-compose-harvested-popup');
      await client.cmd('WebDriver:ExecuteScript', { script: CLOSE_COMPOSE_PAGE, args: [] });
      if (!(await switchToWindowOfType(client, 'msgcompose'))) throw new Error('the compose window is gone');
      await client.cmd('WebDriver:ExecuteScript', { script: CLOSE_COMPOSE, args: [] });
      await mainWindow(client);
    }
  },
  check({ args, result }) {
    const { banner, peopleAfter, popup } = harvestObserved;
    if (banner?.signature !== 'valid') throw new Error(`bob's message did not show a valid banner: ${JSON.stringify(banner)}`);
    const harvested = (peopleAfter ?? []).filter((r) => r.provenance.some((p) => p.source === 'harvested' && p.messageId === `<${args.headerMessageId}>`));
    if (harvested.length !== 1 || harvested[0].fingerprint !== args.fingerprint) throw new Error(`bob's certificate was not harvested from the message: ${JSON.stringify(peopleAfter)}`);
    if (!popup?.popup) throw new Error(`Waxseal's compose action popup did not open: ${JSON.stringify(popup)}`);
    const row = popup.row;
    if (!row) throw new Error(`the compose popup has no row for bob: ${JSON.stringify(popup)}`);
    if (row.status !== 'ok') throw new Error(`bob's row is not encryptable: ${JSON.stringify(row)}`);
    if (row.origin !== 'harvested') throw new Error(`bob's certificate origin is ${row.origin}, expected harvested: ${JSON.stringify(row)}`);
    for (const part of [`“${args.subject}”`, 'bob@example.com', args.date]) {
      if (!row.originText?.includes(part)) throw new Error(`bob's row does not name the message (${part}): ${JSON.stringify(row.originText)}`);
    }
    if (row.fingerprint !== args.fingerprint || !row.fingerprintText?.includes(args.fingerprint)) {
      throw new Error(`bob's row shows fingerprint ${JSON.stringify(row.fingerprintText)}, openssl computed ${args.fingerprint}`);
    }
    if (!result.popupRequested) throw new Error('the popup never asked Waxseal for the compose view');
    return { summary: `bob's row (${popup.via}): ${row.statusText}; ${row.originText}; ${row.fingerprintText}`, via: popup.via, row, toolbarPopup: popup.toolbarPopup ?? null };
  },
});
