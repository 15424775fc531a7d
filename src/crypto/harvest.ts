/**
 * Certificate harvesting and recipient-certificate selection (SEC-45..SEC-48): pure decisions over
 * certificates and reports. The background stores what `decideHarvest` says, and the compose side
 * encrypts to what `selectRecipientCertificate` chooses.
 *
 * Why so strict: a client that stores any certificate found in a message lets a third party plant a
 * key with your correspondents ("Mailto: Me Your Secrets"). So only the signer's own certificate
 * (and its SMIMEEncryptionKeyPreference certificate, RFC 8551 §2.5.3) is kept, only from a fully
 * valid signature whose signer is the From address, and a changed key is never silently preferred.
 */
import { bytesEqual, base64Decode, toArrayBuffer, toHex } from './bytes.js';
import { assessCertificateForEncryption, assessCertificateForSigning, certificateMatchesAddress, describePublicKey, namesMatch, toCertificate, formatName, type Certificate } from './cert/index.js';
import { DEFAULT_HARVEST_POLICY, type HarvestPolicy } from './policy.js';
import type { SignatureReport } from './types.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Reasons of a `warning` verdict that still allow harvesting, with the state they give (SEC-45c). */
const HARVESTABLE_WARNINGS: ReadonlySet<string> = new Set(['REVOCATION_UNKNOWN', 'REVOCATION_NOT_CHECKED']);

/** State of a stored correspondent certificate (mirrors the key store's record state). */
export type KnownCertificateState = 'active' | 'superseded' | 'revoked' | 'unverified-revocation' | 'needs-confirmation';

/** What the store already holds for the From address. */
export interface KnownCertificate {
  fingerprintSha256: string;
  /** DER. */
  certificate: Uint8Array;
  role: 'signing' | 'encryption' | 'both';
  state: KnownCertificateState;
  pinned: boolean;
  /** ISO time the certificate was first stored. */
  firstSeen: string;
  /** True when it was stored by harvesting (counts towards the rate limit). */
  harvested: boolean;
}

export interface HarvestInput {
  /** The verifier's report for the message. */
  report: SignatureReport;
  /** The From address of the message (the outer or protected From the verifier compared). */
  from: string;
  /** DER certificates of the CMS `certificates` field. */
  messageCertificates: Uint8Array[];
  /**
   * The certificate named by the signer's SMIMEEncryptionKeyPreference attribute, resolved from the
   * `certificates` field by the verifier, and whether its path validated (SEC-25..SEC-29).
   */
  encryptionKeyPreference?: { certificate: Uint8Array; pathValid: boolean } | null;
  /** Certificates already stored for `from`. */
  existing: KnownCertificate[];
  now: Date;
  crypto: Crypto;
  policy?: HarvestPolicy;
}

export type HarvestNoticeCode =
  /** SEC-48a: first certificate for this address (trust on first use); names issuer and fingerprint. */
  | 'FIRST_CERTIFICATE'
  /** SEC-46a: a newer certificate from the same issuer and key type is now preferred. */
  | 'NEW_CERTIFICATE_SAME_ISSUER'
  /** SEC-46d: the previous certificate is revoked; the new one is preferred. */
  | 'NEW_CERTIFICATE_PREVIOUS_REVOKED'
  /** SEC-46b: issuer or key type changed while the old one is valid; the user must confirm. */
  | 'CERTIFICATE_CHANGED'
  /** SEC-46e: the user pinned another certificate; the new one is kept but not used. */
  | 'PINNED_CERTIFICATE_KEPT'
  /** SEC-45f: the per-address daily limit was reached; nothing new stored. */
  | 'RATE_LIMITED';

export interface HarvestNotice {
  code: HarvestNoticeCode;
  address: string;
  fingerprintSha256: string;
  issuer: string;
  /** Fingerprint of the certificate it replaces or competes with, when there is one. */
  previousFingerprintSha256: string | null;
}

export interface HarvestStore {
  address: string;
  /** DER. */
  certificate: Uint8Array;
  fingerprintSha256: string;
  role: 'signing' | 'encryption' | 'both';
  state: KnownCertificateState;
}

