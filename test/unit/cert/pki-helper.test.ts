import { webcrypto } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, toPem } from '../../helpers/pki.js';

const crypto = webcrypto as unknown as Crypto;
// Key generation for the shared hierarchy can take seconds on a busy machine: do it in the hook, with the hook timeout.
beforeAll(async () => {
  await createTestPki(crypto);
});

function requireOpenssl(): void {
  try {
    execFileSync('openssl', ['version']);
  } catch (cause) {
    throw new Error('openssl is missing: apt-get install -y openssl libnss3-tools', { cause });
  }
}

describe('test PKI helper', () => {
  it('builds a hierarchy that OpenSSL verifies for S/MIME signing at the test time', async () => {
    requireOpenssl();
    const pki = await createTestPki(crypto);
    const dir = mkdtempSync(join(tmpdir(), 'waxseal-pki-'));
    writeFileSync(join(dir, 'root.pem'), toPem(pki.root.certificate));
    writeFileSync(join(dir, 'ca.pem'), toPem(pki.emailCa.certificate));
    writeFileSync(join(dir, 'alice.pem'), toPem(pki.users.alice.rsa.certificate));
    writeFileSync(join(dir, 'alice-ec.pem'), toPem(pki.users.alice.ec.certificate));
    const at = String(Date.parse('2026-06-01T00:00:00Z') / 1000);
    const out = execFileSync('openssl', ['verify', '-attime', at, '-purpose', 'smimesign', '-CAfile', join(dir, 'root.pem'), '-untrusted', join(dir, 'ca.pem'), join(dir, 'alice.pem'), join(dir, 'alice-ec.pem')], { encoding: 'utf8' });
    expect(out).toContain('alice.pem: OK');
    expect(out).toContain('alice-ec.pem: OK');
    const text = execFileSync('openssl', ['x509', '-noout', '-ext', 'subjectAltName', '-in', join(dir, 'alice.pem')], { encoding: 'utf8' });
    expect(text).toContain('email:alice@example.com');
  });

  it('rejects the pathLen-0 violation in OpenSSL too (the shape SEC-25a needs)', async () => {
    requireOpenssl();
    const pki = await createTestPki(crypto);
    const leaf = await pki.issue({ issuer: pki.pathLen0SubCa, subject: 'CN=Deep', emails: ['deep@example.com'] });
    const dir = mkdtempSync(join(tmpdir(), 'waxseal-pki-'));
    writeFileSync(join(dir, 'root.pem'), toPem(pki.root.certificate));
    writeFileSync(join(dir, 'chain.pem'), toPem(pki.pathLen0Ca.certificate) + toPem(pki.pathLen0SubCa.certificate));
    writeFileSync(join(dir, 'leaf.pem'), toPem(leaf.certificate));
    const at = String(Date.parse('2026-06-01T00:00:00Z') / 1000);
    let output = '';
    try {
      output = execFileSync('openssl', ['verify', '-attime', at, '-CAfile', join(dir, 'root.pem'), '-untrusted', join(dir, 'chain.pem'), join(dir, 'leaf.pem')], { encoding: 'utf8', stdio: 'pipe' });
    } catch (error) {
      output = String((error as { stdout?: string; stderr?: string }).stdout) + String((error as { stderr?: string }).stderr);
    }
    expect(output).toMatch(/path length constraint exceeded/);
  });
});
