/**
 * Turns the engine's MessageReport into the one status the banner, the toolbar and the popup show
 * (features.md (d), security.md §0.1). Pure: no extension APIs, so the mapping is unit-tested alone.
 *
 * Priorities: when a signature has several problems the banner names the one that matters most to the
 * reader — content changed first, then a different signer, then weak cryptography, revocation and
 * expiry, then trust. Unknown reason codes never improve a state: the engine already counts them as
 * invalid, and so do we.
 */
import type { CertificateSummary, EncryptionReport, MessageReport, ProtectedAddressees, RecipientIdentifier, SignatureReport } from '../../crypto/index.js';
import type { CertificateView, ContinuityNotice, DisplayStatus, EncryptionState, RecipientView, SignatureState, Tone } from '../../shared/read-protocol.js';

/** The user's identities, for "which of your certificates was this encrypted to" (SEC-47 / cannot decrypt). */
export interface OwnIdentity {
  fingerprintSha256: string;
  subject: string;
  issuer: string;
  serialNumberHex: string;
  subjectKeyIdentifierHex: string | null;
  /** The newest identity for its address (an older key is "not current"). */
  current: boolean;
}

export interface DisplayStatusInput {
  messageId: number;
  report: MessageReport;
  from: string | null;
  now: Date;
  /** The key store is locked, so an encrypted message was tried with no keys. */
  locked: boolean;
  identities: readonly OwnIdentity[];
  /** The signer's certificate is also in the user's people store. */
  signerKnown: boolean;
  continuity: ContinuityNotice | null;
  /**
   * The user's own addresses (Thunderbird's account identities and the key store's identities, lower-case),
   * for SEC-22. Empty or absent: nobody to compare with, so no not-addressed-to-you judgement.
   */
  ownAddresses?: readonly string[];
}

const MODIFIED = new Set(['DIGEST_MISMATCH', 'BAD_SIGNATURE', 'SIGNED_ATTRS_MESSAGE_DIGEST', 'INTEGRITY_CHECK_FAILED', 'ECONTENT_MISSING']);
const NOT_SENDER = new Set(['FROM_MISMATCH', 'FROM_AMBIGUOUS', 'NO_ADDRESS_IN_CERT']);
const WEAK = new Set(['WEAK_HASH', 'WEAK_KEY', 'KEY_SIZE', 'UNSUPPORTED_ALGORITHM', 'ALG_MISMATCH']);
const NONE_BUT_SIGNED = new Set(['NO_SIGNER', 'MALFORMED', 'LIMIT_EXCEEDED', 'UNSUPPORTED_CONTENT', 'MALFORMED_CMS']);

/** The signature's state, or null for unsigned mail (which shows no banner). */
export function signatureStateOf(signature: SignatureReport, now: Date): SignatureState | null {
  const reasons = new Set(signature.reasons);
  if (signature.verdict === 'none') {
    // A message that is simply unsigned says NOT_SIGNED; anything else means a signature was there but
    // could not be processed (features.md S3), which the reader must not mistake for "unsigned".
    if (reasons.has('NOT_SIGNED') || ![...reasons].some((r) => NONE_BUT_SIGNED.has(r))) return null;
    return signature.form === null && !reasons.has('NO_SIGNER') ? null : 'unreadable';
  }
  if (signature.verdict === 'valid') return 'valid';
  const has = (set: ReadonlySet<string>): boolean => [...reasons].some((r) => set.has(r));
  if (has(MODIFIED)) return 'modified';
  if (has(NOT_SENDER)) return 'not-sender';
  if (has(WEAK)) return 'weak-algorithm';
  if (reasons.has('REVOKED')) return 'revoked';
  if (isExpiredBeforeNow(signature, reasons, now)) return 'expired';
  if (signature.verdict === 'invalid' && !reasons.has('UNTRUSTED') && !reasons.has('NO_PATH')) return 'invalid';
  if (reasons.has('UNTRUSTED') || reasons.has('NO_PATH')) return 'unknown-ca';
  if (reasons.has('EXPIRED_SINCE_SIGNING')) return 'expired-since-signing';
  if (reasons.has('PARTIAL')) return 'partial';
  return signature.verdict === 'invalid' ? 'invalid' : 'warning';
}