export type HarvestSkipReason =
  | 'NOT_VALID'
  | 'WARNING_NOT_HARVESTABLE'
  | 'PARTIAL_SIGNATURE'
  | 'NO_SIGNER_CERTIFICATE'
  | 'SIGNER_NOT_FROM'
  | 'SELF_SIGNED'
  | 'NOT_USABLE'
  | 'PREFERENCE_NOT_IN_MESSAGE'
  | 'PREFERENCE_OTHER_ADDRESS'
  | 'PREFERENCE_NOT_VALID'
  | 'PREFERENCE_NOT_FOR_ENCRYPTION'
  | 'RATE_LIMITED';

export interface HarvestDecision {
  /** New certificates to store under `address` (always the From address, SEC-45e). */
  store: HarvestStore[];
  /** Already-known fingerprints seen again (update last-seen and provenance only). */
  seen: string[];
  /** Known fingerprints to mark superseded (SEC-46a). */
  supersede: string[];
  notices: HarvestNotice[];
  /** Why a certificate was not stored; empty when everything was. */
  skipped: { reason: HarvestSkipReason; fingerprintSha256: string | null }[];
}

function normaliseReason(reason: string): string {
  return reason.trim().replace(/[-\s]+/g, '_').toUpperCase();
}

async function fingerprint(crypto: Crypto, der: Uint8Array): Promise<string> {
  return toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', toArrayBuffer(der))));
}

function isSelfSigned(certificate: Certificate): boolean {
  return namesMatch(certificate.pkijs.subject, certificate.pkijs.issuer);
}

function keyType(certificate: Certificate): string {
  const key = describePublicKey(certificate.pkijs.subjectPublicKeyInfo);
  return key.curve ? `${key.algorithm}/${key.curve}` : key.algorithm;
}

function validAt(certificate: Certificate, now: Date): boolean {
  return certificate.pkijs.notBefore.value.getTime() <= now.getTime() && now.getTime() <= certificate.pkijs.notAfter.value.getTime();
}

/**
 * Decides what to store from one verified message (SEC-45, SEC-46, SEC-48).
 *
 * - Only `valid` verdicts, or `warning` whose reasons are all revocation-unknown (stored as
 *   `unverified-revocation`, to re-check before first use), that cover the whole message.
 * - Only the signer's certificate, only when it vouches for `from`, stored under `from` alone, and
 *   never a self-signed one (SEC-48b). Other certificates of the bag are ignored (SEC-45a).
 * - The SMIMEEncryptionKeyPreference certificate only when it is in the bag, validated, names `from`
 *   and may encrypt (SEC-45d).
 * - At most `maxNewCertificatesPerAddressPerDay` new harvested certificates per address (SEC-45f).
 * - A new certificate replaces the preferred one only when it is newer, valid, from the same issuer
 *   with the same key type, and the old one is not pinned; otherwise it needs confirmation (SEC-46).
 * @throws SmimeError `MALFORMED_CERTIFICATE` when a given certificate does not parse.
 */
