/**
 * The only place that calls `asn1js.fromBER` on untrusted input (SEC-31d): every parse goes through
 * `parseBer` with explicit limits, and failures become typed errors.
 */
import * as asn1js from 'asn1js';
import { LimitError, SmimeError } from './errors.js';
import { DEFAULT_LIMITS, type ParserLimits } from './policy.js';

export type Asn1Limits = Pick<ParserLimits, 'maxAsn1Depth' | 'maxAsn1Nodes' | 'maxAsn1ContentBytes'> &
  Partial<Pick<ParserLimits, 'maxOidBytes'>>;

/**
 * Parses one BER/DER object that must fill `input` exactly.
 *
 * Security: before asn1js sees the bytes, a linear scan refuses any OBJECT IDENTIFIER longer than
 * `limits.maxOidBytes` (default {@link DEFAULT_LIMITS}), wherever it sits, because asn1js decodes OID arcs
 * in super-linear time (security.md F9, SEC-31). asn1js's own depth, node and length limits cover the rest.
 * @throws LimitError (`LIMIT_EXCEEDED`) when a depth, node, length or OID-length limit is hit.
 * @throws SmimeError `MALFORMED_ASN1` when the bytes are not one well-formed object.
 */
export function parseBer(input: Uint8Array, limits: Asn1Limits = DEFAULT_LIMITS, what = 'ASN.1 object'): asn1js.AsnType {
  if (input.byteLength > limits.maxAsn1ContentBytes) {
    throw new LimitError('maxAsn1ContentBytes', `${what} is ${input.byteLength} bytes, over the limit of ${limits.maxAsn1ContentBytes}`);
  }
  refuseLongOids(input, limits.maxOidBytes ?? DEFAULT_LIMITS.maxOidBytes, limits.maxAsn1Depth, what, 'maxOidBytes', limits.maxAsn1Nodes);
  let parsed: ReturnType<typeof asn1js.fromBER>;
  try {
    parsed = asn1js.fromBER(input, {
      // No speculative decoding of OCTET/BIT STRING contents: callers parse the strings they need, through
      // parseBer again. Guessing at random bytes (signatures, ciphertext) cost time and, with the OID cap,
      // refused legitimate messages whose random bytes happened to look like a long OID.
      parseEmbedded: false,
      maxDepth: limits.maxAsn1Depth,
      maxNodes: limits.maxAsn1Nodes,
      maxContentLength: limits.maxAsn1ContentBytes,
    });
  } catch (cause) {
    throw toLimitOrMalformed(cause, what);
  }
  if (parsed.offset === -1) {
    const message = parsed.result.error || 'not valid BER';
    if (/Maximum|exceeded/i.test(message)) throw new LimitError('asn1', `${what}: ${message}`);
    throw new SmimeError('MALFORMED_ASN1', `${what} is not valid BER: ${message}`);
  }
  if (parsed.offset !== input.byteLength) {
    throw new SmimeError('MALFORMED_ASN1', `${what} has ${input.byteLength - parsed.offset} trailing bytes`);
  }
  return parsed.result;
}

function toLimitOrMalformed(cause: unknown, what: string): SmimeError {
  const message = cause instanceof Error ? cause.message : String(cause);
  if (cause instanceof RangeError || /Maximum|exceeded|too much recursion/i.test(message)) {
    return new LimitError('asn1', `${what}: ${message}`, { cause });
  }
  return new SmimeError('MALFORMED_ASN1', `${what} could not be parsed: ${message}`, { cause });
}

const OBJECT_IDENTIFIER = 0x06;
const RELATIVE_OID = 0x0d;
const BIT_STRING = 0x03;
const OCTET_STRING = 0x04;

/** Returned by `scan` when the structure is malformed: stop scanning and let the real parser say why. */
const MALFORMED = -1;

interface ScanOptions {
  maxOidBytes: number;
  maxNodes: number;
  nodes: number;
  maxDepth: number;
  what: string;
  limitName: string;
  scanStrings: boolean;
}

