/** SEC-47: choosing among directory, harvested and pinned certificates for a recipient. */
import { describe, expect, it } from 'vitest';
import { createTestPki } from '../helpers/pki.js';
import { selectRecipientCertificate, type RecipientCandidate } from '../../src/crypto/harvest.js';
import { crypto, fingerprintOf, NOW } from '../unit/harvest/reports.js';

const pki = await createTestPki(crypto);
const { bob } = pki.users;
const der = (identity: { certificate: Uint8Array }) => new Uint8Array(identity.certificate);

const directoryValid = await pki.issue({ issuer: pki.emailCa, subject: 'CN=Bob directory', emails: [bob.email], notBefore: new Date('2026-02-01T00:00:00Z') });
const directoryExpired = await pki.issue({ issuer: pki.emailCa, subject: 'CN=Bob expired', emails: [bob.email], notBefore: new Date('2024-01-01T00:00:00Z'), notAfter: new Date('2025-12-31T00:00:00Z') });
const directoryServerAuth = await pki.issue({ issuer: pki.emailCa, subject: 'CN=Bob TLS', emails: [bob.email], eku: ['serverAuth'], notBefore: new Date('2026-03-01T00:00:00Z') });
const pinned = await pki.issue({ issuer: pki.emailCa, subject: 'CN=Bob pinned', emails: [bob.email], notBefore: new Date('2025-02-01T00:00:00Z') });
const carol = await pki.issue({ issuer: pki.emailCa, subject: 'CN=Carol', emails: ['carol@example.com'], notBefore: new Date('2026-04-01T00:00:00Z') });

const harvested: RecipientCandidate = { certificate: der(bob.rsa), source: 'harvested', pathValid: true, state: 'active' };

describe('SEC-47 directory certificates', () => {
  it('SEC-47a: a directory certificate that fails validation is never used', async () => {
    const selection = await selectRecipientCertificate(bob.email, [{ certificate: der(directoryValid), source: 'directory', pathValid: false }], { now: NOW, crypto });
    expect(selection.chosen).toBeNull();
    expect(selection.rejected[0].reasons).toEqual(['PATH_NOT_VALID']);
  });

  it('SEC-47b: user-pinned > valid directory > valid harvested', async () => {
    const all: RecipientCandidate[] = [harvested, { certificate: der(directoryValid), source: 'directory', pathValid: true }, { certificate: der(pinned), source: 'pinned', pathValid: true }];
    expect((await selectRecipientCertificate(bob.email, all, { now: NOW, crypto })).chosen?.source).toBe('pinned');
    expect((await selectRecipientCertificate(bob.email, all.slice(0, 2), { now: NOW, crypto })).chosen?.source).toBe('directory');
    expect((await selectRecipientCertificate(bob.email, all.slice(0, 1), { now: NOW, crypto })).chosen?.source).toBe('harvested');
  });

  it('SEC-47c: of three directory certificates (expired, serverAuth only, valid) the valid one is chosen', async () => {
    const selection = await selectRecipientCertificate(bob.email, [
      { certificate: der(directoryExpired), source: 'directory', pathValid: true },
      { certificate: der(directoryServerAuth), source: 'directory', pathValid: true },
      { certificate: der(directoryValid), source: 'directory', pathValid: true },
    ], { now: NOW, crypto });
    expect(selection.chosen?.fingerprintSha256).toBe(await fingerprintOf(directoryValid));
    expect(selection.rejected.map((r) => r.reasons)).toEqual([['EXPIRED'], ['NOT_FOR_ENCRYPTION']]);
  });

  it('SEC-47d: a directory certificate that does not name bob@ is refused for bob@', async () => {
    const selection = await selectRecipientCertificate(bob.email, [{ certificate: der(carol), source: 'directory', pathValid: true }, harvested], { now: NOW, crypto });
    expect(selection.chosen?.source).toBe('harvested');
    expect(selection.rejected).toEqual([{ fingerprintSha256: await fingerprintOf(carol), source: 'directory', reasons: ['ADDRESS_MISMATCH'] }]);
    expect(selection.notes).toContain('DIRECTORY_CERTIFICATE_UNUSABLE');
  });

  it('SEC-47e: directory unreachable → the harvested certificate, with a visible note', async () => {
    const selection = await selectRecipientCertificate(bob.email, [harvested], { now: NOW, crypto, directory: 'unreachable' });
    expect(selection.chosen?.source).toBe('harvested');
    expect(selection.notes).toEqual(['DIRECTORY_UNREACHABLE']);
  });

  it('SEC-47f: a usable directory certificate differing from the harvested one wins; the harvested entry is superseded', async () => {
    const selection = await selectRecipientCertificate(bob.email, [harvested, { certificate: der(directoryValid), source: 'directory', pathValid: true }], { now: NOW, crypto });
    expect(selection.chosen?.source).toBe('directory');
    expect(selection.supersede).toEqual([await fingerprintOf(bob.rsa)]);
    expect(selection.notes).toEqual([]);
  });

  it('an unusable pinned certificate does not block a usable one, and says so', async () => {
    const selection = await selectRecipientCertificate(bob.email, [{ certificate: der(directoryExpired), source: 'pinned', pathValid: true }, harvested], { now: NOW, crypto });
    expect(selection.chosen?.source).toBe('harvested');
    expect(selection.notes).toContain('PINNED_CERTIFICATE_UNUSABLE');
  });

  it('superseded and unconfirmed harvested entries are not used', async () => {
    const selection = await selectRecipientCertificate(bob.email, [
      { ...harvested, state: 'superseded' },
      { certificate: der(directoryValid), source: 'harvested', pathValid: true, state: 'needs-confirmation' },
    ], { now: NOW, crypto });
    expect(selection.chosen).toBeNull();
    expect(selection.rejected.map((r) => r.reasons)).toEqual([['SUPERSEDED'], ['NEEDS_CONFIRMATION']]);
  });
});
