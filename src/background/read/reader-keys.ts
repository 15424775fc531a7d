/**
 * Adapts the background's single key store (src/background/services.ts) to what reading needs: the
 * unlocked decryption identities, the user's public certificates, the anchors the user added and those
 * the organisation's policy names (#9), the people store and harvesting. Only public data and the session's non-extractable key handles cross here (SEC-40).
 */
import { parseCertificateDer, subjectKeyIdentifier, type TrustAnchor } from '../../crypto/index.js';
import { harvestFromMessage } from '../keystore/harvest-store.js';
import type { KeystoreParts } from '../keystore/setup.js';
import type { KeySession } from '../keystore/session.js';
import type { ManagedConfig } from '../policy/managed-config.js';
import { withOrganisationAnchors } from '../policy/organisation-anchors.js';
import type { OwnIdentity } from './display-status.js';
import type { ReaderKeys } from './message-reader.js';

export function readerKeysFrom(ready: Promise<KeystoreParts>, session: KeySession, crypto: Crypto, organisation: () => Promise<ManagedConfig>): ReaderKeys {
  return {
    isUnlocked: () => session.isUnlocked(),
    decryptionIdentities: () => session.decryptionIdentities(),
    async ownIdentities(): Promise<OwnIdentity[]> {
      const { keystore } = await ready;
      const identities = await keystore.listIdentities();
      return identities.map((identity) => {
        // "Current" is the newest certificate of its addresses; an older one still decrypts old mail.
        const newer = identities.some((other) => other.id !== identity.id && other.notBefore > identity.notBefore && other.addresses.some((a) => identity.addresses.includes(a)));
        return {
          fingerprintSha256: identity.fingerprintSha256,
          subject: identity.subject,
          issuer: identity.issuer,
          serialNumberHex: identity.serialNumberHex,
          subjectKeyIdentifierHex: subjectKeyIdentifierOf(identity.certificate),
          current: !newer,
        };
      });
    },
    async userAnchors(): Promise<TrustAnchor[]> {
      const { anchors } = await ready;
      const all = await withOrganisationAnchors(anchors, organisation).list('emailSigning');
      return all.map((a) => ({ der: a.certificate, source: a.addedBy, purposes: ['email'] }));
    },
    async isKnownCertificate(address, fingerprintSha256) {
      const { people } = await ready;
      return (await people.list(address)).some((record) => record.fingerprintSha256 === fingerprintSha256);
    },
    async harvest(input) {
      const { people, settings } = await ready;
      return harvestFromMessage(people, settings, crypto, { ...input, encryptionKeyPreference: null });
    },
  };
}

function subjectKeyIdentifierOf(der: Uint8Array): string | null {
  try {
    return subjectKeyIdentifier(parseCertificateDer(der));
  } catch (error) {
    console.warn('Waxseal: stored identity certificate does not parse', error);
    return null;
  }
}
