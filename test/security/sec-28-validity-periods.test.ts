/**
 * SEC-28: validity periods at injected times. The validator takes `now` as a parameter; the message layer
 * calls it at the verification time and, for "expired since signing", at the signing time.
 */
import { webcrypto } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { validatePath, type TrustAnchor } from '../../src/crypto/trust/index.js';
import { createTestPki, TEST_NOW, type TestIdentity, type TestPki } from '../helpers/pki.js';

const crypto = webcrypto as unknown as Crypto;
let pki: TestPki;
let anchors: TrustAnchor[];
let shortLived: TestIdentity;
const notAfter = new Date('2026-03-01T00:00:00Z');

beforeAll(async () => {
  pki = await createTestPki(crypto);
  anchors = [{ der: pki.root.certificate, source: 'organisation', purposes: ['email'] }];
  shortLived = await pki.issue({ issuer: pki.emailCa, subject: 'CN=Short', emails: ['short@example.com'], notBefore: new Date('2025-06-01T00:00:00Z'), notAfter });
});

function at(leaf: TestIdentity, now: Date) {
  return validatePath({ leaf: leaf.certificate, intermediates: [pki.emailCa.certificate], anchors, now, purpose: 'smime-signing', crypto });
}

describe('SEC-28 validity periods', () => {
  it('(a) now after notAfter is EXPIRED, while the signing time within validity is valid', async () => {
    expect(await at(shortLived, TEST_NOW)).toMatchObject({ status: 'invalid', code: 'EXPIRED' });
    expect(await at(shortLived, new Date('2026-02-01T00:00:00Z'))).toMatchObject({ status: 'valid' });
  });

  it('(b) now before notBefore is NOT_YET_VALID', async () => {
    expect(await at(shortLived, new Date('2025-05-31T23:59:59Z'))).toMatchObject({ status: 'invalid', code: 'NOT_YET_VALID' });
  });

  it('(c) a signing time after notAfter is EXPIRED at that time; the boundary second itself is still valid', async () => {
    expect(await at(shortLived, new Date(notAfter.getTime() + 1000))).toMatchObject({ status: 'invalid', code: 'EXPIRED' });
    expect(await at(shortLived, notAfter)).toMatchObject({ status: 'valid' });
  });

  it('(d) the standard fixtures are valid at the fixed time and expire ten years later', async () => {
    const later = new Date(TEST_NOW.getTime() + 10 * 365.25 * 24 * 3600 * 1000);
    for (const user of Object.values(pki.users)) {
      expect(await at(user.rsa, TEST_NOW)).toMatchObject({ status: 'valid' });
      expect(await at(user.ec, later)).toMatchObject({ status: 'invalid', code: 'EXPIRED' });
    }
  });
});
