/**
 * The background's directory service, wired to Thunderbird (#9): one `DirectoryService` per
 * background page over the LDAP experiment, the address books, local contacts and the managed
 * configuration.
 */
import type { Policy } from '../../crypto/index.js';
import type { TrustAnchors } from '../keystore/anchors.js';
import type { Keystore } from '../keystore/keystore.js';
import type { PeopleCertificates } from '../keystore/people.js';
import { managedConfig } from '../policy/managed-storage.js';
import type { RecipientCertificateSource } from '../send/recipients.js';
import { withDirectoryLookup } from './compose-source.js';
import { addressBookDirectories, contactVCards, experimentSearcher } from './directory-platform.js';
import { createDirectoryService, type DirectoryService } from './directory-service.js';

let service: DirectoryService | null = null;

export function directoryService(): DirectoryService {
  service ??= createDirectoryService({
    searcher: experimentSearcher(),
    addressBooks: addressBookDirectories,
    managed: async () => (await managedConfig()).config,
    contacts: contactVCards,
    now: () => new Date(),
  });
  return service;
}

/** `base` (the key store's certificates) plus directory and address-book certificates, usable ones recorded in `people`. */
export function withOrganisationDirectories(
  base: RecipientCertificateSource,
  deps: { anchors: TrustAnchors; keystore: Keystore; people: PeopleCertificates; crypto: Crypto; policy: Policy; now(): Date },
): RecipientCertificateSource {
  return withDirectoryLookup(base, { ...deps, directory: directoryService(), managed: async () => (await managedConfig()).config });
}
