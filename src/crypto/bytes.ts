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

export function toHex(bytes: Uint8Array, separator = ''): string {
  const parts: string[] = new Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) parts[i] = bytes[i]!.toString(16).padStart(2, '0');
  return parts.join(separator);
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
const B64_VALUES = new Int16Array(256).fill(-1);
for (let i = 0; i < 64; i++) B64_VALUES[B64.charCodeAt(i)] = i;

/**
 * Base64 of `bytes` as ASCII bytes, wrapped every `lineLength` characters with CRLF when `lineLength` > 0
 * (RFC 2045 §6.8 allows at most 76). No trailing CRLF.
 */
export function base64EncodeToBytes(bytes: Uint8Array, lineLength = 76): Uint8Array {
  const quads = Math.ceil(bytes.length / 3);
  const chars = quads * 4;
  const wrap = lineLength > 0 ? lineLength - (lineLength % 4) : 0;
  const lines = wrap > 0 ? Math.max(0, Math.ceil(chars / wrap) - 1) : 0;
  const out = new Uint8Array(chars + lines * 2);
  let o = 0;
  let column = 0;
  const full = bytes.length - (bytes.length % 3);
  let i = 0;
  for (; i < full; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    if (wrap > 0 && column === wrap) {
      out[o++] = 13;
      out[o++] = 10;
      column = 0;
    }
    out[o++] = B64_CODES[n >>> 18]!;
    out[o++] = B64_CODES[(n >>> 12) & 63]!;
    out[o++] = B64_CODES[(n >>> 6) & 63]!;
    out[o++] = B64_CODES[n & 63]!;
    column += 4;
  }
  const rest = bytes.length - full;
  if (rest > 0) {
    if (wrap > 0 && column === wrap) {
      out[o++] = 13;
      out[o++] = 10;
    }
    const n = (bytes[i]! << 16) | (rest === 2 ? bytes[i + 1]! << 8 : 0);
    out[o++] = B64_CODES[n >>> 18]!;
    out[o++] = B64_CODES[(n >>> 12) & 63]!;
    out[o++] = rest === 2 ? B64_CODES[(n >>> 6) & 63]! : 61;
    out[o++] = 61;
  }
  return o === out.length ? out : out.subarray(0, o);
}

export function base64Encode(bytes: Uint8Array, lineLength = 0): string {
  return toBinaryString(base64EncodeToBytes(bytes, lineLength));
}

/**
 * Decodes base64, skipping whitespace and any other non-alphabet bytes (RFC 2045 §6.8: "ignored"),
 * stopping at the first '='. Accepts a string or ASCII bytes.
 */
export function base64Decode(input: string | Uint8Array): Uint8Array {
  const src = typeof input === 'string' ? fromBinaryString(input) : input;
  const out = new Uint8Array(Math.floor((src.length * 3) / 4) + 3);
  let o = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === 61) break;
    const v = B64_VALUES[c]!;
    if (v < 0) continue;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >>> bits) & 0xff;
    }
  }
  return out.subarray(0, o);
}
