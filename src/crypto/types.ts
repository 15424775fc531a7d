/**
 * The engine's report types: the contract between the engine, the background, the UI and the CLI.
 * Plain, structured-clonable data only (STYLE §5): no class instances, dates as ISO strings.
 */

/** One check in a report, as in STYLE §3: `{code, ok, detail}`. */
export interface Check {
  code: string;
  ok: boolean;
  detail?: string;
}

/** Signature verdict of a whole message (security.md §0.1, collapsed to four values for the UI). */
export type SignatureVerdict = 'valid' | 'warning' | 'invalid' | 'none';

/** Encryption verdict of a whole message (security.md §0.1). */
export type EncryptionVerdict = 'authenticated' | 'unauthenticated' | 'failed' | 'none';

export interface CertificateSummary {
  subject: string;
  issuer: string;
  serialNumberHex: string;
  notBefore: string;
  notAfter: string;
  emailAddresses: string[];
  fingerprintSha256: string;
  subjectKeyIdentifierHex: string | null;
  /** DER, base64. */
  der: string;
  authorityKeyIdentifierHex: string | null;
  /** e.g. 'sha256WithRSAEncryption'. */
  signatureAlgorithm: string;
  /** 'RSA', 'EC P-256', 'Ed25519', ... */
  publicKeyAlgorithm: string;
  /** RSA modulus or curve size in bits, when known. */
  publicKeyBits: number | null;
  /** keyUsage bit names, or null when the extension is absent. */
  keyUsage: string[] | null;
  /** extendedKeyUsage purposes by name (or dotted OID), or null when absent. */
  extendedKeyUsage: string[] | null;
  /** basicConstraints cA. */
  isCa: boolean;
  pathLengthConstraint: number | null;
  /** Issuer and subject are the same name. */
  selfIssued: boolean;
  /** S/MIME capabilities extension (RFC 4262), algorithm names in preference order. */
  smimeCapabilities: string[];
}

export interface SignatureReport {
  verdict: SignatureVerdict;
  /** Signer's address that matched From, or the certificate's first address, or null. */
  signer: string | null;
  /** Reason codes, e.g. `UNTRUSTED`, `FROM_MISMATCH`, `EXPIRED_SINCE_SIGNING`, `PARTIAL`. */
  reasons: string[];
  /** True only when the signature covers the root of the message (SEC-13). */
  coversWholeMessage: boolean;
  /** 'detached' (multipart/signed) or 'opaque' (application/pkcs7-mime signed-data). */
  form: 'detached' | 'opaque' | null;
  signerCertificate: CertificateSummary | null;
  /** Path from the signer to its anchor, leaf first, when one was built. */
  chain: CertificateSummary[];
  signingTime: string | null;
  digestAlgorithm: string | null;
  signatureAlgorithm: string | null;
  checks: Check[];
}

export interface RecipientIdentifier {
  kind: 'issuerAndSerialNumber' | 'subjectKeyIdentifier' | 'keyAgreement' | 'other';
  issuer?: string;
  serialNumberHex?: string;
  subjectKeyIdentifierHex?: string;
}

export interface EncryptionReport {
  verdict: EncryptionVerdict;
  reasons: string[];
  /** e.g. 'AES-256-GCM', 'AES-256-CBC', '3DES-CBC'. */
  contentEncryption: string | null;
  /** The recipients the message was encrypted to (for "cannot decrypt" explanations). */
  recipients: RecipientIdentifier[];
  /** Which of the user's certificates decrypted it (SHA-256 fingerprint). */
  decryptedWith: string | null;
}

/**
 * The addressees inside the signed content (header protection), for SEC-22: who the signer wrote to.
 * Addresses are lower-case addr-specs, at most MAX_PROTECTED_ADDRESSES per header.
 */
export interface ProtectedAddressees {
  /** 'hp': RFC 9788 `hp="clear"|"cipher"`; 'protected-headers-v1': the Autocrypt draft; 'rfc822-wrapper': a signed message/rfc822; 'header-fields': To/Cc in the signed entity without a marker. */
  style: 'hp' | 'protected-headers-v1' | 'rfc822-wrapper' | 'header-fields';
  to: string[];
  cc: string[];
  bcc: string[];
  /** False when a value did not parse cleanly or addresses were cut at the limit. */
  complete: boolean;
}

/** Result of opening any message (engine part 2 fills the encryption half). */
export interface MessageReport {
  signature: SignatureReport;
  encryption: EncryptionReport;
  /** Decoded text/plain of the innermost content, or null. */
  text: string | null;
  /** Innermost MIME entity as bytes (decrypted/unwrapped), for display. */
  content: Uint8Array | null;
  /** The protected To/Cc/Bcc of the signed content; null unless a signature covers the whole message and names addressees (SEC-22). */
  protectedAddressees: ProtectedAddressees | null;
}
