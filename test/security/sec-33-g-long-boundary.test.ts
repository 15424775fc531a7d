import { describe, it } from 'vitest';
import { parseMime } from '../../src/crypto/index.js';
import { expectLimitWithin } from '../helpers/limits.js';
import { utf8 } from '../../src/crypto/bytes.js';

/** SEC-33g: a boundary parameter of 100 KB. The parser must stop with a LimitError within 1 s (a generous bound for slow CI). */
describe('SEC-33g: a boundary parameter of 100 KB', () => {
  it('gives LimitError (maxBoundaryLength) within 1 s', () => {
    const boundary = 'b'.repeat(100 * 1024);
    const input = utf8(`Content-Type: multipart/mixed; boundary="${boundary}"\r\n\r\n--${boundary}\r\n\r\nx\r\n--${boundary}--\r\n`);
    expectLimitWithin(() => parseMime(input), 'maxBoundaryLength');
  });
});
