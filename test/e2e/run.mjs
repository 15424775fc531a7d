#!/usr/bin/env node
// Waxseal's end-to-end rig: a real Thunderbird under Xvfb with the freshly built Waxseal (test build,
// docs/decisions.md D3) and the test-only companion extension, a local SMTP sink, and a loopback HTTP
// endpoint through which the companion receives scenarios and returns results.
//
//   node test/e2e/run.mjs [--only name,name] [--out dir] [--json file] [--headless] [--no-build]
//
// Exit code 0 only if every selected scenario passed. The last line is `e2e: N passed, N failed`.
// Artefacts (screenshots of named steps and of every failure, thunderbird.log, summary.json) go to
// test-results/e2e/<run id>/ unless --out says otherwise.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectMarionette, withTimeout } from './lib/marionette-client.mjs';
import { makePrivateInstall } from './lib/private-install.mjs';
import { writeProfile } from './lib/profile.mjs';
import { screenshot, startThunderbird, startXvfb, stopAll, THUNDERBIRD } from './lib/processes.mjs';
import { startSmtpSink } from './lib/smtp-sink.mjs';
import { scenarios as registry } from './scenarios.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf('--' + name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const flag = (name) => process.argv.includes('--' + name);

const RUN_ID = `${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}-${process.pid}`;
// Each run writes to its own directory so two runs in one working tree never clobber each other.
const OUT = path.resolve(arg('out', path.join(ROOT, 'test-results/e2e', RUN_ID)));
const JSON_OUT = path.resolve(arg('json', path.join(OUT, 'summary.json')));
const HEADLESS = flag('headless');
const ONLY = arg('only', '') ? arg('only', '').split(',') : null;
const STARTUP_TIMEOUT_MS = 90_000;
const SCENARIO_TIMEOUT_MS = 45_000;
const WAXSEAL_ID = 'waxseal@waxseal.org';
const COMPANION_ID = 'waxseal-e2e-companion@waxseal.org';

const T0 = Date.now();
const log = (...parts) => console.log(`[e2e ${((Date.now() - T0) / 1000).toFixed(1)}s]`, ...parts);
const children = [];
const selected = ONLY ? registry.filter((s) => ONLY.includes(s.name)) : registry;
if (ONLY && selected.length !== ONLY.length) {
  console.error(`unknown scenario in --only; known: ${registry.map((s) => s.name).join(', ')}`);
  process.exit(2);
}

fs.rmSync(OUT, { recursive: true, force: true });
fs.mkdirSync(OUT, { recursive: true });
pruneOldRuns(path.join(ROOT, 'test-results/e2e'));
const runId = RUN_ID;
// Profile and TMPDIR in a private temp dir: two runs never share them (docs/thunderbird.md §6).
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'waxseal-e2e-'));
const results = selected.map((s) => ({ name: s.name, description: s.description, ok: false, error: 'not run', ms: 0, screenshots: [] }));

const fixtures = {};
const nextAsks = [];
const askWaiters = [];
const resultWaiters = [];
const signals = new Map();
const signalWaiters = [];
/** Runner → companion: names a runner step released (`release`), and companions waiting for one. */
const released = new Set();
const releaseWaiters = new Map();
let companionReady = null;
let readyWaiter = null;
let display = null;

