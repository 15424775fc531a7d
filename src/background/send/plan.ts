/**
 * Decides what a send will do from the user's choices, the recipients' certificates and the user's
 * own certificates: which blockers stop it, and what the hook is armed with. Pure, so every rule
 * below is unit-tested without Thunderbird.
 *
 * Rules (issue #6; SEC-07, SEC-49; features.md O1–O8):
 * - Encryption goes to every recipient plus the sender (SEC-06), or the send stops: a recipient
 *   without a usable certificate blocks it, naming them (SEC-49a). Only an explicit "send
 *   unencrypted" from the user lifts that, and never when the identity requires encryption.
 * - Encrypted mail with Bcc recipients is refused: one EnvelopedData would show every Bcc
 *   recipient's RecipientInfo to everyone (SEC-49b; docs/decisions.md "Bcc and encryption").
 * - Signing needs the user's own valid signing certificate (O1, O2); encrypting needs their own
 *   encryption certificate so the Sent copy stays readable (O3).
 * - The organisation's `allowedContentEncryption` (#9) decides the content-encryption algorithm: the
 *   first allowed one every recipient can decrypt. If none fits, the send stops naming the recipients
 *   that cannot take any allowed algorithm; Waxseal never falls back to a forbidden one.
 */
import { OID } from '../../crypto/index.js';
import type { OwnCertificateProblem, OwnIdentityView, RecipientProblem, SendBlocker } from '../../shared/compose-protocol.js';
import type { ContentEncryptionAlgorithm } from '../policy/managed-config.js';
import type { ResolvedRecipient } from './recipients.js';

/** One of the user's own certificates, public part only. */
export interface OwnCertificate {
  identityId: string;
  certificate: Uint8Array;
  chain: readonly Uint8Array[];
  notBefore: string;
  notAfter: string;
}

export interface SendChoices {
  sign: boolean;
  encrypt: boolean;
  allowUnencrypted: boolean;
  requireEncryption: boolean;
}

export interface PlanInput {
  choices: SendChoices;
  address: string;
  recipients: readonly ResolvedRecipient[];
  ownSigning: OwnCertificate | null;
  ownEncryption: OwnCertificate | null;
  now: Date;
  /** The organisation's allowed content-encryption algorithms in order of preference (#9); absent = the engine's choice. */
  allowedContentEncryption?: readonly ContentEncryptionAlgorithm[];
}

export interface SendPlan {
  blockers: SendBlocker[];
  /** What the hook does when nothing blocks; both false means Waxseal leaves the message alone. */
  sign: boolean;
  encrypt: boolean;
  /** Every recipient has a usable certificate (O5). */
  encryptionPossible: boolean;
  own: OwnIdentityView;
  /** The content-encryption algorithm the policy requires for this message; absent = the engine's choice (SEC-06). */
  contentEncryption?: ContentEncryptionAlgorithm;
}

/** Own certificate expiry warning window in days (features.md O8). */
export const OWN_EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 86_400_000;

function validity(own: OwnCertificate | null, now: Date): 'missing' | 'expired' | 'not-yet-valid' | 'valid' {
  if (!own) return 'missing';
  if (now.getTime() > Date.parse(own.notAfter)) return 'expired';
  if (now.getTime() < Date.parse(own.notBefore)) return 'not-yet-valid';
  return 'valid';
}

function recipientBlockerCode(problem: RecipientProblem): Extract<SendBlocker, { addresses: string[] }>['code'] {
  switch (problem) {
    case 'missing':
      return 'RECIPIENT_CERTIFICATE_MISSING';
    case 'expired':
    case 'not-yet-valid':
      return 'RECIPIENT_CERTIFICATE_EXPIRED';
    case 'revoked':
      return 'RECIPIENT_CERTIFICATE_REVOKED';
    default:
      return 'RECIPIENT_CERTIFICATE_UNTRUSTED';
  }
}

/** The worst problem of a recipient decides which list it is named in. */
const PROBLEM_ORDER: readonly RecipientProblem[] = ['revoked', 'expired', 'not-yet-valid', 'untrusted', 'needs-confirmation', 'not-for-encryption', 'address-mismatch', 'missing'];

function worstProblem(problems: readonly RecipientProblem[]): RecipientProblem {
  return PROBLEM_ORDER.find((p) => problems.includes(p)) ?? 'missing';
}

export function ownIdentityView(address: string, ownSigning: OwnCertificate | null, ownEncryption: OwnCertificate | null, now: Date): OwnIdentityView {
  const problems: OwnCertificateProblem[] = [];
  const signing = validity(ownSigning, now);
  if (signing !== 'valid') problems.push(signing);
  if (validity(ownEncryption, now) !== 'valid' && signing === 'valid') problems.push('no-encryption-certificate');
  let expiresInDays: number | null = null;
  if (ownSigning && signing === 'valid') {
    const days = Math.floor((Date.parse(ownSigning.notAfter) - now.getTime()) / DAY_MS);
    if (days <= OWN_EXPIRY_WARNING_DAYS) expiresInDays = days;
  }
  return { address, problems, expiresInDays };
}

