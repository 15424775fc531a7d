/**
 * Whole-message signature verification (RFC 8551 §3.5, RFC 8550 §3): finds the signature layers at the
 * MIME root (SEC-03), verifies each SignedData over the exact received bytes, and turns everything into
 * one SignatureReport with a reason code for each problem. Never throws for a bad or malformed message.
 */
import { bytesEqual, toHex } from '../bytes.js';
import { describeCertificate } from '../cert/describe.js';
import { certificateEmailAddresses, certificateMatchesAddress } from '../cert/addresses.js';
import { assessCertificateForSigning } from '../cert/assess.js';
import { toCertificate, type Certificate } from '../cert/certificate.js';
import { isSmimeError, LimitError } from '../errors.js';
import { getFromMailbox } from '../mime/address.js';
import { canonicalizeLineEndings } from '../mime/build.js';
import { parseMime, type MimeEntity } from '../mime/parse.js';
import { OID } from '../oids.js';
import type { Policy } from '../policy.js';
import { derOid } from '../cms/der.js';
import type { CertificateSummary, Check, SignatureReport } from '../types.js';
import { parseSignedData, verifyParsedSignedData, type PrecomputedDigest, type SignedDataVerification } from '../cms/verify.js';
import { checkSignerTrust, type SignerTrustOptions } from './signer-trust.js';
import { stripMozillaHeaders } from './mozilla-headers.js';
import { startSpeculativeDigest } from './speculative-digest.js';
import { verdictFor } from './verdict.js';

export interface VerifyMessageOptions {
  /**
   * Trust anchors: stored anchors with their purposes, or bare DER certificates the caller trusts for
   * e-mail. Validation against them is mandatory (SEC-11, F4).
   */
  anchors: SignerTrustOptions['anchors'];
  /** Extra intermediate certificates (DER) that may complete the path. */
  intermediates?: readonly Uint8Array[];
  /** Verification time; the engine never reads the wall clock (SEC-28d). */
  now: Date;
  crypto: Crypto;
  policy: Policy;
  /** Revocation sources, passed to path validation (SEC-29). */
  revocation?: SignerTrustOptions['revocation'];
}

/** The report plus what openMessage needs to display: the innermost signed content. */
export interface MessageSignatureResult {
  report: SignatureReport;
  /** The parsed message root, or null when it could not be parsed. */
  root: MimeEntity | null;
  /** The innermost content entity of the signature layers (the root when there is none). */
  content: MimeEntity | null;
}

const SIGNATURE_PROTOCOLS = new Set(['application/pkcs7-signature', 'application/x-pkcs7-signature']);
const PKCS7_MIME = new Set(['application/pkcs7-mime', 'application/x-pkcs7-mime']);

/** At most this many nested signature layers are unwrapped (each one is verified). */
const MAX_SIGNATURE_LAYERS = 8;

/**
 * Verifies the signature of a whole message and returns one report (security.md §0.1): `valid` only when
 * a single signer's signature covers the MIME root, the chain reaches an anchor, the signer's address
 * equals the single From mailbox, and algorithms and times meet the policy.
 *
 * Never throws for a bad, tampered, malformed or oversized message: every problem is a reason code
 * (see verdict.ts for their weight). `none`: NOT_SIGNED, NO_SIGNER, MALFORMED, LIMIT_EXCEEDED.
 * `warning`: PARTIAL (SEC-13), NESTED (SEC-16), OLD_SIGNATURE (SEC-18b), EXPIRED_SINCE_SIGNING (SEC-28a),
 * REVOCATION_UNKNOWN (SEC-29), NO_ADDRESS_IN_CERT (SEC-27e). `invalid`: ECONTENT_IN_DETACHED /
 * ECONTENT_MISSING (SEC-08), MULTIPLE_SIGNERS (SEC-09), UNTRUSTED / REVOKED / NOT_YET_VALID (SEC-11, SEC-29),
 * SIGNED_ATTRS_* and UNEXPECTED_CONTENT_TYPE (SEC-12), FROM_MISMATCH / FROM_AMBIGUOUS (SEC-14),
 * WEAK_HASH / WEAK_KEY / ALG_MISMATCH / UNSUPPORTED_ALGORITHM (SEC-17), FUTURE_SIGNING_TIME /
 * SIGNING_TIME_OUTSIDE_VALIDITY (SEC-18), CERTIFICATE_NOT_FOR_SIGNING (SEC-26), SIGNER_CERTIFICATE_MISSING,
 * DIGEST_MISMATCH, BAD_SIGNATURE.
 * Security: only bytes as received are verified (a copy stored with bare LF is also tried in its CRLF
 * form); Sender is ignored; signatures below the root never count for the message.
 */
