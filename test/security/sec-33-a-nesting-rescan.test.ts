import { describe, expect, it } from 'vitest';
import { parseMime } from '../../src/crypto/index.js';
import { concatBytes, utf8 } from '../../src/crypto/bytes.js';
import { cpuNow } from '../helpers/limits.js';

/**
 * SEC-33a (cost of nesting within the limits): 31 nested multiparts around 10 MB of empty lines and of "--x" lines.
 * A parser that rescans each level's body does 31 passes (seconds); ours does one. The message is legal, so it
 * parses; the 1 s bound is generous.
 */
describe('SEC-33a: nesting below the depth limit does not multiply the parse cost', () => {
  it.each([
    ['empty lines', 0x0a],
    ['"--x" lines', 0x2d],
  ])('parses 31 levels around 10 MB of %s within 1 s', (_label, fill) => {
    const depth = 31;
    const head: string[] = [];
    const tail: string[] = [];
    for (let i = 0; i < depth; i++) {
      head.push(`Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n`);
      tail.unshift(`\r\n--b${i}--\r\n`);
    }
    const body = new Uint8Array(10 * 1024 * 1024).fill(0x0a);
    if (fill === 0x2d) for (let i = 0; i + 3 < body.length; i += 4) body.set([0x2d, 0x2d, 0x78, 0x0a], i);
    const input = concatBytes([utf8(`${head.join('')}\r\n`), body, utf8(tail.join(''))]);
    const started = cpuNow();
    let entity = parseMime(input);
    const elapsed = cpuNow() - started;
    for (let i = 1; i < depth; i++) entity = entity.children[0]!;
    expect(entity.contentType.boundary).toBe(`b${depth - 1}`);
    expect(entity.children).toHaveLength(1);
    expect(entity.children[0]!.bodyRaw.length).toBe(body.length);
    expect(elapsed).toBeLessThan(1000);
  });
});
