/**
 * Reading (issue #7): the listeners and requests of the reading side, registered synchronously at the
 * top level of main.ts (STYLE §1). Displayed messages arrive through display-events.ts; encrypted mail,
 * which Thunderbird never displays, through the mail tab's selection. The behaviour is in
 * reading-controller.ts.
 */
import { DEFAULT_POLICY, warmUp } from '../../crypto/index.js';
import type { ReadRequests } from '../../shared/read-protocol.js';
import type { RpcSender } from '../../shared/rpc.js';
import { observeDisplayedMessages } from '../display-events.js';
import { managedConfig } from '../policy/managed-storage.js';
import { keystoreServices } from '../services.js';
import { htmlToTextWithDomParser } from './decrypted-content.js';
import { sanitizeHtml } from './html-sanitizer.js';
import { MessageReader } from './message-reader.js';
import { thunderbirdAccountAddresses, thunderbirdReadPlatform } from './read-platform.js';
import { readerKeysFrom } from './reader-keys.js';
import { decryptedPagePath, ReadingController } from './reading-controller.js';

let controller: ReadingController | null = null;

/**
 * Shortly after start, one verification of the engine's built-in sample (and the reading controller with
 * its key store), so that the first message the user opens does not pay for compiling the verification
 * path (#7: the banner within 300 ms of the display event). Late enough not to slow Thunderbird's start.
 */
const WARM_UP_DELAY_MS = 1500;

function reading(): ReadingController {
  if (!controller) {
    const services = keystoreServices();
    const crypto = globalThis.crypto;
    const reader = new MessageReader({
      keys: readerKeysFrom(services.ready, services.session, crypto, async () => (await managedConfig()).config),
      crypto,
      policy: DEFAULT_POLICY,
      now: () => new Date(),
      // SEC-22: the account identities and the key store's identity addresses (docs/decisions.md).
      ownAddresses: async () => {
        const { keystore } = await services.ready;
        const stored = (await keystore.listIdentities()).flatMap((identity) => identity.addresses);
        return [...new Set([...(await thunderbirdAccountAddresses()), ...stored.map((address) => address.toLowerCase())])];
      },
    });
    controller = new ReadingController({
      platform: thunderbirdReadPlatform,
      reader,
      policy: DEFAULT_POLICY,
      htmlToText: htmlToTextWithDomParser,
      sanitizeHtml: (html, images) => sanitizeHtml(html, new DOMParser(), images).html,
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

export function registerReadEvents(): void {
  observeDisplayedMessages((seen, raw) => {
    reading()
      .displayed(seen.tabId, seen.messageId, raw)
      .catch((error: unknown) => console.error('Waxseal: could not open the displayed message', seen.messageId, error));
  });
  thunderbirdReadPlatform.onSelectedMessage((tabId, messageId) => {
    reading()
      .selected(tabId, messageId)
      .catch((error: unknown) => console.error('Waxseal: could not check the selected message', messageId, error));
  });
  thunderbirdReadPlatform.onBannerRequest((tabId) => reading().bannerFor(tabId));
  thunderbirdReadPlatform.registerBannerScript().catch((error: unknown) => console.error('Waxseal: could not register the message banner', error));
  setTimeout(() => {
    reading();
    warmUp(globalThis.crypto, DEFAULT_POLICY).catch((error: unknown) => console.warn('Waxseal: verification warm-up failed', error));
  }, WARM_UP_DELAY_MS);
}
