/**
 * Adds directory certificates to the compose window's recipient resolution (#9, SEC-47): every
 * certificate a directory (LDAP or an address book's vCard KEY) returns becomes a `directory`
 * candidate for `selectRecipientCertificate`, which prefers a usable one and never lets an unusable
 * one block a usable certificate from elsewhere.
 */
import type { KnownRecipientCertificate, RecipientCertificateSource } from '../send/recipients.js';
import type { DirectoryAnswer } from './directory-lookup.js';

export interface DirectorySourceDeps {
  /** Directory certificates for an address; never rejects (see DirectoryLookup.lookup). */
  lookup(address: string): Promise<DirectoryAnswer>;
  /**
   * Path validation for encryption at the time of sending (SEC-25..SEC-29, SEC-47a), with the CA
   * certificates the directory sent along as extra intermediates (never as anchors).
   */
  validate(certificate: Uint8Array, intermediates: readonly Uint8Array[]): Promise<boolean>;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/** `base` (the key store) plus the directories; directory status as `selectRecipientCertificate` expects. */
export function withDirectoryCertificates(base: RecipientCertificateSource, deps: DirectorySourceDeps): RecipientCertificateSource {
  return {
    async candidates(address) {
      const [stored, answer] = await Promise.all([base.candidates(address), deps.lookup(address)]);
      const fromDirectory = await Promise.all(
        answer.certificates
          // A certificate the user pinned stays pinned; the directory adds no second copy.
          .filter((d) => !stored.candidates.some((c) => c.source === 'pinned' && sameBytes(c.certificate, d.certificate)))
          .map(
            async (d): Promise<KnownRecipientCertificate> => ({
              certificate: d.certificate,
              source: 'directory',
              pathValid: await deps.validate(d.certificate, answer.intermediates).catch(() => false),
              state: 'active',
              harvestedAt: null,
            }),
          ),
      );
      return { candidates: [...stored.candidates, ...fromDirectory], directory: answer.status };
    },
  };
}
