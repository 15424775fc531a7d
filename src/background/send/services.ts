/**
 * Opens what sending needs from the key store: the database, the unlocked-key session, the user's
 * identities, correspondents' certificates and trust anchors. One instance per background page.
 */
import browser from 'webextension-polyfill';
import { DEFAULT_KEYSTORE_POLICY, DEFAULT_POLICY } from '../../crypto/index.js';
import { TrustAnchors } from '../keystore/anchors.js';
import { openKeystoreDb } from '../keystore/db.js';
import { Keystore } from '../keystore/keystore.js';
import { PeopleCertificates } from '../keystore/people.js';
import { createKeySession, systemClock, type KeySession } from '../keystore/session.js';
import { withOrganisationDirectories } from '../directory/directory-setup.js';
import { hasOwnComposeDefaults, withManagedComposeDefaults } from '../policy/managed-defaults.js';
import { managedConfig } from '../policy/managed-storage.js';
import { withOrganisationAnchors } from '../policy/organisation-anchors.js';
import type { ComposeSessionDeps } from './compose-session.js';
import { COMPOSE_DEFAULTS_KEY, composeDefaultsFrom, recipientCertificatesFromKeystore, senderKeysFromKeystore } from './key-access.js';

export interface KeystoreServices {
  keystore: Keystore;
  session: KeySession;
  people: PeopleCertificates;
  anchors: TrustAnchors;
}

export async function openKeystoreServices(): Promise<KeystoreServices> {
  const db = await openKeystoreDb({ factory: indexedDB });
  const session = createKeySession(DEFAULT_KEYSTORE_POLICY, systemClock);
  const keystore = new Keystore({ db, crypto: globalThis.crypto, session, policy: DEFAULT_KEYSTORE_POLICY, clock: systemClock });
  return { keystore, session, people: new PeopleCertificates(db, systemClock), anchors: new TrustAnchors(db) };
}

export function composeServicesFrom(services: KeystoreServices): Omit<ComposeSessionDeps, 'platform'> {
  const crypto = globalThis.crypto;
  const organisation = async () => (await managedConfig()).config;
  const now = (): Date => new Date();
  return {
    keys: senderKeysFromKeystore(services.keystore, services.session),
    // #9: directory (LDAP, address-book vCard) certificates join the key store's for SEC-47 selection.
    // #9: the organisation's trust anchors (policy) count next to the user's for the key store's certificates.
    certificates: withOrganisationDirectories(
      recipientCertificatesFromKeystore({ ...services, anchors: withOrganisationAnchors(services.anchors, organisation), crypto, policy: DEFAULT_POLICY, now }),
      { ...services, crypto, policy: DEFAULT_POLICY, now },
    ),
    // #9: the administrator's sign/encrypt defaults (storage.managed) apply on top of the user's.
    defaults: withManagedComposeDefaults(
      composeDefaultsFrom((key) => browser.storage.local.get(key)),
      async (address) => hasOwnComposeDefaults(await browser.storage.local.get(COMPOSE_DEFAULTS_KEY), address),
      async () => (await managedConfig()).config,
    ),
    // #9: the content-encryption algorithms the organisation allows; plan.ts refuses a send none of them fits.
    allowedContentEncryption: async () => (await managedConfig()).config.settings.allowedContentEncryption?.value,
    now,
    crypto,
    policy: DEFAULT_POLICY,
    randomId: () => crypto.randomUUID(),
  };
}