export async function verifySignedMessage(raw: Uint8Array, options: VerifyMessageOptions): Promise<SignatureReport> {
  return (await verifyMessageSignature(raw, options)).report;
}

/** Like {@link verifySignedMessage}, and also returns the parsed root and the innermost signed content. */
export async function verifyMessageSignature(raw: Uint8Array, options: VerifyMessageOptions): Promise<MessageSignatureResult> {
  let root: MimeEntity;
  const message = stripMozillaHeaders(raw);
  // Started before parsing, so that hashing a large signed part overlaps the parser's pass over it.
  const precomputedDigest = startSpeculativeDigest(message, options.crypto, options.policy.limits);
  // A wrong guess is never awaited; its failure must not surface as an unhandled rejection (the CMS check hashes
  // on its own whenever it does not use the guess).
  void precomputedDigest?.value.catch(() => null);
  try {
    root = parseMime(message, options.policy.limits);
  } catch (error) {
    if (!isSmimeError(error)) throw error;
    return { report: errorReport(error instanceof LimitError ? 'LIMIT_EXCEEDED' : 'MALFORMED', error.message), root: null, content: null };
  }
  return verifyEntitySignature(root, root, options, precomputedDigest);
}

/**
 * Verifies the signature layers starting at `entity`, binding the signer to the From of `message`.
 * Exposed for openMessage, which calls it on decrypted content.
 */
export async function verifyEntitySignature(
  entity: MimeEntity,
  message: MimeEntity,
  options: VerifyMessageOptions,
  precomputedDigest: PrecomputedDigest | null = null,
): Promise<MessageSignatureResult> {
  if (signatureLayerForm(entity) === null) {
    // SEC-13: a signature below the root never counts for the message; report it as partial.
    const inner = findSignedDescendant(entity);
    if (!inner) return { report: emptyReport(['NOT_SIGNED'], 'the message has no signature at its root'), root: message, content: entity };
    const partial = await verifyLayers(inner, message, options);
    const reasons = [...new Set([...partial.report.reasons, 'PARTIAL'])];
    return {
      root: message,
      content: entity,
      report: {
        ...partial.report,
        reasons,
        verdict: verdictFor(reasons),
        coversWholeMessage: false,
        checks: [...partial.report.checks, { code: 'PARTIAL', ok: false, detail: `only the ${inner.contentType.mediaType} part is signed, not the whole message` }],
      },
    };
  }
  const result = await verifyLayers(entity, message, options, precomputedDigest);
  return { ...result, report: { ...result.report, coversWholeMessage: result.report.verdict === 'valid' || result.report.verdict === 'warning' } };
}

type LayerForm = 'detached' | 'opaque';

/** Is this entity a signature layer (RFC 8551 §3.5.3 multipart/signed, §3.5.2 signed-data)? */
export function signatureLayerForm(entity: MimeEntity): LayerForm | null {
  const type = entity.contentType;
  if (type.mediaType === 'multipart/signed') {
    const protocol = type.params.get('protocol')?.toLowerCase();
    return protocol !== undefined && SIGNATURE_PROTOCOLS.has(protocol) ? 'detached' : null;
  }
  if (PKCS7_MIME.has(type.mediaType)) {
    const smimeType = type.params.get('smime-type')?.toLowerCase();
    // Without smime-type, the CMS content type decides (old clients omit it); enveloped data is the
    // encryption layer's.
    if (smimeType === 'signed-data') return 'opaque';
    if (smimeType === undefined && isSignedDataContentInfo(entity.decodedBody())) return 'opaque';
  }
  return null;
}

const SIGNED_DATA_OID = derOid(OID.signedData);

/** Does this DER/BER start like ContentInfo { id-signedData, ... }? (A prefix check; parsing comes later.) */
function isSignedDataContentInfo(der: Uint8Array): boolean {
  if (der.length < 2 || der[0] !== 0x30) return false;
  const lengthByte = der[1]!;
  const headerLength = lengthByte < 0x80 ? 2 : lengthByte === 0x80 ? 2 : 2 + (lengthByte & 0x7f);
  return bytesEqual(der.subarray(headerLength, headerLength + SIGNED_DATA_OID.length), SIGNED_DATA_OID);
}

