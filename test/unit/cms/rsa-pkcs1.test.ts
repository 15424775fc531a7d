/**
 * The engine's own RSAES-PKCS1-v1_5 (RFC 8017 §7.2), checked against OpenSSL `pkeyutl` in both directions,
 * with repeated use of one key handle (the blinding pair is refreshed after every operation), and its errors.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importRsaDecryptionKey, RSA_DECRYPTION_ERROR_MESSAGE } from '../../../src/crypto/rsa/rsa-private-key.js';
import { rsaPkcs1v15Encrypt, rsaPublicKeyFromSpki } from '../../../src/crypto/rsa/rsa-public-key.js';
import { parseCertificateDer } from '../../../src/crypto/cms/recipients-certificate.js';
import { SmimeError } from '../../../src/crypto/errors.js';
import { createTestPki, type TestPki } from '../../helpers/pki.js';
import { crypto, openssl, scratchDir, toPemText } from '../../helpers/encryption.js';

let pki: TestPki;
const tmp = scratchDir();
const file = (name: string) => join(tmp.dir, name);
afterAll(() => tmp.cleanup());

beforeAll(async () => {
  pki = await createTestPki(crypto);
  writeFileSync(file('bob.key'), toPemText(pki.users.bob.rsa.pkcs8, 'PRIVATE KEY'));
  writeFileSync(file('bob.crt'), toPemText(pki.users.bob.rsa.certificate, 'CERTIFICATE'));
});

describe('RSAES-PKCS1-v1_5', () => {
  it('what the engine encrypts, openssl pkeyutl decrypts (random padding, several lengths)', () => {
    const publicKey = rsaPublicKeyFromSpki(parseCertificateDer(pki.users.bob.rsa.certificate).subjectPublicKeyInfo);
    for (const length of [16, 24, 32, 100, 245]) {
      const message = crypto.getRandomValues(new Uint8Array(length));
      const a = rsaPkcs1v15Encrypt(publicKey, message, crypto);
      const b = rsaPkcs1v15Encrypt(publicKey, message, crypto);
      expect(a).not.toEqual(b);
      writeFileSync(file('ct'), a);
      const out = openssl(['pkeyutl', '-decrypt', '-inkey', file('bob.key'), '-in', file('ct'), '-pkeyopt', 'rsa_padding_mode:pkcs1']);
      expect(new Uint8Array(out)).toEqual(message);
    }
    expect(() => rsaPkcs1v15Encrypt(publicKey, new Uint8Array(246), crypto)).toThrow(SmimeError);
  });

  it('what openssl pkeyutl encrypts, the engine decrypts, 20 times with one handle (blinding refreshed)', async () => {
    const key = await importRsaDecryptionKey(pki.users.bob.rsa.pkcs8, crypto);
    expect(key.modulusBits).toBe(2048);
    for (let i = 0; i < 20; i++) {
      const message = crypto.getRandomValues(new Uint8Array(32));
      writeFileSync(file('msg'), message);
      const ct = new Uint8Array(openssl(['pkeyutl', '-encrypt', '-certin', '-inkey', file('bob.crt'), '-in', file('msg'), '-pkeyopt', 'rsa_padding_mode:pkcs1']));
      expect(await key.decryptPkcs1v15(ct)).toEqual(message);
    }
  });

  it('SEC-23: a bad padding gives the same implicit-rejection output from two separately imported handles', async () => {
    const a = await importRsaDecryptionKey(pki.users.bob.rsa.pkcs8, crypto);
    const b = await importRsaDecryptionKey(pki.users.bob.rsa.pkcs8, crypto);
    const garbage = crypto.getRandomValues(new Uint8Array(256));
    garbage[0] = 0;
    const fromA = await a.decryptPkcs1v15(garbage);
    expect(await b.decryptPkcs1v15(garbage)).toEqual(fromA);
    expect(fromA.length).toBeLessThanOrEqual(256 - 11);
  });

  it('SEC-23: a wrong length or a value not below n gives the one error', async () => {
    const key = await importRsaDecryptionKey(pki.users.bob.rsa.pkcs8, crypto);
    const messages = new Set<string>();
    for (const ct of [new Uint8Array(255), new Uint8Array(257), new Uint8Array(256).fill(0xff)]) {
      const error = await key.decryptPkcs1v15(ct).then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(SmimeError);
      messages.add(`${(error as SmimeError).code} ${(error as SmimeError).message}`);
    }
    expect([...messages]).toEqual([`DECRYPTION_FAILED ${RSA_DECRYPTION_ERROR_MESSAGE}`]);
  });

  it('non-RSA and malformed keys are refused with typed errors', async () => {
    await expect(importRsaDecryptionKey(pki.users.bob.ec.pkcs8, crypto)).rejects.toMatchObject({ code: 'UNSUPPORTED_ALGORITHM' });
    await expect(importRsaDecryptionKey(new Uint8Array([1, 2, 3]), crypto)).rejects.toBeInstanceOf(SmimeError);
  });
});
