/**
 * Certification path building and validation for S/MIME, implementing RFC 5280 §6.1 on top of PKI.js
 * structures and WebCrypto. PKI.js's CertificateChainValidationEngine is not used: it checks neither
 * pathLenConstraint nor EKU (security.md F5).
 *
 * Beyond RFC 5280 the validator applies Mozilla-style S/MIME policy: the leaf's EKU must allow
 * emailProtection, an EKU on an intermediate must allow it too, signatures with SHA-1/MD5 and RSA keys
 * under `policy.signature.minRsaBits` are refused below the anchor (SEC-17e, SEC-25j), and the anchor must
 * be trusted for e-mail (SEC-11).
 */
import { certificateSubjectDer, toCertificate, type Certificate, type CertificateInput } from '../cert/certificate.js';
import {
  basicConstraints, certificateExtensions, certificatePolicies, extendedKeyUsage, inhibitAnyPolicy, keyUsage,
  nameConstraints, policyConstraints, policyMappings, subjectAltNames, subjectKeyIdentifier, authorityKeyIdentifier, UNDERSTOOD_EXTENSIONS,
} from '../cert/extensions.js';
import { encodedName, isEmptyName, namesMatch } from '../cert/names.js';
import { describePublicKey, signatureAlgorithmInfo, verifyCertificateSignature, type SignatureCheck } from '../cert/signature.js';
import { bytesEqual } from '../bytes.js';
import { SmimeError } from '../errors.js';
import { OID, describeOid } from '../oids.js';
import { DEFAULT_POLICY, type Policy } from '../policy.js';
import type { Check } from '../types.js';
import { anchorAllowsEmail, anchorCertificate, type TrustAnchor } from './anchors.js';
import { addNameConstraints, findNameConstraintViolation, initialNameConstraintState, type NameConstraintState } from './name-constraints.js';
import { PolicyTree } from './policy-tree.js';

export type PathPurpose = 'smime-signing' | 'smime-encryption';
export type RevocationStatus = 'good' | 'revoked' | 'unknown';
export type PathRevocation = RevocationStatus | 'not-checked';

/** What a revocation checker may use besides the certificate and its issuer. */
export interface RevocationContext {
  /** The validated path, top-down: the anchor's certificate first, the leaf last. */
  path: readonly Certificate[];
  /** Other certificates supplied to validatePath (e.g. a CRL signer's certificate). */
  pool: readonly Certificate[];
}

/**
 * Revocation status of `certificate`, issued by `issuer` (the next certificate up the path, or the anchor).
 * Must not throw for missing data: that is 'unknown'.
 */
export type RevocationChecker = (certificate: Certificate, issuer: Certificate, context?: RevocationContext) => Promise<RevocationStatus>;

/** Result codes of `validatePath`. */
export type PathCode =
  | 'VALID'
  | 'NO_PATH'
  | 'ANCHOR_NOT_FOR_EMAIL'
  | 'CHAIN_TOO_LONG'
  | 'SIGNATURE_INVALID'
  | 'UNSUPPORTED_ALGORITHM'
  | 'WEAK_ALGORITHM'
  | 'WEAK_KEY'
  | 'EXPIRED'
  | 'NOT_YET_VALID'
  | 'NAME_CHAINING'
  | 'NOT_A_CA'
  | 'PATH_LENGTH_EXCEEDED'
  | 'KEY_CERT_SIGN_MISSING'
  | 'UNKNOWN_CRITICAL_EXTENSION'
  | 'NAME_CONSTRAINTS_VIOLATED'
  | 'POLICY_VIOLATION'
  | 'EKU_NOT_EMAIL'
  | 'KEY_USAGE'
  | 'MALFORMED_CERTIFICATE'
  | 'NONCONFORMING_CERTIFICATE'
  | 'REVOKED'
  | 'REVOCATION_UNKNOWN';

