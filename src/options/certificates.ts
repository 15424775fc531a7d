/** Presentation helpers for certificates: names, days left, expiry reminders. */
import type { IdentitySummary } from '../shared/keys-protocol.js';

const DAY_MS = 86_400_000;

/** The CN of a subject string such as "CN=Alice, O=Example", or the whole string if it has none. */
export function commonName(subject: string): string {
  const match = /(?:^|[,/+]\s*)CN=((?:\\.|[^,+/])*)/i.exec(subject);
  return match ? match[1]!.replace(/\\(.)/g, '$1').trim() : subject;
}

/** Whole days from `now` until `iso` (negative when past). */
export function daysUntil(iso: string, now: number): number {
  return Math.floor((Date.parse(iso) - now) / DAY_MS);
}

export type Validity = 'valid' | 'expiring' | 'expired' | 'not-yet-valid';

export function validity(notBefore: string, notAfter: string, now: number): Validity {
  if (Date.parse(notBefore) > now) return 'not-yet-valid';
  const days = daysUntil(notAfter, now);
  if (Date.parse(notAfter) < now) return 'expired';
  return days <= 30 ? 'expiring' : 'valid';
}

/** The reminder thresholds before a signing certificate expires (issue #8 item 2). */
export const EXPIRY_REMINDER_DAYS = [30, 14, 7] as const;

export interface ExpiryReminder {
  identity: IdentitySummary;
  address: string;
  daysLeft: number;
  /** The smallest threshold reached: 30, 14 or 7. */
  threshold: (typeof EXPIRY_REMINDER_DAYS)[number];
}

/** Reminders for current signing certificates that expire within 30 days (and have not yet expired). */
export function expiryReminders(identities: IdentitySummary[], now: number): ExpiryReminder[] {
  const reminders: ExpiryReminder[] = [];
  for (const identity of identities) {
    const daysLeft = daysUntil(identity.notAfter, now);
    if (Date.parse(identity.notAfter) < now || daysLeft > EXPIRY_REMINDER_DAYS[0]) continue;
    const threshold = [...EXPIRY_REMINDER_DAYS].reverse().find((d) => daysLeft <= d)!;
    for (const address of identity.currentSigningFor) reminders.push({ identity, address, daysLeft, threshold });
  }
  return reminders;
}

/** "AB:CD:…" for display; input is hex without separators. */
export function formatFingerprint(hex: string): string {
  return (hex.toUpperCase().match(/.{1,2}/g) ?? []).join(':');
}

export function formatDate(iso: string, locale?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleDateString(locale, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
}

export function base64ToBytes(b64: string): Uint8Array {
  const binary = atob(b64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes.slice()));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}
