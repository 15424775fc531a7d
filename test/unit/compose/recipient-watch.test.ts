import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RecipientWatch } from '../../../src/background/send/recipient-watch.js';

/** Lets the watch's pending promises settle between timer steps. */
const settle = () => vi.advanceTimersByTimeAsync(0);

describe('RecipientWatch: a compose window\'s recipients are noticed without an event', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function setup(recipients: Map<number, string>) {
    const changes: number[] = [];
    let release: (() => void) | null = null;
    const watch = new RecipientWatch({
      read: async (tabId) => {
        const value = recipients.get(tabId);
        if (value === undefined) throw new Error('no such tab');
        return value;
      },
      changed: async (tabId) => {
        changes.push(tabId);
        if (tabId === 99) await new Promise<void>((resolve) => (release = resolve));
      },
      intervalMs: 1000,
    });
    return { watch, changes, release: () => release?.() };
  }

  it('checks a tab again only when its recipients change, not on every poll', async () => {
    const recipients = new Map([[1, 'bob@example.com']]);
    const { watch, changes } = setup(recipients);
    watch.watch(1);
    await settle();
    await vi.advanceTimersByTimeAsync(3000);
    expect(changes).toEqual([]); // the baseline is what the caller already checked
    recipients.set(1, 'bob@example.com, carol@example.com');
    await vi.advanceTimersByTimeAsync(1000);
    expect(changes).toEqual([1]);
    await vi.advanceTimersByTimeAsync(3000);
    expect(changes).toEqual([1]);
  });

  it('never overlaps two checks of one tab: a slow check delays the next comparison', async () => {
    const recipients = new Map([[99, 'a@example.com']]);
    const { watch, changes, release } = setup(recipients);
    watch.watch(99);
    await settle();
    recipients.set(99, 'b@example.com');
    await vi.advanceTimersByTimeAsync(1000);
    recipients.set(99, 'c@example.com');
    await vi.advanceTimersByTimeAsync(5000);
    expect(changes).toEqual([99]); // the first check is still running
    release();
    await vi.advanceTimersByTimeAsync(1000);
    expect(changes).toEqual([99, 99]);
  });

  it('stops watching a tab that closed, and on unwatch', async () => {
    const recipients = new Map([[1, 'x'], [2, 'y']]);
    const { watch } = setup(recipients);
    watch.watch(1);
    watch.watch(2);
    await settle();
    expect(watch.size).toBe(2);
    recipients.delete(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(watch.size).toBe(1);
    watch.unwatch(2);
    expect(watch.size).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});
