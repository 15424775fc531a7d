/**
 * Adapters from the key store (src/background/keystore/) to what sending needs: the user's own
 * current certificates and signing key, and correspondents' certificates with their path checked.
 * Public data only crosses here; the signing key stays a non-extractable CryptoKey (SEC-40).
 */
import { mozillaEmailAnchors, validatePath, type HashName, type Policy, type TrustAnchor } from '../../crypto/index.js';
import type { ComposeDefaults } from '../../shared/compose-protocol.js';
import type { TrustAnchors } from '../keystore/anchors.js';
import type { Keystore } from '../keystore/keystore.js';
import type { PeopleCertificates } from '../keystore/people.js';
import type { KeySession } from '../keystore/session.js';
import type { OwnCertificate } from './plan.js';
import type { KnownRecipientCertificate, RecipientCertificateSource } from './recipients.js';
import type { SenderKeys } from './compose-session.js';
import { NO_DEFAULTS } from './compose-session.js';

export function senderKeysFromKeystore(keystore: Keystore, session: KeySession): SenderKeys {
  return {
    isUnlocked: () => session.isUnlocked(),
    unlock: async (passphrase) => {
      await keystore.unlock(passphrase);
    },
    current: async (address, purpose) => {
      const normalised = address.trim().toLowerCase();
      const identities = await keystore.listIdentities();
      const chosenId = await keystore.currentIdentity(normalised, purpose);
      // Without an explicit choice, the newest certificate of the address that may do the job.
      const info =
        identities.find((i) => i.id === chosenId) ??
        identities
          .filter((i) => i.addresses.includes(normalised) && (purpose === 'signing' ? i.usableForSigning : i.usableForEncryption))
          .sort((a, b) => b.notBefore.localeCompare(a.notBefore))[0];
      if (!info) return null;
      const { certificate, chain } = await keystore.getCertificate(info.id);
      const own: OwnCertificate = { identityId: info.id, certificate, chain, notBefore: info.notBefore, notAfter: info.notAfter };
      return own;
    },
    signingKey: (identityId: string, hash: HashName) => session.signingKey(identityId, hash),
  };
}

export interface RecipientSourceDeps {
  people: PeopleCertificates;
  /** The user's anchors; the organisation's join them in services.ts (#9). */
  anchors: Pick<TrustAnchors, 'list'>;
  keystore: Keystore;
  crypto: Crypto;
  policy: Policy;
  now(): Date;
}

/**
 * Correspondents' certificates from the key store, each with its path validated for encryption
 * (SEC-25..SEC-29) against Mozilla's e-mail roots plus the user's anchors. Intermediates: the chains
 * of the user's own identities (the people store keeps leaf certificates only).
 */
export function recipientCertificatesFromKeystore(deps: RecipientSourceDeps): RecipientCertificateSource {
  return {
    async candidates(address) {
      const records = await deps.people.list(address);
      if (records.length === 0) return { candidates: [], directory: 'not-configured' };
      const userAnchors: TrustAnchor[] = (await deps.anchors.list('emailEncryption')).map((a) => ({ der: a.certificate, source: a.addedBy, purposes: ['email'] }));
      const anchors = [...mozillaEmailAnchors(), ...userAnchors];
      const ownChains = await Promise.all((await deps.keystore.listIdentities()).map(async (i) => (await deps.keystore.getCertificate(i.id)).chain));
      const intermediates = ownChains.flat();
      const candidates = await Promise.all(
        records
          .filter((r) => r.role !== 'signing' || !records.some((o) => o.role === 'encryption'))
          .map(async (record): Promise<KnownRecipientCertificate> => {
            const path = await validatePath({ leaf: record.certificate, intermediates, anchors, now: deps.now(), purpose: 'smime-encryption', crypto: deps.crypto, policy: deps.policy });
            const harvested = record.provenance.find((p) => p.source === 'harvested');
            return {
              certificate: record.certificate,
              source: record.pinned ? 'pinned' : (record.provenance[0]?.source ?? 'imported'),
              pathValid: path.status === 'valid',
              state: record.state,
              harvestedAt: harvested?.date ?? null,
              harvestedFrom: harvested
                ? { sender: harvested.sender, subject: harvested.subject ?? null, messageDate: harvested.messageDate ?? null, messageId: harvested.messageId }
                : null,
            };
          }),
      );
      return { candidates, directory: 'not-configured' };
    },
    async supersede(address, fingerprints, by) {
      await deps.people.markSupersededByDirectory(address, fingerprints, by);
    },
  };
}

/** Per-identity compose defaults, kept in storage.local under `composeDefaults` by address. */
export const COMPOSE_DEFAULTS_KEY = 'composeDefaults';

export function composeDefaultsFrom(get: (key: string) => Promise<Record<string, unknown>>): (address: string) => Promise<ComposeDefaults> {
  return async (address) => {
    const all = (await get(COMPOSE_DEFAULTS_KEY))[COMPOSE_DEFAULTS_KEY];
    const entry = typeof all === 'object' && all !== null ? (all as Record<string, unknown>)[address.trim().toLowerCase()] : undefined;
    if (typeof entry !== 'object' || entry === null) return NO_DEFAULTS;
    const e = entry as Record<string, unknown>;
    return {
      signByDefault: e.signByDefault === true,
      encryptWhenPossible: e.encryptWhenPossible === true,
      requireEncryption: e.requireEncryption === true,
    };
  };
}
