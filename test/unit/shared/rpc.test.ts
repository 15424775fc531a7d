import { describe, expect, it, vi } from 'vitest';
import { SmimeError } from '../../../src/crypto/index.js';
import { requestAccess, type Envelope, type Reply } from '../../../src/shared/protocol.js';
import { createClient, createRouter, isAllowedSender, RpcCallError, type Handlers, type RouterOptions } from '../../../src/shared/rpc.js';

const options: RouterOptions = { extensionId: 'waxseal@waxseal.org', extensionUrl: 'moz-extension://1234/' };
const fromOptionsPage = { id: 'waxseal@waxseal.org', url: 'moz-extension://1234/options/index.html' };
const fromComposePopup = { id: 'waxseal@waxseal.org', url: 'moz-extension://1234/compose/index.html' };
const ping: Envelope<'ping'> = { waxseal: 1, name: 'ping', req: {} };

/** A complete handler object: `ping` as given, every other request fails loudly (not under test here). */
function handlersWith(ping: Handlers['ping']): Handlers {
  const notUnderTest = async () => {
    throw new Error('not under test');
  };
  const all = Object.fromEntries(Object.keys(requestAccess).map((name) => [name, notUnderTest]));
  return { ...all, ping } as Handlers;
}

function router(ping: Handlers['ping'] = async () => ({ version: '9.9.9' })) {
  return createRouter(handlersWith(ping), { ...options, logError: () => {} });
}

describe('router', () => {
  it('answers a request from our own page with {ok:true,res}', async () => {
    await expect(router()(ping, fromComposePopup)).resolves.toEqual({ ok: true, res: { version: '9.9.9' } });
  });

  it.each([null, 'ping', { name: 'ping', req: {} }, { waxseal: 2, name: 'ping', req: {} }, { waxseal: 1, name: 'ping' }])(
    'returns false synchronously for a message that is not ours: %j',
    (message) => {
      expect(router()(message, fromOptionsPage)).toBe(false);
    },
  );

  it('SEC-44c: refuses a sender with another extension id', async () => {
    const handler = vi.fn(async () => ({ version: 'x' }));
    const reply = await router(handler)(ping, { id: 'evil@example.com', url: 'moz-extension://1234/options/index.html' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
    expect(handler).not.toHaveBeenCalled();
  });

  it('SEC-44c: refuses a content script (our id, but the URL of a message tab)', async () => {
    const reply = await router()(ping, { id: 'waxseal@waxseal.org', url: 'imap://mail.example.com/INBOX?number=1', tab: { id: 3 } });
    expect(reply).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
  });

  it('refuses an unknown request name, also inherited object keys', async () => {
    for (const name of ['deleteAllKeys', 'constructor', '__proto__']) {
      const reply = await router()({ waxseal: 1, name, req: {} }, fromOptionsPage);
      expect(reply).toMatchObject({ ok: false, error: { code: 'UNKNOWN_REQUEST' } });
    }
  });

  it('passes a SmimeError code through and hides other errors as INTERNAL_ERROR', async () => {
    const typed = await router(async () => {
      throw new SmimeError('KEYSTORE_LOCKED', 'locked');
    })(ping, fromOptionsPage);
    expect(typed).toEqual({ ok: false, error: { code: 'KEYSTORE_LOCKED', message: 'locked' } });

    const logError = vi.fn();
    const failing = handlersWith(async () => {
      throw new TypeError('secret detail');
    });
    const bug = await createRouter(failing, { ...options, logError })(ping, fromOptionsPage);
    expect(bug).toEqual({ ok: false, error: { code: 'INTERNAL_ERROR', message: 'Internal error in ping' } });
    expect(logError).toHaveBeenCalledWith('ping', expect.any(TypeError));
  });
});

describe('isAllowedSender', () => {
  it('SEC-40e/SEC-42a: options-page requests only from the options page', () => {
    expect(isAllowedSender('options-page', fromOptionsPage, options)).toBe(true);
    expect(isAllowedSender('options-page', fromComposePopup, options)).toBe(false);
    expect(isAllowedSender('options-page', { id: options.extensionId, url: 'moz-extension://1234/optionsX/index.html' }, options)).toBe(false);
  });

  it('refuses a page of another extension that forged our id', () => {
    expect(isAllowedSender('extension-page', { id: options.extensionId, url: 'moz-extension://9999/options/index.html' }, options)).toBe(false);
    expect(isAllowedSender('extension-page', { id: options.extensionId }, options)).toBe(false);
  });
});

describe('client', () => {
  it('sends one envelope and returns the typed result', async () => {
    const send = vi.fn(async (_message: Envelope) => ({ ok: true, res: { version: '1.2.3' } }) satisfies Reply<unknown>);
    const call = createClient(send);
    await expect(call('ping', {})).resolves.toEqual({ version: '1.2.3' });
    expect(send).toHaveBeenCalledWith({ waxseal: 1, name: 'ping', req: {} });
  });

  it('rejects with the background error code', async () => {
    const call = createClient(async () => ({ ok: false, error: { code: 'KEYSTORE_LOCKED', message: 'locked' } }));
    const error = await call('ping', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcCallError);
    expect((error as RpcCallError).code).toBe('KEYSTORE_LOCKED');
  });

  it.each([undefined, null, {}, { ok: true }, { ok: false, error: { code: 1 } }])('treats a malformed reply %j as INTERNAL_ERROR', async (reply) => {
    const call = createClient(async () => reply);
    await expect(call('ping', {})).rejects.toMatchObject({ code: 'INTERNAL_ERROR' });
  });

  it('round-trips through a real router', async () => {
    const route = router();
    const call = createClient(async (message) => {
      const reply = route(message, fromComposePopup);
      if (reply === false) throw new Error('not routed');
      return reply;
    });
    await expect(call('ping', {})).resolves.toEqual({ version: '9.9.9' });
  });
});
