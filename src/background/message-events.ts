/**
 * The background's answer to requests from Waxseal's own pages (src/shared/protocol.ts).
 * Handlers live in this one exhaustive object; the compiler rejects a request without a handler.
 */
import type { Reply } from '../shared/protocol.js';
import { createRouter, type Handlers, type RpcSender } from '../shared/rpc.js';
import { addRuntimeMessageListener, extensionId, extensionUrl, extensionVersion } from './platform.js';
import { composeHandlers } from './compose-events.js';
import { keystoreServices } from './services.js';
import { readHandlers } from './read/read-events.js';

const handlers: Handlers = {
  ping: async () => ({ version: extensionVersion() }),
  ...composeHandlers,
  ...keystoreServices().handlers,
  ...readHandlers,
};

/** Told about every answered request (name, sender page, outcome); the test build reports from here. */
export type RequestObserver = (name: string, sender: RpcSender, reply: Reply<unknown>) => void;
const observers: RequestObserver[] = [];

export function observeRequests(observer: RequestObserver): void {
  observers.push(observer);
}

export function registerMessageEvents(): void {
  const route = createRouter(handlers, {
    extensionId: extensionId(),
    extensionUrl: extensionUrl(),
    logError: (name, error) => console.error('Waxseal: request failed', name, error),
  });
  addRuntimeMessageListener((message, sender) => {
    const reply = route(message, sender);
    if (reply === false || observers.length === 0) return reply;
    const name = String((message as { name?: unknown }).name);
    return reply.then((settled) => {
      for (const observer of observers) observer(name, sender, settled);
      return settled;
    });
  });
}
