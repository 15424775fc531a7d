/**
 * Turns a decrypted PKCS#8 into the in-memory handles an unlocked session holds (SEC-40a/b):
 * non-extractable CryptoKeys for signing, and the decryption engine's `DecryptionKey`, a closure
 * that keeps the key material for RSA PKCS#1 v1.5 out of reach. The caller zeroes its PKCS#8 copy.
 */
import * as pkijs from 'pkijs';
import { importDecryptionKey, OID, parseBer, SmimeError, type DecryptionKey, type HashName } from '../../crypto/index.js';

export interface UnlockedKey {
  /** DER of the identity's certificate (public). */
  certificate: Uint8Array;
  algorithm: 'RSA' | 'EC';
  /** RSA: one RSASSA-PKCS1-v1_5 key per hash (WebCrypto binds the hash at import); EC: one ECDSA key under every name. */
  signing: Record<HashName, CryptoKey>;
  decryption: DecryptionKey;
}

const HASHES: readonly HashName[] = ['SHA-256', 'SHA-384', 'SHA-512'];

const CURVES: Record<string, string> = {
  [OID.secp256r1]: 'P-256',
  [OID.secp384r1]: 'P-384',
  [OID.secp521r1]: 'P-521',
};

async function perHash(make: (hash: HashName) => Promise<CryptoKey>): Promise<Record<HashName, CryptoKey>> {
  const keys = await Promise.all(HASHES.map(make));
  return { 'SHA-256': keys[0], 'SHA-384': keys[1], 'SHA-512': keys[2] };
}

/**
 * Imports an unwrapped private key for use. Every CryptoKey is non-extractable.
 * @throws SmimeError `UNSUPPORTED_ALGORITHM` for keys other than RSA and EC P-256/384/521,
 *   `MALFORMED_ASN1` when the bytes are not PKCS#8.
 */
export async function importUnlockedKey(crypto: Crypto, pkcs8: Uint8Array<ArrayBuffer>, certificate: Uint8Array): Promise<UnlockedKey> {
  let info: pkijs.PrivateKeyInfo;
  try {
    info = new pkijs.PrivateKeyInfo({ schema: parseBer(pkcs8, undefined, 'stored private key') });
  } catch (cause) {
    throw new SmimeError('MALFORMED_ASN1', 'the stored private key is not PKCS#8', { cause });
  }
  const algorithmId = info.privateKeyAlgorithm.algorithmId;
  if (algorithmId === OID.rsaEncryption) {
    const signing = await perHash((hash) => crypto.subtle.importKey('pkcs8', pkcs8, { name: 'RSASSA-PKCS1-v1_5', hash }, false, ['sign']));
    return { certificate, algorithm: 'RSA', signing, decryption: importDecryptionKey(pkcs8, crypto) };
  }
  if (algorithmId === OID.ecPublicKey) {
    const params: unknown = info.privateKeyAlgorithm.algorithmParams;
    const curveOid = typeof params === 'object' && params !== null && 'valueBlock' in params ? String((params as { valueBlock: { toString(): string } }).valueBlock.toString()) : '';
    const namedCurve = CURVES[curveOid];
    if (!namedCurve) throw new SmimeError('UNSUPPORTED_ALGORITHM', 'the EC private key uses an unsupported curve', { detail: { curve: curveOid } });
    const ecdsa = await crypto.subtle.importKey('pkcs8', pkcs8, { name: 'ECDSA', namedCurve }, false, ['sign']);
    return { certificate, algorithm: 'EC', signing: { 'SHA-256': ecdsa, 'SHA-384': ecdsa, 'SHA-512': ecdsa }, decryption: importDecryptionKey(pkcs8, crypto) };
  }
  throw new SmimeError('UNSUPPORTED_ALGORITHM', 'only RSA and EC private keys can be unlocked', { detail: { algorithm: algorithmId } });
}
