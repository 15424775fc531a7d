// SEC-38c: a wrong password gives PKCS12_WRONG_PASSWORD and nothing else: no key, no certificate, and no
// state that would block the next, correct attempt.
import { webcrypto } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportPkcs12, importPkcs12, SmimeError } from '../../src/crypto/index.js';
import { OID } from '../../src/crypto/oids.js';
import { createTestPki, type TestPki } from '../helpers/pki.js';
import { buildPfx, certBag, dataContentInfo, encryptedContentInfo, shroudedKeyBag } from '../unit/pkcs12/build-pfx.js';

const crypto = webcrypto as unknown as Crypto;
let pki: TestPki;

beforeAll(async () => {
  pki = await createTestPki(crypto);
});

async function errorOf(promise: Promise<unknown>): Promise<SmimeError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(SmimeError);
  return error as SmimeError;
}

describe('SEC-38c: wrong PKCS#12 password', () => {
  it('a file with a MAC: the MAC mismatch is reported as PKCS12_WRONG_PASSWORD; retrying with the right one works', async () => {
    const alice = pki.users.alice.rsa;
    const bytes = await exportPkcs12({ pkcs8: alice.pkcs8, certificate: alice.certificate }, 'correct horse', { crypto, iterations: 1000, macIterations: 1000 });
    for (let attempt = 0; attempt < 5; attempt++) {
      expect((await errorOf(importPkcs12(bytes, `wrong ${attempt}`, { crypto }))).code).toBe('PKCS12_WRONG_PASSWORD');
    }
    expect((await errorOf(importPkcs12(bytes, '', { crypto }))).code).toBe('PKCS12_WRONG_PASSWORD');
    expect((await errorOf(importPkcs12(bytes, null, { crypto }))).code).toBe('PKCS12_WRONG_PASSWORD');
    const contents = await importPkcs12(bytes, 'correct horse', { crypto });
    expect(contents.identities).toHaveLength(1);
  });

  for (const [name, encryption] of [
    ['PBES2/AES', { scheme: 'pbes2', iterations: 1000 }],
    ['3DES', { scheme: 'legacy', oid: OID.pbeWithShaAnd3KeyTripleDesCbc, iterations: 1000 }],
  ] as const) {
    it(`a file without a MAC (${name} key bag): the key bag's failed decryption is PKCS12_WRONG_PASSWORD`, async () => {
      const bob = pki.users.bob.ec;
      const bytes = await buildPfx([
        dataContentInfo([certBag(bob.certificate)]),
        dataContentInfo([await shroudedKeyBag(bob.pkcs8, 'right', encryption, crypto)]),
      ], { crypto, password: 'right', mac: null });
      // Padding checks pass by chance for about 1 in 256 wrong passwords; the PKCS#8 structure check catches those.
      for (let attempt = 0; attempt < 20; attempt++) {
        expect((await errorOf(importPkcs12(bytes, `wrong ${attempt}`, { crypto }))).code).toBe('PKCS12_WRONG_PASSWORD');
      }
      const contents = await importPkcs12(bytes, 'right', { crypto });
      expect(contents.integrity).toBe('none');
      expect(contents.identities).toHaveLength(1);
    });
  }

  it('a file without a MAC whose only encrypted part is the certificate list', async () => {
    const dave = pki.users.dave.rsa;
    const bytes = await buildPfx([
      await encryptedContentInfo([certBag(dave.certificate)], 'right', { scheme: 'legacy', oid: OID.pbeWithShaAnd40BitRc2Cbc, iterations: 100 }, crypto),
    ], { crypto, password: 'right', mac: null });
    expect((await errorOf(importPkcs12(bytes, 'wrong', { crypto }))).code).toBe('PKCS12_WRONG_PASSWORD');
    expect((await importPkcs12(bytes, 'right', { crypto })).certificates).toHaveLength(1);
  });
});
