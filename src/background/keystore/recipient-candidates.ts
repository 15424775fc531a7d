/**
 * The compose side's view of stored certificates: every stored certificate of an address as a
 * `RecipientCandidate` for `selectRecipientCertificate` (SEC-47), with path validation supplied by
 * the caller (src/crypto/trust), and directory answers added by the caller too.
 */
import type { RecipientCandidate } from '../../crypto/index.js';
import type { PeopleCertificates } from './people.js';
import type { PersonCertificateRecord } from './records.js';

function sourceOf(record: PersonCertificateRecord): RecipientCandidate['source'] {
  if (record.pinned) return 'pinned';
  const latest = record.provenance[record.provenance.length - 1];
  if (!latest) return 'imported';
  return latest.source;
}

/**
 * Stored candidates for `address`. `validate` runs the path validation for one DER certificate at the
 * time of sending; a certificate whose validation throws counts as not valid.
 */
export async function storedRecipientCandidates(
  people: PeopleCertificates,
  address: string,
  validate: (certificate: Uint8Array) => Promise<boolean>,
): Promise<RecipientCandidate[]> {
  const records = await people.list(address);
  return Promise.all(
    records.map(async (record) => ({
      certificate: record.certificate,
      source: sourceOf(record),
      pathValid: await validate(record.certificate).then(
        (valid) => valid,
        () => false,
      ),
      state: record.state,
    })),
  );
}