/** Keeps the 10 newest run directories; never touches one younger than an hour (it may be running). */
function pruneOldRuns(dir) {
  if (!fs.existsSync(dir)) return;
  const runs = fs.readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && /^\d{8}T\d{6}-\d+$/.test(e.name))
    .map((e) => ({ dir: path.join(dir, e.name), mtime: fs.statSync(path.join(dir, e.name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const run of runs.slice(10)) if (Date.now() - run.mtime > 3_600_000) fs.rmSync(run.dir, { recursive: true, force: true });
}

function checkTools() {
  const missing = [THUNDERBIRD, 'zip', ...(HEADLESS ? [] : ['Xvfb', 'import'])].filter(
    (tool) => spawnSync('sh', ['-c', `command -v "${tool}"`]).status !== 0,
  );
  if (missing.length > 0) {
    throw new Error(`missing system tools: ${missing.join(', ')}. Install them with: apt-get install -y thunderbird xvfb zip imagemagick`);
  }
}

function startHttp() {
  const server = http.createServer(async (req, res) => {
    const reply = (code, body, type = 'application/json') => {
      res.writeHead(code, { 'content-type': type, 'access-control-allow-origin': '*' });
      res.end(type === 'application/json' ? JSON.stringify(body) : body);
    };
    const url = new URL(req.url, 'http://127.0.0.1');
    if (req.method === 'GET' && url.pathname.startsWith('/fixtures/')) {
      const name = decodeURIComponent(url.pathname.slice('/fixtures/'.length));
      return fixtures[name] ? reply(200, fixtures[name], 'application/octet-stream') : reply(404, { error: 'no such fixture' });
    }
    if (req.method === 'GET' && url.pathname === '/next') {
      nextAsks.push((body) => reply(200, body));
      for (const waiter of askWaiters.splice(0)) waiter();
      return undefined;
    }
    let text = '';
    for await (const chunk of req) text += chunk;
    let body;
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      return reply(400, { error: 'bad JSON' });
    }
    switch (url.pathname) {
      case '/ready':
        companionReady = body;
        log('companion ready in', body.browserInfo?.name, body.browserInfo?.version);
        readyWaiter?.();
        return reply(200, {});
      case '/result':
        resultWaiters.shift()?.(body);
        return reply(200, {});
      case '/screenshot': {
        const file = takeScreenshot(body.name);
        return reply(200, { file });
      }
      case '/signal':
        signals.set(body.name, body.data ?? null);
        for (const waiter of signalWaiters.splice(0)) waiter();
        return reply(200, {});
      case '/await':
        // Answered when the runner's `release(name)` has run: the companion's `ctx.awaitRunner`.
        if (released.has(body.name)) return reply(200, {});
        releaseWaiters.set(body.name, [...(releaseWaiters.get(body.name) ?? []), () => reply(200, {})]);
        return undefined;
      case '/waxseal-event':
        log('Waxseal reported', body.event);
        return reply(200, {});
      default:
        return reply(404, {});
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

let currentResult = null;
function takeScreenshot(name) {
  const safe = String(name).replace(/[^a-z0-9-]+/gi, '-');
  const file = path.join(OUT, `${safe}.png`);
  const ok = screenshot(display, file);
  if (ok) {
    currentResult?.screenshots.push(path.relative(ROOT, file));
    log('screenshot', path.relative(ROOT, file));
  }
  return ok ? path.basename(file) : null;
}

function nextAsk(ms) {
  if (nextAsks.length > 0) return Promise.resolve(nextAsks.shift());
  return withTimeout(new Promise((resolve) => askWaiters.push(() => resolve(nextAsks.shift()))), ms, 'companion asking for the next scenario');
}

/** Resolves with the data of the companion's `ctx.signal(name)` (scenarios that need runner steps). */
function waitForSignal(name, ms = 20_000) {
  return withTimeout(
    new Promise((resolve) => {
      const check = () => (signals.has(name) ? resolve(signals.get(name)) : signalWaiters.push(check));
      check();
    }),
    ms,
    `companion signal ${name}`,
  );
}

/** Lets a companion step waiting in `ctx.awaitRunner(name)` go on (a runner-side check has seen what it needed). */
function release(name) {
  released.add(name);
  for (const answer of releaseWaiters.get(name) ?? []) answer();
  releaseWaiters.delete(name);
}

/** One Marionette session, opened on first use; Thunderbird writes its port into the profile. */
let marionetteSession = null;
function marionette(profile) {
  marionetteSession ??= (async () => {
    const portFile = path.join(profile, 'MarionetteActivePort');
    const deadline = Date.now() + 30_000;
    while (!fs.existsSync(portFile)) {
      if (Date.now() > deadline) throw new Error('Thunderbird wrote no MarionetteActivePort');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const client = await connectMarionette(Number(fs.readFileSync(portFile, 'utf8')));
    await client.cmd('WebDriver:NewSession', { capabilities: { alwaysMatch: {} } });
    await client.cmd('Marionette:SetContext', { value: 'chrome' });
    return client;
  })();
  return marionetteSession;
}

function buildExtensions(port) {
  if (!flag('no-build')) {
    execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, env: { ...process.env, WAXSEAL_TEST: '1' }, stdio: 'inherit' });
  }
  const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'manifest.json'), 'utf8')).version;
  const waxseal = path.join(ROOT, `.tmp/artifacts-test/waxseal-${version}-test.xpi`);
  if (!fs.existsSync(waxseal)) throw new Error(`${waxseal} missing: run WAXSEAL_TEST=1 node scripts/build.mjs`);
  const stage = path.join(work, 'companion');
  fs.cpSync(path.join(HERE, 'companion'), stage, { recursive: true });
  fs.writeFileSync(path.join(stage, 'rig.json'), JSON.stringify({ port }));
  const companion = path.join(work, 'companion.xpi');
  execFileSync('zip', ['-q', '-r', '-X', companion, '.'], { cwd: stage });
  return [{ id: WAXSEAL_ID, xpi: waxseal }, { id: COMPANION_ID, xpi: companion }];
}

async function main() {
  checkTools();
  const sink = await startSmtpSink();
  const server = await startHttp();
  const port = server.address().port;
  log(`run ${runId}: http ${port}, smtp ${sink.port}, work dir ${work}`);
  const needsMarionette = selected.some((s) => s.marionette);
  const extensions = buildExtensions(port);
  let profile = writeProfile(path.join(work, 'profile'), { smtpPort: sink.port, extensions, marionette: needsMarionette });
  // `policies(context)` on a scenario: enterprise policies (issue #9). It runs in a fresh profile in a
  // Thunderbird started from a private installation holding its policies.json (lib/private-install.mjs).
  let executable;
  let preparedFor = null;
  const prepareManaged = async (scenario) => {
    const dir = path.join(work, `managed-${scenario.name}`);
    fs.mkdirSync(dir, { recursive: true });
    executable = makePrivateInstall(path.join(dir, 'install'), await scenario.policies({ runId, dir }));
    profile = writeProfile(path.join(dir, 'profile'), { smtpPort: sink.port, extensions, marionette: needsMarionette });
    preparedFor = scenario.name;
    log(`scenario ${scenario.name}: Thunderbird from ${executable} with distribution/policies.json`);
  };
  if (selected[0]?.policies) await prepareManaged(selected[0]);
  try {
    display = HEADLESS ? null : await startXvfb(children);
    let tb;
    let exited;
    const launch = async () => {
      companionReady = null;
      const proc = startThunderbird(children, { profile, display, tmpDir: path.join(work, 'tmp'), logFile: path.join(OUT, 'thunderbird.log'), headless: HEADLESS, marionette: needsMarionette, ...(executable ? { executable } : {}) });
      tb = proc;
      log('thunderbird pid', proc.pid, 'display', display ?? 'headless');
      exited = new Promise((_, reject) => proc.once('exit', (code) => reject(new Error(`Thunderbird exited early (code ${code}); see ${path.relative(ROOT, OUT)}/thunderbird.log`))));
      exited.catch(() => {});
      await Promise.race([withTimeout(new Promise((resolve) => { readyWaiter = resolve; if (companionReady) resolve(); }), STARTUP_TIMEOUT_MS, 'companion /ready'), exited]);
    };
    // `restartBefore: true` on a scenario: stop Thunderbird by its PID and start it again on the same
    // profile, for state that must survive a restart (the key store, issue #5).
    const restart = async (scenario) => {
      const old = tb;
      const gone = new Promise((resolve) => old.once('exit', resolve));
      if (old.exitCode === null && old.signalCode === null) {
        old.kill('SIGTERM');
        const clean = await Promise.race([gone.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 20_000))]);
        if (!clean) {
          old.kill('SIGKILL');
          await gone;
        }
        log(`restart: stopped thunderbird pid ${old.pid} (${clean ? 'SIGTERM' : 'SIGKILL'})`);
      }
      children.splice(children.findIndex((c) => c.proc === old), 1);
      // The old companion's pending /next and Marionette session died with that process.
      nextAsks.length = 0;
      if (marionetteSession) await marionetteSession.then((client) => client.close(), () => {});
      marionetteSession = null;
      fs.rmSync(path.join(profile, 'MarionetteActivePort'), { force: true });
      if (scenario?.policies) await prepareManaged(scenario);
      await launch();
    };
    await launch();

    for (const [index, scenario] of selected.entries()) {
      const result = results[index];
      currentResult = result;
      const started = Date.now();
      const context = { runId };
      try {
        Object.assign(fixtures, scenario.fixtures?.(context) ?? {});
        const args = scenario.args?.(context) ?? {};
        if (scenario.restartBefore || (scenario.policies && preparedFor !== scenario.name)) await restart(scenario);
        await scenario.before?.({ ...context, args, marionette: () => marionette(profile) });
        const timeoutMs = scenario.timeoutMs ?? SCENARIO_TIMEOUT_MS;
        const ask = await Promise.race([nextAsk(timeoutMs), exited]);
        const answer = new Promise((resolve) => resultWaiters.push(resolve));
        ask({ name: scenario.name, args, timeoutMs });
        // Runner-side steps (Marionette clicks) run while the companion waits for their effect.
        const driving = Promise.resolve(scenario.drive?.({ ...context, args, waitForSignal, release, marionette: () => marionette(profile), screenshot: takeScreenshot }));
        const drivingFailed = driving.then(() => new Promise(() => {}));
        const reply = await Promise.race([withTimeout(answer, timeoutMs + 10_000, `result of ${scenario.name}`), exited, drivingFailed]);
        await driving;
        if (!reply.ok) throw new Error(`in Thunderbird: ${reply.error}`);
        const report = await scenario.check({ result: reply.data, args, fixtures, sink, runId, out: OUT });
        // A check may return a measurement it does not judge (e.g. a latency): kept in summary.json and logged.
        if (report !== undefined) {
          result.report = report;
          log(`${scenario.name}: ${report.summary ?? JSON.stringify(report)}`);
        }
        result.ok = true;
        result.error = undefined;
      } catch (error) {
        result.error = String(error?.message ?? error);
        takeScreenshot(`fail-${scenario.name}`);
      }
      result.ms = Date.now() - started;
      log(`${result.ok ? 'PASS' : 'FAIL'} ${scenario.name} (${result.ms} ms)${result.ok ? '' : ': ' + result.error}`);
    }
    const ask = await nextAsk(10_000).catch(() => null);
    ask?.({ done: true });
  } catch (error) {
    const message = String(error?.message ?? error);
    log('rig failure:', message);
    takeScreenshot('fail-rig');
    for (const result of results) if (!result.ok && result.error === 'not run') result.error = `not run: ${message}`;
  } finally {
    currentResult = null;
    if (marionetteSession) {
      await marionetteSession.then((client) => client.close(), () => {});
    }
    await stopAll(children, log);
    await sink.close();
    server.close();
    server.closeAllConnections();
    fs.rmSync(work, { recursive: true, force: true });
  }
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  fs.mkdirSync(path.dirname(JSON_OUT), { recursive: true });
  fs.writeFileSync(JSON_OUT, JSON.stringify({ passed, failed, companion: companionReady, results }, null, 2) + '\n');
  for (const r of results) console.log(`${r.ok ? '  ok  ' : '  FAIL'} ${r.name}${r.ok ? '' : ' — ' + r.error}`);
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  return failed === 0 && results.length > 0 ? 0 : 1;
}

process.on('SIGINT', () => {
  stopAll(children, log).finally(() => process.exit(130));
});
main().then(
  (code) => process.exit(code),
  async (error) => {
    console.error(error);
    await stopAll(children, log);
    console.log(`e2e: 0 passed, ${results.length} failed`);
    process.exit(1);
  },
);
