// @vitest-environment node
/**
 * Issue #8 item 7 (SEC-44 pages are usable by everyone): the built options page, in a real browser
 * engine (Debian's chromium via playwright-core), has zero axe-core violations in each view, in the
 * light and the dark theme. The page is bundled like scripts/build.mjs does and served with a fake
 * `browser` (test/ui/options/browser-shim.ts) loaded before it. A screenshot per view and theme goes
 * to test-results/options/.
 */
import { build } from 'esbuild';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '../..');
const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SHOTS = join(ROOT, 'test-results/options');
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json' };

let site = '';
let server: Server;
let browser: Browser;
let base = '';

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install it with apt-get install -y chromium`);
  site = mkdtempSync(join(tmpdir(), 'waxseal-options-axe-'));
  mkdirSync(join(site, 'options'), { recursive: true });
  mkdirSync(join(site, 'shared'), { recursive: true });
  const common = { absWorkingDir: ROOT, bundle: true, format: 'iife' as const, platform: 'browser' as const, target: ['chrome120'], jsx: 'automatic' as const, jsxImportSource: 'preact', logLevel: 'warning' as const, define: { __WAXSEAL_TEST__: 'false' } };
  await build({ ...common, entryPoints: ['src/options/main.tsx'], outfile: join(site, 'options/main.js') });
  await build({ ...common, entryPoints: ['test/ui/options/browser-shim.ts'], outfile: join(site, 'options/shim.js') });
  const html = readFileSync(join(ROOT, 'src/options/index.html'), 'utf8');
  if (!html.includes('<script src="main.js"></script>')) throw new Error('index.html no longer loads main.js as expected');
  writeFileSync(join(site, 'options/index.html'), html.replace('<script src="main.js"></script>', '<script src="shim.js"></script>\n    <script src="main.js"></script>'));
  copyFileSync(join(ROOT, 'src/options/options.css'), join(site, 'options/options.css'));
  copyFileSync(join(ROOT, 'src/shared/page.css'), join(site, 'shared/page.css'));
  server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(site, path);
    if (!file.startsWith(site) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  mkdirSync(SHOTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  if (site) rmSync(site, { recursive: true, force: true });
});

interface Violation {
  id: string;
  impact: string;
  nodes: { target: string[] }[];
}

async function axe(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: join(ROOT, 'node_modules/axe-core/axe.min.js') });
  const violations = await page.evaluate(async () => {
    const result = await (globalThis as unknown as { axe: { run(context: Document): Promise<{ violations: unknown[] }> } }).axe.run(document);
    return result.violations;
  });
  return (violations as Violation[]).map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

async function open(view: string, scheme: 'light' | 'dark', state = 'full'): Promise<Page> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.emulateMedia({ colorScheme: scheme });
  await page.goto(`${base}/options/index.html?state=${state}#${view}`);
  await page.waitForSelector('[data-testid="options-page"][data-ready="true"]', { timeout: 15_000 });
  expect(errors).toEqual([]);
  expect(await page.getAttribute('[data-testid="options-page"]', 'data-view')).toBe(view);
  return page;
}

const VIEWS: { view: string; state?: string; prepare?: (page: Page) => Promise<void>; name: string }[] = [
  { name: 'setup-notice', view: 'setup', state: 'empty' },
  {
    name: 'setup-file',
    view: 'setup',
    state: 'empty',
    prepare: async (page) => {
      await page.check('[data-testid="setup-ack"]');
      await page.click('[data-testid="setup-continue"]');
      await page.waitForSelector('[data-step="file"]');
    },
  },
  {
    name: 'identities',
    view: 'identities',
    prepare: async (page) => {
      await page.click('[data-testid="identity-export-open"] >> nth=0');
      await page.click('[data-testid="identity-delete-open"] >> nth=0');
      await page.waitForSelector('[data-testid="delete-preview"]');
    },
  },
  { name: 'passphrase', view: 'passphrase' },
  {
    name: 'people',
    view: 'people',
    prepare: async (page) => {
      await page.click('[data-testid="person-details-toggle"] >> nth=1');
      await page.waitForSelector('[data-testid="person-details"]');
    },
  },
  {
    name: 'trust',
    view: 'trust',
    prepare: async (page) => {
      await page.click('[data-testid="root-view"] >> nth=0');
      await page.waitForSelector('[data-testid="root-fingerprint"]');
    },
  },
  { name: 'defaults', view: 'defaults' },
];

describe('options page accessibility (axe-core in chromium)', () => {
  for (const scheme of ['light', 'dark'] as const) {
    for (const entry of VIEWS) {
      it(`${entry.name} in the ${scheme} theme has no violations`, async () => {
        const page = await open(entry.view, scheme, entry.state);
        try {
          await entry.prepare?.(page);
          await page.screenshot({ path: join(SHOTS, `${entry.name}-${scheme}.png`), fullPage: true });
          expect(await axe(page)).toEqual([]);
        } finally {
          await page.close();
        }
      });
    }
  }

  it('every control is reachable with the keyboard and shows a visible focus outline', async () => {
    const page = await open('passphrase', 'light');
    try {
      const seen: { testid: string | null; outline: string }[] = [];
      // Tab through the page once: it ends when focus leaves the last control for the document body.
      for (let i = 0; i < 40; i++) {
        await page.keyboard.press('Tab');
        const focused = await page.evaluate(() => {
          const el = document.activeElement as HTMLElement;
          return { testid: el.getAttribute('data-testid') ?? el.tagName, outline: getComputedStyle(el).outlineStyle };
        });
        if (focused.testid === 'BODY') break;
        seen.push(focused);
      }
      expect(seen.map((s) => s.testid)).toEqual(expect.arrayContaining(['nav-setup', 'nav-defaults', 'lock-now', 'change-current', 'auto-lock']));
      expect(seen.filter((s) => s.outline === 'none')).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
