/**
 * Applies the administrator's settings (#9) where the background reads settings: compose defaults
 * (sign, encrypt, require encryption) and, for the options page, which settings are managed and
 * locked. A locked value always wins; an unlocked one is used until the user sets their own.
 */
import { SmimeError } from '../../crypto/index.js';
import type { ComposeDefaults } from '../../shared/compose-protocol.js';
import type { ManagedValues } from '../../shared/keys-protocol.js';
import type { SettingsArea } from '../keystore/settings.js';
import { COMPOSE_DEFAULTS_KEY } from '../send/key-access.js';
import type { ManagedConfig, ManagedSettings } from './managed-config.js';

const COMPOSE_KEYS = ['signByDefault', 'encryptWhenPossible', 'requireEncryption'] as const;

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
    for (const key of COMPOSE_KEYS) {
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

/** For the settings RPC response: whether anything is managed, each managed setting's lock, the values the page shows, and what was ignored. */
export interface ManagedFlags {
  managed: boolean;
  locked: Partial<Record<keyof ManagedSettings, boolean>>;
  values: ManagedValues;
  problems: string[];
}

export function managedFlags(config: ManagedConfig, managed: boolean, problems: readonly string[] = []): ManagedFlags {
  const locked: Partial<Record<keyof ManagedSettings, boolean>> = {};
  for (const [key, value] of Object.entries(config.settings) as [keyof ManagedSettings, { locked: boolean }][]) locked[key] = value.locked;
  const values: ManagedValues = {};
  for (const key of COMPOSE_KEYS) {
    const setting = config.settings[key];
    if (setting) values[key] = setting.value;
  }
  const allowed = config.settings.allowedContentEncryption;
  if (allowed) values.allowedContentEncryption = [...allowed.value];
  for (const key of ['harvestCertificates', 'useAddressBookDirectories'] as const) {
    const setting = config.settings[key];
    if (setting) values[key] = setting.value;
  }
  // Names and servers only: a directory's bind password stays in the background.
  if (config.directories.length > 0) values.directories = config.directories.map((d) => ({ name: d.name, server: `${d.url}/${d.baseDn}` }));
  if (config.trustAnchors.length > 0) values.trustAnchorCount = config.trustAnchors.length;
  return { managed: managed || problems.length > 0, locked, values, problems: [...problems] };
}

/**
 * Stores the user's compose defaults for `address` (the options page's request). A change to a
 * setting the organisation locked is refused; a locked setting sent unchanged (the page sends the
 * whole row) is fine, and the locked value keeps winning when the send path reads it.
 * @throws SmimeError `SETTING_LOCKED` naming the locked settings; nothing is stored.
 */
export async function saveComposeDefaults(area: SettingsArea, config: ManagedConfig | null, address: string, defaults: ComposeDefaults): Promise<void> {
  const locked = COMPOSE_KEYS.filter((key) => {
    const setting = config?.settings[key];
    return setting?.locked === true && defaults[key] !== setting.value;
  });
  if (locked.length > 0) throw new SmimeError('SETTING_LOCKED', `${locked.join(', ')} is set by the organisation`, { detail: { settings: locked } });
  const stored = (await area.get(COMPOSE_DEFAULTS_KEY))[COMPOSE_DEFAULTS_KEY];
  const all = typeof stored === 'object' && stored !== null ? { ...(stored as Record<string, unknown>) } : {};
  all[address.trim().toLowerCase()] = { signByDefault: defaults.signByDefault === true, encryptWhenPossible: defaults.encryptWhenPossible === true, requireEncryption: defaults.requireEncryption === true };
  await area.set({ [COMPOSE_DEFAULTS_KEY]: all });
}
