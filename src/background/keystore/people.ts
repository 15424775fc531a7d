/**
 * Correspondents' certificates: every certificate ever stored per address, with where each came from
 * (harvested: sender, date, message ID; directory; imported by hand), first- and last-seen dates,
 * pinning and state (SEC-45..SEC-48). No private keys here, ever (SEC-44d).
 */
import { SmimeError, type HarvestDecision, type KnownCertificate } from '../../crypto/index.js';
import type { KeystoreDb } from './db.js';
import type { PersonCertificateRecord, PersonCertificateState, Provenance } from './records.js';
import type { Clock } from './session.js';

/** Provenance entries kept per certificate: the first, and the most recent ones. */
export const MAX_PROVENANCE_ENTRIES = 20;

export interface PersonCertificateInput {
  address: string;
  fingerprintSha256: string;
  certificate: Uint8Array<ArrayBuffer>;
  subject: string;
  issuer: string;
  notBefore: string;
  notAfter: string;
  role: PersonCertificateRecord['role'];
  state: PersonCertificateState;
}

function normaliseAddress(address: string): string {
  return address.trim().toLowerCase();
}

export function personCertificateId(address: string, fingerprintSha256: string): string {
  return `${normaliseAddress(address)} ${fingerprintSha256.toLowerCase()}`;
}

function withProvenance(record: PersonCertificateRecord, provenance: Provenance): PersonCertificateRecord {
  const list = [...record.provenance, provenance];
  const trimmed = list.length > MAX_PROVENANCE_ENTRIES ? [list[0], ...list.slice(list.length - MAX_PROVENANCE_ENTRIES + 1)] : list;
  return { ...record, provenance: trimmed, lastSeen: provenance.date > record.lastSeen ? provenance.date : record.lastSeen };
}

export class PeopleCertificates {
  constructor(
    private readonly db: KeystoreDb,
    private readonly clock: Clock,
  ) {}

  /** Every stored certificate, or those of one address (by index). */
  async list(address?: string): Promise<PersonCertificateRecord[]> {
    if (address === undefined) return this.db.getAll('people');
    return this.db.getAllFromIndex('people', 'byAddress', normaliseAddress(address));
  }

  /** The stored certificates of an address in the shape the harvesting rules take. */
  async knownFor(address: string): Promise<KnownCertificate[]> {
    return (await this.list(address)).map((record) => ({
      fingerprintSha256: record.fingerprintSha256,
      certificate: record.certificate,
      role: record.role,
      state: record.state,
      pinned: record.pinned,
      firstSeen: record.firstSeen,
      harvested: record.provenance.some((p) => p.source === 'harvested'),
    }));
  }

  /**
   * Stores what `decideHarvest` decided, in one transaction: new certificates, provenance on the
   * ones seen again, superseded marks.
   */
  async applyHarvest(decision: HarvestDecision, details: Map<string, Omit<PersonCertificateInput, 'address' | 'role' | 'state' | 'certificate' | 'fingerprintSha256'>>, provenance: Extract<Provenance, { source: 'harvested' }>): Promise<void> {
    for (const entry of decision.store) {
      if (!details.has(entry.fingerprintSha256)) throw new Error(`no certificate details for ${entry.fingerprintSha256}`);
    }
    const tx = this.db.transaction('people', 'readwrite');
    const store = tx.objectStore('people');
    const writes: Promise<unknown>[] = [];
    for (const entry of decision.store) {
      const detail = details.get(entry.fingerprintSha256)!;
      const record: PersonCertificateRecord = {
        id: personCertificateId(entry.address, entry.fingerprintSha256),
        address: normaliseAddress(entry.address),
        fingerprintSha256: entry.fingerprintSha256,
        certificate: new Uint8Array(entry.certificate),
        ...detail,
        role: entry.role,
        firstSeen: provenance.date,
        lastSeen: provenance.date,
        provenance: [provenance],
        pinned: false,
        state: entry.state,
      };
      writes.push(store.put(record));
    }
    const address = normaliseAddress(provenance.sender);
    for (const fingerprint of decision.seen) {
      const record = await store.get(personCertificateId(address, fingerprint));
      if (record) writes.push(store.put(withProvenance(record, provenance)));
    }
    for (const fingerprint of decision.supersede) {
      const record = await store.get(personCertificateId(address, fingerprint));
      if (record && !record.pinned) writes.push(store.put({ ...record, state: 'superseded' }));
    }
    await Promise.all([...writes, tx.done]);
  }

