/**
 * The PKCS#12 password-based key derivation of RFC 7292 Appendix B.2, used by the legacy
 * pbeWithSHAAnd* schemes (Appendix C) and by the PKCS#12 integrity MAC (§5.1, Appendix B.3).
 * New files use PBKDF2 (RFC 8018) for encryption; the MAC key still comes from this function.
 */
import { concatBytes } from '../bytes.js';
import { iteratedDigest } from './sync-digest.js';

/** Digests the PKCS#12 KDF runs on (WebCrypto names). */
export type Pkcs12KdfHash = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

/** RFC 7292 Appendix B.3: ID byte 1 derives key material, 2 an IV, 3 a MAC key. */
export const PKCS12_KDF_KEY = 1;
export const PKCS12_KDF_IV = 2;
export const PKCS12_KDF_MAC = 3;
export type Pkcs12KdfPurpose = typeof PKCS12_KDF_KEY | typeof PKCS12_KDF_IV | typeof PKCS12_KDF_MAC;

const SIZES: Record<Pkcs12KdfHash, { u: number; v: number }> = {
  'SHA-1': { u: 20, v: 64 },
  'SHA-256': { u: 32, v: 64 },
  'SHA-384': { u: 48, v: 128 },
  'SHA-512': { u: 64, v: 128 },
};

/**
 * The password as RFC 7292 Appendix B.1 wants it: a BMPString (UTF-16BE) followed by two zero bytes.
 * `null` gives the zero-length form some tools use for "no password"; `''` gives just the two zero bytes.
 * JavaScript strings are UTF-16 already, so characters outside the BMP become surrogate pairs, as in OpenSSL.
 */
export function pkcs12PasswordBytes(password: string | null): Uint8Array {
  if (password === null) return new Uint8Array(0);
  const out = new Uint8Array(password.length * 2 + 2);
  for (let i = 0; i < password.length; i++) {
    const unit = password.charCodeAt(i);
    out[2 * i] = unit >> 8;
    out[2 * i + 1] = unit & 0xff;
  }
  return out;
}

export interface Pkcs12KdfInput {
  hash: Pkcs12KdfHash;
  /** Password bytes from `pkcs12PasswordBytes`. */
  password: Uint8Array;
  salt: Uint8Array;
  /** The caller enforces the policy cap before calling (SEC-38e). */
  iterations: number;
  purpose: Pkcs12KdfPurpose;
  /** Bytes of output wanted. */
  length: number;
}

/**
 * Derives `length` bytes with the RFC 7292 Appendix B.2 algorithm. The iterated hash runs synchronously
 * (sync-digest.ts); the function stays async so a worker-backed version can replace it without API changes.
 * Security: the iteration count comes from the file, so callers must cap it first (SEC-38e);
 * this function only refuses non-positive counts.
 * @throws RangeError for an iteration count below 1 or a negative length (a caller bug).
 */
export async function derivePkcs12Key(input: Pkcs12KdfInput): Promise<Uint8Array> {
  const { hash, password, salt, iterations, purpose, length } = input;
  if (!Number.isSafeInteger(iterations) || iterations < 1) throw new RangeError(`PKCS#12 KDF iteration count ${iterations} is invalid`);
  if (!Number.isSafeInteger(length) || length < 0) throw new RangeError(`PKCS#12 KDF length ${length} is invalid`);
  const { u, v } = SIZES[hash];

  // Step 1: D is v copies of the ID byte.
  const d = new Uint8Array(v).fill(purpose);
  // Steps 2-4: I = S || P, each the input repeated to a multiple of v bytes.
  const s = repeatToMultiple(salt, v);
  const p = repeatToMultiple(password, v);
  const i = concatBytes([s, p]);
  // Step 5: c = ceil(n / u) rounds.
  const rounds = Math.ceil(length / u);
  const output: Uint8Array[] = [];
  for (let round = 0; round < rounds; round++) {
    // Step 6a: A = H^r(D || I).
    const a = iteratedDigest(hash, concatBytes([d, i]), iterations);
    output.push(a);
    if (round === rounds - 1) break;
    // Step 6b-c: B = A repeated to v bytes; each v-byte block I_j becomes (I_j + B + 1) mod 2^(8v).
    const b = repeatToLength(a, v);
    for (let offset = 0; offset < i.length; offset += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const sum = i[offset + k]! + b[k]! + carry;
        i[offset + k] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  return concatBytes(output).slice(0, length);
}

function repeatToMultiple(data: Uint8Array, v: number): Uint8Array {
  if (data.length === 0) return new Uint8Array(0);
  return repeatToLength(data, v * Math.ceil(data.length / v));
}

function repeatToLength(data: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let k = 0; k < length; k++) out[k] = data[k % data.length]!;
  return out;
}
