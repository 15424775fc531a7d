import { describe, it } from 'vitest';
import { parseMime } from '../../src/crypto/index.js';
import { expectLimitWithin } from '../helpers/limits.js';
import { utf8 } from '../../src/crypto/bytes.js';

/** SEC-33d: 500 000 header lines. The parser must stop with a LimitError within 1 s (a generous bound for slow CI). */
describe('SEC-33d: 500 000 header lines', () => {
  it('gives LimitError (maxHeaderLines) within 1 s', () => {
    const input = utf8(`${'X-H: v\r\n'.repeat(500_000)}\r\nbody\r\n`);
    expectLimitWithin(() => parseMime(input), 'maxHeaderLines');
  });
});
