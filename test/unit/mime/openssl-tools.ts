/**
 * Runs OpenSSL and NSS for the MIME interop tests. A missing tool fails the test with the install command (never a skip).
 * Keys made here are throwaway test keys, generated per run: TEST KEY — NOT SECRET.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
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

export interface NssIdentity {
  dir: string;
  /** NSS database with a test CA (trusted for S/MIME) and Alice's key and certificate (nickname "alice"). */
  database: string;
  caPath: string;
}

/**
 * A test CA and an S/MIME signing certificate for alice@example.test, made by OpenSSL and imported into a fresh NSS
 * database with pk12util. TEST KEY — NOT SECRET.
 */
export function makeNssIdentity(): NssIdentity {
  const dir = mkdtempSync(join(tmpdir(), 'waxseal-nss-'));
  const path = (name: string): string => join(dir, name);
  openssl(['req', '-x509', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', path('ca.key'), '-out', path('ca.pem'), '-subj', '/CN=Waxseal MIME Test CA', '-days', '3650',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  openssl(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', path('alice.key'), '-out', path('alice.csr'), '-subj', '/CN=Alice/emailAddress=alice@example.test']);
  writeFileSync(path('ext.cnf'), 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=emailProtection\nsubjectAltName=email:alice@example.test\n');
  openssl(['x509', '-req', '-in', path('alice.csr'), '-CA', path('ca.pem'), '-CAkey', path('ca.key'), '-CAcreateserial', '-out', path('alice.pem'), '-days', '3650', '-extfile', path('ext.cnf')]);
  openssl(['pkcs12', '-export', '-in', path('alice.pem'), '-inkey', path('alice.key'), '-certfile', path('ca.pem'), '-out', path('alice.p12'), '-passout', 'pass:test', '-name', 'alice']);
  const database = `sql:${path('db')}`;
  mkdirSync(path('db'));
  nss('certutil', ['-N', '-d', database, '--empty-password']);
  nss('certutil', ['-A', '-d', database, '-n', 'ca', '-t', 'C,C,C', '-i', path('ca.pem')]);
  nss('pk12util', ['-i', path('alice.p12'), '-d', database, '-W', 'test']);
  return { dir, database, caPath: path('ca.pem') };
}

/** Runs an NSS tool (certutil, pk12util, cmsutil) and fails with its output on a non-zero exit. */
export function nss(tool: string, args: string[]): Uint8Array {
  const result = runTool(tool, args);
  if (result.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  return result.stdout;
}
