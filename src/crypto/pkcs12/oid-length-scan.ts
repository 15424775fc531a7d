/**
 * A linear pre-scan of BER input that refuses overlong OBJECT IDENTIFIERs before asn1js sees them.
 * asn1js decodes OID arcs in super-linear time (security.md F9: one OID of 254 000 arcs takes seconds), and
 * a .p12 can hold such an OID anywhere. PKCS#12 OIDs are at most a dozen bytes, so a small cap loses nothing.
 * The scan only looks at tags and lengths (X.690 §8.1); anything malformed is left for `parseBer` to report.
 * asn1js also decodes the content of primitive OCTET STRINGs and BIT STRINGs when it looks like BER, so the
 * scan looks inside those too.
 */
import { LimitError } from '../errors.js';

const OBJECT_IDENTIFIER = 0x06;
const RELATIVE_OID = 0x0d;
const BIT_STRING = 0x03;
const OCTET_STRING = 0x04;

/** Internal signal: the structure is malformed, stop scanning and let the real parser say why. */
class StopScan extends Error {}

/**
 * Throws when any OBJECT IDENTIFIER or RELATIVE-OID in `bytes` is longer than `maxOidBytes`.
 * Linear in the input times the nesting of encapsulated strings; nests at most `maxDepth` levels.
 * @throws LimitError `maxPkcs12OidBytes`.
 */
export function refuseLongOids(bytes: Uint8Array, maxOidBytes: number, maxDepth: number, what: string): void {
  try {
    scan(bytes, 0, bytes.length, false, 0, { maxOidBytes, maxDepth, what });
  } catch (error) {
    if (error instanceof StopScan) return;
    throw error;
  }
}

interface ScanOptions {
  maxOidBytes: number;
  maxDepth: number;
  what: string;
}

/** String content that may or may not be BER: a malformed inside only ends this inner scan. */
function scanEncapsulated(bytes: Uint8Array, offset: number, end: number, depth: number, options: ScanOptions): void {
  try {
    scan(bytes, offset, end, false, depth, options);
  } catch (error) {
    if (!(error instanceof StopScan)) throw error;
  }
}

/** Scans TLVs in [offset, end); with `indefinite`, until the end-of-contents octets. Returns the offset reached. */
function scan(bytes: Uint8Array, offset: number, end: number, indefinite: boolean, depth: number, options: ScanOptions): number {
  if (depth > options.maxDepth) throw new StopScan();
  while (offset < end) {
    if (indefinite && bytes[offset] === 0 && bytes[offset + 1] === 0) return offset + 2;
    const identifier = bytes[offset++]!;
    if ((identifier & 0x1f) === 0x1f) {
      // High tag number form: skip the base-128 tag bytes (at most 4).
      let count = 0;
      while (offset < end && bytes[offset]! & 0x80) {
        offset++;
        if (++count > 4) throw new StopScan();
      }
      offset++;
    }
    if (offset >= end) throw new StopScan();
    const constructed = (identifier & 0x20) !== 0;
    const first = bytes[offset++]!;
    let length = -1;
    if (first < 0x80) {
      length = first;
    } else if (first > 0x80) {
      const count = first & 0x7f;
      if (count > 4 || offset + count > end) throw new StopScan();
      length = 0;
      for (let i = 0; i < count; i++) length = length * 256 + bytes[offset++]!;
    }
    if (length === -1) {
      if (!constructed) throw new StopScan();
      offset = scan(bytes, offset, end, true, depth + 1, options);
      continue;
    }
    if (offset + length > end) throw new StopScan();
    const universalTag = (identifier & 0xc0) === 0 ? identifier & 0x1f : -1;
    if ((universalTag === OBJECT_IDENTIFIER || universalTag === RELATIVE_OID) && length > options.maxOidBytes) {
      throw new LimitError('maxPkcs12OidBytes', `${options.what} holds an object identifier of ${length} bytes, over the limit of ${options.maxOidBytes}`);
    }
    if (constructed) {
      scan(bytes, offset, offset + length, false, depth + 1, options);
    } else if (universalTag === OCTET_STRING && length > 0) {
      scanEncapsulated(bytes, offset, offset + length, depth + 1, options);
    } else if (universalTag === BIT_STRING && length > 1 && bytes[offset] === 0) {
      scanEncapsulated(bytes, offset + 1, offset + length, depth + 1, options);
    }
    offset += length;
  }
  if (indefinite) throw new StopScan();
  return offset;
}
