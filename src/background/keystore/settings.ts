/**
 * User settings: typed defaults plus an explicit list of migrations, kept in `storage.local`
 * (STYLE §6). Settings are never keys, passphrases or anything derived from them (SEC-39f).
 */
import { DEFAULT_KEYSTORE_POLICY, type KeystorePolicy } from '../../crypto/index.js';

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

export class SettingsStore {
  constructor(
    private readonly area: SettingsArea,
    private readonly policy: KeystorePolicy = DEFAULT_KEYSTORE_POLICY,
  ) {}

  /** Reads settings, running migrations from the stored version and writing the result back once. */
  async load(): Promise<Settings> {
    const stored = (await this.area.get(SETTINGS_KEY))[SETTINGS_KEY];
    if (typeof stored !== 'object' || stored === null) return defaultSettings(this.policy);
    let value = stored as Record<string, unknown>;
    const from = typeof value.version === 'number' && Number.isInteger(value.version) ? value.version : 1;
    if (from > SETTINGS_VERSION) return normalise(value, this.policy);
    for (let version = from; version < SETTINGS_VERSION; version += 1) value = SETTINGS_MIGRATIONS[version - 1](value, this.policy);
    const settings = normalise(value, this.policy);
    if (from < SETTINGS_VERSION) await this.area.set({ [SETTINGS_KEY]: settings });
    return settings;
  }

  async update(change: Partial<Omit<Settings, 'version'>>): Promise<Settings> {
    const settings = normalise({ ...(await this.load()), ...change }, this.policy);
    await this.area.set({ [SETTINGS_KEY]: settings });
    return settings;
  }
}
