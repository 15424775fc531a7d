/**
 * Runs OpenSSL for the MIME interop tests. A missing tool fails the test with the install command (never a skip).
 * Keys made here are throwaway test keys, generated per run: TEST KEY — NOT SECRET.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const INSTALL = 'apt-get install -y openssl libnss3-tools';

export function runTool(tool: string, args: string[], input?: Uint8Array): { status: number; stdout: Uint8Array; stderr: string } {
  const result = spawnSync(tool, args, { input, maxBuffer: 64 * 1024 * 1024 });
  if (result.error !== undefined) {
    throw new Error(`${tool} is required for this test and could not be run (${result.error.message}); install it with: ${INSTALL}`);
  }
  return { status: result.status ?? -1, stdout: new Uint8Array(result.stdout), stderr: result.stderr.toString() };
}

export function openssl(args: string[], input?: Uint8Array): Uint8Array {
  const result = runTool('openssl', args, input);
  if (result.status !== 0) throw new Error(`openssl ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  return result.stdout;
}

export interface TestIdentity {
  dir: string;
  keyPath: string;
  certPath: string;
}

/**
 * A self-signed RSA-2048 certificate for alice@example.test. Tests use it with `-noverify`: they check the
 * signature over the MIME bytes, not the certificate's validity, so the wall clock never matters.
 */
export function makeIdentity(): TestIdentity {
  const dir = mkdtempSync(join(tmpdir(), 'waxseal-mime-'));
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', keyPath]);
  openssl([
    'req', '-x509', '-new', '-key', keyPath, '-out', certPath, '-subj', '/CN=Alice/emailAddress=alice@example.test',
    '-days', '3650',
    '-addext', 'subjectAltName=email:alice@example.test', '-addext', 'keyUsage=digitalSignature,keyEncipherment',
  ]);
  return { dir, keyPath, certPath };
}

export function writeTemp(identity: TestIdentity, name: string, bytes: Uint8Array): string {
  const path = join(identity.dir, name);
  writeFileSync(path, bytes);
  return path;
}
