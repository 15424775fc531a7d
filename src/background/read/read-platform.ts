/**
 * The reading side's edge to Thunderbird (STYLE §5): the message display script, the message toolbar
 * button, tabs and storage. Everything reading does with `browser`/`messenger` goes through here, so
 * the logic in display-events.ts is tested against a fake of this one interface.
 */
import browser from 'webextension-polyfill';
import type { BannerContent } from '../../shared/read-protocol.js';

export interface ToolbarState {
  /** Icon file under `display/icons/`. */
  icon: string;
  title: string;
  badge: string;
}

export interface ReadPlatform {
  /** Injects the banner script into every displayed message (MV2 `messageDisplayScripts`). */
  registerBannerScript(): Promise<void>;
  setToolbar(tabId: number, state: ToolbarState): Promise<void>;
  /**
   * Hides Thunderbird's own S/MIME indicator for the message a tab shows, or shows it again
   * (docs/decisions.md "One security indicator per message"). False when the tab shows another message.
   */
  setThunderbirdIndicatorHidden(tabId: number, messageId: number, hidden: boolean): Promise<boolean>;
  /** Pushes the banner to the display script of a tab; false when no script listens there (yet). */
  sendBanner(tabId: number, content: BannerContent | null): Promise<boolean>;
  /** Messages from our own display scripts: `{waxsealBanner: 1}` asks for the banner of its tab. */
  onBannerRequest(listener: (tabId: number) => Promise<BannerContent | null>): void;
  /** A single message selected in a mail tab (fires also for encrypted mail, which has no display event). */
  onSelectedMessage(listener: (tabId: number, messageId: number) => void): void;
  /** The first bytes of the raw message, without decryption (to recognise encrypted mail cheaply). */
  getRaw(messageId: number): Promise<Uint8Array>;
  openPage(path: string): Promise<void>;
  /** The per-install security phrase, created on first use (SEC-15). */
  securityPhrase(): Promise<string>;
  t(name: string, substitutions?: string | string[]): string;
}

const PHRASE_KEY = 'read_securityPhrase';

/** The e-mail addresses of every Thunderbird account identity, lower-case (`accountsRead`), for SEC-22. */
export async function thunderbirdAccountAddresses(): Promise<string[]> {
  const accounts = await messenger.accounts.list(false);
  return accounts.flatMap((account) => (account.identities ?? []).flatMap((identity) => (identity.email ? [identity.email.trim().toLowerCase()] : [])));
}

/** The messageSecurity experiment (src/experiments/message-security/). */
interface MessageSecurityApi {
  setThunderbirdIndicatorHidden(tabId: number, messageId: number, hidden: boolean): Promise<boolean>;
}

function messageSecurityApi(): MessageSecurityApi {
  return (messenger as unknown as { messageSecurity: MessageSecurityApi }).messageSecurity;
}

/** 128 short common words: a phrase of four (28 bits) cannot be guessed by a page that cannot read our storage. */
const WORDS = [
  'amber', 'anchor', 'apple', 'arrow', 'aspen', 'badger', 'basil', 'beacon', 'birch', 'bison', 'breeze', 'brook', 'cactus', 'candle', 'canyon', 'cedar',
  'cherry', 'cinder', 'clover', 'cobalt', 'comet', 'copper', 'coral', 'crane', 'cricket', 'dahlia', 'delta', 'dune', 'ember', 'falcon', 'fern', 'fig',
  'fjord', 'flint', 'garnet', 'geyser', 'ginger', 'glacier', 'harbor', 'hazel', 'heron', 'hollow', 'indigo', 'iris', 'ivory', 'jasper', 'juniper', 'kestrel',
  'lagoon', 'lantern', 'lark', 'lemon', 'lilac', 'linen', 'lotus', 'maple', 'marble', 'meadow', 'mint', 'moss', 'nectar', 'nutmeg', 'oak', 'ocean',
  'olive', 'onyx', 'orchid', 'otter', 'pebble', 'pepper', 'pine', 'plum', 'poppy', 'prairie', 'quartz', 'quill', 'raven', 'reef', 'river', 'robin',
  'saffron', 'sage', 'salmon', 'sequoia', 'shale', 'sierra', 'slate', 'sparrow', 'spruce', 'summit', 'thistle', 'thyme', 'tulip', 'tundra', 'velvet', 'violet',
  'walnut', 'willow', 'wren', 'yarrow', 'zephyr', 'zinnia', 'acorn', 'bramble', 'cloud', 'dove', 'elm', 'frost', 'grove', 'honey', 'ink', 'jade',
  'kelp', 'lichen', 'mango', 'nova', 'opal', 'pearl', 'quince', 'rain', 'sand', 'tide', 'umber', 'vale', 'wave', 'yew', 'zest', 'bay',
];

