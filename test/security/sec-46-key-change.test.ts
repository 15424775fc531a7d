/** SEC-46: replacement and key-change rules for harvested certificates. */
import { describe, expect, it } from 'vitest';
import { createTestPki } from '../helpers/pki.js';
import { decideHarvest } from '../../src/crypto/harvest.js';
import { crypto, fingerprintOf, known, NOW, reportFor } from '../unit/harvest/reports.js';

const pki = await createTestPki(crypto);
const { alice } = pki.users;
const der = (identity: { certificate: Uint8Array }) => new Uint8Array(identity.certificate);

// A1: alice.rsa (2025-01-01 .. 2035). A2 variants below.
const a2SameIssuer = await pki.issue({ issuer: pki.emailCa, subject: 'CN=Alice A2', emails: [alice.email], notBefore: new Date('2026-03-01T00:00:00Z') });
const otherCa = await pki.issue({ issuer: pki.root, subject: 'CN=Other Email CA, O=Elsewhere', ca: true, eku: ['emailProtection'] });
const a2OtherIssuer = await pki.issue({ issuer: otherCa, subject: 'CN=Alice A2 elsewhere', emails: [alice.email], notBefore: new Date('2026-03-01T00:00:00Z') });
const a2OtherKeyType = await pki.issue({ issuer: pki.emailCa, subject: 'CN=Alice A2 EC', emails: [alice.email], keyAlgorithm: 'P-256', notBefore: new Date('2026-03-01T00:00:00Z') });
const a2Earlier = await pki.issue({ issuer: pki.emailCa, subject: 'CN=Alice A2 older', emails: [alice.email], notBefore: new Date('2024-06-01T00:00:00Z') });
const a2Expired = await pki.issue({ issuer: pki.emailCa, subject: 'CN=Alice A2 expired', emails: [alice.email], notBefore: new Date('2025-06-01T00:00:00Z'), notAfter: new Date('2026-05-01T00:00:00Z') });

async function harvest(a2: typeof a2SameIssuer, a1Overrides: Parameters<typeof known>[1] = {}) {
  return decideHarvest({ report: await reportFor(a2), from: alice.email, messageCertificates: [der(a2)], existing: [await known(alice.rsa, a1Overrides)], now: NOW, crypto });
}

describe('SEC-46 replacement and key change', () => {
  it('SEC-46a: a newer valid A2 from the same issuer becomes preferred; A1 is kept as history with a notice', async () => {
    const decision = await harvest(a2SameIssuer);
    expect(decision.store.map((s) => s.state)).toEqual(['active']);
    expect(decision.supersede).toEqual([await fingerprintOf(alice.rsa)]);
    expect(decision.notices).toEqual([{
      code: 'NEW_CERTIFICATE_SAME_ISSUER', address: alice.email, fingerprintSha256: await fingerprintOf(a2SameIssuer),
      issuer: expect.stringContaining('Waxseal Test Email CA'), previousFingerprintSha256: await fingerprintOf(alice.rsa),
    }]);
  });

  it('SEC-46b: A2 from a different issuer, or with another key type, is stored but not preferred while A1 is valid', async () => {
    for (const a2 of [a2OtherIssuer, a2OtherKeyType]) {
      const decision = await harvest(a2);
      expect(decision.store.map((s) => s.state)).toEqual(['needs-confirmation']);
      expect(decision.supersede).toEqual([]);
      expect(decision.notices.map((n) => n.code)).toEqual(['CERTIFICATE_CHANGED']);
    }
  });

  it('SEC-46b: once A1 has expired, a different issuer may take over (with the change notice)', async () => {
    const a1Expired = await pki.issue({ issuer: pki.emailCa, subject: 'CN=Alice old', emails: [alice.email], notBefore: new Date('2024-01-01T00:00:00Z'), notAfter: new Date('2026-01-01T00:00:00Z') });
    const decision = await decideHarvest({ report: await reportFor(a2OtherIssuer), from: alice.email, messageCertificates: [der(a2OtherIssuer)], existing: [await known(a1Expired)], now: NOW, crypto });
    expect(decision.store.map((s) => s.state)).toEqual(['active']);
    expect(decision.notices.map((n) => n.code)).toEqual(['CERTIFICATE_CHANGED']);
  });

  it('SEC-46c: A2 with an earlier notBefore, or already expired, never replaces A1', async () => {
    for (const a2 of [a2Earlier, a2Expired]) {
      const decision = await decideHarvest({ report: await reportFor(a2, { verdict: 'valid' }), from: alice.email, messageCertificates: [der(a2)], existing: [await known(alice.rsa)], now: NOW, crypto });
      expect(decision.store.map((s) => s.state)).toEqual(['superseded']);
      expect(decision.supersede).toEqual([]);
    }
  });

  it('SEC-46d: A1 revoked and A2 valid → A2 preferred', async () => {
    const decision = await harvest(a2OtherIssuer, { state: 'revoked' });
    expect(decision.store.map((s) => s.state)).toEqual(['active']);
    expect(decision.notices.map((n) => n.code)).toEqual(['NEW_CERTIFICATE_PREVIOUS_REVOKED']);
    expect(decision.supersede).toEqual([]);
  });

  it('SEC-46e: a pinned certificate is never replaced automatically', async () => {
    const decision = await harvest(a2SameIssuer, { pinned: true, harvested: false });
    expect(decision.store.map((s) => s.state)).toEqual(['needs-confirmation']);
    expect(decision.supersede).toEqual([]);
    expect(decision.notices.map((n) => n.code)).toEqual(['PINNED_CERTIFICATE_KEPT']);
  });
});
