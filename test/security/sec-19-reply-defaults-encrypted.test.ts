// SEC-19 (legitimate case): a reply to, or forward of, a top-level encrypted message defaults to
// encrypted; if encryption is impossible the user is stopped and told before anything is sent.
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../src/crypto/index.js';
import { ComposeSessions, type ArmOptions, type ComposeSnapshot } from '../../src/background/send/compose-session.js';
import { crypto } from '../helpers/encryption.js';
import { createTestPki, TEST_NOW, type TestPki } from '../helpers/pki.js';

let pki: TestPki;
beforeAll(async () => {
  pki = await createTestPki(crypto);
});

function setup(encryptedMessages: Set<number>, failing = false) {
  const armed: ArmOptions[] = [];
  const looked: number[] = [];
  const own = { identityId: 'a', certificate: pki.users.alice.rsa.certificate, chain: [], notBefore: '2025-01-01T00:00:00Z', notAfter: '2035-01-01T00:00:00Z' };
  const sessions = new ComposeSessions({
    platform: {
      composeDetails: async () => reply(['eve@example.com'], 42),
      identityAddress: async () => 'alice@example.com',
      isEncryptedMessage: async (id) => {
        looked.push(id);
        if (failing) throw new Error('message gone');
        return encryptedMessages.has(id);
      },
      arm: async (_tabId, options) => void armed.push(options),
      disarm: async () => {},
      showToolbarState: async () => {},
      showBlocked: async () => {},
      askPassphrase: async () => {},
      t: (name) => name,
    },
    keys: { isUnlocked: () => true, unlock: async () => {}, current: async () => own, signingKey: () => pki.users.alice.rsa.privateKey },
    certificates: { candidates: async (address) => ({ candidates: address === 'bob@example.com' ? [{ certificate: pki.users.bob.rsa.certificate, source: 'harvested', pathValid: true }] : [], directory: 'not-configured' }) },
    defaults: async () => ({ signByDefault: false, encryptWhenPossible: false, requireEncryption: false }),
    now: () => TEST_NOW,
    crypto,
    policy: DEFAULT_POLICY,
    randomId: () => 'send-1',
  });
  return { sessions, armed, looked };
}

const reply = (to: string[], relatedMessageId: number, composeType = 'reply'): ComposeSnapshot => ({ identityId: 'id1', thunderbirdCrypto: null, to, cc: [], bcc: [], relatedMessageId, composeType });

describe('SEC-19 replies to encrypted mail', () => {
  it('a reply to an encrypted message is encrypted by default', async () => {
    const { sessions, armed } = setup(new Set([42]));
    const view = (await sessions.view(1, reply(['bob@example.com'], 42))).view;
    expect(view).toMatchObject({ encrypt: true, replyToEncrypted: true, blockers: [] });
    expect(await sessions.beforeSend(1, reply(['bob@example.com'], 42))).toEqual({});
    expect(armed).toEqual([{ sendId: 'send-1', sign: false, encrypt: true }]);
  });

  it('when encryption is impossible, the reply is stopped and the user told, not sent in the clear', async () => {
    const { sessions, armed } = setup(new Set([42]));
    expect(await sessions.beforeSend(1, reply(['eve@example.com'], 42))).toEqual({ cancel: true });
    expect(armed).toEqual([]);
    expect((await sessions.view(1, reply(['eve@example.com'], 42))).view.blockers).toEqual([{ code: 'RECIPIENT_CERTIFICATE_MISSING', addresses: ['eve@example.com'] }]);
  });

  it('forwards count too; replies to plain mail stay as chosen; the original is read once per tab', async () => {
    const { sessions, looked } = setup(new Set([42]));
    expect((await sessions.view(1, reply(['bob@example.com'], 42, 'forward'))).view.encrypt).toBe(true);
    await sessions.view(1, reply(['bob@example.com'], 42, 'forward'));
    expect(looked).toEqual([42]);
    expect((await sessions.view(2, reply(['bob@example.com'], 7))).view.encrypt).toBe(false);
  });

  it('the user may still switch encryption off explicitly (it is a default, not a requirement)', async () => {
    const { sessions } = setup(new Set([42]));
    await sessions.view(1, reply(['eve@example.com'], 42));
    expect(await sessions.setOptions({ tabId: 1, encrypt: false })).toMatchObject({ encrypt: false, replyToEncrypted: true });
    expect((await sessions.view(1, reply(['eve@example.com'], 42))).view).toMatchObject({ encrypt: false, blockers: [] });
  });

  it('an original that cannot be read counts as encrypted (the safe default)', async () => {
    const { sessions } = setup(new Set(), true);
    expect((await sessions.view(1, reply(['bob@example.com'], 9))).view.encrypt).toBe(true);
  });
});
