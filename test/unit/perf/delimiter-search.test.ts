// The multipart delimiter search (RFC 2046 §5.1.1) skips ahead: Horspool's algorithm for long boundaries, else a
// native search for "-". These cases pin
// down that dashes in every position around line ends neither hide a delimiter nor create one.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, parseMime, type MimeEntity } from '../../../src/crypto/index.js';
import { parseMimeWithSearch } from '../../../src/crypto/mime/parse.js';
import { fromUtf8, utf8 } from '../../../src/crypto/bytes.js';

const TOKENS = ['-', '--', '---', '---xy', '--x', '--xyz', 'x', 'y', 'a', ' ', '\n', '\r\n', '\r', '\n-', '-\n--'];

/** A part body that contains no delimiter line of boundary "xy" (conservatively: no "--xy" at a line start). */
const body = fc
  .array(fc.constantFrom(...TOKENS), { maxLength: 40 })
  .map((tokens) => tokens.join(''))
  .filter((text) => !text.startsWith('--xy') && !text.includes('\n--xy'));

function message(eol: string, first: string, second: string): string {
  return (
    `Content-Type: multipart/mixed; boundary=xy${eol}${eol}` +
    `--xy${eol}Content-Type: text/plain${eol}${eol}${first}${eol}` +
    `--xy${eol}Content-Type: text/plain${eol}${eol}${second}${eol}` +
    `--xy--${eol}`
  );
}

describe('multipart delimiter search', () => {
  it('finds exactly the delimiter lines, whatever dashes and line ends surround them', () => {
    fc.assert(
      fc.property(fc.constantFrom('\r\n', '\n'), body, body, (eol, first, second) => {
        // With LF line ends, a body's last CR joins the delimiter's line end (CR LF): not a search question.
        fc.pre(eol === '\r\n' || (!first.endsWith('\r') && !second.endsWith('\r')));
        const root = parseMime(utf8(message(eol, first, second)));
        expect(root.defects).toEqual([]);
        expect(root.children.map((child) => fromUtf8(child.bodyRaw))).toEqual([first, second]);
      }),
      { numRuns: 400, seed: 20260601 },
    );
  });

  it('does not take a line that starts with "---" plus the boundary, or a dash run before a line end, for a delimiter', () => {
    const first = 'a---xy\r\n---xy\r\n-\r\n--\r\n--xyz\r\n--x';
    const root = parseMime(utf8(message('\r\n', first, '--')));
    expect(root.children.map((child) => fromUtf8(child.bodyRaw))).toEqual([first, '--']);
  });

  it('finds a delimiter right after a line of dashes', () => {
    const root = parseMime(utf8('Content-Type: multipart/mixed; boundary=xy\r\n\r\n-----\r\n--xy\r\n\r\none\r\n--xy--\r\n'));
    expect(fromUtf8(root.preamble!)).toBe('-----');
    expect(root.children.map((child) => fromUtf8(child.bodyRaw))).toEqual(['one']);
  });
});

describe('skip search for long boundaries (Horspool) against the "-" scan', () => {
  const LONG_TOKENS = [
    '--boundary-number-one', '--boundary-number-one--', '--boundary-number-one-two', '--boundary-number-one-two--', '--boundary-number-oneX', '---boundary-number-one',
    'boundary-number-one', ' ', '\t', '\r\n', '\n', '\r', 'x', '-', '--', 'QUJD', 'one-two',
    'Content-Type: multipart/mixed; boundary="boundary-number-one-two"\r\n\r\n',
    'Content-Type: multipart/alternative; boundary=boundary-number-three\r\n\r\n',
    'Content-Type: multipart/mixed; boundary=xy\r\n\r\n', '--xy', '--boundary-number-three', '--boundary-number-three--',
  ];
  type Shape = { offset: number; length: number; defects: readonly string[]; preamble?: number; epilogue?: number; children: Shape[] };
  const shape = (entity: MimeEntity): Shape => ({
    offset: entity.offset,
    length: entity.raw.length,
    defects: entity.defects,
    preamble: entity.preamble?.length,
    epilogue: entity.epilogue?.length,
    children: entity.children.map(shape),
  });

  it('gives the same tree, byte offsets and defects for nested, prefixed and near-miss boundaries', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...LONG_TOKENS), { maxLength: 60 }), fc.constantFrom('"boundary-number-one"', 'boundary-number-one-two'), (tokens, boundary) => {
        const raw = utf8(`Content-Type: multipart/mixed; boundary=${boundary}\r\n\r\n${tokens.join('')}`);
        expect(shape(parseMimeWithSearch(raw, DEFAULT_LIMITS, 'skip'))).toEqual(shape(parseMimeWithSearch(raw, DEFAULT_LIMITS, 'scan')));
      }),
      { numRuns: 3000, seed: 20261128 },
    );
  });

  it('finds the delimiters of a large base64 part', () => {
    const line = `${'QUJD'.repeat(19)}\r\n`;
    const raw = utf8(`Content-Type: multipart/mixed; boundary="----=_ws_0123456789abcdef"\r\n\r\n------=_ws_0123456789abcdef\r\nContent-Type: application/octet-stream\r\n\r\n${line.repeat(2000)}------=_ws_0123456789abcdef\r\n\r\nend\r\n------=_ws_0123456789abcdef--\r\n`);
    const root = parseMime(raw);
    expect(root.children.map((child) => child.bodyRaw.length)).toEqual([line.length * 2000 - 2, 3]);
  });
});
