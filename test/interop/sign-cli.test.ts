// The waxseal command line, bundled as the build does, run as a process: signatures it makes verify with
// openssl cms; `open --json` reports the verdict contract; user errors are one line without a stack trace.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webcrypto } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';
import { createTestPki, type TestPki } from '../helpers/pki.js';
import { pem, run, scratch } from './sign-tools.js';

const crypto = webcrypto as unknown as Crypto;
const pki: TestPki = await createTestPki(crypto);
const s = scratch();
const cli = s.file('waxseal.mjs');
const alice = pki.users.alice.rsa;
const MESSAGE = 'From: Alice <alice@example.com>\nTo: bob@example.com\nSubject: CLI\nDate: Sun, 31 May 2026 12:00:00 +0000\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\nGrüße, signed from the command line.\n';
const AT = '2026-06-01T00:00:00Z';

function waxseal(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [cli, ...args], { env: { ...process.env, ...env }, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(async () => {
  await build({ entryPoints: ['src/cli/main.ts'], bundle: true, platform: 'node', format: 'esm', outfile: cli, logLevel: 'silent',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" } });
  s.file('message.eml', MESSAGE);
  s.file('alice.pem', pem(alice.certificate, 'CERTIFICATE') + pem(pki.emailCa.certificate, 'CERTIFICATE'));
  s.file('alice.key', pem(alice.pkcs8, 'PRIVATE KEY'));
  s.file('root.pem', pem(pki.root.certificate, 'CERTIFICATE'));
  run('openssl', ['pkcs12', '-export', '-in', s.file('alice.pem'), '-inkey', s.file('alice.key'), '-passout', 'pass:secret', '-out', s.file('alice.p12')]);
});

afterAll(() => s.cleanup());

describe('waxseal CLI', () => {
  it('sign --key/--cert (detached) → openssl cms -verify accepts it, and open --json says valid', () => {
    const signed = waxseal(['sign', s.file('message.eml'), '--key', s.file('alice.key'), '--cert', s.file('alice.pem'), '-o', s.file('signed.eml')]);
    expect(signed.status, signed.stderr).toBe(0);
    const verified = run('openssl', ['cms', '-verify', '-in', s.file('signed.eml'), '-CAfile', s.file('root.pem'), '-purpose', 'smimesign']);
    expect(verified.stdout.toString('utf8')).toContain('Gr=C3=BC=C3=9Fe, signed from the command line.');
    const opened = waxseal(['open', s.file('signed.eml'), '--trust', s.file('root.pem'), '--json']);
    expect(opened.status, opened.stderr).toBe(0);
    const report = JSON.parse(opened.stdout);
    expect(report.signature).toMatchObject({ verdict: 'valid', signer: 'alice@example.com', reasons: [], coversWholeMessage: true });
    expect(report.encryption).toMatchObject({ verdict: 'none', reasons: [] });
    expect(report.text).toContain('Grüße, signed from the command line.');
  });

  it('sign --identity p12 --opaque --pss → opaque RSASSA-PSS that openssl verifies', () => {
    const signed = waxseal(['sign', s.file('message.eml'), '--identity', s.file('alice.p12'), '--password-env', 'WAXSEAL_TEST_PASSWORD', '--opaque', '--pss', '-o', s.file('opaque.eml')], { WAXSEAL_TEST_PASSWORD: 'secret' });
    expect(signed.status, signed.stderr).toBe(0);
    expect(readFileSync(s.file('opaque.eml'), 'latin1')).toContain('smime-type=signed-data');
    const printed = run('openssl', ['cms', '-cmsout', '-print', '-in', s.file('opaque.eml')]).stdout.toString();
    expect(printed).toContain('rsassaPss');
    run('openssl', ['cms', '-verify', '-in', s.file('opaque.eml'), '-CAfile', s.file('root.pem'), '-purpose', 'smimesign']);
    const opened = JSON.parse(waxseal(['open', s.file('opaque.eml'), '--trust', s.file('root.pem'), '--json']).stdout);
    expect(opened.signature.verdict).toBe('valid');
    expect(opened.signature.form).toBe('opaque');
  });

  it('open without the right anchor → invalid UNTRUSTED, still exit 0; --at is honoured', () => {
    waxseal(['sign', s.file('message.eml'), '--key', s.file('alice.key'), '--cert', s.file('alice.pem'), '-o', s.file('signed2.eml')]);
    const opened = waxseal(['open', s.file('signed2.eml'), '--no-default-trust', '--json']);
    expect(opened.status).toBe(0);
    expect(JSON.parse(opened.stdout).signature).toMatchObject({ verdict: 'invalid', reasons: ['UNTRUSTED'] });
    const expired = JSON.parse(waxseal(['open', s.file('signed2.eml'), '--trust', s.file('root.pem'), '--at', '2040-01-01T00:00:00Z', '--json']).stdout);
    expect(expired.signature.verdict).not.toBe('valid');
  });

  it('open of an unsigned message → none / NOT_SIGNED with the text', () => {
    const opened = JSON.parse(waxseal(['open', s.file('message.eml'), '--json', '--at', AT]).stdout);
    expect(opened.signature).toMatchObject({ verdict: 'none', reasons: ['NOT_SIGNED'], coversWholeMessage: false });
    expect(opened.text).toContain('signed from the command line');
  });

  it('inspect shows certificates and message structure', () => {
    const certificate = JSON.parse(waxseal(['inspect', s.file('alice.pem'), '--json']).stdout);
    expect(certificate[0].emailAddresses).toEqual(['alice@example.com']);
    expect(certificate[0].signing.usable).toBe(true);
    const structure = waxseal(['inspect', s.file('signed.eml')]);
    expect(structure.status).toBe(0);
    expect(structure.stdout).toContain('multipart/signed');
    expect(structure.stdout).toContain('detached signature');
    expect(structure.stdout).toContain('sha256');
  });

  it('user errors: one line, no stack trace, exit 64 / 2', () => {
    const missing = waxseal(['open', s.file('does-not-exist.eml')]);
    expect(missing.status).toBe(64);
    expect(missing.stderr).toMatch(/^waxseal: cannot read .*ENOENT/);
    expect(missing.stderr).not.toMatch(/\n\s+at /);
    const wrongPassword = waxseal(['sign', s.file('message.eml'), '--identity', s.file('alice.p12'), '--password-env', 'WAXSEAL_TEST_PASSWORD'], { WAXSEAL_TEST_PASSWORD: 'wrong' });
    expect(wrongPassword.status).toBe(2);
    expect(wrongPassword.stderr).toMatch(/^waxseal: .*\(PKCS12_WRONG_PASSWORD\)\n$/);
    const unknown = waxseal(['frobnicate']);
    expect(unknown.status).toBe(64);
    expect(unknown.stderr).toContain('unknown command');
  });
});
