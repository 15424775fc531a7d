/**
 * The compose popup's state in signals (STYLE §7): the background's view of the compose tab, a busy
 * flag while a request runs, and the last error code. Every change goes through the background, which
 * answers the new view, so the popup never computes security decisions itself.
 */
import { signal, type Signal } from '@preact/signals';
import type { ComposeOptionsChange, ComposeView } from '../shared/compose-protocol.js';
import type { Call } from '../shared/rpc.js';

export interface ComposeStore {
  view: Signal<ComposeView | null>;
  busy: Signal<boolean>;
  error: Signal<string | null>;
  load(): Promise<void>;
  change(change: Omit<ComposeOptionsChange, 'tabId'>): Promise<void>;
}

function codeOf(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : 'INTERNAL_ERROR';
}

export function createComposeStore(call: Call, tabId: number): ComposeStore {
  const view = signal<ComposeView | null>(null);
  const busy = signal(false);
  const error = signal<string | null>(null);
  async function run(task: () => Promise<ComposeView>): Promise<void> {
    busy.value = true;
    try {
      view.value = await task();
      error.value = null;
    } catch (failure) {
      error.value = codeOf(failure);
    } finally {
      busy.value = false;
    }
  }
  return {
    view,
    busy,
    error,
    load: () => run(() => call('getComposeView', { tabId })),
    change: (change) => run(() => call('setComposeOptions', { tabId, ...change })),
  };
}
