/**
 * Certificates out of LDAP search entries (#9, SEC-47): `userSMIMECertificate` holds a PKCS#7
 * certs-only bundle (RFC 2798 §2.8), `userCertificate;binary` a DER certificate (RFC 4523 §2.1).
 * Values are untrusted: counts and sizes are capped, a malformed value is skipped and counted, and
 * nothing here decides whether a certificate is usable; selection validates it (SEC-25..SEC-29).
 */
import { DEFAULT_DIRECTORY_POLICY, DEFAULT_LIMITS, basicConstraints, parseCertificates, type DirectoryPolicy, type ParserLimits } from '../../crypto/index.js';

/** One search entry as the LDAP experiment returns it: attribute name → binary values. */
export interface DirectoryEntry {
  dn: string;
  attributes: Record<string, Uint8Array[]>;
}

/** The attributes Waxseal asks for, in the spelling Thunderbird's own certificate fetching uses. */
export const CERTIFICATE_ATTRIBUTES = ['userSMIMECertificate', 'userCertificate;binary'] as const;

export interface EntryCertificates {
  /** End-entity certificates: the candidates for encryption. */
  certificates: Uint8Array[];
  /** CA certificates a PKCS#7 bundle carried along: chain material for path validation only. */
  intermediates: Uint8Array[];
  /** Values that were not certificates, too large, or over a count limit. */
  skipped: number;
}

function valuesOf(entry: DirectoryEntry, name: string): Uint8Array[] {
  const wanted = name.toLowerCase();
  // Servers may answer `userCertificate` for `userCertificate;binary` (RFC 4522 §3); accept both.
  const alternative = wanted.endsWith(';binary') ? wanted.slice(0, -';binary'.length) : `${wanted};binary`;
  const out: Uint8Array[] = [];
  for (const [key, values] of Object.entries(entry.attributes)) {
    const k = key.toLowerCase();
    if ((k === wanted || k === alternative) && Array.isArray(values)) out.push(...values);
  }
  return out;
}

/** Parses the certificate attributes of up to `policy.maxEntries` entries, dropping duplicates. */
export function certificatesFromEntries(
  entries: readonly DirectoryEntry[],
  policy: DirectoryPolicy = DEFAULT_DIRECTORY_POLICY,
  limits: ParserLimits = DEFAULT_LIMITS,
): EntryCertificates {
  const certificates: Uint8Array[] = [];
  const intermediates: Uint8Array[] = [];
  const seen = new Set<string>();
  let skipped = Math.max(0, entries.length - policy.maxEntries);
  for (const entry of entries.slice(0, policy.maxEntries)) {
    const values = [...valuesOf(entry, 'userSMIMECertificate'), ...valuesOf(entry, 'userCertificate;binary')];
    skipped += Math.max(0, values.length - policy.maxValuesPerEntry);
    for (const value of values.slice(0, policy.maxValuesPerEntry)) {
      if (!(value instanceof Uint8Array) || value.length === 0 || value.length > policy.maxValueBytes) {
        skipped += 1;
        continue;
      }
      let parsed;
      try {
        parsed = parseCertificates(value, limits);
      } catch {
        // A malformed directory value is an outcome (counted as skipped), not a failed lookup.
        skipped += 1;
        continue;
      }
      for (const certificate of parsed) {
        const key = certificate.der.join(',');
        if (seen.has(key)) continue;
        if (certificates.length + intermediates.length >= policy.maxCertificatesPerAddress) {
          skipped += 1;
          continue;
        }
        seen.add(key);
        let ca: boolean;
        try {
          ca = basicConstraints(certificate)?.ca === true;
        } catch {
          // A certificate whose basicConstraints does not decode is neither a usable CA nor a user's certificate.
          skipped += 1;
          continue;
        }
        (ca ? intermediates : certificates).push(certificate.der);
      }
    }
  }
  return { certificates, intermediates, skipped };
}
