// The demo content of `npm start` (issue #2): a newcomer sees Waxseal working within a minute.
//   - the key store: alice@example.com (the user) with her key under a demo passphrase, bob's
//     certificate, and the demo PKI's root as a user trust anchor — the same real record format the
//     e2e rig provisions (test/helpers/keystore-provisioning.ts, made now, valid 2025–2035);
//   - a "Waxseal demo" folder in Local Folders (an mbox file written into the profile before the first
//     start) with three messages made by openssl, not by Waxseal: a valid signed mail from bob, a mail
//     encrypted to alice, and a signed mail whose text was changed after signing.
// DEMO KEYS AND PASSPHRASE — TEST KEYS, NOT SECRET.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { provisioning, writeKeystoreRecords } from '../../test/e2e/scenarios/compose-provision.mjs';

export const DEMO_FOLDER = 'Waxseal demo';
export const WAXSEAL_ID = 'waxseal@waxseal.org';
/** The line the tampered sample changes after bob signed it. */
export const SIGNED_LINE = 'Let us meet on Tuesday at 10:00 in room 3.';
export const TAMPERED_LINE = 'Let us meet on Tuesday at 11:00 in room 3.';
export const ENCRYPTED_LINE = 'The door code for Tuesday is 4711. Only you can read this.';

