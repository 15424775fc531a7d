// Send scenarios (issue #6) in the real Thunderbird, judged on the bytes the SMTP sink received (and
// the Sent/Outbox copies), with OpenSSL and NSS cmsutil against the test CA. The Thunderbird half is
// in companion/compose-scenarios.js. One Thunderbird start runs them all, in this order: provision,
// then sends that rely on the unlocked key from the first signed send.
// TEST KEYS — NOT SECRET.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { answerUnlockWindow, findWaxsealWindow, provisioning, provisionWaxseal, setComposeDefaults } from './compose-provision.mjs';

const INSTALL = 'apt-get install -y openssl libnss3-tools';
const BODY_CANARY = 'waxseal-e2e-canary-body';
const ATTACHMENT_TEXT = 'waxseal-e2e-canary-attachment\n'.repeat(40);

function tool(name, args, input) {
  const result = spawnSync(name, args, { input, maxBuffer: 64 * 1024 * 1024 });
  if (result.error?.code === 'ENOENT') throw new Error(`${name} is not installed; install it with: ${INSTALL}`);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr.toString() };
}

let material = null;
/** PEM files, and an NSS database trusting the test root with alice's and bob's keys. */
async function pki() {
  material ??= (async () => {
    const { pem } = await provisioning();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'waxseal-e2e-pki-'));
    const file = (name, text) => {
      const p = path.join(dir, name);
      fs.writeFileSync(p, text);
      return p;
    };
    const files = { root: file('root.pem', pem.root), ca: file('ca.pem', pem.emailCa) };
    for (const who of ['alice', 'bob', 'dave']) {
      files[`${who}Cert`] = file(`${who}.pem`, pem[who].certificate);
      files[`${who}Key`] = file(`${who}.key`, pem[who].key);
    }
    const nss = path.join(dir, 'nss');
    fs.mkdirSync(nss);
    const must = (r, what) => {
      if (r.status !== 0) throw new Error(`${what}: ${r.stderr}`);
    };
    must(tool('certutil', ['-N', '-d', `sql:${nss}`, '--empty-password']), 'certutil -N');
    must(tool('certutil', ['-A', '-d', `sql:${nss}`, '-n', 'waxseal-test-root', '-t', 'CT,C,C', '-i', files.root]), 'certutil -A root');
    must(tool('certutil', ['-A', '-d', `sql:${nss}`, '-n', 'waxseal-test-email-ca', '-t', ',,', '-i', files.ca]), 'certutil -A ca');
    for (const who of ['alice', 'bob']) {
      const p12 = path.join(dir, `${who}.p12`);
      must(tool('openssl', ['pkcs12', '-export', '-in', files[`${who}Cert`], '-inkey', files[`${who}Key`], '-out', p12, '-passout', 'pass:test']), `openssl pkcs12 ${who}`);
      must(tool('pk12util', ['-i', p12, '-d', `sql:${nss}`, '-W', 'test', '-K', '']), `pk12util ${who}`);
    }
    return { dir, files, nss };
  })();
  return material;
}

function write(dir, name, bytes) {
  const p = path.join(dir, `${name}-${process.hrtime.bigint()}`);
  fs.writeFileSync(p, bytes);
  return p;
}

/** `openssl cms -verify` against the test root. Returns the signed content. */
async function opensslVerify(message) {
  const { dir, files } = await pki();
  const r = tool('openssl', ['cms', '-verify', '-in', write(dir, 'signed.eml', message), '-CAfile', files.root, '-purpose', 'smimesign']);
  if (r.status !== 0 || !r.stderr.includes('Verification successful')) throw new Error(`openssl cms -verify failed: ${r.stderr}`);
  return r.stdout;
}

async function opensslDecrypt(message, who) {
  const { dir, files } = await pki();
  const r = tool('openssl', ['cms', '-decrypt', '-in', write(dir, 'enc.eml', message), '-recip', files[`${who}Cert`], '-inkey', files[`${who}Key`]]);
  if (r.status !== 0) throw new Error(`openssl cms -decrypt as ${who} failed: ${r.stderr}`);
  return r.stdout;
}

/** Splits a message at its header/body boundary. */
function splitMessage(bytes) {
  const at = bytes.indexOf('\r\n\r\n');
  return { head: bytes.subarray(0, at).toString('latin1'), body: bytes.subarray(at + 4) };
}

function base64Body(bytes) {
  return Buffer.from(splitMessage(bytes).body.toString('latin1').replace(/\s+/g, ''), 'base64');
}

