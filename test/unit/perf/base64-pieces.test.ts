// Base64 of an envelope written from its pieces (envelope-output.ts) must equal Node's own encoder (an independent
// implementation) wrapped at 76 columns, whatever the piece sizes and the output offset's alignment.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64PiecesLength, writeBase64Pieces } from '../../../src/crypto/cms/envelope-output.js';
import { writeBase64Groups } from '../../../src/crypto/bytes.js';

const reference = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64').replace(/.{76}(?=.)/g, '$&\r\n');

function encodePieces(pieces: Uint8Array[], offset: number): string {
  const length = pieces.reduce((sum, piece) => sum + piece.length, 0);
  const out = new Uint8Array(offset + base64PiecesLength(length) + 3);
  const end = writeBase64Pieces(pieces, out, offset);
  expect(end - offset).toBe(base64PiecesLength(length));
  return Buffer.from(out.subarray(offset, end)).toString('latin1');
}

describe('base64 from pieces', () => {
  it('equals Node base64 wrapped at 76 columns for any split and any output offset', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 400 }), { maxLength: 8 }), fc.integer({ min: 0, max: 7 }), (pieces, offset) => {
        const all = Buffer.concat(pieces);
        expect(encodePieces(pieces, offset)).toBe(reference(all));
      }),
      { numRuns: 500, seed: 20260601 },
    );
  });

  it('handles a large piece after an odd-sized one (wide stores on every line)', () => {
    const big = Uint8Array.from({ length: 300_001 }, (_, i) => (i * 131 + (i >> 7)) & 0xff);
    const pieces = [big.subarray(0, 5), big.subarray(5, 200_000), big.subarray(200_000)];
    expect(encodePieces(pieces, 224)).toBe(reference(big));
    expect(encodePieces(pieces, 225)).toBe(reference(big));
    expect(encodePieces(pieces, 226)).toBe(reference(big));
  });

  it('writes the groups of a view that starts at an odd byte offset of its buffer one byte at a time, correctly', () => {
    const data = Uint8Array.from({ length: 600 }, (_, i) => (i * 7) & 0xff);
    const buffer = new ArrayBuffer(2000);
    const out = new Uint8Array(buffer, 1, 1999);
    const end = writeBase64Groups(data, 0, 600, out, 0, 0, 76);
    expect(Buffer.from(out.subarray(0, end)).toString('latin1')).toBe(reference(data));
  });
});
