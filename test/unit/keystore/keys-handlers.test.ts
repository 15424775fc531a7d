import { describe, expect, it } from 'vitest';
import { createTestPki, toPem } from '../../helpers/pki.js';
import { importPkcs12, SmimeError } from '../../../src/crypto/index.js';
import { ForbiddenSenderError } from '../../../src/background/handlers/keys.js';
import { createHandlerRig, OPTIONS, p12Of, POPUP } from './handler-rig.js';
import { crypto, OTHER_PASSPHRASE, PASSPHRASE } from './rig.js';

const pki = await createTestPki(crypto);
const { alice, bob } = pki.users;
const P12_PASSWORD = 'p12 test password';

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(SmimeError);
  return (error as SmimeError).code;
}

describe('key-management handlers', () => {
  it('import → status → unlock → export → the exported file opens with the export password and holds the same key', async () => {
    const rig = await createHandlerRig();
    expect(await rig.handlers.keystoreStatus({}, OPTIONS)).toEqual({ initialised: false, locked: true, autoLockMinutes: 15, unlockedUntil: null, identityCount: 0 });
    const { imported, status } = await rig.handlers.importPkcs12({ p12: await p12Of(alice.rsa, P12_PASSWORD, [pki.emailCa]), p12Password: P12_PASSWORD, passphrase: PASSPHRASE }, OPTIONS);
    expect(imported.map((i) => [i.addresses, i.usableForSigning, i.usableForEncryption, i.friendlyName])).toEqual([[[alice.email], true, true, 'alice-rsa']]);
    // The first import sets the passphrase and leaves the store unlocked.
    expect(status).toMatchObject({ initialised: true, locked: false, identityCount: 1 });
    await rig.handlers.lock({}, OPTIONS);

    const unlocked = await rig.handlers.unlock({ passphrase: PASSPHRASE }, OPTIONS);
    expect(unlocked.status.locked).toBe(false);
    expect(unlocked.status.unlockedUntil).toBe('2026-06-01T00:15:00.000Z');

    const exported = await rig.handlers.exportPkcs12({ id: imported[0].id, passphrase: PASSPHRASE, exportPassword: 'export password 2026' }, OPTIONS);
    expect(exported.fileName).toBe('alice-rsa.p12');
    const reopened = await importPkcs12(exported.p12, 'export password 2026', { crypto });
    expect(Buffer.from(reopened.identities[0].pkcs8).equals(Buffer.from(alice.rsa.pkcs8))).toBe(true);
    expect(reopened.identities[0].chain.map((c) => Buffer.from(c).toString('hex'))).toEqual([Buffer.from(pki.emailCa.certificate).toString('hex')]);
  });

  it('export needs the passphrase again and a strong export password', async () => {
    const rig = await createHandlerRig();
    const { imported } = await rig.handlers.importPkcs12({ p12: await p12Of(alice.rsa, P12_PASSWORD), p12Password: P12_PASSWORD, passphrase: PASSPHRASE }, OPTIONS);
    expect(await codeOf(rig.handlers.exportPkcs12({ id: imported[0].id, passphrase: OTHER_PASSPHRASE, exportPassword: 'export password 2026' }, OPTIONS))).toBe('KEYSTORE_WRONG_PASSPHRASE');
    expect(await codeOf(rig.handlers.exportPkcs12({ id: imported[0].id, passphrase: PASSPHRASE, exportPassword: 'x' }, OPTIONS))).toBe('KEYSTORE_WEAK_PASSPHRASE');
  });

  it('a wrong PKCS#12 password is the engine\'s typed error and stores nothing', async () => {
    const rig = await createHandlerRig();
    expect(await codeOf(rig.handlers.importPkcs12({ p12: await p12Of(alice.rsa, P12_PASSWORD), p12Password: 'nope', passphrase: PASSPHRASE }, OPTIONS))).toBe('PKCS12_WRONG_PASSWORD');
    expect((await rig.handlers.keystoreStatus({}, OPTIONS)).initialised).toBe(false);
  });

  it('a PKCS#12 whose certificate is for TLS only is refused', async () => {
    const rig = await createHandlerRig();
    const tls = await pki.issue({ issuer: pki.tlsCa, subject: 'CN=server', emails: ['alice@example.com'], eku: ['serverAuth'] });
    expect(await codeOf(rig.handlers.importPkcs12({ p12: await p12Of(tls, P12_PASSWORD), p12Password: P12_PASSWORD, passphrase: PASSPHRASE }, OPTIONS))).toBe('PKCS12_CERT_NOT_FOR_EMAIL');
  });

  it('lock, auto-lock setting (persisted), passphrase change and delete', async () => {
    const rig = await createHandlerRig();
    const { imported } = await rig.handlers.importPkcs12({ p12: await p12Of(alice.rsa, P12_PASSWORD), p12Password: P12_PASSWORD, passphrase: PASSPHRASE }, OPTIONS);
    await rig.handlers.unlock({ passphrase: PASSPHRASE }, OPTIONS);
    expect((await rig.handlers.setAutoLock({ minutes: 60 }, OPTIONS)).unlockedUntil).toBe('2026-06-01T01:00:00.000Z');
    expect(rig.area.data.get('settings')).toMatchObject({ version: 2, autoLock: { mode: 'idle', minutes: 60 } });
    expect((await rig.handlers.setAutoLock({ minutes: null }, OPTIONS)).autoLockMinutes).toBeNull();
    expect((await rig.handlers.lock({}, POPUP)).locked).toBe(true);
    await rig.handlers.changePassphrase({ currentPassphrase: PASSPHRASE, newPassphrase: OTHER_PASSPHRASE }, OPTIONS);
    expect((await rig.handlers.unlock({ passphrase: OTHER_PASSPHRASE }, OPTIONS)).damaged).toEqual([]);
    expect(await rig.handlers.checkPassphraseStrength({ passphrase: 'abc' }, OPTIONS)).toMatchObject({ ok: false, reasons: ['too-short', 'too-repetitive'] });
    expect((await rig.handlers.previewDeleteIdentity({ id: imported[0].id }, OPTIONS)).encryptedMailBecomesUnreadable).toBe(true);
    await rig.handlers.deleteIdentity({ id: imported[0].id }, OPTIONS);
    expect(await rig.handlers.listIdentities({}, OPTIONS)).toEqual([]);
  });

  it('people\'s certificates: import by hand (PEM), pinned and marked imported; pin, list by address, remove', async () => {
    const rig = await createHandlerRig();
    const pem = new TextEncoder().encode(toPem(bob.rsa.certificate) + toPem(bob.ec.certificate));
    const stored = await rig.handlers.importPersonCertificates({ certificates: pem, fileName: 'bob.pem' }, OPTIONS);
    expect(stored.map((s) => [s.address, s.provenance[0].source, s.role])).toEqual([[bob.email, 'imported', 'both'], [bob.email, 'imported', 'both']]);
    // Pinning is exclusive per address: importing two with pin leaves the last pinned.
    const listed = await rig.handlers.listPeopleCertificates({ address: 'BOB@example.com' }, OPTIONS);
    expect(listed.filter((s) => s.pinned)).toHaveLength(1);
    const pinned = await rig.handlers.setPersonCertificatePinned({ id: stored[0].id, pinned: true }, OPTIONS);
    expect(pinned.pinned).toBe(true);
    expect((await rig.handlers.listPeopleCertificates({ address: bob.email }, OPTIONS)).filter((s) => s.pinned).map((s) => s.id)).toEqual([stored[0].id]);
    expect(await rig.handlers.removePersonCertificate({ id: stored[1].id }, OPTIONS)).toEqual({ removed: true });
    expect(await rig.handlers.listPeopleCertificates({}, OPTIONS)).toHaveLength(1);
    expect(await codeOf(rig.handlers.importPersonCertificates({ certificates: new Uint8Array(alice.rsa.certificate), address: bob.email }, OPTIONS))).toBe('CERTIFICATE_NOT_USABLE');
  });

  it('trust anchors: a CA can be added with purposes and removed; an end-entity certificate cannot', async () => {
    const rig = await createHandlerRig();
    const added = await rig.handlers.addTrustAnchor({ certificate: new Uint8Array(pki.root.certificate), purposes: ['emailSigning', 'emailEncryption'] }, OPTIONS);
    expect(added).toMatchObject({ addedBy: 'user', purposes: ['emailSigning', 'emailEncryption'], subject: expect.stringContaining('Waxseal Test Root') });
    expect(await rig.handlers.listTrustAnchors({}, OPTIONS)).toHaveLength(1);
    expect(await codeOf(rig.handlers.addTrustAnchor({ certificate: new Uint8Array(alice.rsa.certificate), purposes: ['emailSigning'] }, OPTIONS))).toBe('CERTIFICATE_NOT_USABLE');
    expect(await codeOf(rig.handlers.addTrustAnchor({ certificate: new Uint8Array(pki.emailCa.certificate), purposes: [] }, OPTIONS))).toBe('CERTIFICATE_NOT_USABLE');
    expect(await rig.handlers.removeTrustAnchor({ fingerprintSha256: added.fingerprintSha256.toUpperCase() }, OPTIONS)).toEqual({ removed: true });
    expect(await rig.handlers.listTrustAnchors({}, OPTIONS)).toEqual([]);
  });

  it('setCurrentIdentity changes the current encryption identity only', async () => {
    const rig = await createHandlerRig();
    const renewed = await pki.issue({ issuer: pki.emailCa, subject: 'CN=Alice 2026', emails: [alice.email], notBefore: new Date('2026-01-01T00:00:00Z') });
    const first = (await rig.handlers.importPkcs12({ p12: await p12Of(alice.rsa, P12_PASSWORD), p12Password: P12_PASSWORD, passphrase: PASSPHRASE }, OPTIONS)).imported[0];
    const second = (await rig.handlers.importPkcs12({ p12: await p12Of(renewed, P12_PASSWORD), p12Password: P12_PASSWORD, passphrase: PASSPHRASE }, OPTIONS)).imported[0];
    const after = await rig.handlers.setCurrentIdentity({ address: alice.email, purpose: 'encryption', id: first.id }, OPTIONS);
    expect(after.find((i) => i.id === first.id)).toMatchObject({ currentEncryptionFor: [alice.email], currentSigningFor: [] });
    expect(after.find((i) => i.id === second.id)).toMatchObject({ currentEncryptionFor: [], currentSigningFor: [alice.email] });
  });
});

