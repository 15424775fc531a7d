import { describe, it } from 'vitest';
import { parseMime } from '../../src/crypto/index.js';
import { expectLimitWithin } from '../helpers/limits.js';
import { utf8 } from '../../src/crypto/bytes.js';

/** SEC-33c: a 5 MB Subject. The parser must stop with a LimitError within 1 s (a generous bound for slow CI). */
describe('SEC-33c: a 5 MB Subject', () => {
  it('gives LimitError (maxHeaderBytes) within 1 s', () => {
    const input = utf8(`From: a@b.example\r\nSubject: ${'A'.repeat(5 * 1024 * 1024)}\r\n\r\nbody\r\n`);
    expectLimitWithin(() => parseMime(input), 'maxHeaderBytes');
  });
});
