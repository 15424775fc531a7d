/**
 * Passphrase rules: minimum strength for a new passphrase (SEC-41f) and the in-memory back-off for
 * wrong ones (SEC-41e). Nothing here is persisted: a restart resets the counter, which costs an
 * attacker a Thunderbird restart per five guesses and each guess still costs one PBKDF2 at 600k.
 */
import { SmimeError, type KeystorePolicy } from '../../crypto/index.js';

export type PassphraseWeakness = 'too-short' | 'too-repetitive' | 'low-entropy';

export interface PassphraseAssessment {
  ok: boolean;
  reasons: PassphraseWeakness[];
  /** Rough entropy: length × log2(size of the character classes used). */
  estimatedBits: number;
}

function characterPool(passphrase: string): number {
  let pool = 0;
  if (/[a-z]/.test(passphrase)) pool += 26;
  if (/[A-Z]/.test(passphrase)) pool += 26;
  if (/[0-9]/.test(passphrase)) pool += 10;
  if (/[^a-zA-Z0-9]/u.test(passphrase)) pool += 33;
  return pool;
}

/**
 * Judges a new passphrase: accepted when it has at least `minPassphraseLength` characters, or a
 * shorter one reaches `minPassphraseEntropyBits`; in both cases it needs at least five different
 * characters, so `aaaaaaaaaaaa` and `121212121212` are refused.
 */
export function assessPassphrase(passphrase: string, policy: Pick<KeystorePolicy, 'minPassphraseLength' | 'minPassphraseEntropyBits'>): PassphraseAssessment {
  const characters = [...passphrase.normalize('NFC')];
  const distinct = new Set(characters).size;
  const estimatedBits = Math.round(characters.length * Math.log2(Math.max(characterPool(passphrase), 1)));
  const reasons: PassphraseWeakness[] = [];
  const longEnough = characters.length >= policy.minPassphraseLength;
  if (!longEnough && estimatedBits < policy.minPassphraseEntropyBits) reasons.push(characters.length < policy.minPassphraseLength ? 'too-short' : 'low-entropy');
  if (distinct < 5) reasons.push('too-repetitive');
  return { ok: reasons.length === 0, reasons, estimatedBits };
}

/** @throws SmimeError `KEYSTORE_WEAK_PASSPHRASE` with `detail.reasons` when the passphrase is too weak. */
export function requireStrongPassphrase(passphrase: string, policy: KeystorePolicy): void {
  const assessment = assessPassphrase(passphrase, policy);
  if (!assessment.ok) {
    throw new SmimeError('KEYSTORE_WEAK_PASSPHRASE', `the new passphrase is too weak: ${assessment.reasons.join(', ')}`, {
      detail: { reasons: assessment.reasons },
    });
  }
}

/**
 * Counts wrong passphrases in memory. After `failuresBeforeBackoff` failures every further attempt
 * waits `backoffBaseMs × 2^(failures − limit)`, capped at `backoffMaxMs`.
 */
export class AttemptLimiter {
  private failures = 0;
  private blockedUntil = 0;

  constructor(
    private readonly policy: Pick<KeystorePolicy, 'failuresBeforeBackoff' | 'backoffBaseMs' | 'backoffMaxMs'>,
    private readonly now: () => number,
  ) {}

  /** @throws SmimeError `KEYSTORE_RATE_LIMITED` with `detail.retryAfterMs` while backing off. */
  check(): void {
    const wait = this.blockedUntil - this.now();
    if (wait > 0) {
      throw new SmimeError('KEYSTORE_RATE_LIMITED', `too many wrong passphrases; try again in ${Math.ceil(wait / 1000)} s`, {
        detail: { retryAfterMs: wait, failures: this.failures },
      });
    }
  }

  recordFailure(): void {
    this.failures += 1;
    const over = this.failures - this.policy.failuresBeforeBackoff;
    if (over >= 0) {
      const delay = Math.min(this.policy.backoffBaseMs * 2 ** Math.min(over, 30), this.policy.backoffMaxMs);
      this.blockedUntil = this.now() + delay;
    }
  }

  recordSuccess(): void {
    this.failures = 0;
    this.blockedUntil = 0;
  }

  get failureCount(): number {
    return this.failures;
  }
}