export interface PathResult {
  status: 'valid' | 'invalid';
  code: PathCode;
  /** The path, leaf first, ending with the anchor's certificate; for an invalid result, the best path tried (may be partial). */
  chain: Certificate[];
  anchor: TrustAnchor | null;
  /** Every check made on the chosen path, in order. */
  checks: Check[];
  revocation: PathRevocation;
}

export interface ValidatePathOptions {
  leaf: CertificateInput;
  /** Candidate intermediates: the message's certificates plus stored ones; order does not matter. */
  intermediates: readonly CertificateInput[];
  anchors: readonly TrustAnchor[];
  /** Validation time; injected, never the wall clock (SEC-28). */
  now: Date;
  purpose: PathPurpose;
  crypto: Crypto;
  policy?: Policy;
  revocation?: RevocationChecker;
  /**
   * Skip the leaf's EKU/keyUsage purpose checks (the path's own RFC 5280 checks still run). For conformance
   * suites whose leaves are not mail certificates; never for mail.
   */
  skipLeafPurposeChecks?: boolean;
}

/** Most candidate paths examined before giving up (a bound on work with many cross-certificates). */
const MAX_CANDIDATE_PATHS = 32;

interface AnchorEntry {
  anchor: TrustAnchor;
  certificate: Certificate;
}

interface Candidate {
  /** Leaf first, excluding the anchor. */
  path: Certificate[];
  anchor: AnchorEntry;
}

class Failure {
  constructor(readonly code: PathCode, readonly detail: string) {}
}

/**
 * Builds and validates a path from `leaf` to one of `anchors` (RFC 5280 §6.1) for S/MIME use at `now`.
 *
 * Security notes: the search is bounded by `policy.limits.maxPathIntermediates` and MAX_CANDIDATE_PATHS,
 * and never revisits a certificate, so loops terminate (SEC-25i). Only anchors with the 'email' purpose
 * count (SEC-11). Revocation 'unknown' invalidates the path only under `policy.signature.strictRevocation`.
 * Never throws for a bad chain: every outcome is a `PathResult`.
 * @throws SmimeError `MALFORMED_CERTIFICATE` / LimitError only when the leaf itself cannot be parsed.
 */
export async function validatePath(options: ValidatePathOptions): Promise<PathResult> {
  const policy = options.policy ?? DEFAULT_POLICY;
  const leaf = toCertificate(options.leaf, policy.limits);
  const pool = parseAll(options.intermediates, policy);
  // Fast path: only the anchors whose subject is byte-identical to an issuer name at hand are parsed first
  // (a store of ~100 roots costs about a second to parse cold); all anchors are tried when that finds no valid path.
  const issuerNames = [leaf, ...pool].map((certificate) => encodedName(certificate.pkijs.issuer));
  const likely = options.anchors.filter((anchor) => {
    const subject = anchorSubject(anchor.der);
    return subject !== null && issuerNames.some((name) => bytesEqual(name, subject));
  });
  if (likely.length > 0 && likely.length < options.anchors.length) {
    const quick = await validateWithAnchors(options, policy, leaf, pool, likely);
    if (quick.status === 'valid') return quick;
  }
  return validateWithAnchors(options, policy, leaf, pool, options.anchors);
}

const anchorSubjects = new WeakMap<Uint8Array, Uint8Array | null>();

function anchorSubject(der: Uint8Array): Uint8Array | null {
  if (!anchorSubjects.has(der)) anchorSubjects.set(der, certificateSubjectDer(der));
  return anchorSubjects.get(der) ?? null;
}