/** NSS: verifies the detached signature of a multipart/signed over its exact first part. */
async function cmsutilVerify(message) {
  const { dir, nss } = await pki();
  const text = message.toString('latin1');
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(text)?.[1];
  if (!boundary) throw new Error('no multipart/signed boundary');
  const delimiter = `--${boundary}\r\n`;
  const first = text.indexOf(delimiter) + delimiter.length;
  const end = text.indexOf(`\r\n--${boundary}`, first);
  const content = message.subarray(first, end);
  const signaturePart = message.subarray(end + `\r\n--${boundary}\r\n`.length);
  const signature = base64Body(Buffer.from(signaturePart.toString('latin1').split(`\r\n--${boundary}--`)[0], 'latin1'));
  const r = tool('cmsutil', ['-D', '-i', write(dir, 'sig.der', signature), '-c', write(dir, 'content', content), '-d', `sql:${nss}`, '-u', '4', '-v', '-o', '/dev/null']);
  // cmsutil prints nothing on a good, trusted signature and exits 0; otherwise "signer 0 status = …" and 1.
  if (r.status !== 0 || /status = |problem decoding/.test(r.stderr)) throw new Error(`cmsutil verify failed (${r.status}): ${r.stderr.replace(/\s+/g, ' ')}`);
}

/** NSS: decrypts an application/pkcs7-mime message with the keys in the test database. */
async function cmsutilDecrypt(message) {
  const { dir, nss } = await pki();
  const r = tool('cmsutil', ['-D', '-i', write(dir, 'enc.der', base64Body(message)), '-d', `sql:${nss}`, '-p', '']);
  if (r.status !== 0) throw new Error(`cmsutil decrypt failed: ${r.stderr}`);
  return r.stdout;
}

async function waitFor(probe, ms) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function arrived(sink, subject) {
  const message = await waitFor(() => sink.messages.find((m) => m.bytes.includes(`Subject: ${subject}`)), 20_000);
  if (!message) throw new Error(`no message "${subject}" at the SMTP sink (${sink.messages.length} there)`);
  return message;
}

/**
 * Whether `canary` appears in the bytes as text, or inside any base64 block of them (Thunderbird
 * base64-encodes bodies when it forces 7-bit encoding for signing).
 */
function textAppears(bytes, canary) {
  const text = Buffer.from(bytes).toString('latin1');
  if (text.includes(canary)) return true;
  for (const block of text.match(/(?:^[A-Za-z0-9+/=]{4,}\r?$\n?)+/gm) ?? []) {
    if (Buffer.from(block.replace(/\s+/g, ''), 'base64').toString('latin1').includes(canary)) return true;
  }
  return false;
}

function noPlaintext(bytes, what) {
  for (const canary of [BODY_CANARY, 'waxseal-e2e-canary-attachment']) {
    if (textAppears(bytes, canary)) throw new Error(`${what} contains plaintext (${canary}) (SEC-07)`);
  }
}

const send = (name, extra) => ({ subject: `Waxseal e2e ${name} ${Date.now()}`, body: `Hello Bob, ${BODY_CANARY}.`, to: ['Bob Test <bob@example.com>'], mode: 'sendNow', ...extra });

/**
 * Chrome JS, main window: the badge of Waxseal's toolbar button in the compose window with `subject`, and
 * whether any Waxseal page (its popup) is loaded in that window.
 */
const READ_COMPOSE_BUTTON = `
  const [subject] = arguments;
  for (const win of Services.wm.getEnumerator('msgcompose')) {
    if (win.document.getElementById('msgSubject')?.value !== subject) continue;
    const button = win.document.getElementById('waxseal_waxseal_org-composeAction-toolbarbutton');
    const popupLoaded = Array.from(win.document.querySelectorAll('browser')).some((b) => String(b.currentURI?.spec).includes('/compose/index.html'));
    return button ? { badge: button.getAttribute('badge') ?? '', tooltip: button.getAttribute('tooltiptext'), popupLoaded } : { missing: 'button' };
  }
  return { missing: 'compose window' };`;

