/**
 * What Waxseal does when Thunderbird displays or selects a message (issue #7): listeners registered
 * synchronously at the top level (STYLE §1); the behaviour is in read/reading-controller.ts.
 *
 * The log of seen messages is in memory only and holds no message content.
 */
import { DEFAULT_POLICY } from '../crypto/index.js';
import type { ReadRequests } from '../shared/read-protocol.js';
import type { RpcSender } from '../shared/rpc.js';
import { addMessageDisplayedListener, getRawMessage, type DisplayedMessage } from './platform.js';
import { htmlToTextWithDomParser } from './read/decrypted-content.js';
import { MessageReader } from './read/message-reader.js';
import { thunderbirdReadPlatform } from './read/read-platform.js';
import { readerKeysFrom } from './read/reader-keys.js';
import { decryptedPagePath, ReadingController } from './read/reading-controller.js';
import { keystoreServices } from './services.js';

export interface SeenMessage {
  messageId: number;
  headerMessageId: string;
  tabId: number;
  size: number;
}

/** Receives the message and its raw bytes after each display; the test build reports from here. */
export type DisplayObserver = (seen: SeenMessage, raw: Uint8Array) => void;

const MAX_SEEN = 50;
const seenLog: SeenMessage[] = [];
const observers: DisplayObserver[] = [];

export function observeDisplayedMessages(observer: DisplayObserver): void {
  observers.push(observer);
}

/** The most recent displayed messages, oldest first (at most 50). */
export function recentlySeenMessages(): readonly SeenMessage[] {
  return seenLog;
}

let controller: ReadingController | null = null;

function reading(): ReadingController {
  if (!controller) {
    const services = keystoreServices();
    const crypto = globalThis.crypto;
    const reader = new MessageReader({ keys: readerKeysFrom(services.ready, services.session, crypto), crypto, policy: DEFAULT_POLICY, now: () => new Date() });
    controller = new ReadingController({
      platform: thunderbirdReadPlatform,
      reader,
      policy: DEFAULT_POLICY,
      htmlToText: htmlToTextWithDomParser,
      unlock: async (passphrase) => {
        await (await services.ready).keystore.unlock(passphrase);
      },
    });
    const created = controller;
    services.session.onLock(() => created.locked());
  }
  return controller;
}

type ReadHandlers = {
  [K in keyof ReadRequests]: (req: ReadRequests[K]['req'], sender: RpcSender) => Promise<ReadRequests[K]['res']>;
};

/** The toolbar popup's and the decrypted page's requests (merged into the background's handler object). */
export const readHandlers: ReadHandlers = {
  getDisplayStatus: async ({ tabId }) => reading().statusFor(tabId),
  getDecryptedView: async ({ messageId }) => reading().decryptedView(messageId),
  getDecryptedAttachment: async ({ messageId, index }) => reading().attachment(messageId, index),
  openDecryptedView: async ({ messageId }) => {
    await thunderbirdReadPlatform.openPage(decryptedPagePath(messageId));
    return {};
  },
  unlockForReading: async ({ passphrase, messageId }) => reading().unlockAndReopen(passphrase, messageId),
  getSecurityPhrase: async () => ({ phrase: await thunderbirdReadPlatform.securityPhrase() }),
};

export function registerDisplayEvents(): void {
  addMessageDisplayedListener((message) => {
    handleMessageDisplayed(message).catch((error: unknown) => {
      console.error('Waxseal: could not read the displayed message', message.messageId, error);
    });
  });
  thunderbirdReadPlatform.onSelectedMessage((tabId, messageId) => {
    reading()
      .selected(tabId, messageId)
      .catch((error: unknown) => console.error('Waxseal: could not check the selected message', messageId, error));
  });
  thunderbirdReadPlatform.onBannerRequest((tabId) => reading().bannerFor(tabId));
  thunderbirdReadPlatform.registerBannerScript().catch((error: unknown) => console.error('Waxseal: could not register the message banner', error));
}

async function handleMessageDisplayed(message: DisplayedMessage): Promise<void> {
  const raw = stripMozillaPrefix(await getRawMessage(message.messageId));
  const seen: SeenMessage = {
    messageId: message.messageId,
    headerMessageId: message.headerMessageId,
    tabId: message.tabId,
    size: raw.length,
  };
  seenLog.push(seen);
  if (seenLog.length > MAX_SEEN) seenLog.shift();
  for (const observer of observers) observer(seen, raw);
  await reading().displayed(message.tabId, message.messageId, raw);
}

const X_MOZILLA = new TextEncoder().encode('X-Mozilla-');
const LF = 0x0a;
const CR = 0x0d;

/**
 * Removes the `X-Mozilla-Status`, `-Status2` and `-Keys` lines that Thunderbird's mbox store puts in
 * front of the message in `messages.getRaw` (docs/thunderbird.md §4: 148 bytes, LF-terminated, the rest
 * is byte-exact). Only leading lines that start with `X-Mozilla-` and end in a bare LF are removed: a
 * message's own headers end in CRLF (RFC 5322 §2.1), so they are never touched.
 */
export function stripMozillaPrefix(raw: Uint8Array): Uint8Array {
  let start = 0;
  while (startsWithAt(raw, X_MOZILLA, start)) {
    const lineEnd = raw.indexOf(LF, start);
    if (lineEnd < 0 || (lineEnd > 0 && raw[lineEnd - 1] === CR)) break;
    start = lineEnd + 1;
  }
  return start === 0 ? raw : raw.subarray(start);
}

function startsWithAt(bytes: Uint8Array, prefix: Uint8Array, at: number): boolean {
  if (bytes.length - at < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[at + i] !== prefix[i]) return false;
  return true;
}