function openssl(args, input) {
  try {
    return execFileSync('openssl', args, { input, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (error) {
    if (error.code === 'ENOENT') throw new Error('openssl is missing: apt-get install -y openssl libnss3-tools');
    throw new Error(`openssl ${args[0]} failed: ${error.stderr?.toString() ?? error.message}`);
  }
}

const crlf = (text) => text.replace(/\r?\n/g, '\r\n');

function headers({ subject, id, date }) {
  return [
    'From: Bob Test <bob@example.com>',
    'To: Alice Test <alice@example.com>',
    `Subject: ${subject}`,
    `Date: ${date}`,
    `Message-ID: <${id}@demo.waxseal.org>`,
  ].join('\r\n') + '\r\n';
}

function textPart(lines) {
  return Buffer.from(['Content-Type: text/plain; charset=UTF-8', 'Content-Transfer-Encoding: 7bit', '', ...lines, ''].join('\r\n'));
}

/**
 * Makes the demo's certificates, key store records and sample messages in `dir` (PEM files for the
 * curious and the openssl calls). Returns what the profile and the key store need.
 */
export async function prepareDemo(dir) {
  fs.mkdirSync(dir, { recursive: true });
  const provisioned = await provisioning();
  const file = (name, text) => {
    const target = path.join(dir, name);
    fs.writeFileSync(target, text);
    return target;
  };
  const rootPem = file('demo-root.pem', provisioned.pem.root);
  const caPem = file('demo-email-ca.pem', provisioned.pem.emailCa);
  const bobCert = file('bob.pem', provisioned.pem.bob.certificate);
  const bobKey = file('bob.key', provisioned.pem.bob.key);
  const aliceCert = file('alice.pem', provisioned.pem.alice.certificate);

  // RFC 8551 §3.5 multipart/signed, signed by bob's key; -binary keeps our CRLF text byte for byte.
  const signedBody = textPart(['Hi Alice,', '', SIGNED_LINE, 'This message is signed: Waxseal shows who sent it and that nobody changed it.', '', 'Bob']);
  const signed = crlf(openssl(['cms', '-sign', '-binary', '-signer', bobCert, '-inkey', bobKey, '-certfile', caPem, '-md', 'sha256'], signedBody).toString('latin1'));
  const tampered = signed.replace(SIGNED_LINE, TAMPERED_LINE);
  if (tampered === signed) throw new Error('the signed sample does not contain the line to tamper with');
  // RFC 8551 §3.3 enveloped-data to alice's certificate, AES-256-CBC.
  const encryptedBody = textPart(['Hi Alice,', '', ENCRYPTED_LINE, '', 'Bob']);
  const encrypted = crlf(openssl(['cms', '-encrypt', '-aes256', '-recip', aliceCert], encryptedBody).toString('latin1'));

  const messages = [
    { name: 'signed', subject: 'Demo: signed by Bob (valid)', bytes: Buffer.from(headers({ subject: 'Demo: signed by Bob (valid)', id: 'demo-signed', date: 'Mon, 01 Jun 2026 09:00:00 +0000' }) + signed, 'latin1') },
    { name: 'encrypted', subject: 'Demo: encrypted to Alice', bytes: Buffer.from(headers({ subject: 'Demo: encrypted to Alice', id: 'demo-encrypted', date: 'Mon, 01 Jun 2026 09:05:00 +0000' }) + encrypted, 'latin1') },
    { name: 'tampered', subject: 'Demo: signed by Bob, changed afterwards', bytes: Buffer.from(headers({ subject: 'Demo: signed by Bob, changed afterwards', id: 'demo-tampered', date: 'Mon, 01 Jun 2026 09:10:00 +0000' }) + tampered, 'latin1') },
  ];
  for (const message of messages) file(`${message.name}.eml`, message.bytes);
  return { dir, passphrase: provisioned.passphrase, stores: provisioned.stores, messages, files: { rootPem, caPem, aliceCert, bobCert }, pem: provisioned.pem };
}

/**
 * An mbox (one "From " separator line per message, RFC 4155) holding the messages; no body line starts
 * with "From " (base64 and our texts), so nothing needs ">From" quoting.
 */
export function toMbox(messages) {
  const parts = [];
  for (const message of messages) {
    const text = message.bytes.toString('latin1');
    if (/^From /m.test(text)) throw new Error(`${message.name}: a line starts with "From "`);
    parts.push(Buffer.from('From - Mon Jun  1 00:00:00 2026\r\n', 'latin1'), message.bytes, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

/** Writes the demo folder into a profile's Local Folders before Thunderbird first starts (it finds the file then). */
export function writeDemoFolder(profileDir, messages) {
  const local = path.join(profileDir, 'Mail', 'Local Folders');
  fs.mkdirSync(local, { recursive: true });
  const target = path.join(local, DEMO_FOLDER);
  fs.writeFileSync(target, toMbox(messages));
  return target;
}

/** Prefs for writeProfile: Local Folders stored as mbox files, so the demo folder file is read. */
export const DEMO_PREFS = { 'mail.server.server1.storeContractID': '@mozilla.org/msgstore/berkeleystore;1' };

/** Writes the demo key store records into Waxseal's database in the running Thunderbird (the rig's writer). */
export { writeKeystoreRecords as provisionDemoKeystore };

const SHOW_FOLDER = `
  const [name] = arguments;
  const win = Services.wm.getMostRecentWindow('mail:3pane');
  const root = MailServices.accounts.localFoldersServer.rootFolder;
  const folder = root.containsChildNamed(name) ? root.getChildNamed(name) : null;
  if (!folder || !win) return null;
  win.gTabmail.currentAbout3Pane.displayFolder(folder.URI);
  return folder.getTotalMessages(false);`;

/**
 * Opens the demo folder in Thunderbird's main window (Marionette's chrome context) and answers how
 * many messages Thunderbird found in it, or null when it did not find the folder (bounded wait).
 */
export async function showDemoFolder(client, { timeoutMs = 20_000 } = {}) {
  await client.cmd('Marionette:SetContext', { value: 'chrome' });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const shown = await client.cmd('WebDriver:ExecuteScript', { script: SHOW_FOLDER, args: [DEMO_FOLDER] }).catch(() => ({ value: null }));
    if (typeof shown.value === 'number' && shown.value > 0) return shown.value;
    if (Date.now() > deadline) return shown.value ?? null;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** What the console tells the newcomer. */
export function instructions(demo) {
  return [
    '',
    '── Waxseal demo ─────────────────────────────────────────────────────────',
    `  You are alice@example.com. Waxseal's key store holds Alice's key, Bob's certificate and the`,
    `  demo root as a trusted root. Demo passphrase (test key, not secret): ${demo.passphrase}`,
    `  Open Local Folders › ${DEMO_FOLDER}:`,
    '    • "Demo: signed by Bob (valid)"            — Waxseal shows a valid signature from bob@example.com',
    '    • "Demo: encrypted to Alice"               — unlock with the passphrase above to read it',
    '    • "Demo: signed by Bob, changed afterwards" — Waxseal warns: the text was changed after signing',
    '  Add-ons › Waxseal › Options shows your identity, people and trust roots; writing to',
    '  bob@example.com lets you sign and encrypt (sent mail lands in the local sink).',
    `  Demo files (PEM certificates, the .eml samples): ${demo.dir}`,
    '─────────────────────────────────────────────────────────────────────────',
    '',
  ].join('\n');
}
