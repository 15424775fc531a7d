/**
 * Key-derivation functions of CMS key agreement:
 * - ANSI X9.63 KDF (RFC 5753 §7.2, SEC 1 §3.6.1), used by the dhSinglePass-stdDH-shaNkdf schemes;
 * - HKDF (RFC 5869) as profiled for CMS by RFC 8418 §2 (X25519/X448 with id-alg-hkdf-with-shaN).
 * The shared info is the DER ECC-CMS-SharedInfo (RFC 5753 §7.2).
 */
import type { HashName } from '../policy.js';

/** WebCrypto's types want ArrayBuffer-backed views; the engine never uses SharedArrayBuffer. */
const bs = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => bytes as Uint8Array<ArrayBuffer>;

/** X9.63 KDF: K = Hash(Z || Counter || SharedInfo) for Counter = 1, 2, ... (32-bit big-endian), truncated. */
export async function x963Kdf(crypto: Crypto, hash: HashName | 'SHA-1', sharedSecret: Uint8Array, sharedInfo: Uint8Array, length: number): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  const input = new Uint8Array(sharedSecret.byteLength + 4 + sharedInfo.byteLength);
  input.set(sharedSecret, 0);
  input.set(sharedInfo, sharedSecret.byteLength + 4);
  let offset = 0;
  for (let counter = 1; offset < length; counter++) {
    const c = sharedSecret.byteLength;
    input[c] = (counter >>> 24) & 0xff;
    input[c + 1] = (counter >>> 16) & 0xff;
    input[c + 2] = (counter >>> 8) & 0xff;
    input[c + 3] = counter & 0xff;
    const block = new Uint8Array(await crypto.subtle.digest(hash, bs(input)));
    out.set(block.subarray(0, Math.min(block.length, length - offset)), offset);
    offset += block.length;
  }
  input.fill(0);
  return out;
}

/** HKDF (RFC 5869) with the RFC 8418 §2 inputs: salt = ukm (or empty), IKM = Z, info = ECC-CMS-SharedInfo. */
export async function hkdf(crypto: Crypto, hash: HashName, sharedSecret: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Promise<Uint8Array> {
  const ikm = await crypto.subtle.importKey('raw', bs(sharedSecret), 'HKDF', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'HKDF', hash, salt: bs(salt), info: bs(info) }, ikm, length * 8);
  return new Uint8Array(bits);
}