export async function decideHarvest(input: HarvestInput): Promise<HarvestDecision> {
  const policy = input.policy ?? DEFAULT_HARVEST_POLICY;
  const decision: HarvestDecision = { store: [], seen: [], supersede: [], notices: [], skipped: [] };
  const skip = (reason: HarvestSkipReason, fingerprintSha256: string | null = null): HarvestDecision => {
    decision.skipped.push({ reason, fingerprintSha256 });
    return decision;
  };
  const { report } = input;
  const from = input.from.trim().toLowerCase();
  let state: KnownCertificateState = 'active';
  if (report.verdict === 'warning') {
    const reasons = report.reasons.map(normaliseReason);
    if (reasons.length === 0 || !reasons.every((reason) => HARVESTABLE_WARNINGS.has(reason))) return skip('WARNING_NOT_HARVESTABLE');
    state = 'unverified-revocation';
  } else if (report.verdict !== 'valid') {
    return skip('NOT_VALID');
  }
  if (!report.coversWholeMessage) return skip('PARTIAL_SIGNATURE');
  if (!report.signerCertificate) return skip('NO_SIGNER_CERTIFICATE');

  const signer = toCertificate(base64Decode(report.signerCertificate.der));
  const signerFingerprint = await fingerprint(input.crypto, signer.der);
  if (report.signer === null || report.signer.trim().toLowerCase() !== from || !certificateMatchesAddress(signer, from).matches) {
    return skip('SIGNER_NOT_FROM', signerFingerprint);
  }
  if (isSelfSigned(signer)) return skip('SELF_SIGNED', signerFingerprint);

  const signerCanEncrypt = assessCertificateForEncryption(signer).usable;
  const signerCanSign = assessCertificateForSigning(signer).usable;
  const candidates: { certificate: Certificate; fingerprintSha256: string; role: HarvestStore['role'] }[] = [];

  let preferred: { certificate: Certificate; fingerprintSha256: string } | null = null;
  if (input.encryptionKeyPreference) {
    const preference = toCertificate(input.encryptionKeyPreference.certificate);
    const preferenceFingerprint = await fingerprint(input.crypto, preference.der);
    if (preferenceFingerprint === signerFingerprint) {
      preferred = null;
    } else if (!input.messageCertificates.some((der) => bytesEqual(der, preference.der))) {
      skip('PREFERENCE_NOT_IN_MESSAGE', preferenceFingerprint);
    } else if (!certificateMatchesAddress(preference, from).matches) {
      skip('PREFERENCE_OTHER_ADDRESS', preferenceFingerprint);
    } else if (!input.encryptionKeyPreference.pathValid || !validAt(preference, input.now) || isSelfSigned(preference)) {
      skip('PREFERENCE_NOT_VALID', preferenceFingerprint);
    } else if (!assessCertificateForEncryption(preference).usable) {
      skip('PREFERENCE_NOT_FOR_ENCRYPTION', preferenceFingerprint);
    } else {
      preferred = { certificate: preference, fingerprintSha256: preferenceFingerprint };
    }
  }
  if (preferred) {
    if (signerCanSign) candidates.push({ certificate: signer, fingerprintSha256: signerFingerprint, role: 'signing' });
    candidates.push({ ...preferred, role: 'encryption' });
  } else if (signerCanEncrypt || signerCanSign) {
    candidates.push({ certificate: signer, fingerprintSha256: signerFingerprint, role: signerCanEncrypt && signerCanSign ? 'both' : signerCanEncrypt ? 'encryption' : 'signing' });
  } else {
    return skip('NOT_USABLE', signerFingerprint);
  }

  const dayStart = input.now.getTime() - DAY_MS;
  let newToday = input.existing.filter((known) => known.harvested && Date.parse(known.firstSeen) > dayStart).length;
  const firstForAddress = input.existing.length === 0;
  for (const candidate of candidates) {
    if (input.existing.some((known) => known.fingerprintSha256 === candidate.fingerprintSha256)) {
      decision.seen.push(candidate.fingerprintSha256);
      continue;
    }
    if (newToday >= policy.maxNewCertificatesPerAddressPerDay) {
      skip('RATE_LIMITED', candidate.fingerprintSha256);
      decision.notices.push(notice('RATE_LIMITED', from, candidate, null));
      continue;
    }
    newToday += 1;
    const placed = placeCandidate(candidate, state, input.existing, input.now);
    decision.store.push({ address: from, certificate: candidate.certificate.der, fingerprintSha256: candidate.fingerprintSha256, role: candidate.role, state: placed.state });
    decision.supersede.push(...placed.supersede);
    if (firstForAddress) decision.notices.push(notice('FIRST_CERTIFICATE', from, candidate, null));
    else if (placed.notice) decision.notices.push(notice(placed.notice, from, candidate, placed.previous));
  }
  return decision;
}

function notice(code: HarvestNoticeCode, address: string, candidate: { certificate: Certificate; fingerprintSha256: string }, previous: string | null): HarvestNotice {
  return { code, address, fingerprintSha256: candidate.fingerprintSha256, issuer: formatName(candidate.certificate.pkijs.issuer), previousFingerprintSha256: previous };
}

function overlaps(a: HarvestStore['role'], b: HarvestStore['role']): boolean {
  return a === 'both' || b === 'both' || a === b;
}

