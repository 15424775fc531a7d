import { describe, expect, it } from 'vitest';
import { createTestPki } from '../../helpers/pki.js';
import { SmimeError } from '../../../src/crypto/index.js';
import { createRig, crypto, importItem, OTHER_PASSPHRASE, PASSPHRASE, snapshot } from './rig.js';

const pki = await createTestPki(crypto);
const alice = pki.users.alice;
const bob = pki.users.bob;

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(SmimeError);
  return (error as SmimeError).code;
}

describe('key store: import, unlock, use', () => {
  it('imports with a first passphrase, then unlocks after a restart and signs with the stored key', async () => {
    const rig = await createRig();
    expect(await rig.keystore.isInitialised()).toBe(false);
    const [info] = await rig.keystore.importIdentities([importItem(alice.rsa, [pki.emailCa])], PASSPHRASE);
    expect(info.addresses).toEqual(['alice@example.com']);
    expect(info.currentSigningFor).toEqual(['alice@example.com']);
    expect(info.fingerprintSha256).toBe(Buffer.from(await crypto.subtle.digest('SHA-256', new Uint8Array(alice.rsa.certificate))).toString('hex'));

    const after = await rig.restart();
    expect(after.session.isUnlocked()).toBe(false);
    expect(await after.keystore.isInitialised()).toBe(true);
    const outcome = await after.keystore.unlock(PASSPHRASE);
    expect(outcome).toEqual({ damaged: [], unsupported: [], upgraded: false, upgradeError: null });

    // The unlocked key is the imported one: a signature verifies with the certificate's public key.
    const key = after.session.signingKey(info.id, 'SHA-256');
    const data = new TextEncoder().encode('hello');
    const signature = await crypto.subtle.sign('RSASSA-PKCS1-v1_5', key, data);
    expect(await crypto.subtle.verify('RSASSA-PKCS1-v1_5', alice.rsa.publicKey, signature, data)).toBe(true);
    const stored = await after.keystore.getCertificate(info.id);
    expect(Buffer.from(stored.chain[0]).equals(Buffer.from(pki.emailCa.certificate))).toBe(true);
  });

  it('EC identities unlock to ECDSA signing and ECDH decryption keys', async () => {
    const rig = await createRig();
    const [info] = await rig.keystore.importIdentities([importItem(alice.ec)], PASSPHRASE);
    await rig.keystore.unlock(PASSPHRASE);
    const data = new TextEncoder().encode('ec');
    const signature = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, rig.session.signingKey(info.id, 'SHA-256'), data);
    expect(await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, alice.ec.publicKey, signature, data)).toBe(true);
    expect(await rig.session.withDecryptionKey(info.id, async (key) => key.algorithm)).toBe('EC');
  });

  it('the first passphrase must be strong (SEC-41f)', async () => {
    const rig = await createRig();
    expect(await codeOf(rig.keystore.importIdentities([importItem(alice.rsa)], 'short'))).toBe('KEYSTORE_WEAK_PASSPHRASE');
    expect(await rig.keystore.isInitialised()).toBe(false);
  });

  it('a later import needs the store passphrase; a wrong one changes nothing', async () => {
    const rig = await createRig();
    await rig.keystore.importIdentities([importItem(alice.rsa)], PASSPHRASE);
    const before = await snapshot(rig.db);
    expect(await codeOf(rig.keystore.importIdentities([importItem(bob.rsa)], OTHER_PASSPHRASE))).toBe('KEYSTORE_WRONG_PASSPHRASE');
    expect(await snapshot(rig.db)).toEqual(before);
  });

  it('a missing or empty passphrase from a request is a wrong passphrase, not an internal error', async () => {
    const rig = await createRig();
    await rig.keystore.importIdentities([importItem(alice.rsa)], PASSPHRASE);
    rig.session.lock();
    for (const passphrase of [null, undefined, '', 42]) {
      expect(await codeOf(rig.keystore.unlock(passphrase as unknown as string))).toBe('KEYSTORE_WRONG_PASSPHRASE');
    }
    expect(await codeOf(rig.keystore.changePassphrase(null as unknown as string, OTHER_PASSPHRASE))).toBe('KEYSTORE_WRONG_PASSPHRASE');
    expect(rig.session.isUnlocked()).toBe(false);
  });

  it('unlock before any import reports KEYSTORE_NOT_INITIALISED', async () => {
    const rig = await createRig();
    expect(await codeOf(rig.keystore.unlock(PASSPHRASE))).toBe('KEYSTORE_NOT_INITIALISED');
  });

  it('keeps old certificates of an address; the newest becomes current; signing and encryption may differ', async () => {
    const rig = await createRig();
    const renewed = await pki.issue({ issuer: pki.emailCa, subject: 'CN=Alice 2026', emails: [alice.email], notBefore: new Date('2026-01-01T00:00:00Z') });
    const [first] = await rig.keystore.importIdentities([importItem(alice.rsa)], PASSPHRASE);
    const [second] = await rig.keystore.importIdentities([importItem(renewed)], PASSPHRASE);
    expect((await rig.keystore.listIdentities()).map((i) => i.id).sort()).toEqual([first.id, second.id].sort());
    expect(await rig.keystore.currentIdentity(alice.email, 'signing')).toBe(second.id);
    await rig.keystore.setCurrent(alice.email, 'encryption', first.id);
    expect(await rig.keystore.currentIdentity(alice.email, 'encryption')).toBe(first.id);
    expect(await rig.keystore.currentIdentity(alice.email, 'signing')).toBe(second.id);
    expect(await codeOf(rig.keystore.setCurrent(bob.email, 'signing', first.id))).toBe('CERTIFICATE_NOT_USABLE');
  });

  it('an older certificate imported later does not take over as current', async () => {
    const rig = await createRig();
    const older = await pki.issue({ issuer: pki.emailCa, subject: 'CN=Alice 2024', emails: [alice.email], notBefore: new Date('2024-01-01T00:00:00Z') });
    const [current] = await rig.keystore.importIdentities([importItem(alice.rsa)], PASSPHRASE);
    await rig.keystore.importIdentities([importItem(older)], PASSPHRASE);
    expect(await rig.keystore.currentIdentity(alice.email, 'signing')).toBe(current.id);
  });

  it('delete says what becomes unreadable and moves the current choice', async () => {
    const rig = await createRig();
    const sameKey = await pki.issue({ issuer: pki.emailCa, subject: 'CN=Alice same key', emails: [alice.email], keys: { ...alice.rsa, keyAlgorithm: 'RSA-2048' }, notBefore: new Date('2026-02-01T00:00:00Z') });
    const [a] = await rig.keystore.importIdentities([importItem(alice.rsa)], PASSPHRASE);
    const [b] = await rig.keystore.importIdentities([importItem(bob.rsa)], PASSPHRASE);
    const [c] = await rig.keystore.importIdentities([importItem(sameKey)], PASSPHRASE);
    expect(await rig.keystore.currentIdentity(alice.email, 'signing')).toBe(c.id);

    const preview = await rig.keystore.previewDelete(b.id);
    expect(preview).toMatchObject({ encryptedMailBecomesUnreadable: true, addressesWithoutSigningIdentity: ['bob@example.com'] });
    expect(await rig.keystore.listIdentities()).toHaveLength(3);

    const outcome = await rig.keystore.deleteIdentity(c.id);
    expect(outcome.encryptedMailBecomesUnreadable).toBe(false); // alice.rsa has the same key
    expect(await rig.keystore.currentIdentity(alice.email, 'signing')).toBe(a.id);
    expect(await codeOf(rig.keystore.deleteIdentity(c.id))).toBe('KEYSTORE_NOT_FOUND');
  });

  it('a delete that fails mid-way changes nothing', async () => {
    const rig = await createRig();
    const [a] = await rig.keystore.importIdentities([importItem(alice.rsa)], PASSPHRASE);
    const before = await snapshot(rig.db);
    rig.faults.fail = (operation, step) => operation === 'delete' && step === 1;
    await expect(rig.keystore.deleteIdentity(a.id)).rejects.toThrow(/injected/);
    expect(await snapshot(rig.db)).toEqual(before);
  });

  it('an import that fails mid-way stores nothing, and the store stays uninitialised', async () => {
    const rig = await createRig();
    rig.faults.fail = (operation, step) => operation === 'import' && step === 2;
    await expect(rig.keystore.importIdentities([importItem(alice.rsa), importItem(bob.rsa)], PASSPHRASE)).rejects.toThrow(/injected/);
    expect(await rig.keystore.isInitialised()).toBe(false);
    expect(await rig.keystore.listIdentities()).toEqual([]);
  });

  it('two imports at once both land under the same passphrase', async () => {
    const rig = await createRig();
    await Promise.all([
      rig.keystore.importIdentities([importItem(alice.rsa)], PASSPHRASE),
      rig.keystore.importIdentities([importItem(bob.rsa)], PASSPHRASE),
    ]);
    expect(await rig.keystore.listIdentities()).toHaveLength(2);
    expect((await rig.keystore.unlock(PASSPHRASE)).damaged).toEqual([]);
  });

  it('an import during a passphrase change is wrapped under the new passphrase or refused, never lost', async () => {
    const rig = await createRig();
    await rig.keystore.importIdentities([importItem(alice.rsa)], PASSPHRASE);
    const change = rig.keystore.changePassphrase(PASSPHRASE, OTHER_PASSPHRASE);
    const late = rig.keystore.importIdentities([importItem(bob.rsa)], PASSPHRASE).then(() => 'ok', (e: SmimeError) => e.code);
    await change;
    // Queued behind the change, the import sees the new passphrase and refuses the old one.
    expect(await late).toBe('KEYSTORE_WRONG_PASSPHRASE');
    await rig.keystore.importIdentities([importItem(bob.rsa)], OTHER_PASSPHRASE);
    const outcome = await rig.keystore.unlock(OTHER_PASSPHRASE);
    expect(outcome.damaged).toEqual([]);
    expect(await rig.keystore.listIdentities()).toHaveLength(2);
  });

  it('re-importing the same certificate keeps one identity', async () => {
    const rig = await createRig();
    const [first] = await rig.keystore.importIdentities([importItem(alice.rsa)], PASSPHRASE);
    const [again] = await rig.keystore.importIdentities([importItem(alice.rsa)], PASSPHRASE);
    expect(again.id).toBe(first.id);
    expect(await rig.keystore.listIdentities()).toHaveLength(1);
  });

  it('export needs the passphrase and returns the stored key', async () => {
    const rig = await createRig();
    const [a] = await rig.keystore.importIdentities([importItem(alice.rsa)], PASSPHRASE);
    expect(await codeOf(rig.keystore.unwrapForExport(a.id, OTHER_PASSPHRASE))).toBe('KEYSTORE_WRONG_PASSPHRASE');
    const material = await rig.keystore.unwrapForExport(a.id, PASSPHRASE);
    expect(Buffer.from(material.pkcs8).equals(Buffer.from(alice.rsa.pkcs8))).toBe(true);
  });

  it('a certificate with no address is refused', async () => {
    const rig = await createRig();
    const nameless = await pki.issue({ issuer: pki.emailCa, subject: 'CN=No Address' });
    expect(await codeOf(rig.keystore.importIdentities([importItem(nameless)], PASSPHRASE))).toBe('CERTIFICATE_NOT_USABLE');
  });
});

