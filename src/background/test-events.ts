/**
 * Loopback reporter for the end-to-end rig. Compiled in only when the build runs with
 * `WAXSEAL_TEST=1` (scripts/build.mjs sets `__WAXSEAL_TEST__`); the product bundle contains none of
 * this, which scripts/build.mjs checks.
 *
 * It pushes what the background observes to the test-only companion extension with
 * `runtime.sendMessage(companionId, …)`. The direction matters: Waxseal never registers
 * `runtime.onMessageExternal` (SEC-20b), so nothing outside can drive it; it only talks out.
 */
import { observeDisplayedMessages } from './display-events.js';
import { observeRequests } from './message-events.js';
import { extensionVersion, sendExternalMessage } from './platform.js';

export const E2E_COMPANION_ID = 'waxseal-e2e-companion@waxseal.org';

type TestEvent =
  | { event: 'ready'; version: string }
  | { event: 'displayed'; messageId: number; headerMessageId: string; tabId: number; rawBase64: string }
  | { event: 'request'; name: string; senderUrl: string; ok: boolean; errorCode: string | null };

const queue: TestEvent[] = [];
let flushing = false;
const RETRY_MS = 250;

export function registerTestEvents(): void {
  observeDisplayedMessages((seen, raw) => {
    report({ event: 'displayed', ...seen, rawBase64: toBase64(raw) });
  });
  observeRequests((name, sender, reply) => {
    report({ event: 'request', name, senderUrl: sender.url ?? '', ok: reply.ok, errorCode: reply.ok ? null : reply.error.code });
  });
  report({ event: 'ready', version: extensionVersion() });
}

function report(event: TestEvent): void {
  queue.push(event);
  void flush();
}

/** The companion may start after us; keep events in order and retry until it listens. */
async function flush(): Promise<void> {
  if (flushing) return;
  flushing = true;
  while (queue.length > 0) {
    const ok = await sendExternalMessage(E2E_COMPANION_ID, { waxsealTest: 1, ...queue[0] }).then(
      () => true,
      () => false,
    );
    if (ok) queue.shift();
    else await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
  }
  flushing = false;
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}
