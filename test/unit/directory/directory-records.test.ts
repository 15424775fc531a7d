/**
 * Directory certificates in the people store (#9, SEC-47): a usable certificate a lookup returned is
 * recorded with the directory's name and the lookup time, listed like harvested and imported ones,
 * stands in for an unreachable directory until the cache lifetime ends, and still wins over a
 * harvested certificate. Real key store code over fake IndexedDB, real path validation, the compose
 * window's real resolution; only the directory's answer is scripted.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../../src/crypto/index.js';
import { withDirectoryLookup } from '../../../src/background/directory/compose-source.js';
import type { DirectoryAnswer } from '../../../src/background/directory/directory-lookup.js';
import type { DirectoryService } from '../../../src/background/directory/directory-service.js';
import { TrustAnchors } from '../../../src/background/keystore/anchors.js';
import { PeopleCertificates, personCertificateId } from '../../../src/background/keystore/people.js';
import type { PersonCertificateRecord } from '../../../src/background/keystore/records.js';
import { parseManagedConfig } from '../../../src/background/policy/managed-config.js';
import { recipientCertificatesFromKeystore } from '../../../src/background/send/key-access.js';
import { resolveRecipients } from '../../../src/background/send/recipients.js';
import { describeCertificate } from '../../../src/crypto/cert/index.js';
import { createTestPki, toPem, type TestIdentity, type TestPki } from '../../helpers/pki.js';
import { createRig, crypto, type Rig } from '../keystore/rig.js';

const BOB = 'bob@example.com';
const LOOKUP = '2026-06-01T00:00:00.000Z';
const MINUTE = 60_000;

let pki: TestPki;
/** Issued straight by the test root, so they validate without an intermediate. */
let fromDirectory: TestIdentity;
let harvested: TestIdentity;
let forSomeoneElse: TestIdentity;
let untrusted: TestIdentity;

beforeAll(async () => {
  pki = await createTestPki(crypto);
  fromDirectory = await pki.issue({ issuer: pki.root, subject: 'CN=Bob from the directory', emails: [BOB], notBefore: new Date('2026-01-01T00:00:00Z'), label: 'bob-directory' });
  harvested = await pki.issue({ issuer: pki.root, subject: 'CN=Bob harvested', emails: [BOB], notBefore: new Date('2026-05-01T00:00:00Z'), label: 'bob-harvested' });
  forSomeoneElse = await pki.issue({ issuer: pki.root, subject: 'CN=Grace', emails: ['grace@example.com'], label: 'grace' });
  const otherRoot = await pki.issue({ issuer: 'self', subject: 'CN=Unknown Root', ca: true, label: 'unknown-root' });
  untrusted = await pki.issue({ issuer: otherRoot, subject: 'CN=Bob untrusted', emails: [BOB], label: 'bob-untrusted' });
});

interface Setup {
  rig: Rig;
  people: PeopleCertificates;
  /** The directory's next answer; `null` is a directory that cannot be reached. */
  answer: { certificates: Uint8Array[]; checkedAt: string } | null;
  now: Date;
  resolve(): Promise<Awaited<ReturnType<typeof resolveRecipients>>[number]>;
}

/** The compose window's resolution for bob, as src/background/send/services.ts wires it, with the test root as user and organisation anchor. */
async function setup(cacheMinutes = 60): Promise<Setup> {
  const rig = await createRig();
  const people = new PeopleCertificates(rig.db, rig.clock);
  const anchors = new TrustAnchors(rig.db);
  // The base (stored certificates) trusts the user's anchors only, so the root is one of those too.
  const root = await describeCertificate(pki.root.certificate, crypto);
  await anchors.add({ certificate: new Uint8Array(pki.root.certificate), fingerprintSha256: root.fingerprintSha256, subject: root.subject, addedBy: 'user', purposes: ['emailEncryption'], addedAt: LOOKUP });
  const { config } = parseManagedConfig({ trustAnchors: [toPem(pki.root.certificate)] });
  const state: Setup = {
    rig,
    people,
    answer: null,
    now: new Date(LOOKUP),
    async resolve() {
      const [bob] = await resolveRecipients({ to: [BOB], cc: [], bcc: [] }, source, { now: state.now, crypto });
      return bob!;
    },
  };
  const directory: DirectoryService = {
    lookup: async (): Promise<DirectoryAnswer> =>
      state.answer
        ? { status: 'answered', certificates: state.answer.certificates.map((certificate) => ({ certificate, directory: 'Example LDAP' })), intermediates: [], unreachable: [], checkedAt: state.answer.checkedAt }
        : { status: 'unreachable', certificates: [], intermediates: [], unreachable: ['Example LDAP'], checkedAt: state.now.toISOString() },
    cacheMinutes: async () => cacheMinutes,
    reset: () => undefined,
  };
  const now = (): Date => state.now;
  const base = recipientCertificatesFromKeystore({ people, anchors, keystore: rig.keystore, crypto, policy: DEFAULT_POLICY, now });
  const source = withDirectoryLookup(base, { directory, anchors, keystore: rig.keystore, people, managed: async () => config, crypto, policy: DEFAULT_POLICY, now });
  return state;
}

