/**
 * The user's own identities: import, unlock, passphrase change, delete, export and the current
 * signing/encryption choice (issue #5 items 3–5; SEC-39, SEC-40, SEC-41).
 *
 * Atomicity: every change is computed first (all WebCrypto work), then written in ONE IndexedDB
 * readwrite transaction that holds only puts and deletes. If any write fails, or the process dies,
 * IndexedDB rolls the whole transaction back, so the old passphrase still opens every key. Changes
 * are also serialised in this process, so two imports, or an import during a passphrase change,
 * never interleave.
 */
import * as pkijs from 'pkijs';
import { parseBer, SmimeError, type KeystorePolicy } from '../../crypto/index.js';
import type { IDBPTransaction } from 'idb';
import type { KeystoreDb, KeystoreSchema, KeystoreStoreName } from './db.js';
import { deriveMasterKey, isWrappedKey, madeWith, randomBytes, SALT_BYTES, unwrapKey, wrapKey, type MasterKey } from './key-wrap.js';
import { AttemptLimiter, requireStrongPassphrase } from './passphrase.js';
import type { CurrentSelectionRecord, IdentityRecord, StoreMeta, WrappedKey } from './records.js';
import type { Clock, KeySession } from './session.js';
import { importUnlockedKey, type UnlockedKey } from './unlocked-key.js';

/** Test hook: called before each write of a transaction; throwing aborts the transaction there. */
export interface FaultInjector {
  beforeWrite(operation: KeystoreOperation, step: number): void;
}

export type KeystoreOperation = 'import' | 'delete' | 'changePassphrase' | 'upgrade' | 'setCurrent';

export interface KeystoreOptions {
  db: KeystoreDb;
  crypto: Crypto;
  session: KeySession;
  policy: KeystorePolicy;
  clock: Clock;
  faults?: FaultInjector;
}

/** What the caller (the import handler) knows about one identity from the PKCS#12 and the certificate. */
export interface IdentityImport {
  pkcs8: Uint8Array<ArrayBuffer>;
  certificate: Uint8Array<ArrayBuffer>;
  chain: Uint8Array<ArrayBuffer>[];
  friendlyName: string | null;
  emailAddresses: string[];
  subject: string;
  issuer: string;
  serialNumberHex: string;
  notBefore: string;
  notAfter: string;
  usableForSigning: boolean;
  usableForEncryption: boolean;
}

/** An identity as listed: everything but the wrapped key. */
export type IdentityInfo = Omit<IdentityRecord, 'key' | 'chain'> & {
  /** Addresses this identity is the current signing / encryption identity for. */
  currentSigningFor: string[];
  currentEncryptionFor: string[];
};

export interface UnlockOutcome {
  /** Identities whose key did not open: reported, kept, never dropped (KEYSTORE_DAMAGED_RECORD). */
  damaged: string[];
  /** Identities whose key opened but cannot be used here (e.g. an unsupported curve). */
  unsupported: string[];
  /** True when records were re-wrapped at the current iteration count (SEC-39e). */
  upgraded: boolean;
  /** Why a needed re-wrap did not happen (the records are unchanged and still open); null otherwise. */
  upgradeError: string | null;
}

export interface DeleteOutcome {
  id: string;
  fingerprintSha256: string;
  addresses: string[];
  /** True when no other stored identity has the same public key: mail encrypted to it becomes unreadable. */
  encryptedMailBecomesUnreadable: boolean;
  /** Addresses left with no signing identity. */
  addressesWithoutSigningIdentity: string[];
}

export interface ExportMaterial {
  pkcs8: Uint8Array<ArrayBuffer>;
  certificate: Uint8Array<ArrayBuffer>;
  chain: Uint8Array<ArrayBuffer>[];
  friendlyName: string | null;
}

type WriteTransaction = IDBPTransaction<KeystoreSchema, KeystoreStoreName[], 'readwrite'>;

const CANARY_ID = 'canary';
const ALL_WRITE_STORES: KeystoreStoreName[] = ['meta', 'identities', 'current'];

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function normaliseAddress(address: string): string {
  return address.trim().toLowerCase();
}

function spkiHex(certificate: Uint8Array<ArrayBuffer>): string {
  const parsed = new pkijs.Certificate({ schema: parseBer(certificate, undefined, 'stored certificate') });
  return hex(new Uint8Array(parsed.subjectPublicKeyInfo.toSchema().toBER(false)));
}

