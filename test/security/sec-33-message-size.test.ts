import { describe, expect, it } from 'vitest';
import { LimitError, makePolicy, parseMime } from '../../src/crypto/index.js';
import { cpuNow } from '../helpers/limits.js';

/**
 * SEC-32b (the MIME side): a message over `maxMessageBytes` is refused before any parsing, within 1 s, and
 * without copying the input.
 */
describe('SEC-32b: an 80 MB message', () => {
  it('gives LimitError (maxMessageBytes) within 1 s', () => {
    const input = new Uint8Array(80 * 1024 * 1024).fill(0x41);
    const started = cpuNow();
    let caught: unknown;
    try {
      parseMime(input);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(LimitError);
    expect((caught as LimitError).limit).toBe('maxMessageBytes');
    expect(cpuNow() - started).toBeLessThan(1000);
  });

  it('honours a lower configured limit', () => {
    const limits = makePolicy({ limits: { maxMessageBytes: 10 } }).limits;
    expect(() => parseMime(new Uint8Array(11), limits)).toThrow(LimitError);
    expect(parseMime(new Uint8Array(10).fill(0x41), limits).headers.size).toBe(0);
  });
});
