// What Waxseal sends, checked by NSS (the library Thunderbird itself uses for S/MIME): cmsutil
// verifies the detached signature of the multipart/signed against the trusted test root, and
// decrypts the application/pkcs7-mime with the recipient's key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../src/crypto/index.js';
import { protectEntity, type ProtectMaterial } from '../../src/background/send/protect-entity.js';
import { crypto } from '../helpers/encryption.js';
import { createTestPki, TEST_NOW, type TestIdentity, type TestPki } from '../helpers/pki.js';
import { createNssDb, pem, scratch, tool } from './pkcs12-tools.js';

const CANARY = 'nss-canary-0b5e';
const ENTITY = new TextEncoder().encode(`Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nHello, ${CANARY} =C3=BC.\r\n`);

let pki: TestPki;
let work: ReturnType<typeof scratch>;
let db: string;

function importKey(who: TestIdentity, name: string): void {
  const p12 = work.file(`${name}.p12`);
  tool('openssl', ['pkcs12', '-export', '-in', work.file(`${name}.pem`, pem(who.certificate, 'CERTIFICATE')), '-inkey', work.file(`${name}.key`, pem(who.pkcs8, 'PRIVATE KEY')), '-out', p12, '-passout', 'pass:test']);
  tool('pk12util', ['-i', p12, '-d', db, '-W', 'test', '-K', '']);
}

beforeAll(async () => {
  pki = await createTestPki(crypto);
  work = scratch();
  db = createNssDb(work.dir);
  tool('certutil', ['-A', '-d', db, '-n', 'root', '-t', 'CT,C,C', '-i', work.file('root.pem', pem(pki.root.certificate, 'CERTIFICATE'))]);
  importKey(pki.users.bob.rsa, 'bob');
});
afterAll(() => work?.cleanup());

function material(): ProtectMaterial {
  const alice = pki.users.alice.rsa;
  return { signer: { certificate: alice.certificate, privateKey: alice.privateKey, chain: [pki.emailCa.certificate] }, self: { certificate: alice.certificate }, recipients: [{ certificate: pki.users.bob.rsa.certificate }] };
}

/** Splits multipart/signed into the exact signed part and the DER signature. */
function splitSigned(entity: Uint8Array): { content: Buffer; signature: Buffer } {
  const bytes = Buffer.from(entity);
  const text = bytes.toString('latin1');
  const boundary = /boundary="([^"]+)"/.exec(text)![1]!;
  const start = text.indexOf(`--${boundary}\r\n`) + boundary.length + 4;
  const end = text.indexOf(`\r\n--${boundary}`, start);
  const signaturePart = text.slice(end + boundary.length + 6, text.indexOf(`\r\n--${boundary}--`));
  const body = signaturePart.slice(signaturePart.indexOf('\r\n\r\n') + 4);
  return { content: bytes.subarray(start, end), signature: Buffer.from(body.replace(/\s+/g, ''), 'base64') };
}

function encryptedDer(entity: Uint8Array): Buffer {
  const text = Buffer.from(entity).toString('latin1');
  return Buffer.from(text.slice(text.indexOf('\r\n\r\n') + 4).replace(/\s+/g, ''), 'base64');
}

describe('NSS cmsutil reads what Waxseal sends', () => {
  it('verifies the detached signature against the trusted root, and rejects a changed byte', async () => {
    const signed = await protectEntity(ENTITY, { sign: true, encrypt: false }, material(), { crypto, policy: DEFAULT_POLICY, signingTime: TEST_NOW });
    const { content, signature } = splitSigned(signed);
    const sig = work.file('sig.der', signature);
    const good = tool('cmsutil', ['-D', '-i', sig, '-c', work.file('content', content), '-d', db, '-u', '4', '-o', '/dev/null'], { allowFailure: true });
    expect(good.stderr).toBe('');
    expect(good.status).toBe(0);
    const changed = Buffer.from(content);
    changed[changed.indexOf(CANARY)] ^= 1;
    const bad = tool('cmsutil', ['-D', '-i', sig, '-c', work.file('changed', changed), '-d', db, '-u', '4', '-o', '/dev/null'], { allowFailure: true });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('DigestMismatch');
  });

  it('decrypts signed-then-encrypted output with the recipient\'s key', async () => {
    const out = await protectEntity(ENTITY, { sign: true, encrypt: true }, material(), { crypto, policy: DEFAULT_POLICY, signingTime: TEST_NOW });
    const decrypted = tool('cmsutil', ['-D', '-i', work.file('enc.der', encryptedDer(out)), '-d', db, '-p', '']);
    const inner = decrypted.stdout.toString('latin1');
    expect(inner).toMatch(/^Content-Type: multipart\/signed;/);
    expect(inner).toContain(CANARY);
  });
});
