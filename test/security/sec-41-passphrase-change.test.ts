/** SEC-41: the passphrase changes only with the current one, atomically, and to a strong one. */
import { describe, expect, it } from 'vitest';
import { createTestPki } from '../helpers/pki.js';
import { SmimeError } from '../../src/crypto/index.js';
import type { StoreMeta } from '../../src/background/keystore/records.js';
import { createRig, crypto, importItem, OTHER_PASSPHRASE, PASSPHRASE, snapshot } from '../unit/keystore/rig.js';

const pki = await createTestPki(crypto);
const { alice, bob, dave } = pki.users;

async function errorOf(promise: Promise<unknown>): Promise<SmimeError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(SmimeError);
  return error as SmimeError;
}

async function threeKeyStore() {
  const rig = await createRig();
  const infos = await rig.keystore.importIdentities([importItem(alice.rsa), importItem(bob.ec), importItem(dave.rsa)], PASSPHRASE);
  return { rig, ids: infos.map((i) => i.id) };
}

describe('SEC-41 passphrase change', () => {
  it('SEC-41a: a wrong current passphrase is rejected and the records are byte-for-byte unchanged', async () => {
    const { rig } = await threeKeyStore();
    const before = await snapshot(rig.db);
    expect((await errorOf(rig.keystore.changePassphrase('not the passphrase at all', OTHER_PASSPHRASE))).code).toBe('KEYSTORE_WRONG_PASSPHRASE');
    expect(await snapshot(rig.db)).toEqual(before);
  });

  it('SEC-41b: the current passphrase is proven by a GCM tag check, not a stored verifier', async () => {
    const { rig } = await threeKeyStore();
    const meta = (await rig.db.get('meta', 'store')) as StoreMeta;
    // The meta record holds only KDF parameters and a wrapped canary: no hash of the passphrase.
    expect(Object.keys(meta).sort()).toEqual(['canary', 'createdAt', 'iter', 'kdf', 'kdfSalt', 'name', 'passphraseChangedAt']);
    // Flip one bit of the canary's tag: the right passphrase no longer verifies, so the check is the tag.
    const ct = new Uint8Array(meta.canary.ct);
    ct[ct.length - 1] ^= 1;
    await rig.db.put('meta', { ...meta, canary: { ...meta.canary, ct } });
    expect((await errorOf(rig.keystore.changePassphrase(PASSPHRASE, OTHER_PASSPHRASE))).code).toBe('KEYSTORE_WRONG_PASSPHRASE');
  });

  it('SEC-41c: a failure injected at every write of the change leaves the old passphrase opening everything', async () => {
    const { rig, ids } = await threeKeyStore();
    const before = await snapshot(rig.db);
    const writes = ids.length + 1; // every identity, then the meta record
    for (let step = 0; step < writes; step += 1) {
      rig.faults.fail = (operation, at) => operation === 'changePassphrase' && at === step;
      await expect(rig.keystore.changePassphrase(PASSPHRASE, OTHER_PASSPHRASE)).rejects.toThrow(/injected/);
      expect(await snapshot(rig.db)).toEqual(before);
    }
    rig.faults.fail = null;
    expect((await errorOf(rig.keystore.unlock(OTHER_PASSPHRASE))).code).toBe('KEYSTORE_WRONG_PASSPHRASE');
    const outcome = await rig.keystore.unlock(PASSPHRASE);
    expect(outcome.damaged).toEqual([]);
    for (const id of ids) expect(rig.session.signingKey(id, 'SHA-256').type).toBe('private');
  });

  it('SEC-41c: all records get new salts in one change', async () => {
    const { rig } = await threeKeyStore();
    const before = await rig.db.getAll('identities');
    await rig.keystore.changePassphrase(PASSPHRASE, OTHER_PASSPHRASE);
    const after = await rig.db.getAll('identities');
    const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
    for (const record of after) {
      const old = before.find((r) => r.id === record.id);
      expect(old).toBeDefined();
      expect(hex(record.key.salt)).not.toBe(hex(old!.key.salt));
      expect(hex(record.key.kdfSalt)).not.toBe(hex(old!.key.kdfSalt));
      expect(hex(record.key.iv)).not.toBe(hex(old!.key.iv));
    }
    expect(new Set(after.map((r) => hex(r.key.kdfSalt))).size).toBe(1);
  });

  it('SEC-41d: after the change the old passphrase fails and the new one opens every key', async () => {
    const { rig, ids } = await threeKeyStore();
    await rig.keystore.changePassphrase(PASSPHRASE, OTHER_PASSPHRASE);
    expect((await errorOf(rig.keystore.unlock(PASSPHRASE))).code).toBe('KEYSTORE_WRONG_PASSPHRASE');
    const restarted = await rig.restart();
    expect((await restarted.keystore.unlock(OTHER_PASSPHRASE)).damaged).toEqual([]);
    for (const id of ids) expect(restarted.session.signingKey(id, 'SHA-256').type).toBe('private');
  });

  it('SEC-41e: after 5 wrong passphrases attempts back off exponentially, in memory', async () => {
    const { rig } = await threeKeyStore();
    for (let i = 0; i < 5; i += 1) expect((await errorOf(rig.keystore.unlock(`wrong passphrase ${i}`))).code).toBe('KEYSTORE_WRONG_PASSPHRASE');
    // Even the right passphrase waits now: no oracle during the back-off.
    const limited = await errorOf(rig.keystore.unlock(PASSPHRASE));
    expect(limited.code).toBe('KEYSTORE_RATE_LIMITED');
    expect(limited.detail?.retryAfterMs).toBe(1000);
    expect((await errorOf(rig.keystore.changePassphrase(PASSPHRASE, OTHER_PASSPHRASE))).code).toBe('KEYSTORE_RATE_LIMITED');
    rig.clock.advance(1000);
    expect((await errorOf(rig.keystore.unlock('wrong passphrase 6'))).code).toBe('KEYSTORE_WRONG_PASSPHRASE');
    expect((await errorOf(rig.keystore.unlock(PASSPHRASE))).detail?.retryAfterMs).toBe(2000);
    rig.clock.advance(2000);
    await rig.keystore.unlock(PASSPHRASE);
    // Success resets the counter.
    expect((await errorOf(rig.keystore.unlock('wrong again'))).code).toBe('KEYSTORE_WRONG_PASSPHRASE');
    // A restart (a new key store object) forgets the counter: nothing is persisted.
    const restarted = await rig.restart();
    expect((await restarted.keystore.unlock(PASSPHRASE)).damaged).toEqual([]);
  });

  it('SEC-41f: a weak new passphrase is refused with a reason, and nothing changes', async () => {
    const { rig } = await threeKeyStore();
    const before = await snapshot(rig.db);
    for (const [weak, reason] of [['short1!', 'too-short'], ['aaaaaaaaaaaaaaaa', 'too-repetitive'], ['121212121212', 'too-repetitive']] as const) {
      const error = await errorOf(rig.keystore.changePassphrase(PASSPHRASE, weak));
      expect(error.code).toBe('KEYSTORE_WEAK_PASSPHRASE');
      expect(error.detail?.reasons).toContain(reason);
    }
    expect(await snapshot(rig.db)).toEqual(before);
  });
});
