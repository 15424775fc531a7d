/**
 * The unlocked session (SEC-40): the only place unlocked private keys live, in memory, in this
 * module's closure. It locks after an idle timeout (default 15 min, 1–240, or only when Thunderbird
 * closes), on demand, and, being memory only, on every background restart. Each use resets the
 * idle timer. The passphrase is never held here.
 */
import { SmimeError, type DecryptionIdentity, type DecryptionKey, type HashName, type KeystorePolicy } from '../../crypto/index.js';
import type { UnlockedKey } from './unlocked-key.js';

/** Time source and timers, injected so tests control them. */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Idle minutes, or `null` for "until Thunderbird closes". */
export type AutoLockSetting = number | null;

export interface KeySession {
  isUnlocked(): boolean;
  /** ISO time of the auto-lock, or null when locked or when locking only at shutdown. */
  unlockedUntil(): string | null;
  autoLockMinutes(): AutoLockSetting;
  /** Clamps to the policy's range. */
  setAutoLock(minutes: AutoLockSetting): void;
  /** Replaces the unlocked keys and starts the idle timer. */
  open(keys: ReadonlyMap<string, UnlockedKey>): void;
  /** Adds keys unwrapped while already unlocked (an import). Ignored when locked. */
  add(identityId: string, key: UnlockedKey): void;
  /** Forgets one identity's keys (it was deleted). */
  forget(identityId: string): void;
  /**
   * The non-extractable signing key of an identity; resets the idle timer.
   * @throws SmimeError `KEYSTORE_LOCKED` when locked, `KEYSTORE_NOT_FOUND` for an unknown identity.
   */
  signingKey(identityId: string, hash: HashName): CryptoKey;
  /** Runs `use` with an identity's decryption handle; resets the idle timer. Errors as for `signingKey`. */
  withDecryptionKey<T>(identityId: string, use: (key: DecryptionKey) => Promise<T>): Promise<T>;
  /**
   * Every unlocked identity (old ones too, so old mail still opens) as the decryption engine takes
   * them; resets the idle timer.
   * @throws SmimeError `KEYSTORE_LOCKED` when locked.
   */
  decryptionIdentities(): DecryptionIdentity[];
  /** Drops every key reference now. */
  lock(): void;
  /** Called whenever the session locks (for status updates). */
  onLock(listener: () => void): void;
}

export function createKeySession(policy: KeystorePolicy, clock: Clock = systemClock): KeySession {
  let keys = new Map<string, UnlockedKey>();
  let unlocked = false;
  let autoLock: AutoLockSetting = policy.autoLockMinutes;
  let timer: unknown = null;
  let deadline: number | null = null;
  const lockListeners: (() => void)[] = [];

  function clearTimer(): void {
    if (timer !== null) clock.clearTimeout(timer);
    timer = null;
    deadline = null;
  }

  function lock(): void {
    clearTimer();
    const wasUnlocked = unlocked;
    keys = new Map();
    unlocked = false;
    if (wasUnlocked) for (const listener of lockListeners) listener();
  }

  function touch(): void {
    clearTimer();
    if (!unlocked || autoLock === null) return;
    const ms = autoLock * 60_000;
    deadline = clock.now() + ms;
    timer = clock.setTimeout(lock, ms);
  }

  function get(identityId: string): UnlockedKey {
    if (!unlocked) throw new SmimeError('KEYSTORE_LOCKED', 'the key store is locked');
    const key = keys.get(identityId);
    if (!key) throw new SmimeError('KEYSTORE_NOT_FOUND', `no unlocked key for identity ${identityId}`, { detail: { id: identityId } });
    touch();
    return key;
  }

  return {
    isUnlocked: () => unlocked,
    unlockedUntil: () => (unlocked && deadline !== null ? new Date(deadline).toISOString() : null),
    autoLockMinutes: () => autoLock,
    setAutoLock(minutes) {
      autoLock = minutes === null ? null : Math.min(Math.max(Math.round(minutes), policy.minAutoLockMinutes), policy.maxAutoLockMinutes);
      touch();
    },
    open(newKeys) {
      keys = new Map(newKeys);
      unlocked = true;
      touch();
    },
    add(identityId, key) {
      if (!unlocked) return;
      keys.set(identityId, key);
      touch();
    },
    forget(identityId) {
      keys.delete(identityId);
    },
    signingKey: (identityId, hash) => get(identityId).signing[hash],
    withDecryptionKey: async (identityId, use) => use(get(identityId).decryption),
    decryptionIdentities() {
      if (!unlocked) throw new SmimeError('KEYSTORE_LOCKED', 'the key store is locked');
      touch();
      return [...keys.values()].map((key) => ({ certificate: key.certificate, key: key.decryption }));
    },
    lock,
    onLock(listener) {
      lockListeners.push(listener);
    },
  };
}
