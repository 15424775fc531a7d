/**
 * Verifies an X.509 signature (a certificate's or a CRL's) with WebCrypto passed in (STYLE §1):
 * RSA PKCS#1 v1.5, RSA-PSS (RFC 4055), ECDSA P-256/384/521 (RFC 5758), Ed25519 (RFC 8410) where the
 * WebCrypto implementation has it. Weak algorithms are recognised and verified here; refusing them is
 * the caller's policy decision (SEC-17, SEC-25j).
 */
import * as pkijs from 'pkijs';
import * as asn1js from 'asn1js';
import { parseBer } from '../asn1.js';
import { toArrayBuffer, toHex } from '../bytes.js';
import { ecdsaDerToRaw } from '../cms/signature-algorithms.js';
import { OID } from '../oids.js';
import { DEFAULT_LIMITS } from '../policy.js';

export type SignatureHash = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512' | 'MD5' | null;

export interface SignatureAlgorithmInfo {
  family: 'RSASSA-PKCS1-v1_5' | 'RSA-PSS' | 'ECDSA' | 'Ed25519' | 'Ed448' | 'DSA' | 'unknown';
  hash: SignatureHash;
  /** RSA-PSS salt length. */
  saltLength?: number;
}

const BY_OID: ReadonlyMap<string, SignatureAlgorithmInfo> = new Map([
  [OID.md5WithRSAEncryption, { family: 'RSASSA-PKCS1-v1_5', hash: 'MD5' }],
  [OID.sha1WithRSAEncryption, { family: 'RSASSA-PKCS1-v1_5', hash: 'SHA-1' }],
  [OID.sha256WithRSAEncryption, { family: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }],
  [OID.sha384WithRSAEncryption, { family: 'RSASSA-PKCS1-v1_5', hash: 'SHA-384' }],
  [OID.sha512WithRSAEncryption, { family: 'RSASSA-PKCS1-v1_5', hash: 'SHA-512' }],
  [OID.ecdsaWithSha1, { family: 'ECDSA', hash: 'SHA-1' }],
  [OID.ecdsaWithSha256, { family: 'ECDSA', hash: 'SHA-256' }],
  [OID.ecdsaWithSha384, { family: 'ECDSA', hash: 'SHA-384' }],
  [OID.ecdsaWithSha512, { family: 'ECDSA', hash: 'SHA-512' }],
  [OID.ed25519, { family: 'Ed25519', hash: null }],
  [OID.ed448, { family: 'Ed448', hash: null }],
  [OID.dsaWithSha1, { family: 'DSA', hash: 'SHA-1' }],
  [OID.dsaWithSha256, { family: 'DSA', hash: 'SHA-256' }],
]);

const HASH_BY_OID: ReadonlyMap<string, SignatureHash> = new Map([
  [OID.sha1, 'SHA-1'], [OID.sha256, 'SHA-256'], [OID.sha384, 'SHA-384'], [OID.sha512, 'SHA-512'],
]);

const CURVE_BY_OID: ReadonlyMap<string, { name: string; size: number }> = new Map([
  [OID.secp256r1, { name: 'P-256', size: 32 }],
  [OID.secp384r1, { name: 'P-384', size: 48 }],
  [OID.secp521r1, { name: 'P-521', size: 66 }],
]);

/** What a signature AlgorithmIdentifier means; `unknown` for anything not listed (never guessed). */
export function signatureAlgorithmInfo(algorithm: pkijs.AlgorithmIdentifier): SignatureAlgorithmInfo {
  if (algorithm.algorithmId === OID.rsassaPss) return pssInfo(algorithm);
  return BY_OID.get(algorithm.algorithmId) ?? { family: 'unknown', hash: null };
}

/** RSASSA-PSS-params (RFC 4055 §3.1); MGF1 must use the same hash, as RFC 4055 §3.1 recommends and WebCrypto requires. */
function pssInfo(algorithm: pkijs.AlgorithmIdentifier): SignatureAlgorithmInfo {
  const params = algorithm.algorithmParams as asn1js.AsnType | undefined;
  if (!params || !(params instanceof asn1js.Sequence)) return { family: 'RSA-PSS', hash: 'SHA-1', saltLength: 20 };
  const pss = new pkijs.RSASSAPSSParams({ schema: params });
  const hash = HASH_BY_OID.get(pss.hashAlgorithm.algorithmId) ?? null;
  const mgfParams = pss.maskGenAlgorithm.algorithmParams as asn1js.AsnType | undefined;
  const mgfHash = mgfParams instanceof asn1js.Sequence && mgfParams.valueBlock.value[0] instanceof asn1js.ObjectIdentifier
    ? HASH_BY_OID.get(mgfParams.valueBlock.value[0].valueBlock.toString()) ?? null
    : 'SHA-1';
  if (pss.maskGenAlgorithm.algorithmId !== OID.mgf1 || mgfHash !== hash || pss.trailerField !== 1) return { family: 'unknown', hash: null };
  return { family: 'RSA-PSS', hash, saltLength: pss.saltLength };
}

