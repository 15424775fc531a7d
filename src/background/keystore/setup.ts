/**
 * Assembles the key store for the background page: database, session, key store, people's
 * certificates, anchors, settings and the key-management handlers.
 *
 * `createKeystoreBackground` returns at once with handlers that wait for the database, so listeners
 * can be registered synchronously at the top level (STYLE §1), and a `ready` promise for the rest.
 */
import { DEFAULT_KEYSTORE_POLICY, type KeystorePolicy } from '../../crypto/index.js';
import { applyKeySettings, createKeyHandlers, type KeyHandlers } from '../handlers/keys.js';
import type { KeyRequestName } from '../../shared/keys-protocol.js';
import type { RpcSender } from '../../shared/rpc.js';
import { TrustAnchors } from './anchors.js';
import { openKeystoreDb, type KeystoreDb } from './db.js';
import { Keystore } from './keystore.js';
import { PeopleCertificates } from './people.js';
import { createKeySession, systemClock, type Clock, type KeySession } from './session.js';
import { SettingsStore, type SettingsArea } from './settings.js';
import type { ManagedConfigResult } from '../policy/managed-config.js';

export interface KeystoreBackgroundOptions {
  /** The extension's `indexedDB`. */
  factory: IDBFactory;
  /** `browser.storage.local`. */
  settingsArea: SettingsArea;
  crypto: Crypto;
  extensionId: string;
  extensionUrl: string;
  clock?: Clock;
  policy?: KeystorePolicy;
  /** The administrator's configuration (storage.managed, #9): managed settings and their locks. */
  managed?: () => Promise<ManagedConfigResult>;
  /** Fetches a provisioned identity's `url` (#9), at most `maxBytes`. */
  fetchBytes?: (url: string, maxBytes: number) => Promise<Uint8Array>;
}

export interface KeystoreParts {
  db: KeystoreDb;
  keystore: Keystore;
  people: PeopleCertificates;
  anchors: TrustAnchors;
  settings: SettingsStore;
  handlers: KeyHandlers;
}

export interface KeystoreBackground {
  /** Usable at once; each call waits for the database. */
  handlers: KeyHandlers;
  /** The session exists before the database opens (locked). Lock it on `runtime.onSuspend` (SEC-40c). */
  session: KeySession;
  ready: Promise<KeystoreParts>;
}

export function createKeystoreBackground(options: KeystoreBackgroundOptions): KeystoreBackground {
  const policy = options.policy ?? DEFAULT_KEYSTORE_POLICY;
  const clock = options.clock ?? systemClock;
  const session = createKeySession(policy, clock);
  const ready = (async (): Promise<KeystoreParts> => {
    const db = await openKeystoreDb({ factory: options.factory });
    const managed = options.managed;
    const settings = new SettingsStore(options.settingsArea, policy, managed ? async () => (await managed()).config : undefined);
    await applyKeySettings(settings, session);
    const keystore = new Keystore({ db, crypto: options.crypto, session, policy, clock });
    const people = new PeopleCertificates(db, clock);
    const anchors = new TrustAnchors(db);
    const handlers = createKeyHandlers({
      keystore, people, anchors, session, settings, crypto: options.crypto, clock, policy,
      extensionId: options.extensionId, extensionUrl: options.extensionUrl, managed,
      provisioned: { area: options.settingsArea, fetchBytes: options.fetchBytes ?? noFetch },
      composeDefaultsArea: options.settingsArea,
    });
    return { db, keystore, people, anchors, settings, handlers };
  })();
  const waiting = {} as Record<KeyRequestName, (req: unknown, sender: RpcSender) => Promise<unknown>>;
  for (const name of Object.keys(keyHandlerNames) as KeyRequestName[]) {
    waiting[name] = async (req, sender) => {
      const parts = await ready;
      return (parts.handlers[name] as (req: unknown, sender: RpcSender) => Promise<unknown>)(req, sender);
    };
  }
  return { handlers: waiting as KeyHandlers, session, ready };
}

async function noFetch(url: string): Promise<Uint8Array> {
  throw new Error(`cannot fetch ${url} here`);
}

/** One entry per request, so the waiting handlers are built without opening the database first. */
const keyHandlerNames: { readonly [K in KeyRequestName]: true } = {
  keystoreStatus: true, listIdentities: true, importPkcs12: true, exportPkcs12: true, previewDeleteIdentity: true,
  deleteIdentity: true, unlock: true, lock: true, changePassphrase: true, checkPassphraseStrength: true, setAutoLock: true, setComposeDefaults: true,
  setCurrentIdentity: true, listPeopleCertificates: true, importPersonCertificates: true, setPersonCertificatePinned: true,
  removePersonCertificate: true, listTrustAnchors: true, addTrustAnchor: true, removeTrustAnchor: true,
  getProvisionedIdentity: true, importProvisionedIdentity: true, declineProvisionedIdentity: true,
};
