/**
 * The Thunderbird edge of sending (STYLE §5): compose details, identities, the compose action
 * button, Waxseal's own windows and the composeCrypto experiment. Everything else in send/ talks to
 * the `ComposePlatform` interface, so unit tests fake this one module.
 */
import browser from 'webextension-polyfill';
import { DEFAULT_LIMITS, isEncryptedEntity, parseMime, stripMozillaHeaders } from '../../crypto/index.js';
import { getRawMessage } from '../platform.js';
import { RecipientWatch } from './recipient-watch.js';
import type { ArmOptions, ComposePlatform, ComposeSnapshot, CryptoRequest, CryptoResponse, ThunderbirdCrypto, ToolbarState } from './compose-session.js';

/** The experiment's API (src/experiments/compose-crypto/schema.json). */
interface ComposeCryptoApi {
  arm(tabId: number, options: ArmOptions): Promise<void>;
  disarm(tabId: number): Promise<void>;
  onCryptoRequest: { addListener(listener: (request: CryptoRequest) => Promise<CryptoResponse>): void };
}

function composeCryptoApi(): ComposeCryptoApi {
  return (messenger as unknown as { composeCrypto: ComposeCryptoApi }).composeCrypto;
}

type Recipient = string | { id: string; type: 'contact' | 'mailingList' };

/**
 * Compose fields as strings. Address-book entries (contact or mailing-list ids) are kept as
 * unparsable markers, so they show up as recipients without a certificate instead of vanishing
 * from the check (SEC-49a).
 */
function recipientStrings(list: Recipient | Recipient[] | undefined): string[] {
  const items = list === undefined ? [] : Array.isArray(list) ? list : [list];
  return items.map((item) => (typeof item === 'string' ? item : `${item.type}:${item.id}`));
}

/** `ComposeDetails.selectedEncryptionTechnology` (Thunderbird 128+), absent from the bundled typings. */
function thunderbirdCrypto(details: unknown): ThunderbirdCrypto | null {
  const value = (details as { selectedEncryptionTechnology?: unknown }).selectedEncryptionTechnology;
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  return { name: String(v.name ?? ''), signMessage: v.signMessage === true, encryptBody: v.encryptBody === true };
}

export function snapshotOf(details: messenger.compose.ComposeDetails): ComposeSnapshot {
  return {
    relatedMessageId: details.relatedMessageId ?? null,
    composeType: details.type ?? 'new',
    identityId: details.identityId ?? null,
    to: recipientStrings(details.to as Recipient | Recipient[] | undefined),
    cc: recipientStrings(details.cc as Recipient | Recipient[] | undefined),
    bcc: recipientStrings(details.bcc as Recipient | Recipient[] | undefined),
    thunderbirdCrypto: thunderbirdCrypto(details),
  };
}

const TOOLBAR_TITLE: Record<ToolbarState, string> = {
  off: 'compose_toolbarOff',
  sign: 'compose_toolbarSign',
  encrypt: 'compose_toolbarEncrypt',
  'sign-encrypt': 'compose_toolbarSignEncrypt',
  blocked: 'compose_toolbarBlocked',
};

const TOOLBAR_LABEL: Record<ToolbarState, string> = {
  off: 'compose_labelOff',
  sign: 'compose_labelSign',
  encrypt: 'compose_labelEncrypt',
  'sign-encrypt': 'compose_labelSignEncrypt',
  blocked: 'compose_labelBlocked',
};

const TOOLBAR_BADGE: Record<ToolbarState, string> = { off: '', sign: 'S', encrypt: 'E', 'sign-encrypt': 'S+E', blocked: '!' };

const REFOCUS_DELAY_MS = 500;

function t(name: string, substitutions?: string[]): string {
  return browser.i18n.getMessage(name, substitutions);
}

/**
 * Thunderbird focuses the compose window again while a send is being prepared or cancelled; bring
 * Waxseal's window back to the front after that, or the user would not see it.
 */
function bringToFront(windowId: number): void {
  setTimeout(() => {
    browser.windows.update(windowId, { focused: true, drawAttention: true }).catch((error: unknown) => console.error('Waxseal: could not focus its window', error));
  }, REFOCUS_DELAY_MS);
}

