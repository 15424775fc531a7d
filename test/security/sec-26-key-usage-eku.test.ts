/**
 * SEC-26: key usage and EKU by purpose (RFC 8550 §4.4). Items (a)(b) through validatePath and the signing
 * assessment, (c) through the encryption assessment and validatePath for encryption, (e) through the
 * assessment a PKCS#12 import uses. (d) belongs to certificate harvesting (another area).
 */
import { webcrypto } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { assessCertificateForEncryption, assessCertificateForSigning } from '../../src/crypto/cert/index.js';
import { validatePath, type PathPurpose, type TrustAnchor } from '../../src/crypto/trust/index.js';
import { createTestPki, TEST_NOW, type TestIdentity, type TestPki } from '../helpers/pki.js';

const crypto = webcrypto as unknown as Crypto;
let pki: TestPki;
let anchors: TrustAnchor[];

beforeAll(async () => {
  pki = await createTestPki(crypto);
  anchors = [{ der: pki.root.certificate, source: 'organisation', purposes: ['email'] }];
});

function validate(leaf: TestIdentity, purpose: PathPurpose) {
  return validatePath({ leaf: leaf.certificate, intermediates: [pki.emailCa.certificate], anchors, now: TEST_NOW, purpose, crypto });
}

describe('SEC-26 key usage and EKU by purpose', () => {
  it('(a) a signer with EKU serverAuth only is refused (eku)', async () => {
    const cert = await pki.issue({ issuer: pki.emailCa, subject: 'CN=TLS only', emails: ['alice@example.com'], eku: ['serverAuth'] });
    expect(await validate(cert, 'smime-signing')).toMatchObject({ status: 'invalid', code: 'EKU_NOT_EMAIL' });
    expect(assessCertificateForSigning(cert.certificate)).toMatchObject({ usable: false, failures: ['EKU_EMAIL_PROTECTION'] });
  });

  it('(b) a signer with keyUsage keyEncipherment only is refused (key-usage)', async () => {
    const cert = await pki.issue({ issuer: pki.emailCa, subject: 'CN=KE only', emails: ['alice@example.com'], keyUsage: ['keyEncipherment'] });
    expect(await validate(cert, 'smime-signing')).toMatchObject({ status: 'invalid', code: 'KEY_USAGE' });
    expect(assessCertificateForSigning(cert.certificate)).toMatchObject({ usable: false, failures: ['KEY_USAGE_SIGNING'] });
    // The same certificate is fine for encryption.
    expect(assessCertificateForEncryption(cert.certificate).usable).toBe(true);
    expect(await validate(cert, 'smime-encryption')).toMatchObject({ status: 'valid' });
  });

  it('(c) a recipient with keyUsage digitalSignature only is refused for encryption, RSA and EC', async () => {
    for (const keyAlgorithm of ['RSA-2048', 'P-256'] as const) {
      const cert = await pki.issue({ issuer: pki.emailCa, subject: 'CN=DS only', emails: ['bob@example.com'], keyUsage: ['digitalSignature'], keyAlgorithm });
      expect(assessCertificateForEncryption(cert.certificate)).toMatchObject({ usable: false, failures: ['KEY_USAGE_ENCRYPTION'] });
      expect(await validate(cert, 'smime-encryption')).toMatchObject({ status: 'invalid', code: 'KEY_USAGE' });
      expect(assessCertificateForSigning(cert.certificate).usable).toBe(true);
    }
    // The next, valid certificate is usable.
    expect(assessCertificateForEncryption(pki.users.bob.rsa.certificate).usable).toBe(true);
    expect(assessCertificateForEncryption(pki.users.bob.ec.certificate).usable).toBe(true);
  });

  it('(e) a serverAuth-only certificate is refused for both purposes, with the reason code', async () => {
    const cert = await pki.issue({ issuer: pki.emailCa, subject: 'CN=Server', emails: ['alice@example.com'], eku: ['serverAuth', 'clientAuth'] });
    const signing = assessCertificateForSigning(cert.certificate);
    const encryption = assessCertificateForEncryption(cert.certificate);
    expect(signing.failures).toEqual(['EKU_EMAIL_PROTECTION']);
    expect(encryption.failures).toEqual(['EKU_EMAIL_PROTECTION']);
    expect(signing.checks.find((check) => check.code === 'EKU_EMAIL_PROTECTION')?.detail).toMatch(/emailProtection/);
  });

  it('an intermediate whose EKU excludes e-mail cannot issue mail certificates (Mozilla policy)', async () => {
    const leaf = await pki.issue({ issuer: pki.tlsCa, subject: 'CN=Under TLS CA', emails: ['alice@example.com'] });
    const result = await validatePath({ leaf: leaf.certificate, intermediates: [pki.tlsCa.certificate], anchors, now: TEST_NOW, purpose: 'smime-signing', crypto });
    expect(result).toMatchObject({ status: 'invalid', code: 'EKU_NOT_EMAIL' });
  });
});
