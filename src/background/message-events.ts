/**
 * The background's answer to requests from Waxseal's own pages (src/shared/protocol.ts).
 * Handlers live in this one exhaustive object; the compiler rejects a request without a handler.
 */
import { createRouter, type Handlers } from '../shared/rpc.js';
import { addRuntimeMessageListener, extensionId, extensionUrl, extensionVersion } from './platform.js';

const handlers: Handlers = {
  ping: async () => ({ version: extensionVersion() }),
};

export function registerMessageEvents(): void {
  addRuntimeMessageListener(
    createRouter(handlers, {
      extensionId: extensionId(),
      extensionUrl: extensionUrl(),
      logError: (name, error) => console.error('Waxseal: request failed', name, error),
    }),
  );
}
