/**
 * Compose and send (issue #6): the compose.onBeforeSend listener, the send hook's onCryptoRequest
 * listener, toolbar updates, and the compose popup's requests. Listeners are registered
 * synchronously by `registerComposeEvents` at the top level of main.ts (STYLE §1); the key store
 * services they use may still be opening, so each listener awaits them.
 */
import type { ComposeRequests } from '../shared/compose-protocol.js';
import type { RpcSender } from '../shared/rpc.js';
import { ComposeSessions, type ComposeSessionDeps } from './send/compose-session.js';
import { addBeforeSendListener, addComposeChangeListeners, addCryptoRequestListener, thunderbirdComposePlatform } from './send/compose-platform.js';

export type ComposeServices = Omit<ComposeSessionDeps, 'platform'>;

type ComposeHandlers = {
  [K in keyof ComposeRequests]: (req: ComposeRequests[K]['req'], sender: RpcSender) => Promise<ComposeRequests[K]['res']>;
};

let sessions: Promise<ComposeSessions> | null = null;

function current(): Promise<ComposeSessions> {
  if (!sessions) throw new Error('compose events are not registered');
  return sessions;
}

/** The compose popup's requests (merged into the background's handler object). */
export const composeHandlers: ComposeHandlers = {
  getComposeView: async ({ tabId }) => (await current()).getView(tabId),
  setComposeOptions: async (change) => (await current()).setOptions(change),
  answerUnlockPrompt: async ({ promptId, passphrase }) => (await current()).answerPrompt(promptId, passphrase),
};

export function registerComposeEvents(services: Promise<ComposeServices>): void {
  sessions = services.then((deps) => new ComposeSessions({ ...deps, platform: thunderbirdComposePlatform }));
  addBeforeSendListener(async (tabId, snapshot) => (await current()).beforeSend(tabId, snapshot));
  addCryptoRequestListener(async (request) => {
    try {
      return await (await current()).cryptoRequest(request);
    } catch (error) {
      // The boundary: the hook must always get an answer, or the send waits for its timeout.
      console.error('Waxseal: the send hook request failed', error);
      return { error: thunderbirdComposePlatform.t('compose_errorEngine', ['INTERNAL_ERROR']) };
    }
  });
  addComposeChangeListeners(
    async (tabId) => {
      await current()
        .then((s) => s.getView(tabId))
        .catch((error: unknown) => console.error('Waxseal: compose state update failed', error));
    },
    (tabId) => {
      void current().then((s) => s.forgetTab(tabId));
    },
  );
}
