/**
 * Password-based encryption of PKCS#12 bags: PBES2 (RFC 8018 §6.2) with PBKDF2 and AES-CBC, 3DES-CBC or
 * RC2-CBC, and the legacy pbeWithSHAAnd* schemes of RFC 7292 Appendix C (3DES, RC2, RC4), which WebCrypto
 * lacks and PKI.js does not implement (F8).
 */
import type * as asn1js from 'asn1js';
import { LimitError, SmimeError } from '../errors.js';
import { OID, describeOid } from '../oids.js';
import type { Pkcs12Limits } from '../policy.js';
import { utf8 } from '../bytes.js';
import { cbcDecrypt, cbcEncrypt, type BlockCipher64 } from '../ciphers/block-cipher.js';
import { createTripleDes } from '../ciphers/des.js';
import { createRc2 } from '../ciphers/rc2.js';
import { rc4 } from '../ciphers/rc4.js';
import { derivePkcs12Key, pkcs12PasswordBytes, PKCS12_KDF_IV, PKCS12_KDF_KEY } from '../kdf/pkcs12-kdf.js';
import {
  algorithmIdentifier, damaged, derInteger, derNull, derOctets, derOid, derSequence, octets, sequence, smallInteger,
  type AlgorithmIdentifierNode,
} from './der.js';

export interface PbeContext {
  crypto: Crypto;
  limits: Pkcs12Limits;
  budget: IterationBudget;
}

/** Counts key-derivation iterations over one whole import against `maxPkcs12TotalIterations` (SEC-38e). */
export class IterationBudget {
  private used = 0;

  constructor(private readonly limit: number) {}

  /**
   * Records `iterations` before they are run.
   * @throws LimitError `maxPkcs12TotalIterations` when the total would pass the limit.
   */
  spend(iterations: number, what: string): void {
    this.used += iterations;
    if (this.used > this.limit) {
      throw new LimitError('maxPkcs12TotalIterations', `${what}: the file needs more than ${this.limit} key-derivation iterations in total`, {
        detail: { limit: this.limit },
      });
    }
  }
}

/**
 * One way of turning the typed password into key material: `bmp` feeds the RFC 7292 Appendix B KDF
 * (as a BMPString, or null for the zero-length form), `text` feeds PBKDF2 as UTF-8 (RFC 8018 leaves the
 * encoding open; OpenSSL, NSS and Windows use UTF-8).
 */
export interface PasswordForm {
  bmp: string | null;
  text: string;
}

/** Legacy PKCS#12 PBE schemes (RFC 7292 Appendix C): cipher, key length in bytes, RC2 effective bits. */
const LEGACY_SCHEMES: Record<string, { cipher: 'des-ede3' | 'rc2' | 'rc4'; keyLength: number; ivLength: number }> = {
  [OID.pbeWithShaAnd3KeyTripleDesCbc]: { cipher: 'des-ede3', keyLength: 24, ivLength: 8 },
  [OID.pbeWithShaAnd2KeyTripleDesCbc]: { cipher: 'des-ede3', keyLength: 16, ivLength: 8 },
  [OID.pbeWithShaAnd128BitRc2Cbc]: { cipher: 'rc2', keyLength: 16, ivLength: 8 },
  [OID.pbeWithShaAnd40BitRc2Cbc]: { cipher: 'rc2', keyLength: 5, ivLength: 8 },
  [OID.pbeWithShaAnd128BitRc4]: { cipher: 'rc4', keyLength: 16, ivLength: 0 },
  [OID.pbeWithShaAnd40BitRc4]: { cipher: 'rc4', keyLength: 5, ivLength: 0 },
};

const PBKDF2_PRFS: Record<string, 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512'> = {
  [OID.hmacWithSha1]: 'SHA-1',
  [OID.hmacWithSha256]: 'SHA-256',
  [OID.hmacWithSha384]: 'SHA-384',
  [OID.hmacWithSha512]: 'SHA-512',
};

const AES_KEY_LENGTHS: Record<string, number> = {
  [OID.aes128Cbc]: 16,
  [OID.aes192Cbc]: 24,
  [OID.aes256Cbc]: 32,
};

