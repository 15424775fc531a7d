/**
 * Certificate signature verification across the algorithms the validator supports, each path also checked by
 * `openssl verify` (an independent implementation): RSA PKCS#1 v1.5 (SHA-256/384/512), RSA-PSS, ECDSA
 * P-256/384/521 and Ed25519. A flipped signature bit must make the path invalid.
 */
import { webcrypto } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validatePath } from '../../../src/crypto/trust/index.js';
import { issueCertificate, TEST_NOW, toPem, type TestHash, type TestIdentity, type TestKeyAlgorithm } from '../../helpers/pki.js';

const crypto = webcrypto as unknown as Crypto;

function opensslVerify(root: TestIdentity, ca: TestIdentity, leaf: TestIdentity): string {
  const dir = mkdtempSync(join(tmpdir(), 'waxseal-alg-'));
  writeFileSync(join(dir, 'root.pem'), toPem(root.certificate));
  writeFileSync(join(dir, 'ca.pem'), toPem(ca.certificate));
  writeFileSync(join(dir, 'leaf.pem'), toPem(leaf.certificate));
  try {
    return execFileSync('openssl', ['verify', '-attime', String(TEST_NOW.getTime() / 1000), '-CAfile', join(dir, 'root.pem'), '-untrusted', join(dir, 'ca.pem'), join(dir, 'leaf.pem')], { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('openssl is missing: apt-get install -y openssl libnss3-tools');
    return `${String((error as { stdout?: string }).stdout)}${String((error as { stderr?: string }).stderr)}`;
  }
}

const matrix: { keyAlgorithm: TestKeyAlgorithm; hash: TestHash }[] = [
  { keyAlgorithm: 'RSA-2048', hash: 'SHA-256' },
  { keyAlgorithm: 'RSA-2048', hash: 'SHA-384' },
  { keyAlgorithm: 'RSA-2048', hash: 'SHA-512' },
  { keyAlgorithm: 'RSA-PSS-2048', hash: 'SHA-256' },
  { keyAlgorithm: 'P-256', hash: 'SHA-256' },
  { keyAlgorithm: 'P-384', hash: 'SHA-384' },
  { keyAlgorithm: 'P-521', hash: 'SHA-512' },
  { keyAlgorithm: 'Ed25519', hash: 'SHA-256' },
];

describe('certificate signature algorithms', () => {
  for (const { keyAlgorithm, hash } of matrix) {
    it(`${keyAlgorithm} with ${hash}: valid in Waxseal and OpenSSL, invalid when tampered`, async () => {
      const root = await issueCertificate(crypto, { issuer: 'self', subject: `CN=Root ${keyAlgorithm}`, ca: true, keyAlgorithm, hash });
      const ca = await issueCertificate(crypto, { issuer: root, subject: `CN=CA ${keyAlgorithm}`, ca: true, keyAlgorithm, hash });
      const leaf = await issueCertificate(crypto, { issuer: ca, subject: `CN=Leaf ${keyAlgorithm}`, emails: ['alg@example.com'], keyAlgorithm, hash, keyUsage: ['digitalSignature'] });
      expect(opensslVerify(root, ca, leaf)).toMatch(/leaf\.pem: OK/);
      const anchors = [{ der: root.certificate, source: 'organisation' as const, purposes: ['email' as const] }];
      const result = await validatePath({ leaf: leaf.certificate, intermediates: [ca.certificate], anchors, now: TEST_NOW, purpose: 'smime-signing', crypto });
      expect(result).toMatchObject({ status: 'valid', code: 'VALID' });
      const tampered = ca.certificate.slice();
      tampered[tampered.length - 3]! ^= 0x40;
      const bad = await validatePath({ leaf: leaf.certificate, intermediates: [tampered], anchors, now: TEST_NOW, purpose: 'smime-signing', crypto });
      expect(bad).toMatchObject({ status: 'invalid', code: 'SIGNATURE_INVALID' });
    }, 60_000);
  }
});
