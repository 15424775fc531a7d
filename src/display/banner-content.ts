/**
 * Shape check for what the display script receives, so a malformed message (a bug, or something not
 * from our background) is dropped instead of half-rendered.
 */
import type { BannerContent, EncryptionState, SignatureState, Tone } from '../shared/read-protocol.js';
import { ENCRYPTION_STATES, SIGNATURE_STATES } from '../shared/read-text.js';

const TONES: readonly Tone[] = ['ok', 'warn', 'bad', 'info', 'action'];

export function isBannerContent(value: unknown): value is BannerContent {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { status?: unknown; securityPhrase?: unknown };
  if (typeof v.securityPhrase !== 'string' || typeof v.status !== 'object' || v.status === null) return false;
  const s = v.status as Record<string, unknown>;
  return (
    typeof s.messageId === 'number' &&
    (s.signature === null || SIGNATURE_STATES.includes(s.signature as SignatureState)) &&
    (s.encryption === null || ENCRYPTION_STATES.includes(s.encryption as EncryptionState)) &&
    TONES.includes(s.tone as Tone) &&
    Array.isArray(s.reasons) &&
    Array.isArray(s.chain) &&
    Array.isArray(s.recipients)
  );
}
