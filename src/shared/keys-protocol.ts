/**
 * Key management requests (issue #5 item 7): the options page asks, the background answers.
 *
 * Merged into `Requests` in protocol.ts; access per request is in `keyRequestAccess` (SEC-40e,
 * SEC-42a, SEC-44c). Payloads are structured-clonable; dates are ISO strings; bytes are Uint8Array. No
 * response ever carries private key material: the only key-derived bytes that leave the background
 * are an exported PKCS#12, encrypted under the export password the user just typed.
 */
import type { ComposeDefaults } from './compose-protocol.js';
import type { Access } from './protocol.js';

export interface KeystoreStatus {
  /** A passphrase exists (chosen at the first import). */
  initialised: boolean;
  locked: boolean;
  /** Idle minutes before auto-lock, or null for "until Thunderbird closes". */
  autoLockMinutes: number | null;
  /** When the session will lock if left idle; null when locked or locking only at shutdown. */
  unlockedUntil: string | null;
  identityCount: number;
  /**
   * Managed configuration (#9): `managed` when the administrator set anything at all; `locked` per
   * managed setting, true when the user may not change it (the options page shows it disabled, "Set
   * by your organisation", and the background refuses the change with `SETTING_LOCKED`).
   */
  organisation?: {
    managed: boolean;
    locked: Partial<Record<ManagedSettingName, boolean>>;
    /** The values the administrator set for what the options page shows (compose defaults, allowed algorithms). */
    values?: ManagedValues;
    /** Policy entries Waxseal ignored, with why (policy key and reason, as the administrator wrote them). */
    problems?: string[];
  };
}

/** Managed values the options page shows (#9). */
export interface ManagedValues {
  signByDefault?: boolean;
  encryptWhenPossible?: boolean;
  requireEncryption?: boolean;
  allowedContentEncryption?: string[];
  harvestCertificates?: boolean;
  useAddressBookDirectories?: boolean;
  /** The policy's directories by name and server (never their bind passwords). */
  directories?: { name: string; server: string }[];
  /** How many organisation root certificates the policy trusts. */
  trustAnchorCount?: number;
}

/** Settings an administrator may set in the managed configuration (#9). */
export type ManagedSettingName =
  | 'signByDefault'
  | 'encryptWhenPossible'
  | 'requireEncryption'
  | 'autoLockMinutes'
  | 'harvestCertificates'
  | 'allowedContentEncryption'
  | 'useAddressBookDirectories';

/** One of the user's certificates with a private key. */
export interface IdentitySummary {
  id: string;
  addresses: string[];
  fingerprintSha256: string;
  subject: string;
  issuer: string;
  serialNumberHex: string;
  notBefore: string;
  notAfter: string;
  friendlyName: string | null;
  importedAt: string;
  usableForSigning: boolean;
  usableForEncryption: boolean;
  currentSigningFor: string[];
  currentEncryptionFor: string[];
  /** The certificate, DER base64 (public). */
  der: string;
}

/** What deleting an identity loses. */
export interface DeletionSummary {
  id: string;
  fingerprintSha256: string;
  addresses: string[];
  /** No other stored identity has the same key: mail encrypted to this certificate can no longer be read. */
  encryptedMailBecomesUnreadable: boolean;
  addressesWithoutSigningIdentity: string[];
}

export type ProvenanceSummary =
  | { source: 'harvested'; sender: string; date: string; messageId: string | null }
  | { source: 'directory'; directory: string; date: string }
  | { source: 'imported'; date: string; fileName: string | null };

/** A correspondent's certificate. */
export interface PersonCertificateSummary {
  id: string;
  address: string;
  fingerprintSha256: string;
  subject: string;
  issuer: string;
  notBefore: string;
  notAfter: string;
  role: 'signing' | 'encryption' | 'both';
  firstSeen: string;
  lastSeen: string;
  provenance: ProvenanceSummary[];
  pinned: boolean;
  state: 'active' | 'superseded' | 'revoked' | 'unverified-revocation' | 'needs-confirmation';
  /** SEC-47f: the fingerprint of the directory certificate that replaces this one, if any. */
  supersededByDirectory: string | null;
  /** DER, base64 (public). */
  der: string;
}

export type TrustPurposeName = 'emailSigning' | 'emailEncryption';

export interface TrustAnchorSummary {
  fingerprintSha256: string;
  subject: string;
  addedBy: 'user' | 'organisation';
  purposes: TrustPurposeName[];
  addedAt: string;
}

export interface PassphraseStrength {
  ok: boolean;
  reasons: ('too-short' | 'too-repetitive' | 'low-entropy')[];
  estimatedBits: number;
}

type Empty = Record<string, never>;

