/**
 * Signed-then-encrypted and encrypted-then-signed messages, both ways with OpenSSL (SEC-04, SEC-16):
 * Waxseal's layered output opens with `openssl cms -decrypt | openssl cms -verify`, and OpenSSL's opens with
 * Waxseal's openMessage in one call.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encryptEntity } from '../../src/crypto/smime/encrypt-message.js';
import { signEntity } from '../../src/crypto/smime/sign-message.js';
import { openMessage } from '../../src/crypto/smime/open-message.js';
import { concatBytes } from '../../src/crypto/bytes.js';
import { DEFAULT_POLICY } from '../../src/crypto/policy.js';
import { createTestPki, TEST_NOW, type TestPki } from '../helpers/pki.js';
import { crypto, openssl, scratchDir, toPemText } from '../helpers/encryption.js';

const BODY = 'Layered interop canary e51b.';
const entity = new TextEncoder().encode(`Content-Type: text/plain; charset=us-ascii\r\n\r\n${BODY}\r\n`);
const HEADERS = new TextEncoder().encode('From: alice@example.com\r\nTo: bob@example.com\r\nSubject: layered\r\nMIME-Version: 1.0\r\n');
let pki: TestPki;
const tmp = scratchDir();
const file = (name: string) => join(tmp.dir, name);

beforeAll(async () => {
  pki = await createTestPki(crypto);
  writeFileSync(file('entity'), entity);
  writeFileSync(file('root.pem'), toPemText(pki.root.certificate, 'CERTIFICATE'));
  writeFileSync(file('alice.pem'), toPemText(pki.users.alice.rsa.certificate, 'CERTIFICATE') + toPemText(pki.emailCa.certificate, 'CERTIFICATE'));
  writeFileSync(file('alice.key'), toPemText(pki.users.alice.rsa.pkcs8, 'PRIVATE KEY'));
  writeFileSync(file('bob.pem'), toPemText(pki.users.bob.rsa.certificate, 'CERTIFICATE'));
  writeFileSync(file('bob.key'), toPemText(pki.users.bob.rsa.pkcs8, 'PRIVATE KEY'));
  writeFileSync(file('ca.pem'), toPemText(pki.emailCa.certificate, 'CERTIFICATE'));
});
afterAll(() => tmp.cleanup());

const signer = () => ({ certificate: pki.users.alice.rsa.certificate, privateKey: pki.users.alice.rsa.privateKey, chain: [pki.emailCa.certificate] });
const encrypt = async (content: Uint8Array) => (await encryptEntity({ entity: content, recipients: [{ certificate: pki.users.bob.rsa.certificate }], self: { certificate: pki.users.alice.rsa.certificate }, crypto })).entity;
/**
 * OpenSSL stamps signing-time with the clock and cannot be told otherwise, so messages it signs are checked at
 * a fixed time after any plausible run (the test certificates are valid until 2035).
 */
const AFTER_OPENSSL_SIGNED = new Date('2034-06-01T00:00:00Z');
const open = (raw: Uint8Array, now = TEST_NOW) =>
  openMessage(raw, { anchors: [pki.root.certificate], now, crypto, policy: DEFAULT_POLICY, identities: [{ certificate: pki.users.bob.rsa.certificate, pkcs8: pki.users.bob.rsa.pkcs8 }] });
const decryptArgs = (input: string) => ['cms', '-decrypt', '-in', input, '-recip', file('bob.pem'), '-inkey', file('bob.key')];
const verifyArgs = (input: string) => ['cms', '-verify', '-in', input, '-CAfile', file('root.pem'), '-purpose', 'smimesign'];

describe('Waxseal → OpenSSL', () => {
  it('signed then encrypted: openssl cms -decrypt | cms -verify gives the entity', async () => {
    writeFileSync(file('w-se.eml'), concatBytes([HEADERS, await encrypt(await signEntity({ entity, signer: signer(), crypto, policy: DEFAULT_POLICY, form: 'detached' }))]));
    writeFileSync(file('w-se.inner'), openssl(decryptArgs(file('w-se.eml'))));
    expect(openssl(verifyArgs(file('w-se.inner'))).toString('latin1')).toContain(BODY);
  });

  it('encrypted then signed: openssl cms -verify | cms -decrypt gives the entity', async () => {
    writeFileSync(file('w-es.eml'), concatBytes([HEADERS, await signEntity({ entity: await encrypt(entity), signer: signer(), crypto, policy: DEFAULT_POLICY, form: 'opaque' })]));
    writeFileSync(file('w-es.inner'), openssl(verifyArgs(file('w-es.eml'))));
    expect(openssl(decryptArgs(file('w-es.inner'))).toString('latin1')).toContain(BODY);
  });
});

describe('OpenSSL → Waxseal openMessage', () => {
  it('signed then encrypted (cms -sign | cms -encrypt): signature valid, CBC authenticated by it', async () => {
    writeFileSync(file('o-s.eml'), openssl(['cms', '-sign', '-in', file('entity'), '-signer', file('alice.pem'), '-inkey', file('alice.key'), '-certfile', file('ca.pem'), '-md', 'sha256']));
    const raw = openssl(['cms', '-encrypt', '-aes-256-cbc', '-in', file('o-s.eml'), '-recip', file('bob.pem'), '-from', 'alice@example.com', '-to', 'bob@example.com', '-subject', 'layered']);
    const report = await open(new Uint8Array(raw), AFTER_OPENSSL_SIGNED);
    expect(report.signature.reasons).toEqual([]);
    expect(report.signature.verdict).toBe('valid');
    expect(report.encryption.verdict).toBe('authenticated');
    expect(report.text).toContain(BODY);
  });

  it('encrypted then signed (cms -encrypt | cms -sign -nodetach): decrypted, outer signature ignored', async () => {
    writeFileSync(file('o-e.eml'), openssl(['cms', '-encrypt', '-aes-256-gcm', '-in', file('entity'), '-recip', file('bob.pem')]));
    const raw = openssl(['cms', '-sign', '-nodetach', '-in', file('o-e.eml'), '-signer', file('alice.pem'), '-inkey', file('alice.key'), '-md', 'sha256', '-from', 'alice@example.com', '-to', 'bob@example.com', '-subject', 'layered']);
    const report = await open(new Uint8Array(raw));
    expect(report.encryption.verdict).toBe('authenticated');
    expect(report.encryption.contentEncryption).toBe('AES-256-GCM');
    expect(report.signature.verdict).toBe('none');
    expect(report.text).toContain(BODY);
  });
});