/** SEC-46: where a new certificate goes relative to the preferred one of the same role. */
function placeCandidate(
  candidate: { certificate: Certificate; fingerprintSha256: string; role: HarvestStore['role'] },
  state: KnownCertificateState,
  existing: KnownCertificate[],
  now: Date,
): { state: KnownCertificateState; supersede: string[]; notice: HarvestNoticeCode | null; previous: string | null } {
  const rivals = existing
    .filter((known) => overlaps(known.role, candidate.role) && (known.state === 'active' || known.state === 'unverified-revocation' || known.state === 'revoked'))
    .map((known) => ({ known, certificate: toCertificate(known.certificate) }))
    .sort((a, b) => Number(b.known.pinned) - Number(a.known.pinned) || b.certificate.pkijs.notBefore.value.getTime() - a.certificate.pkijs.notBefore.value.getTime());
  const incumbent = rivals[0];
  if (!incumbent) return { state, supersede: [], notice: null, previous: null };
  const previous = incumbent.known.fingerprintSha256;
  const newer = candidate.certificate.pkijs.notBefore.value.getTime() > incumbent.certificate.pkijs.notBefore.value.getTime();
  if (!validAt(candidate.certificate, now) || (!newer && incumbent.known.state !== 'revoked')) {
    // SEC-46c: an older or expired certificate is history, never the preferred one.
    return { state: 'superseded', supersede: [], notice: null, previous };
  }
  if (incumbent.known.pinned) return { state: 'needs-confirmation', supersede: [], notice: 'PINNED_CERTIFICATE_KEPT', previous };
  const supersede = rivals.filter((r) => !r.known.pinned && r.known.state !== 'revoked').map((r) => r.known.fingerprintSha256);
  if (incumbent.known.state === 'revoked') return { state, supersede, notice: 'NEW_CERTIFICATE_PREVIOUS_REVOKED', previous };
  const sameIssuer = namesMatch(candidate.certificate.pkijs.issuer, incumbent.certificate.pkijs.issuer);
  const sameKeyType = keyType(candidate.certificate) === keyType(incumbent.certificate);
  if ((!sameIssuer || !sameKeyType) && validAt(incumbent.certificate, now)) {
    return { state: 'needs-confirmation', supersede: [], notice: 'CERTIFICATE_CHANGED', previous };
  }
  return { state, supersede, notice: sameIssuer ? 'NEW_CERTIFICATE_SAME_ISSUER' : 'CERTIFICATE_CHANGED', previous };
}

/** Where a candidate recipient certificate came from; `pinned` is the user's explicit choice. */
export type RecipientCertificateSource = 'directory' | 'harvested' | 'imported' | 'pinned';

export interface RecipientCandidate {
  /** DER. */
  certificate: Uint8Array;
  source: RecipientCertificateSource;
  /** The path validation outcome (SEC-25..SEC-29) computed by the caller: valid chain, not revoked. */
  pathValid: boolean;
  /** Stored state, for harvested and imported entries. */
  state?: KnownCertificateState;
}

export type RecipientRejection =
  | 'PATH_NOT_VALID'
  | 'ADDRESS_MISMATCH'
  | 'NOT_FOR_ENCRYPTION'
  | 'EXPIRED'
  | 'NOT_YET_VALID'
  | 'SUPERSEDED'
  | 'REVOKED'
  | 'NEEDS_CONFIRMATION';

export type SelectionNote =
  /** SEC-47a/e: a directory certificate was found but is not usable; another source was used. */
  | 'DIRECTORY_CERTIFICATE_UNUSABLE'
  /** SEC-47e: the directory could not be asked; the certificate comes from harvested mail. */
  | 'DIRECTORY_UNREACHABLE'
  /** The pinned certificate is not usable any more; another was chosen. */
  | 'PINNED_CERTIFICATE_UNUSABLE'
  /** SEC-45c: the revocation status was never verified; re-check before use. */
  | 'REVOCATION_UNVERIFIED';

export interface RecipientSelection {
  address: string;
  chosen: { certificate: Uint8Array; source: RecipientCertificateSource; fingerprintSha256: string } | null;
  notes: SelectionNote[];
  /** Every candidate not chosen for being unusable, with why. */
  rejected: { fingerprintSha256: string; source: RecipientCertificateSource; reasons: RecipientRejection[] }[];
  /** SEC-47f: harvested entries to mark superseded because a usable directory certificate differs. */
  supersede: string[];
}