/**
 * Expired before it signed (or with no usable signing time): the path fails as UNTRUSTED at `now`
 * with a leaf past its notAfter, or the signing time lies outside the certificate's validity. Expired
 * only since signing is EXPIRED_SINCE_SIGNING, a warning (SEC-28a).
 */
function isExpiredBeforeNow(signature: SignatureReport, reasons: ReadonlySet<string>, now: Date): boolean {
  if (reasons.has('EXPIRED_SINCE_SIGNING')) return false;
  if (reasons.has('SIGNING_TIME_OUTSIDE_VALIDITY')) return true;
  const notAfter = signature.signerCertificate ? Date.parse(signature.signerCertificate.notAfter) : NaN;
  return (reasons.has('UNTRUSTED') || reasons.has('EXPIRED')) && Number.isFinite(notAfter) && notAfter < now.getTime();
}

/**
 * The encryption's state. A message that failed while the key store was locked is `locked` (unlock to
 * read) when one of the user's identities holds a key it was encrypted to, or when the engine did not
 * get as far as listing recipients; otherwise no key of the user's fits and it is `cannot-decrypt`.
 */
export function encryptionStateOf(encryption: EncryptionReport, locked: boolean, hasMatchingIdentity: boolean): EncryptionState | null {
  switch (encryption.verdict) {
    case 'none':
      return null;
    case 'authenticated':
      return 'authenticated';
    case 'unauthenticated':
      return 'unauthenticated';
    case 'failed':
      if (!locked) return 'cannot-decrypt';
      return hasMatchingIdentity || encryption.recipients.length === 0 ? 'locked' : 'cannot-decrypt';
  }
}

const SIGNATURE_TONE: Record<SignatureState, Tone> = {
  valid: 'ok',
  'unknown-ca': 'warn',
  'not-sender': 'bad',
  'expired-since-signing': 'warn',
  expired: 'bad',
  revoked: 'bad',
  modified: 'bad',
  'weak-algorithm': 'bad',
  partial: 'warn',
  'not-addressed-to-you': 'warn',
  invalid: 'bad',
  warning: 'warn',
  unreadable: 'bad',
};

const ENCRYPTION_TONE: Record<EncryptionState, Tone> = {
  authenticated: 'ok',
  unauthenticated: 'warn',
  'cannot-decrypt': 'bad',
  locked: 'action',
};

const TONE_RANK: Record<Tone, number> = { info: 0, ok: 1, action: 2, warn: 3, bad: 4 };

function worse(a: Tone, b: Tone): Tone {
  return TONE_RANK[a] >= TONE_RANK[b] ? a : b;
}

export function certificateView(summary: CertificateSummary): CertificateView {
  return {
    subject: summary.subject,
    issuer: summary.issuer,
    serialNumberHex: summary.serialNumberHex,
    notBefore: summary.notBefore,
    notAfter: summary.notAfter,
    fingerprintSha256: summary.fingerprintSha256,
    emailAddresses: summary.emailAddresses,
  };
}

/** Names a recipient and says whether one of the user's identities (an old one too) holds its key. */
export function recipientView(recipient: RecipientIdentifier, identities: readonly OwnIdentity[]): RecipientView {
  const match = identities.find((identity) => recipientMatches(recipient, identity)) ?? null;
  let description: string;
  if (recipient.kind === 'issuerAndSerialNumber') description = `${recipient.issuer ?? '?'}, serial ${recipient.serialNumberHex ?? '?'}`;
  else if (recipient.kind === 'subjectKeyIdentifier') description = `key identifier ${recipient.subjectKeyIdentifierHex ?? '?'}`;
  else description = recipient.kind;
  return { description, matchingIdentity: match ? { fingerprintSha256: match.fingerprintSha256, subject: match.subject, current: match.current } : null };
}

