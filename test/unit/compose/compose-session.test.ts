// The send decisions of ComposeSessions (issue #6 items 2, 3 and 5) with a fake Thunderbird edge,
// real test certificates, and the output checked by OpenSSL.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, SmimeError } from '../../../src/crypto/index.js';
import { ComposeSessions, type ArmOptions, type ComposePlatform, type ComposeSnapshot, type CryptoRequest, type SenderKeys, type ToolbarState } from '../../../src/background/send/compose-session.js';
import type { OwnCertificate } from '../../../src/background/send/plan.js';
import type { KnownRecipientCertificate } from '../../../src/background/send/recipients.js';
import type { ComposeDefaults } from '../../../src/shared/compose-protocol.js';
import { crypto, run, scratchDir, toPemText } from '../../helpers/encryption.js';
import { createTestPki, TEST_NOW, type TestIdentity, type TestPki } from '../../helpers/pki.js';

const CANARY = 'canary-session-51d2';
const ENTITY = `Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\nHello, ${CANARY}.\r\n`;

let pki: TestPki;
let expiredBob: TestIdentity;
let dir: string;
let cleanup: () => void;

class FakePlatform implements ComposePlatform {
  snapshot: ComposeSnapshot = { identityId: 'id1', to: ['Bob <bob@example.com>'], cc: [], bcc: [], thunderbirdCrypto: null };
  armed: { tabId: number; options: ArmOptions }[] = [];
  disarmed: number[] = [];
  blocked: number[] = [];
  toolbar: ToolbarState[] = [];
  prompts: { promptId: string; closed: () => void }[] = [];
  async composeDetails() {
    return this.snapshot;
  }
  encryptedMessages = new Set<number>();
  async isEncryptedMessage(id: number) {
    return this.encryptedMessages.has(id);
  }
  async identityAddress(id: string) {
    return id === 'id1' ? 'alice@example.com' : null;
  }
  async arm(tabId: number, options: ArmOptions) {
    this.armed.push({ tabId, options });
  }
  async disarm(tabId: number) {
    this.disarmed.push(tabId);
  }
  async showToolbarState(_tabId: number, state: ToolbarState) {
    this.toolbar.push(state);
  }
  async showBlocked(tabId: number) {
    this.blocked.push(tabId);
  }
  async askPassphrase(_tabId: number, promptId: string, closed: () => void) {
    this.prompts.push({ promptId, closed });
  }
  t(name: string, substitutions?: string[]) {
    return `${name}${substitutions ? `:${substitutions.join('|')}` : ''}`;
  }
}

class FakeKeys implements SenderKeys {
  unlocked = true;
  ownSigning: OwnCertificate | null = null;
  ownEncryption: OwnCertificate | null = null;
  isUnlocked() {
    return this.unlocked;
  }
  async unlock(passphrase: string) {
    if (passphrase !== 'right passphrase') throw new SmimeError('KEYSTORE_WRONG_PASSPHRASE', 'wrong');
    this.unlocked = true;
  }
  async current(_address: string, purpose: 'signing' | 'encryption') {
    return purpose === 'signing' ? this.ownSigning : this.ownEncryption;
  }
  signingKey() {
    if (!this.unlocked) throw new SmimeError('KEYSTORE_LOCKED', 'locked');
    return pki.users.alice.rsa.privateKey;
  }
}

function own(identity: TestIdentity): OwnCertificate {
  return { identityId: 'alice', certificate: identity.certificate, chain: [pki.emailCa.certificate], notBefore: identity.x509.notBefore.toISOString(), notAfter: identity.x509.notAfter.toISOString() };
}

let platform: FakePlatform;
let keys: FakeKeys;
let people: Map<string, KnownRecipientCertificate[]>;
let defaults: ComposeDefaults;
let sessions: ComposeSessions;

