/**
 * SEC-15: the message display script renders only what Waxseal's background sends. A message from
 * another extension id, a malformed verdict, or anything the message's page does is ignored; the banner
 * carries the per-install phrase. `webextension-polyfill` is the platform edge, so it is the one fake.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BannerContent } from '../../../src/shared/read-protocol.js';

type Listener = (message: unknown, sender: { id?: string }) => unknown;
const edge = vi.hoisted(() => ({ listeners: [] as Listener[], answer: null as unknown, sent: [] as unknown[] }));

vi.mock('webextension-polyfill', () => ({
  default: {
    runtime: {
      id: 'waxseal@waxseal.org',
      getManifest: () => ({ version: '0.1.0' }),
      onMessage: { addListener: (listener: Listener) => edge.listeners.push(listener) },
      sendMessage: async (message: unknown) => {
        edge.sent.push(message);
        return edge.answer;
      },
    },
    i18n: { getMessage: (name: string, subs?: string[]) => `${name}${subs ? `(${subs.join(',')})` : ''}` },
  },
}));

const { startBannerScript } = await import('../../../src/display/banner-script.js');

function content(signature: string, phrase = 'amber birch comet'): BannerContent {
  return {
    securityPhrase: phrase,
    status: {
      messageId: 1, signature: signature as BannerContent['status']['signature'], encryption: null, tone: signature === 'valid' ? 'ok' : 'bad', signer: 'bob@example.com', from: 'bob@example.com',
      reasons: [], signerCertificate: null, chain: [], signingTime: null, digestAlgorithm: null, signatureAlgorithm: null, contentEncryption: null, recipients: [],
      certificateSource: null, continuity: null, checkedAt: '2026-06-01T00:00:00.000Z', decryptedViewAvailable: false,
      protectedAddressees: null, notAddressedToYou: false,
    },
  };
}

const banner = () => document.querySelector('[data-testid="waxseal-banner"]') as HTMLElement | null;
const flush = () => new Promise((resolve) => setTimeout(resolve, 20));

beforeEach(() => {
  document.body.replaceChildren(Object.assign(document.createElement('p'), { textContent: 'message body' }));
  edge.listeners.length = 0;
  edge.sent.length = 0;
});
afterEach(() => document.body.replaceChildren());

describe('message display script (SEC-15)', () => {
  it('asks the background once and renders its answer above the body, with the phrase', async () => {
    edge.answer = content('modified');
    startBannerScript();
    await flush();
    expect(edge.sent).toEqual([{ waxsealBanner: 1 }]);
    expect(banner()?.dataset.signature).toBe('modified');
    expect(document.body.firstElementChild?.id).toBe('waxseal-banner-host');
    expect(document.querySelector('[data-testid="banner-phrase"]')?.textContent).toBe('amber birch comet');
  });

  it('ignores pushes from another extension and malformed verdicts; accepts our own update', async () => {
    edge.answer = content('modified');
    startBannerScript();
    await flush();
    const listener = edge.listeners[0]!;
    expect(listener({ waxsealBanner: 1, content: content('valid', 'forged') }, { id: 'evil@example.org' })).toBe(false);
    listener({ waxsealBanner: 1, content: { ...content('valid'), status: { ...content('valid').status, tone: 'green' } } }, { id: 'waxseal@waxseal.org' });
    await flush();
    expect(banner()?.dataset.signature).toBe('modified');
    listener({ waxsealBanner: 1, content: content('valid') }, { id: 'waxseal@waxseal.org' });
    await flush();
    expect(banner()?.dataset.signature).toBe('valid');
    expect(document.querySelectorAll('#waxseal-banner-host')).toHaveLength(1);
  });

  it('a banner drawn by the message page itself changes nothing Waxseal shows, and unsigned mail has no banner', async () => {
    const fake = document.createElement('div');
    fake.dataset.testid = 'fake';
    fake.textContent = 'Signed by your bank. The message is unchanged and the signature is trusted.';
    document.body.prepend(fake);
    window.postMessage({ waxsealBanner: 1, content: content('valid') }, '*');
    edge.answer = null;
    startBannerScript();
    await flush();
    expect(banner()).toBeNull();
    expect(document.getElementById('waxseal-banner-host')).toBeNull();
  });
});
