// SEC-18e: UTCTime and GeneralizedTime around the 2050 pivot (RFC 5280 §4.1.2.5, RFC 5652 §11.3).
import { describe, expect, it } from 'vitest';
import * as asn1js from 'asn1js';
import { decodeTime } from '../../../src/crypto/cms/signed-attributes.js';
import { derTime } from '../../../src/crypto/cms/der.js';

const parse = (der: Uint8Array) => asn1js.fromBER(der).result;
const ascii = (tag: number, text: string) => Uint8Array.from([tag, text.length, ...Buffer.from(text, 'latin1')]);

describe('signing-time encoding and decoding (SEC-18e)', () => {
  const table: [string, Uint8Array, string | null][] = [
    ['UTCTime 49 is 2049', ascii(0x17, '491231235959Z'), '2049-12-31T23:59:59.000Z'],
    ['UTCTime 50 is 1950', ascii(0x17, '500101000000Z'), '1950-01-01T00:00:00.000Z'],
    ['GeneralizedTime 2050', ascii(0x18, '20500101000000Z'), '2050-01-01T00:00:00.000Z'],
    ['GeneralizedTime with fraction', ascii(0x18, '20260531120000.5Z'), '2026-05-31T12:00:00.000Z'],
    ['UTCTime without Z', ascii(0x17, '260531120000'), null],
    ['UTCTime with a 13th month', ascii(0x17, '261331120000Z'), null],
    ['GeneralizedTime with an offset', ascii(0x18, '20260531120000+0100'), null],
  ];
  for (const [name, der, expected] of table) {
    it(name, () => {
      expect(decodeTime(parse(der))?.toISOString() ?? null).toBe(expected);
    });
  }
  it('derTime writes UTCTime up to 2049 and GeneralizedTime from 2050 (RFC 5652 §11.3)', () => {
    expect(Buffer.from(derTime(new Date('2049-12-31T23:59:59Z'))).toString('latin1')).toBe('\x17\x0d491231235959Z');
    expect(Buffer.from(derTime(new Date('2050-01-01T00:00:00Z'))).toString('latin1')).toBe('\x18\x0f20500101000000Z');
  });
});