async function storeHarvested(people: PeopleCertificates, rig: Rig, identity: TestIdentity): Promise<void> {
  const summary = await describeCertificate(identity.certificate, crypto);
  const record: PersonCertificateRecord = {
    id: personCertificateId(BOB, summary.fingerprintSha256),
    address: BOB,
    fingerprintSha256: summary.fingerprintSha256,
    certificate: new Uint8Array(identity.certificate),
    subject: summary.subject,
    issuer: summary.issuer,
    notBefore: summary.notBefore,
    notAfter: summary.notAfter,
    role: 'both',
    firstSeen: '2026-05-15T00:00:00.000Z',
    lastSeen: '2026-05-15T00:00:00.000Z',
    provenance: [{ source: 'harvested', sender: BOB, date: '2026-05-15T00:00:00.000Z', messageId: '<h@example.com>' }],
    pinned: false,
    state: 'active',
  };
  await rig.db.put('people', record);
  expect(await people.list(BOB)).toHaveLength(1);
}

const same = (a: Uint8Array | null, b: Uint8Array): boolean => a !== null && Buffer.from(a).equals(Buffer.from(b));

describe('directory certificates recorded in the people store', () => {
  it('records a usable answer with source directory, the directory name and the lookup time; not an untrusted one nor one for another address', async () => {
    const s = await setup();
    s.answer = { certificates: [fromDirectory.certificate, untrusted.certificate, forSomeoneElse.certificate], checkedAt: LOOKUP };
    const bob = await s.resolve();
    expect(bob.view.certificate?.origin).toBe('directory');
    expect(same(bob.certificate, fromDirectory.certificate)).toBe(true);
    const records = await s.people.list(BOB);
    expect(records).toHaveLength(1);
    const [record] = records;
    expect(same(record!.certificate, fromDirectory.certificate)).toBe(true);
    expect(record!.provenance).toEqual([{ source: 'directory', directory: 'Example LDAP', date: LOOKUP }]);
    expect(record!.subject).toContain('Bob from the directory');
    expect(record!).toMatchObject({ address: BOB, pinned: false, state: 'active', firstSeen: LOOKUP, lastSeen: LOOKUP });
    expect(await s.people.list('grace@example.com')).toEqual([]);
  });

  it('the same cached answer is recorded once; a later lookup replaces the lookup time instead of piling up entries', async () => {
    const s = await setup();
    s.answer = { certificates: [fromDirectory.certificate], checkedAt: LOOKUP };
    await s.resolve();
    await s.resolve();
    const later = new Date(Date.parse(LOOKUP) + 90 * MINUTE).toISOString();
    s.now = new Date(later);
    s.answer = { certificates: [fromDirectory.certificate], checkedAt: later };
    await s.resolve();
    const [record] = await s.people.list(BOB);
    expect(record!.provenance).toEqual([{ source: 'directory', directory: 'Example LDAP', date: later }]);
    expect(record!.firstSeen).toBe(LOOKUP);
    expect(record!.lastSeen).toBe(later);
  });

  it('a harvested certificate the directory also returns keeps its harvest and gains the directory as a source', async () => {
    const s = await setup();
    await storeHarvested(s.people, s.rig, fromDirectory);
    s.answer = { certificates: [fromDirectory.certificate], checkedAt: LOOKUP };
    const bob = await s.resolve();
    expect(bob.view.certificate?.origin).toBe('directory');
    const [record] = await s.people.list(BOB);
    expect(record!.provenance.map((p) => p.source)).toEqual(['harvested', 'directory']);
  });
});

