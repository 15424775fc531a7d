import { describe, expect, it } from 'vitest';
import { LimitError, parseMime } from '../../src/crypto/index.js';
import { utf8 } from '../../src/crypto/bytes.js';

/** SEC-33c: a 5 MB Subject. The parser must stop with a LimitError within 1 s (a generous bound for slow CI). */
describe('SEC-33c: a 5 MB Subject', () => {
  it('gives LimitError (maxHeaderBytes) within 1 s', () => {
    const input = utf8(`From: a@b.example\r\nSubject: ${'A'.repeat(5 * 1024 * 1024)}\r\n\r\nbody\r\n`);
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
