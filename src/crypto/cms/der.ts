/**
 * Minimal DER writer for the SignedData we produce (X.690 §10). The large pieces (the content) are
 * written once into the output instead of going through an asn1js object tree, which copies them
 * byte by byte (docs/performance.md, "PKI.js re-encodes").
 */
import * as asn1js from 'asn1js';
import { concatBytes } from '../bytes.js';

/** X.690 §8.1.3 definite-length header for `length` content bytes. */
export function derLength(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  const bytes: number[] = [];
  let rest = length;
  while (rest > 0) {
    bytes.unshift(rest & 0xff);
    rest = Math.floor(rest / 256);
  }
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

/** One TLV with a single-byte tag (all tags we write are low-numbered). */
export function derTlv(tag: number, ...contents: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of contents) length += part.byteLength;
  return concatBytes([Uint8Array.of(tag), derLength(length), ...contents]);
}

/** SEQUENCE of already-encoded elements. */
export function derSequence(...contents: readonly Uint8Array[]): Uint8Array {
  return derTlv(0x30, ...contents);
}

/** SET OF with its elements sorted by their encodings, as DER requires (X.690 §11.6). */
export function derSetOf(elements: readonly Uint8Array[]): Uint8Array {
  const sorted = [...elements].sort(compareBytes);
  return derTlv(0x31, ...sorted);
}

/** OBJECT IDENTIFIER from dotted form (names come from oids.ts). */
export function derOid(oid: string): Uint8Array {
  return new Uint8Array(new asn1js.ObjectIdentifier({ value: oid }).toBER(false));
}

/** OCTET STRING, primitive. */
export function derOctetString(value: Uint8Array): Uint8Array {
  return derTlv(0x04, value);
}

/** NULL (parameters of sha*WithRSAEncryption, RFC 5754 §3.2). */
export function derNull(): Uint8Array {
  return Uint8Array.of(0x05, 0x00);
}

/** A non-negative INTEGER from a small number. */
export function derSmallInteger(value: number): Uint8Array {
  return new Uint8Array(new asn1js.Integer({ value }).toBER(false));
}

/** A non-negative INTEGER from big-endian unsigned bytes (e.g. ECDSA r and s). */
export function derUnsignedInteger(bigEndian: Uint8Array): Uint8Array {
  let start = 0;
  while (start < bigEndian.length - 1 && bigEndian[start] === 0) start++;
  const trimmed = bigEndian.subarray(start);
  const needsPad = trimmed.length === 0 || (trimmed[0]! & 0x80) !== 0;
  return derTlv(0x02, needsPad ? Uint8Array.of(0) : new Uint8Array(0), trimmed.length === 0 ? Uint8Array.of(0) : trimmed);
}

/** AlgorithmIdentifier (RFC 5280 §4.1.1.2); `parameters` undefined means absent. */
export function derAlgorithmIdentifier(oid: string, parameters?: Uint8Array): Uint8Array {
  return parameters === undefined ? derSequence(derOid(oid)) : derSequence(derOid(oid), parameters);
}

/** Context-specific constructed tag `[n]` (explicit wrapping, or IMPLICIT replacement of a constructed type). */
export function derContext(tagNumber: number, ...contents: readonly Uint8Array[]): Uint8Array {
  return derTlv(0xa0 | tagNumber, ...contents);
}

/** The tag and length of a TLV whose content is written separately (to avoid copying large content). */
export function derHeader(tag: number, contentLength: number): Uint8Array {
  return concatBytes([Uint8Array.of(tag), derLength(contentLength)]);
}

/** Lexicographic byte order, as DER sorts SET OF elements. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    if (a[i] !== b[i]) return a[i]! - b[i]!;
  }
  return a.length - b.length;
}

/** UTCTime for 1950–2049, GeneralizedTime otherwise (RFC 5652 §11.3, RFC 5280 §4.1.2.5). */
export function derTime(date: Date): Uint8Array {
  const year = date.getUTCFullYear();
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const rest = `${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}Z`;
  if (year >= 1950 && year < 2050) {
    return derTlv(0x17, asciiBytes(`${pad(year % 100)}${rest}`));
  }
  return derTlv(0x18, asciiBytes(`${pad(year, 4)}${rest}`));
}

function asciiBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}
