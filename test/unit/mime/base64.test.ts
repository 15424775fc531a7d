import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { base64Decode, base64Encode, base64EncodeToBytes, encodeWrappedBytewise } from '../../../src/crypto/bytes.js';

/** Node's Buffer is the independent reference implementation. */
const reference = (bytes: Uint8Array, lineLength: number): string => {
  const text = Buffer.from(bytes).toString('base64');
  if (lineLength <= 0) return text;
  const lines: string[] = [];
  for (let i = 0; i < text.length; i += lineLength) lines.push(text.slice(i, i + lineLength));
  return lines.join('\r\n');
};
const ascii = (bytes: Uint8Array): string => Buffer.from(bytes).toString('latin1');

describe('base64EncodeToBytes', () => {
  it('matches Buffer for every length around the line and group boundaries', () => {
    for (let length = 0; length <= 400; length++) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 151 + length) & 0xff);
      for (const lineLength of [0, 76, 64, 4]) {
        expect(ascii(base64EncodeToBytes(bytes, lineLength)), `length ${length}, lines ${lineLength}`).toBe(reference(bytes, lineLength));
      }
    }
  });

  it('has a byte-wise path for big-endian platforms that gives the same output', () => {
    for (let length = 0; length <= 200; length++) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 97 + 5) & 0xff);
      for (const wrap of [0, 76, 8]) {
        const fast = base64EncodeToBytes(bytes, wrap);
        const out = new Uint8Array(fast.length + 8);
        const written = encodeWrappedBytewise(bytes, length - (length % 3), wrap, out);
        // The byte-wise path writes the whole groups and the line break before a final partial group.
        const partial = length % 3 === 0 ? 0 : 4;
        expect(ascii(out.subarray(0, written)), `length ${length}, wrap ${wrap}`).toBe(ascii(fast.subarray(0, fast.length - partial)));
      }
    }
  });

  it('rounds a line length down to a multiple of 4 (RFC 2045 §6.8 lines hold whole quads)', () => {
    const bytes = new Uint8Array(100).fill(0xfb);
    expect(ascii(base64EncodeToBytes(bytes, 78))).toBe(reference(bytes, 76));
  });

  it('round-trips arbitrary bytes through base64Decode', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.constantFrom(0, 76), (bytes, lineLength) => {
        const encoded = base64EncodeToBytes(bytes, lineLength);
        expect(base64Decode(encoded)).toEqual(bytes);
        expect(base64Decode(ascii(encoded))).toEqual(bytes);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('base64Decode', () => {
  it('skips whitespace and garbage anywhere, as RFC 2045 §6.8 says, and agrees with Buffer on clean input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.array(fc.tuple(fc.nat(), fc.constantFrom('\r\n', ' ', '!', '*', '\t', '\u0000', '\u00ff', '-', '_')), { maxLength: 40 }), (bytes, inserts) => {
        let text = Buffer.from(bytes).toString('base64').replace(/=+$/, '');
        for (const [position, junk] of inserts) {
          const at = position % (text.length + 1);
          text = text.slice(0, at) + junk + text.slice(at);
        }
        expect(base64Decode(text)).toEqual(bytes);
        expect(base64Decode(Uint8Array.from(text, (ch) => ch.charCodeAt(0)))).toEqual(bytes);
      }),
      { numRuns: 2000 },
    );
  });

  it('stops at the first "=" and drops an incomplete last character', () => {
    expect(ascii(base64Decode('aGk=aGk='))).toBe('hi');
    expect(ascii(base64Decode('aGk'))).toBe('hi');
    expect(base64Decode('a')).toEqual(new Uint8Array(0));
    expect(base64Decode('')).toEqual(new Uint8Array(0));
  });
});

describe('native base64 (Uint8Array.fromBase64 / toBase64, as in Gecko)', () => {
  const U8 = Uint8Array as unknown as { fromBase64?: unknown; prototype: { toBase64?: unknown } };
  afterEach(() => {
    delete U8.fromBase64;
    delete U8.prototype.toBase64;
  });

  it('is used when present, only on clean input, and gives the same results', () => {
    // A strict stand-in with the TC39 semantics that matter here: rejects anything but alphabet and whitespace.
    const fromBase64 = vi.fn((text: string) => {
      if (/[^A-Za-z0-9+/\s]/.test(text)) throw new SyntaxError('invalid base64');
      if (text.replace(/\s/g, '').length % 4 === 1) throw new SyntaxError('lone final character');
      return new Uint8Array(Buffer.from(text, 'base64'));
    });
    const toBase64 = vi.fn(function (this: Uint8Array) {
      return Buffer.from(this).toString('base64');
    });
    U8.fromBase64 = fromBase64;
    U8.prototype.toBase64 = toBase64;
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 37) & 0xff);
    const wrapped = ascii(base64EncodeToBytes(bytes, 76));
    expect(base64Decode(wrapped)).toEqual(bytes);
    expect(fromBase64).toHaveBeenCalledTimes(1);
    expect(base64Decode(`!${wrapped}`)).toEqual(bytes);
    expect(base64Decode('aGk=aGk=')).toEqual(new Uint8Array([0x68, 0x69]));
    expect(base64Decode('aGk\r\nxy')).toEqual(new Uint8Array(Buffer.from('aGkx', 'base64')));
    expect(fromBase64).toHaveBeenCalledTimes(1);
    expect(base64Decode('aGk= \r\n')).toEqual(new Uint8Array([0x68, 0x69]));
    expect(fromBase64).toHaveBeenCalledTimes(2);
    expect(base64Encode(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    expect(toBase64).toHaveBeenCalledTimes(1);
    expect(base64Encode(bytes, 76)).toBe(wrapped);
    expect(toBase64).toHaveBeenCalledTimes(1);
  });
});