function hasBareLineFeed(bytes: Uint8Array): boolean {
  for (let i = bytes.indexOf(0x0a); i >= 0; i = bytes.indexOf(0x0a, i + 1)) {
    if (i === 0 || bytes[i - 1] !== 0x0d) return true;
  }
  return false;
}

function findSignedDescendant(entity: MimeEntity): MimeEntity | null {
  for (const child of entity.children) {
    if (signatureLayerForm(child) !== null) return child;
    const deeper = findSignedDescendant(child);
    if (deeper) return deeper;
  }
  return null;
}

interface Layer {
  form: LayerForm;
  entity: MimeEntity;
  cms: SignedDataVerification;
}

/** Unwraps nested layers (SEC-16): the innermost counts fully; outer layers must be intact and add NESTED. */
async function verifyLayers(entity: MimeEntity, message: MimeEntity, options: VerifyMessageOptions, precomputedDigest: PrecomputedDigest | null = null): Promise<MessageSignatureResult> {
  const layers: Layer[] = [];
  let current: MimeEntity = entity;
  for (;;) {
    const form = signatureLayerForm(current);
    if (form === null || layers.length >= MAX_SIGNATURE_LAYERS) break;
    const layer = await verifyLayer(current, form, options, precomputedDigest);
    // An unreadable layer (outer or inner) means the message cannot be shown as signed (ERROR).
    if ('error' in layer) return { report: errorReport(layer.error, layer.detail), root: message, content: null };
    layers.push(layer);
    const next = layer.form === 'detached' ? current.children[0]! : parseInner(layer.cms.eContent, current, options.policy);
    if (!next || 'error' in next) {
      if (next && 'error' in next) return { report: errorReport(next.error, next.detail), root: message, content: null };
      break;
    }
    current = next;
  }
  const innermost = layers[layers.length - 1]!;
  const report = await buildReport(innermost, message, options);
  if (layers.length > 1) {
    const outerReasons = layers.slice(0, -1).flatMap((layer) => layer.cms.reasons);
    report.reasons = [...new Set([...report.reasons, ...outerReasons, 'NESTED'])];
    report.checks.push({ code: 'NESTED', ok: false, detail: `${layers.length} signature layers; the innermost one is reported` });
    report.verdict = verdictFor(report.reasons);
  }
  return { report, root: message, content: current };
}

function parseInner(eContent: Uint8Array | null, parent: MimeEntity, policy: Policy): MimeEntity | { error: string; detail: string } | null {
  if (eContent === null) return null;
  try {
    // The opaque content is a MIME entity, shown only from eContent (SEC-08).
    const entity = parseMime(eContent, { ...policy.limits, maxMimeDepth: Math.max(1, policy.limits.maxMimeDepth - parent.depth - 1) });
    return entity;
  } catch (error) {
    if (!isSmimeError(error)) throw error;
    return { error: error instanceof LimitError ? 'LIMIT_EXCEEDED' : 'MALFORMED', detail: error.message };
  }
}

async function verifyLayer(entity: MimeEntity, form: LayerForm, options: VerifyMessageOptions, precomputedDigest: PrecomputedDigest | null): Promise<Layer | { error: string; detail: string }> {
  const { policy } = options;
  try {
    let der: Uint8Array;
    let detachedContent: Uint8Array | null = null;
    if (form === 'detached') {
      // RFC 1847 §2.1: exactly two parts, the second the signature.
      if (entity.children.length !== 2) return { error: 'MALFORMED', detail: `multipart/signed has ${entity.children.length} parts, not 2` };
      const signaturePart = entity.children[1]!;
      if (!SIGNATURE_PROTOCOLS.has(signaturePart.contentType.mediaType)) {
        return { error: 'MALFORMED', detail: `the second part of multipart/signed is ${signaturePart.contentType.mediaType}` };
      }
      der = signaturePart.decodedBody();
      if (der.byteLength > policy.limits.maxDetachedSignatureBytes) {
        return { error: 'LIMIT_EXCEEDED', detail: `the signature part is ${der.byteLength} bytes, over the limit of ${policy.limits.maxDetachedSignatureBytes}` };
      }
      // The signed bytes are the first part exactly as received (RFC 8551 §3.1.1): never rebuilt.
      detachedContent = entity.children[0]!.raw;
    } else {
      der = entity.decodedBody();
    }
    const parsed = parseSignedData(der, policy);
    let cms = await verifyParsedSignedData(parsed, { crypto: options.crypto, policy, detachedContent, precomputedDigest });
    if (detachedContent && cms.reasons.includes('DIGEST_MISMATCH') && hasBareLineFeed(detachedContent)) {
      // A copy stored with bare LF line endings (mbox files, some exports): the signature was made over
      // the canonical CRLF form (RFC 8551 §3.1.1), which OpenSSL and NSS also reconstruct. Only line
      // endings change, never content, and the exact bytes were tried first.
      const canonical = await verifyParsedSignedData(parsed, { crypto: options.crypto, policy, detachedContent: canonicalizeLineEndings(detachedContent) });
      if (!canonical.reasons.includes('DIGEST_MISMATCH')) {
        cms = canonical;
        cms.checks.push({ code: 'LINE_ENDINGS_CANONICALISED', ok: true, detail: 'verified over the CRLF form of a copy stored with LF line endings' });
      }
    }
    return { form, entity, cms };
  } catch (error) {
    if (!isSmimeError(error)) throw error;
    return { error: error instanceof LimitError ? 'LIMIT_EXCEEDED' : 'MALFORMED', detail: error.message };
  }
}