export interface PublicKeyDescription {
  /** 'RSA', 'EC', 'Ed25519', 'Ed448', 'DSA' or the dotted OID. */
  algorithm: string;
  /** Named curve for EC keys ('P-256', ...), or null. */
  curve: string | null;
  /** RSA modulus bits or curve size; null when unknown. */
  bits: number | null;
}

/** Key type and size of a SubjectPublicKeyInfo (RSA size from the modulus, RFC 3279 §2.3.1). */
export function describePublicKey(spki: pkijs.PublicKeyInfo): PublicKeyDescription {
  // Path validation and the signer checks describe the same few keys several times per verification.
  let description = keyDescriptions.get(spki);
  if (description === undefined) {
    description = describeKey(spki);
    keyDescriptions.set(spki, description);
  }
  return { ...description };
}

/** Descriptions by the parsed key object (PKI.js objects are not changed after parsing). */
const keyDescriptions = new WeakMap<pkijs.PublicKeyInfo, PublicKeyDescription>();

function describeKey(spki: pkijs.PublicKeyInfo): PublicKeyDescription {
  const oid = spki.algorithm.algorithmId;
  if (oid === OID.rsaEncryption || oid === OID.rsassaPss) {
    const key = parseBer(new Uint8Array(spki.subjectPublicKey.valueBlock.valueHexView), DEFAULT_LIMITS, 'RSA public key');
    const modulus = key instanceof asn1js.Sequence ? key.valueBlock.value[0] : undefined;
    if (!(modulus instanceof asn1js.Integer)) return { algorithm: 'RSA', curve: null, bits: null };
    return { algorithm: 'RSA', curve: null, bits: bitLength(modulus.valueBlock.valueHexView) };
  }
  if (oid === OID.ecPublicKey) {
    const params = spki.algorithm.algorithmParams as asn1js.AsnType | undefined;
    const curveOid = params instanceof asn1js.ObjectIdentifier ? params.valueBlock.toString() : '';
    const curve = CURVE_BY_OID.get(curveOid);
    return { algorithm: 'EC', curve: curve?.name ?? (curveOid || null), bits: curve ? (curve.name === 'P-521' ? 521 : curve.size * 8) : null };
  }
  if (oid === OID.ed25519) return { algorithm: 'Ed25519', curve: null, bits: 256 };
  if (oid === OID.ed448) return { algorithm: 'Ed448', curve: null, bits: 456 };
  if (oid === OID.dsa) return { algorithm: 'DSA', curve: null, bits: null };
  return { algorithm: oid, curve: null, bits: null };
}

function bitLength(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i++;
  if (i === bytes.length) return 0;
  return (bytes.length - i - 1) * 8 + (32 - Math.clz32(bytes[i]!));
}

export type SignatureCheck =
  | { ok: true }
  | { ok: false; code: 'SIGNATURE_INVALID' | 'SIGNATURE_ALGORITHM_UNSUPPORTED' | 'SIGNATURE_KEY_MISMATCH'; detail: string };

/**
 * Verifies `signature` over `signedBytes` under the issuer's key.
 * Never throws for a bad or unsupported signature: that is a result (STYLE §3).
 */
