/**
 * RFC 2047 encoded-words ("=?charset?B|Q?text?=") in unstructured header text and display names.
 * The scanner is linear: every search moves forward and never revisits text (no regular expressions).
 */
import { base64Decode, concatBytes } from '../bytes.js';
import { decodeCharset } from './charset.js';

interface TextToken {
  kind: 'text';
  text: string;
}
interface WordToken {
  kind: 'word';
  charset: string;
  bytes: Uint8Array;
}
type Token = TextToken | WordToken;

/** Value of one hexadecimal digit (either case), or -1. */
export function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  return -1;
}

/** RFC 2047 §4.2: "_" is a space and "=XX" a byte; anything malformed stays literal. */
function decodeQ(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5f) {
      out[o++] = 0x20;
    } else if (c === 0x3d && i + 2 < text.length) {
      const hi = hexValue(text.charCodeAt(i + 1));
      const lo = hexValue(text.charCodeAt(i + 2));
      if (hi >= 0 && lo >= 0) {
        out[o++] = (hi << 4) | lo;
        i += 2;
      } else {
        out[o++] = c;
      }
    } else {
      out[o++] = c & 0xff;
    }
  }
  return out.subarray(0, o);
}

function isWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0d || code === 0x0a;
}

function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (!isWhitespace(text.charCodeAt(i))) return false;
  return true;
}

/** Tries to read one encoded-word starting at `start` ("=?"); returns its token and end, or null. */
function readEncodedWord(value: string, start: number): { token: WordToken; end: number } | null {
  const charsetEnd = value.indexOf('?', start + 2);
  if (charsetEnd < 0 || charsetEnd === start + 2 || charsetEnd - start > 80) return null;
  const encoding = value.charCodeAt(charsetEnd + 1) | 0x20;
  if ((encoding !== 0x62 && encoding !== 0x71) || value.charCodeAt(charsetEnd + 2) !== 0x3f) return null;
  const textStart = charsetEnd + 3;
  // The encoded text cannot contain "?" (RFC 2047 §2), so the next "?" must start the closing "?=".
  const textEnd = value.indexOf('?', textStart);
  if (textEnd < 0 || value.charCodeAt(textEnd + 1) !== 0x3d) return null;
  let charset = value.slice(start + 2, charsetEnd);
  for (let i = 0; i < charset.length; i++) if (isWhitespace(charset.charCodeAt(i))) return null;
  const text = value.slice(textStart, textEnd);
  for (let i = 0; i < text.length; i++) if (isWhitespace(text.charCodeAt(i))) return null;
  // RFC 2231 §5: a language may follow the charset after "*".
  const star = charset.indexOf('*');
  if (star >= 0) charset = charset.slice(0, star);
  const bytes = encoding === 0x62 ? base64Decode(text) : decodeQ(text);
  return { token: { kind: 'word', charset: charset.toLowerCase(), bytes }, end: textEnd + 2 };
}

function tokenize(value: string): Token[] {
  const tokens: Token[] = [];
  let position = 0;
  let textStart = 0;
  while (position < value.length) {
    const candidate = value.indexOf('=?', position);
    if (candidate < 0) break;
    const word = readEncodedWord(value, candidate);
    if (word === null) {
      position = candidate + 2;
      continue;
    }
    if (candidate > textStart) tokens.push({ kind: 'text', text: value.slice(textStart, candidate) });
    tokens.push(word.token);
    position = word.end;
    textStart = word.end;
  }
  if (textStart < value.length) tokens.push({ kind: 'text', text: value.slice(textStart) });
  return tokens;
}

/**
 * Decodes the RFC 2047 encoded-words in `value`. Whitespace between two adjacent encoded-words is dropped
 * (RFC 2047 §6.2), and adjacent words in the same charset are decoded together so that a multi-byte character
 * split across words survives. Unknown charsets decode as UTF-8. Never throws.
 */
export function decodeEncodedWords(value: string): string {
  if (value.indexOf('=?') < 0) return value;
  const tokens = tokenize(value);
  const out: string[] = [];
  let pending: WordToken[] = [];
  const flush = (): void => {
    if (pending.length === 0) return;
    const first = pending[0]!;
    const bytes = pending.length === 1 ? first.bytes : concatBytes(pending.map((word) => word.bytes));
    out.push(decodeCharset(bytes, first.charset, 'utf-8').text);
    pending = [];
  };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind === 'word') {
      if (pending.length > 0 && pending[0]!.charset !== token.charset) flush();
      pending.push(token);
      continue;
    }
    const previous = tokens[i - 1];
    const next = tokens[i + 1];
    if (previous?.kind === 'word' && next?.kind === 'word' && isBlank(token.text)) continue;
    flush();
    out.push(token.text);
  }
  flush();
  return out.join('');
}

/** True when `value` is exactly one encoded-word (used for display-name words). */
export function isEncodedWord(value: string): boolean {
  if (!value.startsWith('=?')) return false;
  const word = readEncodedWord(value, 0);
  return word !== null && word.end === value.length;
}
