/**
 * Reading (issue #7): real signed and encrypted messages (signed with Node's OpenSSL by the fixture
 * generator, encrypted with `openssl cms`) go through the engine and the reader, and each lands in the
 * banner state features.md (d) names. The verification time is fixed (TEST_NOW). TEST KEYS — NOT SECRET.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { DEFAULT_POLICY, describeCertificate, type DecryptionIdentity, type HarvestDecision, type TrustAnchor } from '../../../src/crypto/index.js';
import { MessageReader, type HarvestInput, type ReaderKeys } from '../../../src/background/read/message-reader.js';
import type { OwnIdentity } from '../../../src/background/read/display-status.js';
import { readerKeysFrom } from '../../../src/background/read/reader-keys.js';
import { parseManagedConfig } from '../../../src/background/policy/managed-config.js';
import { createKeystoreBackground } from '../../../src/background/keystore/setup.js';
import { recipientCertificatesFromKeystore } from '../../../src/background/send/key-access.js';
import { resolveRecipients } from '../../../src/background/send/recipients.js';
import { createTestPki, TEST_NOW, type TestIdentity, type TestPki } from '../../helpers/pki.js';
import {
  crlf, headersWith, message, multipartEntity, multipartSignedEntity, sec11Fixtures, sec14Fixtures, sec17Fixtures, sec18Fixtures, textEntity, validDetached,
  SIGNED_TEXT, UNSIGNED_TEXT, buildSignedCms,
} from '../../helpers/fixtures-signed.js';
import { crypto, openssl, requireTool, scratchDir, toPemText } from '../../helpers/encryption.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

let pki: TestPki;

interface FakeKeys extends ReaderKeys {
  harvested: HarvestInput[];
}

function fakeKeys(options: { unlocked?: DecryptionIdentity[] | null; own?: OwnIdentity[]; anchors?: TrustAnchor[] } = {}): FakeKeys {
  const harvested: HarvestInput[] = [];
  return {
    harvested,
    isUnlocked: () => options.unlocked !== null && options.unlocked !== undefined,
    decryptionIdentities: () => options.unlocked ?? [],
    ownIdentities: async () => options.own ?? [],
    userAnchors: async () => options.anchors ?? [{ der: pki.root.certificate, source: 'user', purposes: ['email'] }],
    isKnownCertificate: async () => false,
    harvest: async (input) => {
      harvested.push(input);
      return null as HarvestDecision | null;
    },
  };
}

function reader(keys: ReaderKeys): MessageReader {
  return new MessageReader({ keys, crypto, policy: DEFAULT_POLICY, now: () => TEST_NOW });
}

async function statusOf(eml: Uint8Array, keys: ReaderKeys = fakeKeys()) {
  return (await reader(keys).open(1, async () => eml)).status;
}

function own(identity: TestIdentity, current = true): OwnIdentity {
  return {
    fingerprintSha256: identity.label,
    subject: identity.x509.subject,
    issuer: identity.x509.issuer,
    serialNumberHex: identity.x509.serialNumber,
    subjectKeyIdentifierHex: null,
    current,
  };
}

beforeAll(async () => {
  pki = await createTestPki(crypto);
}, 60_000);

describe('banner state of signed mail (features.md (d))', () => {
  it('SEC-01: a valid signature from the sender is valid/ok and names the signer', async () => {
    const status = await statusOf(validDetached(pki));
    expect(status).toMatchObject({ signature: 'valid', encryption: null, tone: 'ok', signer: 'alice@example.com', from: 'alice@example.com' });
    expect(status.chain.map((c) => c.serialNumberHex.toLowerCase().replace(/^0+/, ''))).toEqual(
      [pki.users.alice.rsa, pki.emailCa, pki.root].map((c) => c.x509.serialNumber.toLowerCase().replace(/^0+/, '')),
    );
    expect(status.checkedAt).toBe(TEST_NOW.toISOString());
  });

  it('SEC-11: a chain to no trusted anchor is unknown-ca (warn), not valid', async () => {
    const status = await statusOf(validDetached(pki), fakeKeys({ anchors: [] }));
    expect(status).toMatchObject({ signature: 'unknown-ca', tone: 'warn' });
    expect(status.reasons).toContain('UNTRUSTED');
  });

  it('SEC-14: signer eve@ with From manager@ is not-sender (bad)', async () => {
    const fixture = sec14Fixtures(pki).find((f) => f.name.startsWith('I1'));
    const status = await statusOf(fixture!.eml);
    expect(status).toMatchObject({ signature: 'not-sender', tone: 'bad', signer: 'eve@example.com', from: 'manager@example.com' });
  });

  it('SEC-28a: certificate expired since signing is a warning; SEC-28: expired before signing is bad', async () => {
    const fixtures = await sec18Fixtures(pki);
    const since = fixtures.find((f) => f.name.startsWith('(d2)'))!;
    const before = fixtures.find((f) => f.name.startsWith('(d3)'))!;
    expect(await statusOf(since.eml)).toMatchObject({ signature: 'expired-since-signing', tone: 'warn' });
    expect(await statusOf(before.eml)).toMatchObject({ signature: 'expired', tone: 'bad' });
  });

  it('SEC-08: a body changed after signing is modified (bad)', async () => {
    const signed = new TextDecoder('latin1').decode(validDetached(pki));
    const tampered = new Uint8Array(Buffer.from(signed.replace(SIGNED_TEXT, SIGNED_TEXT.replace('promoted', 'demoted!')), 'latin1'));
    const status = await statusOf(tampered);
    expect(status).toMatchObject({ signature: 'modified', tone: 'bad' });
    expect(status.reasons).toContain('DIGEST_MISMATCH');
  });

  it('SEC-17: a SHA-1 signature is weak-algorithm (bad)', async () => {
    const fixture = (await sec17Fixtures(pki)).find((f) => f.name.startsWith('(a)'))!;
    expect(await statusOf(fixture.eml)).toMatchObject({ signature: 'weak-algorithm', tone: 'bad' });
  });

  it('SEC-13: a signed part followed by unsigned text is partial (warn)', async () => {
    const entity = textEntity(SIGNED_TEXT);
    const cms = buildSignedCms({ content: entity, detached: true, signers: [{ identity: pki.users.alice.rsa }] }, pki);
    const eml = message(multipartEntity('mixed', [multipartSignedEntity(entity, cms), textEntity(UNSIGNED_TEXT)]));
    expect(await statusOf(eml)).toMatchObject({ signature: 'partial', tone: 'warn' });
  });

  it('SEC-11: a self-signed certificate naming the sender is not trusted', async () => {
    const fixture = (await sec11Fixtures(pki)).find((f) => f.name.startsWith('self-signed'))!;
    expect((await statusOf(fixture.eml)).signature).toBe('unknown-ca');
  });

  it('unsigned mail has no signature state, so the banner shows nothing', async () => {
    const status = await statusOf(message(textEntity('Hello'), headersWith({})));
    expect(status).toMatchObject({ signature: null, encryption: null, tone: 'info', signerCertificate: null });
  });

  it('a message that is not MIME at all still gets a status, not an exception', async () => {
    const status = await statusOf(crlf('garbage without headers'));
    expect(status.signature).toBeNull();
  });

  it('display events fire twice: the second open reuses the first (opened and harvested once)', async () => {
    const keys = fakeKeys();
    const r = reader(keys);
    let fetched = 0;
    const raw = async () => {
      fetched += 1;
      return validDetached(pki);
    };
    const [a, b] = await Promise.all([r.open(7, raw), r.open(7, raw)]);
    expect(a).toBe(b);
    expect(fetched).toBe(1);
    expect(keys.harvested).toHaveLength(1);
  });
});

describe('SEC-45: harvesting after a valid signature', () => {
  it('offers the signer certificate and chain with the From address, only for valid signatures', async () => {
    const keys = fakeKeys();
    await statusOf(validDetached(pki, { signer: pki.users.bob.rsa, headers: headersWith({ from: 'Bob <bob@example.com>' }) }), keys);
    expect(keys.harvested).toHaveLength(1);
    expect(keys.harvested[0]!.from).toBe('bob@example.com');
    expect(keys.harvested[0]!.messageId).toBe('<fixture@example.com>');
    expect(keys.harvested[0]!).toMatchObject({ subject: 'Quarterly figures', messageDate: '2026-05-31T12:00:00.000Z' });
    expect(Buffer.from(keys.harvested[0]!.messageCertificates[0]!).equals(Buffer.from(pki.users.bob.rsa.certificate))).toBe(true);
    const undated = fakeKeys();
    await statusOf(validDetached(pki, { signer: pki.users.bob.rsa, headers: headersWith({ from: 'Bob <bob@example.com>', date: 'sometime last week' }) }), undated);
    expect(undated.harvested[0]!.messageDate).toBeNull();
    const invalid = fakeKeys();
    await statusOf(sec14Fixtures(pki).find((f) => f.name.startsWith('I1'))!.eml, invalid);
    expect(invalid.harvested).toHaveLength(0);
  });

  it('with the real key store: bob\'s certificate is stored with provenance, and a second key gives a continuity notice', async () => {
    const data = new Map<string, unknown>();
    const area = { get: async (key: string) => (data.has(key) ? { [key]: data.get(key) } : {}), set: async (items: Record<string, unknown>) => { for (const [k, v] of Object.entries(items)) data.set(k, v); } };
    const background = createKeystoreBackground({ factory: new IDBFactory(), settingsArea: area, crypto, extensionId: 'waxseal@waxseal.org', extensionUrl: 'moz-extension://x/' });
    const parts = await background.ready;
    await parts.anchors.add({
      fingerprintSha256: 'test-root', certificate: new Uint8Array(pki.root.certificate), subject: pki.root.x509.subject, addedBy: 'user', purposes: ['emailSigning', 'emailEncryption'], addedAt: TEST_NOW.toISOString(),
    });
    const keys = readerKeysFrom(background.ready, background.session, crypto, async () => parseManagedConfig({}).config);
    const bobHeaders = headersWith({ from: 'Bob <bob@example.com>' });
    const first = await statusOf(validDetached(pki, { signer: pki.users.bob.rsa, headers: bobHeaders }), keys);
    expect(first).toMatchObject({ signature: 'valid', continuity: 'first-certificate', certificateSource: 'message' });
    const stored = await parts.people.list('bob@example.com');
    expect(stored.map((r) => r.fingerprintSha256)).toEqual([first.signerCertificate!.fingerprintSha256]);
    expect(stored[0]!.provenance[0]).toMatchObject({
      source: 'harvested', sender: 'bob@example.com', messageId: '<fixture@example.com>', subject: 'Quarterly figures', messageDate: '2026-05-31T12:00:00.000Z',
    });
    // #7: composing to bob names that message as the source of his certificate.
    // The people store keeps leaf certificates; the e-mail CA comes from the user's own chain.
    const alice = pki.users.alice.rsa;
    const aliceSummary = await describeCertificate(alice.certificate, crypto);
    await parts.keystore.importIdentities([{
      pkcs8: new Uint8Array(alice.pkcs8), certificate: new Uint8Array(alice.certificate), chain: [new Uint8Array(pki.emailCa.certificate)], friendlyName: 'Alice',
      emailAddresses: aliceSummary.emailAddresses, subject: aliceSummary.subject, issuer: aliceSummary.issuer, serialNumberHex: aliceSummary.serialNumberHex,
      notBefore: aliceSummary.notBefore, notAfter: aliceSummary.notAfter, usableForSigning: true, usableForEncryption: true,
    }], 'correct horse battery staple');
    const source = recipientCertificatesFromKeystore({ ...parts, crypto, policy: DEFAULT_POLICY, now: () => TEST_NOW });
    const [bob] = await resolveRecipients({ to: ['Bob <bob@example.com>'], cc: [], bcc: [] }, source, { now: TEST_NOW, crypto });
    expect(bob!.view).toMatchObject({ status: 'ok', certificate: { origin: 'harvested', fingerprintSha256: first.signerCertificate!.fingerprintSha256 } });
    expect(bob!.view.certificate!.harvestedFrom).toEqual({ sender: 'bob@example.com', subject: 'Quarterly figures', messageDate: '2026-05-31T12:00:00.000Z', messageId: '<fixture@example.com>' });
    const again = await statusOf(validDetached(pki, { signer: pki.users.bob.rsa, headers: bobHeaders }), keys);
    expect(again).toMatchObject({ signature: 'valid', continuity: null, certificateSource: 'message-and-store' });
    // A newer certificate with another key type while the old one is still valid (SEC-46b).
    const newKey = await pki.issue({ issuer: pki.emailCa, subject: 'CN=Bob New Key, O=Waxseal Tests', emails: ['bob@example.com'], keyAlgorithm: 'P-256', notBefore: new Date('2026-03-01T00:00:00Z'), label: 'bob-new' });
    const changed = await statusOf(validDetached(pki, { signer: newKey, headers: bobHeaders }), keys);
    expect(changed).toMatchObject({ signature: 'valid', continuity: 'key-changed' });
  });
});

describe('#9: the organisation\'s trust anchors count when reading', () => {
  it('a signature under a root only the policy names is trusted while the policy names it (SEC-11)', async () => {
    const data = new Map<string, unknown>();
    const area = { get: async (key: string) => (data.has(key) ? { [key]: data.get(key) } : {}), set: async (items: Record<string, unknown>) => { for (const [k, v] of Object.entries(items)) data.set(k, v); } };
    const background = createKeystoreBackground({ factory: new IDBFactory(), settingsArea: area, crypto, extensionId: 'waxseal@waxseal.org', extensionUrl: 'moz-extension://x/' });
    await background.ready;
    let policy: unknown = {};
    const keys = readerKeysFrom(background.ready, background.session, crypto, async () => parseManagedConfig(policy).config);
    const eml = validDetached(pki, { signer: pki.users.bob.rsa, headers: headersWith({ from: 'Bob <bob@example.com>' }) });
    expect((await statusOf(eml, keys)).signature).not.toBe('valid');
    policy = { trustAnchors: [Buffer.from(pki.root.certificate).toString('base64')] };
    expect((await statusOf(eml, keys)).signature).toBe('valid');
  });
});

describe('encrypted mail (openssl cms -encrypt)', () => {
  const html = '<html><body><p>Secret plan</p><img src="http://127.0.0.1:9/remote.png"><div style="background:url(http://127.0.0.1:9/css.png)">Meet at noon</div></body></html>';
  const attachmentBytes = Buffer.from([0, 1, 2, 3, 250, 251, 252]);
  const inner = () => Buffer.concat([
    crlf('Content-Type: multipart/mixed; boundary="inner"\n\n--inner\nContent-Type: text/html; charset=utf-8\n\n'),
    crlf(`${html}\n--inner\nContent-Type: application/octet-stream; name="data.bin"\nContent-Disposition: attachment; filename="../data.bin"\nContent-Transfer-Encoding: base64\n\n${attachmentBytes.toString('base64')}\n--inner--\n`),
  ]);

  function encryptTo(recipient: TestIdentity, cipher: string): Uint8Array {
    requireTool('openssl');
    const { dir, cleanup } = scratchDir();
    try {
      writeFileSync(join(dir, 'to.pem'), toPemText(recipient.certificate, 'CERTIFICATE'));
      writeFileSync(join(dir, 'in.eml'), inner());
      const out = openssl(['cms', '-encrypt', '-binary', `-${cipher}`, '-in', join(dir, 'in.eml'), '-from', 'alice@example.com', '-to', 'bob@example.com', '-subject', 'Plans', join(dir, 'to.pem')]);
      return new Uint8Array(out);
    } finally {
      cleanup();
    }
  }

  const bobKey = (): DecryptionIdentity[] => [{ certificate: pki.users.bob.rsa.certificate, pkcs8: pki.users.bob.rsa.pkcs8 }];

  it('SEC-04: AES-256-CBC with RSA PKCS#1 v1.5, unlocked: decrypted, not integrity-protected (warn)', async () => {
    const status = await statusOf(encryptTo(pki.users.bob.rsa, 'aes-256-cbc'), fakeKeys({ unlocked: bobKey(), own: [own(pki.users.bob.rsa)] }));
    expect(status).toMatchObject({ signature: null, encryption: 'unauthenticated', tone: 'warn', decryptedViewAvailable: true, contentEncryption: 'AES-256-CBC' });
  });

  it('AES-256-GCM (AuthEnvelopedData), unlocked: encrypted and authenticated (ok)', async () => {
    const status = await statusOf(encryptTo(pki.users.bob.rsa, 'aes-256-gcm'), fakeKeys({ unlocked: bobKey(), own: [own(pki.users.bob.rsa)] }));
    expect(status).toMatchObject({ encryption: 'authenticated', tone: 'ok', decryptedViewAvailable: true });
  });

  it('locked: "unlock to read", naming the certificate it was encrypted to and that it is the user\'s', async () => {
    const status = await statusOf(encryptTo(pki.users.bob.rsa, 'aes-256-gcm'), fakeKeys({ unlocked: null, own: [own(pki.users.bob.rsa)] }));
    expect(status).toMatchObject({ encryption: 'locked', tone: 'action', decryptedViewAvailable: false });
    expect(status.recipients).toHaveLength(1);
    expect(status.recipients[0]!.matchingIdentity).toMatchObject({ subject: pki.users.bob.rsa.x509.subject, current: true });
  });

  it('a message opened while locked opens again once the key store is unlocked (also from elsewhere)', async () => {
    const identities: DecryptionIdentity[] = [];
    const keys = fakeKeys({ unlocked: null, own: [own(pki.users.bob.rsa)] });
    keys.isUnlocked = () => identities.length > 0;
    keys.decryptionIdentities = () => identities;
    const r = reader(keys);
    const eml = encryptTo(pki.users.bob.rsa, 'aes-128-gcm');
    expect((await r.open(5, async () => eml)).status.encryption).toBe('locked');
    identities.push(...bobKey());
    expect((await r.open(5, async () => eml)).status.encryption).toBe('authenticated');
  });

  it('no matching key: cannot-decrypt, names the recipient and says an older key of the user\'s would match', async () => {
    const status = await statusOf(
      encryptTo(pki.users.bob.rsa, 'aes-256-cbc'),
      fakeKeys({ unlocked: [{ certificate: pki.users.bob.ec.certificate, pkcs8: pki.users.bob.ec.pkcs8 }], own: [own(pki.users.bob.ec), own(pki.users.bob.rsa, false)] }),
    );
    expect(status).toMatchObject({ encryption: 'cannot-decrypt', tone: 'bad' });
    expect(status.recipients[0]!.description.toLowerCase()).toContain(pki.users.bob.rsa.x509.serialNumber.toLowerCase().replace(/^0+/, ''));
    expect(status.recipients[0]!.matchingIdentity).toMatchObject({ current: false });
  });
});