/** RFC 8018 Appendix B.2.3: RC2ParameterVersion values for the common effective key lengths. */
const RC2_VERSIONS: Record<number, number> = { 160: 40, 120: 64, 58: 128 };

/** The `PKCS12_UNSUPPORTED_ALGORITHM` error naming the algorithm (`detail.algorithm`, `detail.oid`). */
export function unsupported(algorithm: string, what: string): SmimeError {
  const name = describeOid(algorithm);
  return new SmimeError('PKCS12_UNSUPPORTED_ALGORITHM', `${what} uses ${name}, which Waxseal does not support`, {
    detail: { algorithm: name, oid: algorithm },
  });
}

/** Whether the scheme derives its key from the BMPString password form (RFC 7292 Appendix B.1). */
export function usesBmpPassword(algorithm: string): boolean {
  return algorithm in LEGACY_SCHEMES;
}

/**
 * Decrypts bag content protected by a password-based scheme.
 * @throws SmimeError `PKCS12_UNSUPPORTED_ALGORITHM` naming an unknown scheme, PRF or cipher.
 * @throws LimitError when the iteration count is over the policy cap (SEC-38e), before any work.
 * @throws SmimeError `DECRYPTION_FAILED` on a padding failure (usually a wrong password).
 * @throws SmimeError `PKCS12_DAMAGED` for malformed parameters.
 */
export async function decryptPasswordBased(
  algorithm: AlgorithmIdentifierNode,
  ciphertext: Uint8Array,
  password: PasswordForm,
  context: PbeContext,
  what: string,
): Promise<Uint8Array> {
  const legacy = LEGACY_SCHEMES[algorithm.algorithm];
  if (legacy) {
    const [saltNode, iterationsNode] = sequence(algorithm.parameters, `${what} PBE parameters`, 2, 2);
    const salt = octets(saltNode, `${what} PBE salt`);
    const iterations = smallInteger(iterationsNode, `${what} PBE iteration count`, context.limits.maxPkcs12KdfIterations, 'maxPkcs12KdfIterations');
    if (iterations < 1) throw damaged(`${what} PBE iteration count is 0`);
    const passwordBytes = pkcs12PasswordBytes(password.bmp);
    const kdf = { hash: 'SHA-1' as const, password: passwordBytes, salt, iterations };
    // RFC 7292 B.2 runs one iterated SHA-1 chain per 20 output bytes, for the key and again for the IV.
    context.budget.spend(iterations * (Math.ceil(legacy.keyLength / 20) + Math.ceil(legacy.ivLength / 20)), what);
    const key = await derivePkcs12Key({ ...kdf, purpose: PKCS12_KDF_KEY, length: legacy.keyLength });
    if (legacy.cipher === 'rc4') return rc4(key, ciphertext);
    const iv = await derivePkcs12Key({ ...kdf, purpose: PKCS12_KDF_IV, length: legacy.ivLength });
    const cipher: BlockCipher64 = legacy.cipher === 'rc2' ? createRc2(key, key.length * 8) : createTripleDes(key);
    return cbcDecrypt(cipher, iv, ciphertext);
  }
  if (algorithm.algorithm === OID.pbes2) return decryptPbes2(algorithm.parameters, ciphertext, password.text, context, what);
  throw unsupported(algorithm.algorithm, what);
}

interface Pbes2Parameters {
  salt: Uint8Array;
  iterations: number;
  keyLength: number | undefined;
  prf: 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';
  scheme: AlgorithmIdentifierNode;
}

