/**
 * Reads the administrator's configuration from `storage.managed` (#9). Thunderbird fills it from
 * policies.json "3rdparty" → "Extensions" → "waxseal@waxseal.org". Without such a policy,
 * `storage.managed.get` rejects ("Managed storage manifest not found"): that means "not managed".
 */
import browser from 'webextension-polyfill';
import { parseManagedConfig, type ManagedConfigResult } from './managed-config.js';

let cached: Promise<ManagedConfigResult> | null = null;

async function read(): Promise<ManagedConfigResult> {
  let raw: unknown;
  try {
    raw = await browser.storage.managed.get();
  } catch (error) {
    // No policy for this extension is the normal case for unmanaged installations.
    console.info('Waxseal: no managed configuration', error);
    raw = {};
  }
  const result = parseManagedConfig(raw);
  for (const problem of result.problems) console.warn(`Waxseal: managed configuration: ${problem}`);
  return result;
}

/** The managed configuration, read once per background page (policies apply at Thunderbird start). */
export function managedConfig(): Promise<ManagedConfigResult> {
  cached ??= read();
  return cached;
}
