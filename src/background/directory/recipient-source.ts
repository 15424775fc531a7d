/**
 * Adds directory certificates to the compose window's recipient resolution (#9, SEC-47): every
 * certificate a directory (LDAP or an address book's vCard KEY) returns becomes a `directory`
 * candidate for `selectRecipientCertificate`, which prefers a usable one and never lets an unusable
 * one block a usable certificate from elsewhere. Usable ones are recorded in the people store.
 */
import type { KnownRecipientCertificate, RecipientCertificateSource } from '../send/recipients.js';
import type { DirectoryAnswer, DirectoryCertificate } from './directory-lookup.js';
import { isFresh, type DirectoryRecords, type RecordedDirectoryCertificate } from './directory-records.js';

export interface DirectorySourceDeps {
  /** Directory certificates for an address; never rejects (see DirectoryLookup.lookup). */
  lookup(address: string): Promise<DirectoryAnswer>;
  /**
   * Path validation for encryption at the time of sending (SEC-25..SEC-29, SEC-47a), with the CA
   * certificates the directory sent along as extra intermediates (never as anchors).
   */
  validate(certificate: Uint8Array, intermediates: readonly Uint8Array[]): Promise<boolean>;
  /** The people store's record of earlier lookups: usable answers are recorded there and stand in for an unreachable directory. */
  records?: DirectoryRecords;
  now(): Date;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

async function recordedFor(records: DirectoryRecords | undefined, address: string): Promise<RecordedDirectoryCertificate[]> {
  if (!records) return [];
  return records.list(address).catch((error: unknown) => {
    console.warn('Waxseal: recorded directory certificates unavailable', error);
    return [];
  });
}

/**
 * `base` (the key store) plus the directories; directory status as `selectRecipientCertificate` expects.
 * A live answer decides which directory certificates count; without one (directory unreachable or no
 * longer configured) the certificates recorded from a lookup within the cache lifetime do.
 */
export function withDirectoryCertificates(base: RecipientCertificateSource, deps: DirectorySourceDeps): RecipientCertificateSource {
  return {
    async candidates(address) {
      const [stored, answer, recorded] = await Promise.all([base.candidates(address), deps.lookup(address), recordedFor(deps.records, address)]);
      const now = deps.now();
      // A certificate only a directory ever supplied counts as a directory certificate, judged here (with
      // the organisation's anchors, and only while fresh), not as a stored one; a pinned one stays pinned.
      const directoryOnly = recorded.filter((r) => r.onlyFromDirectory && !r.pinned);
      const keep = stored.candidates.filter((c) => c.source === 'pinned' || !directoryOnly.some((r) => sameBytes(r.certificate, c.certificate)));
      let supplied: DirectoryCertificate[];
      let intermediates: readonly Uint8Array[];
      if (answer.status === 'answered') {
        supplied = answer.certificates;
        intermediates = answer.intermediates;
      } else {
        const lifetimeMs = deps.records ? await deps.records.lifetimeMs() : 0;
        supplied = directoryOnly.filter((r) => isFresh(r, now, lifetimeMs)).map((r) => ({ certificate: r.certificate, directory: r.directory }));
        intermediates = [];
      }
      const validated = await Promise.all(
        supplied
          // A certificate the user pinned stays pinned; the directory adds no second copy.
          .filter((d) => !keep.some((c) => c.source === 'pinned' && sameBytes(c.certificate, d.certificate)))
          .map(async (d) => ({ ...d, pathValid: await deps.validate(d.certificate, intermediates).catch(() => false) })),
      );
      if (answer.status === 'answered' && deps.records) {
        const fresh = validated.filter((d) => d.pathValid && !recorded.some((r) => r.lookedUpAt === answer.checkedAt && sameBytes(r.certificate, d.certificate)));
        if (fresh.length > 0) {
          await deps.records.record(address, fresh, answer.checkedAt).catch((error: unknown) => console.warn('Waxseal: directory certificates not recorded', error));
        }
      }
      const fromDirectory = validated.map(
        (d): KnownRecipientCertificate => ({ certificate: d.certificate, source: 'directory', pathValid: d.pathValid, state: 'active', harvestedAt: null }),
      );
      return { candidates: [...keep, ...fromDirectory], directory: answer.status };
    },
    ...(base.supersede ? { supersede: base.supersede.bind(base) } : {}),
  };
}
