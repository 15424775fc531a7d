import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { DisplayedMessage } from '../../../src/background/platform.js';

// The platform module is the one edge to Thunderbird (STYLE §8: fakes only at the platform edge).
const platform = vi.hoisted(() => ({
  listeners: [] as ((message: DisplayedMessage) => void)[],
  raw: new Map<number, Uint8Array>(),
}));
vi.mock('../../../src/background/platform.js', () => ({
  addMessageDisplayedListener: (listener: (message: DisplayedMessage) => void) => platform.listeners.push(listener),
  getRawMessage: async (id: number) => {
    const raw = platform.raw.get(id);
    if (!raw) throw new Error(`no message ${id}`);
    return raw;
  },
}));

const { registerDisplayEvents, observeDisplayedMessages, recentlySeenMessages, stripMozillaPrefix } = await import('../../../src/background/display-events.js');

const enc = (text: string) => new TextEncoder().encode(text);
const dec = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
// What Thunderbird 153 prepends in getRaw (docs/thunderbird.md §4): LF-terminated, 148 bytes.
const MOZILLA_PREFIX = 'X-Mozilla-Status: 0001\nX-Mozilla-Status2: 00000000\nX-Mozilla-Keys:' + ' '.repeat(81) + '\n';
const MESSAGE = 'From: bob@example.com\r\nSubject: hi\r\n\r\nbody\r\n';

describe('stripMozillaPrefix', () => {
  it('removes exactly the 148-byte X-Mozilla block Thunderbird prepends', () => {
    expect(enc(MOZILLA_PREFIX).length).toBe(148);
    expect(dec(stripMozillaPrefix(enc(MOZILLA_PREFIX + MESSAGE)))).toBe(MESSAGE);
  });

  it('leaves a message without the prefix untouched', () => {
    const raw = enc(MESSAGE);
    expect(stripMozillaPrefix(raw)).toBe(raw);
  });

  it("keeps the message's own X-Mozilla-like headers, which end in CRLF", () => {
    const own = 'X-Mozilla-Keys: custom\r\n' + MESSAGE;
    expect(dec(stripMozillaPrefix(enc(own)))).toBe(own);
    expect(dec(stripMozillaPrefix(enc(MOZILLA_PREFIX + own)))).toBe(own);
  });

  it('does not strip an unterminated X-Mozilla line (truncated input)', () => {
    expect(dec(stripMozillaPrefix(enc('X-Mozilla-Status: 0001')))).toBe('X-Mozilla-Status: 0001');
  });
});

describe('display listener', () => {
  beforeEach(() => {
    platform.listeners.length = 0;
    platform.raw.clear();
  });

  it('fetches the raw message, strips the prefix and records and reports it', async () => {
    registerDisplayEvents();
    expect(platform.listeners).toHaveLength(1);
    const observed: { id: number; raw: string }[] = [];
    observeDisplayedMessages((seen, raw) => observed.push({ id: seen.messageId, raw: dec(raw) }));
    platform.raw.set(7, enc(MOZILLA_PREFIX + MESSAGE));
    platform.listeners[0]({ tabId: 2, messageId: 7, headerMessageId: 'a@b' });
    await vi.waitFor(() => expect(observed).toHaveLength(1));
    expect(observed[0]).toEqual({ id: 7, raw: MESSAGE });
    expect(recentlySeenMessages().at(-1)).toEqual({ messageId: 7, headerMessageId: 'a@b', tabId: 2, size: MESSAGE.length });
  });

  it('logs a failed getRaw instead of throwing out of the listener', async () => {
    registerDisplayEvents();
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(() => platform.listeners[0]({ tabId: 1, messageId: 404, headerMessageId: 'x@y' })).not.toThrow();
    await vi.waitFor(() => expect(error).toHaveBeenCalled());
    error.mockRestore();
  });
});
