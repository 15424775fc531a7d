#!/usr/bin/env node
// Regenerates src/crypto/trust/mozilla-email-roots.json: the roots of Mozilla's root store that carry the
// e-mail (S/MIME) trust bit, read from Debian's libnss3 builtin roots module (libnssckbi.so) with NSS's
// own tools, so the data is reproducible from a named package version.
//
// Usage: node scripts/update-roots.mjs            write the JSON file
//        node scripts/update-roots.mjs --stdout   print it instead (used by the test that compares)
// Needs: apt-get install -y libnss3 libnss3-tools   (certutil, modutil)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MODULE_CANDIDATES = [
  '/usr/lib/x86_64-linux-gnu/libnssckbi.so',
  '/usr/lib/aarch64-linux-gnu/libnssckbi.so',
  '/usr/lib/x86_64-linux-gnu/nss/libnssckbi.so',
];
const TOKEN = 'Builtin Object Token';
const OUTPUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'crypto', 'trust', 'mozilla-email-roots.json');

function run(command, args, options = {}) {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], ...options });
  } catch (error) {
    if (error.code === 'ENOENT') {
      throw new Error(`${command} is missing: apt-get install -y libnss3 libnss3-tools`);
    }
    throw new Error(`${command} ${args.join(' ')} failed: ${error.stderr || error.message}`);
  }
}

function packageVersion(modulePath) {
  const owner = run('dpkg', ['-S', modulePath]).split(':')[0].trim();
  return { owner, version: run('dpkg-query', ['-W', '-f=${Version}', owner]).trim() };
}

/** Trust flags are "SSL,S/MIME,JAR/XPI"; C = trusted CA. The middle field is e-mail trust. */
function parseListing(text) {
  const roots = [];
  for (const line of text.split('\n')) {
    const match = /^(Builtin Object Token:.+?)\s+([A-Za-z]*,[A-Za-z]*,[A-Za-z]*)\s*$/.exec(line);
    if (match) roots.push({ nickname: match[1], trust: match[2] });
  }
  return roots;
}

function pemBlocks(text) {
  return [...text.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map((m) => m[1].replace(/\s+/g, ''));
}

export function readEmailRoots() {
  const modulePath = MODULE_CANDIDATES.find((candidate) => existsSync(candidate));
  if (!modulePath) throw new Error(`no libnssckbi.so found (looked in ${MODULE_CANDIDATES.join(', ')}): apt-get install -y libnss3 libnss3-tools`);
  const { owner, version } = packageVersion(modulePath);
  const db = mkdtempSync(join(tmpdir(), 'waxseal-nssdb-'));
  try {
    run('certutil', ['-N', '-d', `sql:${db}`, '--empty-password']);
    run('modutil', ['-dbdir', `sql:${db}`, '-add', 'Builtin Roots', '-libfile', modulePath, '-force'], { input: '\n' });
    const listing = parseListing(run('certutil', ['-L', '-d', `sql:${db}`, '-h', TOKEN]));
    const roots = [];
    const seen = new Set();
    for (const { nickname, trust } of listing) {
      const email = trust.split(',')[1];
      if (!email.includes('C')) continue;
      for (const der of pemBlocks(run('certutil', ['-L', '-d', `sql:${db}`, '-n', nickname, '-a']))) {
        if (seen.has(der)) continue;
        seen.add(der);
        roots.push({ label: nickname.slice(TOKEN.length + 1), trust, der });
      }
    }
    roots.sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : a.der < b.der ? -1 : 1));
    return {
      source: `Debian package ${owner} ${version}, ${modulePath} (Mozilla builtin roots), entries whose S/MIME trust flag contains C`,
      generated: 'scripts/update-roots.mjs',
      roots,
    };
  } finally {
    rmSync(db, { recursive: true, force: true });
  }
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const json = `${JSON.stringify(readEmailRoots(), null, 1)}\n`;
  if (process.argv.includes('--stdout')) process.stdout.write(json);
  else {
    writeFileSync(OUTPUT, json);
    console.log(`wrote ${OUTPUT}`);
  }
}
