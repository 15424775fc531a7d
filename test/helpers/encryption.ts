/**
 * Test helpers for encryption and decryption: fixture reading, PEM/S/MIME unwrapping, and running the
 * independent implementations (OpenSSL, NSS) that interop tests compare against.
 * A missing tool fails the test with the install command; it never skips.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { webcrypto } from 'node:crypto';
import { base64Decode } from '../../src/crypto/bytes.js';

export const crypto = webcrypto as unknown as Crypto;

export const FIXTURES = join(__dirname, '..', 'fixtures');

export function fixture(...parts: string[]): Uint8Array {
  return new Uint8Array(readFileSync(join(FIXTURES, ...parts)));
}

/** DER of the first PEM block in `text`. */
export function pemToDer(text: string | Uint8Array): Uint8Array {
  const s = typeof text === 'string' ? text : Buffer.from(text).toString('latin1');
  const m = /-----BEGIN [^-]+-----([\s\S]*?)-----END [^-]+-----/.exec(s);
  if (!m) throw new Error('no PEM block');
  return base64Decode(m[1]!);
}

/**
 * The DER inside a base64 application/pkcs7-mime message: the body after the first blank line.
 * (Only for fixtures whose root is the pkcs7-mime part.)
 */
export function smimeBodyDer(eml: Uint8Array): Uint8Array {
  const text = Buffer.from(eml).toString('latin1');
  const split = /\r?\n\r?\n/.exec(text);
  if (!split) throw new Error('no header/body separator');
  return base64Decode(text.slice(split.index + split[0].length));
}

const INSTALL = 'apt-get install -y openssl libnss3-tools';

/** Fails (never skips) when a command-line tool is missing. */
export function requireTool(tool: string): void {
  const found = spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
  if (!found) throw new Error(`${tool} is not installed; install it with: ${INSTALL}`);
}

export function openssl(args: string[], input?: Uint8Array): Buffer {
  requireTool('openssl');
  return execFileSync('openssl', args, { input, maxBuffer: 512 * 1024 * 1024, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Runs a tool and returns status, stdout and stderr without throwing. */
export function run(tool: string, args: string[], input?: Uint8Array): { status: number | null; stdout: Buffer; stderr: string } {
  requireTool(tool);
  const r = spawnSync(tool, args, { input, maxBuffer: 512 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.toString() };
}

/** A scratch directory removed by the returned cleanup function. */
export function scratchDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'waxseal-enc-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function toPemText(der: Uint8Array, label: string): string {
  const b64 = Buffer.from(der).toString('base64').replace(/.{1,64}/g, '$&\n');
  return `-----BEGIN ${label}-----\n${b64}-----END ${label}-----\n`;
}

export function text(bytes: Uint8Array | null): string {
  if (!bytes) throw new Error('no bytes');
  return Buffer.from(bytes).toString('utf8');
}