beforeAll(async () => {
  pki = await createTestPki(crypto);
  expiredBob = await pki.issue({ issuer: pki.emailCa, subject: 'CN=Bob old', emails: ['erin@example.com'], notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2021-01-01T00:00:00Z'), label: 'erin-expired' });
  ({ dir, cleanup } = scratchDir());
});
afterAll(() => cleanup());

/** Sessions over this file's fake platform, keys, people and defaults. */
function makeSessions(policy: typeof DEFAULT_POLICY, randomId: () => string): ComposeSessions {
  return new ComposeSessions({
    platform,
    keys,
    certificates: { candidates: async (address) => ({ candidates: people.get(address.toLowerCase()) ?? [], directory: 'not-configured' }) },
    defaults: async () => defaults,
    now: () => TEST_NOW,
    crypto,
    policy,
    randomId,
  });
}

beforeEach(() => {
  platform = new FakePlatform();
  keys = new FakeKeys();
  keys.ownSigning = own(pki.users.alice.rsa);
  keys.ownEncryption = own(pki.users.alice.rsa);
  people = new Map([
    ['bob@example.com', [{ certificate: pki.users.bob.rsa.certificate, source: 'harvested', pathValid: true, state: 'active', harvestedAt: '2026-05-20T00:00:00Z' }]],
    ['dave@example.com', [{ certificate: pki.users.dave.ec.certificate, source: 'directory', pathValid: true }]],
    ['erin@example.com', [{ certificate: expiredBob.certificate, source: 'imported', pathValid: true, state: 'active' }]],
    ['mallory@example.com', [{ certificate: pki.users.manager.rsa.certificate, source: 'harvested', pathValid: true, state: 'revoked' }]],
  ]);
  defaults = { signByDefault: false, encryptWhenPossible: false, requireEncryption: false };
  let counter = 0;
  sessions = makeSessions(DEFAULT_POLICY, () => `id-${++counter}`);
});

function request(options: ArmOptions, overrides: Partial<CryptoRequest> = {}): CryptoRequest {
  return { tabId: 1, options, deliverMode: 'now', identityEmail: 'alice@example.com', from: 'Alice <alice@example.com>', to: 'Bob <bob@example.com>', cc: '', bcc: '', entity: ENTITY, ...overrides };
}

function decrypt(mime: string, who: TestIdentity): { status: number | null; stdout: Buffer } {
  const path = (name: string, data: string | Uint8Array) => {
    const p = join(dir, `${name}-${Math.random()}`);
    writeFileSync(p, data);
    return p;
  };
  const message = path('m.eml', Buffer.concat([Buffer.from('From: alice@example.com\r\nMIME-Version: 1.0\r\n'), Buffer.from(mime, 'latin1')]));
  return run('openssl', ['cms', '-decrypt', '-in', message, '-recip', path('c.pem', toPemText(who.certificate, 'CERTIFICATE')), '-inkey', path('k.pem', toPemText(who.pkcs8, 'PRIVATE KEY'))]);
}

describe('ComposeSessions', () => {
  it('leaves a message alone when neither Sign nor Encrypt is on', async () => {
    expect(await sessions.beforeSend(1, platform.snapshot)).toEqual({});
    expect(platform.armed).toEqual([]);
    expect(platform.disarmed).toEqual([1]);
  });

  it('arms the hook for an encrypted send, and the entity it returns decrypts for the recipient and the sender only (SEC-06, SEC-07)', async () => {
    await sessions.setOptions({ tabId: 1, encrypt: true });
    expect(await sessions.beforeSend(1, platform.snapshot)).toEqual({});
    expect(platform.armed).toHaveLength(1);
    const options = platform.armed[0]!.options;
    expect(options).toMatchObject({ sign: false, encrypt: true });
    const response = await sessions.cryptoRequest(request(options));
    if (!('mime' in response)) throw new Error(`hook failed: ${response.error}`);
    expect(response.mime).toMatch(/^Content-Type: application\/pkcs7-mime; smime-type=enveloped-data/);
    expect(response.mime).not.toContain(CANARY);
    expect(decrypt(response.mime, pki.users.bob.rsa).stdout.toString()).toContain(CANARY);
    expect(decrypt(response.mime, pki.users.alice.rsa).stdout.toString()).toContain(CANARY);
    expect(decrypt(response.mime, pki.users.eve.rsa).status).not.toBe(0);
  });

  it('a send decision is used once: a second request with the same id fails instead of sending', async () => {
    await sessions.setOptions({ tabId: 1, sign: true });
    await sessions.beforeSend(1, platform.snapshot);
    const options = platform.armed[0]!.options;
    expect('mime' in (await sessions.cryptoRequest(request(options)))).toBe(true);
    expect(await sessions.cryptoRequest(request(options))).toEqual({ error: 'compose_errorNotPrepared' });
  });

  it('"encrypt whenever possible" turns encryption on only when every recipient has a certificate', async () => {
    defaults = { ...defaults, encryptWhenPossible: true };
    expect((await sessions.getView(1)).encrypt).toBe(true);
    platform.snapshot = { ...platform.snapshot, to: ['bob@example.com', 'carol@example.com'] };
    const view = await sessions.getView(1);
    expect(view.encrypt).toBe(false);
    expect(view.blockers).toEqual([]);
    expect(platform.toolbar.at(-1)).toBe('off');
  });

  it('the toolbar shows the state per tab', async () => {
    await sessions.setOptions({ tabId: 1, sign: true, encrypt: true });
    expect(platform.toolbar.at(-1)).toBe('sign-encrypt');
    platform.snapshot = { ...platform.snapshot, to: ['carol@example.com'] };
    await sessions.getView(1);
    expect(platform.toolbar.at(-1)).toBe('blocked');
  });

  it('sets the toolbar button only when its state changes, not each time the popup asks for the view', async () => {
    await sessions.setOptions({ tabId: 1, sign: true, encrypt: true });
    const before = platform.toolbar.length;
    await sessions.getView(1);
    await sessions.getView(1);
    expect(platform.toolbar.length).toBe(before);
    await sessions.setOptions({ tabId: 1, encrypt: false });
    expect(platform.toolbar.slice(before)).toEqual(['sign']);
  });

  it('refuses a hook request whose recipients differ from the ones checked (SEC-49a): nothing is sent', async () => {
    await sessions.setOptions({ tabId: 1, encrypt: true });
    await sessions.beforeSend(1, platform.snapshot);
    const response = await sessions.cryptoRequest(request(platform.armed[0]!.options, { cc: 'carol@example.com' }));
    expect(response).toEqual({ error: 'compose_blocker_RECIPIENT_CERTIFICATE_MISSING:carol@example.com' });
    expect(sessions.lastFailure(1)).toBe('compose_blocker_RECIPIENT_CERTIFICATE_MISSING:carol@example.com');
    expect(platform.blocked).toEqual([1]);
    expect((await sessions.getView(1)).lastFailure).toBe('compose_blocker_RECIPIENT_CERTIFICATE_MISSING:carol@example.com');
  });

  it('a key locked between onBeforeSend and the hook gives the "key locked" error, not a plaintext send', async () => {
    await sessions.setOptions({ tabId: 1, sign: true, encrypt: true });
    await sessions.beforeSend(1, platform.snapshot);
    keys.unlocked = false;
    expect(await sessions.cryptoRequest(request(platform.armed[0]!.options))).toEqual({ error: 'compose_errorKeyLocked' });
  });

  it('a failure while signing in the hook is an error, never the unprotected entity', async () => {
    await sessions.setOptions({ tabId: 1, sign: true });
    await sessions.beforeSend(1, platform.snapshot);
    // A public key where the private key belongs: WebCrypto refuses to sign.
    keys.signingKey = () => pki.users.alice.rsa.publicKey;
    const response = await sessions.cryptoRequest(request(platform.armed[0]!.options));
    expect(response).toHaveProperty('error');
    expect((response as { error: string }).error).toBe('compose_errorEngine:KEY_MISMATCH');
  });

  it('a message over the size limit fails with its own reason instead of being sent (SEC-31)', async () => {
    const small = makeSessions({ ...DEFAULT_POLICY, limits: { ...DEFAULT_POLICY.limits, maxMessageBytes: 1024 * 1024 } }, () => 'big');
    await small.setOptions({ tabId: 1, sign: true });
    await small.beforeSend(1, platform.snapshot);
    const response = await small.cryptoRequest(request(platform.armed[0]!.options, { entity: ENTITY + 'x'.repeat(1024 * 1024) }));
    expect(response).toEqual({ error: 'compose_errorTooLarge:1' });
  });

  describe('passphrase', () => {
    it('asks when signing with a locked store; a wrong passphrase throws and the prompt stays; the right one arms', async () => {
      keys.unlocked = false;
      await sessions.setOptions({ tabId: 1, sign: true });
      const pending = sessions.beforeSend(1, platform.snapshot);
      await vi_waitFor(() => platform.prompts.length === 1);
      const { promptId } = platform.prompts[0]!;
      await expect(sessions.answerPrompt(promptId, 'wrong')).rejects.toMatchObject({ code: 'KEYSTORE_WRONG_PASSPHRASE' });
      expect(await sessions.answerPrompt(promptId, 'right passphrase')).toEqual({ unlocked: true });
      expect(await pending).toEqual({});
      expect(platform.armed).toHaveLength(1);
    });

    it('Cancel, or closing the window, cancels the send and keeps the compose window', async () => {
      keys.unlocked = false;
      await sessions.setOptions({ tabId: 1, sign: true });
      const cancelled = sessions.beforeSend(1, platform.snapshot);
      await vi_waitFor(() => platform.prompts.length === 1);
      expect(await sessions.answerPrompt(platform.prompts[0]!.promptId, null)).toEqual({ unlocked: false });
      expect(await cancelled).toEqual({ cancel: true });
      const closed = sessions.beforeSend(1, platform.snapshot);
      await vi_waitFor(() => platform.prompts.length === 2);
      platform.prompts[1]!.closed();
      expect(await closed).toEqual({ cancel: true });
      expect(platform.armed).toEqual([]);
      await expect(sessions.answerPrompt(platform.prompts[1]!.promptId, 'right passphrase')).rejects.toMatchObject({ code: 'KEYSTORE_NOT_FOUND' });
    });

    it('encrypting alone needs no private key, so no prompt', async () => {
      keys.unlocked = false;
      await sessions.setOptions({ tabId: 1, encrypt: true });
      expect(await sessions.beforeSend(1, platform.snapshot)).toEqual({});
      expect(platform.prompts).toEqual([]);
    });
  });

  it('fails closed: when Waxseal cannot decide (a lookup throws), the send is cancelled and the reason shown', async () => {
    await sessions.setOptions({ tabId: 1, encrypt: true });
    people.set('bob@example.com', [{ certificate: new Uint8Array([1, 2, 3]), source: 'harvested', pathValid: true }]);
    expect(await sessions.beforeSend(1, platform.snapshot)).toEqual({ cancel: true });
    expect(platform.armed).toEqual([]);
    expect(platform.blocked).toEqual([1]);
    expect(sessions.lastFailure(1)).toMatch(/^compose_errorPrepare:[A-Z_]+$/);
    // With both switched off by the user, Waxseal is not involved and the message may go.
    await sessions.setOptions({ tabId: 1, encrypt: false, sign: false }).catch(() => null);
    expect(await sessions.beforeSend(1, platform.snapshot)).toEqual({});
    expect(platform.armed).toEqual([]);
  });

  it('switches Thunderbird\'s own S/MIME or OpenPGP off for this message when Waxseal protects it', async () => {
    await sessions.setOptions({ tabId: 1, sign: true });
    const result = await sessions.beforeSend(1, { ...platform.snapshot, thunderbirdCrypto: { name: 'OpenPGP', signMessage: true, encryptBody: false } });
    expect(result).toEqual({ details: { selectedEncryptionTechnology: { name: 'OpenPGP', signMessage: false, encryptBody: false } } });
    expect(platform.armed).toHaveLength(1);
  });

  it('own certificate missing or expired blocks signing with its own reason', async () => {
    keys.ownSigning = null;
    await sessions.setOptions({ tabId: 1, sign: true });
    expect(await sessions.beforeSend(1, platform.snapshot)).toEqual({ cancel: true });
    expect((await sessions.getView(1)).blockers).toEqual([{ code: 'OWN_CERTIFICATE_MISSING' }]);
    keys.ownSigning = { ...own(pki.users.alice.rsa), notAfter: '2026-01-01T00:00:00Z' };
    expect((await sessions.getView(1)).blockers).toEqual([{ code: 'OWN_CERTIFICATE_EXPIRED' }]);
    expect(platform.blocked).toEqual([1]);
    expect(platform.armed).toEqual([]);
  });
});

async function vi_waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  if (!condition()) throw new Error('condition not met');
}
