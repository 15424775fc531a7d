/**
 * Resolves every recipient of a compose window (To, Cc, Bcc) to the certificate Waxseal would
 * encrypt to, with where it came from and why it was chosen (features.md O4, SEC-47b, SEC-49c).
 */
import { parseAddressList, selectRecipientCertificate, describeCertificate, type RecipientCandidate, type RecipientRejection, type RecipientSelection, type SelectionNote } from '../../crypto/index.js';
import type { ChoiceReason, HarvestedFromView, RecipientField, RecipientProblem, RecipientView } from '../../shared/compose-protocol.js';

/** A stored or directory certificate for one address, as the key store / directory supplies it. */
export interface KnownRecipientCertificate extends RecipientCandidate {
  /** For harvested certificates: ISO date of the message it came from. */
  harvestedAt?: string | null;
  /** For harvested certificates: the message it came from (sender, subject, date). */
  harvestedFrom?: HarvestedFromView | null;
  /** SMIMECapabilities OIDs the correspondent announced (RFC 8551 §2.5.2), when known. */
  capabilities?: readonly string[];
}

/** The source of correspondents' certificates (key store people, directory). */
export interface RecipientCertificateSource {
  candidates(address: string): Promise<{ candidates: KnownRecipientCertificate[]; directory: 'answered' | 'unreachable' | 'not-configured' }>;
  /** Marks stored entries of `address` as superseded by the directory certificate `by` (SEC-47f). */
  supersede?(address: string, fingerprints: readonly string[], by: string): Promise<void>;
}

export interface ComposeRecipients {
  to: readonly string[];
  cc: readonly string[];
  bcc: readonly string[];
}

/** A resolved recipient: what the popup shows, plus the certificate the send would use. */
export interface ResolvedRecipient {
  view: RecipientView;
  certificate: Uint8Array | null;
  capabilities: readonly string[] | undefined;
}

export interface ResolveOptions {
  now: Date;
  crypto: Crypto;
}

const PROBLEM_OF: Record<RecipientRejection, RecipientProblem> = {
  PATH_NOT_VALID: 'untrusted',
  ADDRESS_MISMATCH: 'address-mismatch',
  NOT_FOR_ENCRYPTION: 'not-for-encryption',
  EXPIRED: 'expired',
  NOT_YET_VALID: 'not-yet-valid',
  SUPERSEDED: 'expired',
  REVOKED: 'revoked',
  NEEDS_CONFIRMATION: 'needs-confirmation',
};

const NOTE_REASON: Record<SelectionNote, ChoiceReason> = {
  DIRECTORY_CERTIFICATE_UNUSABLE: 'directory-unusable',
  DIRECTORY_UNREACHABLE: 'directory-unreachable',
  PINNED_CERTIFICATE_UNUSABLE: 'pinned-unusable',
  REVOCATION_UNVERIFIED: 'revocation-unverified',
};

/**
 * Splits the compose fields into mailboxes. Compose details give each field as a list of strings,
 * each of which may itself hold several addresses ("a@x, B <b@y>"). Unparsable entries are kept as
 * they are, so they show up as "missing" rather than vanish (SEC-49a: never silently drop one).
 */
export function listRecipients(recipients: ComposeRecipients): { field: RecipientField; address: string; name: string }[] {
  const out: { field: RecipientField; address: string; name: string }[] = [];
  const seen = new Set<string>();
  for (const field of ['to', 'cc', 'bcc'] as const) {
    for (const entry of recipients[field]) {
      const parsed = parseAddressList(entry);
      const mailboxes = parsed.mailboxes.length > 0 ? parsed.mailboxes.map((m) => ({ address: m.address, name: m.name })) : [{ address: entry.trim(), name: '' }];
      for (const mailbox of mailboxes) {
        const key = `${field} ${mailbox.address.toLowerCase()}`;
        if (mailbox.address === '' || seen.has(key)) continue;
        seen.add(key);
        out.push({ field, address: mailbox.address, name: mailbox.name });
      }
    }
  }
  return out;
}

function reasonsFor(selection: RecipientSelection, candidates: readonly KnownRecipientCertificate[]): ChoiceReason[] {
  const reasons: ChoiceReason[] = [];
  const chosen = selection.chosen;
  if (chosen) {
    if (candidates.length === 1) reasons.push('only-candidate');
    else if (chosen.source === 'pinned') reasons.push('pinned');
    else if (chosen.source === 'directory') reasons.push('directory');
    else reasons.push('newest-harvested');
  }
  for (const note of selection.notes) reasons.push(NOTE_REASON[note]);
  return reasons;
}

/** Resolves one address with the engine's selection rules (harvest.ts). */
async function resolveOne(
  entry: { field: RecipientField; address: string; name: string },
  source: RecipientCertificateSource,
  options: ResolveOptions,
): Promise<ResolvedRecipient> {
  const { candidates, directory } = await source.candidates(entry.address);
  const selection = await selectRecipientCertificate(entry.address, candidates, { now: options.now, crypto: options.crypto, directory });
  if (selection.chosen && selection.supersede.length > 0 && source.supersede) {
    await source.supersede(entry.address, selection.supersede, selection.chosen.fingerprintSha256).catch((error: unknown) => console.error('Waxseal: could not mark superseded certificates', error));
  }
  const chosen = selection.chosen;
  const problems: RecipientProblem[] = [];
  if (!chosen) {
    const rejected = new Set(selection.rejected.flatMap((r) => r.reasons.map((reason) => PROBLEM_OF[reason])));
    problems.push(...(rejected.size > 0 ? [...rejected] : ['missing' as const]));
  }
  const known = chosen ? candidates.find((c) => c.source === chosen.source && equalBytes(c.certificate, chosen.certificate)) : undefined;
  const summary = chosen ? await describeCertificate(chosen.certificate, options.crypto) : null;
  return {
    view: {
      field: entry.field,
      address: entry.address,
      name: entry.name,
      status: chosen ? 'ok' : 'problem',
      certificate:
        chosen && summary
          ? {
              origin: chosen.source,
              harvestedAt: known?.harvestedAt ?? null,
              harvestedFrom: chosen.source === 'harvested' ? (known?.harvestedFrom ?? null) : null,
              subject: summary.subject,
              notAfter: summary.notAfter,
              fingerprintSha256: chosen.fingerprintSha256,
            }
          : null,
      problems,
      reasons: reasonsFor(selection, candidates),
    },
    certificate: chosen?.certificate ?? null,
    capabilities: known?.capabilities,
  };
}

/** Resolves every recipient in field order (To, Cc, Bcc). */
export async function resolveRecipients(recipients: ComposeRecipients, source: RecipientCertificateSource, options: ResolveOptions): Promise<ResolvedRecipient[]> {
  return Promise.all(listRecipients(recipients).map((entry) => resolveOne(entry, source, options)));
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
