import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'manifest.json'), 'utf8'));
const locales = ['en', 'de', 'nl'];
const messages = Object.fromEntries(
  locales.map((l) => [l, JSON.parse(fs.readFileSync(path.join(ROOT, '_locales', l, 'messages.json'), 'utf8'))]),
);

function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(path.join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|tsx|js|mjs)$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name));
}

describe('manifest', () => {
  it('has the fixed gecko id, minimum version and the package version', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(manifest.browser_specific_settings.gecko).toMatchObject({ id: 'waxseal@waxseal.org', strict_min_version: '128.0' });
    expect(manifest.version).toBe(pkg.version);
  });

  it('is MV2 with a persistent background (docs/decisions.md D1)', () => {
    expect(manifest.manifest_version).toBe(2);
    expect(manifest.background).toEqual({ scripts: ['background/main.js'], persistent: true });
  });

  it('requests exactly the permissions the features need', () => {
    expect([...manifest.permissions].sort()).toEqual(['accountsRead', 'addressBooks', 'compose', 'messagesModify', 'messagesRead', 'storage']);
    expect(manifest.optional_permissions).toBeUndefined();
    expect(JSON.stringify(manifest)).not.toMatch(/<all_urls>|:\/\/\*\//);
  });

  it('SEC-44a: the CSP allows no eval and no remote script', () => {
    const csp: string = manifest.content_security_policy;
    const scriptSrc = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src'));
    expect(scriptSrc).toBe("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-eval|unsafe-inline|https?:/);
    expect(csp).toMatch(/object-src 'none'/);
  });

  it('SEC-44b: exposes no web-accessible resources', () => {
    expect(manifest.web_accessible_resources).toBeUndefined();
  });

  it('SEC-20b: accepts no messages from other extensions or web pages', () => {
    expect(manifest.externally_connectable).toBeUndefined();
    const offenders = sourceFiles('src').filter((file) => /on(Message|Connect)External\s*\??\.\s*addListener|\[\s*['"]on(Message|Connect)External/.test(fs.readFileSync(file, 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('every file the manifest names exists in the sources', () => {
    const pages = [manifest.options_ui.page, manifest.compose_action.default_popup, manifest.message_display_action.default_popup];
    for (const page of pages) expect(fs.existsSync(path.join(ROOT, 'src', page)), page).toBe(true);
    for (const icon of new Set<string>(Object.values(manifest.icons))) expect(fs.existsSync(path.join(ROOT, icon)), icon).toBe(true);
  });
});

describe('locales', () => {
  it('every __MSG_ key in the manifest exists in every locale', () => {
    const keys = [...JSON.stringify(manifest).matchAll(/__MSG_(\w+)__/g)].map((m) => m[1]);
    expect(keys.length).toBeGreaterThan(0);
    for (const locale of locales) for (const key of keys) expect(messages[locale][key], `${locale}:${key}`).toBeDefined();
  });

  it('de and nl translate exactly the English keys', () => {
    const english = Object.keys(messages.en).sort();
    for (const locale of ['de', 'nl']) expect(Object.keys(messages[locale]).sort(), locale).toEqual(english);
  });
});