/** Four words chosen uniformly with WebCrypto (128 words: 7 bits each; 256 is a multiple of 128, so no modulo bias). */
export function newSecurityPhrase(crypto: Crypto): string {
  const random = crypto.getRandomValues(new Uint8Array(4));
  return Array.from(random, (byte) => WORDS[byte % WORDS.length]).join(' ');
}

let phrase: Promise<string> | null = null;

export const thunderbirdReadPlatform: ReadPlatform = {
  async registerBannerScript() {
    await messenger.messageDisplayScripts.register({ js: [{ file: '/display/main.js' }], css: [{ file: '/display/banner.css' }] });
  },
  async setToolbar(tabId, state) {
    await Promise.all([
      messenger.messageDisplayAction.setIcon({ tabId, path: `/display/icons/${state.icon}` }),
      messenger.messageDisplayAction.setTitle({ tabId, title: state.title }),
      messenger.messageDisplayAction.setBadgeText({ tabId, text: state.badge }),
    ]);
  },
  setThunderbirdIndicatorHidden: (tabId, messageId, hidden) => messageSecurityApi().setThunderbirdIndicatorHidden(tabId, messageId, hidden),
  async sendBanner(tabId, content) {
    return browser.tabs.sendMessage(tabId, { waxsealBanner: 1, content }).then(
      () => true,
      () => false,
    );
  },
  onBannerRequest(listener) {
    const ownId = browser.runtime.id;
    browser.runtime.onMessage.addListener((message: unknown, sender: browser.Runtime.MessageSender) => {
      if (typeof message !== 'object' || message === null || (message as { waxsealBanner?: unknown }).waxsealBanner !== 1) return false;
      // Only our own display scripts, which run in a message tab; anything else gets no answer.
      const tabId = sender.tab?.id;
      if (sender.id !== ownId || tabId === undefined) return false;
      return listener(tabId);
    });
  },
  onSelectedMessage(listener) {
    messenger.mailTabs.onSelectedMessagesChanged.addListener((tab, selected) => {
      const only = selected.messages.length === 1 ? selected.messages[0] : undefined;
      if (only && tab.id !== undefined) listener(tab.id, only.id);
    });
  },
  async getRaw(messageId) {
    const raw = await messenger.messages.getRaw(messageId, { decrypt: false, data_format: 'File' });
    if (typeof raw === 'string') throw new Error('messages.getRaw returned a string although data_format File was requested');
    return new Uint8Array(await raw.arrayBuffer());
  },
  async openPage(path) {
    await browser.tabs.create({ url: browser.runtime.getURL(path) });
  },
  securityPhrase() {
    phrase ??= (async () => {
      const stored = (await browser.storage.local.get(PHRASE_KEY))[PHRASE_KEY];
      if (typeof stored === 'string' && stored !== '') return stored;
      const created = newSecurityPhrase(globalThis.crypto);
      await browser.storage.local.set({ [PHRASE_KEY]: created });
      return created;
    })();
    return phrase;
  },
  t: (name, substitutions) => browser.i18n.getMessage(name, substitutions),
};
