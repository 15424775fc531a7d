/**
 * RSA private-key operations that WebCrypto does not offer: RSAES-PKCS1-v1_5 decryption (security.md F6).
 *
 * Design (SEC-23, draft-irtf-cfrg-rsa-guidance "implicit rejection", as in OpenSSL ≥ 3.2):
 * - the key components stay inside a closure; the returned handle exposes only operations (SEC-40b);
 * - RSA blinding with a random r (refreshed by squaring after each use) so the private exponentiation does not
 *   depend on the attacker's ciphertext alone;
 * - the padding is checked without an early exit, and a bad padding yields a deterministic pseudo-random
 *   "synthetic" message derived by HMAC from the ciphertext and the private key, so a caller cannot tell a
 *   padding failure from a wrong key: the CMS layer then fails with its single uniform error;
 * - the only error is `DECRYPTION_FAILED` with one fixed message, for a ciphertext of the wrong length or ≥ n.
 */
import * as pkijs from 'pkijs';
import { parseBer } from '../asn1.js';
import { SmimeError } from '../errors.js';
import { OID } from '../oids.js';
import { iteratedDigest } from '../kdf/sync-digest.js';
import { bigIntToBytes, bitLengthOf, bytesToBigInt, modInverse, modPow } from './rsa-math.js';

/** The single error of the RSA decryption path (SEC-23a): same code, same message for every failure. */
export const RSA_DECRYPTION_ERROR_MESSAGE = 'The message could not be decrypted.';

/** A new instance of the single decryption error. */
export function rsaDecryptionError(): SmimeError {
  return new SmimeError('DECRYPTION_FAILED', RSA_DECRYPTION_ERROR_MESSAGE);
}

/**
 * A handle on an RSA private key for RSAES-PKCS1-v1_5 decryption. The components are not reachable from it.
 */
export interface RsaPrivateKeyMaterial {
  readonly kind: 'rsa-private-key-material';
  /** Modulus size in bits. */
  readonly modulusBits: number;
  /**
   * RSAES-PKCS1-v1_5 decryption (RFC 8017 §7.2.2) with implicit rejection: returns the message when the
   * padding is valid, otherwise a deterministic pseudo-random message derived from the ciphertext and the key.
   * @throws SmimeError `DECRYPTION_FAILED` (always the same message) when the ciphertext length is not the
   * modulus length or its value is not below the modulus.
   */
  decryptPkcs1v15(ciphertext: Uint8Array): Promise<Uint8Array>;
}

interface RsaComponents {
  n: bigint;
  e: bigint;
  d: bigint;
  p: bigint;
  q: bigint;
  dp: bigint;
  dq: bigint;
  qInv: bigint;
}

function integerOf(value: { valueBlock: { valueHexView: Uint8Array } }): bigint {
  return bytesToBigInt(value.valueBlock.valueHexView);
}

function readRsaComponents(pkcs8: Uint8Array): RsaComponents {
  let info: pkijs.PrivateKeyInfo;
  try {
    info = new pkijs.PrivateKeyInfo({ schema: parseBer(pkcs8, undefined, 'PKCS#8 private key') });
  } catch (cause) {
    if (cause instanceof SmimeError) throw cause;
    throw new SmimeError('MALFORMED_ASN1', 'not a PKCS#8 PrivateKeyInfo', { cause });
  }
  if (info.privateKeyAlgorithm.algorithmId !== OID.rsaEncryption || !(info.parsedKey instanceof pkijs.RSAPrivateKey)) {
    throw new SmimeError('UNSUPPORTED_ALGORITHM', 'the private key is not an RSA key');
  }
  const key = info.parsedKey;
  if (!key.prime1 || !key.prime2 || !key.exponent1 || !key.exponent2 || !key.coefficient) {
    throw new SmimeError('UNSUPPORTED_ALGORITHM', 'the RSA private key lacks its CRT components');
  }
  return {
    n: integerOf(key.modulus),
    e: integerOf(key.publicExponent),
    d: integerOf(key.privateExponent),
    p: integerOf(key.prime1),
    q: integerOf(key.prime2),
    dp: integerOf(key.exponent1),
    dq: integerOf(key.exponent2),
    qInv: integerOf(key.coefficient),
  };
}

function randomBelow(n: bigint, crypto: Crypto, length: number): bigint {
  for (;;) {
    const bytes = crypto.getRandomValues(new Uint8Array(length));
    const r = bytesToBigInt(bytes) % n;
    if (r > 1n) return r;
  }
}

/**
 * HMAC-SHA256 (RFC 2104) computed synchronously: the implicit-rejection PRF needs 17 small MACs per decryption,
 * and one awaited WebCrypto call each cost more than the RSA operation on a busy machine. SHA-256 has no
 * secret-dependent branches or table lookups, so this adds no timing signal. `key` is at most 64 bytes.
 */
function hmacSha256(key: Uint8Array, message: Uint8Array): Uint8Array {
  const inner = new Uint8Array(64 + message.length);
  const outer = new Uint8Array(64 + 32);
  for (let i = 0; i < 64; i++) {
    const byte = i < key.length ? key[i]! : 0;
    inner[i] = byte ^ 0x36;
    outer[i] = byte ^ 0x5c;
  }
  inner.set(message, 64);
  const innerHash = iteratedDigest('SHA-256', inner, 1);
  outer.set(innerHash, 64);
  const mac = iteratedDigest('SHA-256', outer, 1);
  inner.fill(0);
  outer.fill(0);
  innerHash.fill(0);
  return mac;
}

