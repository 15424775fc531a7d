import { describe, expect, it } from 'vitest';
import { webcrypto } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signData } from '../../../src/crypto/cms/sign.js';
import { verifySignedData } from '../../../src/crypto/cms/verify.js';
import { DEFAULT_POLICY, makePolicy } from '../../../src/crypto/policy.js';
import { createTestPki, generateTestKeys, toPem, type TestKeyAlgorithm } from '../../helpers/pki.js';

const crypto = webcrypto as unknown as Crypto;
const content = new TextEncoder().encode('Content-Type: text/plain\r\n\r\nHello\r\n');

function opensslVerify(cms: Uint8Array, ca: Uint8Array, detached: Uint8Array | null): string {
  const dir = mkdtempSync(join(tmpdir(), 'waxseal-cms-'));
  writeFileSync(join(dir, 'sig.der'), cms);
  writeFileSync(join(dir, 'ca.pem'), toPem(ca));
  const args = ['cms', '-verify', '-binary', '-inform', 'DER', '-in', join(dir, 'sig.der'), '-CAfile', join(dir, 'ca.pem'), '-purpose', 'any', '-attime', String(Date.parse('2026-06-01T00:00:00Z') / 1000)];
  if (detached) {
    writeFileSync(join(dir, 'content'), detached);
    args.push('-content', join(dir, 'content'));
  }
  return execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString('latin1');
}

describe('SignedData over bytes', () => {
  const cases: { key: TestKeyAlgorithm; hash: 'SHA-256' | 'SHA-384' | 'SHA-512' }[] = [
    { key: 'RSA-2048', hash: 'SHA-256' },
    { key: 'RSA-PSS-2048', hash: 'SHA-256' },
    { key: 'P-256', hash: 'SHA-256' },
    { key: 'P-384', hash: 'SHA-384' },
    { key: 'P-521', hash: 'SHA-512' },
    { key: 'Ed25519', hash: 'SHA-512' },
  ];
  for (const { key, hash } of cases) {
    for (const detached of [true, false]) {
      it(`${key} ${hash} ${detached ? 'detached' : 'opaque'}: verifies here and with openssl cms`, async () => {
        const pki = await createTestPki(crypto);
        const signer = await pki.issue({ issuer: pki.emailCa, subject: `CN=${key}`, emails: ['alice@example.com'], keyAlgorithm: key });
        const policy = makePolicy({ signingHash: hash });
        const { der } = await signData(content, {
          signer: { certificate: signer.certificate, privateKey: signer.privateKey, chain: [pki.emailCa.certificate] },
          crypto, policy, detached, signingTime: new Date('2026-05-31T12:00:00Z'),
        });
        const result = await verifySignedData(der, { crypto, policy: DEFAULT_POLICY, detachedContent: detached ? content : null });
        expect(result.reasons).toEqual([]);
        expect(result.signingTime?.toISOString()).toBe('2026-05-31T12:00:00.000Z');
        // OpenSSL 3.0 cannot verify Ed25519 in CMS ("eddsa_digest_signverify_init: invalid digest"); our
        // Ed25519 verification is checked against the RFC 9216 example instead (corpus-rfc9216.test.ts).
        if (key !== 'Ed25519') {
          const out = opensslVerify(der, pki.root.certificate, detached ? content : null);
          expect(Buffer.from(out, 'latin1').equals(Buffer.from(content))).toBe(true);
        }
        const tampered = content.slice();
        tampered[tampered.length - 3] ^= 1;
        if (detached) {
          const bad = await verifySignedData(der, { crypto, policy: DEFAULT_POLICY, detachedContent: tampered });
          expect(bad.reasons).toEqual(['DIGEST_MISMATCH']);
        }
      });
    }
  }
  it('an RSA key imported for another hash than the policy is refused (SEC-17c)', async () => {
    const keys = await generateTestKeys(crypto, 'RSA-2048');
    const pki = await createTestPki(crypto);
    await expect(signData(content, { signer: { certificate: pki.users.alice.rsa.certificate, privateKey: keys.privateKey, chain: [] }, crypto, policy: makePolicy({ signingHash: 'SHA-512' }), detached: true }))
      .rejects.toMatchObject({ code: 'UNSUPPORTED_ALGORITHM' });
  });
});