export async function verifySignedBytes(args: {
  signedBytes: Uint8Array;
  signature: Uint8Array;
  algorithm: pkijs.AlgorithmIdentifier;
  issuerKey: pkijs.PublicKeyInfo;
  crypto: Crypto;
}): Promise<SignatureCheck> {
  const info = signatureAlgorithmInfo(args.algorithm);
  const key = describePublicKey(args.issuerKey);
  const spki = new Uint8Array(args.issuerKey.toSchema().toBER(false));
  let importParams: RsaHashedImportParams | EcKeyImportParams | Algorithm;
  let verifyParams: Algorithm | RsaPssParams | EcdsaParams;
  let signature = args.signature;
  switch (info.family) {
    case 'RSASSA-PKCS1-v1_5':
    case 'RSA-PSS': {
      if (key.algorithm !== 'RSA') return mismatch(info.family, key.algorithm);
      if (info.hash === null || info.hash === 'MD5') return unsupported(`${info.family} with ${info.hash ?? 'an unknown hash'}`);
      importParams = { name: info.family, hash: info.hash };
      verifyParams = info.family === 'RSA-PSS' ? ({ name: 'RSA-PSS', saltLength: info.saltLength ?? 20 } as RsaPssParams) : { name: info.family };
      break;
    }
    case 'ECDSA': {
      if (key.algorithm !== 'EC') return mismatch(info.family, key.algorithm);
      const curve = [...CURVE_BY_OID.values()].find((entry) => entry.name === key.curve);
      if (!curve || info.hash === null || info.hash === 'MD5') return unsupported(`ECDSA on ${key.curve ?? 'an unknown curve'}`);
      importParams = { name: 'ECDSA', namedCurve: curve.name };
      verifyParams = { name: 'ECDSA', hash: info.hash } as EcdsaParams;
      const raw = ecdsaDerToRaw(signature, curve.size);
      if (!raw) return { ok: false, code: 'SIGNATURE_INVALID', detail: 'ECDSA signature is not a valid DER Ecdsa-Sig-Value' };
      signature = raw;
      break;
    }
    case 'Ed25519': {
      if (key.algorithm !== 'Ed25519') return mismatch(info.family, key.algorithm);
      importParams = { name: 'Ed25519' };
      verifyParams = { name: 'Ed25519' };
      break;
    }
    default:
      return unsupported(`${info.family} (${args.algorithm.algorithmId})`);
  }
  let publicKey: CryptoKey;
  try {
    publicKey = await importIssuerKey(args.crypto, spki, importParams);
  } catch (error) {
    return unsupported(`the issuer key could not be imported for ${info.family}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const ok = await args.crypto.subtle.verify(verifyParams, publicKey, toArrayBuffer(signature), toArrayBuffer(args.signedBytes));
  return ok ? { ok: true } : { ok: false, code: 'SIGNATURE_INVALID', detail: `${info.family} signature does not verify` };
}

const ISSUER_KEY_CACHE_SIZE = 64;
const issuerKeyCaches = new WeakMap<Crypto, Map<string, Promise<CryptoKey>>>();

/**
 * Imports an issuer's public key, reusing recent imports: every path to the same CA checks signatures under the
 * same few keys, and an import costs about as much as the verification. Keyed by the import parameters and the
 * whole SPKI, public keys only; a failed import is not kept.
 */
function importIssuerKey(crypto: Crypto, spki: Uint8Array, params: RsaHashedImportParams | EcKeyImportParams | Algorithm): Promise<CryptoKey> {
  let cache = issuerKeyCaches.get(crypto);
  if (!cache) {
    cache = new Map();
    issuerKeyCaches.set(crypto, cache);
  }
  const cacheKey = `${JSON.stringify(params)}:${toHex(spki)}`;
  const hit = cache.get(cacheKey);
  if (hit) return hit;
  const pending = crypto.subtle.importKey('spki', toArrayBuffer(spki), params, false, ['verify']);
  pending.catch(() => cache.delete(cacheKey));
  if (cache.size >= ISSUER_KEY_CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(cacheKey, pending);
  return pending;
}

/** Verifies a certificate's signature with its issuer's key (RFC 5280 §6.1.3 (a)(1)). */
export function verifyCertificateSignature(subject: pkijs.Certificate, issuer: pkijs.Certificate, crypto: Crypto): Promise<SignatureCheck> {
  const outer = new Uint8Array(subject.signatureAlgorithm.toSchema().toBER(false));
  const inner = new Uint8Array(subject.signature.toSchema().toBER(false));
  if (outer.length !== inner.length || outer.some((byte, i) => byte !== inner[i])) {
    return Promise.resolve({ ok: false, code: 'SIGNATURE_INVALID', detail: 'signatureAlgorithm differs from tbsCertificate.signature (RFC 5280 §4.1.1.2)' });
  }
  return verifySignedBytes({
    signedBytes: new Uint8Array(subject.tbsView),
    signature: new Uint8Array(subject.signatureValue.valueBlock.valueHexView),
    algorithm: subject.signatureAlgorithm,
    issuerKey: issuer.subjectPublicKeyInfo,
    crypto,
  });
}

function mismatch(family: string, keyAlgorithm: string): SignatureCheck {
  return { ok: false, code: 'SIGNATURE_KEY_MISMATCH', detail: `${family} signature with a ${keyAlgorithm} issuer key` };
}

function unsupported(what: string): SignatureCheck {
  return { ok: false, code: 'SIGNATURE_ALGORITHM_UNSUPPORTED', detail: `unsupported signature algorithm: ${what}` };
}

