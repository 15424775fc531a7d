import { describe, expect, it } from 'vitest';
import { parseMime } from '../../src/crypto/index.js';
import { base64Encode, bytesEqual, concatBytes, utf8 } from '../../src/crypto/bytes.js';
import { cpuNow } from '../helpers/limits.js';

/**
 * SEC-33h: base64 with garbage on every line. Decision: RFC 2045 §6.8 says characters outside the base64 alphabet
 * "must be ignored", so the body decodes to the clean payload, in linear time, without an error. (A "=" ends the
 * data, as padding does.) The 1 s bound is generous; the point is that garbage gives no super-linear path.
 */
describe('SEC-33h: base64 with garbage on every line', () => {
  it('decodes, skipping the garbage, within 1 s', () => {
    const payload = Uint8Array.from({ length: 3 * 1024 * 1024 }, (_, i) => (i * 7919) >>> 3);
    const lines = base64Encode(payload, 76).split('\r\n');
    const dirty = lines.map((line, i) => `!*${line.slice(0, 30)}#%& \t${line.slice(30)}~\\${'\u0000'.repeat(i % 3)}`).join('\r\n');
    const input = concatBytes([utf8('Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n'), utf8(dirty)]);
    const started = cpuNow();
    const decoded = parseMime(input).decodedBody();
    const elapsed = cpuNow() - started;
    expect(bytesEqual(decoded, payload)).toBe(true);
    expect(elapsed).toBeLessThan(1000);
  });

  it('stops at "=" padding and ignores what follows', () => {
    const input = utf8('Content-Transfer-Encoding: base64\r\n\r\naGk=\r\nZ2FyYmFnZQ==\r\n');
    expect(parseMime(input).decodedBody()).toEqual(utf8('hi'));
  });
});
