/**
 * What Waxseal does when Thunderbird displays a message.
 *
 * For now it fetches the raw message and records that it saw it; the engine (verification and
 * decryption) plugs in here later. The log is in memory only and holds no message content.
 */
import { addMessageDisplayedListener, getRawMessage, type DisplayedMessage } from './platform.js';

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

export function registerDisplayEvents(): void {
  addMessageDisplayedListener((message) => {
    handleMessageDisplayed(message).catch((error: unknown) => {
      console.error('Waxseal: could not read the displayed message', message.messageId, error);
    });
  });
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
