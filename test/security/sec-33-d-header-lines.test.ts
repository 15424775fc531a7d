import { describe, expect, it } from 'vitest';
import { LimitError, parseMime } from '../../src/crypto/index.js';
import { utf8 } from '../../src/crypto/bytes.js';

/** SEC-33d: 500 000 header lines. The parser must stop with a LimitError within 1 s (a generous bound for slow CI). */
describe('SEC-33d: 500 000 header lines', () => {
  it('gives LimitError (maxHeaderLines) within 1 s', () => {
    const input = utf8(`${'X-H: v\r\n'.repeat(500_000)}\r\nbody\r\n`);
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
    expect((caught as LimitError).limit).toBe('maxHeaderLines');
    expect(elapsed).toBeLessThan(1000);
  });
});
