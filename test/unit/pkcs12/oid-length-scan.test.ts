// F9 / SEC-31: overlong OBJECT IDENTIFIERs are refused by a linear scan before asn1js decodes them; the scan
// follows definite and indefinite BER lengths and high tag numbers, and leaves malformed input to the parser.
import { describe, expect, it } from 'vitest';
import { refuseLongOids } from '../../../src/crypto/pkcs12/oid-length-scan.js';
import { LimitError } from '../../../src/crypto/errors.js';

function oid(length: number): number[] {
  return [0x06, ...(length < 0x80 ? [length] : [0x82, length >> 8, length & 0xff]), 0x2a, ...new Array<number>(length - 1).fill(1)];
}

function definite(tag: number, content: number[]): number[] {
  const length = content.length;
  return [tag, ...(length < 0x80 ? [length] : [0x82, length >> 8, length & 0xff]), ...content];
}

function indefinite(tag: number, content: number[]): number[] {
  return [tag, 0x80, ...content, 0, 0];
}

function check(bytes: number[], max = 64): unknown {
  try {
    refuseLongOids(Uint8Array.from(bytes), max, 64, 'test input');
    return 'accepted';
  } catch (error) {
    return error;
  }
}

describe('refuseLongOids', () => {
  it('accepts OIDs up to the cap, at any depth', () => {
    expect(check(definite(0x30, [...oid(64), ...definite(0x30, oid(10))]))).toBe('accepted');
  });

  it('refuses an overlong OID in a definite SEQUENCE, an indefinite one, and under a high-number context tag', () => {
    const cases = [
      definite(0x30, [...oid(8), ...oid(65)]),
      indefinite(0x30, indefinite(0xa0, oid(300))),
      // [128] in the high-tag-number form (0xbf, then 0x81 0x00), constructed, holding the long OID.
      definite(0x30, [0xbf, 0x81, ...definite(0x00, oid(100))]),
    ];
    for (const bytes of cases) {
      const error = check(bytes);
      expect(error).toBeInstanceOf(LimitError);
      expect((error as LimitError).limit).toBe('maxPkcs12OidBytes');
    }
  });

  it('also refuses RELATIVE-OID', () => {
    expect(check(definite(0x30, [0x0d, 100, ...new Array<number>(100).fill(1)]))).toBeInstanceOf(LimitError);
  });

  it('treats OCTET STRING and BIT STRING content as opaque bytes, as parseBer does (no speculative decoding)', () => {
    // Random bytes (signatures, encrypted bags) can look like a long OID; they must not refuse a file.
    expect(check(definite(0x30, definite(0x04, oid(300))))).toBe('accepted');
    expect(check(definite(0x30, definite(0x03, [0, ...definite(0x30, oid(300))])))).toBe('accepted');
    // The scan carries on after a string.
    expect(check(definite(0x30, [...definite(0x04, [0x30, 0x84, 0xff, 0xff, 0xff, 0xff]), ...oid(100)]))).toBeInstanceOf(LimitError);
  });

  it('stops quietly on malformed input, leaving the error to the parser', () => {
    expect(check([0x30, 0x84, 0xff, 0xff, 0xff, 0xff])).toBe('accepted');
    expect(check([0x30, 0x80, 0x06, 0x01])).toBe('accepted');
    expect(check([0x1f, 0x81, 0x81, 0x81, 0x81, 0x81, 0x01, 0x00])).toBe('accepted');
  });
});
