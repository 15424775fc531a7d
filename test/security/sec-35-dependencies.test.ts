/**
 * SEC-35: third-party JS crypto/ASN.1 code. (b) node-forge is not used by Waxseal: no source file imports
 * it, no runtime dependency pulls it in, and the only copy in the lock file (a dev tool's) is a version with
 * the 2025 ASN.1 fixes (≥ 1.3.2). (c) Signature verification goes through WebCrypto only: no source file
 * calls a JS signature verifier; test/unit/wycheproof/wycheproof-signatures.test.ts runs the Wycheproof
 * signature vectors through the project's wrapper. (a), `npm audit`, needs the registry's audit service.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|tsx|js|mjs)$/.test(name) ? [path] : [];
  });
}

interface LockPackage {
  version?: string;
  dev?: boolean;
  dependencies?: Record<string, string>;
}

const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockPackage> };
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };

/** Every package a runtime dependency needs, transitively, as the lock file resolves them. */
function runtimeClosure(): Set<string> {
  const seen = new Set<string>();
  const queue = Object.keys(manifest.dependencies);
  while (queue.length > 0) {
    const name = queue.shift()!;
    if (seen.has(name)) continue;
    seen.add(name);
    queue.push(...Object.keys(lock.packages[`node_modules/${name}`]?.dependencies ?? {}));
  }
  return seen;
}

function atLeast(version: string, minimum: string): boolean {
  const a = version.split('.').map(Number);
  const b = minimum.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}

describe('SEC-35: JS crypto and ASN.1 dependencies', () => {
  it('(b) no source file imports node-forge, and no runtime dependency pulls it in', () => {
    const files = sources(join(ROOT, 'src'));
    expect(files.length).toBeGreaterThan(50);
    expect(files.filter((file) => /['"]node-forge['"]|\bforge\./.test(readFileSync(file, 'utf8')))).toEqual([]);
    const closure = runtimeClosure();
    expect(closure.has('pkijs')).toBe(true);
    expect(closure.has('node-forge')).toBe(false);
  });

  it('(b) any node-forge in the lock file is a dev tool\'s, at a version with the ASN.1 fixes (≥ 1.3.2)', () => {
    const forge = Object.entries(lock.packages).filter(([path]) => path.endsWith('node_modules/node-forge'));
    for (const [path, entry] of forge) {
      expect(entry.dev, path).toBe(true);
      expect(atLeast(entry.version ?? '0', '1.3.2'), `${path} ${entry.version}`).toBe(true);
    }
  });

  it('(c) signatures are verified with WebCrypto only: no JS verifier is called from the engine', () => {
    const offenders = sources(join(ROOT, 'src')).filter((file) => /\.verify(Signature|WithDigest)?\s*\(/.test(readFileSync(file, 'utf8').replace(/subtle\.verify\(/g, '')));
    expect(offenders.map((file) => file.slice(ROOT.length + 1))).toEqual([]);
  });
});
