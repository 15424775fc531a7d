// Acceptance of issue #6 from the other side: Thunderbird's own, built-in S/MIME (NSS) reads what
// Waxseal sent. After the compose scenarios left a signed and a signed+encrypted message from alice
// to bob at the SMTP sink, a SECOND Thunderbird starts on its own Xvfb with a plain profile (no
// Waxseal) whose NSS database trusts the test root for email and holds bob's key (pk12util). The
// runner copies the sink's exact bytes into a Local Folders folder, displays each message in the
// 3-pane, and reads the status Thunderbird's msgHdrViewSMIMEOverlay.js sets in about:message
// (gSignatureStatus/gEncryptionStatus and the #signedHdrIcon/#encryptedHdrIcon the user sees).
// Runs entirely runner-side; the companion half only acknowledges.
// TEST KEYS — NOT SECRET (generated per run by test/helpers/keystore-provisioning.ts).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectMarionette, withTimeout } from '../lib/marionette-client.mjs';
import { screenshot, startThunderbird, startXvfb, stopAll } from '../lib/processes.mjs';
import { writeProfile } from '../lib/profile.mjs';
import { provisioning } from './compose-provision.mjs';

const INSTALL = 'apt-get install -y openssl libnss3-tools';
const BODY_CANARY = 'waxseal-e2e-canary-body';
const READER_TIMEOUT_MS = 60_000;
const OK = 0; // nsICMSMessageErrors.SUCCESS, as msgHdrViewSMIMEOverlay.js compares it

function must(name, args) {
  const result = spawnSync(name, args, { maxBuffer: 16 * 1024 * 1024, timeout: 30_000 });
  if (result.error?.code === 'ENOENT') throw new Error(`${name} is not installed; install it with: ${INSTALL}`);
  if (result.status !== 0) throw new Error(`${name} ${args.join(' ')} failed (${result.status}): ${String(result.stderr)}`);
  return result.stdout;
}

/** The received message whose Subject starts with `prefix` followed by the send timestamp. */
function received(sink, prefix) {
  const pattern = new RegExp(`^Subject: ${prefix.replace(/[+.]/g, '\\$&')} \\d+\\r$`, 'm');
  const found = sink.messages.filter((m) => pattern.test(m.bytes.toString('latin1').split('\r\n\r\n')[0]));
  if (found.length !== 1) throw new Error(`expected one "${prefix}" message at the SMTP sink, found ${found.length}; run the compose scenarios first`);
  return found[0].bytes;
}

/** A profile without Waxseal, identity bob, and an NSS database with the test root (email trust) and bob's key. */
async function readerProfile(dir) {
  const { pem } = await provisioning();
  const profile = writeProfile(path.join(dir, 'profile'), {
    smtpPort: 9,
    marionette: true,
    extraPrefs: {
      'mail.identity.id1.fullName': 'Bob Test',
      'mail.identity.id1.useremail': 'bob@example.com',
    },
  });
  const file = (name, text) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, text);
    return p;
  };
  const db = `sql:${profile}`;
  must('certutil', ['-N', '-d', db, '--empty-password']);
  // ",C,": trusted to issue email certificates only (NSS trust flags: SSL, email, object signing).
  must('certutil', ['-A', '-d', db, '-n', 'waxseal-test-root', '-t', ',C,', '-i', file('root.pem', pem.root)]);
  must('certutil', ['-A', '-d', db, '-n', 'waxseal-test-email-ca', '-t', ',,', '-i', file('ca.pem', pem.emailCa)]);
  const p12 = path.join(dir, 'bob.p12');
  must('openssl', ['pkcs12', '-export', '-in', file('bob.pem', pem.bob.certificate), '-inkey', file('bob.key', pem.bob.key), '-out', p12, '-passout', 'pass:test']);
  must('pk12util', ['-i', p12, '-d', db, '-W', 'test', '-K', '']);
  const keys = must('certutil', ['-K', '-d', db]).toString();
  if (!/bob|rsa/i.test(keys)) throw new Error(`bob's key is not in the reader's NSS database:\n${keys}`);
  return profile;
}

