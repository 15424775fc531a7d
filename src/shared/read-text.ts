/**
 * Message names for the reading states, shared by the banner, the toolbar and the popup so all three
 * say the same thing. Names follow `_locales/*\/messages.json` rules (letters, digits, `_`).
 */
import type { ContinuityNotice, DisplayStatus, EncryptionState, SignatureState } from './read-protocol.js';

const key = (state: string): string => state.replace(/-/g, '_');

/** One sentence for the signature state (banner headline, toolbar title). */
export const signatureHeadline = (state: SignatureState): string => `banner_sig_${key(state)}`;
/** "What caused this?" */
export const signatureCause = (state: SignatureState): string => `banner_sigCause_${key(state)}`;
/** "What should I do?" */
export const signatureAdvice = (state: SignatureState): string => `banner_sigAdvice_${key(state)}`;

export const encryptionHeadline = (state: EncryptionState): string => `banner_enc_${key(state)}`;
export const encryptionCause = (state: EncryptionState): string => `banner_encCause_${key(state)}`;
export const encryptionAdvice = (state: EncryptionState): string => `banner_encAdvice_${key(state)}`;

export const continuityText = (notice: ContinuityNotice): string => `banner_continuity_${key(notice)}`;

/** The headline of a whole status: the signature's when signed, else the encryption's, else "not signed". */
export function headlineOf(status: DisplayStatus | null): string {
  if (status?.signature) return signatureHeadline(status.signature);
  if (status?.encryption) return encryptionHeadline(status.encryption);
  return 'read_notSigned';
}

/** Every message name a status can need, for the completeness test of the locales. */
export const SIGNATURE_STATES: readonly SignatureState[] = [
  'valid', 'unknown-ca', 'not-sender', 'expired-since-signing', 'expired', 'revoked', 'modified', 'weak-algorithm', 'partial', 'not-addressed-to-you', 'invalid', 'warning', 'unreadable',
];
export const ENCRYPTION_STATES: readonly EncryptionState[] = ['authenticated', 'unauthenticated', 'cannot-decrypt', 'locked'];
export const CONTINUITY_NOTICES: readonly ContinuityNotice[] = ['first-certificate', 'renewed', 'key-changed'];

/** A short badge on the toolbar button per tone, so the state is readable without colour. */
export const TONE_BADGE = { ok: '', warn: '!', bad: '✕', info: '', action: '🔒' } as const;
