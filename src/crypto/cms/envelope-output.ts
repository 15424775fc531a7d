/**
 * Writes base64 (RFC 2045 §6.8, 76 columns, CRLF) of a sequence of byte pieces straight into an output
 * buffer, so a large encrypted message is never concatenated into one DER buffer first (performance.md §6, G4).
 */
import { writeBase64Groups } from '../bytes.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const CODES = new Uint8Array(64);
for (let i = 0; i < 64; i++) CODES[i] = ALPHABET.charCodeAt(i);

const LINE = 76;

/** Number of bytes {@link writeBase64Pieces} produces for `length` input bytes (no trailing CRLF). */
export function base64PiecesLength(length: number): number {
  const chars = Math.ceil(length / 3) * 4;
  const lines = Math.max(0, Math.ceil(chars / LINE) - 1);
  return chars + lines * 2;
}

/** Encodes the concatenation of `pieces` into `out` at `offset`; returns the offset after the last byte written. */
export function writeBase64Pieces(pieces: readonly Uint8Array[], out: Uint8Array, offset: number): number {
  let o = offset;
  let column = 0;
  const carry = new Uint8Array(3);
  let carried = 0;
  const quad = (n: number) => {
    if (column === LINE) {
      out[o++] = 13;
      out[o++] = 10;
      column = 0;
    }
    out[o++] = CODES[n >>> 18]!;
    out[o++] = CODES[(n >>> 12) & 63]!;
    out[o++] = CODES[(n >>> 6) & 63]!;
    out[o++] = CODES[n & 63]!;
    column += 4;
  };
  for (const piece of pieces) {
    let i = 0;
    while (carried > 0 && carried < 3 && i < piece.length) carry[carried++] = piece[i++]!;
    if (carried === 3) {
      quad((carry[0]! << 16) | (carry[1]! << 8) | carry[2]!);
      carried = 0;
    }
    const end = i + Math.floor((piece.length - i) / 3) * 3;
    if (end > i) {
      o = writeBase64Groups(piece, i, end, out, o, column, LINE);
      // The last line holds 1..76 characters: a CRLF is written before a group, never after one.
      column = ((column + ((end - i) / 3) * 4 - 1) % LINE) + 1;
      i = end;
    }
    while (i < piece.length) carry[carried++] = piece[i++]!;
  }
  if (carried > 0) {
    if (column === LINE) {
      out[o++] = 13;
      out[o++] = 10;
    }
    const n = (carry[0]! << 16) | (carried === 2 ? carry[1]! << 8 : 0);
    out[o++] = CODES[n >>> 18]!;
    out[o++] = CODES[(n >>> 12) & 63]!;
    out[o++] = carried === 2 ? CODES[(n >>> 6) & 63]! : 61;
    out[o++] = 61;
  }
  return o;
}
