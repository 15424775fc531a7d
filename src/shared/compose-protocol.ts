/**
 * The compose side of the page ↔ background contract (issue #6): what the compose action popup
 * shows and asks for. Entries are merged into `Requests` in protocol.ts.
 */

export type RecipientField = 'to' | 'cc' | 'bcc';

/** Where the certificate chosen for a recipient came from (features.md O4). */
export type CertificateOrigin = 'directory' | 'harvested' | 'imported' | 'pinned';

/** Why a recipient cannot be encrypted to; one row may have several. */
export type RecipientProblem = 'missing' | 'expired' | 'not-yet-valid' | 'revoked' | 'untrusted' | 'not-for-encryption' | 'needs-confirmation' | 'address-mismatch';

/** Why the chosen certificate was chosen, in words the popup localises (SEC-47b). */
export type ChoiceReason = 'pinned' | 'directory' | 'newest-harvested' | 'only-candidate' | 'directory-unusable' | 'directory-unreachable' | 'pinned-unusable' | 'revocation-unverified';

/** The signed message a harvested certificate came from (SEC-45 provenance), as the popup names it (#7). */
export interface HarvestedFromView {
  /** The sender's address (the signer, SEC-45). */
  sender: string;
  /** Subject header; null for certificates harvested before it was recorded. */
  subject: string | null;
  /** ISO time of the message's Date header, when it had one that parses. */
  messageDate: string | null;
  messageId: string | null;
}

export interface RecipientCertificateView {
  origin: CertificateOrigin;
  /** ISO date when Waxseal saw the message it was harvested from, for `harvested`. */
  harvestedAt: string | null;
  /** The message it was harvested from, for `harvested`. */
  harvestedFrom: HarvestedFromView | null;
  subject: string;
  notAfter: string;
  fingerprintSha256: string;
}

export interface RecipientView {
  field: RecipientField;
  address: string;
  /** Display name from the compose field, may be empty. */
  name: string;
  /** `ok`: can be encrypted to. */
  status: 'ok' | 'problem';
  certificate: RecipientCertificateView | null;
  problems: RecipientProblem[];
  reasons: ChoiceReason[];
}

/** Own-side states (features.md O1–O3, O8). */
export type OwnCertificateProblem = 'missing' | 'expired' | 'not-yet-valid' | 'cannot-sign' | 'no-encryption-certificate';

export interface OwnIdentityView {
  address: string;
  /** Problems with the user's own certificates, if any. */
  problems: OwnCertificateProblem[];
  /** Days until the signing certificate expires, when it does within the warning window (O8). */
  expiresInDays: number | null;
}

/** Why a send would be stopped now; the popup shows each with its own localised text. */
export type SendBlocker =
  | { code: 'RECIPIENT_CERTIFICATE_MISSING'; addresses: string[] }
  | { code: 'RECIPIENT_CERTIFICATE_EXPIRED'; addresses: string[] }
  | { code: 'RECIPIENT_CERTIFICATE_REVOKED'; addresses: string[] }
  | { code: 'RECIPIENT_CERTIFICATE_UNTRUSTED'; addresses: string[] }
  | { code: 'OWN_CERTIFICATE_MISSING' }
  | { code: 'OWN_CERTIFICATE_EXPIRED' }
  | { code: 'BCC_WITH_ENCRYPTION'; addresses: string[] }
  /** #9: no content-encryption algorithm the organisation allows can be read by these recipients. */
  | { code: 'CONTENT_ENCRYPTION_NOT_ALLOWED'; addresses: string[] }
  | { code: 'NO_RECIPIENTS' };

export type SendBlockerCode = SendBlocker['code'];

/** Per-identity defaults from the settings (issue #6 item 1). */
export interface ComposeDefaults {
  signByDefault: boolean;
  encryptWhenPossible: boolean;
  requireEncryption: boolean;
}

export interface ComposeView {
  tabId: number;
  identity: OwnIdentityView | null;
  sign: boolean;
  encrypt: boolean;
  /** The identity requires encryption: "send unencrypted" is never offered. */
  requireEncryption: boolean;
  /** The user explicitly agreed to send unencrypted although some recipients lack a certificate. */
  allowUnencrypted: boolean;
  recipients: RecipientView[];
  /** Every recipient has a usable certificate (features.md O5). */
  encryptionPossible: boolean;
  /** The key store is locked: sending signed or encrypted will ask for the passphrase. */
  locked: boolean;
  /** What would stop the send with the current choices; empty when it would go through. */
  blockers: SendBlocker[];
  /** Why the last send of this tab failed in the send hook (localised), if it did. */
  lastFailure: string | null;
  /** This message replies to or forwards an encrypted message, so encryption is on by default (SEC-19). */
  replyToEncrypted: boolean;
}

export interface ComposeOptionsChange {
  tabId: number;
  sign?: boolean;
  encrypt?: boolean;
  allowUnencrypted?: boolean;
}

export interface ComposeRequests {
  /** The compose tab's current state for the popup. */
  getComposeView: { req: { tabId: number }; res: ComposeView };
  /** Changes the Sign/Encrypt toggles (or agrees to send unencrypted) and answers the new state. */
  setComposeOptions: { req: ComposeOptionsChange; res: ComposeView };
  /** The passphrase window's answer to a send waiting for an unlock. */
  answerUnlockPrompt: { req: { promptId: string; passphrase: string | null }; res: { unlocked: boolean } };
}
