/**
 * Trust anchors the user or the organisation added, with the purposes they are trusted for.
 * Path validation (src/crypto/trust) takes them together with the built-in roots.
 */
import { SmimeError } from '../../crypto/index.js';
import type { KeystoreDb } from './db.js';
import type { TrustAnchorRecord, TrustPurpose } from './records.js';

export interface TrustAnchorInput {
  fingerprintSha256: string;
  certificate: Uint8Array<ArrayBuffer>;
  subject: string;
  addedBy: TrustAnchorRecord['addedBy'];
  purposes: TrustPurpose[];
  addedAt: string;
}

export class TrustAnchors {
  constructor(private readonly db: KeystoreDb) {}

  async list(purpose?: TrustPurpose): Promise<TrustAnchorRecord[]> {
    const all = await this.db.getAll('anchors');
    return purpose === undefined ? all : all.filter((anchor) => anchor.purposes.includes(purpose));
  }

  /**
   * Adds an anchor, or replaces the purposes of one already present.
   * @throws SmimeError `CERTIFICATE_NOT_USABLE` when no purpose is given.
   */
  async add(input: TrustAnchorInput): Promise<TrustAnchorRecord> {
    const purposes = [...new Set(input.purposes)];
    if (purposes.length === 0) throw new SmimeError('CERTIFICATE_NOT_USABLE', 'a trust anchor needs at least one purpose');
    const record: TrustAnchorRecord = { ...input, fingerprintSha256: input.fingerprintSha256.toLowerCase(), purposes };
    await this.db.put('anchors', record);
    return record;
  }

  /** Removes an anchor; returns whether it existed. */
  async remove(fingerprintSha256: string): Promise<boolean> {
    const tx = this.db.transaction('anchors', 'readwrite');
    const key = fingerprintSha256.toLowerCase();
    const existed = (await tx.store.getKey(key)) !== undefined;
    if (existed) await tx.store.delete(key);
    await tx.done;
    return existed;
  }
}
