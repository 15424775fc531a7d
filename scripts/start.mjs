#!/usr/bin/env node
// `npm start`: try Waxseal in a real Thunderbird without touching your own profile.
//  1. checks the system tools (installs them with apt-get when run as root, otherwise says what to install)
//     and the npm dependencies (runs `npm ci` if node_modules is missing);
//  2. builds the product .xpi;
//  3. writes a throw-away demo profile (Local Folders, identity alice@example.com, an SMTP server on a
//     local sink that saves every sent message as .eml) with Waxseal installed, and starts Thunderbird.
// Quit Thunderbird or press Ctrl-C to end; the demo profile is deleted, sent mail is kept and listed.
//
//   --xvfb                  run on a private Xvfb display (no screen needed), e.g. for screenshots
//   --screenshot FILE       with --xvfb: take a screenshot after --seconds and quit
//   --seconds N             (default 8)
//   --no-demo               an empty profile: no demo key store and no sample messages (scripts/demo/)
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf('--' + name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const XVFB = process.argv.includes('--xvfb');
const SHOT = arg('screenshot', null);
const DEMO = !process.argv.includes('--no-demo');
const APT_PACKAGES = ['thunderbird', 'zip', ...(XVFB ? ['xvfb', 'imagemagick'] : [])];
const TOOLS = { thunderbird: 'thunderbird', zip: 'zip', xvfb: 'Xvfb', imagemagick: 'import' };

const has = (tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
const missing = APT_PACKAGES.filter((pkg) => !has(TOOLS[pkg]));
if (missing.length > 0) {
  if (process.getuid?.() === 0) {
    console.log(`installing ${missing.join(' ')} with apt-get`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-q', ...missing], { stdio: 'inherit', env });
  } else {
    console.error(`Waxseal's demo needs: ${missing.join(', ')}. Install with: sudo apt-get install -y ${missing.join(' ')}`);
    process.exit(1);
  }
}
if (!fs.existsSync(path.join(ROOT, 'node_modules/.bin/esbuild'))) execFileSync('npm', ['ci'], { cwd: ROOT, stdio: 'inherit' });
if (!XVFB && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  console.error('No screen found (DISPLAY is not set). Run with --xvfb to use a virtual screen.');
  process.exit(1);
}

execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'inherit' });

// The rig's helpers: the same profile and process handling as the end-to-end tests.
const { writeProfile } = await import('../test/e2e/lib/profile.mjs');
const { startXvfb, startThunderbird, screenshot, stopAll } = await import('../test/e2e/lib/processes.mjs');
const { startSmtpSink } = await import('../test/e2e/lib/smtp-sink.mjs');
const { connectMarionette } = await import('../test/e2e/lib/marionette-client.mjs');
const demoData = await import('./demo/demo-data.mjs');

const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'manifest.json'), 'utf8')).version;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'waxseal-demo-'));
const sentDir = path.join(ROOT, '.tmp/demo-sent');
fs.mkdirSync(sentDir, { recursive: true });
const children = [];
const sink = await startSmtpSink();
// The demo (scripts/demo/): certificates and openssl-made samples now, the key store once Waxseal runs.
const demo = DEMO ? await demoData.prepareDemo(path.join(work, 'demo')) : null;
const profile = writeProfile(path.join(work, 'profile'), {
  smtpPort: sink.port,
  extensions: [{ id: 'waxseal@waxseal.org', xpi: path.join(ROOT, `web-ext-artifacts/waxseal-${version}.xpi`) }],
  marionette: Boolean(demo),
  extraPrefs: demo ? demoData.DEMO_PREFS : {},
});
if (demo) demoData.writeDemoFolder(profile, demo.messages);
const display = XVFB ? await startXvfb(children) : process.env.DISPLAY;
const tb = startThunderbird(children, { profile, display, tmpDir: path.join(work, 'tmp'), logFile: path.join(work, 'thunderbird.log'), marionette: Boolean(demo) });
console.log(`Thunderbird (pid ${tb.pid}) runs with Waxseal ${version} in a demo profile${XVFB ? ` on Xvfb ${display}` : ''}.`);
console.log(`Mail you send goes to a local sink and is saved in ${path.relative(ROOT, sentDir)}/. Quit Thunderbird or press Ctrl-C to end.`);

if (demo) {
  // Marionette (localhost only, this throw-away profile) writes the demo key store into Waxseal's database.
  const portFile = path.join(profile, 'MarionetteActivePort');
  const deadline = Date.now() + 60_000;
  while (!fs.existsSync(portFile) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
  try {
    const client = await connectMarionette(Number(fs.readFileSync(portFile, 'utf8')));
    await client.cmd('WebDriver:NewSession', { capabilities: { alwaysMatch: {} } });
    console.log(`demo key store: ${await demoData.provisionDemoKeystore(client, demo.stores)}`);
    console.log(`demo folder: ${await demoData.showDemoFolder(client) ?? 'not found by Thunderbird'} messages`);
    await client.close();
    console.log(demoData.instructions(demo));
  } catch (error) {
    console.error(`The demo key store could not be written (${error.message ?? error}); Waxseal runs with an empty key store.`);
  }
}

let saved = 0;
const saver = setInterval(() => {
  while (saved < sink.messages.length) {
    const file = path.join(sentDir, `sent-${Date.now()}-${saved}.eml`);
    fs.writeFileSync(file, sink.messages[saved++].bytes);
    console.log(`sent message saved: ${path.relative(ROOT, file)}`);
  }
}, 500);

async function finish(code) {
  clearInterval(saver);
  await stopAll(children);
  await sink.close();
  fs.rmSync(work, { recursive: true, force: true });
  process.exit(code);
}
process.on('SIGINT', () => void finish(130));
process.on('SIGTERM', () => void finish(143));
tb.once('exit', () => void finish(0));
if (SHOT) {
  setTimeout(() => {
    const ok = screenshot(display, path.resolve(SHOT));
    console.log(ok ? `screenshot: ${SHOT}` : 'screenshot failed');
    void finish(ok ? 0 : 1);
  }, Number(arg('seconds', 8)) * 1000);
}
