/**
 * Every security default of the engine, in one place (STYLE §3). Callers pass a `Policy` explicitly;
 * library defaults (PKI.js signs with SHA-1 and skips chain checks, F3/F4) are never relied upon.
 */

export type HashName = 'SHA-256' | 'SHA-384' | 'SHA-512';

export interface ParserLimits {
  /** Largest whole message accepted, in bytes (SEC-32). */
  maxMessageBytes: number;
  /** Deepest MIME nesting (SEC-33a). */
  maxMimeDepth: number;
  /** Most MIME parts in one message (SEC-33b). */
  maxMimeParts: number;
  /** Most header bytes in one part (SEC-33c/d). */
  maxHeaderBytes: number;
  /** Most header lines in one part (SEC-33d). */
  maxHeaderLines: number;
  /** Longest boundary parameter (RFC 2046 caps it at 70; SEC-33g). */
  maxBoundaryLength: number;
  /** Deepest nesting of comments and address groups in one header value (SEC-33f). */
  maxHeaderNesting: number;
  /** ASN.1: deepest nesting, most nodes, largest content (SEC-31). */
  maxAsn1Depth: number;
  maxAsn1Nodes: number;
  maxAsn1ContentBytes: number;
  /**
   * Longest OBJECT IDENTIFIER or RELATIVE-OID content, in bytes (SEC-31, F9: asn1js decodes OIDs in
   * super-linear time). Registered OIDs are a few dozen bytes at most (a 2.25.<uuid> OID is about 20), so 128
   * leaves room and keeps the decoding cost negligible.
   */
  maxOidBytes: number;
  /** Largest single certificate (SEC-31b). */
  maxCertificateBytes: number;
  /** Largest detached signature part (SEC-31b). */
  maxDetachedSignatureBytes: number;
  /** Most certificates carried in one CMS (SEC-32c). */
  maxCmsCertificates: number;
  /** Most intermediates in a path (SEC-25i). */
  maxPathIntermediates: number;
}

export interface SignaturePolicy {
  /** Digests accepted in received signatures. SHA-1 and MD5 are refused by default (SEC-17). */
  acceptedDigests: readonly string[];
  /** Smallest RSA modulus accepted, bits (SEC-17d). */
  minRsaBits: number;
  /** Tolerance for a signing-time in the future, ms (SEC-18a). */
  maxFutureSkewMs: number;
  /** signing-time earlier than the Date header by more than this gives a warning, ms (SEC-18b). */
  maxSigningTimeAgeMs: number;
  /** Treat "revocation unknown" as invalid instead of a warning. Off by default, as in Thunderbird (SEC-29). */
  strictRevocation: boolean;
}

export interface Policy {
  limits: ParserLimits;
  signature: SignaturePolicy;
  /** Digest used for outgoing signatures. Never SHA-1 (SEC-17f). */
  signingHash: HashName;
}

export const DEFAULT_LIMITS: Readonly<ParserLimits> = Object.freeze({
  maxMessageBytes: 64 * 1024 * 1024,
  maxMimeDepth: 32,
  maxMimeParts: 1000,
  maxHeaderBytes: 256 * 1024,
  maxHeaderLines: 10_000,
  maxBoundaryLength: 200,
  maxHeaderNesting: 32,
  maxAsn1Depth: 64,
  maxAsn1Nodes: 200_000,
  maxAsn1ContentBytes: 64 * 1024 * 1024,
  maxOidBytes: 128,
  maxCertificateBytes: 64 * 1024,
  maxDetachedSignatureBytes: 1024 * 1024,
  maxCmsCertificates: 64,
  maxPathIntermediates: 8,
});

export const DEFAULT_SIGNATURE_POLICY: Readonly<SignaturePolicy> = Object.freeze({
  acceptedDigests: Object.freeze(['SHA-256', 'SHA-384', 'SHA-512']),
  minRsaBits: 2048,
  maxFutureSkewMs: 5 * 60 * 1000,
  maxSigningTimeAgeMs: 7 * 24 * 60 * 60 * 1000,
  strictRevocation: false,
});

/** Largest CRL accepted by the CRL revocation checker, bytes (SEC-29f). */
export const DEFAULT_MAX_CRL_BYTES = 16 * 1024 * 1024;

export const DEFAULT_POLICY: Readonly<Policy> = Object.freeze({
  limits: DEFAULT_LIMITS,
  signature: DEFAULT_SIGNATURE_POLICY,
  signingHash: 'SHA-256',
});

/** Key store defaults (SEC-39..SEC-41). The background passes these to the key store explicitly. */
export interface KeystorePolicy {
  /** PBKDF2-HMAC-SHA256 iterations for new wraps; records below this are re-wrapped on unlock (OWASP 2023, SEC-39a/e). */
  pbkdf2Iterations: number;
  /** Idle minutes before auto-lock (SEC-40c). */
  autoLockMinutes: number;
  /** Smallest and largest configurable auto-lock, minutes (SEC-40c). */
  minAutoLockMinutes: number;
  maxAutoLockMinutes: number;
  /** Wrong passphrases allowed before exponential back-off starts (SEC-41e). */
  failuresBeforeBackoff: number;
  /** First back-off delay and its ceiling, ms (SEC-41e). */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Shortest passphrase accepted regardless of its estimated entropy (SEC-41f). */
  minPassphraseLength: number;
  /** A shorter passphrase is still accepted when its estimated entropy reaches this many bits (SEC-41f). */
  minPassphraseEntropyBits: number;
}