const CIPHER_OID: Record<ContentEncryptionAlgorithm, string> = {
  'AES-256-GCM': OID.aes256Gcm,
  'AES-128-GCM': OID.aes128Gcm,
  'AES-256-CBC': OID.aes256Cbc,
  'AES-128-CBC': OID.aes128Cbc,
};
const KNOWN_CIPHER_OIDS = new Set(Object.values(CIPHER_OID));

/**
 * Whether a recipient can decrypt `algorithm`, judged from the SMIMECapabilities it announced
 * (RFC 8551 §2.7.1). GCM only when announced (SEC-06: AuthEnvelopedData is not widely readable); CBC
 * also when no content cipher is known for the recipient (RFC 8551 §2.7: AES-128-CBC and
 * AES-256-CBC are the ciphers every S/MIME 4.0 agent must read).
 */
export function recipientAccepts(capabilities: readonly string[] | undefined, algorithm: ContentEncryptionAlgorithm): boolean {
  const oid = CIPHER_OID[algorithm];
  if (capabilities?.includes(oid)) return true;
  if (algorithm.endsWith('-GCM')) return false;
  return !capabilities?.some((c) => KNOWN_CIPHER_OIDS.has(c));
}

/**
 * The first allowed algorithm every recipient accepts (the sender's own copy is decrypted by Waxseal,
 * which reads all of them), or the recipients that accept none of the allowed ones.
 */
export function chooseAllowedContentEncryption(
  allowed: readonly ContentEncryptionAlgorithm[],
  recipients: readonly { capabilities: readonly string[] | undefined; view: { address: string } }[],
): { algorithm: ContentEncryptionAlgorithm } | { refusedBy: string[] } {
  const algorithm = allowed.find((a) => recipients.every((r) => recipientAccepts(r.capabilities, a)));
  if (algorithm) return { algorithm };
  const refusedBy = recipients.filter((r) => !allowed.some((a) => recipientAccepts(r.capabilities, a))).map((r) => r.view.address);
  // Each recipient accepts some allowed algorithm, but no single one fits all of them.
  return { refusedBy: refusedBy.length > 0 ? refusedBy : recipients.map((r) => r.view.address) };
}

export function planSend(input: PlanInput): SendPlan {
  const { choices, recipients, now } = input;
  const blockers: SendBlocker[] = [];
  const own = ownIdentityView(input.address, input.ownSigning, input.ownEncryption, now);
  const encryptionPossible = recipients.length > 0 && recipients.every((r) => r.certificate !== null);
  const wantsEncryption = choices.encrypt || choices.requireEncryption;
  let encrypt = wantsEncryption;
  let contentEncryption: ContentEncryptionAlgorithm | undefined;

  if (wantsEncryption) {
    const byCode = new Map<string, string[]>();
    for (const recipient of recipients) {
      if (recipient.certificate) continue;
      const code = recipientBlockerCode(worstProblem(recipient.view.problems));
      byCode.set(code, [...(byCode.get(code) ?? []), recipient.view.address]);
    }
    const agreedToPlain = byCode.size > 0 && choices.allowUnencrypted && !choices.requireEncryption;
    if (agreedToPlain) {
      encrypt = false;
    } else {
      for (const [code, addresses] of byCode) blockers.push({ code, addresses } as SendBlocker);
      if (recipients.length === 0) blockers.push({ code: 'NO_RECIPIENTS' });
    }
    const bcc = recipients.filter((r) => r.view.field === 'bcc').map((r) => r.view.address);
    if (encrypt && bcc.length > 0) blockers.push({ code: 'BCC_WITH_ENCRYPTION', addresses: bcc });
    if (encrypt && input.allowedContentEncryption) {
      const withCertificate = recipients.filter((r) => r.certificate !== null);
      const choice = chooseAllowedContentEncryption(input.allowedContentEncryption, withCertificate);
      if ('algorithm' in choice) contentEncryption = choice.algorithm;
      else blockers.push({ code: 'CONTENT_ENCRYPTION_NOT_ALLOWED', addresses: choice.refusedBy });
    }
    if (encrypt) {
      const mine = validity(input.ownEncryption, now);
      if (mine === 'missing') blockers.push({ code: 'OWN_CERTIFICATE_MISSING' });
      else if (mine !== 'valid') blockers.push({ code: 'OWN_CERTIFICATE_EXPIRED' });
    }
  }
  if (choices.sign) {
    const mine = validity(input.ownSigning, now);
    const code = mine === 'missing' ? 'OWN_CERTIFICATE_MISSING' : mine === 'valid' ? null : 'OWN_CERTIFICATE_EXPIRED';
    if (code && !blockers.some((b) => b.code === code)) blockers.push({ code });
  }
  return { blockers, sign: choices.sign, encrypt, encryptionPossible, own, ...(encrypt && contentEncryption ? { contentEncryption } : {}) };
}
