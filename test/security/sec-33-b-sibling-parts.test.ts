import { describe, it } from 'vitest';
import { parseMime } from '../../src/crypto/index.js';
import { expectLimitWithin } from '../helpers/limits.js';
import { utf8 } from '../../src/crypto/bytes.js';

/** SEC-33b: 200 000 sibling parts. The parser must stop with a LimitError within 1 s (a generous bound for slow CI). */
describe('SEC-33b: 200 000 sibling parts', () => {
  it('gives LimitError (maxMimeParts) within 1 s', () => {
    const input = utf8(`Content-Type: multipart/mixed; boundary=s\r\n\r\n${'--s\r\n\r\nx\r\n'.repeat(200_000)}--s--\r\n`);
    expectLimitWithin(() => parseMime(input), 'maxMimeParts');
  });
});
