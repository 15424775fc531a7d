/**
 * A small BER reader for the large parts of EnvelopedData and AuthEnvelopedData.
 *
 * The content of an encrypted message can be tens of MiB, and OpenSSL's `-stream` output carries it as an
 * indefinite-length constructed OCTET STRING made of 4 KiB chunks (X.690 §8.7.3). Building an asn1js node per
 * chunk is slow (performance.md §4.3), so the outer structure is walked here by offset, and only the small
 * sub-structures (RecipientInfos, algorithm identifiers, attributes) are handed to `parseBer()`.
 * Every walk is bounded by the depth and node limits of the policy (SEC-31).
 */
import { LimitError, SmimeError } from '../errors.js';
import type { Asn1Limits } from '../asn1.js';

/** One BER element located inside a buffer. Offsets are absolute. */
export interface BerElement {
  tagClass: number;
  constructed: boolean;
  tagNumber: number;
  /** Offset of the identifier octet. */
  start: number;
  /** Offset of the first content octet. */
  contentStart: number;
  /** Offset just past the content (before the end-of-contents octets of an indefinite form). */
  contentEnd: number;
  /** Offset just past the whole element, end-of-contents octets included. */
  end: number;
  indefinite: boolean;
}

/** BER tag classes and universal tag numbers used by the envelope reader (X.690 §8.1.2). */
export const CLASS_UNIVERSAL = 0;
export const CLASS_CONTEXT = 2;
export const TAG_INTEGER = 2;
export const TAG_OCTET_STRING = 4;
export const TAG_OID = 6;
export const TAG_SEQUENCE = 16;
export const TAG_SET = 17;

interface WalkBudget {
  nodes: number;
  limits: Asn1Limits;
}

/**
 * End offsets of indefinite-length elements already walked, per buffer (see readElement). Only valid while the
 * buffer is unchanged: callers that read a structure level by level call {@link forgetElementEnds} when done.
 */
const indefiniteEnds = new WeakMap<Uint8Array, Map<number, number>>();

/** Drops the remembered element ends of `buf` (call after a multi-level read; the buffer may change later). */
export function forgetElementEnds(buf: Uint8Array): void {
  indefiniteEnds.delete(buf);
}

function malformed(message: string): SmimeError {
  return new SmimeError('MALFORMED_CMS', message);
}

/**
 * Reads the element starting at `offset`, which must end at or before `limit`.
 * For indefinite lengths the children are walked (to find the end-of-contents), within the limits.
 */
