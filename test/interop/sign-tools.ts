/**
 * OpenSSL and NSS runners for the signing interop tests. A missing tool FAILS the test with the install
 * command; it never skips (STYLE §8).
 */
import { pem, scratch as scratchIn } from './pkcs12-tools.js';
import { spawnSync } from 'node:child_process';

export const INSTALL = 'apt-get install -y openssl libnss3-tools';

/**
 * Interop verification time. OpenSSL and NSS sign with the wall clock as signing-time, so the fixed
 * TEST_NOW (2026-06-01) would put their signatures in the future; this later fixed time is inside the
 * test certificates' validity (2025–2035) and after any plausible run date.
 */
export const INTEROP_NOW = new Date('2034-06-01T00:00:00Z');

export interface ToolResult {
  status: number | null;
  stdout: Buffer;
  stderr: string;
}

export function run(name: string, args: string[], options: { allowFailure?: boolean } = {}): ToolResult {
  const result = spawnSync(name, args, { maxBuffer: 256 * 1024 * 1024, env: { ...process.env, LC_ALL: 'C.UTF-8' } });
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error(`${name} is not installed; install it with: ${INSTALL}`);
  }
  const out = { status: result.status, stdout: result.stdout, stderr: result.stderr.toString() };
  if (!options.allowFailure && out.status !== 0) throw new Error(`${name} ${args.join(' ')} failed (${out.status}): ${out.stderr}`);
  return out;
}

export interface Scratch {
  dir: string;
  file(name: string, content?: string | Uint8Array): string;
  cleanup(): void;
}

export function scratch(): Scratch {
  return scratchIn('waxseal-sign-');
}

export { pem };

export function nssDbTrusting(s: Scratch, root: Uint8Array, intermediates: Uint8Array[] = []): string {
  const db = `sql:${s.dir}`;
  run('certutil', ['-N', '-d', db, '--empty-password']);
  run('certutil', ['-A', '-d', db, '-n', 'waxseal-test-root', '-t', ',C,', '-i', s.file('root.pem', pem(root, 'CERTIFICATE'))]);
  intermediates.forEach((der, i) => run('certutil', ['-A', '-d', db, '-n', `intermediate-${i}`, '-t', ',,', '-i', s.file(`intermediate-${i}.pem`, pem(der, 'CERTIFICATE'))]));
  return db;
}
