/**
 * User settings: typed defaults plus an explicit list of migrations, kept in `storage.local`
 * (STYLE §6). Settings are never keys, passphrases or anything derived from them (SEC-39f).
 */
import { DEFAULT_KEYSTORE_POLICY, SmimeError, type KeystorePolicy } from '../../crypto/index.js';
import type { ManagedConfig } from '../policy/managed-config.js';

/** The part of `storage.local` this module uses, so tests pass a fake. */
export interface SettingsArea {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
}

export type AutoLock = { mode: 'idle'; minutes: number } | { mode: 'until-close' };

export interface Settings {
  version: 2;
  /** SEC-40c: idle minutes (1–240), or only when Thunderbird closes. */
  autoLock: AutoLock;
  /** SEC-45: store correspondents' certificates from valid signed mail. */
  harvestCertificates: boolean;
}

/** What version 1 stored: minutes, with 0 meaning "until Thunderbird closes". */
export interface SettingsV1 {
  version: 1;
  autoLockMinutes: number;
}

export const SETTINGS_KEY = 'settings';

export function defaultSettings(policy: KeystorePolicy = DEFAULT_KEYSTORE_POLICY): Settings {
  return { version: 2, autoLock: { mode: 'idle', minutes: policy.autoLockMinutes }, harvestCertificates: true };
}

type Migration = (old: Record<string, unknown>, policy: KeystorePolicy) => Record<string, unknown>;

/** `SETTINGS_MIGRATIONS[n - 1]` turns version n into version n + 1. */
export const SETTINGS_MIGRATIONS: readonly Migration[] = [
  (old) => {
    const minutes = typeof old.autoLockMinutes === 'number' ? old.autoLockMinutes : 15;
    return { version: 2, autoLock: minutes === 0 ? { mode: 'until-close' } : { mode: 'idle', minutes }, harvestCertificates: true };
  },
];

export const SETTINGS_VERSION = SETTINGS_MIGRATIONS.length + 1;

function clampAutoLock(autoLock: unknown, policy: KeystorePolicy): AutoLock {
  if (typeof autoLock === 'object' && autoLock !== null && (autoLock as { mode?: unknown }).mode === 'until-close') return { mode: 'until-close' };
  const minutes = typeof autoLock === 'object' && autoLock !== null ? Number((autoLock as { minutes?: unknown }).minutes) : NaN;
  if (!Number.isFinite(minutes)) return { mode: 'idle', minutes: policy.autoLockMinutes };
  return { mode: 'idle', minutes: Math.min(Math.max(Math.round(minutes), policy.minAutoLockMinutes), policy.maxAutoLockMinutes) };
}

/** Fills defaults and clamps ranges, so a hand-edited or damaged value never breaks the extension. */
function normalise(value: Record<string, unknown>, policy: KeystorePolicy): Settings {
  const defaults = defaultSettings(policy);
  return {
    version: 2,
    autoLock: 'autoLock' in value ? clampAutoLock(value.autoLock, policy) : defaults.autoLock,
    harvestCertificates: typeof value.harvestCertificates === 'boolean' ? value.harvestCertificates : defaults.harvestCertificates,
  };
}

/** Managed values (#9) on top of the user's: a locked value always wins, an unlocked one until the user sets their own. */
function withManaged(settings: Settings, own: Record<string, unknown>, config: ManagedConfig | null): Settings {
  if (!config) return settings;
  const out: Settings = { ...settings };
  const autoLock = config.settings.autoLockMinutes;
  // Managed 0 means "only when Thunderbird closes" (managed-schema.json).
  if (autoLock && (autoLock.locked || !('autoLock' in own))) out.autoLock = autoLock.value === 0 ? { mode: 'until-close' } : { mode: 'idle', minutes: autoLock.value };
  const harvest = config.settings.harvestCertificates;
  if (harvest && (harvest.locked || typeof own.harvestCertificates !== 'boolean')) out.harvestCertificates = harvest.value;
  return out;
}

export class SettingsStore {
  /**
   * @param managed the administrator's configuration (storage.managed, #9); its values are applied by
   *   `load` and its locked settings refused by `update`.
   */
  constructor(
    private readonly area: SettingsArea,
    private readonly policy: KeystorePolicy = DEFAULT_KEYSTORE_POLICY,
    private readonly managed: () => Promise<ManagedConfig | null> = async () => null,
  ) {}

  /** The user's own stored settings (migrated), without managed values. */
  private async loadOwn(): Promise<{ settings: Settings; own: Record<string, unknown> }> {
    const stored = (await this.area.get(SETTINGS_KEY))[SETTINGS_KEY];
    if (typeof stored !== 'object' || stored === null) return { settings: defaultSettings(this.policy), own: {} };
    let value = stored as Record<string, unknown>;
    const from = typeof value.version === 'number' && Number.isInteger(value.version) ? value.version : 1;
    if (from > SETTINGS_VERSION) return { settings: normalise(value, this.policy), own: value };
    for (let version = from; version < SETTINGS_VERSION; version += 1) value = SETTINGS_MIGRATIONS[version - 1](value, this.policy);
    const settings = normalise(value, this.policy);
    if (from < SETTINGS_VERSION) await this.area.set({ [SETTINGS_KEY]: settings });
    return { settings, own: value };
  }

  /** Reads settings, running migrations from the stored version and writing the result back once; managed values applied. */
  async load(): Promise<Settings> {
    const [{ settings, own }, config] = await Promise.all([this.loadOwn(), this.managed()]);
    return withManaged(settings, own, config);
  }

  /**
   * Stores the user's change and answers the effective settings.
   * @throws SmimeError `SETTING_LOCKED` when the change touches a setting the administrator locked; nothing is stored.
   */
  async update(change: Partial<Omit<Settings, 'version'>>): Promise<Settings> {
    const config = await this.managed();
    const locked = [
      ...('autoLock' in change && config?.settings.autoLockMinutes?.locked ? ['autoLockMinutes'] : []),
      ...('harvestCertificates' in change && config?.settings.harvestCertificates?.locked ? ['harvestCertificates'] : []),
    ];
    if (locked.length > 0) throw new SmimeError('SETTING_LOCKED', `${locked.join(', ')} is set by the organisation`, { detail: { settings: locked } });
    const { own } = await this.loadOwn();
    const merged: Record<string, unknown> = { ...own, ...change };
    const settings = normalise(merged, this.policy);
    // Only what the user chose is stored, so an unlocked managed default keeps applying to the rest.
    const stored: Record<string, unknown> = { version: settings.version };
    for (const key of ['autoLock', 'harvestCertificates'] as const) if (key in merged) stored[key] = settings[key];
    await this.area.set({ [SETTINGS_KEY]: stored });
    return withManaged(settings, stored, config);
  }
}
