// Issue #9: the organisation's `allowedContentEncryption` decides the content cipher of what Waxseal sends.
// The first allowed algorithm every recipient can read is used; when none fits, the send stops with
// CONTENT_ENCRYPTION_NOT_ALLOWED and nothing is armed. The sent algorithm is read back with OpenSSL
// (`openssl cms -cmsout -print`), an implementation independent of ours (SEC-06).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, OID } from '../../../src/crypto/index.js';
import { ComposeSessions, type ArmOptions, type ComposePlatform, type ComposeSnapshot, type SenderKeys } from '../../../src/background/send/compose-session.js';
import { chooseAllowedContentEncryption, recipientAccepts, type OwnCertificate } from '../../../src/background/send/plan.js';
import type { KnownRecipientCertificate } from '../../../src/background/send/recipients.js';
import type { ContentEncryptionAlgorithm } from '../../../src/background/policy/managed-config.js';
import { crypto, run, scratchDir, toPemText } from '../../helpers/encryption.js';
import { createTestPki, TEST_NOW, type TestIdentity, type TestPki } from '../../helpers/pki.js';

const CANARY = 'canary-allowed-9c41';
const ENTITY = `Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\nHello, ${CANARY}.\r\n`;
const WAXSEAL_CAPABILITIES = [OID.aes256Gcm, OID.aes128Gcm, OID.aes256Cbc, OID.aes128Cbc];

const view = (address: string) => ({ view: { address } });

describe('which recipients accept which algorithm', () => {
  it('GCM only when announced; CBC when announced or when no content cipher is known', () => {
    expect(recipientAccepts(undefined, 'AES-256-GCM')).toBe(false);
    expect(recipientAccepts(undefined, 'AES-128-CBC')).toBe(true);
    expect(recipientAccepts([OID.rsaesOaep], 'AES-256-CBC')).toBe(true);
    expect(recipientAccepts([OID.aes128Gcm], 'AES-128-GCM')).toBe(true);
    expect(recipientAccepts([OID.aes128Gcm], 'AES-256-GCM')).toBe(false);
    // Announced ciphers are the whole list: AES-128-CBC alone does not stand for AES-256-CBC.
    expect(recipientAccepts([OID.aes128Cbc], 'AES-256-CBC')).toBe(false);
  });

  it('the first allowed algorithm every recipient accepts wins, in the policy\'s order', () => {
    const recipients = [{ ...view('bob@example.com'), capabilities: WAXSEAL_CAPABILITIES }, { ...view('carol@example.com'), capabilities: [OID.aes128Gcm, OID.aes256Cbc] }];
    expect(chooseAllowedContentEncryption(['AES-256-GCM', 'AES-128-GCM', 'AES-256-CBC'], recipients)).toEqual({ algorithm: 'AES-128-GCM' });
    expect(chooseAllowedContentEncryption(['AES-256-CBC', 'AES-128-GCM'], recipients)).toEqual({ algorithm: 'AES-256-CBC' });
  });

  it('names the recipients that accept none of the allowed algorithms', () => {
    const recipients = [{ ...view('bob@example.com'), capabilities: WAXSEAL_CAPABILITIES }, { ...view('carol@example.com'), capabilities: undefined }];
    expect(chooseAllowedContentEncryption(['AES-256-GCM'], recipients)).toEqual({ refusedBy: ['carol@example.com'] });
  });

  it('when each recipient accepts some allowed algorithm but no single one fits all, every recipient is named', () => {
    const recipients = [{ ...view('bob@example.com'), capabilities: [OID.aes256Gcm] }, { ...view('carol@example.com'), capabilities: [OID.aes128Cbc] }];
    expect(chooseAllowedContentEncryption(['AES-256-GCM', 'AES-128-CBC'], recipients)).toEqual({ refusedBy: ['bob@example.com', 'carol@example.com'] });
  });
});

let pki: TestPki;
let dir: string;
let cleanup: () => void;

class FakePlatform implements ComposePlatform {
  snapshot: ComposeSnapshot = { identityId: 'id1', to: ['Bob <bob@example.com>'], cc: [], bcc: [], thunderbirdCrypto: null };
  armed: { tabId: number; options: ArmOptions }[] = [];
  blocked: number[] = [];
  async composeDetails() {
    return this.snapshot;
  }
  async isEncryptedMessage() {
    return false;
  }
  async identityAddress(id: string) {
    return id === 'id1' ? 'alice@example.com' : null;
  }
  async arm(tabId: number, options: ArmOptions) {
    this.armed.push({ tabId, options });
  }
  async disarm() {}
  async showToolbarState() {}
  async showBlocked(tabId: number) {
    this.blocked.push(tabId);
  }
  async askPassphrase() {}
  t(name: string, substitutions?: string[]) {
    return `${name}${substitutions ? `:${substitutions.join('|')}` : ''}`;
  }
}

function own(identity: TestIdentity): OwnCertificate {
  return { identityId: 'alice', certificate: identity.certificate, chain: [pki.emailCa.certificate], notBefore: identity.x509.notBefore.toISOString(), notAfter: identity.x509.notAfter.toISOString() };
}