/**
 * The PRF of the implicit-rejection method: HMAC-SHA256(KDK, I2OSP(i, 2) || label || I2OSP(bits, 2)) for
 * i = 0, 1, ..., truncated to `length` bytes (draft-irtf-cfrg-rsa-guidance §7.2; OpenSSL `ossl_rsa_prf`).
 */
function implicitRejectionPrf(kdk: Uint8Array, label: string, length: number): Uint8Array {
  const out = new Uint8Array(length);
  const labelBytes = new TextEncoder().encode(label);
  const bits = length * 8;
  const input = new Uint8Array(2 + labelBytes.length + 2);
  input.set(labelBytes, 2);
  input[2 + labelBytes.length] = (bits >> 8) & 0xff;
  input[3 + labelBytes.length] = bits & 0xff;
  for (let i = 0; i * 32 < length; i++) {
    input[0] = i >> 8;
    input[1] = i & 0xff;
    const block = hmacSha256(kdk, input);
    out.set(block.subarray(0, Math.min(32, length - i * 32)), i * 32);
    block.fill(0);
  }
  return out;
}

/**
 * Imports an RSA private key (PKCS#8 DER) for RSAES-PKCS1-v1_5 decryption.
 * @throws SmimeError `MALFORMED_ASN1` for bytes that are not PKCS#8, `UNSUPPORTED_ALGORITHM` for non-RSA keys.
 */
export async function importRsaDecryptionKey(pkcs8: Uint8Array, crypto: Crypto): Promise<RsaPrivateKeyMaterial> {
  const key = readRsaComponents(pkcs8);
  const k = Math.ceil(bitLengthOf(key.n) / 8);
  // KDK key = SHA-256 of d as a k-byte string (the hash is fixed so the output does not depend on the build).
  const dBytes = bigIntToBytes(key.d, k);
  const kdkKey = iteratedDigest('SHA-256', dBytes, 1);
  dBytes.fill(0);
  let blind = randomBelow(key.n, crypto, k);
  let blindE = modPow(blind, key.e, key.n);
  let unblind = modInverse(blind, key.n);
  blind = 0n;

  const privateOp = (c: bigint): bigint => {
    const blinded = (c * blindE) % key.n;
    const m1 = modPow(blinded, key.dp, key.p);
    const m2 = modPow(blinded, key.dq, key.q);
    let h = ((m1 - m2) * key.qInv) % key.p;
    if (h < 0n) h += key.p;
    const mBlinded = m2 + h * key.q;
    const m = (mBlinded * unblind) % key.n;
    // Refresh the blinding pair by squaring (as OpenSSL's BN_BLINDING_update does).
    blindE = (blindE * blindE) % key.n;
    unblind = (unblind * unblind) % key.n;
    return m;
  };

  const decryptPkcs1v15 = async (ciphertext: Uint8Array): Promise<Uint8Array> => {
    // RFC 8017 §7.2.2 step 1: the ciphertext has exactly k octets.
    if (ciphertext.byteLength !== k) throw rsaDecryptionError();
    const c = bytesToBigInt(ciphertext);
    if (c >= key.n) throw rsaDecryptionError();
    const kdk = hmacSha256(kdkKey, ciphertext);
    const candidates = implicitRejectionPrf(kdk, 'length', 256);
    const synthetic = implicitRejectionPrf(kdk, 'message', k);
    kdk.fill(0);
    const maxSepOffset = k - 2 - 8;
    let mask = maxSepOffset;
    mask |= mask >> 1;
    mask |= mask >> 2;
    mask |= mask >> 4;
    mask |= mask >> 8;
    let syntheticLength = 0;
    for (let i = 0; i < 256; i += 2) {
      const candidate = ((candidates[i]! << 8) | candidates[i + 1]!) & mask;
      const take = -(((candidate - maxSepOffset) >>> 31) & 1);
      syntheticLength = (candidate & take) | (syntheticLength & ~take);
    }

    const em = bigIntToBytes(privateOp(c), k);
    // Scan the whole block without an early exit (RFC 8017 §7.2.2 note: no distinguishable errors).
    let good = (em[0]! === 0 ? 1 : 0) & (em[1]! === 2 ? 1 : 0);
    let zeroIndex = 0;
    let lookingForZero = 1;
    for (let i = 2; i < k; i++) {
      const isZero = em[i]! === 0 ? 1 : 0;
      const found = isZero & lookingForZero;
      zeroIndex = found ? i : zeroIndex;
      lookingForZero &= isZero ^ 1;
    }
    good &= lookingForZero ^ 1;
    good &= zeroIndex >= 10 ? 1 : 0;
    const realStart = zeroIndex + 1;
    const start = good ? realStart : k - syntheticLength;
    const source = good ? em : synthetic;
    const out = source.slice(start);
    em.fill(0);
    synthetic.fill(0);
    return out;
  };

  return Object.freeze({
    kind: 'rsa-private-key-material' as const,
    modulusBits: bitLengthOf(key.n),
    decryptPkcs1v15,
  });
}
