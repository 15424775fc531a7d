#!/usr/bin/env node
// Builds the extension into dist/ and packs it into web-ext-artifacts/waxseal-<version>.xpi
// (the directory web-ext uses, so `web-ext sign` finds it).
//
//   node scripts/build.mjs            product build
//   WAXSEAL_TEST=1 node scripts/build.mjs
//                                     end-to-end test build: same sources plus the loopback reporter
//                                     (src/background/test-events.ts) into .tmp/dist-test and
//                                     .tmp/artifacts-test/waxseal-<version>-test.xpi
//   --no-pack                         skip web-ext build (dist/ only)
//
// Output is readable (no minification) and reproducible: no timestamps or absolute paths in the
// bundles, and every file in dist/ gets the same fixed mtime before it is zipped.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TEST = process.env.WAXSEAL_TEST === '1';
const PACK = !process.argv.includes('--no-pack');
const OUT = path.join(ROOT, TEST ? '.tmp/dist-test' : 'dist');
const ARTIFACTS = path.join(ROOT, TEST ? '.tmp/artifacts-test' : 'web-ext-artifacts');
/** 2026-01-01T00:00:00Z: the mtime of every packed file, so two builds of one commit give the same .xpi. */
const FIXED_MTIME = new Date(Date.UTC(2026, 0, 1));
const COMPANION_ID = 'waxseal-e2e-companion@waxseal.org';

const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'manifest.json'), 'utf8'));
const version = manifest.version;
const pkgVersion = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
if (version !== pkgVersion) throw new Error(`manifest.json version ${version} differs from package.json ${pkgVersion}`);

const PAGES = ['options', 'compose', 'display'];
const started = Date.now();
fs.rmSync(OUT, { recursive: true, force: true });
fs.mkdirSync(OUT, { recursive: true });

const common = {
  absWorkingDir: ROOT,
  bundle: true,
  minify: false,
  sourcemap: false,
  charset: 'utf8',
  legalComments: 'eof',
  logLevel: 'warning',
  target: ['firefox128'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  define: { __WAXSEAL_TEST__: TEST ? 'true' : 'false' },
};

await build({
  ...common,
  format: 'iife',
  platform: 'browser',
  outbase: 'src',
  outdir: OUT,
  entryPoints: ['src/background/main.ts', ...PAGES.map((page) => `src/${page}/main.tsx`)],
});

copy('manifest.json');
copy('_locales');
copy('icons');
for (const page of [...PAGES, 'shared']) {
  for (const file of listFiles(path.join(ROOT, 'src', page))) {
    if (/\.(html|css|svg|png)$/.test(file)) copy(path.join('src', page, file), path.join(page, file));
  }
}
if (fs.existsSync(path.join(ROOT, 'src/experiments'))) {
  for (const file of listFiles(path.join(ROOT, 'src/experiments'))) {
    if (/\.(json|js)$/.test(file)) copy(path.join('src/experiments', file), path.join('experiments', file));
  }
}

// The product bundle must not contain the test reporter (docs/decisions.md D3).
const background = fs.readFileSync(path.join(OUT, 'background/main.js'), 'utf8');
if (!TEST && background.includes(COMPANION_ID)) throw new Error('product build contains the e2e reporter');
if (TEST && !background.includes(COMPANION_ID)) throw new Error('test build lacks the e2e reporter');
for (const file of listFiles(OUT)) {
  const text = fs.readFileSync(path.join(OUT, file), 'latin1');
  if (text.includes(ROOT)) throw new Error(`${file} contains the absolute build path ${ROOT}`);
}

await buildCli();

for (const file of listFiles(OUT)) fs.utimesSync(path.join(OUT, file), FIXED_MTIME, FIXED_MTIME);

let xpi = null;
if (PACK) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const filename = `waxseal-${version}${TEST ? '-test' : ''}.xpi`;
  // Not `web-ext build`: its zip library stamps every entry with the current time, so two builds of
  // one commit would differ. zip(1) with sorted names, fixed mtimes, UTC and no extra attributes (-X)
  // gives the same bytes every time. `npm run lint` still runs `web-ext lint` on dist/.
  const target = path.join(ARTIFACTS, filename);
  fs.rmSync(target, { force: true });
  execFileSync('zip', ['-q', '-X', '-D', '-9', target, '-@'], {
    cwd: OUT,
    env: { ...process.env, TZ: 'UTC' },
    input: listFiles(OUT).join('\n') + '\n',
    stdio: ['pipe', 'ignore', 'inherit'],
  });
  xpi = path.join(ARTIFACTS, filename);
}

const rel = (p) => path.relative(ROOT, p);
console.log(`built ${rel(OUT)}/ (${TEST ? 'test' : 'product'}, version ${version}) in ${Date.now() - started} ms`);
if (xpi) console.log(`packed ${rel(xpi)} sha256 ${createHash('sha256').update(fs.readFileSync(xpi)).digest('hex')}`);

/** Bundles the command-line tool when its sources exist (src/cli/main.ts, written by the CLI area). */
async function buildCli() {
  const entry = path.join(ROOT, 'src/cli/main.ts');
  if (TEST || !fs.existsSync(entry)) return;
  await build({
    ...common,
    define: {},
    target: ['node20'],
    platform: 'node',
    format: 'esm',
    entryPoints: ['src/cli/main.ts'],
    outfile: path.join(ROOT, 'cli/waxseal.mjs'),
    // Bundled CommonJS dependencies may call require(); give the ESM bundle one.
    banner: { js: "import { createRequire as __waxsealCreateRequire } from 'node:module';\nconst require = __waxsealCreateRequire(import.meta.url);" },
  });
  console.log('built cli/waxseal.mjs');
}

function copy(from, to = from) {
  const src = path.join(ROOT, from);
  const dst = path.join(OUT, to);
  fs.mkdirSync(path.dirname(dst), { recursive: true });
  fs.cpSync(src, dst, { recursive: true });
}

function listFiles(dir) {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}