async function buildReport(layer: Layer, message: MimeEntity, options: VerifyMessageOptions): Promise<SignatureReport> {
  const { cms } = layer;
  const checks: Check[] = [...cms.checks];
  const report: SignatureReport = {
    ...emptyReport([], ''),
    form: layer.form,
    signingTime: cms.signingTime?.toISOString() ?? null,
    digestAlgorithm: cms.digestAlgorithm,
    signatureAlgorithm: cms.signatureAlgorithm,
    checks,
  };
  if (cms.signerCertificate) {
    try {
      await checkSigner(report, checks, cms, message, options);
    } catch (error) {
      // A signer certificate that PKI.js could parse but our certificate layer rejects (odd encodings):
      // the message cannot be shown as signed (ERROR).
      if (!isSmimeError(error)) throw error;
      checks.push({ code: error instanceof LimitError ? 'LIMIT_EXCEEDED' : 'MALFORMED', ok: false, detail: `signer certificate: ${error.message}` });
    }
  }
  report.reasons = [...new Set(checks.filter((c) => !c.ok).map((c) => c.code))];
  report.verdict = verdictFor(report.reasons);
  return report;
}

async function checkSigner(report: SignatureReport, checks: Check[], cms: SignedDataVerification, message: MimeEntity, options: VerifyMessageOptions): Promise<void> {
  const signerDer = cms.signerCertificate!;
  // The certificate as parsed from the CMS, with its exact DER: nothing is parsed twice.
  const certificate: Certificate = cms.signerCertificateParsed
    ? { der: signerDer, pkijs: cms.signerCertificateParsed }
    : toCertificate(signerDer, options.policy.limits);
  report.signerCertificate = await summarise(certificate, options.crypto);
  checkPurpose(checks, certificate, options.policy);
  checkSigningTime(checks, cms.signingTime, certificate.pkijs.notBefore.value, certificate.pkijs.notAfter.value, message, options);
  const trust = await checkSignerTrust({
    leaf: certificate,
    intermediates: [...cms.parsedCertificates.filter((c) => c.der !== signerDer), ...(options.intermediates ?? [])],
    anchors: options.anchors,
    now: options.now,
    signingTime: cms.signingTime,
    crypto: options.crypto,
    policy: options.policy,
    revocation: options.revocation,
  });
  checks.push(...trust.checks);
  report.chain = await describeAll(trust.chain, options.crypto);
  report.signer = bindSigner(checks, certificate, message);
}

const SUMMARY_CACHE_SIZE = 64;
const summaryCaches = new WeakMap<Crypto, Map<string, Promise<CertificateSummary>>>();

/**
 * describeCertificate with a small cache keyed by the full DER: the same signers and CAs recur in every
 * message, and a summary is a pure function of the bytes. Callers get copies, so the cache stays intact.
 */
