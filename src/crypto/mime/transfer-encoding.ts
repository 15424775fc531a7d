/**
 * Content-Transfer-Encodings (RFC 2045 §6): quoted-printable encode/decode, and body decoding by encoding name.
 * All functions work on bytes, in one forward pass.
 */
import { base64Decode, base64EncodeToBytes } from '../bytes.js';
import { hexValue } from './encoded-words.js';

const HEX_DIGITS = '0123456789ABCDEF';
const HEX = new Uint8Array(16);
for (let i = 0; i < 16; i++) HEX[i] = HEX_DIGITS.charCodeAt(i);

/** Encoded lines are at most 76 characters, including the "=" of a soft line break (RFC 2045 §6.7 rule 5). */
const MAX_QP_LINE = 76;

function isWsp(code: number | undefined): boolean {
  return code === 0x20 || code === 0x09;
}

/**
 * Quoted-printable encoding (RFC 2045 §6.7). CRLF pairs are hard line breaks; every other CR or LF is encoded,
 * so decoding gives back exactly the input bytes. Whitespace before a line break or at the end is encoded (rule 3),
 * and so is the "F" of "From " at the start of an encoded line, which mbox stores would otherwise mangle.
 */
export function encodeQuotedPrintable(bytes: Uint8Array): Uint8Array {
  // Worst case: every byte as "=XX", plus a soft break ("=\r\n") per 25 encoded bytes.
  const out = new Uint8Array(bytes.length * 3 + Math.ceil(bytes.length / 24) * 3 + 3);
  let o = 0;
  let column = 0;
  const n = bytes.length;
  for (let i = 0; i < n; i++) {
    const c = bytes[i]!;
    if (c === 0x0d && bytes[i + 1] === 0x0a) {
      out[o++] = 0x0d;
      out[o++] = 0x0a;
      column = 0;
      i++;
      continue;
    }
    const atLineEnd = i + 1 === n || (bytes[i + 1] === 0x0d && bytes[i + 2] === 0x0a);
    let encode = c === 0x3d || c > 0x7e || (c < 0x20 && c !== 0x09) || (isWsp(c) && atLineEnd);
    let width = encode ? 3 : 1;
    // Keep room for the "=" of a soft break unless this is the last character before a hard break.
    const limit = atLineEnd ? MAX_QP_LINE : MAX_QP_LINE - 1;
    if (column + width > limit) {
      out[o++] = 0x3d;
      out[o++] = 0x0d;
      out[o++] = 0x0a;
      column = 0;
    }
    if (!encode && column === 0 && c === 0x46 && bytes[i + 1] === 0x72 && bytes[i + 2] === 0x6f && bytes[i + 3] === 0x6d && bytes[i + 4] === 0x20) {
      encode = true;
      width = 3;
    }
    if (encode) {
      out[o++] = 0x3d;
      out[o++] = HEX[c >>> 4]!;
      out[o++] = HEX[c & 15]!;
    } else {
      out[o++] = c;
    }
    column += width;
  }
  return out.slice(0, o);
}

/**
 * Quoted-printable decoding (RFC 2045 §6.7). Trailing whitespace on each line is removed (rule 3), "=" at the end
 * of a line is a soft break, and malformed "=" sequences are kept literally (§6.7 note 1). Hard line breaks are
 * kept as received (CRLF or LF).
 */
export function decodeQuotedPrintable(bytes: Uint8Array): Uint8Array {
  const n = bytes.length;
  const out = new Uint8Array(n);
  let o = 0;
  let position = 0;
  while (position < n) {
    const lineFeed = bytes.indexOf(0x0a, position);
    const lineEnd = lineFeed < 0 ? n : lineFeed;
    const contentEnd = lineFeed > position && bytes[lineFeed - 1] === 0x0d ? lineFeed - 1 : lineEnd;
    let end = contentEnd;
    while (end > position && isWsp(bytes[end - 1])) end--;
    let soft = false;
    for (let i = position; i < end; i++) {
      const c = bytes[i]!;
      if (c !== 0x3d) {
        out[o++] = c;
        continue;
      }
      if (i === end - 1) {
        soft = true;
        break;
      }
      const hi = i + 2 < end ? hexValue(bytes[i + 1]!) : -1;
      const lo = hi >= 0 ? hexValue(bytes[i + 2]!) : -1;
      if (lo >= 0) {
        out[o++] = (hi << 4) | lo;
        i += 2;
      } else {
        out[o++] = c;
      }
    }
    if (lineFeed < 0) break;
    if (!soft) {
      for (let i = contentEnd; i <= lineFeed; i++) out[o++] = bytes[i]!;
    }
    position = lineFeed + 1;
  }
  return out.slice(0, o);
}

/** Base64 body (RFC 2045 §6.8): 76-character lines with CRLF, and a final CRLF. */
export function encodeBase64Body(bytes: Uint8Array): Uint8Array {
  const encoded = base64EncodeToBytes(bytes, 76);
  const out = new Uint8Array(encoded.length + (encoded.length > 0 ? 2 : 0));
  out.set(encoded);
  if (encoded.length > 0) {
    out[encoded.length] = 0x0d;
    out[encoded.length + 1] = 0x0a;
  }
  return out;
}

/**
 * Decodes a body by its Content-Transfer-Encoding (lower-case). base64 skips characters outside the alphabet,
 * as RFC 2045 §6.8 requires; 7bit, 8bit, binary and unknown encodings return the bytes unchanged (no copy).
 */
export function decodeTransferEncoding(body: Uint8Array, encoding: string): Uint8Array {
  switch (encoding) {
    case 'base64':
      return base64Decode(body);
    case 'quoted-printable':
      return decodeQuotedPrintable(body);
    default:
      return body;
  }
}