export const DEFAULT_KEYSTORE_POLICY: Readonly<KeystorePolicy> = Object.freeze({
  pbkdf2Iterations: 600_000,
  autoLockMinutes: 15,
  minAutoLockMinutes: 1,
  maxAutoLockMinutes: 240,
  failuresBeforeBackoff: 5,
  backoffBaseMs: 1000,
  backoffMaxMs: 15 * 60 * 1000,
  minPassphraseLength: 12,
  minPassphraseEntropyBits: 60,
});

/** Certificate harvesting limits (SEC-45f). */
export interface HarvestPolicy {
  /** Most new certificates stored per address in a rolling 24 h window. */
  maxNewCertificatesPerAddressPerDay: number;
}

export const DEFAULT_HARVEST_POLICY: Readonly<HarvestPolicy> = Object.freeze({
  maxNewCertificatesPerAddressPerDay: 10,
});

/** PKCS#12 import limits: the file and its iteration counts are attacker-controlled (SEC-38e). */
export interface Pkcs12Limits {
  /** Largest .p12/.pfx accepted, in bytes. Real files with a chain are a few kilobytes. */
  maxPkcs12Bytes: number;
  /** Most SafeBags in one file, counted across all SafeContents. */
  maxPkcs12Bags: number;
  /** Deepest nesting of safeContentsBag inside SafeContents. */
  maxPkcs12Nesting: number;
  /** Highest PBKDF2 iteration count accepted (PBES2, RFC 8018). */
  maxPbkdf2Iterations: number;
  /** Highest iteration count of the RFC 7292 Appendix B KDF (legacy PBE and the MAC). */
  maxPkcs12KdfIterations: number;
  /**
   * Most key-derivation iterations for one import, over all bags, password forms and the MAC: the per-count
   * caps alone would let 256 bags of 1 million iterations each run for minutes. An NSS-written legacy file
   * with three identities needs about 7 million.
   */
  maxPkcs12TotalIterations: number;
  /** Longest OBJECT IDENTIFIER accepted anywhere in the file, in bytes (F9: asn1js decodes long OIDs slowly). */
  maxPkcs12OidBytes: number;
  /**
   * Largest private key (PKCS#8) and certificate public key (SubjectPublicKeyInfo) the possession check
   * will use, in bytes: an RSA-8192 key is about 4.8 KB, and a much larger crafted key would make the
   * check's signature take minutes.
   */
  maxPkcs12KeyBytes: number;
}

export const DEFAULT_PKCS12_LIMITS: Readonly<Pkcs12Limits> = Object.freeze({
  maxPkcs12Bytes: 1024 * 1024,
  maxPkcs12Bags: 256,
  maxPkcs12Nesting: 4,
  maxPbkdf2Iterations: 10_000_000,
  maxPkcs12KdfIterations: 1_000_000,
  maxPkcs12TotalIterations: 12_000_000,
  maxPkcs12OidBytes: 64,
  maxPkcs12KeyBytes: 6 * 1024,
});

/** PKCS#12 export defaults (SEC-42a): PBES2 AES-256-CBC with PBKDF2-HMAC-SHA256, and a SHA-256 MAC. */
export interface Pkcs12ExportPolicy {
  /** PBKDF2 iterations for the key and certificate bags; at least 600 000 (OWASP, SEC-39/SEC-42a). */
  pbkdf2Iterations: number;
  /**
   * Iterations of the RFC 7292 Appendix B KDF for the MAC key. The MAC is checked with the same password
   * as the bags, so a low count here would be the cheapest way to guess the export password offline;
   * it matches the PBKDF2 count, as NSS does.
   */
  macIterations: number;
}

export const DEFAULT_PKCS12_EXPORT_POLICY: Readonly<Pkcs12ExportPolicy> = Object.freeze({
  pbkdf2Iterations: 600_000,
  macIterations: 600_000,
});

/** A policy with some fields replaced; nested objects are merged one level deep. */
export function makePolicy(overrides: { limits?: Partial<ParserLimits>; signature?: Partial<SignaturePolicy>; signingHash?: HashName } = {}): Policy {
  return {
    limits: { ...DEFAULT_LIMITS, ...overrides.limits },
    signature: { ...DEFAULT_SIGNATURE_POLICY, ...overrides.signature },
    signingHash: overrides.signingHash ?? DEFAULT_POLICY.signingHash,
  };
}

/**
 * Directory (LDAP) lookup limits and timings (#9, SEC-37, SEC-47). A directory answer is untrusted
 * data from a possibly intercepted connection, so every count and size is capped before parsing.
 */
export interface DirectoryPolicy {
  /** Search entries read per address; more are ignored (the search asks the server for no more). */
  maxEntries: number;
  /** Certificate values read per entry across userSMIMECertificate and userCertificate;binary. */
  maxValuesPerEntry: number;
  /** Bytes of one attribute value (a PKCS#7 bundle may carry a chain). */
  maxValueBytes: number;
  /** Certificates kept per address after parsing. */
  maxCertificatesPerAddress: number;
  /** One search, from connect to the last entry; the compose window never waits longer. */
  timeoutMs: number;
  /** How long an answer (or "unreachable") is reused before asking again. */
  cacheMinutes: number;
  /** Addresses kept in the cache. */
  maxCacheEntries: number;
}

export const DEFAULT_DIRECTORY_POLICY: Readonly<DirectoryPolicy> = Object.freeze({
  maxEntries: 8,
  maxValuesPerEntry: 16,
  maxValueBytes: 64 * 1024,
  maxCertificatesPerAddress: 16,
  timeoutMs: 3000,
  cacheMinutes: 60,
  maxCacheEntries: 1000,
});
