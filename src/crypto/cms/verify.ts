/**
 * SignedData verification at the CMS level (RFC 5652 §5.6): structure, signed attributes, digest and
 * signature, done with WebCrypto on the exact received bytes. PKI.js is used only to parse.
 *
 * We do not call PKI.js `SignedData.verify`: it swaps detached content for eContent (F1), accepts a
 * content-type attribute that differs from eContentType (F2) and skips the chain by default (F4).
 * Trust, the From binding and time policy are the S/MIME layer's job (src/crypto/smime/).
 *
 * SEC-12g decision: signedAttrs are never re-encoded. The signature is checked over the attributes exactly
 * as received, with only the first octet changed to the SET tag (RFC 5652 §5.4), so a BER (non-DER)
 * encoding verifies if and only if the signer signed those very bytes.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { parseBer } from '../asn1.js';
import { bytesEqual, toHex } from '../bytes.js';
import { SmimeError } from '../errors.js';
import { OID, describeOid } from '../oids.js';
import type { HashName, Policy } from '../policy.js';
import type { Check } from '../types.js';
import { assessSignedAttributes } from './signed-attributes.js';
import { parseSignedData, type ParsedSignedData, type ParsedSignerInfo } from './signed-data-parse.js';

export { parseSignedData, type ParsedSignedData } from './signed-data-parse.js';
import { digestNameFromOid, ecdsaDerToRaw, resolveSignatureAlgorithm, type DigestName } from './signature-algorithms.js';

export interface VerifySignedDataOptions {
  crypto: Crypto;
  policy: Policy;
  /**
   * The signed content of a detached signature (multipart/signed part 1, exact bytes), or null for an
   * opaque signature whose content is the eContent.
   */
  detachedContent: Uint8Array | null;
  /**
   * A digest the caller already started (smime/speculative-digest.ts). Used only when `content` is the very
   * content checked (same buffer, offset and length) and `digest` the SignerInfo's digest algorithm.
   */
  precomputedDigest?: PrecomputedDigest | null;
}

/** A digest started over `content` with `digest`. */
export interface PrecomputedDigest {
  content: Uint8Array;
  digest: HashName;
  value: Promise<ArrayBuffer>;
}

/** Outcome of the CMS-level checks. `checks` lists every check; `reasons` the codes of the failing ones. */
export interface SignedDataVerification {
  form: 'detached' | 'opaque';
  checks: Check[];
  reasons: string[];
  /** Number of SignerInfos found. */
  signerCount: number;
  /** DER of the certificate that matches the SignerInfo's sid, when found. */
  signerCertificate: Uint8Array | null;
  /** The same certificate as parsed from the message (avoids parsing it again). */
  signerCertificateParsed: pkijs.Certificate | null;
  /** DER of every certificate in the SignedData (leaf included), in received order. */
  certificates: Uint8Array[];
  /** The same certificates as parsed from the message, with their exact DER. */
  parsedCertificates: { der: Uint8Array; pkijs: pkijs.Certificate }[];
  signingTime: Date | null;
  digestAlgorithm: string | null;
  signatureAlgorithm: string | null;
  /** The encapsulated content for an opaque signature (what must be displayed, SEC-08); else null. */
  eContent: Uint8Array | null;
}

/**
 * Codes this module can put in `reasons`, all of them meaning SIGNED_INVALID except `NO_SIGNER`
 * (security.md §0.1: zero signers is ERROR/NOT_SIGNED, SEC-10).
 */
export const CMS_REASONS = [
  'NO_SIGNER', 'MULTIPLE_SIGNERS', 'ECONTENT_IN_DETACHED', 'ECONTENT_MISSING', 'SIGNED_ATTRS_MISSING',
  'SIGNED_ATTRS_DUPLICATE', 'SIGNED_ATTRS_CONTENT_TYPE', 'SIGNED_ATTRS_MESSAGE_DIGEST', 'SIGNED_ATTRS_SIGNING_TIME',
  'UNEXPECTED_CONTENT_TYPE', 'WEAK_HASH', 'UNSUPPORTED_ALGORITHM', 'ALG_MISMATCH', 'WEAK_KEY', 'SIGNER_CERTIFICATE_MISSING',
  'DIGEST_MISMATCH', 'BAD_SIGNATURE',
] as const;

/**
 * Verifies one SignedData against the content. Never throws for a bad signature: problems come back
 * as failing checks with reason codes (STYLE §3). Order follows RFC 5652 §5.6 with the SEC-08..SEC-12
 * and SEC-17 rules added.
 * @throws SmimeError `MALFORMED_CMS`/`MALFORMED_ASN1`, LimitError — only when the bytes are not SignedData.
 */