/** Copies message files into a fresh Local Folders folder; resolves with their Message-IDs there. */
const IMPORT = `
  const [files] = arguments;
  return (async () => {
  const { MailServices } = ChromeUtils.importESModule('resource:///modules/MailServices.sys.mjs');
  const root = MailServices.accounts.localFoldersServer.rootFolder;
  const name = 'waxseal-sent';
  if (!root.getChildNamed(name)) root.createSubfolder(name, null);
  const folder = root.getChildNamed(name);
  for (const p of files) {
    const file = Cc['@mozilla.org/file/local;1'].createInstance(Ci.nsIFile);
    file.initWithPath(p);
    await new Promise((resolve, reject) => MailServices.copy.copyFileMessage(file, folder, null, false, 0, '', {
      QueryInterface: ChromeUtils.generateQI(['nsIMsgCopyServiceListener']),
      onStartCopy() {}, onProgress() {}, setMessageKey() {}, getMessageId() { return null; },
      onStopCopy(status) { if (Components.isSuccessCode(status)) resolve(); else reject(new Error('copyFileMessage failed: 0x' + status.toString(16))); },
    }, null));
  }
  return [...folder.messages].map((h) => h.messageId);
  })();`;

const DISPLAY = `
  const [messageId] = arguments;
  const { MailServices } = ChromeUtils.importESModule('resource:///modules/MailServices.sys.mjs');
  const { MailUtils } = ChromeUtils.importESModule('resource:///modules/MailUtils.sys.mjs');
  const folder = MailServices.accounts.localFoldersServer.rootFolder.getChildNamed('waxseal-sent');
  const header = [...folder.messages].find((h) => h.messageId === messageId);
  if (!header) throw new Error('message ' + messageId + ' not in the folder');
  MailUtils.displayMessageInFolderTab(header);
  return true;`;

/** What Thunderbird's S/MIME overlay shows for the displayed message, or null while it is not shown yet. */
const READ_STATUS = `
  const [messageId] = arguments;
  const win = Services.wm.getMostRecentWindow('mail:3pane');
  const about = win?.document.getElementById('tabmail')?.currentAboutMessage;
  if (!about || about.gMessage?.messageId !== messageId) return null;
  const doc = about.document;
  const icon = (id) => { const el = doc.getElementById(id); return el && !el.hidden ? el.getAttribute('src') : null; };
  const body = about.getMessagePaneBrowser?.()?.contentDocument?.body?.textContent ?? '';
  return {
    signature: about.gSignatureStatus,
    encryption: about.gEncryptionStatus,
    tech: doc.getElementById('cryptoBox')?.getAttribute('tech') ?? null,
    signedIcon: icon('signedHdrIcon'),
    encryptedIcon: icon('encryptedHdrIcon'),
    body,
  };`;

