// SEC-11 validation against configured anchors is mandatory (Johnny C4, F4). Fixtures and expected verdicts: test/helpers/fixtures-signed.ts (sec11Fixtures).
import { describe, expect, it } from 'vitest';
import { sec11Fixtures } from '../helpers/fixtures-signed.js';
import { createTestPki, itVerifiesFixtures, testCrypto } from '../helpers/signed-fixture-runner.js';

const pki = await createTestPki(testCrypto);
const fixtures = await sec11Fixtures(pki);

describe('SEC-11 validation against configured anchors is mandatory (Johnny C4, F4)', () => {
  itVerifiesFixtures(fixtures, pki);
});

describe('SEC-11 anchors carry a purpose', () => {
  it('a root trusted only for TLS does not make a signature trusted', async () => {
    const { verifySignedMessage } = await import('../../src/crypto/smime/verify-message.js');
    const { DEFAULT_POLICY } = await import('../../src/crypto/policy.js');
    const { validDetached } = await import('../helpers/fixtures-signed.js');
    const { TEST_NOW } = await import('../helpers/pki.js');
    const tlsOnly = [{ der: pki.root.certificate, source: 'user' as const, purposes: ['tls' as const] }];
    const report = await verifySignedMessage(validDetached(pki), { anchors: tlsOnly, now: TEST_NOW, crypto: testCrypto, policy: DEFAULT_POLICY });
    expect(report.verdict).toBe('invalid');
    expect(report.reasons).toEqual(['UNTRUSTED']);
    const email = [{ der: pki.root.certificate, source: 'user' as const, purposes: ['email' as const] }];
    expect((await verifySignedMessage(validDetached(pki), { anchors: email, now: TEST_NOW, crypto: testCrypto, policy: DEFAULT_POLICY })).verdict).toBe('valid');
  });
  it('no anchors at all: never valid (F4)', async () => {
    const { verifySignedMessage } = await import('../../src/crypto/smime/verify-message.js');
    const { DEFAULT_POLICY } = await import('../../src/crypto/policy.js');
    const { validDetached } = await import('../helpers/fixtures-signed.js');
    const { TEST_NOW } = await import('../helpers/pki.js');
    const report = await verifySignedMessage(validDetached(pki), { anchors: [], now: TEST_NOW, crypto: testCrypto, policy: DEFAULT_POLICY });
    expect(report).toMatchObject({ verdict: 'invalid', reasons: ['UNTRUSTED'] });
  });
});
