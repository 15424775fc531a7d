/* global browser -- WebExtension global inside Thunderbird */
// Test-only companion extension for Waxseal's end-to-end rig.
// - Receives what Waxseal's test build reports (runtime.sendMessage to this id; only from Waxseal).
// - Asks the runner for the next scenario (GET /next), runs it with messenger.* APIs (scenarios.js),
//   and posts the result (POST /result). The runner's port comes from rig.json, written at install.
import { scenarios } from './scenarios.js';

const WAXSEAL_ID = 'waxseal@waxseal.org';
const waxsealEvents = [];
const waiters = [];

// Registered synchronously at the top level so no early report is lost.
browser.runtime.onMessageExternal.addListener((message, sender) => {
  if (sender.id !== WAXSEAL_ID || message?.waxsealTest !== 1) return false;
  waxsealEvents.push(message);
  for (const waiter of waiters.splice(0)) waiter();
  void post('/waxseal-event', { event: message.event }).catch(() => {});
  return Promise.resolve({ received: true });
});

const config = await (await fetch(browser.runtime.getURL('rig.json'))).json();
const BASE = `http://127.0.0.1:${config.port}`;

async function post(path, body) {
  const response = await fetch(BASE + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return response.json();
}

const ctx = {
  post,
  async fixture(name) {
    const response = await fetch(`${BASE}/fixtures/${encodeURIComponent(name)}`);
    if (!response.ok) throw new Error(`fixture ${name}: HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  },
  /** Tells the runner a step is done, for scenarios with runner-side steps (`drive`). */
  signal: (name, data = null) => post('/signal', { name, data }),
  /** Waits until the runner's `drive` calls `release(name)` (a runner-side step, e.g. a Marionette check, is done). */
  async awaitRunner(name, ms = 20_000) {
    return ctx.withTimeout(post('/await', { name }), ms, `the runner releasing ${name}`);
  },
  /** Asks the runner for an X screenshot of a named step. */
  screenshot: (name) => post('/screenshot', { name }),
  /** The first Waxseal report matching `predicate`, waiting up to `ms`. */
  waitForWaxseal(predicate, ms = 20_000) {
    return new Promise((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error(`no matching report from Waxseal within ${ms} ms`)), ms);
      const check = () => {
        const found = waxsealEvents.find(predicate);
        if (found) { clearTimeout(deadline); resolve(found); } else waiters.push(check);
      };
      check();
    });
  },
  withTimeout(promise, ms, what) {
    let timer;
    return Promise.race([promise.finally(() => clearTimeout(timer)), new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`timeout after ${ms} ms: ${what}`)), ms); })]);
  },
};

await post('/ready', { browserInfo: await browser.runtime.getBrowserInfo() });
for (;;) {
  const next = await (await fetch(`${BASE}/next`)).json();
  if (next.done) break;
  const started = performance.now();
  let result;
  try {
    const run = scenarios[next.name];
    if (!run) throw new Error(`the companion has no scenario ${next.name}`);
    const data = await ctx.withTimeout(run(next.args ?? {}, ctx), next.timeoutMs, `scenario ${next.name}`);
    result = { name: next.name, ok: true, data };
  } catch (error) {
    result = { name: next.name, ok: false, error: String(error?.stack ?? error) };
  }
  result.ms = Math.round(performance.now() - started);
  await post('/result', result);
}