function sessionsWith(allowed: readonly ContentEncryptionAlgorithm[] | undefined, bobCapabilities: readonly string[] | undefined) {
  const platform = new FakePlatform();
  const keys: SenderKeys = {
    isUnlocked: () => true,
    unlock: async () => {},
    current: async () => own(pki.users.alice.rsa),
    signingKey: () => pki.users.alice.rsa.privateKey,
  };
  const bob: KnownRecipientCertificate = { certificate: pki.users.bob.rsa.certificate, source: 'harvested', pathValid: true, state: 'active', harvestedAt: '2026-05-20T00:00:00Z', ...(bobCapabilities ? { capabilities: bobCapabilities } : {}) };
  let counter = 0;
  const sessions = new ComposeSessions({
    platform,
    keys,
    certificates: { candidates: async (address) => ({ candidates: address.toLowerCase() === 'bob@example.com' ? [bob] : [], directory: 'not-configured' }) },
    defaults: async () => ({ signByDefault: false, encryptWhenPossible: true, requireEncryption: false }),
    ...(allowed ? { allowedContentEncryption: async () => allowed } : {}),
    now: () => TEST_NOW,
    crypto,
    policy: DEFAULT_POLICY,
    randomId: () => `id-${++counter}`,
  });
  return { sessions, platform };
}

function file(name: string, data: string | Uint8Array): string {
  const p = join(dir, `${name}-${Math.random()}`);
  writeFileSync(p, data);
  return p;
}

/** Sends through the session and answers OpenSSL's view of the envelope and its decryption for bob. */
async function send(allowed: readonly ContentEncryptionAlgorithm[] | undefined, bobCapabilities: readonly string[] | undefined) {
  const { sessions, platform } = sessionsWith(allowed, bobCapabilities);
  expect(await sessions.beforeSend(1, platform.snapshot)).toEqual({});
  const options = platform.armed[0]!.options;
  const response = await sessions.cryptoRequest({ tabId: 1, options, deliverMode: 'now', identityEmail: 'alice@example.com', from: 'alice@example.com', to: 'Bob <bob@example.com>', cc: '', bcc: '', entity: ENTITY });
  if (!('mime' in response)) throw new Error(`hook failed: ${response.error}`);
  const message = file('m.eml', Buffer.concat([Buffer.from('From: alice@example.com\r\nMIME-Version: 1.0\r\n'), Buffer.from(response.mime, 'latin1')]));
  const printed = run('openssl', ['cms', '-cmsout', '-print', '-inform', 'SMIME', '-in', message]);
  expect(printed.status, printed.stderr).toBe(0);
  const bob = pki.users.bob.rsa;
  const decrypted = run('openssl', ['cms', '-decrypt', '-in', message, '-recip', file('c.pem', toPemText(bob.certificate, 'CERTIFICATE')), '-inkey', file('k.pem', toPemText(bob.pkcs8, 'PRIVATE KEY'))]);
  expect(decrypted.status, decrypted.stderr).toBe(0);
  expect(decrypted.stdout.toString()).toContain(CANARY);
  return printed.stdout.toString();
}

/** The content-encryption algorithm line of `openssl cms -cmsout -print` (OpenSSL prints the short name). */
function contentAlgorithm(printed: string): string {
  const match = /contentEncryptionAlgorithm:\s*\n?\s*algorithm:\s*(\S+)/.exec(printed);
  if (!match) throw new Error(`no contentEncryptionAlgorithm in\n${printed}`);
  return match[1]!;
}

describe('sending under allowedContentEncryption (#9)', () => {
  beforeAll(async () => {
    pki = await createTestPki(crypto);
    ({ dir, cleanup } = scratchDir());
  });
  afterAll(() => cleanup());
  beforeEach(() => {
    expect(pki).toBeDefined();
  });

  it('uses the first allowed algorithm the recipient announced: AES-128-GCM in AuthEnvelopedData', async () => {
    const printed = await send(['AES-128-GCM', 'AES-256-CBC'], [OID.aes128Gcm, OID.aes256Cbc]);
    expect(contentAlgorithm(printed)).toBe('aes-128-gcm');
    expect(printed).toMatch(/authEnvelopedData|contentType: id-smime-ct-authEnvelopedData/);
  });

  it('a policy without GCM sends CBC even to a recipient that announced GCM', async () => {
    const printed = await send(['AES-128-CBC'], WAXSEAL_CAPABILITIES);
    expect(contentAlgorithm(printed)).toBe('aes-128-cbc');
  });

  it('without a policy the engine\'s choice stays (AES-256-CBC unless every recipient, the sender too, announced GCM)', async () => {
    expect(contentAlgorithm(await send(undefined, WAXSEAL_CAPABILITIES))).toBe('aes-256-cbc');
  });

  it('when no allowed algorithm fits, the send is refused with a reason naming the recipient, nothing is armed', async () => {
    const { sessions, platform } = sessionsWith(['AES-256-GCM'], undefined);
    const view = await sessions.getView(1);
    expect(view.blockers).toEqual([{ code: 'CONTENT_ENCRYPTION_NOT_ALLOWED', addresses: ['bob@example.com'] }]);
    expect(await sessions.beforeSend(1, platform.snapshot)).toEqual({ cancel: true });
    expect(platform.armed).toEqual([]);
    expect(platform.blocked).toEqual([1]);
  });

  it('an unencrypted message is not affected by the algorithm policy', async () => {
    const { sessions, platform } = sessionsWith(['AES-256-GCM'], undefined);
    await sessions.setOptions({ tabId: 1, encrypt: false, sign: true });
    expect(await sessions.beforeSend(1, platform.snapshot)).toEqual({});
    expect(platform.armed[0]!.options).toMatchObject({ sign: true, encrypt: false });
  });
});
