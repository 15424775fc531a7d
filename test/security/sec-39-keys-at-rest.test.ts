/**
 * SEC-39: private keys at rest in IndexedDB are PKCS#8 under AES-256-GCM with a PBKDF2-SHA256 key.
 * The record format is checked against Node's own PBKDF2/HKDF/AES-GCM (an independent implementation).
 */
import { createDecipheriv, hkdfSync, pbkdf2Sync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTestPki } from '../helpers/pki.js';
import { DEFAULT_KEYSTORE_POLICY, SmimeError } from '../../src/crypto/index.js';
import type { IdentityRecord, WrappedKey } from '../../src/background/keystore/records.js';
import { createRig, crypto, FAST_POLICY, importItem, PASSPHRASE, snapshot } from '../unit/keystore/rig.js';

const pki = await createTestPki(crypto);
const alice = pki.users.alice;
const bob = pki.users.bob;

/** Independent unwrap of a v1 record: PBKDF2 → HKDF(salt, info) → AES-256-GCM with the recomputed AAD. */
function unwrapIndependently(record: WrappedKey, passphrase: string, recordId: string, fingerprint: string): Buffer {
  const master = pbkdf2Sync(passphrase, record.kdfSalt, record.iter, 32, 'sha256');
  const key = Buffer.from(hkdfSync('sha256', master, record.salt, 'waxseal key record v1', 32));
  const decipher = createDecipheriv('aes-256-gcm', key, record.iv);
  decipher.setAAD(Buffer.from(`waxseal-key/v1\u0000${recordId}\u0000${fingerprint}`));
  decipher.setAuthTag(record.ct.subarray(record.ct.length - 16));
  return Buffer.concat([decipher.update(record.ct.subarray(0, record.ct.length - 16)), decipher.final()]);
}

async function identities(rig: Awaited<ReturnType<typeof createRig>>): Promise<IdentityRecord[]> {
  return rig.db.getAll('identities');
}

