import { expect } from 'vitest';
import { LimitError } from '../../src/crypto/index.js';

/**
 * CPU time used by this test process so far, in milliseconds. The hang bounds of SEC-25 and SEC-31..SEC-38
 * ("within 1 s") are measured with it rather than the wall clock: Vitest runs each test file in its own
 * process, so other test workers, Thunderbird or a busy CI neighbour do not count against the bound, while
 * an unbounded parse still spends its seconds here and fails.
 */
export function cpuNow(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/**
 * Asserts that `parse` stops with a LimitError for `limit` within `withinMs` (SEC-31..SEC-33: a generous
 * bound, so a busy CI core does not make the test flaky while an unbounded parse still fails it).
 */
export function expectLimitWithin(parse: () => unknown, limit: string, withinMs = 1000): void {
  const started = cpuNow();
  let caught: unknown;
  try {
    parse();
  } catch (error) {
    caught = error;
  }
  const elapsed = cpuNow() - started;
  expect(caught).toBeInstanceOf(LimitError);
  expect((caught as LimitError).code).toBe('LIMIT_EXCEEDED');
  expect((caught as LimitError).limit).toBe(limit);
  expect(elapsed).toBeLessThan(withinMs);
}