async function openComposeWindow(query: string): Promise<number> {
  const created = await browser.windows.create({ url: browser.runtime.getURL(`compose/index.html?${query}`), type: 'popup', width: 520, height: 560 });
  if (created.id === undefined) throw new Error('windows.create returned no id');
  return created.id;
}

export const thunderbirdComposePlatform: ComposePlatform = {
  async composeDetails(tabId) {
    return snapshotOf(await messenger.compose.getComposeDetails(tabId));
  },
  async identityAddress(identityId) {
    const identity = await messenger.identities.get(identityId);
    return identity?.email ?? null;
  },
  async isEncryptedMessage(messageId) {
    const raw = stripMozillaHeaders(await getRawMessage(messageId));
    return isEncryptedEntity(parseMime(raw, DEFAULT_LIMITS));
  },
  arm: (tabId, options) => composeCryptoApi().arm(tabId, options),
  disarm: (tabId) => composeCryptoApi().disarm(tabId),
  async showToolbarState(tabId, state) {
    await Promise.all([
      // Absolute: a relative path would resolve against the background page's folder.
      messenger.composeAction.setIcon({ tabId, path: `/compose/icons/${state}.svg` }),
      messenger.composeAction.setLabel({ tabId, label: t(TOOLBAR_LABEL[state]) }),
      messenger.composeAction.setTitle({ tabId, title: t(TOOLBAR_TITLE[state]) }),
      messenger.composeAction.setBadgeText({ tabId, text: TOOLBAR_BADGE[state] }),
    ]);
  },
  async showBlocked(tabId) {
    bringToFront(await openComposeWindow(`tabId=${tabId}&mode=blocked`));
  },
  async askPassphrase(tabId, promptId, closed) {
    const windowId = await openComposeWindow(`tabId=${tabId}&mode=unlock&prompt=${encodeURIComponent(promptId)}`);
    bringToFront(windowId);
    const onRemoved = (removed: number): void => {
      if (removed !== windowId) return;
      browser.windows.onRemoved.removeListener(onRemoved);
      closed();
    };
    browser.windows.onRemoved.addListener(onRemoved);
  },
  t,
};

export function addCryptoRequestListener(listener: (request: CryptoRequest) => Promise<CryptoResponse>): void {
  composeCryptoApi().onCryptoRequest.addListener(listener);
}

export function addBeforeSendListener(listener: (tabId: number, snapshot: ComposeSnapshot) => Promise<{ cancel?: boolean; details?: { selectedEncryptionTechnology: ThunderbirdCrypto } }>): void {
  // The listener may return a promise (compose.json: the send waits for it); the typings only know the plain object.
  messenger.compose.onBeforeSend.addListener((tab, details) => listener(tab.id ?? -1, snapshotOf(details)) as unknown as { cancel?: boolean });
}

/** Keeps the toolbar button current while the user edits recipients or switches identity. */
/** How often an open compose window's recipients are compared with the last ones seen. */
const RECIPIENT_POLL_MS = 1500;

export function addComposeChangeListeners(changed: (tabId: number) => Promise<void>, closed: (tabId: number) => void): void {
  const watch = new RecipientWatch({
    async read(tabId) {
      const snapshot = snapshotOf(await messenger.compose.getComposeDetails(tabId));
      return JSON.stringify([snapshot.identityId, snapshot.to, snapshot.cc, snapshot.bcc]);
    },
    changed,
    intervalMs: RECIPIENT_POLL_MS,
  });
  const opened = (tabId: number): void => {
    void changed(tabId);
    watch.watch(tabId);
  };
  messenger.compose.onIdentityChanged.addListener((tab) => void changed(tab.id ?? -1));
  // A new compose window shows its defaults (e.g. "sign every message") on the button at once.
  messenger.tabs.onCreated.addListener((tab) => {
    if (tab.type === 'messageCompose' && tab.id !== undefined) opened(tab.id);
  });
  browser.tabs.onRemoved.addListener((tabId) => {
    watch.unwatch(tabId);
    closed(tabId);
  });
  // Compose windows already open when Waxseal starts (installed or updated mid-session).
  void messenger.tabs.query({ type: 'messageCompose' }).then(
    (tabs) => tabs.forEach((tab) => tab.id !== undefined && opened(tab.id)),
    (error: unknown) => console.error('Waxseal: could not list open compose windows', error),
  );
}
