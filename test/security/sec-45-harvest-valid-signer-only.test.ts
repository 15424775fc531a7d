/** SEC-45: harvest only from fully valid signatures, and only the signer's own certificate. */
import { describe, expect, it } from 'vitest';
import { createTestPki } from '../helpers/pki.js';
import { decideHarvest, selectRecipientCertificate } from '../../src/crypto/harvest.js';
import { crypto, fingerprintOf, known, NOW, reportFor } from '../unit/harvest/reports.js';

const pki = await createTestPki(crypto);
const { alice, bob } = pki.users;
const der = (identity: { certificate: Uint8Array }) => new Uint8Array(identity.certificate);

describe('SEC-45 harvesting', () => {
  it('SEC-45a: a valid message from alice@ carrying bob@\'s certificate stores only Alice\'s', async () => {
    const decision = await decideHarvest({
      report: await reportFor(alice.rsa), from: alice.email, messageCertificates: [der(alice.rsa), der(bob.rsa), der(pki.emailCa)],
      existing: [], now: NOW, crypto,
    });
    expect(decision.store.map((s) => [s.address, s.fingerprintSha256, s.role, s.state])).toEqual([[alice.email, await fingerprintOf(alice.rsa), 'both', 'active']]);
    expect(JSON.stringify(decision)).not.toContain(await fingerprintOf(bob.rsa));
  });

  it('SEC-45b: SIGNED_INVALID of any kind stores nothing', async () => {
    for (const reasons of [['FROM_MISMATCH'], ['UNTRUSTED'], ['BAD_DIGEST'], ['REVOKED']]) {
      const decision = await decideHarvest({
        report: await reportFor(alice.rsa, { verdict: 'invalid', reasons }), from: alice.email, messageCertificates: [der(alice.rsa)], existing: [], now: NOW, crypto,
      });
      expect(decision.store).toEqual([]);
      expect(decision.skipped[0].reason).toBe('NOT_VALID');
    }
  });

  it('SEC-45b: a valid report whose signer is not From stores nothing (defence in depth)', async () => {
    const decision = await decideHarvest({ report: await reportFor(bob.rsa), from: alice.email, messageCertificates: [der(bob.rsa)], existing: [], now: NOW, crypto });
    expect(decision.store).toEqual([]);
    expect(decision.skipped[0].reason).toBe('SIGNER_NOT_FROM');
    const partial = await decideHarvest({ report: await reportFor(alice.rsa, { coversWholeMessage: false }), from: alice.email, messageCertificates: [], existing: [], now: NOW, crypto });
    expect(partial.skipped[0].reason).toBe('PARTIAL_SIGNATURE');
  });

  it('SEC-45c: SIGNED_WARN(revocation-unknown) stores as unverified revocation, to re-check before first use', async () => {
    const decision = await decideHarvest({
      report: await reportFor(alice.rsa, { verdict: 'warning', reasons: ['revocation-unknown'] }), from: alice.email, messageCertificates: [der(alice.rsa)], existing: [], now: NOW, crypto,
    });
    expect(decision.store.map((s) => s.state)).toEqual(['unverified-revocation']);
    const selection = await selectRecipientCertificate(alice.email, [{ certificate: der(alice.rsa), source: 'harvested', pathValid: true, state: 'unverified-revocation' }], { now: NOW, crypto });
    expect(selection.notes).toContain('REVOCATION_UNVERIFIED');
    for (const reasons of [['PARTIAL'], ['EXPIRED_SINCE_SIGNING'], ['revocation-unknown', 'old-signature']]) {
      const other = await decideHarvest({ report: await reportFor(alice.rsa, { verdict: 'warning', reasons }), from: alice.email, messageCertificates: [], existing: [], now: NOW, crypto });
      expect(other.store).toEqual([]);
    }
  });

  it('SEC-45d: an SMIMEEncryptionKeyPreference certificate for the same address is stored as the encryption certificate', async () => {
    const signing = await pki.issue({ issuer: pki.emailCa, subject: 'CN=Alice signing', emails: [alice.email], keyUsage: ['digitalSignature'] });
    const encryption = await pki.issue({ issuer: pki.emailCa, subject: 'CN=Alice encryption', emails: [alice.email], keyUsage: ['keyEncipherment'] });
    const decision = await decideHarvest({
      report: await reportFor(signing), from: alice.email, messageCertificates: [der(signing), der(encryption)],
      encryptionKeyPreference: { certificate: der(encryption), pathValid: true }, existing: [], now: NOW, crypto,
    });
    expect(decision.store.map((s) => [s.fingerprintSha256, s.role])).toEqual([
      [await fingerprintOf(signing), 'signing'],
      [await fingerprintOf(encryption), 'encryption'],
    ]);
  });

  it('SEC-45d: a preference pointing at another address, outside the bag, or not validated is ignored', async () => {
    const cases = [
      { preference: der(bob.rsa), bag: [der(alice.rsa), der(bob.rsa)], pathValid: true, reason: 'PREFERENCE_OTHER_ADDRESS' },
      { preference: der(alice.ec), bag: [der(alice.rsa)], pathValid: true, reason: 'PREFERENCE_NOT_IN_MESSAGE' },
      { preference: der(alice.ec), bag: [der(alice.rsa), der(alice.ec)], pathValid: false, reason: 'PREFERENCE_NOT_VALID' },
    ];
    for (const c of cases) {
      const decision = await decideHarvest({
        report: await reportFor(alice.rsa), from: alice.email, messageCertificates: c.bag,
        encryptionKeyPreference: { certificate: c.preference, pathValid: c.pathValid }, existing: [], now: NOW, crypto,
      });
      expect(decision.skipped.map((s) => s.reason)).toEqual([c.reason]);
      expect(decision.store.map((s) => s.fingerprintSha256)).toEqual([await fingerprintOf(alice.rsa)]);
      expect(decision.store[0].role).toBe('both');
    }
  });

  it('SEC-45e: a certificate naming alice@ and mallory@ is stored only under alice@', async () => {
    const shared = await pki.issue({ issuer: pki.emailCa, subject: 'CN=Alice and Mallory', emails: [alice.email, 'mallory@example.com'] });
    const decision = await decideHarvest({ report: await reportFor(shared, { signer: alice.email }), from: alice.email, messageCertificates: [der(shared)], existing: [], now: NOW, crypto });
    expect(decision.store.map((s) => s.address)).toEqual([alice.email]);
  });

  it('SEC-45f: no more than 10 new certificates per address per day', async () => {
    const recent = await Promise.all(Array.from({ length: 10 }, async (_, i) => ({
      ...(await known(bob.rsa)), fingerprintSha256: `recent-${i}`, firstSeen: new Date(NOW.getTime() - 60 * 60 * 1000).toISOString(), state: 'superseded' as const,
    })));
    const limited = await decideHarvest({ report: await reportFor(alice.rsa), from: alice.email, messageCertificates: [der(alice.rsa)], existing: recent, now: NOW, crypto });
    expect(limited.store).toEqual([]);
    expect(limited.skipped.map((s) => s.reason)).toEqual(['RATE_LIMITED']);
    expect(limited.notices.map((n) => n.code)).toEqual(['RATE_LIMITED']);
    const dayOld = recent.map((r) => ({ ...r, firstSeen: new Date(NOW.getTime() - 25 * 60 * 60 * 1000).toISOString() }));
    const allowed = await decideHarvest({ report: await reportFor(alice.rsa), from: alice.email, messageCertificates: [der(alice.rsa)], existing: dayOld, now: NOW, crypto });
    expect(allowed.store).toHaveLength(1);
  });

  it('SEC-44d / SEC-45: a certificate with EKU clientAuth only is not stored as an encryption certificate', async () => {
    const clientAuth = await pki.issue({ issuer: pki.emailCa, subject: 'CN=Alice TLS client', emails: [alice.email], eku: ['clientAuth'] });
    const decision = await decideHarvest({ report: await reportFor(clientAuth), from: alice.email, messageCertificates: [der(clientAuth)], existing: [], now: NOW, crypto });
    expect(decision.store).toEqual([]);
    expect(decision.skipped[0].reason).toBe('NOT_USABLE');
  });

  it('a certificate already stored is only marked as seen again', async () => {
    const decision = await decideHarvest({ report: await reportFor(alice.rsa), from: alice.email, messageCertificates: [der(alice.rsa)], existing: [await known(alice.rsa)], now: NOW, crypto });
    expect(decision.store).toEqual([]);
    expect(decision.seen).toEqual([await fingerprintOf(alice.rsa)]);
  });
});
