// SEC-49: choosing recipients for encryption. (a) a recipient without a usable certificate blocks
// the send with a named list, or the user explicitly chooses "send unencrypted"; (b) Bcc with
// encryption is refused, so no To/Cc RecipientInfos can reveal a Bcc recipient; (c) expired or
// revoked certificates are not used.
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../src/crypto/index.js';
import { ComposeSessions, type ArmOptions, type ComposeSnapshot } from '../../src/background/send/compose-session.js';
import type { KnownRecipientCertificate } from '../../src/background/send/recipients.js';
import type { ComposeDefaults } from '../../src/shared/compose-protocol.js';
import { crypto } from '../helpers/encryption.js';
import { createTestPki, TEST_NOW, type TestPki } from '../helpers/pki.js';

let pki: TestPki;
let expired: Uint8Array;

beforeAll(async () => {
  pki = await createTestPki(crypto);
  expired = (await pki.issue({ issuer: pki.emailCa, subject: 'CN=Erin', emails: ['erin@example.com'], notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2021-01-01T00:00:00Z'), label: 'erin-expired' })).certificate;
});

function setup(snapshot: Omit<ComposeSnapshot, 'identityId' | 'thunderbirdCrypto'>, defaults: Partial<ComposeDefaults> = {}) {
  const armed: ArmOptions[] = [];
  const blocked: number[] = [];
  const people: Record<string, KnownRecipientCertificate[]> = {
    'bob@example.com': [{ certificate: pki.users.bob.rsa.certificate, source: 'harvested', pathValid: true, state: 'active' }],
    'secret@example.com': [{ certificate: pki.users.dave.rsa.certificate, source: 'imported', pathValid: false }],
    'dave@example.com': [{ certificate: pki.users.dave.rsa.certificate, source: 'imported', pathValid: true }],
    'erin@example.com': [{ certificate: expired, source: 'imported', pathValid: true }],
    'manager@example.com': [{ certificate: pki.users.manager.rsa.certificate, source: 'harvested', pathValid: true, state: 'revoked' }],
  };
  const own = { identityId: 'a', certificate: pki.users.alice.rsa.certificate, chain: [], notBefore: '2025-01-01T00:00:00Z', notAfter: '2035-01-01T00:00:00Z' };
  const sessions = new ComposeSessions({
    platform: {
      composeDetails: async () => ({ identityId: 'id1', thunderbirdCrypto: null, ...snapshot }),
      identityAddress: async () => 'alice@example.com',
      isEncryptedMessage: async () => false,
      arm: async (_tabId, options) => void armed.push(options),
      disarm: async () => {},
      showToolbarState: async () => {},
      showBlocked: async (tabId) => void blocked.push(tabId),
      askPassphrase: async () => {},
      t: (name) => name,
    },
    keys: { isUnlocked: () => true, unlock: async () => {}, current: async () => own, signingKey: () => pki.users.alice.rsa.privateKey },
    certificates: { candidates: async (address) => ({ candidates: people[address] ?? [], directory: 'not-configured' }) },
    defaults: async () => ({ signByDefault: false, encryptWhenPossible: false, requireEncryption: false, ...defaults }),
    now: () => TEST_NOW,
    crypto,
    policy: DEFAULT_POLICY,
    randomId: () => 'send-1',
  });
  const send = () => sessions.beforeSend(1, { identityId: 'id1', thunderbirdCrypto: null, ...snapshot });
  return { sessions, armed, blocked, send };
}

describe('SEC-49 recipient choice for encryption', () => {
  it('(a) two recipients with certificates and one without: blocked, naming the one without', async () => {
    const { sessions, armed, send } = setup({ to: ['bob@example.com', 'dave@example.com', 'carol@example.com'], cc: [], bcc: [] });
    await sessions.setOptions({ tabId: 1, encrypt: true });
    expect(await send()).toEqual({ cancel: true });
    expect(armed).toEqual([]);
    expect((await sessions.getView(1)).blockers).toEqual([{ code: 'RECIPIENT_CERTIFICATE_MISSING', addresses: ['carol@example.com'] }]);
  });

  it('(a) only the explicit "send unencrypted" lets it go, and then unencrypted: never partially encrypted', async () => {
    const { sessions, armed, send } = setup({ to: ['bob@example.com', 'carol@example.com'], cc: [], bcc: [] });
    await sessions.setOptions({ tabId: 1, encrypt: true, allowUnencrypted: true });
    expect(await send()).toEqual({});
    expect(armed).toEqual([]);
  });

  it('(a) with "require encryption" the agreement is ignored and the send stays blocked', async () => {
    const { sessions, armed, send } = setup({ to: ['bob@example.com', 'carol@example.com'], cc: [], bcc: [] }, { requireEncryption: true });
    await sessions.setOptions({ tabId: 1, encrypt: false, allowUnencrypted: true });
    expect(await send()).toEqual({ cancel: true });
    expect(armed).toEqual([]);
  });

  it('(b) a Bcc recipient with encryption is refused, even with a valid certificate', async () => {
    const { sessions, armed, send } = setup({ to: ['bob@example.com'], cc: [], bcc: ['dave@example.com'] });
    await sessions.setOptions({ tabId: 1, encrypt: true });
    expect(await send()).toEqual({ cancel: true });
    expect(armed).toEqual([]);
    expect((await sessions.getView(1)).blockers).toEqual([{ code: 'BCC_WITH_ENCRYPTION', addresses: ['dave@example.com'] }]);
  });

  it('(b) the hook refuses a Bcc that appears after the decision', async () => {
    const { sessions, armed, send } = setup({ to: ['bob@example.com'], cc: [], bcc: [] });
    await sessions.setOptions({ tabId: 1, encrypt: true });
    await send();
    const response = await sessions.cryptoRequest({ tabId: 1, options: armed[0]!, deliverMode: 'now', identityEmail: 'alice@example.com', from: 'alice@example.com', to: 'bob@example.com', cc: '', bcc: 'dave@example.com', entity: 'Content-Type: text/plain\r\n\r\nhi\r\n' });
    expect(response).toEqual({ error: 'compose_blocker_BCC_WITH_ENCRYPTION' });
  });

  it('(c) expired and revoked certificates are not used, each with its own reason', async () => {
    const { sessions, armed, send } = setup({ to: ['erin@example.com'], cc: ['manager@example.com'], bcc: [] });
    await sessions.setOptions({ tabId: 1, encrypt: true });
    expect(await send()).toEqual({ cancel: true });
    expect(armed).toEqual([]);
    const view = await sessions.getView(1);
    expect(view.recipients.map((r) => [r.address, r.status, r.problems])).toEqual([
      ['erin@example.com', 'problem', ['expired']],
      ['manager@example.com', 'problem', ['revoked']],
    ]);
    expect(view.blockers).toEqual([
      { code: 'RECIPIENT_CERTIFICATE_EXPIRED', addresses: ['erin@example.com'] },
      { code: 'RECIPIENT_CERTIFICATE_REVOKED', addresses: ['manager@example.com'] },
    ]);
  });

  it('(c) an untrusted path is not used', async () => {
    const { sessions } = setup({ to: ['secret@example.com'], cc: [], bcc: [] });
    const view = await sessions.setOptions({ tabId: 1, encrypt: true });
    expect(view.recipients[0]).toMatchObject({ status: 'problem', problems: expect.arrayContaining(['untrusted']) });
    expect(view.blockers).toEqual([{ code: 'RECIPIENT_CERTIFICATE_UNTRUSTED', addresses: ['secret@example.com'] }]);
  });
});
