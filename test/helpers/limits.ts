import { expect } from 'vitest';
import { LimitError } from '../../src/crypto/index.js';

/**
 * Asserts that `parse` stops with a LimitError for `limit` within `withinMs` (SEC-31..SEC-33: a generous
 * bound, so a busy CI core does not make the test flaky while an unbounded parse still fails it).
 */
export function expectLimitWithin(parse: () => unknown, limit: string, withinMs = 1000): void {
  const started = performance.now();
  let caught: unknown;
  try {
    parse();
  } catch (error) {
    caught = error;
  }
  const elapsed = performance.now() - started;
  expect(caught).toBeInstanceOf(LimitError);
  expect((caught as LimitError).code).toBe('LIMIT_EXCEEDED');
  expect((caught as LimitError).limit).toBe(limit);
  expect(elapsed).toBeLessThan(withinMs);
}
