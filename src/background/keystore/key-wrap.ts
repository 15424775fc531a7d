/**
 * Passphrase key wrapping for private keys at rest (SEC-39). The format is documented on
 * `WrappedKey` (records.ts) and in docs/keystore.md.
 *
 * The PBKDF2 output never leaves this module as bytes: it becomes a non-extractable HKDF key, and
 * each record's AES-256-GCM key is derived from it with the record's own salt.
 */
import { SmimeError } from '../../crypto/index.js';
import type { WrappedKey } from './records.js';

const HKDF_INFO = new TextEncoder().encode('waxseal key record v1');
const AAD_LABEL = 'waxseal-key/v1';
export const SALT_BYTES = 16;
export const IV_BYTES = 12;

/** A PBKDF2 result held as a non-extractable HKDF base key, with the parameters that produced it. */
export interface MasterKey {
  readonly kdfSalt: Uint8Array<ArrayBuffer>;
  readonly iter: number;
  readonly key: CryptoKey;
}

export function randomBytes(crypto: Crypto, length: number): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(length));
}

/** PBKDF2-HMAC-SHA256(passphrase, kdfSalt, iter) → 256 bits (RFC 8018 §5.2), imported for HKDF only. */
export async function deriveMasterKey(crypto: Crypto, passphrase: string, kdfSalt: Uint8Array<ArrayBuffer>, iter: number): Promise<MasterKey> {
  const password = await crypto.subtle.importKey('raw', new TextEncoder().encode(passphrase.normalize('NFC')), 'PBKDF2', false, ['deriveBits']);
  const bits = new Uint8Array(await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: kdfSalt, iterations: iter }, password, 256));
  const key = await crypto.subtle.importKey('raw', bits, 'HKDF', false, ['deriveKey']);
  bits.fill(0);
  return { kdfSalt, iter, key };
}

/** The associated data binding a wrapped key to its record and certificate (SEC-39a/c). */
export function keyAad(recordId: string, fingerprintSha256: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(`${AAD_LABEL}\u0000${recordId}\u0000${fingerprintSha256.toLowerCase()}`);
}

async function recordKey(crypto: Crypto, master: MasterKey, salt: Uint8Array<ArrayBuffer>, usage: KeyUsage): Promise<CryptoKey> {
  return crypto.subtle.deriveKey({ name: 'HKDF', hash: 'SHA-256', salt, info: HKDF_INFO }, master.key, { name: 'AES-GCM', length: 256 }, false, [usage]);
}

/** Wraps `plaintext` for record `recordId` with fresh random salt and IV. */
export async function wrapKey(crypto: Crypto, master: MasterKey, recordId: string, fingerprintSha256: string, plaintext: Uint8Array<ArrayBuffer>): Promise<WrappedKey> {
  const salt = randomBytes(crypto, SALT_BYTES);
  const iv = randomBytes(crypto, IV_BYTES);
  const aad = keyAad(recordId, fingerprintSha256);
  const key = await recordKey(crypto, master, salt, 'encrypt');
  const ct = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad, tagLength: 128 }, key, plaintext));
  return { v: 1, kdf: 'PBKDF2-SHA256', iter: master.iter, kdfSalt: master.kdfSalt, salt, iv, ct, aad };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i += 1) if (a[i] !== b[i]) return false;
  return true;
}

/** True when `wrapped` was made under exactly this master's salt and iteration count. */
export function madeWith(master: MasterKey, wrapped: WrappedKey): boolean {
  return wrapped.iter === master.iter && sameBytes(wrapped.kdfSalt, master.kdfSalt);
}

/**
 * Unwraps a record. The AAD is recomputed from `recordId` and `fingerprintSha256`, never taken from
 * the record, so a moved or edited record fails the GCM tag check.
 * @throws SmimeError `KEYSTORE_DAMAGED_RECORD` (detail `{id}`) when the record is not a v1 wrap or
 *   the tag check fails. Callers that verified the passphrase on the canary first know that a tag
 *   failure here means damage, not a wrong passphrase.
 */
export async function unwrapKey(crypto: Crypto, master: MasterKey, recordId: string, fingerprintSha256: string, wrapped: WrappedKey): Promise<Uint8Array<ArrayBuffer>> {
  if (!isWrappedKey(wrapped)) {
    throw new SmimeError('KEYSTORE_DAMAGED_RECORD', `key record ${recordId} is not a version 1 wrapped key`, { detail: { id: recordId } });
  }
  const aad = keyAad(recordId, fingerprintSha256);
  try {
    const key = await recordKey(crypto, master, wrapped.salt, 'decrypt');
    return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: wrapped.iv, additionalData: aad, tagLength: 128 }, key, wrapped.ct));
  } catch (cause) {
    throw new SmimeError('KEYSTORE_DAMAGED_RECORD', `key record ${recordId} does not open (tag check failed)`, { cause, detail: { id: recordId } });
  }
}

/** Shape check for a stored wrap: right version, KDF and field sizes. */
export function isWrappedKey(value: unknown): value is WrappedKey {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Partial<WrappedKey>;
  return (
    record.v === 1 &&
    record.kdf === 'PBKDF2-SHA256' &&
    typeof record.iter === 'number' &&
    Number.isInteger(record.iter) &&
    record.iter >= 1 &&
    record.kdfSalt instanceof Uint8Array &&
    record.kdfSalt.byteLength === SALT_BYTES &&
    record.salt instanceof Uint8Array &&
    record.salt.byteLength === SALT_BYTES &&
    record.iv instanceof Uint8Array &&
    record.iv.byteLength === IV_BYTES &&
    record.ct instanceof Uint8Array &&
    record.ct.byteLength > 16 &&
    record.aad instanceof Uint8Array
  );
}
