/**
 * The one edge between Waxseal's background and the host application (STYLE §5).
 *
 * Standard WebExtension APIs come from `webextension-polyfill`'s `browser`; Thunderbird-only APIs from
 * the `messenger` global. Everything else in the background imports from here, so unit tests replace
 * this one module and nothing else.
 */
import browser from 'webextension-polyfill';

/** Our own version from manifest.json. */
export function extensionVersion(): string {
  return browser.runtime.getManifest().version;
}

export function extensionId(): string {
  return browser.runtime.id;
}

/** `moz-extension://<uuid>/`, the prefix of every page we ship. */
export function extensionUrl(): string {
  return browser.runtime.getURL('/');
}

export type RuntimeMessageListener = (message: unknown, sender: { id?: string; url?: string; tab?: unknown }) => false | Promise<unknown>;

export function addRuntimeMessageListener(listener: RuntimeMessageListener): void {
  browser.runtime.onMessage.addListener(listener);
}

/** Sends a one-shot message to another extension (used only by the test build's reporter). */
export function sendExternalMessage(extensionIdTo: string, message: unknown): Promise<unknown> {
  return browser.runtime.sendMessage(extensionIdTo, message);
}

export interface DisplayedMessage {
  tabId: number;
  messageId: number;
  headerMessageId: string;
}

/**
 * `messageDisplay.onMessageDisplayed` is the MV2 event (MV3 has `onMessagesDisplayed` instead,
 * docs/thunderbird.md §4). It can fire twice for one message, so listeners must be idempotent.
 */
export function addMessageDisplayedListener(listener: (message: DisplayedMessage) => void): void {
  messenger.messageDisplay.onMessageDisplayed.addListener((tab, header) => {
    listener({ tabId: tab.id ?? -1, messageId: header.id, headerMessageId: header.headerMessageId });
  });
}

/**
 * The message's bytes as stored, without Thunderbird's decryption (`decrypt: false`): we verify and
 * decrypt ourselves. Thunderbird prepends an `X-Mozilla-*` block that the caller strips.
 */
export async function getRawMessage(messageId: number): Promise<Uint8Array> {
  const raw = await messenger.messages.getRaw(messageId, { decrypt: false, data_format: 'File' });
  if (typeof raw === 'string') {
    throw new Error('messages.getRaw returned a string although data_format File was requested');
  }
  return new Uint8Array(await raw.arrayBuffer());
}