describe('key-management sender check (SEC-44c)', () => {
  const forged = [
    { name: 'another extension', sender: { id: 'evil@example.org', url: `${OPTIONS.url}` } },
    { name: 'a content script in a mail tab', sender: { id: OPTIONS.id, url: 'imap://mail.example.org/INBOX', tab: { id: 3 } } },
    { name: 'a web page', sender: { id: OPTIONS.id, url: 'https://attacker.example/options/' } },
    { name: 'no URL', sender: { id: OPTIONS.id } },
    { name: 'a look-alike prefix', sender: { id: OPTIONS.id, url: 'moz-extension://0f1e2d3c-aaaa-bbbb-cccc-000000000000.evil/options/' } },
  ];
  for (const { name, sender } of forged) {
    it(`refuses every key request from ${name}`, async () => {
      const rig = await createHandlerRig();
      for (const request of Object.keys(rig.handlers) as (keyof typeof rig.handlers)[]) {
        const call = rig.handlers[request] as (req: unknown, s: unknown) => Promise<unknown>;
        await expect(call({ passphrase: PASSPHRASE }, sender)).rejects.toBeInstanceOf(ForbiddenSenderError);
      }
    });
  }

  it('other Waxseal pages may read status and lock, but not import, unlock or export', async () => {
    const rig = await createHandlerRig();
    await expect(rig.handlers.keystoreStatus({}, POPUP)).resolves.toMatchObject({ locked: true });
    await expect(rig.handlers.lock({}, POPUP)).resolves.toMatchObject({ locked: true });
    await expect(rig.handlers.unlock({ passphrase: PASSPHRASE }, POPUP)).rejects.toBeInstanceOf(ForbiddenSenderError);
    await expect(rig.handlers.importPkcs12({ p12: new Uint8Array(), p12Password: '', passphrase: PASSPHRASE }, POPUP)).rejects.toBeInstanceOf(ForbiddenSenderError);
    await expect(rig.handlers.exportPkcs12({ id: 'x', passphrase: PASSPHRASE, exportPassword: 'export password 2026' }, POPUP)).rejects.toBeInstanceOf(ForbiddenSenderError);
  });
});
