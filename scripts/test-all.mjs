#!/usr/bin/env node
// `npm test`: everything CI runs, in order — typecheck, lint (eslint + web-ext lint), vitest unit+ui,
// vitest interop, build, end-to-end in Thunderbird. `--e2e` (`npm run test:e2e`) runs only the build and
// the end-to-end scenarios, grouped into profiles as below. Every stage runs even if an earlier one failed
// (except e2e, which needs the build), so one run shows all problems.
//
// Counting: each vitest test case and each e2e scenario counts once; typecheck, lint and build count
// as one check each. A vitest file that fails to load counts as one failure. The last line is exactly
// `N passed, N failed`; the exit code is non-zero if anything failed.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS = path.join(ROOT, 'test-results');
const BIN = path.join(ROOT, 'node_modules/.bin');
const APT = 'apt-get install -y thunderbird xvfb openssl libnss3-tools zip imagemagick';
const REQUIRED_TOOLS = ['thunderbird', 'Xvfb', 'openssl', 'certutil', 'cmsutil', 'pk12util', 'zip', 'import'];

fs.mkdirSync(RESULTS, { recursive: true });
const started = Date.now();
const missing = REQUIRED_TOOLS.filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
if (missing.length > 0) {
  console.error(`missing system tools: ${missing.join(', ')}`);
  console.error(`install them with: ${APT}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

function run(command, args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
    child.once('exit', (code, signal) => resolve(code === 0 && signal === null));
    child.once('error', (error) => {
      console.error(error);
      resolve(false);
    });
  });
}

/** One check that passes or fails as a whole. */
function check(name, steps) {
  return {
    name,
    async run() {
      for (const [command, args, env] of steps) if (!(await run(command, args, env))) return { passed: 0, failed: 1 };
      return { passed: 1, failed: 0 };
    },
  };
}

/** A vitest run; counts come from its JSON report. */
function vitest(name, projects) {
  const report = path.join(RESULTS, `vitest-${name}.json`);
  return {
    name,
    async run() {
      fs.rmSync(report, { force: true });
      const ok = await run(path.join(BIN, 'vitest'), [
        // vitest's default in run mode is one worker less than the CPUs: one worker on a 2-core CI.
        // The tests are CPU-bound and the main process idles, so use every core.
        'run', ...projects.flatMap((p) => ['--project', p]), '--passWithNoTests', `--maxWorkers=${os.availableParallelism()}`,
        '--reporter=default', '--reporter=json', `--outputFile.json=${report}`,
      ]);
      if (!fs.existsSync(report)) return { passed: 0, failed: 1, note: 'vitest wrote no report' };
      const json = JSON.parse(fs.readFileSync(report, 'utf8'));
      const brokenFiles = json.testResults.filter((file) => file.status === 'failed' && file.assertionResults.length === 0).length;
      const failed = json.numFailedTests + brokenFiles;
      const skipped = json.numPendingTests + json.numTodoTests;
      const failures = json.testResults.flatMap((file) => {
        const where = path.relative(ROOT, file.name);
        const cases = file.assertionResults.filter((test) => test.status === 'failed');
        if (file.status === 'failed' && cases.length === 0) return [`${where}: ${(file.message ?? '').split('\n')[0]}`];
        return cases.map((test) => `${where} > ${test.fullName}: ${(test.failureMessages?.[0] ?? '').split('\n')[0]}`);
      });
      const result = { passed: json.numPassedTests, failed, failures, note: skipped ? `${skipped} skipped` : '' };
      if (!ok && failed === 0) result.failed = 1; // vitest failed for a reason its report does not count
      return result;
    },
  };
}

/** Product build twice (the .xpi must come out byte-identical, docs/decisions.md D4), then the test build. */
function buildReproducibly() {
  const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
  const xpi = path.join(ROOT, `web-ext-artifacts/waxseal-${version}.xpi`);
  return {
    name: 'build',
    async run() {
      const hashes = [];
      for (let i = 0; i < 2; i++) {
        if (!(await run(process.execPath, ['scripts/build.mjs']))) return { passed: 0, failed: 1 };
        hashes.push(createHash('sha256').update(fs.readFileSync(xpi)).digest('hex'));
      }
      if (hashes[0] !== hashes[1]) return { passed: 0, failed: 1, note: `not reproducible: ${hashes.join(' vs ')}` };
      if (!(await run(process.execPath, ['scripts/build.mjs'], { WAXSEAL_TEST: '1' }))) return { passed: 0, failed: 1, note: 'test build failed' };
      return { passed: 1, failed: 0, note: `xpi sha256 ${hashes[0].slice(0, 16)}…` };
    },
  };
}

// Scenarios that set up Waxseal's key store their own way (provisioned records, a first-run import through
// the options page, a restart) run in a Thunderbird profile of their own, so one scenario's store never
// becomes another's precondition. Every other scenario runs in the first, shared profile.
const E2E_OWN_PROFILE = [
  ['read-banner-states', 'read-encrypted'],
  ['read-banner-latency', 'read-compose-harvested'],
  ['options-import-export'],
  ['directory-ldap-experiment', 'directory-compose-send', 'directory-down-compose', 'directory-slow-compose'],
  ['keys-import', 'keys-after-restart'],
  // #9: its own Thunderbird from a private installation holding its policies.json.
  ['managed-policy'],
];

async function e2eGroups() {
  const { scenarios } = await import('../test/e2e/scenarios.mjs');
  const names = scenarios.map((scenario) => scenario.name);
  const own = E2E_OWN_PROFILE.flat();
  const unknown = own.filter((name) => !names.includes(name));
  if (unknown.length > 0) throw new Error(`scripts/test-all.mjs names e2e scenarios that do not exist: ${unknown.join(', ')}`);
  return [names.filter((name) => !own.includes(name)), ...E2E_OWN_PROFILE];
}

function e2e() {
  return {
    name: 'e2e (Thunderbird)',
    async run() {
      let passed = 0;
      let failed = 0;
      const failures = [];
      const groups = await e2eGroups();
      for (const [index, group] of groups.entries()) {
        const report = path.join(RESULTS, `e2e-summary-${index + 1}.json`);
        fs.rmSync(report, { force: true });
        const ok = await run(process.execPath, ['test/e2e/run.mjs', '--no-build', '--only', group.join(','), '--json', report]);
        if (!fs.existsSync(report)) {
          failed += 1;
          continue;
        }
        const summary = JSON.parse(fs.readFileSync(report, 'utf8'));
        passed += summary.passed;
        failed += ok || summary.failed > 0 ? summary.failed : 1;
        for (const scenario of summary.results ?? []) if (scenario.ok === false) failures.push(`${scenario.name}: ${scenario.error ?? ''}`);
      }
      return { passed, failed, failures };
    },
  };
}

const stages = [
  check('typecheck', [[path.join(BIN, 'tsc'), ['-p', 'tsconfig.json', '--noEmit']], [path.join(BIN, 'tsc'), ['-p', 'tsconfig.crypto.json', '--noEmit']]]),
  check('lint', [[path.join(BIN, 'eslint'), ['.']], [process.execPath, ['scripts/lint-extension.mjs']]]),
  vitest('unit+ui', ['unit', 'ui']),
  vitest('interop', ['interop']),
  buildReproducibly(),
  e2e(),
];

const E2E_ONLY = process.argv.includes('--e2e');
const summary = [];
let buildOk = true;
for (const stage of stages.filter((s) => !E2E_ONLY || s.name === 'build' || s.name.startsWith('e2e'))) {
  const t = Date.now();
  console.log(`\n=== ${stage.name} ===`);
  const result = stage.name.startsWith('e2e') && !buildOk ? { passed: 0, failed: 1, note: 'not run: build failed' } : await stage.run();
  if (stage.name === 'build') buildOk = result.failed === 0;
  result.seconds = Math.round((Date.now() - t) / 1000);
  summary.push({ stage: stage.name, ...result });
  console.log(`=== ${stage.name}: ${result.failed === 0 ? 'OK' : 'FAILED'} (${result.passed} passed, ${result.failed} failed${result.note ? ', ' + result.note : ''}, ${result.seconds} s)`);
}

console.log('\nstage                 passed  failed  seconds');
for (const s of summary) {
  console.log(`${s.stage.padEnd(22)}${String(s.passed).padStart(6)}${String(s.failed).padStart(8)}${String(s.seconds).padStart(9)}${s.note ? '  ' + s.note : ''}`);
}
const failures = summary.flatMap((s) => (s.failures ?? []).map((line) => `${s.stage}: ${line}`));
if (failures.length > 0) {
  console.log('\nfailed:');
  for (const line of failures) console.log(`  ${line.slice(0, 400)}`);
}
fs.writeFileSync(path.join(RESULTS, 'summary.json'), JSON.stringify({ seconds: Math.round((Date.now() - started) / 1000), stages: summary }, null, 2) + '\n');
const passed = summary.reduce((n, s) => n + s.passed, 0);
const failed = summary.reduce((n, s) => n + s.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
