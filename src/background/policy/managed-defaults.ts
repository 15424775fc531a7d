/**
 * Applies the administrator's settings (#9) where the background reads settings: compose defaults
 * (sign, encrypt, require encryption) and, for the options page, which settings are managed and
 * locked. A locked value always wins; an unlocked one is used until the user sets their own.
 */
import type { ComposeDefaults } from '../../shared/compose-protocol.js';
import type { ManagedConfig, ManagedSettings } from './managed-config.js';

/**
 * `base` with the managed compose settings applied. `hasOwn(address)` says whether the user stored
 * their own defaults for that identity (then unlocked managed values do not apply).
 */
export function withManagedComposeDefaults(
  base: (address: string) => Promise<ComposeDefaults>,
  hasOwn: (address: string) => Promise<boolean>,
  managed: () => Promise<ManagedConfig>,
): (address: string) => Promise<ComposeDefaults> {
  return async (address) => {
    const [own, config, stored] = await Promise.all([base(address), managed(), hasOwn(address)]);
    const out: ComposeDefaults = { ...own };
    for (const key of ['signByDefault', 'encryptWhenPossible', 'requireEncryption'] as const) {
      const setting = config.settings[key];
      if (setting && (setting.locked || !stored)) out[key] = setting.value;
    }
    return out;
  };
}

/** Whether `storage.local`'s `composeDefaults` object (as read) has an entry for `address`. */
export function hasOwnComposeDefaults(stored: Record<string, unknown>, address: string): boolean {
  const all = Object.values(stored)[0];
  return typeof all === 'object' && all !== null && Object.hasOwn(all, address.trim().toLowerCase());
}

/** For the settings RPC response: whether anything is managed, and each managed setting's lock. */
export interface ManagedFlags {
  managed: boolean;
  locked: Partial<Record<keyof ManagedSettings, boolean>>;
}

export function managedFlags(config: ManagedConfig, managed: boolean): ManagedFlags {
  const locked: Partial<Record<keyof ManagedSettings, boolean>> = {};
  for (const [key, value] of Object.entries(config.settings) as [keyof ManagedSettings, { locked: boolean }][]) locked[key] = value.locked;
  return { managed, locked };
}
