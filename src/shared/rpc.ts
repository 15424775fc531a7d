/**
 * One-shot request/response messaging between the extension pages and the background (STYLE §5).
 *
 * - `createClient(send)` gives `call(name, req)`, which resolves with the typed result or rejects with
 *   an `RpcCallError` carrying the background's error code.
 * - `createRouter(handlers, options)` gives a synchronous `runtime.onMessage` listener: it returns
 *   `false` for messages that are not ours (so other listeners may answer) and a promise of a `Reply`
 *   for ours. Every handler error becomes `{ok:false}`; nothing throws across the boundary.
 *
 * This module has no dependency on the extension APIs, so it is unit-tested with plain fakes; the
 * background and the pages pass in `browser.runtime` functions.
 */
import { isSmimeError } from '../crypto/index.js';
import {
  requestAccess,
  type Access,
  type Envelope,
  type Reply,
  type RequestName,
  type Requests,
  type RpcError,
  type RpcErrorCode,
} from './protocol.js';

/** The part of `runtime.MessageSender` the router looks at. */
export interface RpcSender {
  id?: string;
  url?: string;
  tab?: unknown;
}

export type Handlers = {
  [K in RequestName]: (req: Requests[K]['req'], sender: RpcSender) => Promise<Requests[K]['res']>;
};

export class RpcCallError extends Error {
  override readonly name = 'RpcCallError';
  readonly code: RpcErrorCode;
  constructor(error: RpcError) {
    super(error.message);
    this.code = error.code;
  }
}

export type Call = <K extends RequestName>(name: K, req: Requests[K]['req']) => Promise<Requests[K]['res']>;

/** Builds `call()` on top of a `runtime.sendMessage`-like function. */
export function createClient(send: (message: Envelope) => Promise<unknown>): Call {
  return async (name, req) => {
    const envelope: Envelope = { waxseal: 1, name, req };
    const reply = await send(envelope);
    if (!isReply(reply)) {
      throw new RpcCallError({ code: 'INTERNAL_ERROR', message: `No valid reply to ${name}` });
    }
    if (!reply.ok) throw new RpcCallError(reply.error);
    return reply.res as Requests[typeof name]['res'];
  };
}

export interface RouterOptions {
  /** Our own extension id (`runtime.id`); messages from any other id are refused. */
  extensionId: string;
  /** Our own base URL (`runtime.getURL('')`), to tell extension pages apart. */
  extensionUrl: string;
  /** Called for handler failures that are bugs (not SmimeError), at the boundary (STYLE §4). */
  logError?: (name: string, error: unknown) => void;
}

export type MessageListener = (message: unknown, sender: RpcSender) => false | Promise<Reply<unknown>>;

/** Builds the background's `runtime.onMessage` listener from an exhaustive handler object. */
export function createRouter(handlers: Handlers, options: RouterOptions): MessageListener {
  return (message, sender) => {
    if (!isEnvelope(message)) return false;
    return dispatch(handlers, options, message, sender);
  };
}

async function dispatch(handlers: Handlers, options: RouterOptions, message: Envelope, sender: RpcSender): Promise<Reply<unknown>> {
  const name = message.name;
  if (!Object.prototype.hasOwnProperty.call(handlers, name)) {
    return fail('UNKNOWN_REQUEST', `Unknown request ${String(name)}`);
  }
  if (!isAllowedSender(requestAccess[name], sender, options)) {
    return fail('FORBIDDEN_SENDER', `${name} is not accepted from this sender`);
  }
  try {
    const handler = handlers[name] as (req: unknown, sender: RpcSender) => Promise<unknown>;
    return { ok: true, res: await handler(message.req, sender) };
  } catch (error) {
    if (isSmimeError(error)) return fail(error.code, error.message);
    options.logError?.(name, error);
    return fail('INTERNAL_ERROR', `Internal error in ${name}`);
  }
}

/**
 * SEC-44c: only our own extension, and only from our own pages (content scripts run in a mail tab and
 * carry `sender.tab`; their URL is the message's, not ours).
 */
export function isAllowedSender(access: Access, sender: RpcSender, options: RouterOptions): boolean {
  if (sender.id !== options.extensionId) return false;
  const url = sender.url ?? '';
  if (!url.startsWith(options.extensionUrl)) return false;
  if (access === 'options-page') return url.startsWith(options.extensionUrl + 'options/');
  return true;
}

function fail(code: RpcErrorCode, message: string): Reply<never> {
  return { ok: false, error: { code, message } };
}

function isEnvelope(message: unknown): message is Envelope {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as Record<string, unknown>;
  return m.waxseal === 1 && typeof m.name === 'string' && typeof m.req === 'object' && m.req !== null;
}

function isReply(value: unknown): value is Reply<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  if (v.ok === true) return 'res' in v;
  if (v.ok !== false || typeof v.error !== 'object' || v.error === null) return false;
  const e = v.error as Record<string, unknown>;
  return typeof e.code === 'string' && typeof e.message === 'string';
}
