import { describe, expect, it } from 'vitest';
import { createTestPki } from '../../helpers/pki.js';
import { decideHarvest } from '../../../src/crypto/index.js';
import { describeCertificate } from '../../../src/crypto/cert/index.js';
import { PeopleCertificates, personCertificateId } from '../../../src/background/keystore/people.js';
import { createRig, crypto } from './rig.js';
import { NOW, reportFor } from '../harvest/reports.js';

const pki = await createTestPki(crypto);
const { alice } = pki.users;

async function harvestInto(people: PeopleCertificates, signer: typeof alice.rsa, messageId: string, date: string) {
  const decision = await decideHarvest({ report: await reportFor(signer), from: alice.email, messageCertificates: [new Uint8Array(signer.certificate)], existing: await people.knownFor(alice.email), now: new Date(date), crypto });
  const summary = await describeCertificate(new Uint8Array(signer.certificate), crypto);
  const details = new Map([[summary.fingerprintSha256, { subject: summary.subject, issuer: summary.issuer, notBefore: summary.notBefore, notAfter: summary.notAfter }]]);
  await people.applyHarvest(decision, details, { source: 'harvested', sender: alice.email, date, messageId });
  return decision;
}

describe('people\'s certificates', () => {
  it('stores a harvested certificate with provenance, adds provenance when seen again, and supersedes on renewal', async () => {
    const rig = await createRig();
    const people = new PeopleCertificates(rig.db, rig.clock);
    await harvestInto(people, alice.rsa, '<m1@example.com>', NOW.toISOString());
    await harvestInto(people, alice.rsa, '<m2@example.com>', '2026-06-02T00:00:00.000Z');
    const [entry] = await people.list(alice.email);
    expect(entry.provenance.map((p) => p.source === 'harvested' && p.messageId)).toEqual(['<m1@example.com>', '<m2@example.com>']);
    expect(entry.firstSeen).toBe(NOW.toISOString());
    expect(entry.lastSeen).toBe('2026-06-02T00:00:00.000Z');

    const renewed = await pki.issue({ issuer: pki.emailCa, subject: 'CN=Alice renewed', emails: [alice.email], notBefore: new Date('2026-05-01T00:00:00Z') });
    const decision = await harvestInto(people, renewed, '<m3@example.com>', '2026-06-03T00:00:00.000Z');
    expect(decision.notices.map((n) => n.code)).toEqual(['NEW_CERTIFICATE_SAME_ISSUER']);
    const states = Object.fromEntries((await people.list(alice.email)).map((r) => [r.subject, r.state]));
    expect(states).toEqual({ 'O=Waxseal Tests, CN=Alice': 'superseded', 'CN=Alice renewed': 'active' });
    expect(await people.knownFor(alice.email)).toHaveLength(2);
  });

  it('keeps the first and the latest provenance entries when a certificate is seen very often', async () => {
    const rig = await createRig();
    const people = new PeopleCertificates(rig.db, rig.clock);
    for (let i = 0; i < 30; i += 1) await harvestInto(people, alice.rsa, `<m${i}@example.com>`, new Date(NOW.getTime() + i * 1000).toISOString());
    const record = await rig.db.get('people', personCertificateId(alice.email, (await people.list())[0].fingerprintSha256));
    expect(record?.provenance).toHaveLength(20);
    expect(record?.provenance[0]).toMatchObject({ messageId: '<m0@example.com>' });
    expect(record?.provenance[19]).toMatchObject({ messageId: '<m29@example.com>' });
  });
});

describe('harvesting from a verified message', () => {
  it('stores with provenance when on, and does nothing when the user switched harvesting off', async () => {
    const { harvestFromMessage } = await import('../../../src/background/keystore/harvest-store.js');
    const { SettingsStore } = await import('../../../src/background/keystore/settings.js');
    const { recordingArea } = await import('./handler-rig.js');
    const rig = await createRig();
    const people = new PeopleCertificates(rig.db, rig.clock);
    const settings = new SettingsStore(recordingArea());
    const message = { report: await reportFor(alice.rsa), from: alice.email, messageCertificates: [new Uint8Array(alice.rsa.certificate)], messageId: '<h1@example.com>', seenAt: NOW.toISOString() };
    await settings.update({ harvestCertificates: false });
    expect(await harvestFromMessage(people, settings, crypto, message)).toBeNull();
    expect(await people.list()).toEqual([]);
    await settings.update({ harvestCertificates: true });
    const decision = await harvestFromMessage(people, settings, crypto, message);
    expect(decision?.notices.map((n) => n.code)).toEqual(['FIRST_CERTIFICATE']);
    const [stored] = await people.list(alice.email);
    expect(stored).toMatchObject({ subject: 'O=Waxseal Tests, CN=Alice', state: 'active', role: 'both', provenance: [{ source: 'harvested', sender: alice.email, messageId: '<h1@example.com>' }] });
    // Harvesting never touches the user's own key records (SEC-44d).
    expect(await rig.db.count('identities')).toBe(0);
    expect(await rig.db.count('meta')).toBe(0);
  });
});

describe('stored recipient candidates', () => {
  it('maps pinned, harvested and imported entries, and a failing validation to not valid', async () => {
    const { storedRecipientCandidates } = await import('../../../src/background/keystore/recipient-candidates.js');
    const { selectRecipientCertificate } = await import('../../../src/crypto/index.js');
    const rig = await createRig();
    const people = new PeopleCertificates(rig.db, rig.clock);
    await harvestInto(people, alice.rsa, '<m1@example.com>', NOW.toISOString());
    const summary = await describeCertificate(new Uint8Array(alice.ec.certificate), crypto);
    await people.add([{ address: alice.email, fingerprintSha256: summary.fingerprintSha256, certificate: new Uint8Array(alice.ec.certificate), subject: summary.subject, issuer: summary.issuer, notBefore: summary.notBefore, notAfter: summary.notAfter, role: 'both', state: 'active' }], { source: 'imported', date: NOW.toISOString(), fileName: null }, true);
    const ecHex = Buffer.from(alice.ec.certificate).toString('hex');
    const candidates = await storedRecipientCandidates(people, alice.email, async (der) => {
      if (Buffer.from(der).toString('hex') === ecHex) throw new Error('validation crashed');
      return true;
    });
    expect(candidates.map((c) => [c.source, c.pathValid]).sort()).toEqual([['harvested', true], ['pinned', false]]);
    const selection = await selectRecipientCertificate(alice.email, candidates, { now: NOW, crypto });
    expect(selection.chosen?.source).toBe('harvested');
    expect(selection.notes).toEqual(['PINNED_CERTIFICATE_UNUSABLE']);
  });
});

describe('state changes', () => {
  it('marks superseded (never a pinned entry), revoked and confirmed', async () => {
    const rig = await createRig();
    const people = new PeopleCertificates(rig.db, rig.clock);
    await harvestInto(people, alice.rsa, '<m1@example.com>', NOW.toISOString());
    const [entry] = await people.list(alice.email);
    expect(await people.setState(alice.email, [entry.fingerprintSha256, 'unknown'], 'superseded')).toBe(1);
    expect((await people.list(alice.email))[0].state).toBe('superseded');
    await people.setPinned(entry.id, true);
    await people.setState(alice.email, [entry.fingerprintSha256], 'active');
    expect(await people.setState(alice.email, [entry.fingerprintSha256], 'superseded')).toBe(0);
    expect(await people.setState(alice.email, [entry.fingerprintSha256], 'revoked')).toBe(1);
    expect((await people.list(alice.email))[0]).toMatchObject({ state: 'revoked', pinned: true });
  });
});
