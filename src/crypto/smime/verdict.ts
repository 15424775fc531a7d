/**
 * Reason codes of signature reports and how each one weighs on the verdict (security.md §0.1):
 * SIGNED_INVALID → 'invalid', SIGNED_WARN → 'warning', NOT_SIGNED/ERROR → 'none'.
 */
import type { SignatureVerdict } from '../types.js';

/** Reasons that mean "no signature counts for this message" (NOT_SIGNED / ERROR). */
const NONE_REASONS: ReadonlySet<string> = new Set([
  'NOT_SIGNED', // no signature layer at the MIME root
  'NO_SIGNER', // SEC-10: SignedData without SignerInfo
  'MALFORMED', // ERROR: the message or its CMS cannot be parsed
  'LIMIT_EXCEEDED', // ERROR: over a parser limit (SEC-31..33)
  'UNSUPPORTED_CONTENT', // ERROR: a signature layer we cannot process
]);

/** Reasons that reduce trust but keep a cryptographically sound signature (SIGNED_WARN). */
const WARNING_REASONS: ReadonlySet<string> = new Set([
  'PARTIAL', // SEC-13: only a part of the message is signed
  'NESTED', // SEC-16: more than one signature layer
  'OLD_SIGNATURE', // SEC-18b: signing-time long before the Date header
  'EXPIRED_SINCE_SIGNING', // SEC-28a: valid when signed, expired now
  'REVOCATION_UNKNOWN', // SEC-29: no revocation information (soft-fail by default)
  'NO_ADDRESS_IN_CERT', // SEC-27e: the certificate names no mailbox
]);

/**
 * Every other reason is SIGNED_INVALID, including codes this table does not know: an unknown reason must
 * never let a message through as valid.
 */
export function reasonSeverity(reason: string): SignatureVerdict {
  if (NONE_REASONS.has(reason)) return 'none';
  if (WARNING_REASONS.has(reason)) return 'warning';
  return 'invalid';
}

/**
 * The verdict for a set of reasons. A "none" reason wins (nothing was verified, so nothing may be shown
 * as signed); then invalid; then warning; no reason at all is valid.
 */
export function verdictFor(reasons: readonly string[]): SignatureVerdict {
  const severities = new Set(reasons.map(reasonSeverity));
  if (severities.has('none')) return 'none';
  if (severities.has('invalid')) return 'invalid';
  if (severities.has('warning')) return 'warning';
  return 'valid';
}
