/**
 * The PKCS#12 password integrity MAC (RFC 7292 §4 `MacData`, §5.1, Appendix B): HMAC over the
 * AuthenticatedSafe bytes with a key from the Appendix B KDF (ID 3). Verified before any bag is
 * decrypted or trusted (SEC-38).
 */
import type * as asn1js from 'asn1js';
import { SmimeError } from '../errors.js';
import { OID } from '../oids.js';
import type { Pkcs12Limits } from '../policy.js';
import { constantTimeEqual } from '../bytes.js';
import { derivePkcs12Key, pkcs12PasswordBytes, PKCS12_KDF_MAC, type Pkcs12KdfHash } from '../kdf/pkcs12-kdf.js';
import { algorithmIdentifier, damaged, derInteger, derNull, derOctets, derOid, derSequence, octets, sequence, smallInteger } from './der.js';
import { unsupported } from './password-based-encryption.js';

const MAC_HASHES: Record<string, Pkcs12KdfHash> = {
  [OID.sha1]: 'SHA-1',
  [OID.sha256]: 'SHA-256',
  [OID.sha384]: 'SHA-384',
  [OID.sha512]: 'SHA-512',
};

const HASH_OIDS: Record<Pkcs12KdfHash, string> = {
  'SHA-1': OID.sha1,
  'SHA-256': OID.sha256,
  'SHA-384': OID.sha384,
  'SHA-512': OID.sha512,
};

export interface MacData {
  hash: Pkcs12KdfHash;
  digest: Uint8Array;
  salt: Uint8Array;
  iterations: number;
}

/**
 * Reads `MacData ::= SEQUENCE { mac DigestInfo, macSalt OCTET STRING, iterations INTEGER DEFAULT 1 }`.
 * @throws LimitError for an iteration count over the cap, before any hashing (SEC-38e).
 */
export function readMacData(node: asn1js.AsnType, limits: Pkcs12Limits): MacData {
  const items = sequence(node, 'MacData', 2, 3);
  const [algorithmNode, digestNode] = sequence(items[0], 'MacData DigestInfo', 2, 2);
  const algorithm = algorithmIdentifier(algorithmNode, 'MAC digest algorithm');
  const hash = MAC_HASHES[algorithm.algorithm];
  if (!hash) throw unsupported(algorithm.algorithm, 'The integrity MAC');
  const digest = octets(digestNode, 'MAC value');
  const salt = octets(items[1], 'MAC salt');
  const iterations = items[2] ? smallInteger(items[2], 'MAC iteration count', limits.maxPkcs12KdfIterations, 'maxPkcs12KdfIterations') : 1;
  if (iterations < 1) throw damaged('MAC iteration count is 0');
  return { hash, digest, salt, iterations };
}

async function computeMac(crypto: Crypto, hash: Pkcs12KdfHash, password: string | null, salt: Uint8Array, iterations: number, content: Uint8Array): Promise<Uint8Array> {
  const length = { 'SHA-1': 20, 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 }[hash];
  const keyBytes = await derivePkcs12Key({ hash, password: pkcs12PasswordBytes(password), salt, iterations, purpose: PKCS12_KDF_MAC, length });
  const key = await crypto.subtle.importKey('raw', keyBytes as Uint8Array<ArrayBuffer>, { name: 'HMAC', hash }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, content as Uint8Array<ArrayBuffer>));
}

/** Whether the MAC matches under this password form (compared in constant time). */
export async function macMatches(crypto: Crypto, mac: MacData, password: string | null, content: Uint8Array): Promise<boolean> {
  const expected = await computeMac(crypto, mac.hash, password, mac.salt, mac.iterations, content);
  return constantTimeEqual(expected, mac.digest);
}

/** Builds `MacData` for `content` with a fresh 16-byte salt. */
export async function buildMacData(crypto: Crypto, hash: Pkcs12KdfHash, password: string, iterations: number, content: Uint8Array): Promise<asn1js.Sequence> {
  if (!Number.isSafeInteger(iterations) || iterations < 1) throw new SmimeError('LIMIT_EXCEEDED', `MAC iteration count ${iterations} is invalid`);
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const digest = await computeMac(crypto, hash, password, salt, iterations, content);
  return derSequence([
    derSequence([derSequence([derOid(HASH_OIDS[hash]), derNull()]), derOctets(digest)]),
    derOctets(salt),
    derInteger(iterations),
  ]);
}
