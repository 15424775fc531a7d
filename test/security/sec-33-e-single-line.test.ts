import { describe, expect, it } from 'vitest';
import { LimitError, parseMime } from '../../src/crypto/index.js';

/** SEC-33e: a 10 MB single line with no CRLF. The parser must stop with a LimitError within 1 s (a generous bound for slow CI). */
describe('SEC-33e: a 10 MB single line with no CRLF', () => {
  it('gives LimitError (maxHeaderBytes) within 1 s', () => {
    const input = new Uint8Array(10 * 1024 * 1024).fill(0x61);
    const started = performance.now();
    let caught: unknown;
    try {
      parseMime(input);
    } catch (error) {
      caught = error;
    }
    const elapsed = performance.now() - started;
    expect(caught).toBeInstanceOf(LimitError);
    expect((caught as LimitError).code).toBe('LIMIT_EXCEEDED');
    expect((caught as LimitError).limit).toBe('maxHeaderBytes');
    expect(elapsed).toBeLessThan(1000);
  });
});