async function summarise(certificate: Certificate | Uint8Array, crypto: Crypto): Promise<CertificateSummary> {
  const der = certificate instanceof Uint8Array ? certificate : certificate.der;
  let cache = summaryCaches.get(crypto);
  if (!cache) {
    cache = new Map();
    summaryCaches.set(crypto, cache);
  }
  const key = toHex(der);
  let pending = cache.get(key);
  if (!pending) {
    pending = describeCertificate(certificate, crypto);
    pending.catch(() => cache.delete(key));
    if (cache.size >= SUMMARY_CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(key, pending);
  }
  return structuredClone(await pending);
}

async function describeAll(chain: readonly Uint8Array[], crypto: Crypto): Promise<CertificateSummary[]> {
  const out: CertificateSummary[] = [];
  for (const der of chain) out.push(await summarise(der, crypto));
  return out;
}

function checkPurpose(checks: Check[], certificate: Certificate, policy: Policy): void {
  // SEC-26: the signer certificate must allow signing mail; key size failures are WEAK_KEY (SEC-17d).
  const assessment = assessCertificateForSigning(certificate, policy.signature);
  for (const check of assessment.checks) {
    if (check.ok) continue;
    if (check.code === 'KEY_SIZE') {
      if (!checks.some((c) => c.code === 'WEAK_KEY' && !c.ok)) checks.push({ code: 'WEAK_KEY', ok: false, detail: check.detail });
    } else {
      checks.push({ code: 'CERTIFICATE_NOT_FOR_SIGNING', ok: false, detail: `${check.code}: ${check.detail ?? ''}` });
    }
  }
}

/**
 * SEC-18: signing-time is signer-controlled evidence. In the future beyond the skew → invalid; outside the
 * certificate's validity → invalid; long before the Date header → warning.
 */
function checkSigningTime(checks: Check[], signingTime: Date | null, notBefore: Date, notAfter: Date, message: MimeEntity, options: VerifyMessageOptions): void {
  if (signingTime === null) {
    checks.push({ code: 'SIGNING_TIME', ok: true, detail: 'no signing time' });
    return;
  }
  const { signature } = options.policy;
  if (signingTime.getTime() > options.now.getTime() + signature.maxFutureSkewMs) {
    checks.push({ code: 'FUTURE_SIGNING_TIME', ok: false, detail: `signing-time ${signingTime.toISOString()} is after ${options.now.toISOString()}` });
  }
  if (signingTime < notBefore || signingTime > notAfter) {
    checks.push({ code: 'SIGNING_TIME_OUTSIDE_VALIDITY', ok: false, detail: `signing-time ${signingTime.toISOString()} is outside ${notBefore.toISOString()} – ${notAfter.toISOString()}` });
  }
  const dateHeader = message.headers.get('date');
  const date = dateHeader === undefined ? NaN : Date.parse(dateHeader);
  if (!Number.isNaN(date) && signingTime.getTime() < date - signature.maxSigningTimeAgeMs) {
    checks.push({ code: 'OLD_SIGNATURE', ok: false, detail: `signed ${signingTime.toISOString()}, sent ${new Date(date).toISOString()}` });
  }
}

/**
 * SEC-14 / RFC 8550 §3: exactly one From mailbox, whose addr-spec is an address of the certificate.
 * Sender is ignored. Returns the address to show as the signer.
 */
function bindSigner(checks: Check[], certificate: Certificate, message: MimeEntity): string | null {
  let from;
  try {
    from = getFromMailbox(message);
  } catch (error) {
    if (!isSmimeError(error)) throw error;
    from = { ok: false as const, reason: 'UNPARSABLE' as const };
  }
  if (!from.ok) {
    checks.push({ code: 'FROM_AMBIGUOUS', ok: false, detail: `From: ${from.reason}` });
    return certificateEmailAddresses(certificate)[0] ?? null;
  }
  const match = certificateMatchesAddress(certificate, from.mailbox.address);
  if (match.matches) {
    checks.push({ code: 'FROM_MISMATCH', ok: true, detail: match.matchedAddress ?? undefined });
    return match.matchedAddress;
  }
  if (match.certificateHasNoAddress) {
    checks.push({ code: 'NO_ADDRESS_IN_CERT', ok: false, detail: 'the signer certificate names no e-mail address' });
    return null;
  }
  checks.push({ code: 'FROM_MISMATCH', ok: false, detail: `From is ${from.mailbox.address}` });
  return certificateEmailAddresses(certificate)[0] ?? null;
}

/** A report for a message that carries no (usable) signature. */
export function emptyReport(reasons: string[], detail: string): SignatureReport {
  return {
    verdict: verdictFor(reasons),
    signer: null,
    reasons,
    coversWholeMessage: false,
    form: null,
    signerCertificate: null,
    chain: [],
    signingTime: null,
    digestAlgorithm: null,
    signatureAlgorithm: null,
    checks: reasons.map((code) => ({ code, ok: false, detail })),
  };
}

function errorReport(reason: string, detail: string): SignatureReport {
  return emptyReport([reason], detail);
}

