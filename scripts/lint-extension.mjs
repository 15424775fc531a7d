#!/usr/bin/env node
// Runs `web-ext lint` (Mozilla's addons-linter) on a fresh dist/ and fails on every error, warning or
// notice that web-ext-lint-allowlist.json does not list with a reason. Prints the findings it allowed.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const allowlist = JSON.parse(fs.readFileSync(path.join(ROOT, 'web-ext-lint-allowlist.json'), 'utf8')).allow;

// Lint what we ship: rebuild dist/ first (fast, no packing).
execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs'), '--no-pack'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });

const run = spawnSync(
  path.join(ROOT, 'node_modules/.bin/web-ext'),
  ['lint', '--source-dir', path.join(ROOT, 'dist'), '--output', 'json', '--no-config-discovery'],
  { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
);
let report;
try {
  report = JSON.parse(run.stdout);
} catch (error) {
  console.error(run.stdout, run.stderr);
  throw new Error(`web-ext lint produced no JSON report (exit ${run.status})`, { cause: error });
}

const findings = ['errors', 'warnings', 'notices'].flatMap((kind) => report[kind].map((f) => ({ kind, ...f })));
const used = new Set();
const unexpected = [];
for (const finding of findings) {
  // An error can only be allowed by an entry that says so, so a warning entry never hides an error.
  const severity = finding.kind === 'errors' ? 'error' : 'warning';
  const index = allowlist.findIndex(
    (a) => a.code === finding.code && a.file === finding.file && (!a.message || finding.message.includes(a.message)) && (a.severity ?? 'warning') === severity,
  );
  if (index < 0) unexpected.push(finding);
  else used.add(index);
}

for (const index of [...used].sort()) console.log(`allowed: ${allowlist[index].code} ${allowlist[index].file}: ${allowlist[index].reason}`);
allowlist.forEach((entry, index) => {
  if (!used.has(index)) console.log(`note: allowlist entry no longer needed: ${entry.code} ${entry.file} ${entry.message ?? ''}`);
});
for (const f of unexpected) console.error(`${f.kind.slice(0, -1)}: ${f.code} ${f.file ?? ''}${f.line ? ':' + f.line : ''} ${f.message}`);
console.log(`web-ext lint: ${findings.length} findings, ${findings.length - unexpected.length} allowed, ${unexpected.length} not allowed`);
if (unexpected.length > 0) {
  console.error('Fix the finding, or if it cannot be removed (e.g. a Thunderbird-only permission), add it with the reason to');
  console.error('web-ext-lint-allowlist.json; a new permission also goes into test/unit/foundation/manifest.test.ts and docs/decisions.md D2.');
}
process.exit(unexpected.length === 0 ? 0 : 1);
