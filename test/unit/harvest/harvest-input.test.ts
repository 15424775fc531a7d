import { describe, expect, it } from 'vitest';
import { createTestPki } from '../../helpers/pki.js';
import { decideHarvest, selectRecipientCertificate } from '../../../src/crypto/harvest.js';
import { SmimeError } from '../../../src/crypto/index.js';
import { crypto, NOW, reportFor } from './reports.js';

const pki = await createTestPki(crypto);
const { alice } = pki.users;

describe('harvesting rules: bad input', () => {
  it('a report whose signer certificate is not a certificate gives a typed error, not a crash', async () => {
    const report = await reportFor(alice.rsa);
    report.signerCertificate = { ...report.signerCertificate!, der: Buffer.from([0x30, 0x03, 0x02, 0x01, 0x00]).toString('base64') };
    const error = await decideHarvest({ report, from: alice.email, messageCertificates: [], existing: [], now: NOW, crypto }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SmimeError);
    expect((error as SmimeError).code).toMatch(/^MALFORMED_/);
  });

  it('a candidate that is not a certificate gives a typed error', async () => {
    const error = await selectRecipientCertificate(alice.email, [{ certificate: new Uint8Array([1, 2, 3]), source: 'harvested', pathValid: true }], { now: NOW, crypto }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SmimeError);
  });

  it('address comparison ignores case and surrounding space in From', async () => {
    const decision = await decideHarvest({ report: await reportFor(alice.rsa), from: '  ALICE@Example.com ', messageCertificates: [], existing: [], now: NOW, crypto });
    expect(decision.store.map((s) => s.address)).toEqual(['alice@example.com']);
  });

  it('no candidates → nothing chosen', async () => {
    expect((await selectRecipientCertificate(alice.email, [], { now: NOW, crypto })).chosen).toBeNull();
  });
});