function recipientMatches(recipient: RecipientIdentifier, identity: OwnIdentity): boolean {
  const norm = (hex: string | undefined | null): string => (hex ?? '').toLowerCase().replace(/^0+/, '');
  if (recipient.kind === 'issuerAndSerialNumber') {
    return sameName(recipient.issuer ?? '', identity.issuer) && norm(recipient.serialNumberHex) === norm(identity.serialNumberHex) && norm(identity.serialNumberHex) !== '';
  }
  if (recipient.kind === 'subjectKeyIdentifier') {
    return identity.subjectKeyIdentifierHex !== null && norm(recipient.subjectKeyIdentifierHex) === norm(identity.subjectKeyIdentifierHex);
  }
  return false;
}

/**
 * Distinguished names as text may list their RDNs in either order (RFC 4514 writes them reversed);
 * the same set of attribute=value pairs is the same name here.
 */
function sameName(a: string, b: string): boolean {
  const parts = (name: string): string => name.split(/\s*,\s*/).map((p) => p.trim().toLowerCase()).sort().join(',');
  return a !== '' && parts(a) === parts(b);
}

/**
 * SEC-22 surreptitious forwarding: does the signed content name addressees, none of them the user?
 * Bcc counts as addressed (RFC 9788 keeps a Bcc recipient's own copy's Bcc); a signed entity that names
 * nobody, or no known own address, gives nothing to judge.
 */
export function isNotAddressedToUser(addressees: ProtectedAddressees | null, ownAddresses: readonly string[]): boolean {
  // A list cut at the limit or with a value that did not parse may name the user further on: not judged.
  if (!addressees || !addressees.complete || ownAddresses.length === 0) return false;
  const named = [...addressees.to, ...addressees.cc, ...addressees.bcc];
  if (named.length === 0) return false;
  const own = new Set(ownAddresses.map((address) => address.trim().toLowerCase()));
  return !named.some((address) => own.has(address));
}

/** The status for one displayed message. */
export function decideDisplayStatus(input: DisplayStatusInput): DisplayStatus {
  const { report } = input;
  const protectedAddressees = report.protectedAddressees ?? null;
  const notAddressedToYou = isNotAddressedToUser(protectedAddressees, input.ownAddresses ?? []);
  let signature = signatureStateOf(report.signature, input.now);
  // A valid signature on a message the signer wrote to someone else is a WARN, never a silent OK (SEC-22);
  // a worse state keeps its own headline, and the banner adds the not-addressed-to-you line.
  if (notAddressedToYou && signature === 'valid') signature = 'not-addressed-to-you';
  const recipients = report.encryption.recipients.map((r) => recipientView(r, input.identities));
  const encryption = encryptionStateOf(report.encryption, input.locked, recipients.some((r) => r.matchingIdentity !== null));
  let tone: Tone = 'info';
  if (signature) tone = worse(tone, SIGNATURE_TONE[signature]);
  if (signature && notAddressedToYou) tone = worse(tone, 'warn');
  if (encryption) tone = worse(tone, ENCRYPTION_TONE[encryption]);
  const signed = signature !== null;
  return {
    messageId: input.messageId,
    signature,
    encryption,
    tone,
    signer: signed ? report.signature.signer : null,
    from: input.from,
    reasons: [...report.signature.reasons, ...report.encryption.reasons],
    signerCertificate: signed && report.signature.signerCertificate ? certificateView(report.signature.signerCertificate) : null,
    chain: signed ? report.signature.chain.map(certificateView) : [],
    signingTime: signed ? report.signature.signingTime : null,
    digestAlgorithm: signed ? report.signature.digestAlgorithm : null,
    signatureAlgorithm: signed ? report.signature.signatureAlgorithm : null,
    contentEncryption: report.encryption.contentEncryption,
    recipients: encryption === 'cannot-decrypt' || encryption === 'locked' ? recipients : [],
    certificateSource: signed && report.signature.signerCertificate ? (input.signerKnown ? 'message-and-store' : 'message') : null,
    continuity: signature === 'valid' ? input.continuity : null,
    checkedAt: input.now.toISOString(),
    decryptedViewAvailable: encryption === 'authenticated' || encryption === 'unauthenticated',
    protectedAddressees: signed && protectedAddressees ? { to: protectedAddressees.to, cc: protectedAddressees.cc } : null,
    notAddressedToYou: signed && notAddressedToYou,
  };
}
