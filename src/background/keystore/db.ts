/**
 * The key store's IndexedDB schema and its upgrade steps (STYLE §6).
 *
 * Versions are an explicit list: `UPGRADE_STEPS[n - 1]` turns a version n-1 database into version n.
 * Opening runs every step from the stored version up to the target inside the single `versionchange`
 * transaction, so an upgrade that fails half-way leaves the old version intact (IndexedDB aborts
 * the whole transaction). Never edit a released step; append a new one.
 *
 * - v1: `meta`, `identities` (by address, by fingerprint), `current`, `people` (one provenance as
 *   flat fields), `anchors`.
 * - v2: `people` records get a `provenance` list, `role`, `lastSeen`, `pinned` and `state`, and
 *   an index by fingerprint.
 */
import { wrap, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import type {
  CurrentSelectionRecord,
  IdentityRecord,
  PersonCertificateRecord,
  Provenance,
  StoreMeta,
  TrustAnchorRecord,
} from './records.js';

export const KEYSTORE_DB_NAME = 'waxseal-keystore';

export interface KeystoreSchema extends DBSchema {
  meta: { key: string; value: StoreMeta };
  identities: { key: string; value: IdentityRecord; indexes: { byAddress: string; byFingerprint: string } };
  current: { key: string; value: CurrentSelectionRecord };
  people: { key: string; value: PersonCertificateRecord; indexes: { byAddress: string; byFingerprint: string } };
  anchors: { key: string; value: TrustAnchorRecord };
}

export type KeystoreDb = IDBPDatabase<KeystoreSchema>;
export type KeystoreStoreName = StoreNames<KeystoreSchema>;

/** The people record as schema v1 stored it: one provenance, flattened. */
export interface PersonCertificateRecordV1 {
  id: string;
  address: string;
  fingerprintSha256: string;
  certificate: Uint8Array<ArrayBuffer>;
  subject: string;
  issuer: string;
  notBefore: string;
  notAfter: string;
  firstSeen: string;
  source: 'harvested' | 'directory' | 'imported';
  sender: string | null;
  messageId: string | null;
  date: string;
}

type UntypedDb = IDBPDatabase<unknown>;
type UpgradeTransaction = IDBPTransaction<unknown, string[], 'versionchange'>;
type UpgradeStep = (db: UntypedDb, transaction: UpgradeTransaction) => Promise<void>;

function upgradeToV1(db: UntypedDb): Promise<void> {
  db.createObjectStore('meta', { keyPath: 'name' });
  const identities = db.createObjectStore('identities', { keyPath: 'id' });
  identities.createIndex('byAddress', 'addresses', { multiEntry: true });
  identities.createIndex('byFingerprint', 'fingerprintSha256');
  db.createObjectStore('current', { keyPath: 'address' });
  const people = db.createObjectStore('people', { keyPath: 'id' });
  people.createIndex('byAddress', 'address');
  db.createObjectStore('anchors', { keyPath: 'fingerprintSha256' });
  return Promise.resolve();
}

/** v1 → v2: people keep every provenance, and gain role, pinning and state (SEC-46, SEC-47). */
export function migratePersonV1(old: PersonCertificateRecordV1): PersonCertificateRecord {
  let provenance: Provenance;
  if (old.source === 'harvested') provenance = { source: 'harvested', sender: old.sender ?? old.address, date: old.date, messageId: old.messageId };
  else if (old.source === 'directory') provenance = { source: 'directory', directory: old.sender ?? 'directory', date: old.date };
  else provenance = { source: 'imported', date: old.date, fileName: null };
  return {
    id: old.id,
    address: old.address,
    fingerprintSha256: old.fingerprintSha256,
    certificate: old.certificate,
    subject: old.subject,
    issuer: old.issuer,
    notBefore: old.notBefore,
    notAfter: old.notAfter,
    role: 'both',
    firstSeen: old.firstSeen,
    lastSeen: old.date,
    provenance: [provenance],
    pinned: false,
    state: 'active',
  };
}

async function upgradeToV2(_db: UntypedDb, transaction: UpgradeTransaction): Promise<void> {
  const people = transaction.objectStore('people');
  people.createIndex('byFingerprint', 'fingerprintSha256');
  let cursor = await people.openCursor();
  while (cursor) {
    await cursor.update(migratePersonV1(cursor.value as PersonCertificateRecordV1));
    cursor = await cursor.continue();
  }
}

/** Upgrade steps in order; the database version is the length of this list. */
export const UPGRADE_STEPS: readonly UpgradeStep[] = [upgradeToV1, upgradeToV2];

export const KEYSTORE_DB_VERSION = UPGRADE_STEPS.length;

export interface OpenKeystoreOptions {
  /** The IndexedDB implementation (the extension's `indexedDB`; fake-indexeddb in tests). */
  factory: IDBFactory;
  name?: string;
  /** Stop at an older version: only for tests that build databases as older releases did. */
  version?: number;
}

/**
 * Opens (creating or upgrading) the key store database.
 * @throws Error when the stored version is newer than this code knows (a downgrade), or when an
 *   upgrade step fails; the database is then left at its old version.
 */
export function openKeystoreDb(options: OpenKeystoreOptions): Promise<KeystoreDb> {
  const version = options.version ?? KEYSTORE_DB_VERSION;
  if (!Number.isInteger(version) || version < 1 || version > KEYSTORE_DB_VERSION) {
    throw new Error(`key store schema version ${version} is not between 1 and ${KEYSTORE_DB_VERSION}`);
  }
  const request = options.factory.open(options.name ?? KEYSTORE_DB_NAME, version);
  const upgradeFailures: unknown[] = [];
  request.onupgradeneeded = (event) => {
    const db = wrap(request.result) as UntypedDb;
    const transaction = wrap(request.transaction as IDBTransaction) as unknown as UpgradeTransaction;
    const from = event.oldVersion;
    const to = event.newVersion ?? version;
    void (async () => {
      for (let step = from; step < to; step += 1) {
        await UPGRADE_STEPS[step](db, transaction);
      }
    })().catch((error: unknown) => {
      upgradeFailures.push(error);
      transaction.abort();
    });
  };
  return (wrap(request) as Promise<KeystoreDb>).then(
    (db) => {
      // A newer release opening the database (after an update) must not be blocked by this connection.
      db.addEventListener('versionchange', () => db.close());
      return db;
    },
    (error: unknown) => {
      const cause = upgradeFailures[0] ?? error;
      throw new Error(`could not open the key store database: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    },
  );
}
