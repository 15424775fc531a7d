// SEC-38h and SEC-26e: an imported certificate that is expired, not for e-mail, has the wrong key usage or
// no matching address gives warnings that need confirmation; a serverAuth-only certificate is refused.
import { webcrypto } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { assessImportedIdentity, SmimeError, type ImportWarningCode } from '../../src/crypto/index.js';
import { createTestPki, TEST_NOW, type TestPki } from '../helpers/pki.js';

const crypto = webcrypto as unknown as Crypto;
let pki: TestPki;

beforeAll(async () => {
  pki = await createTestPki(crypto);
});

async function warningCodes(certificate: Uint8Array, accountAddresses?: string[], now = TEST_NOW): Promise<ImportWarningCode[]> {
  const assessment = await assessImportedIdentity({ certificate }, { now, crypto, ...(accountAddresses ? { accountAddresses } : {}) });
  return assessment.warnings.map((w) => w.code);
}

describe('SEC-38h: warnings before storing an imported identity', () => {
  it('a normal e-mail certificate for the account has no warnings and can sign and encrypt', async () => {
    const alice = pki.users.alice.rsa;
    const assessment = await assessImportedIdentity({ certificate: alice.certificate }, { now: TEST_NOW, crypto, accountAddresses: ['alice@example.com'] });
    expect(assessment.warnings).toEqual([]);
    expect(assessment.canSign).toBe(true);
    expect(assessment.canEncrypt).toBe(true);
    expect(assessment.addresses).toEqual(['alice@example.com']);
    expect(assessment.fingerprintSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('expired, and not yet valid, at the injected time', async () => {
    const alice = pki.users.alice.rsa;
    expect(await warningCodes(alice.certificate, undefined, new Date('2040-01-01T00:00:00Z'))).toEqual(['EXPIRED']);
    expect(await warningCodes(alice.certificate, undefined, new Date('2020-01-01T00:00:00Z'))).toEqual(['NOT_YET_VALID']);
  });

  it('EKU without emailProtection (clientAuth only) is a warning', async () => {
    const cert = await pki.issue({ issuer: pki.emailCa, subject: 'CN=Client', emails: ['client@example.com'], eku: ['clientAuth'] });
    expect(await warningCodes(cert.certificate)).toEqual(['NOT_FOR_EMAIL']);
  });

  it('keyUsage keyEncipherment only: signing is not allowed, a warning', async () => {
    const cert = await pki.issue({ issuer: pki.emailCa, subject: 'CN=Enc only', emails: ['enc@example.com'], keyUsage: ['keyEncipherment'] });
    const assessment = await assessImportedIdentity({ certificate: cert.certificate }, { now: TEST_NOW, crypto });
    expect(assessment.warnings.map((w) => w.code)).toEqual(['KEY_USAGE']);
    expect(assessment.canSign).toBe(false);
    expect(assessment.canEncrypt).toBe(true);
  });

  it('no address in the certificate, and an address that is none of the accounts', async () => {
    const noAddress = await pki.issue({ issuer: pki.emailCa, subject: 'CN=alice@example.com' });
    expect(await warningCodes(noAddress.certificate)).toEqual(['NO_EMAIL_ADDRESS']);
    expect(await warningCodes(pki.users.alice.rsa.certificate, ['carol@example.com'])).toEqual(['ADDRESS_NOT_AN_ACCOUNT']);
  });

  it('SEC-26e: a serverAuth-only certificate is refused with PKCS12_CERT_NOT_FOR_EMAIL and a reason', async () => {
    const tls = await pki.issue({ issuer: pki.emailCa, subject: 'CN=mail.example.com', emails: ['alice@example.com'], eku: ['serverAuth'] });
    const error = await assessImportedIdentity({ certificate: tls.certificate }, { now: TEST_NOW, crypto }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SmimeError);
    expect((error as SmimeError).code).toBe('PKCS12_CERT_NOT_FOR_EMAIL');
    expect((error as SmimeError).detail?.reason).toBe('eku-server-auth-only');
  });
});
