/**
 * Record shapes of the key store at the current schema version (see db.ts for the version history
 * and docs/keystore.md for the format). Everything is structured-clonable: dates are ISO strings,
 * bytes are Uint8Array.
 */

/**
 * One private key at rest (SEC-39a), versioned so the format can change without guessing:
 *
 * - `kdf`/`iter`/`kdfSalt`: PBKDF2-HMAC-SHA256(passphrase, kdfSalt, iter) → 32-byte master secret
 *   (RFC 8018 §5.2). `kdfSalt` is per store, so one unlock costs one PBKDF2 whatever the number of keys.
 * - `salt`: 16 random bytes per record; HKDF-SHA256(master, salt, info) (RFC 5869 §2) gives this
 *   record's own AES-256 key, so two wraps of the same key never share a key or IV (SEC-39d).
 * - `iv`: 12 random bytes; `ct`: AES-256-GCM(PKCS#8) with the 16-byte tag appended (NIST SP 800-38D).
 * - `aad`: UTF-8 of `waxseal-key/v1`, the record ID and the certificate's SHA-256 fingerprint, NUL
 *   separated; it is recomputed from the record on unwrap, so a ciphertext moved to another record
 *   fails the tag check (SEC-39c).
 */
export interface WrappedKey {
  v: 1;
  kdf: 'PBKDF2-SHA256';
  iter: number;
  kdfSalt: Uint8Array<ArrayBuffer>;
  salt: Uint8Array<ArrayBuffer>;
  iv: Uint8Array<ArrayBuffer>;
  ct: Uint8Array<ArrayBuffer>;
  aad: Uint8Array<ArrayBuffer>;
}

/**
 * The store's passphrase parameters. `canary` is a random value wrapped like a key (record ID
 * `canary`): unlocking proves the passphrase by a GCM tag check on it, never by a stored hash
 * (SEC-41b), and it lets a store with no keys left keep its passphrase.
 */
export interface StoreMeta {
  name: 'store';
  kdf: 'PBKDF2-SHA256';
  iter: number;
  kdfSalt: Uint8Array<ArrayBuffer>;
  canary: WrappedKey;
  createdAt: string;
  passphraseChangedAt: string;
}

/** One of the user's own certificates with its wrapped private key. Old ones are kept. */
export interface IdentityRecord {
  id: string;
  /** Lower-cased addresses from the certificate (SAN rfc822Name, subject emailAddress). */
  addresses: string[];
  fingerprintSha256: string;
  certificate: Uint8Array<ArrayBuffer>;
  /** Issuer chain from the PKCS#12, leaf excluded, DER. */
  chain: Uint8Array<ArrayBuffer>[];
  friendlyName: string | null;
  subject: string;
  issuer: string;
  serialNumberHex: string;
  notBefore: string;
  notAfter: string;
  /** What the certificate may be used for, as assessed at import. */
  usableForSigning: boolean;
  usableForEncryption: boolean;
  importedAt: string;
  key: WrappedKey;
}

/** Which identity is current for signing and for encryption, per address (they may differ). */
export interface CurrentSelectionRecord {
  address: string;
  signing: string | null;
  encryption: string | null;
}

/** Where a correspondent's certificate came from (SEC-45, SEC-47, SEC-48). */
export type Provenance =
  | {
      source: 'harvested';
      sender: string;
      /** When Waxseal saw the message (ISO). */
      date: string;
      messageId: string | null;
      /** The message's Subject and Date header (ISO), so the compose popup can name it; absent in records from before #7's compose provenance. */
      subject?: string | null;
      messageDate?: string | null;
    }
  | { source: 'directory'; directory: string; date: string }
  | { source: 'imported'; date: string; fileName: string | null };

export type PersonCertificateState = 'active' | 'superseded' | 'revoked' | 'unverified-revocation' | 'needs-confirmation';

/** A correspondent's certificate, kept per address with every past certificate (schema v2). */
export interface PersonCertificateRecord {
  /** `<address> <fingerprint>`: the same certificate under two addresses is two entries. */
  id: string;
  address: string;
  fingerprintSha256: string;
  certificate: Uint8Array<ArrayBuffer>;
  subject: string;
  issuer: string;
  notBefore: string;
  notAfter: string;
  /** `encryption` when stored from an SMIMEEncryptionKeyPreference (RFC 8551 §2.5.3). */
  role: 'signing' | 'encryption' | 'both';
  firstSeen: string;
  lastSeen: string;
  provenance: Provenance[];
  /** Chosen by the user; never replaced automatically (SEC-46e, SEC-47b). */
  pinned: boolean;
  state: PersonCertificateState;
  /**
   * SEC-47f: a usable directory certificate for this address differs from this (harvested) one and wins.
   * A marker, not a state: while the directory's certificate cannot be used, this one is still the
   * fallback SEC-47e asks for.
   */
  supersededByDirectory?: { fingerprintSha256: string; date: string };
}

export type TrustPurpose = 'emailSigning' | 'emailEncryption';

/** A trust anchor added by the user or the organisation. */
export interface TrustAnchorRecord {
  fingerprintSha256: string;
  certificate: Uint8Array<ArrayBuffer>;
  subject: string;
  addedBy: 'user' | 'organisation';
  purposes: TrustPurpose[];
  addedAt: string;
}
