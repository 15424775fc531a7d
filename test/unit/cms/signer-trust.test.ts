// Trust outcomes mapped into the signature report: revocation (SEC-29) through an injected checker,
// expiry since signing and validity over time (SEC-28), with fixed clocks only.
import { describe, expect, it } from 'vitest';
import { webcrypto } from 'node:crypto';
import { verifySignedMessage } from '../../../src/crypto/smime/verify-message.js';
import { DEFAULT_POLICY, makePolicy } from '../../../src/crypto/policy.js';
import type { RevocationChecker } from '../../../src/crypto/trust/validate-path.js';
import { createTestPki, TEST_NOW } from '../../helpers/pki.js';
import { validDetached } from '../../helpers/fixtures-signed.js';

const crypto = webcrypto as unknown as Crypto;
const pki = await createTestPki(crypto);
const eml = validDetached(pki);
const verify = (options: { now?: Date; revocation?: RevocationChecker; strict?: boolean } = {}) => verifySignedMessage(eml, {
  anchors: [pki.root.certificate], now: options.now ?? TEST_NOW, crypto,
  policy: options.strict ? makePolicy({ signature: { strictRevocation: true } }) : DEFAULT_POLICY, revocation: options.revocation,
});

describe('signer trust in the report', () => {
  it('revoked signer → invalid REVOKED', async () => {
    const revocation: RevocationChecker = async (certificate) => (certificate.der.length === pki.users.alice.rsa.certificate.length && Buffer.from(certificate.der).equals(Buffer.from(pki.users.alice.rsa.certificate)) ? 'revoked' : 'good');
    expect(await verify({ revocation })).toMatchObject({ verdict: 'invalid', reasons: ['REVOKED'] });
  });
  it('revocation unknown → warning REVOCATION_UNKNOWN by default, invalid when strict', async () => {
    const revocation: RevocationChecker = async () => 'unknown';
    expect(await verify({ revocation })).toMatchObject({ verdict: 'warning', reasons: ['REVOCATION_UNKNOWN'] });
    const strict = await verify({ revocation, strict: true });
    expect(strict.verdict).toBe('invalid');
  });
  it('revocation good → valid', async () => {
    expect(await verify({ revocation: async () => 'good' })).toMatchObject({ verdict: 'valid', reasons: [] });
  });
  it('SEC-28d: the same message at now + 10 years (certificates expired, signed in time) → warning EXPIRED_SINCE_SIGNING', async () => {
    const later = new Date(TEST_NOW.getTime() + 10 * 365.25 * 24 * 3600 * 1000);
    expect(await verify({ now: later })).toMatchObject({ verdict: 'warning', reasons: ['EXPIRED_SINCE_SIGNING'] });
  });
  it('SEC-28b: before the certificates are valid → invalid', async () => {
    const report = await verify({ now: new Date('2024-06-01T00:00:00Z') });
    expect(report.verdict).toBe('invalid');
    expect(report.reasons).toContain('FUTURE_SIGNING_TIME');
  });
  it('the report names the chain up to the anchor, leaf first', async () => {
    const report = await verify();
    const subjects = report.chain.map((c) => c.subject);
    expect(subjects).toHaveLength(3);
    expect(subjects[0]).toContain('CN=Alice');
    expect(subjects[1]).toContain('CN=Waxseal Test Email CA');
    expect(subjects[2]).toContain('CN=Waxseal Test Root');
    expect(report.signerCertificate?.emailAddresses).toEqual(['alice@example.com']);
  });
});

describe('trust with the bundled Mozilla e-mail roots', () => {
  it('the test root among the 100+ Mozilla roots → valid; Mozilla roots alone → UNTRUSTED; TLS-only test root → UNTRUSTED', async () => {
    const { mozillaEmailAnchors } = await import('../../../src/crypto/trust/anchors.js');
    const mozilla = mozillaEmailAnchors();
    expect(mozilla.length).toBeGreaterThan(50);
    const run = (anchors: Parameters<typeof verifySignedMessage>[1]['anchors']) =>
      verifySignedMessage(eml, { anchors, now: TEST_NOW, crypto, policy: DEFAULT_POLICY });
    expect(await run([...mozilla, pki.root.certificate])).toMatchObject({ verdict: 'valid', reasons: [] });
    expect(await run([pki.root.certificate, ...mozilla])).toMatchObject({ verdict: 'valid', reasons: [] });
    expect(await run(mozilla)).toMatchObject({ verdict: 'invalid', reasons: ['UNTRUSTED'] });
    expect(await run([...mozilla, { der: pki.root.certificate, source: 'user', purposes: ['tls'] }])).toMatchObject({ verdict: 'invalid', reasons: ['UNTRUSTED'] });
  });
});