export class Keystore {
  private readonly limiter: AttemptLimiter;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: KeystoreOptions) {
    this.limiter = new AttemptLimiter(options.policy, () => options.clock.now());
  }

  /** Runs changes one after another (two imports, import during passphrase change). */
  private serialise<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private async readAll(): Promise<{ meta: StoreMeta | undefined; identities: IdentityRecord[]; current: CurrentSelectionRecord[] }> {
    const tx = this.options.db.transaction(['meta', 'identities', 'current'], 'readonly');
    const [meta, identities, current] = await Promise.all([
      tx.objectStore('meta').get('store'),
      tx.objectStore('identities').getAll(),
      tx.objectStore('current').getAll(),
    ]);
    await tx.done;
    return { meta, identities, current };
  }

  /**
   * Writes in one readwrite transaction. `writes` run in order, each after the fault hook; a
   * failure aborts the transaction, so nothing of it persists.
   */
  private async writeAtomically(operation: KeystoreOperation, writes: ((tx: WriteTransaction) => Promise<unknown>)[]): Promise<void> {
    const tx = this.options.db.transaction(ALL_WRITE_STORES, 'readwrite');
    const done = tx.done.then(
      () => null,
      (error: unknown) => error,
    );
    try {
      for (let step = 0; step < writes.length; step += 1) {
        this.options.faults?.beforeWrite(operation, step);
        await writes[step](tx);
      }
    } catch (error) {
      abortIfActive(tx);
      await done;
      throw error;
    }
    const failure = await done;
    if (failure !== null) throw new Error(`the key store transaction (${operation}) did not commit`, { cause: failure });
  }

  /** Derives the store key and proves the passphrase on the canary (a GCM tag check, SEC-41b). */
  private async openWithPassphrase(meta: StoreMeta, passphrase: string): Promise<MasterKey> {
    this.limiter.check();
    // Requests cross a message boundary: anything but a non-empty string is a wrong passphrase, not a crash.
    if (typeof passphrase !== 'string' || passphrase.length === 0) {
      this.limiter.recordFailure();
      throw new SmimeError('KEYSTORE_WRONG_PASSPHRASE', 'the passphrase is not correct', { detail: { failures: this.limiter.failureCount } });
    }
    const master = await deriveMasterKey(this.options.crypto, passphrase, meta.kdfSalt, meta.iter);
    try {
      await unwrapKey(this.options.crypto, master, CANARY_ID, CANARY_ID, meta.canary);
    } catch (cause) {
      this.limiter.recordFailure();
      throw new SmimeError('KEYSTORE_WRONG_PASSPHRASE', 'the passphrase is not correct', { cause, detail: { failures: this.limiter.failureCount } });
    }
    this.limiter.recordSuccess();
    return master;
  }

  private async newMaster(passphrase: string): Promise<MasterKey> {
    return deriveMasterKey(this.options.crypto, passphrase, randomBytes(this.options.crypto, SALT_BYTES), this.options.policy.pbkdf2Iterations);
  }

  private async newMeta(master: MasterKey, previous: StoreMeta | undefined): Promise<StoreMeta> {
    const now = new Date(this.options.clock.now()).toISOString();
    const canary = await wrapKey(this.options.crypto, master, CANARY_ID, CANARY_ID, randomBytes(this.options.crypto, 32));
    return {
      name: 'store',
      kdf: 'PBKDF2-SHA256',
      iter: master.iter,
      kdfSalt: master.kdfSalt,
      canary,
      createdAt: previous?.createdAt ?? now,
      passphraseChangedAt: now,
    };
  }

  /**
   * Unwraps every identity's key. Records made under other parameters (older iteration counts)
   * cost one extra PBKDF2 per parameter set, once.
   */
  private async unwrapAll(master: MasterKey, passphrase: string, identities: IdentityRecord[]): Promise<{ opened: Map<string, Uint8Array<ArrayBuffer>>; damaged: string[] }> {
    const masters = new Map<string, Promise<MasterKey>>();
    const masterFor = (wrapped: WrappedKey): Promise<MasterKey> => {
      if (madeWith(master, wrapped)) return Promise.resolve(master);
      const cacheKey = `${hex(wrapped.kdfSalt)}/${wrapped.iter}`;
      let other = masters.get(cacheKey);
      if (!other) {
        other = deriveMasterKey(this.options.crypto, passphrase, wrapped.kdfSalt, wrapped.iter);
        masters.set(cacheKey, other);
      }
      return other;
    };
    const opened = new Map<string, Uint8Array<ArrayBuffer>>();
    const damaged: string[] = [];
    for (const identity of identities) {
      try {
        const recordMaster = isWrappedKey(identity.key) ? await masterFor(identity.key) : master;
        opened.set(identity.id, await unwrapKey(this.options.crypto, recordMaster, identity.id, identity.fingerprintSha256, identity.key));
      } catch (error) {
        if (!(error instanceof SmimeError && error.code === 'KEYSTORE_DAMAGED_RECORD')) throw error;
        damaged.push(identity.id);
      }
    }
    return { opened, damaged };
  }

  /** Whether a passphrase has been chosen (the first import chooses it). */
  async isInitialised(): Promise<boolean> {
    return (await this.options.db.get('meta', 'store')) !== undefined;
  }

  async listIdentities(): Promise<IdentityInfo[]> {
    const { identities, current } = await this.readAll();
    return identities
      .map((identity) => {
        const { key: _key, chain: _chain, ...info } = identity;
        return {
          ...info,
          currentSigningFor: current.filter((c) => c.signing === identity.id).map((c) => c.address),
          currentEncryptionFor: current.filter((c) => c.encryption === identity.id).map((c) => c.address),
        };
      })
      .sort((a, b) => a.importedAt.localeCompare(b.importedAt) || a.id.localeCompare(b.id));
  }

  /** The stored certificate (DER) and chain of an identity; public data. */
  async getCertificate(id: string): Promise<{ certificate: Uint8Array<ArrayBuffer>; chain: Uint8Array<ArrayBuffer>[] }> {
    const identity = await this.options.db.get('identities', id);
    if (!identity) throw new SmimeError('KEYSTORE_NOT_FOUND', `no identity ${id}`, { detail: { id } });
    return { certificate: identity.certificate, chain: identity.chain };
  }

  /**
   * Stores identities under the store passphrase; the first import chooses it (and it must be
   * strong, SEC-41f). Re-importing a certificate already stored re-wraps its key with fresh salt
   * and IV under the same record ID. Earlier certificates of an address are kept; the newest
   * becomes current. The first import, which sets the passphrase, leaves the store unlocked.
   * @throws SmimeError `KEYSTORE_WEAK_PASSPHRASE`, `KEYSTORE_WRONG_PASSPHRASE`, `KEYSTORE_RATE_LIMITED`,
   *   `UNSUPPORTED_ALGORITHM` (a key we could not use), `CERTIFICATE_NOT_USABLE` (no address).
   */
  importIdentities(items: IdentityImport[], passphrase: string): Promise<IdentityInfo[]> {
    return this.serialise(async () => {
      const { crypto, session } = this.options;
      const { meta, identities, current } = await this.readAll();
      let master: MasterKey;
      let metaToWrite: StoreMeta | null = null;
      if (meta) {
        master = await this.openWithPassphrase(meta, passphrase);
      } else {
        requireStrongPassphrase(passphrase, this.options.policy);
        master = await this.newMaster(passphrase);
        metaToWrite = await this.newMeta(master, undefined);
      }
      const now = new Date(this.options.clock.now()).toISOString();
      const byId = new Map(identities.map((identity) => [identity.id, identity]));
      const selection = new Map(current.map((c) => [c.address, { ...c }]));
      const records: IdentityRecord[] = [];
      const unlocked: [string, UnlockedKey][] = [];
      for (const item of items) {
        const addresses = [...new Set(item.emailAddresses.map(normaliseAddress))].filter((a) => a.length > 0);
        if (addresses.length === 0) throw new SmimeError('CERTIFICATE_NOT_USABLE', 'the certificate names no e-mail address');
        const fingerprintSha256 = hex(new Uint8Array(await crypto.subtle.digest('SHA-256', item.certificate)));
        const unlockedKey = await importUnlockedKey(crypto, item.pkcs8, item.certificate);
        const existing = identities.find((identity) => identity.fingerprintSha256 === fingerprintSha256) ?? records.find((r) => r.fingerprintSha256 === fingerprintSha256);
        const id = existing?.id ?? hex(randomBytes(crypto, 16));
        const record: IdentityRecord = {
          id,
          addresses,
          fingerprintSha256,
          certificate: item.certificate,
          chain: item.chain,
          friendlyName: item.friendlyName,
          subject: item.subject,
          issuer: item.issuer,
          serialNumberHex: item.serialNumberHex,
          notBefore: item.notBefore,
          notAfter: item.notAfter,
          usableForSigning: item.usableForSigning,
          usableForEncryption: item.usableForEncryption,
          importedAt: existing?.importedAt ?? now,
          key: await wrapKey(crypto, master, id, fingerprintSha256, item.pkcs8),
        };
        const index = records.findIndex((r) => r.id === id);
        if (index >= 0) records[index] = record;
        else records.push(record);
        byId.set(id, record);
        unlocked.push([id, unlockedKey]);
        for (const address of addresses) {
          const choice = selection.get(address) ?? { address, signing: null, encryption: null };
          if (record.usableForSigning && isNewer(record, byId.get(choice.signing ?? ''))) choice.signing = id;
          if (record.usableForEncryption && isNewer(record, byId.get(choice.encryption ?? ''))) choice.encryption = id;
          selection.set(address, choice);
        }
      }
      const writes: ((tx: WriteTransaction) => Promise<unknown>)[] = [];
      if (metaToWrite) {
        const value = metaToWrite;
        writes.push((tx) => tx.objectStore('meta').put(value));
      }
      for (const record of records) writes.push((tx) => tx.objectStore('identities').put(record));
      for (const choice of selection.values()) writes.push((tx) => tx.objectStore('current').put(choice));
      await this.writeAtomically('import', writes);
      // The first import is where the user chose the passphrase: the store starts unlocked, with exactly
      // the keys just imported, so they can sign at once. Later imports add to an unlocked session only.
      if (metaToWrite) session.open(new Map(unlocked));
      else for (const [id, key] of unlocked) session.add(id, key);
      const listed = await this.listIdentities();
      return records.map((record) => listed.find((info) => info.id === record.id)).filter((info): info is IdentityInfo => info !== undefined);
    });
  }

  /**
   * Unlocks every key into the session (SEC-40). Damaged records are reported, kept, and the rest
   * unlock. Records below the policy's iteration count, or under an older store salt, are
   * re-wrapped in one transaction (SEC-39e).
   * @throws SmimeError `KEYSTORE_NOT_INITIALISED`, `KEYSTORE_WRONG_PASSPHRASE`, `KEYSTORE_RATE_LIMITED`.
   */
  unlock(passphrase: string): Promise<UnlockOutcome> {
    return this.serialise(async () => {
      const { meta, identities } = await this.readAll();
      if (!meta) throw new SmimeError('KEYSTORE_NOT_INITIALISED', 'no passphrase has been set yet; import a key first');
      const master = await this.openWithPassphrase(meta, passphrase);
      const { opened, damaged } = await this.unwrapAll(master, passphrase, identities);
      try {
        const keys = new Map<string, UnlockedKey>();
        const identityById = new Map(identities.map((identity) => [identity.id, identity]));
        const unsupported: string[] = [];
        for (const [id, pkcs8] of opened) {
          try {
            keys.set(id, await importUnlockedKey(this.options.crypto, pkcs8, identityById.get(id)!.certificate));
          } catch (error) {
            if (!(error instanceof SmimeError)) throw error;
            unsupported.push(id);
          }
        }
        const stale = meta.iter < this.options.policy.pbkdf2Iterations || identities.some((i) => opened.has(i.id) && !madeWith(master, i.key));
        let upgraded = false;
        let upgradeError: string | null = null;
        if (stale) {
          // The upgrade is an improvement, not a condition of use: if its transaction fails the old
          // records are intact (one transaction), the keys still unlock, and the next unlock retries.
          upgraded = await this.rewrap('upgrade', meta, passphrase, identities.filter((i) => opened.has(i.id)), opened).then(
            () => true,
            (error: unknown) => {
              upgradeError = error instanceof Error ? error.message : String(error);
              return false;
            },
          );
        }
        this.options.session.open(keys);
        return { damaged, unsupported, upgraded, upgradeError };
      } finally {
        for (const pkcs8 of opened.values()) pkcs8.fill(0);
      }
    });
  }

  /** Re-wraps `identities` and the canary under a fresh salt (and the policy's iterations) in one transaction. */
  private async rewrap(operation: KeystoreOperation, meta: StoreMeta, passphrase: string, identities: IdentityRecord[], opened: Map<string, Uint8Array<ArrayBuffer>>): Promise<void> {
    const master = await this.newMaster(passphrase);
    const newMeta = await this.newMeta(master, meta);
    if (operation === 'upgrade') newMeta.passphraseChangedAt = meta.passphraseChangedAt;
    const records: IdentityRecord[] = [];
    for (const identity of identities) {
      const pkcs8 = opened.get(identity.id);
      if (!pkcs8) throw new Error(`identity ${identity.id} was not unwrapped before re-wrapping`);
      records.push({ ...identity, key: await wrapKey(this.options.crypto, master, identity.id, identity.fingerprintSha256, pkcs8) });
    }
    await this.writeAtomically(operation, [
      ...records.map((record) => (tx: WriteTransaction) => tx.objectStore('identities').put(record)),
      (tx: WriteTransaction) => tx.objectStore('meta').put(newMeta),
    ]);
  }

  /**
   * Changes the store passphrase (SEC-41): the current one is proven by unwrapping, the new one must
   * be strong, and every key is re-wrapped with new salts in one transaction.
   * @throws SmimeError `KEYSTORE_WEAK_PASSPHRASE`, `KEYSTORE_WRONG_PASSPHRASE`, `KEYSTORE_RATE_LIMITED`,
   *   `KEYSTORE_NOT_INITIALISED`, `KEYSTORE_DAMAGED_RECORD` (detail `{id, ids}`: delete or restore those first;
   *   nothing was changed).
   */
  changePassphrase(currentPassphrase: string, newPassphrase: string): Promise<void> {
    return this.serialise(async () => {
      const { meta, identities } = await this.readAll();
      if (!meta) throw new SmimeError('KEYSTORE_NOT_INITIALISED', 'no passphrase has been set yet');
      const master = await this.openWithPassphrase(meta, currentPassphrase);
      requireStrongPassphrase(newPassphrase, this.options.policy);
      const { opened, damaged } = await this.unwrapAll(master, currentPassphrase, identities);
      try {
        if (damaged.length > 0) {
          throw new SmimeError('KEYSTORE_DAMAGED_RECORD', `key records that do not open: ${damaged.join(', ')}`, { detail: { id: damaged[0], ids: damaged } });
        }
        await this.rewrap('changePassphrase', meta, newPassphrase, identities, opened);
      } finally {
        for (const pkcs8 of opened.values()) pkcs8.fill(0);
      }
    });
  }

  /** What deleting an identity would lose, without deleting it. */
  async previewDelete(id: string): Promise<DeleteOutcome> {
    const { identities, current } = await this.readAll();
    return describeDeletion(id, identities, current).outcome;
  }

  /**
   * Deletes an identity and its key, and moves the current choice of its addresses to the newest
   * remaining identity, in one transaction.
   * @throws SmimeError `KEYSTORE_NOT_FOUND`.
   */
  deleteIdentity(id: string): Promise<DeleteOutcome> {
    return this.serialise(async () => {
      const { identities, current } = await this.readAll();
      const { outcome, selection } = describeDeletion(id, identities, current);
      await this.writeAtomically('delete', [
        (tx) => tx.objectStore('identities').delete(id),
        ...selection.map((choice) => (tx: WriteTransaction) =>
          choice.signing === null && choice.encryption === null ? tx.objectStore('current').delete(choice.address) : tx.objectStore('current').put(choice),
        ),
      ]);
      this.options.session.forget(id);
      return outcome;
    });
  }

  /**
   * Makes an identity current for signing and/or encryption for one of its addresses.
   * @throws SmimeError `KEYSTORE_NOT_FOUND`, `CERTIFICATE_NOT_USABLE` (address not in the certificate,
   *   or the certificate not usable for that purpose).
   */
  setCurrent(address: string, purpose: 'signing' | 'encryption', id: string): Promise<void> {
    return this.serialise(async () => {
      const normalised = normaliseAddress(address);
      const identity = await this.options.db.get('identities', id);
      if (!identity) throw new SmimeError('KEYSTORE_NOT_FOUND', `no identity ${id}`, { detail: { id } });
      if (!identity.addresses.includes(normalised)) throw new SmimeError('CERTIFICATE_NOT_USABLE', `the certificate is not issued to ${normalised}`);
      if (purpose === 'signing' ? !identity.usableForSigning : !identity.usableForEncryption) {
        throw new SmimeError('CERTIFICATE_NOT_USABLE', `the certificate is not usable for ${purpose}`);
      }
      const choice = (await this.options.db.get('current', normalised)) ?? { address: normalised, signing: null, encryption: null };
      choice[purpose] = id;
      await this.writeAtomically('setCurrent', [(tx) => tx.objectStore('current').put(choice)]);
    });
  }

  /** The current identity ID for an address and purpose, or null. */
  async currentIdentity(address: string, purpose: 'signing' | 'encryption'): Promise<string | null> {
    const choice = await this.options.db.get('current', normaliseAddress(address));
    return choice?.[purpose] ?? null;
  }

  /**
   * Unwraps one identity for export after the passphrase is re-entered (SEC-42a). The caller turns it
   * into a PKCS#12 and zeroes `pkcs8`; it never crosses the RPC boundary.
   * @throws SmimeError `KEYSTORE_NOT_FOUND`, `KEYSTORE_WRONG_PASSPHRASE`, `KEYSTORE_RATE_LIMITED`, `KEYSTORE_DAMAGED_RECORD`.
   */
  unwrapForExport(id: string, passphrase: string): Promise<ExportMaterial> {
    // Serialised like every passphrase check, so parallel guesses cannot slip past the back-off.
    return this.serialise(() => this.unwrapOneForExport(id, passphrase));
  }

  private async unwrapOneForExport(id: string, passphrase: string): Promise<ExportMaterial> {
    const { meta, identities } = await this.readAll();
    if (!meta) throw new SmimeError('KEYSTORE_NOT_INITIALISED', 'no passphrase has been set yet');
    const identity = identities.find((i) => i.id === id);
    if (!identity) throw new SmimeError('KEYSTORE_NOT_FOUND', `no identity ${id}`, { detail: { id } });
    const master = await this.openWithPassphrase(meta, passphrase);
    const { opened, damaged } = await this.unwrapAll(master, passphrase, [identity]);
    const pkcs8 = opened.get(id);
    if (!pkcs8 || damaged.length > 0) throw new SmimeError('KEYSTORE_DAMAGED_RECORD', `key record ${id} does not open`, { detail: { id } });
    return { pkcs8, certificate: identity.certificate, chain: identity.chain, friendlyName: identity.friendlyName };
  }
}

