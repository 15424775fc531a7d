/**
 * RSAES-PKCS1-v1_5 encryption (RFC 8017 §7.2.1) for key transport to recipients that do not advertise OAEP.
 * WebCrypto cannot do it (security.md F6), and the public operation leaks nothing secret, so it is done here.
 */
import * as pkijs from 'pkijs';
import { parseBer } from '../asn1.js';
import { SmimeError } from '../errors.js';
import { OID } from '../oids.js';
import { bigIntToBytes, bitLengthOf, bytesToBigInt, modPow } from './rsa-math.js';

/** An RSA public key as integers (RFC 8017 §3.1). */
export interface RsaPublicKey {
  n: bigint;
  e: bigint;
  /** Modulus length in bytes. */
  k: number;
}

/**
 * Reads the RSA public key of a SubjectPublicKeyInfo.
 * @throws SmimeError `UNSUPPORTED_ALGORITHM` when the key is not rsaEncryption.
 */
export function rsaPublicKeyFromSpki(spki: pkijs.PublicKeyInfo): RsaPublicKey {
  if (spki.algorithm.algorithmId !== OID.rsaEncryption) {
    throw new SmimeError('UNSUPPORTED_ALGORITHM', 'the certificate key is not an RSA key');
  }
  let parsed: pkijs.RSAPublicKey;
  try {
    parsed = new pkijs.RSAPublicKey({ schema: parseBer(spki.subjectPublicKey.valueBlock.valueHexView, undefined, 'RSA public key') });
  } catch (cause) {
    throw new SmimeError('CERTIFICATE_NOT_USABLE', 'the certificate holds a malformed RSA public key', { cause });
  }
  const n = bytesToBigInt(parsed.modulus.valueBlock.valueHexView);
  const e = bytesToBigInt(parsed.publicExponent.valueBlock.valueHexView);
  return { n, e, k: Math.ceil(bitLengthOf(n) / 8) };
}

/**
 * RSAES-PKCS1-v1_5-ENCRYPT: EM = 0x00 || 0x02 || PS || 0x00 || M with PS ≥ 8 random non-zero octets drawn from
 * `crypto.getRandomValues`.
 * @throws SmimeError `CERTIFICATE_NOT_USABLE` when the message is too long for the modulus.
 */
export function rsaPkcs1v15Encrypt(key: RsaPublicKey, message: Uint8Array, crypto: Crypto): Uint8Array {
  const psLength = key.k - 3 - message.byteLength;
  if (psLength < 8) throw new SmimeError('CERTIFICATE_NOT_USABLE', 'the RSA key is too small for the content key');
  const em = new Uint8Array(key.k);
  em[1] = 2;
  const ps = em.subarray(2, 2 + psLength);
  crypto.getRandomValues(ps);
  for (let i = 0; i < ps.length; i++) {
    while (ps[i] === 0) ps[i] = crypto.getRandomValues(new Uint8Array(1))[0]!;
  }
  em.set(message, 3 + psLength);
  const c = modPow(bytesToBigInt(em), key.e, key.n);
  em.fill(0);
  return bigIntToBytes(c, key.k);
}