async function validateWithAnchors(options: ValidatePathOptions, policy: Policy, leaf: Certificate, pool: Certificate[], anchorList: readonly TrustAnchor[]): Promise<PathResult> {
  const anchors = anchorList.flatMap((anchor): AnchorEntry[] => {
    try {
      return [{ anchor, certificate: anchorCertificate(anchor, policy.limits) }];
    } catch (error) {
      if (error instanceof SmimeError) return [];
      throw error;
    }
  });
  const emailAnchors = anchors.filter((entry) => anchorAllowsEmail(entry.anchor));
  const signatureCache = new Map<string, Promise<SignatureCheck>>();

  const search = buildCandidates(leaf, pool, emailAnchors, policy.limits.maxPathIntermediates);
  let best: { result: PathResult; depth: number } | null = null;
  for (const candidate of search.candidates) {
    const result = await checkCandidate(candidate, options, policy, signatureCache, pool);
    if (result.status === 'valid') return result;
    const depth = candidate.path.length;
    if (!best || rank(result.code) > rank(best.result.code) || (rank(result.code) === rank(best.result.code) && depth > best.depth)) best = { result, depth };
  }
  if (best) return best.result;

  if (search.hitLimit) {
    return failed('CHAIN_TOO_LONG', `no path within ${policy.limits.maxPathIntermediates} intermediates (or a certificate loop)`, [leaf]);
  }
  const otherAnchors = anchors.filter((entry) => !anchorAllowsEmail(entry.anchor));
  if (otherAnchors.length > 0 && buildCandidates(leaf, pool, otherAnchors, policy.limits.maxPathIntermediates).candidates.length > 0) {
    return failed('ANCHOR_NOT_FOR_EMAIL', 'the path ends at an anchor that is not trusted for e-mail', [leaf]);
  }
  return failed('NO_PATH', 'no path to a trusted anchor for e-mail', [leaf]);
}

/** Rough order of how informative a failure is when several paths fail: a complete path beats "no path". */
function rank(code: PathCode): number {
  return code === 'NO_PATH' || code === 'CHAIN_TOO_LONG' ? 0 : 1;
}

function failed(code: PathCode, detail: string, chain: Certificate[]): PathResult {
  return { status: 'invalid', code, chain, anchor: null, checks: [{ code, ok: false, detail }], revocation: 'not-checked' };
}

function parseAll(inputs: readonly CertificateInput[], policy: Policy): Certificate[] {
  const out: Certificate[] = [];
  for (const input of inputs) {
    try {
      const certificate = toCertificate(input, policy.limits);
      if (!out.some((other) => bytesEqual(other.der, certificate.der))) out.push(certificate);
    } catch (error) {
      // An unparseable extra certificate cannot be part of any path; it is dropped, not fatal.
      if (!(error instanceof SmimeError)) throw error;
    }
  }
  return out;
}

function safeKeyId(read: () => string | null): string | null {
  try {
    return read();
  } catch (error) {
    if (error instanceof SmimeError) return null;
    throw error;
  }
}

/** Issuer candidates for `certificate`: names must chain; key identifiers, when both present, must agree. */
function issuerCandidates<T extends { certificate: Certificate }>(certificate: Certificate, pool: readonly T[]): T[] {
  const aki = safeKeyId(() => authorityKeyIdentifier(certificate));
  return pool
    .filter((entry) => namesMatch(entry.certificate.pkijs.subject, certificate.pkijs.issuer))
    .filter((entry) => {
      if (aki === null) return true;
      const ski = safeKeyId(() => subjectKeyIdentifier(entry.certificate));
      return ski === null || ski === aki;
    });
}

/**
 * Depth-first path building from the leaf. A certificate (by DER) appears at most once in a path, so loops end;
 * paths longer than `maxIntermediates` are cut and reported through `hitLimit`.
 */
