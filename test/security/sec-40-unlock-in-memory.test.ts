/** SEC-40: unlocked keys live only in memory, as non-extractable keys, with auto-lock and lock-now. */
import { describe, expect, it } from 'vitest';
import { createTestPki } from '../helpers/pki.js';
import { DEFAULT_KEYSTORE_POLICY } from '../../src/crypto/index.js';
import { createKeySession } from '../../src/background/keystore/session.js';
import { createRig, crypto, importItem, manualClock, PASSPHRASE } from '../unit/keystore/rig.js';

const pki = await createTestPki(crypto);
const alice = pki.users.alice;
const MINUTE = 60_000;

describe('SEC-40 unlock lives in memory', () => {
  it('SEC-40a: unlocked signing and OAEP keys are non-extractable; exportKey rejects', async () => {
    const rig = await createRig();
    const [rsa, ec] = await rig.keystore.importIdentities([importItem(alice.rsa), importItem(alice.ec)], PASSPHRASE);
    await rig.keystore.unlock(PASSPHRASE);
    for (const id of [rsa.id, ec.id]) {
      for (const hash of ['SHA-256', 'SHA-384', 'SHA-512'] as const) {
        const key = rig.session.signingKey(id, hash);
        expect(key.extractable).toBe(false);
        await expect(crypto.subtle.exportKey('pkcs8', key)).rejects.toThrow();
      }
    }
    // Decryption goes through the engine's closure handle: operations only, no key bytes (SEC-40b).
    const handle = await rig.session.withDecryptionKey(rsa.id, async (key) => key);
    expect(Object.values(handle).filter((v) => v instanceof Uint8Array || v instanceof ArrayBuffer)).toEqual([]);
    for (const hash of ['SHA-1', 'SHA-256'] as const) expect((await handle.rsaOaep(hash)).extractable).toBe(false);
    expect(Object.keys(await handle.rsaPkcs1v15()).sort()).toEqual(['decryptPkcs1v15', 'kind', 'modulusBits']);
    const ecHandle = await rig.session.withDecryptionKey(ec.id, async (key) => key);
    expect((await ecHandle.keyAgreement()).extractable).toBe(false);
    const identities = rig.session.decryptionIdentities();
    expect(identities.map((i) => Buffer.from(i.certificate).toString('hex')).sort()).toEqual([alice.rsa, alice.ec].map((i) => Buffer.from(i.certificate).toString('hex')).sort());
    expect(identities.every((i) => i.pkcs8 === undefined)).toBe(true);
  });

  it('SEC-40c: auto-lock after 15 idle minutes by default; each use restarts the idle timer', async () => {
    const rig = await createRig();
    const [info] = await rig.keystore.importIdentities([importItem(alice.rsa)], PASSPHRASE);
    await rig.keystore.unlock(PASSPHRASE);
    expect(rig.session.autoLockMinutes()).toBe(DEFAULT_KEYSTORE_POLICY.autoLockMinutes);
    expect(rig.session.unlockedUntil()).toBe('2026-06-01T00:15:00.000Z');
    rig.clock.advance(14 * MINUTE);
    rig.session.signingKey(info.id, 'SHA-256');
    rig.clock.advance(14 * MINUTE);
    expect(rig.session.isUnlocked()).toBe(true);
    rig.clock.advance(1 * MINUTE + 1);
    expect(rig.session.isUnlocked()).toBe(false);
    expect(() => rig.session.signingKey(info.id, 'SHA-256')).toThrow(expect.objectContaining({ code: 'KEYSTORE_LOCKED' }));
    await expect(rig.session.withDecryptionKey(info.id, async () => 1)).rejects.toMatchObject({ code: 'KEYSTORE_LOCKED' });
  });

  it('SEC-40c: the timeout is configurable 1–240 minutes, or until Thunderbird closes', () => {
    const clock = manualClock();
    const session = createKeySession(DEFAULT_KEYSTORE_POLICY, clock);
    session.setAutoLock(0);
    expect(session.autoLockMinutes()).toBe(1);
    session.setAutoLock(10_000);
    expect(session.autoLockMinutes()).toBe(240);
    session.open(new Map());
    clock.advance(239 * MINUTE);
    expect(session.isUnlocked()).toBe(true);
    clock.advance(MINUTE);
    expect(session.isUnlocked()).toBe(false);

    session.setAutoLock(null);
    session.open(new Map());
    expect(session.unlockedUntil()).toBeNull();
    expect(clock.pending()).toBe(0);
    clock.advance(24 * 60 * MINUTE);
    expect(session.isUnlocked()).toBe(true);
  });

  it('SEC-40c: a background restart starts locked', async () => {
    const rig = await createRig();
    const [info] = await rig.keystore.importIdentities([importItem(alice.rsa)], PASSPHRASE);
    await rig.keystore.unlock(PASSPHRASE);
    const restarted = await rig.restart();
    expect(restarted.session.isUnlocked()).toBe(false);
    expect(() => restarted.session.signingKey(info.id, 'SHA-256')).toThrow(expect.objectContaining({ code: 'KEYSTORE_LOCKED' }));
  });

  it('SEC-40d: lock now drops every key reference and cancels the timer', async () => {
    const rig = await createRig();
    const [info] = await rig.keystore.importIdentities([importItem(alice.rsa)], PASSPHRASE);
    await rig.keystore.unlock(PASSPHRASE);
    let locks = 0;
    rig.session.onLock(() => {
      locks += 1;
    });
    expect(rig.clock.pending()).toBe(1);
    rig.session.lock();
    expect(locks).toBe(1);
    expect(rig.clock.pending()).toBe(0);
    expect(rig.session.unlockedUntil()).toBeNull();
    expect(() => rig.session.signingKey(info.id, 'SHA-256')).toThrow(expect.objectContaining({ code: 'KEYSTORE_LOCKED' }));
    // Unlocking again restores use; nothing was kept across the lock.
    await rig.keystore.unlock(PASSPHRASE);
    expect(rig.session.signingKey(info.id, 'SHA-256').extractable).toBe(false);
  });
});