export interface KeyRequests {
  keystoreStatus: { req: Empty; res: KeystoreStatus };
  listIdentities: { req: Empty; res: IdentitySummary[] };
  /** The first import chooses the passphrase. */
  importPkcs12: { req: { p12: Uint8Array; p12Password: string; passphrase: string }; res: ImportResult };
  /** Needs the passphrase again (SEC-42a); the export password protects the file. */
  exportPkcs12: { req: { id: string; passphrase: string; exportPassword: string }; res: { p12: Uint8Array; fileName: string } };
  previewDeleteIdentity: { req: { id: string }; res: DeletionSummary };
  deleteIdentity: { req: { id: string }; res: DeletionSummary };
  unlock: { req: { passphrase: string }; res: { status: KeystoreStatus; damaged: string[]; unsupported: string[] } };
  lock: { req: Empty; res: KeystoreStatus };
  changePassphrase: { req: { currentPassphrase: string; newPassphrase: string }; res: KeystoreStatus };
  checkPassphraseStrength: { req: { passphrase: string }; res: PassphraseStrength };
  setAutoLock: { req: { minutes: number | null }; res: KeystoreStatus };
  /** Stores an address's compose defaults; refused with `SETTING_LOCKED` when it changes one the organisation locked (#9). */
  setComposeDefaults: { req: { address: string; defaults: ComposeDefaults }; res: Empty };
  setCurrentIdentity: { req: { address: string; purpose: 'signing' | 'encryption'; id: string }; res: IdentitySummary[] };
  listPeopleCertificates: { req: { address?: string }; res: PersonCertificateSummary[] };
  /** DER or PEM, one or more certificates; stored under each address they name (or only `address`). */
  importPersonCertificates: { req: { certificates: Uint8Array; address?: string; fileName?: string; pin?: boolean }; res: PersonCertificateSummary[] };
  setPersonCertificatePinned: { req: { id: string; pinned: boolean }; res: PersonCertificateSummary };
  removePersonCertificate: { req: { id: string }; res: { removed: boolean } };
  listTrustAnchors: { req: Empty; res: TrustAnchorSummary[] };
  addTrustAnchor: { req: { certificate: Uint8Array; purposes: TrustPurposeName[] }; res: TrustAnchorSummary };
  removeTrustAnchor: { req: { fingerprintSha256: string }; res: { removed: boolean } };
  /** The identity the administrator provisioned (#9) and the user has not yet imported or declined, or null. */
  getProvisionedIdentity: { req: Empty; res: ProvisionedIdentityOffer | null };
  /** Imports the provisioned identity with only its password (and the Waxseal passphrase), like `importPkcs12`. */
  importProvisionedIdentity: { req: { offerId: string; p12Password: string; passphrase: string }; res: ImportResult };
  /** The user does not want the provisioned identity; it is not offered again. */
  declineProvisionedIdentity: { req: { offerId: string }; res: { declined: boolean } };
}

/** What importing a PKCS#12 answers. */
export interface ImportResult {
  imported: IdentitySummary[];
  status: KeystoreStatus;
  /**
   * Issuer DNs of intermediate CA certificates the file lacks: the last certificate of an imported
   * chain is not self-issued, and no bundled, user or organisation anchor nor certificate in the file
   * has that subject. Empty when every chain is complete. The identity is imported either way.
   */
  missingIssuers: string[];
}

/** A PKCS#12 the organisation prepared (managed `provisionedIdentity`); its bytes stay in the background. */
export interface ProvisionedIdentityOffer {
  /** Hex SHA-256 of the file. */
  offerId: string;
  label: string;
}

export type KeyRequestName = keyof KeyRequests;

/**
 * Key-management requests are accepted from the options page only. Status and "lock now" are also
 * allowed from Waxseal's other pages (the action popup, SEC-40d): neither reveals or uses a key.
 */
export const keyRequestAccess: { readonly [K in KeyRequestName]: Access } = {
  keystoreStatus: 'extension-page',
  listIdentities: 'options-page',
  importPkcs12: 'options-page',
  exportPkcs12: 'options-page',
  previewDeleteIdentity: 'options-page',
  deleteIdentity: 'options-page',
  unlock: 'options-page',
  lock: 'extension-page',
  changePassphrase: 'options-page',
  checkPassphraseStrength: 'options-page',
  setAutoLock: 'options-page',
  setComposeDefaults: 'options-page',
  setCurrentIdentity: 'options-page',
  listPeopleCertificates: 'options-page',
  importPersonCertificates: 'options-page',
  setPersonCertificatePinned: 'options-page',
  removePersonCertificate: 'options-page',
  listTrustAnchors: 'options-page',
  addTrustAnchor: 'options-page',
  removeTrustAnchor: 'options-page',
  getProvisionedIdentity: 'options-page',
  importProvisionedIdentity: 'options-page',
  declineProvisionedIdentity: 'options-page',
};