  /**
   * Adds (or adds provenance to) certificates imported by hand or from the directory. A certificate
   * imported by hand and pinned is the user's explicit choice for the address (SEC-48b).
   */
  async add(entries: PersonCertificateInput[], provenance: Exclude<Provenance, { source: 'harvested' }>, pin: boolean): Promise<PersonCertificateRecord[]> {
    const tx = this.db.transaction('people', 'readwrite');
    const store = tx.objectStore('people');
    const out: PersonCertificateRecord[] = [];
    for (const entry of entries) {
      const id = personCertificateId(entry.address, entry.fingerprintSha256);
      const existing = await store.get(id);
      const record: PersonCertificateRecord = existing
        ? withProvenance({ ...existing, state: pin ? 'active' : existing.state }, provenance)
        : { ...entry, id, address: normaliseAddress(entry.address), firstSeen: provenance.date, lastSeen: provenance.date, provenance: [provenance], pinned: false };
      if (pin) {
        for (const other of await store.index('byAddress').getAll(record.address)) {
          if (other.id !== id && other.pinned) await store.put({ ...other, pinned: false });
        }
        record.pinned = true;
      }
      await store.put(record);
      out.push(record);
    }
    await tx.done;
    return out;
  }

  /**
   * Records certificates a directory lookup returned (#9): new ones are stored with the directory's
   * provenance; on one already stored, the entry for that directory is replaced by this lookup's
   * (the lookup time is what keeps it usable offline, so one entry per directory is enough, and
   * repeated lookups do not push older provenance out). Never pins, never changes the state.
   * @returns the number of entries written (0 when every certificate already has this lookup).
   */
  async recordDirectory(entries: PersonCertificateInput[], provenance: Extract<Provenance, { source: 'directory' }>): Promise<number> {
    const tx = this.db.transaction('people', 'readwrite');
    let written = 0;
    for (const entry of entries) {
      const id = personCertificateId(entry.address, entry.fingerprintSha256);
      const existing = await tx.store.get(id);
      if (existing?.provenance.some((p) => p.source === 'directory' && p.directory === provenance.directory && p.date === provenance.date)) continue;
      const record: PersonCertificateRecord = existing
        ? withProvenance({ ...existing, provenance: existing.provenance.filter((p) => p.source !== 'directory' || p.directory !== provenance.directory) }, provenance)
        : { ...entry, id, address: normaliseAddress(entry.address), firstSeen: provenance.date, lastSeen: provenance.date, provenance: [provenance], pinned: false };
      await tx.store.put(record);
      written += 1;
    }
    await tx.done;
    return written;
  }

  /** @throws SmimeError `KEYSTORE_NOT_FOUND`. */
  async setPinned(id: string, pinned: boolean): Promise<PersonCertificateRecord> {
    const tx = this.db.transaction('people', 'readwrite');
    const store = tx.objectStore('people');
    const record = await store.get(id);
    if (!record) throw new SmimeError('KEYSTORE_NOT_FOUND', `no certificate ${id}`, { detail: { id } });
    if (pinned) {
      for (const other of await store.index('byAddress').getAll(record.address)) {
        if (other.id !== id && other.pinned) await store.put({ ...other, pinned: false });
      }
    }
    const updated: PersonCertificateRecord = { ...record, pinned, state: pinned && record.state === 'needs-confirmation' ? 'active' : record.state };
    await store.put(updated);
    await tx.done;
    return updated;
  }

  /**
   * Sets the state of entries of one address by fingerprint, in one transaction: `superseded` when a
   * directory certificate wins (SEC-47f), `revoked` after a revocation check (SEC-46d), `active` when
   * the user confirms a changed key (SEC-46b). Pinned entries are never marked superseded.
   * @returns the number of entries changed.
   */
  async setState(address: string, fingerprints: string[], state: PersonCertificateState): Promise<number> {
    const tx = this.db.transaction('people', 'readwrite');
    let changed = 0;
    for (const fingerprint of fingerprints) {
      const record = await tx.store.get(personCertificateId(address, fingerprint));
      if (!record || record.state === state || (state === 'superseded' && record.pinned)) continue;
      await tx.store.put({ ...record, state });
      changed += 1;
    }
    await tx.done;
    return changed;
  }

  /**
   * SEC-47f: marks harvested entries of `address` as superseded by the directory certificate `by`,
   * without a prompt; a pinned entry is left alone. @returns the number of entries changed.
   */
  async markSupersededByDirectory(address: string, fingerprints: readonly string[], by: string): Promise<number> {
    const tx = this.db.transaction('people', 'readwrite');
    let changed = 0;
    for (const fingerprint of fingerprints) {
      const record = await tx.store.get(personCertificateId(address, fingerprint));
      if (!record || record.pinned || record.supersededByDirectory?.fingerprintSha256 === by) continue;
      await tx.store.put({ ...record, supersededByDirectory: { fingerprintSha256: by, date: new Date(this.clock.now()).toISOString() } });
      changed += 1;
    }
    await tx.done;
    return changed;
  }

  /** Removes one entry; returns whether it existed. */
  async remove(id: string): Promise<boolean> {
    const tx = this.db.transaction('people', 'readwrite');
    const existed = (await tx.store.getKey(id)) !== undefined;
    if (existed) await tx.store.delete(id);
    await tx.done;
    return existed;
  }

  /** ISO now, from the injected clock. */
  nowIso(): string {
    return new Date(this.clock.now()).toISOString();
  }
}
