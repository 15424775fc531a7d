// SEC-38g: a PKCS#12 with several keys returns each as its own identity (the UI lets the user pick one);
// nothing is merged or dropped silently.
import { webcrypto } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { importPkcs12 } from '../../src/crypto/index.js';
import { OID } from '../../src/crypto/oids.js';
import { createTestPki, type TestPki } from '../helpers/pki.js';
import { buildPfx, certBag, dataContentInfo, encryptedContentInfo, safeContentsBag, shroudedKeyBag } from '../unit/pkcs12/build-pfx.js';
import { signAndVerifyWithIdentity } from '../unit/pkcs12/helpers.js';

const crypto = webcrypto as unknown as Crypto;
let pki: TestPki;

beforeAll(async () => {
  pki = await createTestPki(crypto);
});

describe('SEC-38g: several keys in one file', () => {
  it('three keys (RSA, P-256, RSA) with their certificates and a shared chain give three identities', async () => {
    const users = [pki.users.alice.rsa, pki.users.bob.ec, pki.users.manager.rsa];
    const encryption = { scheme: 'legacy', oid: OID.pbeWithShaAnd3KeyTripleDesCbc, iterations: 100 } as const;
    // Certificates without localKeyId, keys in a nested safeContentsBag: pairing must still work by key.
    const bytes = await buildPfx([
      await encryptedContentInfo([...users.map((u) => certBag(u.certificate)), certBag(pki.emailCa.certificate), certBag(pki.root.certificate)], 'pw', encryption, crypto),
      dataContentInfo([safeContentsBag(await Promise.all(users.map((u, i) => shroudedKeyBag(u.pkcs8, 'pw', encryption, crypto, { friendlyName: `key ${i}` }))))]),
    ], { crypto, password: 'pw' });
    const contents = await importPkcs12(bytes, 'pw', { crypto });
    expect(contents.keys).toHaveLength(3);
    expect(contents.identities).toHaveLength(3);
    for (const [i, user] of users.entries()) {
      const identity = contents.identities[i]!;
      expect(identity.certificate).toEqual(user.certificate);
      expect(identity.friendlyName).toBe(`key ${i}`);
      expect(identity.chain).toEqual([pki.emailCa.certificate, pki.root.certificate]);
      await signAndVerifyWithIdentity(crypto, identity);
    }
  });
});
