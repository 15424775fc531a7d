// Marionette helpers the scenarios share: the main window, Waxseal's options page in a real Thunderbird
// tab, and the openssl runner. The options tab is a remote <browser>, which Marionette's content
// context does not list in Thunderbird, so the page is reached through a frame script that the chrome
// context loads into that browser: it evaluates test code in the page, or sends Waxseal requests with the
// page's own runtime.sendMessage.
import { execFileSync } from 'node:child_process';

const WAXSEAL_ID = 'waxseal@waxseal.org';
const TAG = 'options';

/** Runs openssl; a missing binary or a failure is an Error that says what to install or what openssl said. */
export function openssl(args, input) {
  try {
    return execFileSync('openssl', args, { input, stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    if (error.code === 'ENOENT') throw new Error('openssl is missing: apt-get install -y openssl libnss3-tools');
    throw new Error(`openssl ${args[0]} failed: ${error.stderr?.toString() ?? error.message}`);
  }
}

/** Switches Marionette to chrome context and Thunderbird's main window. */
export async function mainWindow(client) {
  await client.cmd('Marionette:SetContext', { value: 'chrome' });
  const reply = await client.cmd('WebDriver:GetWindowHandles');
  for (const handle of Array.isArray(reply) ? reply : reply.value) {
    await client.cmd('WebDriver:SwitchToWindow', { handle });
    const type = await client.cmd('WebDriver:ExecuteScript', { script: 'return document.documentElement.getAttribute("windowtype");', args: [] });
    if (type.value === 'mail:3pane') return client;
  }
  throw new Error("Thunderbird's main window not found");
}

const OPEN_OPTIONS_TAB = `
  const url = WebExtensionPolicy.getByID('${WAXSEAL_ID}').getURL('options/index.html');
  Services.wm.getMostRecentWindow('mail:3pane').document.getElementById('tabmail').openTab('contentTab', { url });
  return url;`;

/** Chrome JS: tags the options tab's <browser> once its page has loaded. */
const TAG_LOADED_TAB = `
  const browser = document.getElementById('tabmail').currentTabInfo.browser;
  if (!browser || !String(browser.currentURI?.spec).endsWith('/options/index.html') || browser.webProgress?.isLoadingDocument) return false;
  browser.setAttribute('data-waxseal-e2e', '${TAG}');
  return true;`;

/**
 * Chrome JS: loads the frame script into the tagged tab. `waxseal-e2e:eval` runs a body in a system-principal
 * sandbox (the page's CSP forbids eval; it binds the page, not the test) with `content` and `files`, File
 * objects the parent made from real paths. `waxseal-e2e:call` sends one Waxseal request with the page's
 * runtime.sendMessage; bytes travel as base64 and become a Uint8Array in the page's compartment.
 */
const INSTALL = `
  const browser = document.querySelector('browser[data-waxseal-e2e="${TAG}"]');
  const script = 'data:,' + encodeURIComponent(\`
    const answer = (id, work) => work.then(
      (value) => sendAsyncMessage('waxseal-e2e:result', { id, value: value === undefined ? null : value }),
      (error) => sendAsyncMessage('waxseal-e2e:result', { id, error: String(error && error.message || error) }),
    );
    addMessageListener('waxseal-e2e:eval', (message) => {
      const { id, body, args, files } = message.data;
      answer(id, (async () => {
        const principal = Cc['@mozilla.org/systemprincipal;1'].createInstance(Ci.nsIPrincipal);
        const sandbox = Cu.Sandbox(principal, { wantXrays: true });
        sandbox.content = content;
        sandbox.files = files;
        const run = Cu.evalInSandbox('(async function () {' + body + '})', sandbox);
        return run.apply(null, Cu.cloneInto(args, sandbox));
      })());
    });
    addMessageListener('waxseal-e2e:call', (message) => {
      const { id, name, req, bytes } = message.data;
      answer(id, (async () => {
        const win = Cu.waiveXrays(content);
        const body = Object.assign({}, req);
        for (const [key, b64] of Object.entries(bytes || {})) body[key] = Uint8Array.from(content.atob(b64), (c) => c.charCodeAt(0));
        const reply = await win.browser.runtime.sendMessage(Cu.cloneInto({ waxseal: 1, name, req: body }, content));
        return JSON.parse(win.JSON.stringify(reply));
      })());
    });\`);
  browser.messageManager.loadFrameScript(script, false);
  return true;`;

/** Chrome JS: one round trip through the frame script; `paths` become File objects first. */
const ROUND_TRIP = `
  const [kind, data, paths] = arguments;
  const mm = document.querySelector('browser[data-waxseal-e2e="${TAG}"]').messageManager;
  const id = String(Math.random());
  return Promise.all((paths || []).map((p) => File.createFromFileName(p))).then((files) => new Promise((resolve, reject) => {
    const listener = (message) => {
      if (message.data.id !== id) return;
      mm.removeMessageListener('waxseal-e2e:result', listener);
      if (message.data.error) reject(new Error(message.data.error)); else resolve(message.data.value);
    };
    mm.addMessageListener('waxseal-e2e:result', listener);
    mm.sendAsyncMessage('waxseal-e2e:' + kind, Object.assign({ id, files }, data));
  }));`;

/** Prefix of every page body: `doc` and `win` are the page (Xray-wrapped); `q`, `fill`, `click` find by data-testid. */
const PAGE = `
  const win = content;
  const doc = content.document;
  const q = (testid) => doc.querySelector('[data-testid="' + testid + '"]');
  const fill = (testid, value) => {
    const input = q(testid);
    if (!input) throw new Error('no ' + testid);
    input.value = value;
    input.dispatchEvent(new win.Event('input', { bubbles: true }));
  };
  const click = (testid) => {
    const el = q(testid);
    if (!el) throw new Error('no ' + testid);
    if (el.disabled) throw new Error(testid + ' is disabled');
    el.click();
  };
`;

async function roundTrip(client, kind, data, paths = []) {
  return (await client.cmd('WebDriver:ExecuteScript', { script: ROUND_TRIP, args: [kind, data, paths] })).value;
}

/** Evaluates `body` (with the PAGE prefix and `arguments`) in the options page and answers its value. */
export async function page(client, body, args = [], paths = []) {
  return roundTrip(client, 'eval', { body: PAGE + body, args }, paths);
}

/** Polls a page expression until it is truthy, and answers it. */
export async function until(client, expression, what, ms = 20_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await page(client, `return (${expression});`).catch((error) => ({ __error: String(error.message ?? error) }));
    if (value && !value.__error) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${value?.__error ? ': ' + value.__error : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Gives the page's real <input type=file> a file from disk, as the file picker would. */
export async function setFile(client, testid, filePath) {
  await page(client, `
    const input = q(arguments[0]);
    input.mozSetFileArray(files);
    input.dispatchEvent(new win.Event('change', { bubbles: true }));
    return true;`, [testid], [filePath]);
}

/** One Waxseal request from the options page; resolves with the background's reply `{ok, res | error}`. */
export async function rpc(client, name, req = {}, bytes = {}) {
  return roundTrip(client, 'call', { name, req, bytes });
}

/** The same, answering `res` and throwing when the background refused. */
export async function ok(client, name, req, bytes) {
  const reply = await rpc(client, name, req, bytes);
  if (!reply?.ok) throw new Error(`${name} from the options page failed: ${JSON.stringify(reply?.error ?? reply)}`);
  return reply.res;
}

/**
 * Opens Waxseal's options page in a tab of the main window (call `mainWindow` first), installs the frame
 * script and waits until the page can reach the background; answers the key store status.
 */
export async function openOptions(client) {
  await client.cmd('WebDriver:ExecuteScript', { script: OPEN_OPTIONS_TAB, args: [] });
  const deadline = Date.now() + 20_000;
  while (!(await client.cmd('WebDriver:ExecuteScript', { script: TAG_LOADED_TAB, args: [] })).value) {
    if (Date.now() > deadline) throw new Error('the options tab did not open');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await client.cmd('WebDriver:ExecuteScript', { script: INSTALL, args: [] });
  // The page's script registers runtime messaging once loaded; poll the harmless status request.
  const until = Date.now() + 20_000;
  for (;;) {
    const reply = await rpc(client, 'keystoreStatus').catch((error) => ({ ok: false, error: String(error.message ?? error) }));
    if (reply?.ok) return reply.res;
    if (Date.now() > until) throw new Error(`the options page cannot reach the background: ${JSON.stringify(reply)}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

/** Closes the current tab of the main window (the options tab), ignoring a tab already gone. */
export async function closeTab(client) {
  await client.cmd('WebDriver:ExecuteScript', { script: "const t = document.getElementById('tabmail'); t.closeTab(t.currentTabInfo); return true;", args: [] }).catch(() => {});
}
