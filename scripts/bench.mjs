#!/usr/bin/env node
// `npm run bench`: runs every bench/*.bench.mjs in its own Node process, one after another (the
// machine has 2 cores; parallel runs would distort each other). Benchmarks print their own numbers and
// record one row per goal (bench/results.mjs); this script ends with one table of every goal, its ratio
// against openssl from the same run and whether it holds. Performance is measured here, never asserted in
// tests (docs/performance.md). `npm run bench -- --only=sign,verify` runs a subset.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.join(ROOT, 'bench');
const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice(7).split(',');
const passOn = process.argv.slice(2).filter((arg) => !arg.startsWith('--only='));
const files = (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.bench.mjs')).sort() : [])
  .filter((f) => !only || only.includes(f.replace('.bench.mjs', '')));
if (files.length === 0) {
  console.log('no benchmarks to run (add bench/<name>.bench.mjs)');
  process.exit(0);
}
const resultsFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'waxseal-bench-results-')), 'rows.jsonl');
fs.writeFileSync(resultsFile, '');
const loadBefore = os.loadavg();
const started = performance.now();
let failed = 0;
for (const file of files) {
  console.log(`\n=== ${file} ===`);
  const result = spawnSync(process.execPath, [path.join(dir, file), ...passOn], {
    cwd: ROOT, stdio: 'inherit', env: { ...process.env, WAXSEAL_BENCH_RESULTS: resultsFile },
  });
  if (result.status !== 0) {
    failed++;
    console.error(`${file} failed (exit ${result.status})`);
  }
}
const rows = fs.readFileSync(resultsFile, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
fs.rmSync(path.dirname(resultsFile), { recursive: true, force: true });

const header = ['goal', 'what', 'figure', 'ratio', 'target', ''];
const cells = rows.map((row) => [row.goal, row.what, row.figure, row.ratio === null ? '' : `${row.ratio.toFixed(2)}x`, row.target, row.ok ? '✓' : '✗']);
const widths = header.map((title, i) => Math.max(title.length, ...cells.map((cell) => cell[i].length)));
const format = (cell) => `| ${cell.map((text, i) => text.padEnd(widths[i])).join(' | ')} |`;
console.log(`\n=== summary: ${rows.filter((row) => row.ok).length} of ${rows.length} goals hold ===`);
console.log(`node ${process.version}, ${os.cpus().length} cores, load average ${loadBefore.map((l) => l.toFixed(1)).join(' ')} at the start, ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} at the end; ${((performance.now() - started) / 60000).toFixed(1)} min`);
console.log('ratios: Waxseal / openssl (or / the stated reference) measured in the same run\n');
console.log(format(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const cell of cells) console.log(format(cell));
process.exit(failed === 0 ? 0 : 1);