function readPbes2Parameters(parameters: asn1js.AsnType | undefined, context: PbeContext, what: string): Pbes2Parameters {
  // PBES2-params ::= SEQUENCE { keyDerivationFunc AlgorithmIdentifier, encryptionScheme AlgorithmIdentifier } (RFC 8018 A.4)
  const [kdfNode, schemeNode] = sequence(parameters, `${what} PBES2 parameters`, 2, 2);
  const kdf = algorithmIdentifier(kdfNode, `${what} key derivation function`);
  if (kdf.algorithm !== OID.pbkdf2) throw unsupported(kdf.algorithm, `${what} key derivation`);
  // PBKDF2-params ::= SEQUENCE { salt CHOICE { specified OCTET STRING, ... }, iterationCount INTEGER,
  //   keyLength INTEGER OPTIONAL, prf AlgorithmIdentifier DEFAULT hmacWithSHA1 } (RFC 8018 A.2)
  const items = sequence(kdf.parameters, `${what} PBKDF2 parameters`, 2, 4);
  const salt = octets(items[0], `${what} PBKDF2 salt`);
  const iterations = smallInteger(items[1], `${what} PBKDF2 iteration count`, context.limits.maxPbkdf2Iterations, 'maxPbkdf2Iterations');
  if (iterations < 1) throw damaged(`${what} PBKDF2 iteration count is 0`);
  let keyLength: number | undefined;
  let prf: Pbes2Parameters['prf'] = 'SHA-1';
  for (const item of items.slice(2)) {
    if (item.idBlock.tagClass === 1 && item.idBlock.tagNumber === 2) {
      keyLength = smallInteger(item, `${what} PBKDF2 key length`, 64, 'pbkdf2KeyLength');
    } else {
      const prfAlgorithm = algorithmIdentifier(item, `${what} PBKDF2 PRF`);
      const hash = PBKDF2_PRFS[prfAlgorithm.algorithm];
      if (!hash) throw unsupported(prfAlgorithm.algorithm, `${what} PBKDF2 PRF`);
      prf = hash;
    }
  }
  const scheme = algorithmIdentifier(schemeNode, `${what} encryption scheme`);
  return { salt, iterations, keyLength, prf, scheme };
}

/** PBKDF2 (RFC 8018 §5.2) over the password's UTF-8 bytes: `length` bytes of key. Exported for the Wycheproof vectors. */
export async function pbkdf2(crypto: Crypto, password: string, p: Pick<Pbes2Parameters, 'salt' | 'iterations' | 'prf'>, length: number): Promise<Uint8Array> {
  const subtle = crypto.subtle;
  // RFC 8018 §6.2 leaves the password encoding open; OpenSSL, NSS and Windows use the UTF-8 bytes.
  const base = await subtle.importKey('raw', utf8(password) as Uint8Array<ArrayBuffer>, 'PBKDF2', false, ['deriveBits']);
  const bits = await subtle.deriveBits(
    { name: 'PBKDF2', hash: p.prf, salt: p.salt as Uint8Array<ArrayBuffer>, iterations: p.iterations },
    base,
    length * 8,
  );
  return new Uint8Array(bits);
}

async function decryptPbes2(
  parameters: asn1js.AsnType | undefined,
  ciphertext: Uint8Array,
  password: string,
  context: PbeContext,
  what: string,
): Promise<Uint8Array> {
  const p = readPbes2Parameters(parameters, context, what);
  context.budget.spend(p.iterations, what);
  const scheme = p.scheme.algorithm;
  const aesLength = AES_KEY_LENGTHS[scheme];
  if (aesLength !== undefined) {
    const iv = octets(p.scheme.parameters, `${what} AES IV`);
    if (iv.length !== 16) throw damaged(`${what} AES IV is ${iv.length} bytes, expected 16`);
    checkKeyLength(p.keyLength, aesLength, what);
    const raw = await pbkdf2(context.crypto, password, p, aesLength);
    const key = await context.crypto.subtle.importKey('raw', raw as Uint8Array<ArrayBuffer>, 'AES-CBC', false, ['decrypt']);
    try {
      return new Uint8Array(await context.crypto.subtle.decrypt({ name: 'AES-CBC', iv: iv as Uint8Array<ArrayBuffer> }, key, ciphertext as Uint8Array<ArrayBuffer>));
    } catch (cause) {
      // WebCrypto reports bad padding and bad lengths alike as OperationError.
      throw new SmimeError('DECRYPTION_FAILED', `${what}: AES-CBC decryption failed (bad padding)`, { cause });
    }
  }
  if (scheme === OID.desEde3Cbc) {
    const iv = octets(p.scheme.parameters, `${what} 3DES IV`);
    checkKeyLength(p.keyLength, 24, what);
    return cbcDecrypt(createTripleDes(await pbkdf2(context.crypto, password, p, 24)), iv, ciphertext);
  }
  if (scheme === OID.rc2Cbc) {
    // RC2-CBC-Parameter ::= SEQUENCE { rc2ParameterVersion INTEGER OPTIONAL, iv OCTET STRING } (RFC 8018 B.2.3)
    const items = sequence(p.scheme.parameters, `${what} RC2 parameters`, 1, 2);
    const version = items.length === 2 ? smallInteger(items[0], `${what} RC2 version`, 1024, 'rc2Version') : 32;
    const effectiveBits = RC2_VERSIONS[version] ?? (version >= 256 ? version : undefined);
    if (effectiveBits === undefined) throw damaged(`${what} RC2 parameter version ${version} is not defined`);
    const iv = octets(items[items.length - 1], `${what} RC2 IV`);
    const keyLength = p.keyLength ?? 16;
    return cbcDecrypt(createRc2(await pbkdf2(context.crypto, password, p, keyLength), effectiveBits), iv, ciphertext);
  }
  throw unsupported(scheme, `${what} encryption scheme`);
}

