/**
 * Pairs private keys with certificates by proving possession: sign a fixed probe with the private key
 * and verify it with the certificate's public key (SEC-38f). This catches every kind of mismatch,
 * including an EC private key whose embedded public point was copied from someone else's certificate.
 */
import type * as asn1js from 'asn1js';
import { LimitError, SmimeError } from '../errors.js';
import { OID, describeOid } from '../oids.js';
import { parseBer, type Asn1Limits } from '../asn1.js';
import { utf8 } from '../bytes.js';
import { DEFAULT_PKCS12_LIMITS, type Pkcs12Limits } from '../policy.js';
import { refuseLongOids } from './oid-length-scan.js';
import { algorithmIdentifier, damaged, encodingOf, explicit, isContextTag, oid, sequence } from './der.js';

type SigningAlgorithm =
  | { import: RsaHashedImportParams; sign: AlgorithmIdentifier }
  | { import: EcKeyImportParams; sign: EcdsaParams }
  | { import: AlgorithmIdentifier; sign: AlgorithmIdentifier };

const CURVES: Record<string, string> = {
  [OID.secp256r1]: 'P-256',
  [OID.secp384r1]: 'P-384',
  [OID.secp521r1]: 'P-521',
};

const PROBE = utf8('Waxseal PKCS#12 key/certificate match probe') as Uint8Array<ArrayBuffer>;

/** The WebCrypto signing parameters for a key algorithm, or undefined when WebCrypto cannot use it. */
function signingAlgorithm(algorithm: string, parameters: asn1js.AsnType | undefined): SigningAlgorithm | undefined {
  if (algorithm === OID.rsaEncryption) {
    return { import: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, sign: { name: 'RSASSA-PKCS1-v1_5' } };
  }
  if (algorithm === OID.ecPublicKey) {
    const curve = parameters && parameters.idBlock.tagClass === 1 && parameters.idBlock.tagNumber === 6 ? CURVES[oid(parameters, 'EC curve')] : undefined;
    if (!curve) return undefined;
    return { import: { name: 'ECDSA', namedCurve: curve }, sign: { name: 'ECDSA', hash: 'SHA-256' } };
  }
  if (algorithm === OID.ed25519) return { import: { name: 'Ed25519' }, sign: { name: 'Ed25519' } };
  return undefined;
}

export interface KeyAlgorithm {
  algorithm: string;
  parameters: asn1js.AsnType | undefined;
}

/** ASN.1 limits plus the OID length cap applied before asn1js parses (see oid-length-scan.ts). */
export type ScanLimits = Asn1Limits & Partial<Pick<Pkcs12Limits, 'maxPkcs12OidBytes' | 'maxPkcs12KeyBytes'>>;

/** parseBer with malformed input reported as PKCS#12 damage (limits stay LimitErrors). */
function parseOrDamaged(bytes: Uint8Array, limits: ScanLimits, what: string): asn1js.AsnType {
  refuseLongOids(bytes, limits.maxPkcs12OidBytes ?? DEFAULT_PKCS12_LIMITS.maxPkcs12OidBytes, limits.maxAsn1Depth, what);
  try {
    return parseBer(bytes, limits, what);
  } catch (error) {
    if (error instanceof LimitError) throw error;
    throw damaged(`${what} is not valid DER`, error);
  }
}

/** The privateKeyAlgorithm of a DER PrivateKeyInfo (RFC 5958 §2). */
export function privateKeyAlgorithm(pkcs8: Uint8Array, limits: ScanLimits): KeyAlgorithm {
  const items = sequence(parseOrDamaged(pkcs8, limits, 'private key'), 'PrivateKeyInfo', 3, 5);
  return algorithmIdentifier(items[1], 'private key algorithm');
}

export interface CertificateParts {
  issuer: Uint8Array;
  subject: Uint8Array;
  subjectPublicKeyInfo: Uint8Array;
  publicKeyAlgorithm: KeyAlgorithm;
}

