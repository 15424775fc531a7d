import { describe, expect, it } from 'vitest';
import { LimitError, parseMime } from '../../src/crypto/index.js';
import { utf8 } from '../../src/crypto/bytes.js';

/** SEC-33b: 200 000 sibling parts. The parser must stop with a LimitError within 1 s (a generous bound for slow CI). */
describe('SEC-33b: 200 000 sibling parts', () => {
  it('gives LimitError (maxMimeParts) within 1 s', () => {
    const input = utf8(`Content-Type: multipart/mixed; boundary=s\r\n\r\n${'--s\r\n\r\nx\r\n'.repeat(200_000)}--s--\r\n`);
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
    expect((caught as LimitError).limit).toBe('maxMimeParts');
    expect(elapsed).toBeLessThan(1000);
  });
});