async function poll(probe, ms, what) {
  const deadline = Date.now() + ms;
  let last;
  for (;;) {
    last = await probe();
    if (last.done) return last.value;
    if (Date.now() > deadline) throw new Error(`timeout after ${ms} ms: ${what}; last seen ${JSON.stringify(last.value)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function readInSecondThunderbird({ sink, out }) {
  const signed = received(sink, 'Waxseal e2e signed');
  const encrypted = received(sink, 'Waxseal e2e signed+encrypted');
  const idOf = (bytes) => /^Message-ID: <([^>\r\n]+)>\r$/im.exec(bytes.toString('latin1').split('\r\n\r\n')[0])?.[1];
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'waxseal-e2e-reader-'));
  const children = [];
  let client = null;
  try {
    const profile = await readerProfile(work);
    const files = [['signed', signed], ['encrypted', encrypted]].map(([name, bytes]) => {
      const p = path.join(work, `${name}.eml`);
      fs.writeFileSync(p, bytes);
      return p;
    });
    const display = await startXvfb(children);
    const proc = startThunderbird(children, { profile, display, tmpDir: path.join(work, 'tmp'), logFile: path.join(out, 'thunderbird-reader.log'), marionette: true });
    const exited = new Promise((_, reject) => proc.once('exit', (code) => reject(new Error(`the reader Thunderbird exited early (code ${code}); see thunderbird-reader.log`))));
    exited.catch(() => {});
    const portFile = path.join(profile, 'MarionetteActivePort');
    await Promise.race([poll(() => ({ done: fs.existsSync(portFile) }), 30_000, 'reader MarionetteActivePort'), exited]);
    client = await connectMarionette(Number(fs.readFileSync(portFile, 'utf8')));
    await client.cmd('WebDriver:NewSession', { capabilities: { alwaysMatch: {} } });
    await client.cmd('Marionette:SetContext', { value: 'chrome' });
    const run = async (script, args = []) => (await Promise.race([client.cmd('WebDriver:ExecuteScript', { script, args }), exited])).value;
    await poll(async () => ({ done: await run(`const w = Services.wm.getMostRecentWindow('mail:3pane'); return w?.document.readyState === 'complete' && w.document.getElementById('tabmail')?.currentAbout3Pane?.document.readyState === 'complete';`) }), 30_000, 'reader 3-pane window');
    const imported = await run(IMPORT, [files]);
    const ids = [idOf(signed), idOf(encrypted)];
    for (const id of ids) if (!id || !imported.includes(id)) throw new Error(`message ${id} not imported (folder holds ${JSON.stringify(imported)})`);

    const show = async (id, settled, name) => {
      await run(DISPLAY, [id]);
      const status = await poll(async () => {
        const value = await run(READ_STATUS, [id]);
        return { done: value !== null && settled(value), value };
      }, 20_000, `Thunderbird's S/MIME status for ${name}`);
      // The X server paints after the DOM settles: wait, then judge and photograph what is on screen now.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const shown = await run(READ_STATUS, [id]);
      screenshot(display, path.join(out, `tb-reads-${name}.png`));
      console.log(`[tb-reads-waxseal] ${name}: ${JSON.stringify({ ...shown, body: shown?.body.trim().slice(0, 80) })}`);
      return shown ?? status;
    };
    // Settled once the overlay has reported (status -1 means "not yet / none") and, on success, the
    // body rendered; a failed status settles at once so check() reports it.
    const signedStatus = await show(ids[0], (s) => s.signature !== -1 && (s.signature !== OK || s.body.includes(BODY_CANARY)), 'signed');
    const encryptedStatus = await show(ids[1], (s) => s.encryption !== -1 && (s.encryption !== OK || (s.signature !== -1 && s.body.includes(BODY_CANARY))), 'signed-encrypted');
    return { signedStatus, encryptedStatus };
  } finally {
    if (client) {
      await withTimeout(client.cmd('WebDriver:DeleteSession').catch(() => {}), 5_000, 'delete session').catch(() => {});
      client.close();
    }
    await stopAll(children);
    fs.rmSync(work, { recursive: true, force: true });
  }
}

export const tbReadsScenarios = [
  {
    name: 'tb-reads-waxseal',
    description: 'Thunderbird\'s built-in S/MIME, in a second profile holding bob\'s key (pk12util), shows Waxseal\'s signed message as signed and its signed+encrypted message as encrypted, decrypted and signed',
    async check({ sink, out }) {
      if (!out) throw new Error('the runner passed no output directory to check()');
      const { signedStatus: s, encryptedStatus: e } = await withTimeout(readInSecondThunderbird({ sink, out }), READER_TIMEOUT_MS, 'reading in the second Thunderbird');
      const fail = (what, status) => new Error(`${what}: ${JSON.stringify({ ...status, body: status.body.slice(0, 200) })}`);
      if (s.tech !== 'S/MIME' || s.signature !== OK || !/message-signed-ok\.svg$/.test(s.signedIcon ?? '')) throw fail('the signed message is not shown as validly signed', s);
      if (s.encryption !== -1 || s.encryptedIcon) throw fail('the signed-only message is shown as encrypted', s);
      if (e.tech !== 'S/MIME' || e.encryption !== OK || !/message-encrypted-ok\.svg$/.test(e.encryptedIcon ?? '')) throw fail('the encrypted message is not shown as decrypted', e);
      if (e.signature !== OK || !/message-signed-ok\.svg$/.test(e.signedIcon ?? '')) throw fail('the signed+encrypted message is not shown as validly signed', e);
      if (!e.body.includes(BODY_CANARY) || !s.body.includes(BODY_CANARY)) throw new Error('the displayed bodies lack the sent text');
    },
  },
];
