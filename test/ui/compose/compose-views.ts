// Compose popup states as the background answers them (src/shared/compose-protocol.ts), one per
// state the popup must show (issue #6 item 1; features.md O1–O8). Shared by the UI tests and the
// screenshot script, so both look at the same states.
import type { ComposeView, RecipientView } from '../../../src/shared/compose-protocol.js';

const bob: RecipientView = {
  field: 'to',
  address: 'bob@example.com',
  name: 'Bob Test',
  status: 'ok',
  certificate: {
    origin: 'harvested',
    harvestedAt: '2026-05-20T09:30:00.000Z',
    harvestedFrom: { sender: 'bob@example.com', subject: 'Quarterly figures', messageDate: '2026-05-19T16:05:00.000Z', messageId: '<q2@example.com>' },
    subject: 'CN=Bob, O=Waxseal Tests', notAfter: '2035-01-01T00:00:00.000Z', fingerprintSha256: 'ab'.repeat(32) },
  problems: [],
  reasons: ['only-candidate'],
};
const dave: RecipientView = {
  field: 'cc',
  address: 'dave@example.com',
  name: '',
  status: 'ok',
  certificate: { origin: 'directory', harvestedAt: null, harvestedFrom: null, subject: 'CN=Dave, O=Waxseal Tests', notAfter: '2035-01-01T00:00:00.000Z', fingerprintSha256: 'cd'.repeat(32) },
  problems: [],
  reasons: ['directory', 'revocation-unverified'],
};
const carol: RecipientView = { field: 'to', address: 'carol@example.com', name: 'Carol', status: 'problem', certificate: null, problems: ['missing'], reasons: [] };
const erin: RecipientView = { field: 'cc', address: 'erin@example.com', name: '', status: 'problem', certificate: null, problems: ['expired'], reasons: [] };
const mallory: RecipientView = { field: 'to', address: 'mallory@example.com', name: '', status: 'problem', certificate: null, problems: ['revoked'], reasons: [] };
const secret: RecipientView = { ...bob, field: 'bcc', address: 'secret@example.com', name: '' };

const base: ComposeView = {
  tabId: 7,
  identity: { address: 'alice@example.com', problems: [], expiresInDays: null },
  sign: false,
  encrypt: false,
  requireEncryption: false,
  allowUnencrypted: false,
  recipients: [bob, dave],
  encryptionPossible: true,
  locked: false,
  blockers: [],
  lastFailure: null,
  replyToEncrypted: false,
};

export const VIEWS = {
  /** Nothing chosen, every recipient has a certificate: the "encrypt possible" hint (O5). */
  off: base,
  signed: { ...base, sign: true },
  encrypted: { ...base, encrypt: true },
  signedEncrypted: { ...base, sign: true, encrypt: true, locked: true },
  /** Encryption on, one recipient without a certificate, one expired (O4, O6). */
  missingCertificate: {
    ...base,
    encrypt: true,
    recipients: [bob, carol, erin],
    encryptionPossible: false,
    blockers: [
      { code: 'RECIPIENT_CERTIFICATE_MISSING', addresses: ['carol@example.com'] },
      { code: 'RECIPIENT_CERTIFICATE_EXPIRED', addresses: ['erin@example.com'] },
    ],
  },
  /** The same, but the identity requires encryption: no "send unencrypted". */
  requiredEncryption: {
    ...base,
    encrypt: true,
    requireEncryption: true,
    recipients: [bob, carol],
    encryptionPossible: false,
    blockers: [{ code: 'RECIPIENT_CERTIFICATE_MISSING', addresses: ['carol@example.com'] }],
  },
  agreedUnencrypted: { ...base, encrypt: true, allowUnencrypted: true, recipients: [bob, carol], encryptionPossible: false, blockers: [] },
  revoked: { ...base, encrypt: true, recipients: [mallory], encryptionPossible: false, blockers: [{ code: 'RECIPIENT_CERTIFICATE_REVOKED', addresses: ['mallory@example.com'] }] },
  bcc: { ...base, encrypt: true, recipients: [bob, secret], blockers: [{ code: 'BCC_WITH_ENCRYPTION', addresses: ['secret@example.com'] }] },
  /** O1: no own certificate, signing chosen. */
  ownMissing: { ...base, sign: true, identity: { address: 'alice@example.com', problems: ['missing'], expiresInDays: null }, blockers: [{ code: 'OWN_CERTIFICATE_MISSING' }] },
  /** O2 expired, and a recipient without a certificate: "send my certificate" is not offered as signing is on. */
  ownExpired: { ...base, sign: true, identity: { address: 'alice@example.com', problems: ['expired'], expiresInDays: null }, blockers: [{ code: 'OWN_CERTIFICATE_EXPIRED' }] },
  /** O8 and "send my certificate": signing off, a recipient lacks a certificate. */
  expiringSendCertificate: { ...base, identity: { address: 'alice@example.com', problems: [], expiresInDays: 12 }, recipients: [bob, carol], encryptionPossible: false },
  /** SEC-19: a reply to encrypted mail, encryption on by default. */
  replyToEncrypted: { ...base, encrypt: true, replyToEncrypted: true },
  /** The send hook failed after onBeforeSend (the key locked meanwhile). */
  hookFailed: { ...base, sign: true, lastFailure: 'Your key was locked before the message was signed. Nothing was sent; send it again and enter your passphrase.' },
} satisfies Record<string, ComposeView>;

export type ViewName = keyof typeof VIEWS;
