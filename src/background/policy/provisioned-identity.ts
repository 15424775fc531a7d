/**
 * The administrator's provisioned identity (#9): an encrypted PKCS#12 file named in the managed
 * policy (`provisionedIdentity`: base64 `data`, or an https:// / file:/// `url`) is offered for
 * import at first start, asking the user only for its password. The offer is keyed by the file's
 * SHA-256, so a new file from the administrator is offered again and a handled one never is.
 */
import { base64Decode, SmimeError } from '../../crypto/index.js';
import type { SettingsArea } from '../keystore/settings.js';
import type { ProvisionedIdentity } from './managed-config.js';

export const PROVISIONED_STATE_KEY = 'provisionedIdentity';
/** PKCS#12 files above this are refused (a PKCS#12 with a key and a chain is a few kB). */
export const MAX_PROVISIONED_BYTES = 256 * 1024;

export interface ProvisionedOffer {
  /** Hex SHA-256 of the file. */
  offerId: string;
  label: string;
  p12: Uint8Array;
}

export interface ProvisionedDeps {
  area: SettingsArea;
  crypto: Crypto;
  /** Fetches the file at `url` (https:// or file:///), at most `maxBytes`. */
  fetchBytes(url: string, maxBytes: number): Promise<Uint8Array>;
}

async function sha256Hex(crypto: Crypto, bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The pending offer, or null when there is none or it was already imported or declined.
 * @throws SmimeError `MANAGED_CONFIG_INVALID` when the file cannot be fetched or is too large.
 */
export async function pendingProvisionedIdentity(identity: ProvisionedIdentity | undefined, deps: ProvisionedDeps): Promise<ProvisionedOffer | null> {
  if (!identity) return null;
  let p12: Uint8Array;
  if (identity.data !== undefined) p12 = base64Decode(identity.data);
  else {
    try {
      p12 = await deps.fetchBytes(identity.url!, MAX_PROVISIONED_BYTES);
    } catch (error) {
      throw new SmimeError('MANAGED_CONFIG_INVALID', `the provisioned identity could not be fetched from ${identity.url}`, { cause: error });
    }
  }
  if (p12.length === 0 || p12.length > MAX_PROVISIONED_BYTES) throw new SmimeError('MANAGED_CONFIG_INVALID', `the provisioned identity is empty or larger than ${MAX_PROVISIONED_BYTES} bytes`);
  const offerId = await sha256Hex(deps.crypto, p12);
  const state = (await deps.area.get(PROVISIONED_STATE_KEY))[PROVISIONED_STATE_KEY];
  const handled = typeof state === 'object' && state !== null ? (state as Record<string, unknown>)[offerId] : undefined;
  if (handled === 'imported' || handled === 'declined') return null;
  return { offerId, label: identity.label, p12 };
}

/** Records that the user imported (or declined) the offer, so it is not shown again. */
export async function settleProvisionedIdentity(area: SettingsArea, offerId: string, outcome: 'imported' | 'declined'): Promise<void> {
  const state = (await area.get(PROVISIONED_STATE_KEY))[PROVISIONED_STATE_KEY];
  const previous = typeof state === 'object' && state !== null ? (state as Record<string, string>) : {};
  await area.set({ [PROVISIONED_STATE_KEY]: { ...previous, [offerId]: outcome } });
}