/** Polls the compose window's Waxseal button until its badge is `badge` (hang bound 15 s); answers what it saw. */
async function buttonBadgeBecomes(marionette, subject, badge) {
  const client = await marionette();
  await client.cmd('Marionette:SetContext', { value: 'chrome' });
  const deadline = Date.now() + 15_000;
  for (;;) {
    const seen = (await client.cmd('WebDriver:ExecuteScript', { script: READ_COMPOSE_BUTTON, args: [subject] })).value;
    if (seen.badge === badge) return seen;
    if (Date.now() > deadline) throw new Error(`Waxseal's compose button did not change to badge "${badge}" without its popup: ${JSON.stringify(seen)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The URL of Waxseal's "not sent" window, found by the refusal scenario's runner step. */
let explanation = null;
/** What the recipients-watched scenario's runner step saw on Waxseal's button. */
const watched = {};

export const composeScenarios = [
  {
    name: 'compose-provision',
    description: 'the test identity, correspondents\' certificates and the test root are provisioned into Waxseal\'s key store inside Thunderbird',
    marionette: true,
    timeoutMs: 60_000,
    async drive({ marionette }) {
      const written = await provisionWaxseal(marionette);
      if (!/identities:1/.test(written)) throw new Error(`provisioning wrote ${written}`);
    },
    check() {},
  },
  {
    name: 'compose-signed',
    description: 'a signed message (passphrase asked once) verifies with openssl cms -verify and NSS cmsutil against the test CA',
    marionette: true,
    timeoutMs: 60_000,
    args: () => send('signed'),
    async before({ marionette }) {
      await setComposeDefaults(marionette, { signByDefault: true, encryptWhenPossible: false, requireEncryption: false });
    },
    async drive({ marionette, waitForSignal, screenshot }) {
      await waitForSignal('sending');
      const { passphrase } = await provisioning();
      await answerUnlockWindow(marionette, passphrase, { beforeTyping: async () => screenshot('compose-unlock-window') });
    },
    async check({ result, sink, args }) {
      if (result.messages !== 1) throw new Error(`compose.sendMessage reported ${JSON.stringify(result)}`);
      const message = await arrived(sink, args.subject);
      const { head } = splitMessage(message.bytes);
      if (!/^Content-Type: multipart\/signed;/m.test(head)) throw new Error(`not multipart/signed:\n${head}`);
      const content = await opensslVerify(message.bytes);
      // SEC-21: the signed payload carries the outer Subject and From (RFC 9788 hp="clear").
      const payloadHead = content.toString('latin1').split('\r\n\r\n')[0];
      if (!payloadHead.includes(`Subject: ${args.subject}`) || !/hp="clear"/.test(payloadHead) || /X-Mozilla|X-Identity-Key|^Fcc:/m.test(payloadHead)) throw new Error(`header protection missing or leaking internals:\n${payloadHead}`);
      if (!textAppears(content, BODY_CANARY)) throw new Error(`the signed content lacks the body:\n${content.toString('latin1').slice(0, 600)}`);
      await cmsutilVerify(message.bytes);
    },
  },
  {
    name: 'compose-encrypted',
    description: 'an encrypted message decrypts with the recipient\'s key in openssl and NSS cmsutil, carries no plaintext, and the Sent copy decrypts with the sender\'s key',
    marionette: true,
    timeoutMs: 60_000,
    args: () => send('encrypted', { readSent: true }),
    async before({ marionette }) {
      await setComposeDefaults(marionette, { signByDefault: false, encryptWhenPossible: true, requireEncryption: false });
    },
    async check({ result, sink, args }) {
      const message = await arrived(sink, args.subject);
      if (!/^Content-Type: application\/pkcs7-mime; smime-type=(auth)?enveloped-data/m.test(splitMessage(message.bytes).head)) throw new Error('not application/pkcs7-mime');
      noPlaintext(message.bytes, 'the SMTP copy');
      if (!textAppears(await opensslDecrypt(message.bytes, 'bob'), BODY_CANARY)) throw new Error('bob\'s decryption lacks the body');
      if (!textAppears(await cmsutilDecrypt(message.bytes), BODY_CANARY)) throw new Error('cmsutil decryption lacks the body');
      if (!result.sentRawBase64) throw new Error(`no Sent copy: ${JSON.stringify(result)}`);
      const sent = Buffer.from(result.sentRawBase64, 'base64');
      noPlaintext(sent, 'the Sent copy');
      if (!textAppears(await opensslDecrypt(sent, 'alice'), BODY_CANARY)) throw new Error('the Sent copy does not decrypt with alice\'s key');
    },
  },
  {
    name: 'compose-signed-encrypted-attachment',
    description: 'an HTML message, signed then encrypted, with an attachment: no plaintext on the wire (SEC-07), decrypts for bob, the inner multipart/signed verifies, the attachment is inside',
    marionette: true,
    timeoutMs: 60_000,
    args: () => send('signed+encrypted', { html: true, attachment: { name: 'data.txt', text: ATTACHMENT_TEXT } }),
    async before({ marionette }) {
      await setComposeDefaults(marionette, { signByDefault: true, encryptWhenPossible: true, requireEncryption: false });
    },
    async check({ sink, args }) {
      const message = await arrived(sink, args.subject);
      noPlaintext(message.bytes, 'the SMTP copy');
      const inner = await opensslDecrypt(message.bytes, 'bob');
      if (!/^Content-Type: multipart\/signed;/.test(inner.toString('latin1'))) throw new Error('the decrypted content is not multipart/signed');
      const content = await opensslVerify(inner);
      if (!content.toString('latin1').includes('data.txt') || !textAppears(content, 'waxseal-e2e-canary-attachment')) throw new Error('the attachment is not inside the signed content');
      await cmsutilVerify(inner);
      if (!(await cmsutilDecrypt(message.bytes)).toString('latin1').startsWith('Content-Type: multipart/signed')) throw new Error('cmsutil decryption differs');
    },
  },
  {
    name: 'compose-send-later',
    description: 'Send Later queues the encrypted form in the Outbox, never plaintext',
    marionette: true,
    args: () => send('send-later', { mode: 'sendLater', readOutbox: true }),
    async before({ marionette }) {
      await setComposeDefaults(marionette, { signByDefault: true, encryptWhenPossible: true, requireEncryption: false });
    },
    async check({ result }) {
      if (!result.outboxRawBase64) throw new Error(`no Outbox copy: ${JSON.stringify(result)}`);
      const queued = Buffer.from(result.outboxRawBase64, 'base64');
      noPlaintext(queued, 'the Outbox copy');
      const inner = await opensslDecrypt(queued, 'bob');
      await opensslVerify(inner);
    },
  },
  {
    name: 'compose-bcc-signed',
    description: 'a signed message with Bcc: the Bcc recipient is in RCPT TO but not in the headers others receive; the signature verifies',
    marionette: true,
    args: () => send('bcc-signed', { bcc: ['dave@example.com'] }),
    async before({ marionette }) {
      await setComposeDefaults(marionette, { signByDefault: true, encryptWhenPossible: false, requireEncryption: false });
    },
    async check({ sink, args }) {
      const message = await arrived(sink, args.subject);
      if (!message.rcptTo.includes('dave@example.com')) throw new Error(`RCPT TO ${message.rcptTo.join(',')}`);
      if (/^Bcc:/im.test(splitMessage(message.bytes).head)) throw new Error('the SMTP copy has a Bcc header');
      await opensslVerify(message.bytes);
    },
  },
  {
    name: 'compose-bcc-encrypted-refused',
    description: 'SEC-49b: an encrypted message with Bcc is refused with an explanation; nothing is sent',
    marionette: true,
    args: () => send('bcc-encrypted', { bcc: ['dave@example.com'], expectRefused: true }),
    async before({ marionette }) {
      await setComposeDefaults(marionette, { signByDefault: false, encryptWhenPossible: true, requireEncryption: false });
    },
    async check({ result, sink, args }) {
      if (result.messages !== 0) throw new Error(`the send was not stopped: ${JSON.stringify(result)}`);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      if (sink.messages.some((m) => m.bytes.includes(`Subject: ${args.subject}`))) throw new Error('the message reached the SMTP sink');
    },
  },
  {
    name: 'compose-missing-certificate-required',
    description: 'encryption required and a recipient without a certificate: nothing is sent and Waxseal explains why (screenshot)',
    marionette: true,
    args: () => send('missing-certificate', { to: ['Bob Test <bob@example.com>', 'carol@example.com'], expectRefused: true }),
    async before({ marionette }) {
      await setComposeDefaults(marionette, { signByDefault: false, encryptWhenPossible: true, requireEncryption: true });
    },
    async drive({ marionette, waitForSignal, screenshot }) {
      await waitForSignal('sending');
      explanation = await findWaxsealWindow(marionette, 'mode=blocked');
      screenshot('compose-missing-certificate-refused');
    },
    async check({ result, sink, args }) {
      if (result.messages !== 0) throw new Error(`the send was not stopped: ${JSON.stringify(result)}`);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      if (sink.messages.some((m) => m.bytes.includes(`Subject: ${args.subject}`))) throw new Error('the message reached the SMTP sink');
      if (!/\/compose\/index\.html\?tabId=\d+&mode=blocked$/.test(explanation ?? '')) throw new Error(`Waxseal showed no explanation window (${explanation})`);
    },
  },
  {
    name: 'compose-recipients-watched',
    description: 'without its popup being opened, Waxseal follows the recipients as they change: encrypt to bob (certificate known), then plain once carol (none) is added',
    marionette: true,
    args: () => ({ subject: `Waxseal e2e recipients-watched ${Date.now()}` }),
    async before({ marionette }) {
      await setComposeDefaults(marionette, { signByDefault: false, encryptWhenPossible: true, requireEncryption: false });
    },
    async drive({ marionette, waitForSignal, release, args, screenshot }) {
      await waitForSignal('watch-open');
      watched.bobOnly = await buttonBadgeBecomes(marionette, args.subject, 'E');
      release('watch-encrypt-seen');
      await waitForSignal('watch-changed');
      watched.withCarol = await buttonBadgeBecomes(marionette, args.subject, '');
      screenshot('compose-recipients-watched');
      release('watch-plain-seen');
    },
    check({ result }) {
      if (!result.changed) throw new Error(`the companion did not change the recipients: ${JSON.stringify(result)}`);
      for (const [step, seen] of Object.entries(watched)) {
        if (seen.popupLoaded) throw new Error(`Waxseal's popup was loaded at step ${step}, so the change was not noticed on its own`);
      }
    },
  },
];
