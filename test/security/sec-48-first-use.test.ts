/** SEC-48: trust on first use, and self-signed certificates never harvested. */
import { describe, expect, it } from 'vitest';
import { createTestPki } from '../helpers/pki.js';
import { decideHarvest, selectRecipientCertificate } from '../../src/crypto/harvest.js';
import { crypto, fingerprintOf, known, NOW, reportFor } from '../unit/harvest/reports.js';

const pki = await createTestPki(crypto);
const { dave } = pki.users;
const der = (identity: { certificate: Uint8Array }) => new Uint8Array(identity.certificate);

describe('SEC-48 first use', () => {
  it('SEC-48a: the first certificate for a new address gives a one-time notice naming issuer and fingerprint', async () => {
    const first = await decideHarvest({ report: await reportFor(dave.rsa), from: dave.email, messageCertificates: [der(dave.rsa)], existing: [], now: NOW, crypto });
    expect(first.notices).toEqual([{
      code: 'FIRST_CERTIFICATE', address: dave.email, fingerprintSha256: await fingerprintOf(dave.rsa),
      issuer: expect.stringContaining('Waxseal Test Email CA'), previousFingerprintSha256: null,
    }]);
    const again = await decideHarvest({ report: await reportFor(dave.rsa), from: dave.email, messageCertificates: [der(dave.rsa)], existing: [await known(dave.rsa)], now: NOW, crypto });
    expect(again.notices).toEqual([]);
  });

  it('SEC-48b: a self-signed certificate is never harvested, even from a signature the user trusts', async () => {
    const selfSigned = await pki.issue({ issuer: 'self', subject: 'CN=Dave self-signed', emails: [dave.email] });
    const decision = await decideHarvest({ report: await reportFor(selfSigned), from: dave.email, messageCertificates: [der(selfSigned)], existing: [], now: NOW, crypto });
    expect(decision.store).toEqual([]);
    expect(decision.skipped[0].reason).toBe('SELF_SIGNED');
    // Imported by hand and pinned, it is used, and its source says it is the user's own choice.
    const selection = await selectRecipientCertificate(dave.email, [{ certificate: der(selfSigned), source: 'pinned', pathValid: true }], { now: NOW, crypto });
    expect(selection.chosen?.source).toBe('pinned');
  });
});
