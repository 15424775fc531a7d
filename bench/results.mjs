// One row per goal for the summary table that `npm run bench` (scripts/bench.mjs) prints at the end.
// Each benchmark runs in its own process; rows go as JSON lines to the file named by WAXSEAL_BENCH_RESULTS
// (unset when a benchmark is run on its own: then nothing is written).
import { appendFileSync } from 'node:fs';

/**
 * @param {object} row
 * @param {string} row.goal   goal number of docs/performance.md (G1..G9) or a short tag
 * @param {string} row.what   what was measured
 * @param {string} row.figure the measured figure(s), e.g. "156 ms vs openssl 149 ms"
 * @param {number|null} row.ratio Waxseal / reference, or null for absolute goals
 * @param {string} row.target the goal, e.g. "<= 1.5x" or "<= 5 ms"
 * @param {boolean} row.ok    whether the goal holds in this run
 */
export function record(row) {
  const target = process.env.WAXSEAL_BENCH_RESULTS;
  if (target) appendFileSync(target, `${JSON.stringify(row)}\n`);
}