export async function verifySignedData(der: Uint8Array, options: VerifySignedDataOptions): Promise<SignedDataVerification> {
  const parsed = parseSignedData(der, options.policy);
  return verifyParsedSignedData(parsed, options);
}

/** {@link verifySignedData} for an already parsed SignedData (the S/MIME layer parses once). Never throws for a bad signature. */
export async function verifyParsedSignedData(parsed: ParsedSignedData, options: VerifySignedDataOptions): Promise<SignedDataVerification> {
  const { signedData } = parsed;
  const { crypto, policy } = options;
  const form = options.detachedContent === null ? 'opaque' : 'detached';
  const checks: Check[] = [];
  const result: SignedDataVerification = {
    form,
    checks,
    reasons: [],
    signerCount: signedData.signerInfos.length,
    signerCertificate: null,
    signerCertificateParsed: null,
    certificates: parsed.certificates.map((c) => c.der),
    parsedCertificates: parsed.certificates.map((c) => ({ der: c.der, pkijs: c.certificate })),
    signingTime: null,
    digestAlgorithm: null,
    signatureAlgorithm: null,
    eContent: form === 'opaque' ? parsed.eContent : null,
  };
  const finish = (): SignedDataVerification => {
    result.reasons = [...new Set(checks.filter((c) => !c.ok).map((c) => c.code))];
    return result;
  };

  // SEC-08 (F1): a detached signature must not carry eContent, an opaque one must.
  if (form === 'detached') {
    checks.push(parsed.eContent === null
      ? { code: 'ECONTENT_IN_DETACHED', ok: true }
      : { code: 'ECONTENT_IN_DETACHED', ok: false, detail: 'multipart/signed whose CMS also encapsulates content' });
  } else {
    checks.push(parsed.eContent !== null
      ? { code: 'ECONTENT_MISSING', ok: true }
      : { code: 'ECONTENT_MISSING', ok: false, detail: 'opaque signed-data without eContent' });
  }

  // SEC-10 / SEC-09: exactly one SignerInfo.
  if (signedData.signerInfos.length === 0) {
    checks.push({ code: 'NO_SIGNER', ok: false, detail: 'SignedData has no SignerInfo' });
    return finish();
  }
  if (signedData.signerInfos.length > 1) {
    checks.push({ code: 'MULTIPLE_SIGNERS', ok: false, detail: `SignedData has ${signedData.signerInfos.length} SignerInfos; only one is accepted` });
  }
  const signerInfo = signedData.signerInfos[0]!;
  const content = form === 'detached' ? options.detachedContent! : parsed.eContent;

  // Digest algorithm policy (SEC-17a/b).
  const digestOid = signerInfo.digestAlgorithm.algorithmId;
  const digest = digestNameFromOid(digestOid);
  result.digestAlgorithm = digest ?? describeOid(digestOid);
  result.signatureAlgorithm = describeOid(signerInfo.signatureAlgorithm.algorithmId);
  if (!digest) {
    checks.push({ code: 'UNSUPPORTED_ALGORITHM', ok: false, detail: `digest algorithm ${digestOid} is unknown` });
  } else if (!policy.signature.acceptedDigests.includes(digest)) {
    checks.push({ code: 'WEAK_HASH', ok: false, detail: `${digest} is not accepted for signatures` });
  } else {
    checks.push({ code: 'WEAK_HASH', ok: true, detail: digest });
  }

  // Signer certificate by sid (RFC 5652 §5.3).
  const signerEntry = findSignerCertificate(signerInfo, parsed.certificates);
  result.signerCertificate = signerEntry?.der ?? null;
  result.signerCertificateParsed = signerEntry?.certificate ?? null;
  checks.push(signerEntry
    ? { code: 'SIGNER_CERTIFICATE_MISSING', ok: true }
    : { code: 'SIGNER_CERTIFICATE_MISSING', ok: false, detail: 'the signer certificate is not in the message' });

  // SEC-12a: signed attributes are required for mail; without them the signature would be over the content itself.
  const signedAttrs = signerInfo.signedAttrs;
  if (!signedAttrs) {
    checks.push({ code: 'SIGNED_ATTRS_MISSING', ok: false, detail: 'SignerInfo has no signed attributes' });
    // Still report whether the signature over the content itself holds (RFC 5652 §5.4), for diagnostics;
    // the verdict stays invalid because of the missing attributes.
    if (content !== null && digest && signerEntry) {
      await checkSignature(checks, { crypto, policy, signerInfo, digest, certificate: signerEntry.certificate, signedBytes: content });
    }
    return finish();
  }
  checks.push({ code: 'SIGNED_ATTRS_MISSING', ok: true });
  const assessment = assessSignedAttributes(signedAttrs.attributes, signedData.encapContentInfo.eContentType, digest);
  checks.push(...assessment.checks);
  result.signingTime = assessment.signingTime;

  if (content === null || !digest || !signerEntry) return finish();

  // Digest of the exact received bytes vs message-digest (RFC 5652 §5.4).
  if (assessment.messageDigest) {
    const computed = isPrecomputedFor(options.precomputedDigest, digest, content)
      ? new Uint8Array(await options.precomputedDigest.value)
      : await digestBytes(crypto, digest, content);
    if (computed === null) {
      checks.push({ code: 'UNSUPPORTED_ALGORITHM', ok: false, detail: `${digest} is not available` });
    } else {
      checks.push(bytesEqual(computed, assessment.messageDigest)
        ? { code: 'DIGEST_MISMATCH', ok: true }
        : { code: 'DIGEST_MISMATCH', ok: false, detail: 'the content does not match the signed message-digest' });
    }
  }

  // Signature over the DER SET of signedAttrs exactly as received (SEC-12g: we never re-encode).
  await checkSignature(checks, {
    crypto,
    policy,
    signerInfo,
    digest,
    certificate: signerEntry.certificate,
    signedBytes: signedAttrs.encodedValue,
  });
  return finish();
}

