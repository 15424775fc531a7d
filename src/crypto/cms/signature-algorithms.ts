/**
 * Signature and digest algorithms of SignedData: OIDs ↔ WebCrypto, for signing (RFC 5754, RFC 4056,
 * RFC 8419) and for checking what a received SignerInfo claims (SEC-17).
 */
import * as asn1js from 'asn1js';
import { SmimeError } from '../errors.js';
import { OID } from '../oids.js';
import type { HashName } from '../policy.js';
import { derAlgorithmIdentifier, derContext, derNull, derSequence, derSmallInteger, derUnsignedInteger } from './der.js';

/** Digest names as WebCrypto spells them, including the weak ones we only ever recognise to refuse. */
export type DigestName = 'MD5' | 'SHA-1' | 'SHA-224' | HashName;

const DIGEST_BY_OID: ReadonlyMap<string, DigestName> = new Map<string, DigestName>([
  [OID.md5, 'MD5'],
  [OID.sha1, 'SHA-1'],
  [OID.sha224, 'SHA-224'],
  [OID.sha256, 'SHA-256'],
  [OID.sha384, 'SHA-384'],
  [OID.sha512, 'SHA-512'],
]);

const OID_BY_HASH: Readonly<Record<HashName, string>> = {
  'SHA-256': OID.sha256,
  'SHA-384': OID.sha384,
  'SHA-512': OID.sha512,
};

export const DIGEST_LENGTH: Readonly<Record<DigestName, number>> = {
  MD5: 16,
  'SHA-1': 20,
  'SHA-224': 28,
  'SHA-256': 32,
  'SHA-384': 48,
  'SHA-512': 64,
};

/** The digest named by a DigestAlgorithmIdentifier OID, or null when unknown. */
export function digestNameFromOid(oid: string): DigestName | null {
  return DIGEST_BY_OID.get(oid) ?? null;
}

/** The DigestAlgorithmIdentifier OID of a policy hash (RFC 5754 §2). */
export function digestOid(hash: HashName): string {
  return OID_BY_HASH[hash];
}

/** micalg parameter of multipart/signed (RFC 8551 §3.5.3.2). */
export function micalgFor(hash: DigestName): string {
  return hash.toLowerCase();
}

const RSA_PKCS1_BY_HASH: Readonly<Record<string, string>> = {
  MD5: OID.md5WithRSAEncryption,
  'SHA-1': OID.sha1WithRSAEncryption,
  'SHA-224': OID.sha224WithRSAEncryption,
  'SHA-256': OID.sha256WithRSAEncryption,
  'SHA-384': OID.sha384WithRSAEncryption,
  'SHA-512': OID.sha512WithRSAEncryption,
};

const ECDSA_BY_HASH: Readonly<Record<string, string>> = {
  'SHA-1': OID.ecdsaWithSha1,
  'SHA-224': OID.ecdsaWithSha224,
  'SHA-256': OID.ecdsaWithSha256,
  'SHA-384': OID.ecdsaWithSha384,
  'SHA-512': OID.ecdsaWithSha512,
};

const HASH_BY_RSA_PKCS1 = invert(RSA_PKCS1_BY_HASH);
const HASH_BY_ECDSA = invert(ECDSA_BY_HASH);

function invert(map: Readonly<Record<string, string>>): ReadonlyMap<string, DigestName> {
  return new Map(Object.entries(map).map(([hash, oid]) => [oid, hash as DigestName]));
}

/** How to produce one signature with a given private key. */
export interface SigningAlgorithm {
  digest: HashName;
  /** DER AlgorithmIdentifier for SignerInfo.digestAlgorithm. */
  digestAlgorithm: Uint8Array;
  /** DER AlgorithmIdentifier for SignerInfo.signatureAlgorithm. */
  signatureAlgorithm: Uint8Array;
  sign(crypto: Crypto, privateKey: CryptoKey, data: Uint8Array): Promise<Uint8Array>;
}

const ECDSA_COORDINATE_BYTES: Readonly<Record<string, number>> = { 'P-256': 32, 'P-384': 48, 'P-521': 66 };

/**
 * Chooses the SignerInfo algorithms for `privateKey` and the policy's hash (never PKI.js's SHA-1 default, F3).
 * RSA keys carry their hash in WebCrypto, so it must equal the policy's hash: a mismatch would produce a
 * digest/signature algorithm mismatch that receivers rightly reject (SEC-17c).
 * Ed25519 always pairs with SHA-512 (RFC 8419 §3).
 * @throws SmimeError `UNSUPPORTED_ALGORITHM` for other key types or a key/policy hash mismatch.
 */
