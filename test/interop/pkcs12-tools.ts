/**
 * Runs OpenSSL and NSS for the PKCS#12 interop tests. A missing tool FAILS the test with the install
 * command; it never skips (STYLE §8).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const INSTALL = 'apt-get install -y openssl libnss3-tools';

export function requireTool(tool: string): void {
  if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) {
    throw new Error(`${tool} is not installed; install it with: ${INSTALL}`);
  }
}

export interface ToolResult {
  status: number | null;
  stdout: Buffer;
  stderr: string;
}

/** Runs a tool; throws with its stderr when it exits non-zero unless `allowFailure`. */
export function tool(name: string, args: string[], options: { input?: Uint8Array; allowFailure?: boolean } = {}): ToolResult {
  requireTool(name);
  const result = spawnSync(name, args, { input: options.input, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, LC_ALL: 'C.UTF-8' } });
  const out = { status: result.status, stdout: result.stdout, stderr: result.stderr.toString() };
  if (!options.allowFailure && out.status !== 0) throw new Error(`${name} ${args.join(' ')} failed (${out.status}): ${out.stderr}`);
  return out;
}

export function scratch(prefix = 'waxseal-p12-'): { dir: string; file: (name: string, content?: string | Uint8Array) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    file(name, content) {
      const path = join(dir, name);
      if (content !== undefined) writeFileSync(path, content);
      return path;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function pem(der: Uint8Array, label: string): string {
  const base64 = Buffer.from(der).toString('base64').replace(/.{1,64}/g, '$&\n');
  return `-----BEGIN ${label}-----\n${base64}-----END ${label}-----\n`;
}

/** A fresh, password-less NSS database in `dir`. */
export function createNssDb(dir: string): string {
  tool('certutil', ['-N', '-d', `sql:${dir}`, '--empty-password']);
  return `sql:${dir}`;
}