async function checkSignature(checks: Check[], input: {
  crypto: Crypto;
  policy: Policy;
  signerInfo: ParsedSignerInfo;
  digest: DigestName;
  certificate: pkijs.Certificate;
  signedBytes: Uint8Array;
}): Promise<void> {
  const { crypto, policy, signerInfo, certificate } = input;
  const spki = certificate.subjectPublicKeyInfo;
  const keyAlgorithmOid = spki.algorithm.algorithmId;
  const curveParam = spki.algorithm.algorithmParams;
  const namedCurveOid = curveParam instanceof asn1js.ObjectIdentifier ? curveParam.valueBlock.toString() : null;
  const resolved = resolveSignatureAlgorithm({
    signatureOid: signerInfo.signatureAlgorithm.algorithmId,
    signatureParams: signerInfo.signatureAlgorithm.algorithmParams,
    digest: input.digest,
    keyAlgorithmOid,
    namedCurveOid,
  });
  if (!resolved.ok) {
    checks.push({ code: resolved.code, ok: false, detail: resolved.detail });
    return;
  }
  checks.push({ code: 'ALG_MISMATCH', ok: true, detail: resolved.description });
  if (!['SHA-256', 'SHA-384', 'SHA-512', 'SHA-1'].includes(input.digest)) {
    checks.push({ code: 'UNSUPPORTED_ALGORITHM', ok: false, detail: `${input.digest} signatures cannot be checked` });
    return;
  }

  let publicKey: CryptoKey;
  try {
    publicKey = await importVerificationKey(crypto, rsaSpkiForImport(certificate), resolved.importParams);
  } catch (cause) {
    checks.push({ code: 'UNSUPPORTED_ALGORITHM', ok: false, detail: `the signer's public key cannot be used: ${String((cause as Error)?.message ?? cause)}` });
    return;
  }
  const modulusLength = (publicKey.algorithm as Partial<RsaHashedKeyAlgorithm>).modulusLength;
  if (modulusLength !== undefined) {
    // SEC-17d: RSA keys below the floor are refused.
    checks.push(modulusLength >= policy.signature.minRsaBits
      ? { code: 'WEAK_KEY', ok: true, detail: `RSA-${modulusLength}` }
      : { code: 'WEAK_KEY', ok: false, detail: `RSA-${modulusLength} is below ${policy.signature.minRsaBits} bits` });
  }

  let signature: Uint8Array | null = signerInfo.signature;
  if (resolved.ecdsaCoordinateBytes > 0) signature = ecdsaDerToRaw(signature, resolved.ecdsaCoordinateBytes);
  let valid = false;
  if (signature) {
    try {
      valid = await crypto.subtle.verify(resolved.verifyParams as Algorithm, publicKey, signature as BufferSource, input.signedBytes as BufferSource);
    } catch (cause) {
      checks.push({ code: 'BAD_SIGNATURE', ok: false, detail: `signature check failed: ${String((cause as Error)?.message ?? cause)}` });
      return;
    }
  }
  checks.push(valid ? { code: 'BAD_SIGNATURE', ok: true } : { code: 'BAD_SIGNATURE', ok: false, detail: 'the signature does not verify with the signer certificate' });
}

