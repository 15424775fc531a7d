/**
 * Plugs directory certificates into the compose window's recipient resolution (#9): the key store's
 * candidates plus the directories', each directory certificate path-validated for encryption
 * (SEC-25..SEC-29, SEC-47a) against Mozilla's e-mail roots, the user's anchors and the organisation
 * anchors from policy, with the CA certificates the directory sent along as intermediates.
 */
import { mozillaEmailAnchors, validatePath, type Policy, type TrustAnchor } from '../../crypto/index.js';
import type { TrustAnchors } from '../keystore/anchors.js';
import type { Keystore } from '../keystore/keystore.js';
import type { PeopleCertificates } from '../keystore/people.js';
import type { ManagedConfig } from '../policy/managed-config.js';
import type { RecipientCertificateSource } from '../send/recipients.js';
import { directoryRecordsIn } from './directory-records.js';
import type { DirectoryService } from './directory-service.js';
import { withDirectoryCertificates } from './recipient-source.js';

export interface DirectoryComposeDeps {
  directory: DirectoryService;
  anchors: TrustAnchors;
  keystore: Keystore;
  /** Where usable directory certificates are recorded (listed in the options page, kept for offline use). */
  people?: PeopleCertificates;
  managed(): Promise<ManagedConfig>;
  crypto: Crypto;
  policy: Policy;
  now(): Date;
}

export function withDirectoryLookup(base: RecipientCertificateSource, deps: DirectoryComposeDeps): RecipientCertificateSource {
  return withDirectoryCertificates(base, {
    lookup: (address) => deps.directory.lookup(address),
    now: deps.now,
    ...(deps.people ? { records: directoryRecordsIn(deps.people, { crypto: deps.crypto, cacheMinutes: () => deps.directory.cacheMinutes() }) } : {}),
    async validate(certificate, intermediates) {
      const user: TrustAnchor[] = (await deps.anchors.list('emailEncryption')).map((a) => ({ der: a.certificate, source: a.addedBy, purposes: ['email'] }));
      const organisation: TrustAnchor[] = (await deps.managed()).trustAnchors.map((der) => ({ der, source: 'organisation', purposes: ['email'] }));
      const ownChains = await Promise.all((await deps.keystore.listIdentities()).map(async (i) => (await deps.keystore.getCertificate(i.id)).chain));
      const path = await validatePath({
        leaf: certificate,
        intermediates: [...intermediates, ...ownChains.flat()],
        anchors: [...mozillaEmailAnchors(), ...user, ...organisation],
        now: deps.now(),
        purpose: 'smime-encryption',
        crypto: deps.crypto,
        policy: deps.policy,
      });
      return path.status === 'valid';
    },
  });
}