export interface SelectRecipientOptions {
  now: Date;
  crypto: Crypto;
  /** Whether the directory answered for this address (SEC-47e). */
  directory?: 'answered' | 'unreachable' | 'not-configured';
}

function rejectionsOf(candidate: RecipientCandidate, certificate: Certificate, address: string, now: Date): RecipientRejection[] {
  const reasons: RecipientRejection[] = [];
  if (!candidate.pathValid) reasons.push('PATH_NOT_VALID');
  if (!certificateMatchesAddress(certificate, address).matches) reasons.push('ADDRESS_MISMATCH');
  if (!assessCertificateForEncryption(certificate).usable) reasons.push('NOT_FOR_ENCRYPTION');
  if (now.getTime() > certificate.pkijs.notAfter.value.getTime()) reasons.push('EXPIRED');
  if (now.getTime() < certificate.pkijs.notBefore.value.getTime()) reasons.push('NOT_YET_VALID');
  if (candidate.source !== 'pinned' && candidate.source !== 'directory') {
    if (candidate.state === 'superseded') reasons.push('SUPERSEDED');
    if (candidate.state === 'needs-confirmation') reasons.push('NEEDS_CONFIRMATION');
  }
  if (candidate.state === 'revoked') reasons.push('REVOKED');
  return reasons;
}

const SOURCE_RANK: Record<RecipientCertificateSource, number> = { pinned: 0, directory: 1, harvested: 2, imported: 2 };

/**
 * Chooses the certificate to encrypt to for `address` (SEC-47b): a usable pinned certificate, else
 * the best usable directory certificate, else the newest usable harvested or imported one. Usable
 * means: path valid, names the address, may encrypt, inside its validity, and not superseded,
 * revoked or awaiting confirmation. Among equals the newest notBefore wins. An unusable directory
 * certificate never blocks a usable one from elsewhere; `notes` says so.
 * @throws SmimeError `MALFORMED_CERTIFICATE` when a candidate does not parse.
 */
export async function selectRecipientCertificate(address: string, candidates: RecipientCandidate[], options: SelectRecipientOptions): Promise<RecipientSelection> {
  const target = address.trim().toLowerCase();
  const assessed = await Promise.all(
    candidates.map(async (candidate) => {
      const certificate = toCertificate(candidate.certificate);
      return {
        candidate,
        certificate,
        fingerprintSha256: await fingerprint(options.crypto, certificate.der),
        reasons: rejectionsOf(candidate, certificate, target, options.now),
      };
    }),
  );
  const usable = assessed
    .filter((entry) => entry.reasons.length === 0)
    .sort((a, b) => SOURCE_RANK[a.candidate.source] - SOURCE_RANK[b.candidate.source] || b.certificate.pkijs.notBefore.value.getTime() - a.certificate.pkijs.notBefore.value.getTime());
  const best = usable[0];
  const notes: SelectionNote[] = [];
  if (assessed.some((e) => e.candidate.source === 'pinned' && e.reasons.length > 0) && best?.candidate.source !== 'pinned') notes.push('PINNED_CERTIFICATE_UNUSABLE');
  if (!best || SOURCE_RANK[best.candidate.source] > SOURCE_RANK.directory) {
    // With nothing usable, the user still learns that the directory might have had one (SEC-47e).
    if (assessed.some((e) => e.candidate.source === 'directory')) notes.push('DIRECTORY_CERTIFICATE_UNUSABLE');
    else if (options.directory === 'unreachable') notes.push('DIRECTORY_UNREACHABLE');
  }
  if (best?.candidate.state === 'unverified-revocation') notes.push('REVOCATION_UNVERIFIED');
  const supersede =
    best?.candidate.source === 'directory'
      ? assessed.filter((e) => e.candidate.source === 'harvested' && e.fingerprintSha256 !== best.fingerprintSha256 && e.candidate.state !== 'superseded').map((e) => e.fingerprintSha256)
      : [];
  return {
    address: target,
    chosen: best ? { certificate: best.certificate.der, source: best.candidate.source, fingerprintSha256: best.fingerprintSha256 } : null,
    notes,
    rejected: assessed.filter((e) => e.reasons.length > 0).map((e) => ({ fingerprintSha256: e.fingerprintSha256, source: e.candidate.source, reasons: e.reasons })),
    supersede,
  };
}