const KEY_CACHE_SIZE = 32;
const keyCaches = new WeakMap<Crypto, Map<string, Promise<CryptoKey>>>();

/**
 * Imports a signer's public key, reusing recent imports (the same correspondents sign again and again;
 * an import costs about as much as the RSA verification itself). Public keys only; a failed import is
 * not cached.
 */
function importVerificationKey(crypto: Crypto, spki: Uint8Array, params: { name: string; [key: string]: unknown }): Promise<CryptoKey> {
  let cache = keyCaches.get(crypto);
  if (!cache) {
    cache = new Map();
    keyCaches.set(crypto, cache);
  }
  const cacheKey = `${JSON.stringify(params)}:${toHex(spki)}`;
  const hit = cache.get(cacheKey);
  if (hit) return hit;
  const pending = crypto.subtle.importKey('spki', spki as BufferSource, params as Algorithm, false, ['verify']);
  pending.catch(() => cache.delete(cacheKey));
  if (cache.size >= KEY_CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(cacheKey, pending);
  return pending;
}

/**
 * WebCrypto imports RSA keys only under rsaEncryption; a certificate whose SPKI says id-RSASSA-PSS
 * (RFC 4055 §1.2) holds the same RSAPublicKey, so re-label it for import.
 */
function rsaSpkiForImport(certificate: pkijs.Certificate): Uint8Array {
  const spki = certificate.subjectPublicKeyInfo;
  if (spki.algorithm.algorithmId !== OID.rsassaPss) return new Uint8Array(spki.toSchema().toBER(false));
  const relabelled = new pkijs.PublicKeyInfo({
    algorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.rsaEncryption, algorithmParams: new asn1js.Null() }),
    subjectPublicKey: spki.subjectPublicKey,
  });
  return new Uint8Array(relabelled.toSchema().toBER(false));
}

function isPrecomputedFor(precomputed: PrecomputedDigest | null | undefined, digest: DigestName, content: Uint8Array): precomputed is PrecomputedDigest {
  return precomputed !== null && precomputed !== undefined && precomputed.digest === digest && precomputed.content.buffer === content.buffer
    && precomputed.content.byteOffset === content.byteOffset && precomputed.content.byteLength === content.byteLength;
}

async function digestBytes(crypto: Crypto, digest: DigestName, content: Uint8Array): Promise<Uint8Array | null> {
  if (digest === 'MD5' || digest === 'SHA-224') return null;
  return new Uint8Array(await crypto.subtle.digest(digest, content as BufferSource));
}

/** The sid's issuer as a Name; PKI.js throws an untyped error when the bytes are BER but not a Name. */
function parseIssuerName(der: Uint8Array): pkijs.RelativeDistinguishedNames {
  const schema = parseBer(der, undefined, 'signer issuer name');
  try {
    return new pkijs.RelativeDistinguishedNames({ schema });
  } catch (cause) {
    throw new SmimeError('MALFORMED_ASN1', "the signer identifier's issuer is not a Name (RFC 5652 §10.2.4)", { cause });
  }
}

/**
 * Finds the certificate named by sid (RFC 5652 §5.3): issuerAndSerialNumber (issuer compared as encoded,
 * then by RFC 5280 §7.1 name matching) or subjectKeyIdentifier.
 */
function findSignerCertificate(signerInfo: ParsedSignerInfo, certificates: ParsedSignedData['certificates']): ParsedSignedData['certificates'][number] | null {
  const sid = signerInfo.sid;
  if (sid.kind === 'issuerAndSerialNumber') {
    let issuerName: pkijs.RelativeDistinguishedNames | null = null;
    return certificates.find(({ certificate }) => {
      if (!bytesEqual(certificate.serialNumber.valueBlock.valueHexView, sid.serialNumber)) return false;
      const raw = certificate.issuer.valueBeforeDecode;
      if (raw && bytesEqual(new Uint8Array(raw), sid.issuer)) return true;
      issuerName ??= parseIssuerName(sid.issuer);
      return certificate.issuer.isEqual(issuerName);
    }) ?? null;
  }
  return certificates.find(({ certificate }) => {
    const ski = certificate.extensions?.find((e) => e.extnID === OID.subjectKeyIdentifier)?.parsedValue as asn1js.OctetString | undefined;
    return ski !== undefined && bytesEqual(ski.valueBlock.valueHexView, sid.keyIdentifier);
  }) ?? null;
}
