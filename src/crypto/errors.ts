/**
 * Typed operation failures of the engine (STYLE §4).
 *
 * Outcomes the user sees (a bad signature, a missing certificate) are values in reports, never errors.
 * `SmimeError` is for operations that cannot produce a result: malformed input, a limit, a wrong password.
 * Codes are stable strings; the UI localises them as `error_<CODE>`.
 */
export type SmimeErrorCode =
  // limits (SEC-31..SEC-33)
  | 'LIMIT_EXCEEDED'
  // malformed input
  | 'MALFORMED_MIME'
  | 'MALFORMED_ASN1'
  | 'MALFORMED_CMS'
  | 'MALFORMED_CERTIFICATE'
  | 'MALFORMED_PEM'
  // algorithms
  | 'UNSUPPORTED_ALGORITHM'
  | 'UNSUPPORTED_CONTENT'
  // decryption
  | 'DECRYPTION_FAILED'
  | 'NO_MATCHING_RECIPIENT'
  | 'INTEGRITY_CHECK_FAILED'
  // encryption / signing
  | 'NO_RECIPIENTS'
  | 'CERTIFICATE_NOT_USABLE'
  | 'KEY_MISMATCH'
  // PKCS#12
  | 'PKCS12_WRONG_PASSWORD'
  | 'PKCS12_DAMAGED'
  | 'PKCS12_UNSUPPORTED_ALGORITHM'
  | 'PKCS12_NO_PRIVATE_KEY'
  | 'PKCS12_KEY_CERT_MISMATCH'
  | 'PKCS12_CERT_NOT_FOR_EMAIL'
  | 'PKCS12_NO_CERTIFICATE'
  // key store
  | 'KEYSTORE_LOCKED'
  | 'KEYSTORE_WRONG_PASSPHRASE'
  | 'KEYSTORE_RATE_LIMITED'
  | 'KEYSTORE_WEAK_PASSPHRASE'
  | 'KEYSTORE_DAMAGED_RECORD'
  | 'KEYSTORE_NOT_INITIALISED'
  | 'KEYSTORE_NOT_FOUND'
  /** Reading: the message is not decrypted (locked, no matching key) or has no such part. */
  | 'MESSAGE_NOT_DECRYPTED'
  // directory lookup and managed configuration (#9)
  | 'DIRECTORY_CONFIG_INVALID'
  | 'DIRECTORY_UNREACHABLE'
  | 'MANAGED_CONFIG_INVALID'
  /** The administrator locked this setting (managed configuration, #9); the user cannot change it. */
  | 'SETTING_LOCKED'
  | 'INTERNAL_ERROR';

export class SmimeError extends Error {
  override readonly name = 'SmimeError';
  readonly code: SmimeErrorCode;
  /** Structured detail safe to show or log (never key material or plaintext). */
  readonly detail: Readonly<Record<string, unknown>> | undefined;

  constructor(code: SmimeErrorCode, message: string, options?: { cause?: unknown; detail?: Record<string, unknown> }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.detail = options?.detail;
  }
}

/** A resource limit was hit (size, depth, count, time). Subclass so callers can tell limits apart (SEC-31..33). */
export class LimitError extends SmimeError {
  readonly limit: string;
  constructor(limit: string, message: string, options?: { cause?: unknown; detail?: Record<string, unknown> }) {
    super('LIMIT_EXCEEDED', message, options);
    this.limit = limit;
  }
}

export function isSmimeError(value: unknown): value is SmimeError {
  return value instanceof SmimeError;
}