describe('key store: import while unlocked', () => {
  it('a key imported into an unlocked session can be used at once; the session stays unlocked', async () => {
    const rig = await createRig();
    await rig.keystore.importIdentities([importItem(alice.rsa)], PASSPHRASE);
    await rig.keystore.unlock(PASSPHRASE);
    const [added] = await rig.keystore.importIdentities([importItem(bob.ec)], PASSPHRASE);
    expect(rig.session.signingKey(added.id, 'SHA-256').algorithm.name).toBe('ECDSA');
  });

  it('the first import, which sets the passphrase, leaves the store unlocked with exactly its keys', async () => {
    const rig = await createRig();
    const [info] = await rig.keystore.importIdentities([importItem(alice.rsa)], PASSPHRASE);
    expect(rig.session.isUnlocked()).toBe(true);
    expect(rig.session.signingKey(info.id, 'SHA-256')).toBeDefined();
  });

  it('a key imported later while locked stays locked until unlock', async () => {
    const rig = await createRig();
    await rig.keystore.importIdentities([importItem(alice.rsa)], PASSPHRASE);
    rig.session.lock();
    const [info] = await rig.keystore.importIdentities([importItem(bob.rsa)], PASSPHRASE);
    expect(() => rig.session.signingKey(info.id, 'SHA-256')).toThrow(expect.objectContaining({ code: 'KEYSTORE_LOCKED' }));
  });
});