function buildCandidates(leaf: Certificate, pool: readonly Certificate[], anchors: readonly AnchorEntry[], maxIntermediates: number): { candidates: Candidate[]; hitLimit: boolean } {
  const candidates: Candidate[] = [];
  let hitLimit = false;
  const poolEntries = pool.map((certificate) => ({ certificate }));
  let steps = 0;
  const visit = (path: Certificate[]): void => {
    if (candidates.length >= MAX_CANDIDATE_PATHS || steps++ > 10_000) {
      hitLimit = true;
      return;
    }
    const current = path[path.length - 1]!;
    // The leaf itself may be an anchor (a user-trusted self-signed certificate).
    if (path.length === 1) {
      for (const anchor of anchors) if (bytesEqual(anchor.certificate.der, leaf.der)) candidates.push({ path: [], anchor });
    }
    for (const anchor of issuerCandidates(current, anchors)) {
      if (path.some((entry) => bytesEqual(entry.der, anchor.certificate.der))) continue;
      candidates.push({ path, anchor });
    }
    const intermediates = issuerCandidates(current, poolEntries).filter(({ certificate }) => !anchors.some((anchor) => bytesEqual(anchor.certificate.der, certificate.der)));
    for (const { certificate } of intermediates) {
      if (path.some((entry) => bytesEqual(entry.der, certificate.der))) {
        // A self-signed certificate is its own issuer: that is the end of a path, not a loop.
        if (!bytesEqual(certificate.der, current.der)) hitLimit = true;
        continue;
      }
      // pathLen-style counting: self-issued intermediates (key rollover) do not count, but a hard cap still bounds the path.
      const logical = path.slice(1).filter((entry) => !isSelfIssued(entry)).length + (isSelfIssued(certificate) ? 0 : 1);
      if (logical > maxIntermediates || path.length > 2 * maxIntermediates + 2) {
        hitLimit = true;
        continue;
      }
      visit([...path, certificate]);
    }
  };
  visit([leaf]);
  return { candidates, hitLimit };
}

/** Runs RFC 5280 §6.1 on one candidate path. */
async function checkCandidate(candidate: Candidate, options: ValidatePathOptions, policy: Policy, signatureCache: Map<string, Promise<SignatureCheck>>, pool: readonly Certificate[]): Promise<PathResult> {
  const checks: Check[] = [];
  const topDown = candidate.path.slice().reverse();
  const chain = [...candidate.path, candidate.anchor.certificate];
  const fail = (failure: Failure): PathResult => {
    checks.push({ code: failure.code, ok: false, detail: failure.detail });
    return { status: 'invalid', code: failure.code, chain, anchor: candidate.anchor.anchor, checks, revocation: 'not-checked' };
  };
  if (topDown.length === 0) {
    // The leaf is itself the anchor: trusted directly, only its purpose is checked.
    checks.push({ code: 'ANCHOR', ok: true, detail: 'the certificate is itself a trust anchor' });
    try {
      if (!options.skipLeafPurposeChecks) checkLeafPurpose(candidate.anchor.certificate, options.purpose, checks);
      checkValidity(candidate.anchor.certificate, options.now, checks);
    } catch (error) {
      if (error instanceof Failure) return fail(error);
      if (error instanceof SmimeError) return fail(new Failure('MALFORMED_CERTIFICATE', error.message));
      throw error;
    }
    return { status: 'valid', code: 'VALID', chain: [candidate.anchor.certificate], anchor: candidate.anchor.anchor, checks, revocation: 'not-checked' };
  }
  try {
    await runPathChecks(topDown, candidate.anchor, options, policy, checks, signatureCache);
  } catch (error) {
    if (error instanceof Failure) return fail(error);
    if (error instanceof SmimeError) return fail(new Failure('MALFORMED_CERTIFICATE', error.message));
    throw error;
  }
  const revocation = await checkRevocation(topDown, candidate.anchor.certificate, options.revocation, pool);
  checks.push({ code: 'REVOCATION', ok: revocation !== 'revoked', detail: revocation });
  if (revocation === 'revoked') return { status: 'invalid', code: 'REVOKED', chain, anchor: candidate.anchor.anchor, checks, revocation };
  if (revocation === 'unknown' && policy.signature.strictRevocation) {
    return { status: 'invalid', code: 'REVOCATION_UNKNOWN', chain, anchor: candidate.anchor.anchor, checks, revocation };
  }
  return { status: 'valid', code: 'VALID', chain, anchor: candidate.anchor.anchor, checks, revocation };
}

