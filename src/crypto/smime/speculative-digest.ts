/**
 * Verifying a large multipart/signed message hashes its first part (RFC 8551 §3.5.3). WebCrypto hashes off the
 * calling thread, but the part's end is known only after the MIME parser's forward search for the next delimiter,
 * one more pass over the whole part on this thread. So the first part is guessed from the two ends of the message
 * instead (its first delimiter line near the start, the signature part near the end) and its digest started before
 * parsing: the hash and the parse overlap.
 *
 * The guess is only a hint. The CMS check uses the digest only when the parser's first part is exactly the guessed
 * bytes (same buffer, offset and length) and the SignerInfo names the same hash; otherwise it hashes as usual, so a
 * wrong guess costs time, never a wrong verdict.
 */
import { isSmimeError } from '../errors.js';
import type { PrecomputedDigest } from '../cms/verify.js';
import type { HashName, ParserLimits } from '../policy.js';
import { readHeaderSection } from '../mime/headers.js';
import { parseContentType } from '../mime/parameters.js';

/** Below this, hashing is cheap next to the fixed costs of verification and the guess is not worth it. */
const MIN_SPECULATIVE_BYTES = 256 * 1024;
/** How far from the end the signature part's delimiter is looked for. */
const TAIL_WINDOW = 256 * 1024;

const HASH_BY_MICALG: ReadonlyMap<string, HashName> = new Map([['sha-256', 'SHA-256'], ['sha-384', 'SHA-384'], ['sha-512', 'SHA-512']]);

/**
 * Starts the digest of the guessed first part of `message` when it is a large multipart/signed whose delimiters
 * are plain (`--boundary` CRLF, no transport padding); null when there is nothing to guess.
 */
export function startSpeculativeDigest(message: Uint8Array, crypto: Crypto, limits: ParserLimits): PrecomputedDigest | null {
  if (message.length < MIN_SPECULATIVE_BYTES) return null;
  let section: ReturnType<typeof readHeaderSection>;
  let boundary: string | undefined;
  let micalg: string | undefined;
  try {
    section = readHeaderSection(message, 0, message.length, limits);
    const type = parseContentType(section.headers.get('content-type'), 'text/plain', limits);
    if (type.mediaType !== 'multipart/signed') return null;
    boundary = type.boundary;
    micalg = type.params.get('micalg')?.toLowerCase();
  } catch (error) {
    // The parser will meet the same problem and report it; there is just nothing to guess.
    if (isSmimeError(error)) return null;
    throw error;
  }
  const digest = HASH_BY_MICALG.get(micalg ?? 'sha-256');
  if (boundary === undefined || boundary.length === 0 || digest === undefined) return null;
  const dash = asciiBytes(`--${boundary}`);
  const start = firstPartStart(message, section.bodyStart, dash);
  const end = start < 0 ? -1 : firstPartEnd(message, dash, Math.max(start, message.length - TAIL_WINDOW));
  if (end < start) return null;
  const content = message.subarray(start, end);
  return { content, digest, value: crypto.subtle.digest(digest, content as BufferSource) };
}

function asciiBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

/** `dash` followed by CRLF at `at`, which starts a line. */
function isPlainDelimiterLine(message: Uint8Array, at: number, dash: Uint8Array, suffix: readonly number[]): boolean {
  if (at + dash.length + suffix.length > message.length) return false;
  for (let k = 0; k < dash.length; k++) if (message[at + k] !== dash[k]) return false;
  for (let k = 0; k < suffix.length; k++) if (message[at + dash.length + k] !== suffix[k]) return false;
  return true;
}

/** Offset after the first delimiter line of the body (the preamble is a line or two), or -1. */
function firstPartStart(message: Uint8Array, bodyStart: number, dash: Uint8Array): number {
  const limit = Math.min(message.length, bodyStart + 4096);
  for (let at = bodyStart; at < limit; at++) {
    if ((at === bodyStart || message[at - 1] === 0x0a) && isPlainDelimiterLine(message, at, dash, [0x0d, 0x0a])) return at + dash.length + 2;
  }
  return -1;
}

/**
 * Start of the CRLF before the last plain delimiter line that precedes the close delimiter, searching back from
 * the end no further than `floor`; -1 when the tail does not look like that.
 */
function firstPartEnd(message: Uint8Array, dash: Uint8Array, floor: number): number {
  let close = -1;
  for (let at = message.length - dash.length - 2; at >= floor + 2; at--) {
    if (message[at - 1] === 0x0a && message[at - 2] === 0x0d && isPlainDelimiterLine(message, at, dash, [0x2d, 0x2d])) {
      close = at;
      break;
    }
  }
  for (let at = close - 1; at >= floor + 2; at--) {
    if (message[at - 1] === 0x0a && message[at - 2] === 0x0d && isPlainDelimiterLine(message, at, dash, [0x0d, 0x0a])) return at - 2;
  }
  return -1;
}
