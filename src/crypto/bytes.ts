/**
 * Byte helpers shared by the engine: concatenation, comparison, text and base64.
 * Pure: no Buffer, no DOM.
 */

const textEncoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: false });
const latin1Decoder = new TextDecoder('latin1');

export function utf8(text: string): Uint8Array {
  return textEncoder.encode(text);
}

export function fromUtf8(bytes: Uint8Array): string {
  return utf8Decoder.decode(bytes);
}

/** One char per byte ("binary string"); the inverse of `fromBinaryString`. */
export function toBinaryString(bytes: Uint8Array): string {
  // TextDecoder('latin1') is windows-1252 in the Encoding Standard: bytes 0x80-0x9F map elsewhere, so build the string directly.
  let out = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    out += String.fromCharCode.apply(null, bytes.subarray(i, i + chunk) as unknown as number[]);
  }
  return out;
}

export function fromBinaryString(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

/** Decodes ASCII-only bytes (headers after 7-bit checks). Non-ASCII bytes come out as windows-1252. */
export function fromAscii(bytes: Uint8Array): string {
  return latin1Decoder.decode(bytes);
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.byteLength;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Comparison whose time depends only on the lengths (for MACs and tags). */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  let diff = 0;
  for (let i = 0; i < a.byteLength; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** Two lower-case hex digits per byte value (hex keys of certificates and keys are made on every verification). */
const HEX_PAIRS: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function toHex(bytes: Uint8Array, separator = ''): string {
  if (bytes.length === 0) return '';
  let out = HEX_PAIRS[bytes[0]!]!;
  if (separator === '') {
    for (let i = 1; i < bytes.length; i++) out += HEX_PAIRS[bytes[i]!]!;
  } else {
    for (let i = 1; i < bytes.length; i++) out += separator + HEX_PAIRS[bytes[i]!]!;
  }
  return out;
}

export function fromHex(hex: string): Uint8Array {
  const clean = hex.replace(/[^0-9a-fA-F]/g, '');
  if (clean.length % 2 !== 0) throw new RangeError('hex string has an odd number of digits');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** A fresh ArrayBuffer holding exactly these bytes (PKI.js and WebCrypto want ArrayBuffers). */
export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) {
    return bytes.buffer;
  }
  return bytes.slice().buffer as ArrayBuffer;
}

export function asBytes(data: ArrayBuffer | ArrayBufferView): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_CODES = new Uint8Array(64);
for (let i = 0; i < 64; i++) B64_CODES[i] = B64.charCodeAt(i);

/** Platform byte order: the fast encoder stores characters as 16- and 32-bit units, which assumes little-endian. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Two base64 characters per 12-bit index, as one little-endian 16-bit unit. */
const B64_PAIRS = new Uint16Array(4096);
/** The same pairs moved to the high half of a 32-bit unit. */
const B64_PAIRS_HIGH = new Uint32Array(4096);
for (let i = 0; i < 4096; i++) {
  B64_PAIRS[i] = B64_CODES[i >>> 6]! | (B64_CODES[i & 63]! << 8);
  B64_PAIRS_HIGH[i] = B64_PAIRS[i]! << 16;
}

/**
 * Decoding tables: the 6-bit value of each character pre-shifted into its place in a 24-bit quad; -1 (all bits set)
 * for bytes outside the alphabet, so OR-ing four lookups is negative exactly when one of them is not base64.
 */
const B64_D0 = new Int32Array(256).fill(-1);
const B64_D1 = new Int32Array(256).fill(-1);
const B64_D2 = new Int32Array(256).fill(-1);
const B64_D3 = new Int32Array(256).fill(-1);
for (let i = 0; i < 64; i++) {
  const c = B64.charCodeAt(i);
  B64_D0[c] = i << 18;
  B64_D1[c] = i << 12;
  B64_D2[c] = i << 6;
  B64_D3[c] = i;
}

/** The TC39 base64 methods (Gecko ships them); detected per call so the engine never depends on them. */
interface NativeBase64 {
  fromBase64?: (text: string, options?: { alphabet?: 'base64'; lastChunkHandling?: 'loose' | 'strict' | 'stop-before-partial' }) => Uint8Array;
}
interface NativeBase64Instance {
  toBase64?: (options?: { alphabet?: 'base64'; omitPadding?: boolean }) => string;
}

/**
 * Encodes the whole 3-byte groups of `bytes[from, to)` at byte offset `o` of the output, whose views are `out16`
 * and `out32`. Four characters go out as one 32-bit store when `o` is 4-aligned; at an offset of 2 mod 4 the pairs
 * are shifted by one 16-bit unit (wrapped lines are 78 bytes, so every other line starts there). Returns the new offset.
 */
function encodeGroups(bytes: Uint8Array, from: number, to: number, out16: Uint16Array, out32: Uint32Array, o: number): number {
  if (from >= to) return o;
  if ((o & 3) === 0) {
    let w = o >>> 2;
    for (let i = from; i < to; i += 3) {
      const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
      out32[w++] = B64_PAIRS[n >>> 12]! | B64_PAIRS_HIGH[n & 0xfff]!;
    }
    return w << 2;
  }
  const first = (bytes[from]! << 16) | (bytes[from + 1]! << 8) | bytes[from + 2]!;
  out16[o >>> 1] = B64_PAIRS[first >>> 12]!;
  let carry = B64_PAIRS[first & 0xfff]!;
  let w = (o + 2) >>> 2;
  for (let i = from + 3; i < to; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out32[w++] = carry | B64_PAIRS_HIGH[n >>> 12]!;
    carry = B64_PAIRS[n & 0xfff]!;
  }
  out16[w << 1] = carry;
  return (w << 2) + 2;
}

/**
 * Byte-at-a-time encoding of the whole 3-byte groups of `bytes[0, full)` with CRLF every `wrap` characters, for
 * big-endian platforms (exported so that tests can check it on little-endian machines). Returns the bytes written.
 */
export function encodeWrappedBytewise(bytes: Uint8Array, full: number, wrap: number, out: Uint8Array): number {
  let o = 0;
  let column = 0;
  for (let i = 0; i < full; i += 3) {
    if (wrap > 0 && column === wrap) {
      out[o++] = 13;
      out[o++] = 10;
      column = 0;
    }
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[o++] = B64_CODES[n >>> 18]!;
    out[o++] = B64_CODES[(n >>> 12) & 63]!;
    out[o++] = B64_CODES[(n >>> 6) & 63]!;
    out[o++] = B64_CODES[n & 63]!;
    column += 4;
  }
  if (wrap > 0 && column === wrap && full < bytes.length) {
    out[o++] = 13;
    out[o++] = 10;
  }
  return o;
}

/**
 * Writes base64 of the whole 3-byte groups of `bytes[from, to)` into `out` at `offset`, continuing a line that
 * already holds `column` characters and breaking lines with CRLF every `wrap` characters (a multiple of 4; a CRLF
 * goes before a group only, never at the end). For output assembled from several pieces (envelope-output.ts).
 * Uses the wide stores when the platform is little-endian and the absolute output offset is even; otherwise
 * one byte at a time. Returns the offset after the last byte written.
 */
export function writeBase64Groups(bytes: Uint8Array, from: number, to: number, out: Uint8Array, offset: number, column: number, wrap: number): number {
  let o = offset;
  let col = column;
  let i = from;
  if (!LITTLE_ENDIAN || ((out.byteOffset + o) & 1) !== 0) {
    for (; i < to; i += 3) {
      if (col === wrap) {
        out[o++] = 13;
        out[o++] = 10;
        col = 0;
      }
      const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
      out[o++] = B64_CODES[n >>> 18]!;
      out[o++] = B64_CODES[(n >>> 12) & 63]!;
      out[o++] = B64_CODES[(n >>> 6) & 63]!;
      out[o++] = B64_CODES[n & 63]!;
      col += 4;
    }
    return o;
  }
  const base = out.byteOffset;
  const out16 = new Uint16Array(out.buffer, 0, out.buffer.byteLength >>> 1);
  const out32 = new Uint32Array(out.buffer, 0, out.buffer.byteLength >>> 2);
  while (i < to) {
    if (col === wrap) {
      out[o++] = 13;
      out[o++] = 10;
      col = 0;
    }
    const n = Math.min(to - i, ((wrap - col) / 4) * 3);
    // A CRLF keeps the offset even, so every line can use the wide stores.
    o = encodeGroups(bytes, i, i + n, out16, out32, base + o) - base;
    col += (n / 3) * 4;
    i += n;
  }
  return o;
}

/**
 * Base64 of `bytes` as ASCII bytes, wrapped every `lineLength` characters with CRLF when `lineLength` > 0
 * (RFC 2045 §6.8 allows at most 76). No trailing CRLF.
 */
export function base64EncodeToBytes(bytes: Uint8Array, lineLength = 76): Uint8Array {
  const quads = Math.ceil(bytes.length / 3);
  const chars = quads * 4;
  const wrap = lineLength > 0 ? lineLength - (lineLength % 4) : 0;
  const lines = wrap > 0 ? Math.max(0, Math.ceil(chars / wrap) - 1) : 0;
  const length = chars + lines * 2;
  // Round the buffer up to whole 32-bit units for the wide stores; the view handed out has the exact length.
  const buffer = new ArrayBuffer((length + 3) & ~3);
  const out = new Uint8Array(buffer, 0, length);
  const out16 = new Uint16Array(buffer);
  const out32 = new Uint32Array(buffer);
  const full = bytes.length - (bytes.length % 3);
  let o = 0;
  if (!LITTLE_ENDIAN) {
    o = encodeWrappedBytewise(bytes, full, wrap, out);
  } else if (wrap > 0) {
    const lineBytes = (wrap / 4) * 3;
    let i = 0;
    for (; i + lineBytes < full; i += lineBytes) {
      o = encodeGroups(bytes, i, i + lineBytes, out16, out32, o);
      out[o++] = 13;
      out[o++] = 10;
    }
    o = encodeGroups(bytes, i, full, out16, out32, o);
    // The final partial group starts a new line when the current one is full (`lines` counted that break).
    if (full < bytes.length && full - i === lineBytes) {
      out[o++] = 13;
      out[o++] = 10;
    }
  } else {
    o = encodeGroups(bytes, 0, full, out16, out32, 0);
  }
  const rest = bytes.length - full;
  if (rest > 0) {
    const n = (bytes[full]! << 16) | (rest === 2 ? bytes[full + 1]! << 8 : 0);
    out[o++] = B64_CODES[n >>> 18]!;
    out[o++] = B64_CODES[(n >>> 12) & 63]!;
    out[o++] = rest === 2 ? B64_CODES[(n >>> 6) & 63]! : 61;
    out[o++] = 61;
  }
  return o === out.length ? out : out.subarray(0, o);
}

export function base64Encode(bytes: Uint8Array, lineLength = 0): string {
  const native = (bytes as NativeBase64Instance).toBase64;
  if (lineLength <= 0 && typeof native === 'function') return native.call(bytes);
  return toBinaryString(base64EncodeToBytes(bytes, lineLength));
}

/**
 * The part of `text` before its padding when the strict native decoder gives the same result as the lenient loop:
 * only alphabet characters and ASCII whitespace, then optional "=" and whitespace to the end, and no lone final
 * character (which the native decoder rejects). Otherwise undefined.
 */
function cleanBase64Prefix(text: string): string | undefined {
  let characters = 0;
  let padding = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const whitespace = c === 32 || c === 9 || c === 10 || c === 13 || c === 12;
    if (padding >= 0) {
      if (c !== 61 && !whitespace) return undefined;
    } else if (c === 61) {
      padding = i;
    } else if (c < 256 && B64_D3[c]! >= 0) {
      characters++;
    } else if (!whitespace) {
      return undefined;
    }
  }
  if (characters % 4 === 1) return undefined;
  return padding < 0 ? text : text.slice(0, padding);
}

/**
 * Decodes base64, skipping whitespace and any other non-alphabet bytes (RFC 2045 §6.8: "ignored"),
 * stopping at the first '='. Accepts a string or ASCII bytes. Linear time; never throws.
 */
export function base64Decode(input: string | Uint8Array): Uint8Array {
  if (typeof input === 'string') {
    const native = (Uint8Array as NativeBase64).fromBase64;
    // The native decoder is strict (it rejects garbage and data after "="), so it only gets text it accepts.
    const clean = typeof native === 'function' ? cleanBase64Prefix(input) : undefined;
    if (native !== undefined && clean !== undefined) return native(clean, { lastChunkHandling: 'loose' });
    return decodeBase64Bytes(fromBinaryString(input));
  }
  return decodeBase64Bytes(input);
}

function decodeBase64Bytes(src: Uint8Array): Uint8Array {
  const n = src.length;
  const out = new Uint8Array(Math.floor((n * 3) / 4) + 3);
  let o = 0;
  let i = 0;
  while (i < n) {
    // Fast path: four alphabet characters in a row make three bytes.
    while (i + 4 <= n) {
      const v = B64_D0[src[i]!]! | B64_D1[src[i + 1]!]! | B64_D2[src[i + 2]!]! | B64_D3[src[i + 3]!]!;
      if (v < 0) break;
      out[o] = v >>> 16;
      out[o + 1] = (v >>> 8) & 0xff;
      out[o + 2] = v & 0xff;
      o += 3;
      i += 4;
    }
    // Slow path: one character at a time until a whole quad is collected, skipping line breaks and garbage.
    // A skipped byte between quads goes straight back to the fast path (the common case: CRLF after each line).
    let acc = 0;
    let count = 0;
    let stop = false;
    let skipped = false;
    while (i < n && count < 4) {
      const c = src[i++]!;
      if (c === 61) {
        stop = true;
        break;
      }
      const v = B64_D3[c]!;
      if (v < 0) {
        if (count === 0) {
          skipped = true;
          break;
        }
        continue;
      }
      acc = (acc << 6) | v;
      count++;
    }
    if (skipped) continue;
    if (count === 4) {
      out[o++] = acc >>> 16;
      out[o++] = (acc >>> 8) & 0xff;
      out[o++] = acc & 0xff;
    } else if (count === 3) {
      out[o++] = acc >>> 10;
      out[o++] = (acc >>> 2) & 0xff;
    } else if (count === 2) {
      out[o++] = acc >>> 4;
    }
    if (stop || count < 4) break;
  }
  return out.subarray(0, o);
}
