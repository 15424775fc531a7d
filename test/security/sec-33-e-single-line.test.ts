import { describe, it } from 'vitest';
import { parseMime } from '../../src/crypto/index.js';
import { expectLimitWithin } from '../helpers/limits.js';

/** SEC-33e: a 10 MB single line with no CRLF. The parser must stop with a LimitError within 1 s (a generous bound for slow CI). */
describe('SEC-33e: a 10 MB single line with no CRLF', () => {
  it('gives LimitError (maxHeaderBytes) within 1 s', () => {
    const input = new Uint8Array(10 * 1024 * 1024).fill(0x61);
    expectLimitWithin(() => parseMime(input), 'maxHeaderBytes');
  });
});