function isNewer(candidate: IdentityRecord, incumbent: IdentityRecord | undefined): boolean {
  return !incumbent || incumbent.id === candidate.id || candidate.notBefore >= incumbent.notBefore;
}

function describeDeletion(id: string, identities: IdentityRecord[], current: CurrentSelectionRecord[]): { outcome: DeleteOutcome; selection: CurrentSelectionRecord[] } {
  const target = identities.find((identity) => identity.id === id);
  if (!target) throw new SmimeError('KEYSTORE_NOT_FOUND', `no identity ${id}`, { detail: { id } });
  const rest = identities.filter((identity) => identity.id !== id);
  const targetKey = spkiHex(target.certificate);
  const sameKeyElsewhere = rest.some((identity) => spkiHex(identity.certificate) === targetKey);
  const selection: CurrentSelectionRecord[] = [];
  const withoutSigning: string[] = [];
  for (const choice of current) {
    if (choice.signing !== id && choice.encryption !== id) continue;
    const next = { ...choice };
    const candidates = rest.filter((identity) => identity.addresses.includes(choice.address)).sort((a, b) => b.notBefore.localeCompare(a.notBefore));
    if (next.signing === id) next.signing = candidates.find((c) => c.usableForSigning)?.id ?? null;
    if (next.encryption === id) next.encryption = candidates.find((c) => c.usableForEncryption)?.id ?? null;
    if (next.signing === null) withoutSigning.push(choice.address);
    selection.push(next);
  }
  return {
    outcome: {
      id,
      fingerprintSha256: target.fingerprintSha256,
      addresses: target.addresses,
      encryptedMailBecomesUnreadable: !sameKeyElsewhere,
      addressesWithoutSigningIdentity: withoutSigning,
    },
    selection,
  };
}

function abortIfActive(tx: WriteTransaction): void {
  try {
    tx.abort();
  } catch (error) {
    // A transaction that already failed on its own cannot be aborted again (InvalidStateError);
    // anything else is a real fault.
    if (!(error instanceof Error && error.name === 'InvalidStateError')) throw error;
  }
}
