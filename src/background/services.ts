/**
 * The background's single key store and unlocked-key session, shared by reading, compose and the
 * options page's key-management requests. Two sessions would mean that unlocking for one part leaves
 * the other locked, so everything that needs keys or correspondents' certificates takes them from here.
 *
 * Created once, synchronously, when the background module loads (STYLE §1): the handlers wait for the
 * database themselves, so listeners can be registered at the top level before it opens.
 */
import browser from 'webextension-polyfill';
import { createKeystoreBackground, type KeystoreBackground } from './keystore/setup.js';
import { managedConfig } from './policy/managed-storage.js';

let instance: KeystoreBackground | null = null;

/** The one key store of this background (created on first use). */
export function keystoreServices(): KeystoreBackground {
  if (!instance) {
    instance = createKeystoreBackground({
      factory: indexedDB,
      settingsArea: browser.storage.local,
      crypto: globalThis.crypto,
      extensionId: browser.runtime.id,
      extensionUrl: browser.runtime.getURL('/'),
      // #9: managed auto-lock and harvesting apply, and locked settings cannot be changed.
      managed: managedConfig,
    });
    const session = instance.session;
    // SEC-40c: unlocked keys never outlive the background; a persistent page rarely suspends, but when
    // it does the keys go with it.
    browser.runtime.onSuspend.addListener(() => session.lock());
  }
  return instance;
}