function checkKeyLength(declared: number | undefined, expected: number, what: string): void {
  if (declared !== undefined && declared !== expected) throw damaged(`${what} PBKDF2 key length ${declared} does not fit the cipher (${expected})`);
}

export interface Pbes2EncryptOptions {
  crypto: Crypto;
  iterations: number;
}

/**
 * Encrypts with PBES2: PBKDF2-HMAC-SHA256 (16-byte random salt) and AES-256-CBC (random IV), as
 * OpenSSL 3 writes by default (SEC-42a). Returns the AlgorithmIdentifier and the ciphertext.
 */
export async function encryptPbes2(plaintext: Uint8Array, password: string, options: Pbes2EncryptOptions): Promise<{ algorithm: asn1js.Sequence; ciphertext: Uint8Array }> {
  const { crypto, iterations } = options;
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(16));
  const raw = await pbkdf2(crypto, password, { salt, iterations, prf: 'SHA-256' }, 32);
  const key = await crypto.subtle.importKey('raw', raw as Uint8Array<ArrayBuffer>, 'AES-CBC', false, ['encrypt']);
  const ciphertext = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-CBC', iv }, key, plaintext as Uint8Array<ArrayBuffer>));
  const algorithm = derSequence([
    derOid(OID.pbes2),
    derSequence([
      derSequence([derOid(OID.pbkdf2), derSequence([derOctets(salt), derInteger(iterations), derSequence([derOid(OID.hmacWithSha256), derNull()])])]),
      derSequence([derOid(OID.aes256Cbc), derOctets(iv)]),
    ]),
  ]);
  return { algorithm, ciphertext };
}

/**
 * Encrypts with a legacy RFC 7292 Appendix C scheme. Only for building test files that other tools
 * must read; Waxseal never exports with these (SEC-42a).
 */
export async function encryptLegacyPbe(
  plaintext: Uint8Array,
  password: string | null,
  options: { crypto: Crypto; scheme: string; iterations: number },
): Promise<{ algorithm: asn1js.Sequence; ciphertext: Uint8Array }> {
  const legacy = LEGACY_SCHEMES[options.scheme];
  if (!legacy) throw unsupported(options.scheme, 'Legacy encryption');
  const salt = options.crypto.getRandomValues(new Uint8Array(8));
  const kdf = { hash: 'SHA-1' as const, password: pkcs12PasswordBytes(password), salt, iterations: options.iterations };
  const key = await derivePkcs12Key({ ...kdf, purpose: PKCS12_KDF_KEY, length: legacy.keyLength });
  let ciphertext: Uint8Array;
  if (legacy.cipher === 'rc4') {
    ciphertext = rc4(key, plaintext);
  } else {
    const iv = await derivePkcs12Key({ ...kdf, purpose: PKCS12_KDF_IV, length: legacy.ivLength });
    ciphertext = cbcEncrypt(legacy.cipher === 'rc2' ? createRc2(key, key.length * 8) : createTripleDes(key), iv, plaintext);
  }
  const algorithm = derSequence([derOid(options.scheme), derSequence([derOctets(salt), derInteger(options.iterations)])]);
  return { algorithm, ciphertext };
}
