/**
 * Managed rollout (#9, features.md "Managed configuration"): what an administrator sets in
 * Thunderbird's enterprise policies (policies.json → "3rdparty" → "Extensions" → "waxseal@waxseal.org")
 * arrives in `storage.managed`. This module checks that object against managed-schema.json's meaning
 * and turns it into typed settings, each with whether the user may still change it.
 *
 * A setting is given either as its value (managed and locked) or as `{ "value": …, "locked": false }`
 * (a default the user may change). Invalid entries are dropped and reported, never half-applied: a
 * typo in policies.json must not switch protection off.
 */
import { parseLdapUrl, type DirectoryServer } from '../directory/directory-config.js';

export const CONTENT_ENCRYPTION_ALGORITHMS = ['AES-256-GCM', 'AES-128-GCM', 'AES-256-CBC', 'AES-128-CBC'] as const;
export type ContentEncryptionAlgorithm = (typeof CONTENT_ENCRYPTION_ALGORITHMS)[number];

/** A setting from policy: its value and whether the options page must show it locked. */
export interface ManagedValue<T> {
  value: T;
  locked: boolean;
}

export interface ManagedSettings {
  signByDefault?: ManagedValue<boolean>;
  encryptWhenPossible?: ManagedValue<boolean>;
  requireEncryption?: ManagedValue<boolean>;
  /** Minutes of idle time before the key store locks; 0 = only when Thunderbird closes. */
  autoLockMinutes?: ManagedValue<number>;
  harvestCertificates?: ManagedValue<boolean>;
  /** Content-encryption algorithms Waxseal may use when sending, in order of preference. */
  allowedContentEncryption?: ManagedValue<ContentEncryptionAlgorithm[]>;
  /** Whether Thunderbird's LDAP address books are asked for certificates too. */
  useAddressBookDirectories?: ManagedValue<boolean>;
}

export interface ProvisionedIdentity {
  /** An https:// URL of the PKCS#12 file, or its content in base64. Exactly one is set. */
  url?: string;
  data?: string;
  /** Shown in the import offer ("Your organisation provides …"). */
  label: string;
}

export interface ManagedConfig {
  settings: ManagedSettings;
  directories: DirectoryServer[];
  directoryTimeoutMs?: number;
  directoryCacheMinutes?: number;
  /** Organisation trust anchors (DER), for S/MIME e-mail. */
  trustAnchors: Uint8Array[];
  provisionedIdentity?: ProvisionedIdentity;
}

export interface ManagedConfigResult {
  config: ManagedConfig;
  /** True when the administrator set anything at all. */
  managed: boolean;
  /** Entries that were ignored, with why (logged; shown on the options page). */
  problems: string[];
}

type Check<T> = (value: unknown) => T | undefined;

const isBoolean: Check<boolean> = (v) => (typeof v === 'boolean' ? v : undefined);
const autoLockMinutes: Check<number> = (v) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 240 ? v : undefined);
const algorithms: Check<ContentEncryptionAlgorithm[]> = (v) => {
  if (!Array.isArray(v) || v.length === 0 || v.length > CONTENT_ENCRYPTION_ALGORITHMS.length) return undefined;
  return v.every((a) => (CONTENT_ENCRYPTION_ALGORITHMS as readonly unknown[]).includes(a)) ? (v as ContentEncryptionAlgorithm[]) : undefined;
};

function managedValue<T>(raw: unknown, check: Check<T>): ManagedValue<T> | undefined {
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw) && 'value' in raw) {
    const value = check((raw as { value: unknown }).value);
    const locked = (raw as { locked?: unknown }).locked;
    if (value === undefined || (locked !== undefined && typeof locked !== 'boolean')) return undefined;
    return { value, locked: locked !== false };
  }
  const value = check(raw);
  return value === undefined ? undefined : { value, locked: true };
}

const SETTING_CHECKS: { [K in keyof ManagedSettings]-?: Check<NonNullable<ManagedSettings[K]>['value']> } = {
  signByDefault: isBoolean,
  encryptWhenPossible: isBoolean,
  requireEncryption: isBoolean,
  autoLockMinutes,
  harvestCertificates: isBoolean,
  allowedContentEncryption: algorithms,
  useAddressBookDirectories: isBoolean,
};

const MAX_DIRECTORIES = 10;
const MAX_TRUST_ANCHORS = 50;
const MAX_ANCHOR_CHARS = 64 * 1024;
const MAX_PROVISIONED_CHARS = 512 * 1024;
const OTHER_KEYS = new Set(['directories', 'directoryTimeoutSeconds', 'directoryCacheMinutes', 'trustAnchors', 'provisionedIdentity']);