describe('offline: recorded directory certificates until the cache lifetime ends', () => {
  it('with the directory unreachable, a certificate recorded within the lifetime is still used, from the directory', async () => {
    const s = await setup(60);
    s.answer = { certificates: [fromDirectory.certificate], checkedAt: LOOKUP };
    await s.resolve();
    s.answer = null;
    s.now = new Date(Date.parse(LOOKUP) + 59 * MINUTE);
    const bob = await s.resolve();
    expect(bob.view.status).toBe('ok');
    expect(bob.view.certificate?.origin).toBe('directory');
    expect(same(bob.certificate, fromDirectory.certificate)).toBe(true);
  });

  it('after the lifetime it is no longer used, though it stays listed', async () => {
    const s = await setup(60);
    s.answer = { certificates: [fromDirectory.certificate], checkedAt: LOOKUP };
    await s.resolve();
    s.answer = null;
    s.now = new Date(Date.parse(LOOKUP) + 61 * MINUTE);
    const bob = await s.resolve();
    expect(bob.certificate).toBeNull();
    expect(bob.view.problems).toEqual(['missing']);
    expect(await s.people.list(BOB)).toHaveLength(1);
  });

  it('SEC-47e: after the lifetime a harvested certificate is used, and the status says the directory could not be reached', async () => {
    const s = await setup(60);
    await storeHarvested(s.people, s.rig, harvested);
    s.answer = { certificates: [fromDirectory.certificate], checkedAt: LOOKUP };
    await s.resolve();
    s.answer = null;
    s.now = new Date(Date.parse(LOOKUP) + 2 * 60 * MINUTE);
    const bob = await s.resolve();
    expect(same(bob.certificate, harvested.certificate)).toBe(true);
    expect(bob.view.certificate?.origin).toBe('harvested');
    expect(bob.view.reasons).toContain('directory-unreachable');
  });

  it('SEC-47e: with no certificate at all, the row still says the directory could not be reached, not only "missing"', async () => {
    const s = await setup(60);
    const bob = await s.resolve();
    expect(bob.certificate).toBeNull();
    expect(bob.view.problems).toEqual(['missing']);
    expect(bob.view.reasons).toEqual(['directory-unreachable']);
  });

  it('when the directory answers without it (removed there), the recorded certificate is not used any more', async () => {
    const s = await setup(60);
    s.answer = { certificates: [fromDirectory.certificate], checkedAt: LOOKUP };
    await s.resolve();
    s.now = new Date(Date.parse(LOOKUP) + 5 * MINUTE);
    s.answer = { certificates: [], checkedAt: s.now.toISOString() };
    const bob = await s.resolve();
    expect(bob.certificate).toBeNull();
  });
});

describe('SEC-47b: a usable directory certificate wins over a harvested one', () => {
  it('live from the directory', async () => {
    const s = await setup();
    await storeHarvested(s.people, s.rig, harvested);
    s.answer = { certificates: [fromDirectory.certificate], checkedAt: LOOKUP };
    const bob = await s.resolve();
    expect(same(bob.certificate, fromDirectory.certificate)).toBe(true);
    expect(bob.view.certificate?.origin).toBe('directory');
    expect(bob.view.reasons).toContain('directory');
  });

  it('recorded, while the directory is unreachable within the lifetime (the harvested one is newer)', async () => {
    const s = await setup();
    await storeHarvested(s.people, s.rig, harvested);
    s.answer = { certificates: [fromDirectory.certificate], checkedAt: LOOKUP };
    await s.resolve();
    s.answer = null;
    s.now = new Date(Date.parse(LOOKUP) + 10 * MINUTE);
    const bob = await s.resolve();
    expect(same(bob.certificate, fromDirectory.certificate)).toBe(true);
    expect(bob.view.certificate?.origin).toBe('directory');
  });

  it('SEC-47f: the harvested certificate is marked as replaced by the directory one, and is still the fallback (SEC-47e)', async () => {
    const s = await setup(60);
    await storeHarvested(s.people, s.rig, harvested);
    s.answer = { certificates: [fromDirectory.certificate], checkedAt: LOOKUP };
    const bob = await s.resolve();
    const directoryFingerprint = bob.view.certificate!.fingerprintSha256;
    const marked = (await s.people.list(BOB)).find((r) => r.provenance.every((p) => p.source === 'harvested'))!;
    expect(marked.supersededByDirectory).toEqual({ fingerprintSha256: directoryFingerprint, date: expect.any(String) });
    expect(marked.state).toBe('active');
    // Directory gone and its record past the lifetime: the marked harvested certificate is used again.
    s.answer = null;
    s.now = new Date(Date.parse(LOOKUP) + 2 * 60 * MINUTE);
    expect(same((await s.resolve()).certificate, harvested.certificate)).toBe(true);
  });

  it('an untrusted directory certificate is neither recorded nor allowed to block the harvested one (SEC-47a)', async () => {
    const s = await setup();
    await storeHarvested(s.people, s.rig, harvested);
    s.answer = { certificates: [untrusted.certificate], checkedAt: LOOKUP };
    const bob = await s.resolve();
    expect(same(bob.certificate, harvested.certificate)).toBe(true);
    expect(bob.view.reasons).toContain('directory-unusable');
    expect((await s.people.list(BOB)).map((r) => r.provenance[0]!.source)).toEqual(['harvested']);
  });
});