export function chooseSigningAlgorithm(privateKey: CryptoKey, hash: HashName): SigningAlgorithm {
  const name = privateKey.algorithm.name;
  const keyHash = (privateKey.algorithm as Partial<RsaHashedKeyAlgorithm>).hash?.name;
  const requireKeyHash = (): void => {
    if (keyHash !== hash) {
      throw new SmimeError('UNSUPPORTED_ALGORITHM', `the ${name} key was imported for ${keyHash ?? 'no hash'}, but the policy signs with ${hash}`);
    }
  };
  switch (name) {
    case 'RSASSA-PKCS1-v1_5':
      requireKeyHash();
      return {
        digest: hash,
        digestAlgorithm: derAlgorithmIdentifier(digestOid(hash)),
        // RFC 5754 §3.2: the parameters MUST be NULL for sha*WithRSAEncryption.
        signatureAlgorithm: derAlgorithmIdentifier(RSA_PKCS1_BY_HASH[hash]!, derNull()),
        sign: async (crypto, key, data) => new Uint8Array(await crypto.subtle.sign({ name: 'RSASSA-PKCS1-v1_5' }, key, data as BufferSource)),
      };
    case 'RSA-PSS': {
      requireKeyHash();
      const saltLength = DIGEST_LENGTH[hash];
      return {
        digest: hash,
        digestAlgorithm: derAlgorithmIdentifier(digestOid(hash)),
        signatureAlgorithm: derAlgorithmIdentifier(OID.rsassaPss, encodePssParameters(hash, saltLength)),
        sign: async (crypto, key, data) => new Uint8Array(await crypto.subtle.sign({ name: 'RSA-PSS', saltLength }, key, data as BufferSource)),
      };
    }
    case 'ECDSA': {
      const curve = (privateKey.algorithm as EcKeyAlgorithm).namedCurve;
      const coordinate = ECDSA_COORDINATE_BYTES[curve];
      if (coordinate === undefined) throw new SmimeError('UNSUPPORTED_ALGORITHM', `ECDSA curve ${curve} is not supported`);
      return {
        digest: hash,
        digestAlgorithm: derAlgorithmIdentifier(digestOid(hash)),
        // RFC 5758 §3.2: the parameters field MUST be absent for ecdsa-with-SHA*.
        signatureAlgorithm: derAlgorithmIdentifier(ECDSA_BY_HASH[hash]!),
        sign: async (crypto, key, data) => {
          const raw = new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash }, key, data as BufferSource));
          return ecdsaRawToDer(raw);
        },
      };
    }
    case 'Ed25519':
      return {
        digest: 'SHA-512',
        digestAlgorithm: derAlgorithmIdentifier(OID.sha512),
        signatureAlgorithm: derAlgorithmIdentifier(OID.ed25519),
        sign: async (crypto, key, data) => new Uint8Array(await crypto.subtle.sign({ name: 'Ed25519' }, key, data as BufferSource)),
      };
    default:
      throw new SmimeError('UNSUPPORTED_ALGORITHM', `signing with ${name} keys is not supported`);
  }
}

/**
 * RSASSA-PSS-params (RFC 4055 §3.1) with explicit hash, MGF1 with the same hash, and the salt length;
 * trailerField keeps its default. Hash identifiers omit NULL parameters (RFC 5754 §2).
 */
function encodePssParameters(hash: HashName, saltLength: number): Uint8Array {
  const hashAlgorithm = derAlgorithmIdentifier(digestOid(hash));
  return derSequence(
    derContext(0, hashAlgorithm),
    derContext(1, derAlgorithmIdentifier(OID.mgf1, hashAlgorithm)),
    derContext(2, derSmallInteger(saltLength)),
  );
}

/** WebCrypto's r‖s to Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } (RFC 5753 §7.2, RFC 3279 §2.2.3). */
export function ecdsaRawToDer(raw: Uint8Array): Uint8Array {
  const half = raw.length / 2;
  return derSequence(derUnsignedInteger(raw.subarray(0, half)), derUnsignedInteger(raw.subarray(half)));
}

/**
 * An ECDSA signature's DER Ecdsa-Sig-Value (RFC 3279 §2.2.3) as the raw r‖s WebCrypto verifies, or null
 * unless it is strict DER: one SEQUENCE of exactly two INTEGERs, minimal lengths, no padding zero that is
 * not needed, neither negative nor zero, each at most `coordinateBytes` long, nothing after it. BER or
 * other alternative encodings of the same (r, s) are refused, so a signature has one encoding only
 * (Wycheproof's BerEncodedSignature, MissingZero and InvalidEncoding vectors; SEC-36).
 */