async function checkRevocation(topDown: Certificate[], anchor: Certificate, checker: RevocationChecker | undefined, pool: readonly Certificate[]): Promise<PathRevocation> {
  if (!checker) return 'not-checked';
  let worst: RevocationStatus = 'good';
  const context: RevocationContext = { path: [anchor, ...topDown], pool };
  for (let i = 0; i < topDown.length; i++) {
    const status = await checker(topDown[i]!, i === 0 ? anchor : topDown[i - 1]!, context);
    if (status === 'revoked') return 'revoked';
    if (status === 'unknown') worst = 'unknown';
  }
  return worst;
}

function checkValidity(certificate: Certificate, now: Date, checks: Check[]): void {
  const notBefore = certificate.pkijs.notBefore.value;
  const notAfter = certificate.pkijs.notAfter.value;
  // RFC 5280 §4.1.2.5: validity has one-second granularity and notAfter is inclusive, so compare whole seconds.
  const seconds = Math.floor(now.getTime() / 1000) * 1000;
  if (seconds < notBefore.getTime()) throw new Failure('NOT_YET_VALID', `not valid before ${notBefore.toISOString()}`);
  if (seconds > notAfter.getTime()) throw new Failure('EXPIRED', `expired at ${notAfter.toISOString()}`);
  checks.push({ code: 'VALIDITY', ok: true, detail: `${notBefore.toISOString()} .. ${notAfter.toISOString()}` });
}

/** RFC 8550 §4.4: the leaf's EKU and keyUsage must allow the S/MIME purpose (SEC-26). */
function checkLeafPurpose(leaf: Certificate, purpose: PathPurpose, checks: Check[]): void {
  const eku = extendedKeyUsage(leaf);
  if (eku !== null && !eku.includes(OID.emailProtection) && !eku.includes(OID.anyExtendedKeyUsage)) {
    throw new Failure('EKU_NOT_EMAIL', `leaf extendedKeyUsage is ${eku.map(describeOid).join(', ')}`);
  }
  checks.push({ code: 'EKU_EMAIL_PROTECTION', ok: true });
  const usage = keyUsage(leaf);
  if (usage !== null) {
    const key = describePublicKey(leaf.pkijs.subjectPublicKeyInfo);
    const allowed = purpose === 'smime-signing'
      ? usage.includes('digitalSignature') || usage.includes('nonRepudiation')
      : usage.includes(key.algorithm === 'EC' ? 'keyAgreement' : 'keyEncipherment');
    if (!allowed) throw new Failure('KEY_USAGE', `leaf keyUsage ${usage.join(', ') || 'none'} does not allow ${purpose}`);
  }
  checks.push({ code: 'KEY_USAGE', ok: true });
}

/**
 * Certificate profile rules of RFC 5280 §4 that a conforming CA MUST follow and whose violation signals a
 * mis-issued or crafted certificate. Applied to every certificate of the path and, as far as they concern
 * CAs, to the anchor.
 */
