/**
 * The typed contract between the background and the extension pages (STYLE §5).
 *
 * One entry per request: `req` is what the caller sends, `res` what the background answers. Payloads are
 * plain structured-clonable data (no class instances, no CryptoKey, dates as ISO strings) and never
 * contain key material. Add a request by adding an entry here, a handler in the background's handler
 * object (the compiler then insists on it) and an entry in `requestAccess`.
 */
import type { SmimeErrorCode } from '../crypto/index.js';
import type { ComposeRequests } from './compose-protocol.js';
import { keyRequestAccess, type KeyRequests } from './keys-protocol.js';
import type { ReadRequests } from './read-protocol.js';

export interface Requests extends ComposeRequests, KeyRequests, ReadRequests {
  /** Liveness and version check; used by the pages and the end-to-end rig. */
  ping: { req: Record<string, never>; res: { version: string } };
}

export type RequestName = keyof Requests;

/**
 * Who may send a request (SEC-44c). `extension-page`: any of Waxseal's own pages (options, popups,
 * display page). `options-page`: only the options page, for key management (SEC-40e, SEC-42a).
 * Content scripts and other extensions are never accepted unless a request says so here.
 */
export type Access = 'extension-page' | 'options-page';

export const requestAccess: { readonly [K in RequestName]: Access } = {
  ping: 'extension-page',
  getComposeView: 'extension-page',
  setComposeOptions: 'extension-page',
  answerUnlockPrompt: 'extension-page',
  ...keyRequestAccess,
  getDisplayStatus: 'extension-page',
  getDecryptedView: 'extension-page',
  getDecryptedAttachment: 'extension-page',
  openDecryptedView: 'extension-page',
  unlockForReading: 'extension-page',
  getSecurityPhrase: 'extension-page',
};

/** Codes that only the messaging layer produces, on top of the engine's. */
export type RpcErrorCode = SmimeErrorCode | 'FORBIDDEN_SENDER' | 'UNKNOWN_REQUEST';

export interface RpcError {
  code: RpcErrorCode;
  message: string;
}

export type Reply<T> = { ok: true; res: T } | { ok: false; error: RpcError };

/** The wire form of a request. The `waxseal` tag lets the listener ignore other messages cheaply. */
export interface Envelope<K extends RequestName = RequestName> {
  waxseal: 1;
  name: K;
  req: Requests[K]['req'];
}