/** Every byte string and string reachable from a value. */
function leaves(value: unknown, out: (Uint8Array | string)[] = []): (Uint8Array | string)[] {
  if (value instanceof Uint8Array || typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => leaves(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => leaves(v, out));
  return out;
}

function hasPkcs8Prefix(bytes: Uint8Array): boolean {
  for (let i = 0; i + 8 <= bytes.length; i += 1) {
    if (bytes[i] === 0x30 && bytes[i + 1] === 0x82 && bytes[i + 4] === 0x02 && bytes[i + 5] === 0x01 && bytes[i + 6] === 0x00 && bytes[i + 7] === 0x30) return true;
  }
  return false;
}

describe('SEC-39 keys at rest', () => {
  it('SEC-39a: the record is {v, kdf, iter ≥ 600000, 16-byte salts, 12-byte IV, ct, aad} and opens with plain PBKDF2+HKDF+AES-256-GCM', async () => {
    const rig = await createRig(DEFAULT_KEYSTORE_POLICY);
    await rig.keystore.importIdentities([importItem(alice.rsa)], PASSPHRASE);
    const [record] = await identities(rig);
    const key = record.key;
    expect(Object.keys(key).sort()).toEqual(['aad', 'ct', 'iter', 'iv', 'kdf', 'kdfSalt', 'salt', 'v']);
    expect(key.v).toBe(1);
    expect(key.kdf).toBe('PBKDF2-SHA256');
    expect(key.iter).toBeGreaterThanOrEqual(600_000);
    expect(key.salt.byteLength).toBe(16);
    expect(key.kdfSalt.byteLength).toBe(16);
    expect(key.iv.byteLength).toBe(12);
    expect(new TextDecoder().decode(key.aad)).toBe(`waxseal-key/v1\u0000${record.id}\u0000${record.fingerprintSha256}`);
    const plain = unwrapIndependently(key, PASSPHRASE, record.id, record.fingerprintSha256);
    expect(plain.equals(Buffer.from(alice.rsa.pkcs8))).toBe(true);
    // AES-256-GCM: ciphertext is the plaintext length plus a 16-byte tag.
    expect(key.ct.byteLength).toBe(alice.rsa.pkcs8.byteLength + 16);
  });

  it('SEC-39b: raw IndexedDB values hold no PKCS#8 prefix and no PEM markers', async () => {
    const rig = await createRig();
    await rig.keystore.importIdentities([importItem(alice.rsa), importItem(alice.ec), importItem(bob.rsa)], PASSPHRASE);
    await rig.keystore.unlock(PASSPHRASE);
    const values = leaves(await snapshot(rig.db));
    expect(values.length).toBeGreaterThan(20);
    // The scan itself must be able to fail: the plain PKCS#8 of the test keys has the prefix.
    expect(hasPkcs8Prefix(alice.rsa.pkcs8)).toBe(true);
    for (const value of values) {
      if (typeof value === 'string') expect(value).not.toMatch(/-----BEGIN|PRIVATE KEY/);
      else {
        expect(hasPkcs8Prefix(value)).toBe(false);
        expect(Buffer.from(value).toString('latin1')).not.toMatch(/-----BEGIN/);
      }
    }
  });

  it('SEC-39c: swapping the ciphertexts of two records makes both fail to open, and both are reported', async () => {
    const rig = await createRig();
    await rig.keystore.importIdentities([importItem(alice.rsa), importItem(bob.rsa)], PASSPHRASE);
    const [a, b] = await identities(rig);
    await rig.db.put('identities', { ...a, key: b.key });
    await rig.db.put('identities', { ...b, key: a.key });
    const outcome = await rig.keystore.unlock(PASSPHRASE);
    expect(outcome.damaged.sort()).toEqual([a.id, b.id].sort());
    for (const id of [a.id, b.id]) {
      expect(() => rig.session.signingKey(id, 'SHA-256')).toThrow(expect.objectContaining({ code: 'KEYSTORE_NOT_FOUND' }));
    }
    // Damaged records are kept (never silently dropped), and a passphrase change refuses to proceed.
    expect(await rig.keystore.listIdentities()).toHaveLength(2);
    const error = await rig.keystore.changePassphrase(PASSPHRASE, 'a different good passphrase').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SmimeError);
    expect((error as SmimeError).code).toBe('KEYSTORE_DAMAGED_RECORD');
    expect((error as SmimeError).detail?.ids).toEqual(expect.arrayContaining([a.id, b.id]));
  });

  it('SEC-39c: only the record whose AAD was edited fails; the others unlock', async () => {
    const rig = await createRig();
    await rig.keystore.importIdentities([importItem(alice.rsa), importItem(bob.rsa)], PASSPHRASE);
    const [a, b] = await identities(rig);
    await rig.db.put('identities', { ...a, fingerprintSha256: b.fingerprintSha256 });
    const outcome = await rig.keystore.unlock(PASSPHRASE);
    expect(outcome.damaged).toEqual([a.id]);
    expect(rig.session.signingKey(b.id, 'SHA-256').type).toBe('private');
  });

  it('SEC-39d: two imports of the same key get different salts and IVs (same store, and two stores)', async () => {
    const rig = await createRig();
    await rig.keystore.importIdentities([importItem(alice.rsa)], PASSPHRASE);
    const [first] = await identities(rig);
    await rig.keystore.importIdentities([importItem(alice.rsa)], PASSPHRASE);
    const [second] = await identities(rig);
    const other = await createRig();
    await other.keystore.importIdentities([importItem(alice.rsa)], PASSPHRASE);
    const [third] = await identities(other);
    const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
    expect(new Set([first, second, third].map((r) => hex(r.key.salt))).size).toBe(3);
    expect(new Set([first, second, third].map((r) => hex(r.key.iv))).size).toBe(3);
    expect(hex(first.key.kdfSalt)).not.toBe(hex(third.key.kdfSalt));
    expect(hex(first.key.ct)).not.toBe(hex(second.key.ct));
  });

  it('SEC-39e: a record made at 310 000 iterations is re-wrapped at ≥ 600 000 on the next unlock', async () => {
    const old = await createRig({ ...DEFAULT_KEYSTORE_POLICY, pbkdf2Iterations: 310_000 });
    await old.keystore.importIdentities([importItem(alice.rsa)], PASSPHRASE);
    const [before] = await identities(old);
    expect(before.key.iter).toBe(310_000);
    old.db.close();

    const upgraded = await createRig(DEFAULT_KEYSTORE_POLICY, old.factory);
    const outcome = await upgraded.keystore.unlock(PASSPHRASE);
    expect(outcome.upgraded).toBe(true);
    const [after] = await identities(upgraded);
    expect(after.key.iter).toBe(600_000);
    expect((await upgraded.db.get('meta', 'store'))?.iter).toBe(600_000);
    expect(Buffer.from(after.key.salt).equals(Buffer.from(before.key.salt))).toBe(false);
    expect(unwrapIndependently(after.key, PASSPHRASE, after.id, after.fingerprintSha256).equals(Buffer.from(alice.rsa.pkcs8))).toBe(true);
    // A second unlock has nothing left to upgrade.
    expect((await upgraded.keystore.unlock(PASSPHRASE)).upgraded).toBe(false);
  });

  it('SEC-39e: the iteration count is read from the record, not assumed (a record at another count still opens)', async () => {
    const rig = await createRig({ ...FAST_POLICY, pbkdf2Iterations: 2000 });
    await rig.keystore.importIdentities([importItem(alice.rsa)], PASSPHRASE);
    const [record] = await identities(rig);
    expect(unwrapIndependently(record.key, PASSPHRASE, record.id, record.fingerprintSha256).length).toBe(alice.rsa.pkcs8.length);
    expect(() => unwrapIndependently({ ...record.key, iter: 1000 }, PASSPHRASE, record.id, record.fingerprintSha256)).toThrow();
  });
});
