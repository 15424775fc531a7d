#!/usr/bin/env node
// `npm run bench`: runs every bench/*.bench.mjs in its own Node process, one after another (the
// machine has 2 cores; parallel runs would distort each other). Benchmarks print their own numbers;
// performance is measured here, never asserted in tests (docs/performance.md).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.join(ROOT, 'bench');
const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.bench.mjs')).sort() : [];
if (files.length === 0) {
  console.log('no benchmarks yet (add bench/<name>.bench.mjs)');
  process.exit(0);
}
let failed = 0;
for (const file of files) {
  console.log(`\n=== ${file} ===`);
  const result = spawnSync(process.execPath, [path.join(dir, file), ...process.argv.slice(2)], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) {
    failed++;
    console.error(`${file} failed (exit ${result.status})`);
  }
}
process.exit(failed === 0 ? 0 : 1);
