// Starting and stopping Xvfb and Thunderbird. Everything is stopped by the PID we spawned, never by
// name, so several runs (and other people's Thunderbirds) can share the machine.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { withTimeout } from './marionette-client.mjs';

export const THUNDERBIRD = process.env.WAXSEAL_THUNDERBIRD || '/usr/bin/thunderbird';

/** Xvfb on a display it picks itself (-displayfd), so parallel runs never collide. */
export async function startXvfb(children, { timeoutMs = 20_000 } = {}) {
  const proc = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x900x24', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  children.push({ name: 'Xvfb', proc });
  const display = await withTimeout(
    new Promise((resolve, reject) => {
      let text = '';
      proc.stdio[3].on('data', (data) => {
        text += String(data);
        if (text.includes('\n')) resolve(':' + text.trim());
      });
      proc.once('error', reject);
      proc.once('exit', (code) => reject(new Error(`Xvfb exited with ${code}`)));
    }),
    timeoutMs,
    'Xvfb display number',
  );
  return display;
}

/**
 * Thunderbird with its own TMPDIR: it writes outgoing mail and display copies there, and a shared
 * TMPDIR broke parallel runs (docs/thunderbird.md §6). /usr/bin/thunderbird execs the real binary, so
 * the PID we get is Thunderbird's. `executable` starts another installation (lib/private-install.mjs).
 */
export function startThunderbird(children, { profile, display, tmpDir, logFile, marionette = false, headless = false, executable = THUNDERBIRD }) {
  fs.mkdirSync(tmpDir, { recursive: true });
  const env = { ...process.env, TMPDIR: tmpDir, MOZ_CRASHREPORTER_DISABLE: '1', NO_AT_BRIDGE: '1' };
  if (headless) env.MOZ_HEADLESS = '1';
  else env.DISPLAY = display;
  const args = ['--no-remote', '--profile', profile];
  if (headless) args.push('--headless');
  if (marionette) args.push('--marionette', '--remote-allow-system-access');
  const log = fs.openSync(logFile, 'a');
  const proc = spawn(executable, args, { env, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  children.push({ name: 'thunderbird', proc });
  return proc;
}

/** X screenshot of the whole screen; returns false (and says why) if it could not be taken. */
export function screenshot(display, file) {
  if (!display) return false;
  const result = spawnSync('import', ['-display', display, '-window', 'root', file], { timeout: 20_000 });
  return result.status === 0;
}

/** SIGTERM in reverse start order, SIGKILL after a bounded wait. */
export async function stopAll(children, log = () => {}) {
  for (const { name, proc } of children.splice(0).reverse()) {
    if (proc.exitCode !== null || proc.signalCode !== null) continue;
    const exited = new Promise((resolve) => proc.once('exit', () => resolve(true)));
    proc.kill('SIGTERM');
    const clean = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve(false), 10_000))]);
    if (!clean) {
      proc.kill('SIGKILL');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    }
    log(`stopped ${name} pid ${proc.pid} (${clean ? 'SIGTERM' : 'SIGKILL'})`);
  }
}