describe('key store: iteration upgrade on unlock', () => {
  it('a failed upgrade leaves the old records intact and still unlocks; the next unlock upgrades', async () => {
    const { FAST_POLICY } = await import('./rig.js');
    const old = await createRig({ ...FAST_POLICY, pbkdf2Iterations: 1000 });
    const [info] = await old.keystore.importIdentities([importItem(alice.rsa)], PASSPHRASE);
    old.db.close();
    const rig = await createRig({ ...FAST_POLICY, pbkdf2Iterations: 3000 }, old.factory);
    const before = await snapshot(rig.db);
    rig.faults.fail = (operation) => operation === 'upgrade';
    const failed = await rig.keystore.unlock(PASSPHRASE);
    expect(failed).toMatchObject({ upgraded: false, upgradeError: expect.stringMatching(/injected/) });
    expect(rig.session.signingKey(info.id, 'SHA-256').type).toBe('private');
    expect(await snapshot(rig.db)).toEqual(before);
    rig.faults.fail = null;
    expect((await rig.keystore.unlock(PASSPHRASE)).upgraded).toBe(true);
    expect((await rig.db.get('identities', info.id))?.key.iter).toBe(3000);
  });

  it('parallel wrong passphrases for export cannot slip past the back-off', async () => {
    const rig = await createRig();
    const [info] = await rig.keystore.importIdentities([importItem(alice.rsa)], PASSPHRASE);
    const codes = await Promise.all(Array.from({ length: 8 }, (_, i) => rig.keystore.unwrapForExport(info.id, `wrong guess ${i}`).then(() => 'ok', (e: SmimeError) => e.code)));
    expect(codes.filter((c) => c === 'KEYSTORE_WRONG_PASSPHRASE')).toHaveLength(5);
    expect(codes.filter((c) => c === 'KEYSTORE_RATE_LIMITED')).toHaveLength(3);
  });
});
