/**
 * The reading side of the page ↔ background contract (issue #7): what the in-message banner, the
 * message toolbar popup and the decrypted-message page show. Entries are merged into `Requests` in
 * protocol.ts. Every verdict here is produced by the background from the engine's report; pages and
 * the banner only render it (SEC-15).
 */

/** The signature's state, one per row of features.md (d). */
export type SignatureState =
  | 'valid'
  | 'unknown-ca'
  | 'not-sender'
  | 'expired-since-signing'
  | 'expired'
  | 'revoked'
  | 'modified'
  | 'weak-algorithm'
  | 'partial'
  | 'not-addressed-to-you'
  | 'invalid'
  | 'warning'
  | 'unreadable';

/** The encryption's state. `locked`: Waxseal could decrypt after the key store is unlocked. */
export type EncryptionState = 'authenticated' | 'unauthenticated' | 'cannot-decrypt' | 'locked';

/** Severity (features.md (d)): colour, icon and wording follow it; colour is never the only signal. */
export type Tone = 'ok' | 'warn' | 'bad' | 'info' | 'action';

export interface CertificateView {
  subject: string;
  issuer: string;
  serialNumberHex: string;
  notBefore: string;
  notAfter: string;
  fingerprintSha256: string;
  emailAddresses: string[];
}

/** A certificate the message was encrypted to, and whether one of the user's keys matches it. */
export interface RecipientView {
  /** "issuer, serial 0A1B" or "key identifier 0A1B…", ready to show. */
  description: string;
  /** One of the user's identities holds the key (possibly an older one). */
  matchingIdentity: { fingerprintSha256: string; subject: string; current: boolean } | null;
}

/**
 * Continuity of a correspondent's certificate (harvest notices, SEC-46/SEC-48): the first one seen,
 * a renewal from the same issuer, or a different key or issuer that the user should notice.
 */
export type ContinuityNotice = 'first-certificate' | 'renewed' | 'key-changed';

export interface DisplayStatus {
  /** The message this status is for (Thunderbird's message id). */
  messageId: number;
  /** Null: not signed (the banner shows nothing). */
  signature: SignatureState | null;
  encryption: EncryptionState | null;
  /** The worse of the two. */
  tone: Tone;
  /** The signer's address, when there is a signer. */
  signer: string | null;
  /** The From address the signer was compared with. */
  from: string | null;
  /** Engine reason codes, for details and diagnostics. */
  reasons: string[];
  signerCertificate: CertificateView | null;
  /** Path to the anchor, leaf first. */
  chain: CertificateView[];
  signingTime: string | null;
  digestAlgorithm: string | null;
  signatureAlgorithm: string | null;
  contentEncryption: string | null;
  recipients: RecipientView[];
  /** Where the signer's certificate came from: the message itself, or the key store as well. */
  certificateSource: 'message' | 'message-and-store' | null;
  continuity: ContinuityNotice | null;
  /** The verification time used (ISO). */
  checkedAt: string;
  /** The plaintext can be shown on Waxseal's decrypted-message page. */
  decryptedViewAvailable: boolean;
  /** The To/Cc inside the signed content (header protection), when a whole-message signature carries them (SEC-22). */
  protectedAddressees: { to: string[]; cc: string[] } | null;
  /**
   * SEC-22 surreptitious forwarding: the signed content names addressees and none of them is one of the
   * user's addresses, so the signer did not write this to the user (a WARN at least).
   */
  notAddressedToYou: boolean;
}

export interface BannerContent {
  status: DisplayStatus;
  /** The per-install phrase that proves the banner comes from Waxseal (SEC-15). */
  securityPhrase: string;
}

/** The decrypted message as the decrypted-message page shows it: plain text, never rendered HTML. */
export interface DecryptedView {
  status: DisplayStatus;
  subject: string;
  from: string;
  date: string | null;
  /** The text/plain part, or the text of the HTML part with tags removed; null when there is none. */
  text: string | null;
  /** The HTML part was converted to text (remote content and styles were not loaded). */
  convertedFromHtml: boolean;
  /** The HTML part, sanitised (html-sanitizer.ts: no URL but data: images), for the sandboxed view; null without one. */
  html?: string | null;
  attachments: { index: number; fileName: string; contentType: string; size: number }[];
  securityPhrase: string;
}

type Empty = Record<string, never>;

export interface ReadRequests {
  /** The status of the message displayed in a tab (the toolbar popup asks). */
  getDisplayStatus: { req: { tabId: number }; res: DisplayStatus | null };
  /** The decrypted message (the decrypted-message page asks; unlocking first is the options page's or the popup's job). */
  getDecryptedView: { req: { messageId: number }; res: DecryptedView };
  /** One attachment of a decrypted message, as bytes for a blob download (never a temporary file). */
  getDecryptedAttachment: { req: { messageId: number; index: number }; res: { fileName: string; contentType: string; bytes: Uint8Array } };
  /** Opens the decrypted-message page for a message in a new tab. */
  openDecryptedView: { req: { messageId: number }; res: Empty };
  /** Unlocks the key store from the reading popup and re-opens the message. */
  unlockForReading: { req: { passphrase: string; messageId: number }; res: DisplayStatus | null };
  /** The per-install security phrase, for the popup and the options page. */
  getSecurityPhrase: { req: Empty; res: { phrase: string } };
}