function checkProfile(certificate: Certificate, role: string, isCaPosition: boolean): void {
  const cert = certificate.pkijs;
  const serial = cert.serialNumber.valueBlock.valueHexView;
  // §4.1.2.2: a positive integer of at most 20 octets. Negative serials are tolerated (PKITS 4.4.14 expects it).
  if (serial.length > 20 || serial.every((byte) => byte === 0)) throw new Failure('NONCONFORMING_CERTIFICATE', `${role} has a zero or over-long serial number`);
  const extensions = certificateExtensions(certificate);
  const critical = (oid: string): boolean | undefined => extensions.find((extension) => extension.extnID === oid)?.critical;
  if (critical(OID.authorityKeyIdentifier) === true) throw new Failure('NONCONFORMING_CERTIFICATE', `${role} marks authorityKeyIdentifier critical (§4.2.1.1)`);
  if (critical(OID.subjectKeyIdentifier) === true) throw new Failure('NONCONFORMING_CERTIFICATE', `${role} marks subjectKeyIdentifier critical (§4.2.1.2)`);
  if (critical(OID.authorityInfoAccess) === true) throw new Failure('NONCONFORMING_CERTIFICATE', `${role} marks authorityInfoAccess critical (§4.2.2.1)`);
  extendedKeyUsage(certificate); // a malformed or empty EKU is an error (MALFORMED_CERTIFICATE)
  for (const name of subjectAltNames(certificate)) { // a malformed SAN is an error (MALFORMED_CERTIFICATE)
    if (name.kind === 'dNSName' && !isValidDnsName(name.value, true)) throw new Failure('NONCONFORMING_CERTIFICATE', `${role} has an invalid dNSName "${name.value}" (RFC 5280 §4.2.1.6)`);
  }
  for (const constraint of [...(nameConstraints(certificate)?.permitted ?? []), ...(nameConstraints(certificate)?.excluded ?? [])]) {
    if (constraint.kind === 'dNSName' && constraint.value !== '' && !isValidDnsName(constraint.value, false)) {
      throw new Failure('NONCONFORMING_CERTIFICATE', `${role} has an invalid dNSName constraint "${constraint.value}"`);
    }
  }
  const emptySubject = isEmptyName(cert.subject);
  if (emptySubject && critical(OID.subjectAltName) !== true) throw new Failure('NONCONFORMING_CERTIFICATE', `${role} has an empty subject without a critical subjectAltName (§4.2.1.6)`);
  const constraints = basicConstraints(certificate);
  const usage = keyUsage(certificate);
  // In CA positions a missing cA is reported as NOT_A_CA by §6.1.4 (k).
  if (!isCaPosition && usage?.includes('keyCertSign') && !constraints?.ca) throw new Failure('NONCONFORMING_CERTIFICATE', `${role} asserts keyCertSign without basicConstraints cA (§4.2.1.3)`);
  if (isCaPosition) {
    if (emptySubject) throw new Failure('NONCONFORMING_CERTIFICATE', `${role} is a CA with an empty subject (§4.1.2.6)`);
  } else if (critical(OID.nameConstraints) !== undefined && !constraints?.ca) {
    throw new Failure('NONCONFORMING_CERTIFICATE', `${role} is an end entity with nameConstraints (§4.2.1.10)`);
  }
}

/** Preferred name syntax (RFC 1034 §3.5, RFC 5280 §4.2.1.6): LDH labels, optionally a leading `*.` wildcard; not an IP address. */
function isValidDnsName(name: string, allowWildcard: boolean): boolean {
  const host = allowWildcard && name.startsWith('*.') ? name.slice(2) : name;
  if (host.length === 0 || host.length > 253 || /^[0-9.]+$/.test(host)) return false;
  return host.split('.').every((label) => /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i.test(label));
}

/** The anchor's own certificate: valid at `now`, a CA if it is a v3 certificate, no unknown critical extension. */
function checkAnchor(anchor: Certificate, now: Date, checks: Check[]): void {
  checkProfile(anchor, 'anchor', true);
  checkValidity(anchor, now, checks);
  if (anchor.pkijs.version >= 2) {
    const constraints = basicConstraints(anchor);
    if (!constraints?.ca) throw new Failure('NOT_A_CA', 'the anchor is a v3 certificate without basicConstraints cA');
    const usage = keyUsage(anchor);
    if (usage !== null && !usage.includes('keyCertSign')) throw new Failure('KEY_CERT_SIGN_MISSING', 'the anchor keyUsage lacks keyCertSign');
  }
  for (const extension of certificateExtensions(anchor)) {
    if (extension.critical && !UNDERSTOOD_EXTENSIONS.has(extension.extnID)) {
      throw new Failure('UNKNOWN_CRITICAL_EXTENSION', `the anchor has an unknown critical extension ${extension.extnID}`);
    }
  }
}

function isSelfIssued(certificate: Certificate): boolean {
  return namesMatch(certificate.pkijs.subject, certificate.pkijs.issuer);
}

