/**
 * Directory certificates in the people store (#9): a usable certificate a directory lookup returned
 * is recorded with the directory's name and the lookup time (source `directory`), so the options page
 * lists it next to harvested and imported ones, and it stands in for the directory while that cannot
 * be reached, until the cache lifetime (policy `directoryCacheMinutes`) after that lookup ends.
 */
import { certificateMatchesAddress, describeCertificate } from '../../crypto/index.js';
import type { PeopleCertificates } from '../keystore/people.js';
import type { DirectoryCertificate } from './directory-lookup.js';

/** A stored certificate that a directory supplied, as the compose window's resolution needs it. */
export interface RecordedDirectoryCertificate {
  certificate: Uint8Array;
  /** The directory of the latest lookup that returned it. */
  directory: string;
  /** ISO time of that lookup. */
  lookedUpAt: string;
  /** No harvest or import ever supplied it: without the directory it has no other source. */
  onlyFromDirectory: boolean;
  pinned: boolean;
}

export interface DirectoryRecords {
  /** Stored certificates of `address` that a directory returned at least once. */
  list(address: string): Promise<RecordedDirectoryCertificate[]>;
  /** Records `certificates` (already found usable) for `address` as returned by the lookup at `checkedAt`. */
  record(address: string, certificates: readonly DirectoryCertificate[], checkedAt: string): Promise<void>;
  /** How long after its lookup a recorded certificate stands in for an unreachable directory. */
  lifetimeMs(): Promise<number>;
}

/** Whether a recorded certificate's lookup is recent enough to stand in for the directory at `now`. */
export function isFresh(recorded: RecordedDirectoryCertificate, now: Date, lifetimeMs: number): boolean {
  const at = Date.parse(recorded.lookedUpAt);
  return Number.isFinite(at) && at <= now.getTime() + 60_000 && now.getTime() < at + lifetimeMs;
}

export function directoryRecordsIn(people: PeopleCertificates, deps: { crypto: Crypto; cacheMinutes(): Promise<number> }): DirectoryRecords {
  return {
    async list(address) {
      const out: RecordedDirectoryCertificate[] = [];
      for (const record of await people.list(address)) {
        const lookups = record.provenance.filter((p) => p.source === 'directory');
        const latest = lookups.sort((a, b) => Date.parse(b.date) - Date.parse(a.date))[0];
        if (!latest) continue;
        out.push({
          certificate: record.certificate,
          directory: latest.directory,
          lookedUpAt: latest.date,
          onlyFromDirectory: record.provenance.every((p) => p.source === 'directory'),
          pinned: record.pinned,
        });
      }
      return out;
    },
    async record(address, certificates, checkedAt) {
      const byDirectory = new Map<string, Parameters<PeopleCertificates['recordDirectory']>[0]>();
      for (const { certificate, directory } of certificates) {
        // A directory entry found by mail may carry certificates for other addresses (SEC-47d); those are not this person's.
        if (!certificateMatchesAddress(certificate, address).matches) continue;
        const summary = await describeCertificate(certificate, deps.crypto);
        const entries = byDirectory.get(directory) ?? [];
        entries.push({
          address,
          fingerprintSha256: summary.fingerprintSha256,
          certificate: new Uint8Array(certificate),
          subject: summary.subject,
          issuer: summary.issuer,
          notBefore: summary.notBefore,
          notAfter: summary.notAfter,
          role: 'both',
          state: 'active',
        });
        byDirectory.set(directory, entries);
      }
      for (const [directory, entries] of byDirectory) await people.recordDirectory(entries, { source: 'directory', directory, date: checkedAt });
    },
    async lifetimeMs() {
      return (await deps.cacheMinutes()) * 60_000;
    },
  };
}
