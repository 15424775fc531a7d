// Provisions Waxseal inside the running Thunderbird for the send scenarios: the key store records
// made by test/helpers/keystore-provisioning.ts (real key store code) are written into Waxseal's own
// IndexedDB, and per-identity compose defaults into its storage.local, both through Marionette's
// chrome context. Reusable by any scenario that needs Waxseal to have keys.
// TEST KEYS AND PASSPHRASE — NOT SECRET.
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { mainWindow } from '../lib/marionette-pages.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const WAXSEAL_ID = 'waxseal@waxseal.org';

let provisioned = null;

/** The provisioning records and PEM material, generated once per run (certificates made now, so nothing expires). */
export function provisioning() {
  provisioned ??= (async () => {
    const out = path.join(ROOT, '.tmp/e2e-provisioning/provision.mjs');
    await build({
      entryPoints: [path.join(ROOT, 'test/helpers/keystore-provisioning.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: out,
      // Bundled whole, so the reflect-metadata polyfill runs before @peculiar/x509 loads.
      banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
      logLevel: 'warning',
    });
    const module = await import(pathToFileURL(out).href);
    return module.provisionKeystore();
  })();
  return provisioned;
}

const WRITE_KEYSTORE = `
  const [stores, id] = arguments;
  const policy = WebExtensionPolicy.getByID(id);
  if (!policy || !policy.extension) return 'not-ready';
  const extension = policy.extension;
  const decode = (v) => {
    if (Array.isArray(v)) return v.map(decode);
    if (v && typeof v === 'object') {
      if (typeof v.$bytes === 'string') return Uint8Array.from(atob(v.$bytes), (c) => c.charCodeAt(0));
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decode(x)]));
    }
    return v;
  };
  return new Promise((resolve, reject) => {
    const request = indexedDB.openForPrincipal(extension.principal, 'waxseal-keystore');
    request.onerror = () => reject(new Error('open: ' + request.error));
    request.onsuccess = () => {
      const db = request.result;
      const names = Object.keys(stores).filter((n) => stores[n].length > 0);
      // Waxseal creates its stores when its background first opens the database: wait for that.
      if (!names.every((n) => db.objectStoreNames.contains(n))) { db.close(); resolve('not-ready'); return; }
      const tx = db.transaction(names, 'readwrite');
      for (const name of names) for (const record of stores[name]) tx.objectStore(name).put(decode(record));
      tx.oncomplete = () => { db.close(); resolve(names.map((n) => n + ':' + stores[n].length).join(' ')); };
      tx.onerror = () => reject(new Error('write: ' + tx.error));
    };
  });`;

/**
 * Writes key store records into Waxseal's database in the running Thunderbird over Marionette's chrome
 * context (`client` already there); waits (bounded) until Waxseal has created its database. Answers
 * what it wrote, as `identities:1 people:2 …`.
 */
export async function writeKeystoreRecords(client, stores, { timeoutMs = 60_000 } = {}) {
  await client.cmd('Marionette:SetContext', { value: 'chrome' });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const written = await client.cmd('WebDriver:ExecuteScript', { script: WRITE_KEYSTORE, args: [stores, WAXSEAL_ID] }).catch((error) => ({ value: `not-ready: ${error.message ?? error}` }));
    if (!String(written.value).startsWith('not-ready')) return written.value;
    if (Date.now() > deadline) throw new Error(`Waxseal's key store did not appear in Thunderbird (${written.value})`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

const WRITE_DEFAULTS = `
  const [value, id] = arguments;
  const { ExtensionStorageIDB } = ChromeUtils.importESModule('resource://gre/modules/ExtensionStorageIDB.sys.mjs');
  const extension = WebExtensionPolicy.getByID(id).extension;
  return (async () => {
    const db = await ExtensionStorageIDB.open(ExtensionStorageIDB.getStoragePrincipal(extension));
    await db.set({ composeDefaults: value });
    return JSON.stringify(await db.get('composeDefaults'));
  })();`;

/** Marionette on Thunderbird's main window (an earlier step may have left it on a closed popup). */
async function mainWindowOf(marionette) {
  return mainWindow(await marionette());
}

async function handlesOf(client) {
  const reply = await client.cmd('WebDriver:GetWindowHandles');
  return Array.isArray(reply) ? reply : reply.value;
}

/** Writes the provisioned key store into Waxseal's database in Thunderbird. */
export async function provisionWaxseal(marionette) {
  const { stores } = await provisioning();
  return writeKeystoreRecords(await mainWindowOf(marionette), stores);
}

/** Sets the compose defaults of alice@example.com (sign every message, encrypt when possible, require encryption). */
export async function setComposeDefaults(marionette, defaults) {
  const client = await mainWindowOf(marionette);
  const written = await client.cmd('WebDriver:ExecuteScript', { script: WRITE_DEFAULTS, args: [{ 'alice@example.com': defaults }, WAXSEAL_ID] });
  return written.value;
}

const FIND_UNLOCK_WINDOW = `
  for (const win of Services.wm.getEnumerator(null)) {
    const browser = win.document.querySelector('browser');
    const url = browser?.currentURI?.spec ?? '';
    if (url.includes('/compose/index.html') && url.includes('mode=unlock')) { win.focus(); browser.focus(); return true; }
  }
  return false;`;

/** Types the passphrase into Waxseal's unlock window (opened by a send) and presses Enter. */
export async function answerUnlockWindow(marionette, passphrase, { timeoutMs = 20_000, beforeTyping = async () => {} } = {}) {
  const client = await marionette();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const handle of await handlesOf(client)) {
      await client.cmd('WebDriver:SwitchToWindow', { handle });
      const found = await client.cmd('WebDriver:ExecuteScript', { script: `const b = document.querySelector('browser'); return b?.currentURI?.spec ?? '';`, args: [] });
      if (String(found.value).includes('mode=unlock')) {
        await client.cmd('WebDriver:ExecuteScript', { script: FIND_UNLOCK_WINDOW, args: [] });
        await new Promise((resolve) => setTimeout(resolve, 1000));
        await beforeTyping();
        const keys = [...passphrase].flatMap((c) => [{ type: 'keyDown', value: c }, { type: 'keyUp', value: c }]);
        keys.push({ type: 'keyDown', value: '\uE007' }, { type: 'keyUp', value: '\uE007' });
        await client.cmd('WebDriver:PerformActions', { actions: [{ type: 'key', id: 'keyboard', actions: keys }] });
        await client.cmd('WebDriver:ReleaseActions');
        await mainWindowOf(marionette);
        return handle;
      }
    }
    if (Date.now() > deadline) throw new Error('Waxseal\'s unlock window did not open');
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

/** Waits for a Waxseal window whose URL contains `marker` and returns that URL. */
export async function findWaxsealWindow(marionette, marker, timeoutMs = 15_000) {
  const client = await mainWindowOf(marionette);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await client.cmd('WebDriver:ExecuteScript', {
      script: `const [marker] = arguments;
        for (const win of Services.wm.getEnumerator(null)) {
          const spec = win.document.querySelector('browser')?.currentURI?.spec ?? '';
          if (spec.includes(marker)) { win.focus(); return spec; }
        }
        return null;`,
      args: [marker],
    });
    if (found.value) {
      // Let the page render, and Waxseal bring it to the front, before the screenshot.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      return found.value;
    }
    if (Date.now() > deadline) throw new Error(`no Waxseal window with ${marker}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}