function signatureKey(subject: Certificate, issuer: Certificate): string {
  return `${subject.der.length}:${Array.from(subject.der.subarray(subject.der.length - 32)).join(',')}|${issuer.der.length}:${Array.from(issuer.der.subarray(issuer.der.length - 32)).join(',')}`;
}

/** §6.1.2-§6.1.5 over the path (top-down: certificate 1 is issued by the anchor, certificate n is the leaf). */
async function runPathChecks(
  topDown: Certificate[], anchor: AnchorEntry, options: ValidatePathOptions, policy: Policy, checks: Check[],
  signatureCache: Map<string, Promise<SignatureCheck>>,
): Promise<void> {
  const n = topDown.length;
  // §6.1.2 initialisation. Name constraints and pathLenConstraint of the anchor certificate are applied,
  // as Mozilla does (RFC 5937 allows constraining by the anchor).
  let nameState: NameConstraintState = addNameConstraints(initialNameConstraintState(), nameConstraints(anchor.certificate));
  const anchorConstraints = basicConstraints(anchor.certificate);
  let maxPathLength = anchorConstraints?.pathLength ?? n;
  let explicitPolicy = n + 1;
  let inhibitAny = n + 1;
  let policyMapping = n + 1;
  const tree = new PolicyTree();
  checkAnchor(anchor.certificate, options.now, checks);
  let issuer = anchor.certificate;
  let workingIssuerName = anchor.certificate.pkijs.subject;

  for (let i = 1; i <= n; i++) {
    const certificate = topDown[i - 1]!;
    const last = i === n;
    const role = last ? 'leaf' : `intermediate ${i}`;
    checkProfile(certificate, role, !last);

    // (a)(1) signature, with weak-algorithm policy
    const info = signatureAlgorithmInfo(certificate.pkijs.signatureAlgorithm);
    if (info.hash === 'SHA-1' || info.hash === 'MD5') {
      throw new Failure('WEAK_ALGORITHM', `${role} is signed with ${describeOid(certificate.pkijs.signatureAlgorithm.algorithmId)}`);
    }
    const issuerKey = describePublicKey(issuer.pkijs.subjectPublicKeyInfo);
    if (issuerKey.algorithm === 'RSA' && issuerKey.bits !== null && issuerKey.bits < policy.signature.minRsaBits) {
      throw new Failure('WEAK_KEY', `${role} is signed by an RSA-${issuerKey.bits} key`);
    }
    const key = signatureKey(certificate, issuer);
    let pending = signatureCache.get(key);
    if (!pending) {
      pending = verifyCertificateSignature(certificate.pkijs, issuer.pkijs, options.crypto);
      signatureCache.set(key, pending);
    }
    const signature = await pending;
    if (!signature.ok) {
      throw new Failure(signature.code === 'SIGNATURE_ALGORITHM_UNSUPPORTED' ? 'UNSUPPORTED_ALGORITHM' : 'SIGNATURE_INVALID', `${role}: ${signature.detail}`);
    }
    checks.push({ code: 'SIGNATURE', ok: true, detail: role });
    const ownKey = describePublicKey(certificate.pkijs.subjectPublicKeyInfo);
    if (ownKey.algorithm === 'RSA' && ownKey.bits !== null && ownKey.bits < policy.signature.minRsaBits) {
      throw new Failure('WEAK_KEY', `${role} has an RSA-${ownKey.bits} key`);
    }

    // (a)(2) validity at the injected time
    checkValidity(certificate, options.now, checks);

    // (a)(4) name chaining
    if (!namesMatch(certificate.pkijs.issuer, workingIssuerName)) throw new Failure('NAME_CHAINING', `${role}: issuer name does not match`);

    // (b)(c) name constraints, for the leaf and for certificates that are not self-issued
    if (last || !isSelfIssued(certificate)) {
      const violation = findNameConstraintViolation(certificate, nameState);
      if (violation) throw new Failure('NAME_CONSTRAINTS_VIOLATED', `${role}: ${violation}`);
    }

    // (d)(e)(f) certificate policies
    tree.processCertificate(i, certificatePolicies(certificate), inhibitAny, { last, selfIssued: isSelfIssued(certificate) });
    if (explicitPolicy === 0 && tree.isNull) throw new Failure('POLICY_VIOLATION', `${role}: no acceptable certificate policy`);

    if (!last) {
      // §6.1.4 preparation for certificate i+1
      const mappings = policyMappings(certificate) ?? [];
      if (mappings.some((m) => m.issuerDomainPolicy === OID.anyPolicy || m.subjectDomainPolicy === OID.anyPolicy)) {
        throw new Failure('POLICY_VIOLATION', `${role}: policyMappings maps anyPolicy`);
      }
      tree.applyMappings(i, mappings, policyMapping);
      workingIssuerName = certificate.pkijs.subject;
      nameState = addNameConstraints(nameState, nameConstraints(certificate));
      const selfIssued = isSelfIssued(certificate);
      if (!selfIssued) {
        if (explicitPolicy > 0) explicitPolicy--;
        if (policyMapping > 0) policyMapping--;
        if (inhibitAny > 0) inhibitAny--;
      }
      const constraints = policyConstraints(certificate);
      if (constraints?.requireExplicitPolicy != null && constraints.requireExplicitPolicy < explicitPolicy) explicitPolicy = constraints.requireExplicitPolicy;
      if (constraints?.inhibitPolicyMapping != null && constraints.inhibitPolicyMapping < policyMapping) policyMapping = constraints.inhibitPolicyMapping;
      const inhibit = inhibitAnyPolicy(certificate);
      if (inhibit !== null && inhibit < inhibitAny) inhibitAny = inhibit;

      // (k) basicConstraints cA
      const bc = basicConstraints(certificate);
      if (!bc?.ca) throw new Failure('NOT_A_CA', `${role} is not a CA (basicConstraints cA is not TRUE)`);
      // (l)(m) path length
      if (!selfIssued) {
        if (maxPathLength <= 0) throw new Failure('PATH_LENGTH_EXCEEDED', `${role} exceeds a pathLenConstraint`);
        maxPathLength--;
      }
      if (bc.pathLength !== null && bc.pathLength < maxPathLength) maxPathLength = bc.pathLength;
      checks.push({ code: 'BASIC_CONSTRAINTS', ok: true, detail: role });
      // (n) keyCertSign
      const usage = keyUsage(certificate);
      if (usage !== null && !usage.includes('keyCertSign')) throw new Failure('KEY_CERT_SIGN_MISSING', `${role} keyUsage lacks keyCertSign`);
      // Mozilla policy: an EKU on a CA limits what it may issue for.
      const eku = extendedKeyUsage(certificate);
      if (eku !== null && !eku.includes(OID.emailProtection) && !eku.includes(OID.anyExtendedKeyUsage)) {
        throw new Failure('EKU_NOT_EMAIL', `${role} extendedKeyUsage (${eku.map(describeOid).join(', ')}) does not allow e-mail`);
      }
      issuer = certificate;
    } else {
      // §6.1.5 wrap-up
      if (explicitPolicy > 0) explicitPolicy--;
      const constraints = policyConstraints(certificate);
      if (constraints?.requireExplicitPolicy === 0) explicitPolicy = 0;
      if (explicitPolicy === 0 && tree.isNull) throw new Failure('POLICY_VIOLATION', 'the path has no valid certificate policy and policy is required');
      if (!options.skipLeafPurposeChecks) checkLeafPurpose(certificate, options.purpose, checks);
    }

    // (o) / §6.1.5 (f): unknown critical extensions
    for (const extension of certificateExtensions(certificate)) {
      if (extension.critical && !UNDERSTOOD_EXTENSIONS.has(extension.extnID)) {
        throw new Failure('UNKNOWN_CRITICAL_EXTENSION', `${role} has an unknown critical extension ${extension.extnID}`);
      }
    }
  }
  checks.push({ code: 'PATH', ok: true, detail: `${n} certificate(s) below the anchor` });
}
