// The multipart delimiter search (RFC 2046 §5.1.1) skips ahead with a native search for "-". These cases pin
// down that dashes in every position around line ends neither hide a delimiter nor create one.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMime } from '../../../src/crypto/index.js';
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