/**
 * Throws when any OBJECT IDENTIFIER or RELATIVE-OID in `bytes` has more than `maxOidBytes` content bytes.
 *
 * Only tags and lengths are read (X.690 §8.1); anything malformed ends the scan silently and is left for
 * `parseBer` to report. String contents are opaque: parseBer tells asn1js not to decode them, and whoever needs
 * the inside of a string parses it through parseBer again. `scanStrings` (off by default) looks at the first
 * element inside primitive OCTET and BIT STRINGs, for callers whose parser decodes them. Linear in the input
 * (times the nesting of encapsulated strings with `scanStrings`, bounded by `maxDepth`).
 *
 * With `maxNodes`, it also counts the elements it meets and refuses more than `maxNodes`: asn1js spends about
 * 10 µs per node on wide inputs (one SEQUENCE of 1e6 NULLs takes seconds to reach its own node limit), while this
 * count costs nanoseconds.
 * @throws LimitError with `limit` = `limitName` (default `maxOidBytes`), or `maxAsn1Nodes`.
 */
export function refuseLongOids(bytes: Uint8Array, maxOidBytes: number, maxDepth: number, what: string, limitName = 'maxOidBytes', maxNodes = Infinity, scanStrings = false): void {
  scan(bytes, 0, bytes.length, false, 0, { maxOidBytes, maxDepth, what, limitName, maxNodes, nodes: 0, scanStrings });
}

/**
 * Scans TLVs in [offset, end); with `indefinite`, until the end-of-contents octets. Returns the offset reached,
 * or MALFORMED. Malformed input is signalled by a return value, not an exception: string content that merely
 * looks like BER is common and an exception per string made large inputs slow.
 */
function scan(bytes: Uint8Array, offset: number, end: number, indefinite: boolean, depth: number, options: ScanOptions, once = false): number {
  if (depth > options.maxDepth) return MALFORMED;
  while (offset < end) {
    if (indefinite && bytes[offset] === 0 && bytes[offset + 1] === 0) return offset + 2;
    const identifier = bytes[offset++]!;
    if (++options.nodes > options.maxNodes) {
      throw new LimitError('maxAsn1Nodes', `${options.what} holds more than ${options.maxNodes} ASN.1 elements`);
    }
    if ((identifier & 0x1f) === 0x1f) {
      // High tag number form: skip the base-128 tag bytes (at most 4).
      let count = 0;
      while (offset < end && bytes[offset]! & 0x80) {
        offset++;
        if (++count > 4) return MALFORMED;
      }
      offset++;
    }
    if (offset >= end) return MALFORMED;
    const constructed = (identifier & 0x20) !== 0;
    const first = bytes[offset++]!;
    let length = -1;
    if (first < 0x80) {
      length = first;
    } else if (first > 0x80) {
      const count = first & 0x7f;
      if (count > 4 || offset + count > end) return MALFORMED;
      length = 0;
      for (let i = 0; i < count; i++) length = length * 256 + bytes[offset++]!;
    }
    if (length === -1) {
      if (!constructed) return MALFORMED;
      offset = scan(bytes, offset, end, true, depth + 1, options);
      if (offset === MALFORMED || once) return offset;
      continue;
    }
    if (offset + length > end) return MALFORMED;
    const universalTag = (identifier & 0xc0) === 0 ? identifier & 0x1f : -1;
    if ((universalTag === OBJECT_IDENTIFIER || universalTag === RELATIVE_OID) && length > options.maxOidBytes) {
      throw new LimitError(options.limitName, `${options.what} holds an object identifier of ${length} bytes, over the limit of ${options.maxOidBytes}`);
    }
    if (constructed) {
      if (scan(bytes, offset, offset + length, false, depth + 1, options) === MALFORMED) return MALFORMED;
    } else if (!options.scanStrings) {
      // parseBer tells asn1js not to decode string contents, so there is nothing hidden there to refuse.
    } else if (universalTag === OCTET_STRING && length > 0) {
      // String content that may or may not be BER: a malformed inside only ends this inner scan. asn1js (and
      // PKI.js on extension and attribute values) decodes one element from the start of such content, so only
      // that element is scanned; scanning every sibling made long runs of tiny TLVs cost more than parsing.
      scan(bytes, offset, offset + length, false, depth + 1, options, true);
    } else if (universalTag === BIT_STRING && length > 1 && bytes[offset] === 0) {
      scan(bytes, offset + 1, offset + length, false, depth + 1, options, true);
    }
    offset += length;
    if (once) return offset;
  }
  return indefinite ? MALFORMED : offset;
}