function decodeBase64Strict(text: string): Uint8Array | null {
  const clean = text.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
  if (clean === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(clean) || clean.length % 4 !== 0) return null;
  const binary = atob(clean);
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

function parseDirectory(raw: unknown, index: number, problems: string[]): DirectoryServer | null {
  if (typeof raw !== 'object' || raw === null) {
    problems.push(`directories[${index}]: not an object`);
    return null;
  }
  const d = raw as Record<string, unknown>;
  if (typeof d.url !== 'string') {
    problems.push(`directories[${index}]: url missing`);
    return null;
  }
  let parsed;
  try {
    parsed = parseLdapUrl(d.url);
  } catch (error) {
    problems.push(`directories[${index}]: ${(error as Error).message}`);
    return null;
  }
  if (d.bindDn !== undefined && typeof d.bindDn !== 'string') {
    problems.push(`directories[${index}]: bindDn must be a string`);
    return null;
  }
  if (d.bindPassword !== undefined && typeof d.bindPassword !== 'string') {
    problems.push(`directories[${index}]: bindPassword must be a string`);
    return null;
  }
  return {
    id: `policy:${index}`,
    name: typeof d.name === 'string' && d.name.trim() !== '' ? d.name.trim() : parsed.url,
    ...parsed,
    ...(typeof d.bindDn === 'string' && d.bindDn !== '' ? { bindDn: d.bindDn } : {}),
    ...(typeof d.bindPassword === 'string' ? { bindPassword: d.bindPassword } : {}),
    source: 'policy',
  };
}

function parseProvisioned(raw: unknown, problems: string[]): ProvisionedIdentity | undefined {
  if (typeof raw !== 'object' || raw === null) {
    problems.push('provisionedIdentity: not an object');
    return undefined;
  }
  const p = raw as Record<string, unknown>;
  const label = typeof p.label === 'string' && p.label.trim() !== '' ? p.label.trim() : 'Organisation certificate';
  const hasUrl = typeof p.url === 'string';
  const hasData = typeof p.data === 'string';
  if (hasUrl === hasData) {
    problems.push('provisionedIdentity: give exactly one of url and data');
    return undefined;
  }
  if (hasUrl) {
    // The file holds a private key: only over TLS (or a local file:// the administrator placed).
    if (!/^(https:\/\/|file:\/\/\/)/i.test(p.url as string)) {
      problems.push('provisionedIdentity.url: must be https:// or file:///');
      return undefined;
    }
    return { url: p.url as string, label };
  }
  const data = (p.data as string).replace(/\s+/g, '');
  if (data.length > MAX_PROVISIONED_CHARS || decodeBase64Strict(data) === null) {
    problems.push('provisionedIdentity.data: not base64 or too large');
    return undefined;
  }
  return { data, label };
}

/** Checks `storage.managed` content. Never throws; see `problems` for what was ignored. */
export function parseManagedConfig(raw: unknown): ManagedConfigResult {
  const problems: string[] = [];
  const config: ManagedConfig = { settings: {}, directories: [], trustAnchors: [] };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { config, managed: false, problems };
  const input = raw as Record<string, unknown>;
  for (const [key, value] of Object.entries(input)) {
    if (key in SETTING_CHECKS) {
      const check = SETTING_CHECKS[key as keyof ManagedSettings] as Check<unknown>;
      const parsed = managedValue(value, check);
      if (parsed) (config.settings as Record<string, ManagedValue<unknown>>)[key] = parsed;
      else problems.push(`${key}: invalid value`);
    } else if (!OTHER_KEYS.has(key)) {
      problems.push(`${key}: unknown setting`);
    }
  }
  if (input.directories !== undefined) {
    if (!Array.isArray(input.directories)) problems.push('directories: not a list');
    else {
      if (input.directories.length > MAX_DIRECTORIES) problems.push(`directories: only the first ${MAX_DIRECTORIES} are used`);
      input.directories.slice(0, MAX_DIRECTORIES).forEach((d, i) => {
        const server = parseDirectory(d, i, problems);
        if (server) config.directories.push(server);
      });
    }
  }
  if (input.directoryTimeoutSeconds !== undefined) {
    const s = input.directoryTimeoutSeconds;
    if (typeof s === 'number' && s >= 1 && s <= 30) config.directoryTimeoutMs = Math.round(s * 1000);
    else problems.push('directoryTimeoutSeconds: must be 1–30');
  }
  if (input.directoryCacheMinutes !== undefined) {
    const m = input.directoryCacheMinutes;
    if (typeof m === 'number' && Number.isInteger(m) && m >= 0 && m <= 10_080) config.directoryCacheMinutes = m;
    else problems.push('directoryCacheMinutes: must be 0–10080');
  }
  if (input.trustAnchors !== undefined) {
    if (!Array.isArray(input.trustAnchors)) problems.push('trustAnchors: not a list');
    else
      input.trustAnchors.slice(0, MAX_TRUST_ANCHORS).forEach((a, i) => {
        const der = typeof a === 'string' && a.length <= MAX_ANCHOR_CHARS ? decodeBase64Strict(a) : null;
        if (der) config.trustAnchors.push(der);
        else problems.push(`trustAnchors[${i}]: not a PEM or base64 certificate`);
      });
  }
  if (input.provisionedIdentity !== undefined) {
    const p = parseProvisioned(input.provisionedIdentity, problems);
    if (p) config.provisionedIdentity = p;
  }
  return { config, managed: Object.keys(input).length > 0, problems };
}

/** The setting names that are locked, for the options page (`locked` flags in the settings response). */
export function lockedSettings(config: ManagedConfig): (keyof ManagedSettings)[] {
  return (Object.keys(config.settings) as (keyof ManagedSettings)[]).filter((k) => config.settings[k]?.locked === true);
}
