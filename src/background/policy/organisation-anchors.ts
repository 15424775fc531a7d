/**
 * The organisation's trust anchors (#9, policy `trustAnchors`) next to the user's, for code that
 * lists anchors from the key store: a certificate issued under the organisation's root is trusted for
 * S/MIME e-mail without anyone adding that root by hand. The policy's anchors are never stored; they
 * apply while the policy names them.
 */
import type { TrustAnchors } from '../keystore/anchors.js';
import type { TrustAnchorRecord, TrustPurpose } from '../keystore/records.js';
import type { ManagedConfig } from './managed-config.js';

export type AnchorList = Pick<TrustAnchors, 'list'>;

/** `anchors` plus the policy's, which count for every e-mail purpose (README "Managed deployment"). */
export function withOrganisationAnchors(anchors: AnchorList, managed: () => Promise<ManagedConfig>): AnchorList {
  return {
    async list(purpose?: TrustPurpose): Promise<TrustAnchorRecord[]> {
      const [own, config] = await Promise.all([anchors.list(purpose), managed()]);
      const organisation = config.trustAnchors.map((der): TrustAnchorRecord => ({
        fingerprintSha256: '',
        certificate: der as Uint8Array<ArrayBuffer>,
        subject: '',
        addedBy: 'organisation',
        purposes: ['emailSigning', 'emailEncryption'],
        addedAt: '',
      }));
      return [...own, ...organisation];
    },
  };
}
