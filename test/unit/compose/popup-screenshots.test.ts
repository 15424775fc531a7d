// Screenshots of every compose popup state in headless Chromium (test-results/compose/), each
// checked for accessibility with axe-core (labels, roles, contrast). The popup is the real
// compose page bundle with the real stylesheets and English texts; only the background is faked.
import { build } from 'esbuild';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VIEWS } from '../../ui/compose/compose-views.js';

const ROOT = resolve(__dirname, '../../..');
const OUT = join(ROOT, 'test-results/compose');
const PAGE = join(ROOT, '.tmp/compose-screenshots');
const CHROMIUM = '/usr/bin/chromium';

let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing; install it with: apt-get install -y chromium`);
  mkdirSync(OUT, { recursive: true });
  mkdirSync(join(PAGE, 'icons'), { recursive: true });
  const catalogue = readFileSync(join(ROOT, '_locales/en/messages.json'), 'utf8');
  await build({
    entryPoints: [join(ROOT, 'test/ui/compose/screenshot-entry.tsx')],
    bundle: true,
    outfile: join(PAGE, 'page.js'),
    format: 'iife',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    define: { CATALOGUE: catalogue },
    logLevel: 'warning',
  });
  const css = ['src/shared/page.css', 'src/compose/compose.css'].map((f) => readFileSync(join(ROOT, f), 'utf8')).join('\n');
  writeFileSync(join(PAGE, 'index.html'), `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Waxseal</title><style>${css}</style></head><body><div id="root"></div><script src="page.js"></script></body></html>`);
  for (const icon of ['off', 'sign', 'encrypt', 'sign-encrypt', 'blocked']) writeFileSync(join(PAGE, 'icons', `${icon}.svg`), readFileSync(join(ROOT, 'src/compose/icons', `${icon}.svg`)));
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--allow-file-access-from-files'] });
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

const axeSource = (): string => readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

async function shoot(name: string, mode = ''): Promise<{ file: string; violations: { id: string; nodes: number }[]; text: string }> {
  const page = await browser.newPage({ viewport: { width: 560, height: 600 } });
  await page.goto(`file://${PAGE}/index.html#${name}${mode ? `:${mode}` : ''}`);
  await page.waitForSelector('[data-ready="true"]', { timeout: 10_000 });
  const file = join(OUT, `${name}${mode ? `-${mode}` : ''}.png`);
  await page.screenshot({ path: file, fullPage: true });
  await page.addScriptTag({ content: axeSource() });
  const violations = await page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run(): Promise<{ violations: { id: string; nodes: unknown[] }[] }> } }).axe.run();
    return result.violations.map((v) => ({ id: v.id, nodes: v.nodes.length }));
  });
  const text = await page.innerText('body');
  await page.close();
  return { file, violations, text };
}

describe('compose popup screenshots', () => {
  for (const name of Object.keys(VIEWS)) {
    it(`${name}: rendered, photographed, no axe violations`, async () => {
      const shot = await shoot(name);
      expect(statSync(shot.file).size).toBeGreaterThan(2000);
      expect(shot.violations).toEqual([]);
      expect(shot.text).toContain('Sending as alice@example.com');
    });
  }

  it('the "not sent" window and the passphrase window', async () => {
    const blocked = await shoot('missingCertificate', 'blocked');
    expect(blocked.text).toContain('The message was not sent');
    expect(blocked.text).toContain('No certificate for: carol@example.com.');
    expect(blocked.violations).toEqual([]);
    const unlock = await shoot('off', 'unlock');
    expect(unlock.text).toContain('Unlock Waxseal to send');
    expect(unlock.violations).toEqual([]);
  });
});
