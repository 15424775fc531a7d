/**
 * What the options page needs besides the background's requests: the mail accounts' addresses (to
 * match an imported identity), the per-identity compose defaults kept in `storage.local`
 * (`composeDefaults`, read by the send path in src/background/send/key-access.ts; changed only through
 * the background's `setComposeDefaults`, which refuses what the organisation locked), the bundled roots,
 * a download for exported backups, and the clock. Passed in through context so UI tests use a fake.
 */
import type { ComposeDefaults } from '../shared/compose-protocol.js';

export interface AccountAddress {
  /** Lower-cased e-mail address of a Thunderbird identity. */
  address: string;
  /** The account's name, as Thunderbird shows it. */
  accountName: string;
}

export interface BundledRoot {
  label: string;
  /** DER, base64. */
  der: string;
}

export interface OptionsPlatform {
  listAccountAddresses(): Promise<AccountAddress[]>;
  getComposeDefaults(): Promise<Record<string, ComposeDefaults>>;
  bundledRoots(): Promise<BundledRoot[]>;
  /** Offers bytes as a file download (a blob URL, revoked afterwards; nothing is written elsewhere). */
  download(bytes: Uint8Array, fileName: string, type: string): void;
  /** Milliseconds since the epoch; tests pass a fixed time. */
  now(): number;
}

export const COMPOSE_DEFAULTS_KEY = 'composeDefaults';

/** Reads one stored entry the way the send path does: anything not exactly `true` is off. */
export function normaliseDefaults(value: unknown): ComposeDefaults {
  const e = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  return { signByDefault: e.signByDefault === true, encryptWhenPossible: e.encryptWhenPossible === true, requireEncryption: e.requireEncryption === true };
}
