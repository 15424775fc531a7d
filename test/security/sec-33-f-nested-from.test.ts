import { describe, expect, it } from 'vitest';
import { LimitError, parseMime, getFromMailbox } from '../../src/crypto/index.js';
import { utf8 } from '../../src/crypto/bytes.js';
import { cpuNow, expectLimitWithin } from '../helpers/limits.js';

/** SEC-33f: a From with 10 000 nested groups or comments. The parser must stop with a LimitError within 1 s (a generous bound for slow CI). */
describe('SEC-33f: a From with 10 000 nested groups or comments', () => {
  it('gives LimitError (maxHeaderNesting) within 1 s', () => {
    const input = utf8(`From: ${'g:'.repeat(10_000)}eve@corp.example${';'.repeat(10_000)}\r\n\r\nbody\r\n`);
    expectLimitWithin(() => getFromMailbox(parseMime(input)), 'maxHeaderNesting');
  });

  it('gives LimitError for 10 000 nested comments within 1 s', () => {
    const input = utf8(`From: ${'('.repeat(10_000)}x${')'.repeat(10_000)} eve@corp.example\r\n\r\nbody\r\n`);
    const started = cpuNow();
    expect(() => getFromMailbox(parseMime(input))).toThrow(LimitError);
    expect(cpuNow() - started).toBeLessThan(1000);
  });
});