export function readElement(buf: Uint8Array, offset: number, limit: number, limits: Asn1Limits, budget?: WalkBudget, depth = 0): BerElement {
  const state = budget ?? { nodes: 0, limits };
  if (++state.nodes > limits.maxAsn1Nodes) throw new LimitError('maxAsn1Nodes', 'too many BER elements in the CMS structure');
  if (depth > limits.maxAsn1Depth) throw new LimitError('maxAsn1Depth', 'CMS structure nested too deeply');
  let p = offset;
  if (p >= limit) throw malformed('truncated BER element');
  const first = buf[p++]!;
  const tagClass = first >> 6;
  const constructed = (first & 0x20) !== 0;
  let tagNumber = first & 0x1f;
  if (tagNumber === 0x1f) {
    tagNumber = 0;
    for (let i = 0; ; i++) {
      if (p >= limit || i > 3) throw malformed('bad BER tag');
      const b = buf[p++]!;
      tagNumber = tagNumber * 128 + (b & 0x7f);
      if ((b & 0x80) === 0) break;
    }
  }
  if (p >= limit) throw malformed('truncated BER length');
  const lengthByte = buf[p++]!;
  if (lengthByte === 0x80) {
    if (!constructed) throw malformed('indefinite length on a primitive BER element');
    const contentStart = p;
    // The outer elements of a streamed message are all indefinite; remember where each ends, so reading the
    // children of each level does not walk the whole content again (one walk per message instead of one per level).
    let ends = indefiniteEnds.get(buf);
    const known = ends?.get(offset);
    if (known !== undefined) {
      return { tagClass, constructed, tagNumber, start: offset, contentStart, contentEnd: known - 2, end: known, indefinite: true };
    }
    for (;;) {
      if (p + 2 > limit) throw malformed('missing end-of-contents in BER');
      if (buf[p] === 0 && buf[p + 1] === 0) {
        if (!ends) {
          ends = new Map();
          indefiniteEnds.set(buf, ends);
        }
        ends.set(offset, p + 2);
        return { tagClass, constructed, tagNumber, start: offset, contentStart, contentEnd: p, end: p + 2, indefinite: true };
      }
      p = readElement(buf, p, limit, limits, state, depth + 1).end;
    }
  }
  let length: number;
  if (lengthByte < 0x80) {
    length = lengthByte;
  } else {
    const count = lengthByte & 0x7f;
    if (count > 6) throw malformed('BER length too large');
    if (p + count > limit) throw malformed('truncated BER length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + buf[p++]!;
  }
  if (length > limits.maxAsn1ContentBytes) throw new LimitError('maxAsn1ContentBytes', 'BER element longer than the limit');
  const end = p + length;
  if (end > limit) throw malformed('BER element runs past its container');
  return { tagClass, constructed, tagNumber, start: offset, contentStart: p, contentEnd: end, end, indefinite: false };
}

/** The children of a constructed element, in order. */
export function readChildren(buf: Uint8Array, parent: BerElement, limits: Asn1Limits): BerElement[] {
  if (!parent.constructed) throw malformed('expected a constructed BER element');
  const out: BerElement[] = [];
  let p = parent.contentStart;
  while (p < parent.contentEnd) {
    const child = readElement(buf, p, parent.contentEnd, limits);
    out.push(child);
    if (out.length > limits.maxAsn1Nodes) throw new LimitError('maxAsn1Nodes', 'too many BER elements');
    p = child.end;
  }
  return out;
}

/** True when the element has this universal tag. */
export function isUniversal(element: BerElement, tagNumber: number): boolean {
  return element.tagClass === CLASS_UNIVERSAL && element.tagNumber === tagNumber;
}

/** True when the element has this context-specific tag ([n]). */
export function isContext(element: BerElement, tagNumber: number): boolean {
  return element.tagClass === CLASS_CONTEXT && element.tagNumber === tagNumber;
}

/**
 * The bytes of an OCTET STRING (or of an IMPLICIT-tagged one), primitive or constructed (X.690 §8.7).
 * A primitive string is returned as a view without copying. A constructed one is concatenated into one new
 * buffer with `reserve` spare bytes at the end (AES-GCM wants ciphertext and tag in one buffer), so the
 * large content is copied at most once.
 */
export function octetStringContent(buf: Uint8Array, element: BerElement, limits: Asn1Limits, reserve = 0): { bytes: Uint8Array; length: number } {
  if (!element.constructed) {
    const view = buf.subarray(element.contentStart, element.contentEnd);
    if (reserve === 0) return { bytes: view, length: view.byteLength };
    const out = new Uint8Array(view.byteLength + reserve);
    out.set(view);
    return { bytes: out, length: view.byteLength };
  }
  const chunks: Array<[number, number]> = [];
  let total = 0;
  const collect = (parent: BerElement, depth: number): void => {
    if (depth > limits.maxAsn1Depth) throw new LimitError('maxAsn1Depth', 'constructed OCTET STRING nested too deeply');
    let p = parent.contentStart;
    while (p < parent.contentEnd) {
      // Fast path for the common segment: a primitive OCTET STRING with a short definite length (X.690 §8.1.3).
      if (buf[p] === TAG_OCTET_STRING && p + 4 <= parent.contentEnd) {
        const first = buf[p + 1]!;
        let start = -1;
        let length = 0;
        if (first < 0x80) {
          start = p + 2;
          length = first;
        } else if (first === 0x81) {
          start = p + 3;
          length = buf[p + 2]!;
        } else if (first === 0x82) {
          start = p + 4;
          length = (buf[p + 2]! << 8) | buf[p + 3]!;
        }
        if (start >= 0 && start + length <= parent.contentEnd) {
          chunks.push([start, start + length]);
          if (chunks.length > limits.maxAsn1Nodes) throw new LimitError('maxAsn1Nodes', 'too many OCTET STRING segments');
          total += length;
          p = start + length;
          continue;
        }
      }
      const child = readElement(buf, p, parent.contentEnd, limits);
      // X.690 §8.7.3.2: each segment is itself an OCTET STRING (universal tag), primitive or constructed.
      if (!isUniversal(child, TAG_OCTET_STRING)) throw malformed('constructed OCTET STRING contains a non-OCTET STRING segment');
      if (child.constructed) {
        collect(child, depth + 1);
      } else {
        chunks.push([child.contentStart, child.contentEnd]);
        if (chunks.length > limits.maxAsn1Nodes) throw new LimitError('maxAsn1Nodes', 'too many OCTET STRING segments');
        total += child.contentEnd - child.contentStart;
      }
      p = child.end;
    }
  };
  try {
    collect(element, 0);
  } finally {
    forgetElementEnds(buf);
  }
  const out = new Uint8Array(total + reserve);
  let o = 0;
  for (const [s, e] of chunks) {
    out.set(buf.subarray(s, e), o);
    o += e - s;
  }
  return { bytes: out, length: total };
}

/** DER length octets for `length` (X.690 §8.1.3, definite form). */
export function derLength(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  const bytes: number[] = [];
  let n = length;
  while (n > 0) {
    bytes.unshift(n & 0xff);
    n = Math.floor(n / 256);
  }
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

/** DER header (identifier + length octets) for a single-byte tag. */
export function derHeader(identifier: number, length: number): Uint8Array {
  const len = derLength(length);
  const out = new Uint8Array(1 + len.length);
  out[0] = identifier;
  out.set(len, 1);
  return out;
}