export function ecdsaDerToRaw(der: Uint8Array, coordinateBytes: number): Uint8Array | null {
  let offset = 0;
  /** A DER tag-length header at `offset` with `tag`; the content length, or -1. */
  const header = (tag: number): number => {
    if (der[offset++] !== tag || offset >= der.length) return -1;
    const first = der[offset++]!;
    if (first < 0x80) return first;
    if (first === 0x81 && offset < der.length && der[offset]! >= 0x80) return der[offset++]!;
    return -1; // a long form where the short one fits, or longer than any ECDSA signature
  };
  const length = header(0x30);
  if (length < 0 || offset + length !== der.length) return null;
  const out = new Uint8Array(coordinateBytes * 2);
  for (let i = 0; i < 2; i++) {
    const size = header(0x02);
    if (size <= 0 || offset + size > der.length) return null;
    let value = der.subarray(offset, offset + size);
    offset += size;
    if ((value[0]! & 0x80) !== 0) return null; // negative
    if (value[0] === 0) {
      if (value.length === 1 || (value[1]! & 0x80) === 0) return null; // zero, or a padding zero that is not needed
      value = value.subarray(1);
    }
    if (value.length > coordinateBytes) return null;
    out.set(value, coordinateBytes * (i + 1) - value.length);
  }
  return offset === der.length ? out : null;
}

/** What a received SignerInfo's algorithms mean, after the consistency checks of SEC-17c. */
export type ResolvedSignatureAlgorithm =
  | {
      ok: true;
      /** WebCrypto import parameters for the signer's SPKI. */
      importParams: AlgorithmIdentifierParams;
      /** WebCrypto verify parameters. */
      verifyParams: AlgorithmIdentifierParams;
      /** Curve size for ECDSA signatures (DER → raw); 0 otherwise. */
      ecdsaCoordinateBytes: number;
      description: string;
    }
  | { ok: false; code: 'ALG_MISMATCH' | 'UNSUPPORTED_ALGORITHM'; detail: string };

type AlgorithmIdentifierParams = { name: string; [key: string]: unknown };

/**
 * Resolves signatureAlgorithm against digestAlgorithm and the signer's key type.
 * The hash inside the signature algorithm (sha256WithRSAEncryption, ecdsa-with-SHA256, PSS params) must
 * equal the digestAlgorithm (SEC-17c: PKI.js would silently prefer one of them).
 */
export function resolveSignatureAlgorithm(input: {
  signatureOid: string;
  signatureParams: asn1js.AsnType | undefined;
  digest: DigestName;
  keyAlgorithmOid: string;
  namedCurveOid: string | null;
}): ResolvedSignatureAlgorithm {
  const { signatureOid, digest } = input;
  const mismatch = (claimed: string): ResolvedSignatureAlgorithm => ({
    ok: false,
    code: 'ALG_MISMATCH',
    detail: `signatureAlgorithm uses ${claimed} but digestAlgorithm is ${digest}`,
  });
  const rsaKey = input.keyAlgorithmOid === OID.rsaEncryption || input.keyAlgorithmOid === OID.rsassaPss;
  if (signatureOid === OID.rsaEncryption || HASH_BY_RSA_PKCS1.has(signatureOid)) {
    if (!rsaKey) return { ok: false, code: 'ALG_MISMATCH', detail: 'RSA signature algorithm with a non-RSA key' };
    const claimed = HASH_BY_RSA_PKCS1.get(signatureOid);
    if (claimed !== undefined && claimed !== digest) return mismatch(claimed);
    return {
      ok: true,
      importParams: { name: 'RSASSA-PKCS1-v1_5', hash: digest },
      verifyParams: { name: 'RSASSA-PKCS1-v1_5' },
      ecdsaCoordinateBytes: 0,
      description: `RSASSA-PKCS1-v1_5 with ${digest}`,
    };
  }
  if (signatureOid === OID.rsassaPss) {
    if (!rsaKey) return { ok: false, code: 'ALG_MISMATCH', detail: 'RSASSA-PSS with a non-RSA key' };
    const params = parsePssParameters(input.signatureParams);
    if (!params) return { ok: false, code: 'UNSUPPORTED_ALGORITHM', detail: 'RSASSA-PSS parameters are malformed or use a non-MGF1 mask' };
    if (params.hash !== digest) return mismatch(params.hash);
    if (params.mgfHash !== digest) return { ok: false, code: 'ALG_MISMATCH', detail: `MGF1 uses ${params.mgfHash} but digestAlgorithm is ${digest}` };
    return {
      ok: true,
      importParams: { name: 'RSA-PSS', hash: digest },
      verifyParams: { name: 'RSA-PSS', saltLength: params.saltLength },
      ecdsaCoordinateBytes: 0,
      description: `RSASSA-PSS with ${digest}`,
    };
  }
  if (HASH_BY_ECDSA.has(signatureOid) || signatureOid === OID.ecPublicKey) {
    if (input.keyAlgorithmOid !== OID.ecPublicKey) return { ok: false, code: 'ALG_MISMATCH', detail: 'ECDSA signature algorithm with a non-EC key' };
    const claimed = HASH_BY_ECDSA.get(signatureOid);
    if (claimed !== undefined && claimed !== digest) return mismatch(claimed);
    const curve = curveName(input.namedCurveOid);
    if (!curve) return { ok: false, code: 'UNSUPPORTED_ALGORITHM', detail: 'unsupported EC curve' };
    return {
      ok: true,
      importParams: { name: 'ECDSA', namedCurve: curve },
      verifyParams: { name: 'ECDSA', hash: digest },
      ecdsaCoordinateBytes: ECDSA_COORDINATE_BYTES[curve]!,
      description: `ECDSA ${curve} with ${digest}`,
    };
  }
  if (signatureOid === OID.ed25519) {
    if (input.keyAlgorithmOid !== OID.ed25519) return { ok: false, code: 'ALG_MISMATCH', detail: 'Ed25519 signature with a non-Ed25519 key' };
    // RFC 8419 §3: with signed attributes, the message digest MUST be SHA-512.
    if (digest !== 'SHA-512') return { ok: false, code: 'ALG_MISMATCH', detail: `Ed25519 requires SHA-512 as digestAlgorithm, not ${digest}` };
    return { ok: true, importParams: { name: 'Ed25519' }, verifyParams: { name: 'Ed25519' }, ecdsaCoordinateBytes: 0, description: 'Ed25519' };
  }
  return { ok: false, code: 'UNSUPPORTED_ALGORITHM', detail: `signature algorithm ${signatureOid} is not supported` };
}

