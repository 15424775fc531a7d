import { describe, it } from 'vitest';
import { parseMime } from '../../src/crypto/index.js';
import { expectLimitWithin } from '../helpers/limits.js';
import { utf8 } from '../../src/crypto/bytes.js';

/** SEC-33a: 5 000 nested multiparts. The parser must stop with a LimitError within 1 s (a generous bound for slow CI). */
describe('SEC-33a: 5 000 nested multiparts', () => {
  it('gives LimitError (maxMimeDepth) within 1 s', () => {
    const depth = 5_000;
    const parts: string[] = [];
    for (let i = 0; i < depth; i++) parts.push(`Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n`);
    parts.push('\r\ninnermost\r\n');
    for (let i = depth - 1; i >= 0; i--) parts.push(`\r\n--b${i}--\r\n`);
    const input = utf8(parts.join(''));
    expectLimitWithin(() => parseMime(input), 'maxMimeDepth');
  });
});
