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

/** A provisioned identity's file (#9): https:// or file:///, refused above `maxBytes`. */
async function fetchLimited(url: string, maxBytes: number): Promise<Uint8Array> {
  const response = await fetch(url, { credentials: 'omit', cache: 'no-store' });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.length > maxBytes) throw new Error(`larger than ${maxBytes} bytes`);
  return bytes;
}

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
      fetchBytes: fetchLimited,
    });
    const session = instance.session;
    // SEC-40c: unlocked keys never outlive the background; a persistent page rarely suspends, but when
    // it does the keys go with it.
    browser.runtime.onSuspend.addListener(() => session.lock());
  }
  return instance;
}