function curveName(oid: string | null): 'P-256' | 'P-384' | 'P-521' | null {
  switch (oid) {
    case OID.secp256r1:
      return 'P-256';
    case OID.secp384r1:
      return 'P-384';
    case OID.secp521r1:
      return 'P-521';
    default:
      return null;
  }
}

/**
 * RSASSA-PSS-params ::= SEQUENCE { hashAlgorithm [0] DEFAULT sha1, maskGenAlgorithm [1] DEFAULT mgf1SHA1,
 *   saltLength [2] INTEGER DEFAULT 20, trailerField [3] INTEGER DEFAULT 1 } (RFC 4055 §3.1)
 */
function parsePssParameters(params: asn1js.AsnType | undefined): { hash: DigestName; mgfHash: DigestName; saltLength: number } | null {
  let hash: DigestName = 'SHA-1';
  let mgfHash: DigestName = 'SHA-1';
  let saltLength = 20;
  if (params === undefined) return { hash, mgfHash, saltLength };
  if (!(params instanceof asn1js.Sequence)) return null;
  for (const field of params.valueBlock.value) {
    if (field.idBlock.tagClass !== 3 || !(field instanceof asn1js.Constructed)) return null;
    const inner = field.valueBlock.value[0];
    if (!inner) return null;
    switch (field.idBlock.tagNumber) {
      case 0: {
        const name = algorithmDigest(inner);
        if (!name) return null;
        hash = name;
        break;
      }
      case 1: {
        if (!(inner instanceof asn1js.Sequence)) return null;
        const [maskOid, maskParams] = inner.valueBlock.value;
        if (!(maskOid instanceof asn1js.ObjectIdentifier) || maskOid.valueBlock.toString() !== OID.mgf1 || !maskParams) return null;
        const name = algorithmDigest(maskParams);
        if (!name) return null;
        mgfHash = name;
        break;
      }
      case 2:
        if (!(inner instanceof asn1js.Integer)) return null;
        saltLength = inner.valueBlock.valueDec;
        if (!(saltLength >= 0 && saltLength <= 1024)) return null;
        break;
      case 3:
        if (!(inner instanceof asn1js.Integer) || inner.valueBlock.valueDec !== 1) return null;
        break;
      default:
        return null;
    }
  }
  return { hash, mgfHash, saltLength };
}

function algorithmDigest(node: asn1js.AsnType): DigestName | null {
  if (!(node instanceof asn1js.Sequence)) return null;
  const oid = node.valueBlock.value[0];
  if (!(oid instanceof asn1js.ObjectIdentifier)) return null;
  return digestNameFromOid(oid.valueBlock.toString());
}

