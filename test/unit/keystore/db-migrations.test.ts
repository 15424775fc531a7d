import { describe, expect, it } from 'vitest';
import { IDBFactory } from 'fake-indexeddb';
import './rig.js';
import { KEYSTORE_DB_VERSION, openKeystoreDb, type PersonCertificateRecordV1 } from '../../../src/background/keystore/db.js';

const v1Person: PersonCertificateRecordV1 = {
  id: 'carol@example.org ab12',
  address: 'carol@example.org',
  fingerprintSha256: 'ab12',
  certificate: new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]),
  subject: 'CN=Carol',
  issuer: 'CN=CA',
  notBefore: '2025-01-01T00:00:00.000Z',
  notAfter: '2027-01-01T00:00:00.000Z',
  firstSeen: '2025-03-01T10:00:00.000Z',
  source: 'harvested',
  sender: 'carol@example.org',
  messageId: '<m1@example.org>',
  date: '2025-03-02T10:00:00.000Z',
};

/** Data as each older schema version wrote it. Adding a version means adding its data here. */
const seeds: Record<number, (db: IDBDatabase) => Promise<void>> = {
  1: (db) =>
    new Promise((resolve, reject) => {
      const tx = db.transaction(['people', 'current'], 'readwrite');
      tx.objectStore('people').put(v1Person);
      tx.objectStore('current').put({ address: 'me@example.org', signing: 'id1', encryption: null });
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    }),
};

describe('key store schema migrations', () => {
  it('has seed data for every older version', () => {
    expect(Object.keys(seeds).map(Number)).toEqual(Array.from({ length: KEYSTORE_DB_VERSION - 1 }, (_, i) => i + 1));
  });

  for (let version = 1; version < KEYSTORE_DB_VERSION; version += 1) {
    it(`opens a database created by schema v${version} and migrates its records`, async () => {
      const factory = new IDBFactory();
      const old = await openKeystoreDb({ factory, name: 'm', version });
      expect(old.version).toBe(version);
      await seeds[version](old as unknown as IDBDatabase);
      old.close();

      const db = await openKeystoreDb({ factory, name: 'm' });
      expect(db.version).toBe(KEYSTORE_DB_VERSION);
      const person = await db.get('people', v1Person.id);
      expect(person).toEqual({
        ...{ id: v1Person.id, address: v1Person.address, fingerprintSha256: 'ab12', certificate: v1Person.certificate },
        subject: 'CN=Carol', issuer: 'CN=CA', notBefore: v1Person.notBefore, notAfter: v1Person.notAfter,
        role: 'both', firstSeen: v1Person.firstSeen, lastSeen: v1Person.date,
        provenance: [{ source: 'harvested', sender: 'carol@example.org', date: v1Person.date, messageId: '<m1@example.org>' }],
        pinned: false, state: 'active',
      });
      expect(await db.getAllFromIndex('people', 'byFingerprint', 'ab12')).toHaveLength(1);
      expect(await db.get('current', 'me@example.org')).toEqual({ address: 'me@example.org', signing: 'id1', encryption: null });
      db.close();
    });
  }

  it('creates the current schema from nothing', async () => {
    const db = await openKeystoreDb({ factory: new IDBFactory() });
    expect([...db.objectStoreNames].sort()).toEqual(['anchors', 'current', 'identities', 'meta', 'people']);
    expect([...db.transaction('people').store.indexNames].sort()).toEqual(['byAddress', 'byFingerprint']);
  });

  it('refuses to open a database from a newer release (no silent downgrade)', async () => {
    const factory = new IDBFactory();
    const newer = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = factory.open('n', KEYSTORE_DB_VERSION + 1);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    newer.close();
    await expect(openKeystoreDb({ factory, name: 'n' })).rejects.toThrow(/could not open the key store database/);
  });

  it('an open connection steps aside when a newer release upgrades the database', async () => {
    const factory = new IDBFactory();
    const current = await openKeystoreDb({ factory, name: 'u' });
    const newer = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = factory.open('u', KEYSTORE_DB_VERSION + 1);
      request.onblocked = () => reject(new Error('blocked by the open connection'));
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    expect(newer.version).toBe(KEYSTORE_DB_VERSION + 1);
    newer.close();
    expect(() => current.transaction('meta')).toThrow();
  });
});