/** The few fields of an X.509 certificate (RFC 5280 §4.1) needed to pair it with a key and chain it. */
export function certificateParts(der: Uint8Array, limits: ScanLimits): CertificateParts {
  const [tbsNode] = sequence(parseOrDamaged(der, limits, 'certificate'), 'Certificate', 3, 3);
  const tbs = sequence(tbsNode, 'TBSCertificate', 6, 10);
  const offset = isContextTag(tbs[0], 0) ? 1 : 0;
  if (offset === 1) explicit(tbs[0], 0, 'certificate version');
  const issuer = tbs[offset + 2];
  const subject = tbs[offset + 4];
  const spki = tbs[offset + 5];
  if (!issuer || !subject || !spki) throw damaged('certificate is missing its names or public key');
  const [algorithmNode] = sequence(spki, 'SubjectPublicKeyInfo', 2, 2);
  return {
    issuer: encodingOf(issuer),
    subject: encodingOf(subject),
    subjectPublicKeyInfo: encodingOf(spki),
    publicKeyAlgorithm: algorithmIdentifier(algorithmNode, 'certificate public key algorithm'),
  };
}

/** A private key imported once, ready to prove possession against several certificates. */
export interface KeyProbe {
  algorithm: string;
  signature: Uint8Array;
  signParameters: AlgorithmIdentifier;
}

/**
 * Signs the probe with the private key.
 * @throws SmimeError `PKCS12_UNSUPPORTED_ALGORITHM` when WebCrypto cannot use the key type (e.g. DSA, brainpool).
 * @throws SmimeError `PKCS12_DAMAGED` when WebCrypto rejects the key encoding.
 */
export async function probeKey(crypto: Crypto, pkcs8: Uint8Array, limits: ScanLimits): Promise<KeyProbe> {
  const maxKeyBytes = limits.maxPkcs12KeyBytes ?? DEFAULT_PKCS12_LIMITS.maxPkcs12KeyBytes;
  if (pkcs8.length > maxKeyBytes) {
    throw new LimitError('maxPkcs12KeyBytes', `The private key is ${pkcs8.length} bytes, over the limit of ${maxKeyBytes}`);
  }
  const algorithm = privateKeyAlgorithm(pkcs8, limits);
  const params = signingAlgorithm(algorithm.algorithm, algorithm.parameters);
  if (!params) {
    const name = describeOid(algorithm.algorithm);
    throw new SmimeError('PKCS12_UNSUPPORTED_ALGORITHM', `The private key uses ${name}, which Waxseal cannot use`, { detail: { algorithm: name } });
  }
  let key: CryptoKey;
  try {
    key = await crypto.subtle.importKey('pkcs8', pkcs8 as Uint8Array<ArrayBuffer>, params.import, false, ['sign']);
  } catch (cause) {
    throw damaged('The private key could not be read', cause);
  }
  const signature = new Uint8Array(await crypto.subtle.sign(params.sign, key, PROBE));
  return { algorithm: algorithm.algorithm, signature, signParameters: params.sign };
}

/**
 * Whether the certificate's public key verifies the probe signature (false for a different key type, and
 * for a public key over `maxPkcs12KeyBytes`, which no key we accept can match).
 */
export async function certificateMatchesProbe(crypto: Crypto, probe: KeyProbe, certificate: CertificateParts, maxKeyBytes = DEFAULT_PKCS12_LIMITS.maxPkcs12KeyBytes): Promise<boolean> {
  const publicAlgorithm = certificate.publicKeyAlgorithm;
  if (publicAlgorithm.algorithm !== probe.algorithm || certificate.subjectPublicKeyInfo.length > maxKeyBytes) return false;
  const params = signingAlgorithm(publicAlgorithm.algorithm, publicAlgorithm.parameters);
  if (!params) return false;
  let key: CryptoKey;
  try {
    key = await crypto.subtle.importKey('spki', certificate.subjectPublicKeyInfo as Uint8Array<ArrayBuffer>, params.import, false, ['verify']);
  } catch {
    // A certificate whose public key WebCrypto rejects (wrong curve, malformed point) cannot match any key.
    return false;
  }
  return crypto.subtle.verify(probe.signParameters, key, probe.signature as Uint8Array<ArrayBuffer>, PROBE);
}
