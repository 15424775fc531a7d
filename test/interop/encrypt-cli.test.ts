// The waxseal encrypt/decrypt commands, bundled as the build does and run as a process, checked against
// openssl cms in both directions; `open` with several identities (an old key first).
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import { createTestPki, type TestPki } from '../helpers/pki.js';
import { crypto, openssl, scratchDir, toPemText } from '../helpers/encryption.js';

const tmp = scratchDir();
const file = (name: string) => join(tmp.dir, name);
const cli = file('waxseal.mjs');
const MESSAGE = 'From: Alice <alice@example.com>\r\nTo: bob@example.com\r\nSubject: CLI encryption\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nCLI encryption canary 2c9e.\r\n';
let pki: TestPki;

function waxseal(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [cli, ...args], { env: { ...process.env, ...env } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr.toString() };
}

beforeAll(async () => {
  pki = await createTestPki(crypto);
  await build({ entryPoints: ['src/cli/main.ts'], bundle: true, platform: 'node', format: 'esm', outfile: cli, logLevel: 'silent',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" } });
  writeFileSync(file('message.eml'), MESSAGE);
  for (const [name, identity] of [['bob', pki.users.bob.rsa], ['bob-ec', pki.users.bob.ec], ['alice', pki.users.alice.rsa], ['eve', pki.users.eve.rsa]] as const) {
    writeFileSync(file(`${name}.crt`), toPemText(identity.certificate, 'CERTIFICATE'));
    writeFileSync(file(`${name}.key`), toPemText(identity.pkcs8, 'PRIVATE KEY'));
  }
  openssl(['pkcs12', '-export', '-in', file('bob.crt'), '-inkey', file('bob.key'), '-passout', 'pass:secret', '-out', file('bob.p12')]);
  openssl(['pkcs12', '-export', '-in', file('eve.crt'), '-inkey', file('eve.key'), '-passout', 'pass:other', '-out', file('eve.p12')]);
});
afterAll(() => tmp.cleanup());

describe('waxseal encrypt/decrypt', () => {
  it('encrypt --to bob --to bob-ec --self alice --cipher aes-256-gcm → openssl decrypts for each; headers stay outside', () => {
    const r = waxseal(['encrypt', file('message.eml'), '--to', file('bob.crt'), '--to', file('bob-ec.crt'), '--self', file('alice.crt'), '--cipher', 'aes-256-gcm', '--key-transport', 'oaep', '-o', file('enc.eml')]);
    expect(r.status, r.stderr).toBe(0);
    const out = readFileSync(file('enc.eml'), 'latin1');
    expect(out).toMatch(/^From: Alice <alice@example.com>\r\nTo: bob@example.com\r\nSubject: CLI encryption\r\nMIME-Version: 1.0\r\nContent-Type: application\/pkcs7-mime; smime-type=authEnveloped-data;/);
    expect(out).not.toContain('canary');
    for (const name of ['bob', 'bob-ec', 'alice']) {
      const plain = openssl(['cms', '-decrypt', '-in', file('enc.eml'), '-recip', file(`${name}.crt`), '-inkey', file(`${name}.key`)]).toString('latin1');
      expect(plain).toBe('Content-Type: text/plain; charset=us-ascii\r\n\r\nCLI encryption canary 2c9e.\r\n');
    }
  });

  it('openssl encrypts, waxseal decrypt --identity p12 reads it; the wrong identity names the recipients', () => {
    writeFileSync(file('smime.eml'), openssl(['cms', '-encrypt', '-aes-256-cbc', '-in', file('message.eml'), '-recip', file('bob.crt')]));
    const ok = waxseal(['decrypt', file('smime.eml'), '--identity', file('bob.p12'), '--password-env', 'P', '-o', file('dec.eml')], { P: 'secret' });
    expect(ok.status, ok.stderr).toBe(0);
    expect(readFileSync(file('dec.eml'), 'latin1')).toContain('CLI encryption canary 2c9e.');
    const wrong = waxseal(['decrypt', file('smime.eml'), '--key', file('eve.key'), '--cert', file('eve.crt')]);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain('NO_MATCHING_RECIPIENT');
    expect(wrong.stderr).toContain('Waxseal Test Email CA');
  });

  it('open with two identities (another key first, each with its password) decrypts', () => {
    const r = waxseal(['open', file('smime.eml'), '--no-default-trust', '--json', '--identity', file('eve.p12'), '--identity', file('bob.p12'), '--password-env', 'P1', '--password-env', 'P2'], { P1: 'other', P2: 'secret' });
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout.toString());
    expect(report.encryption.verdict).toBe('unauthenticated');
    expect(report.text).toContain('CLI encryption canary 2c9e.');
  });

  it('usage errors are one line with exit 64', () => {
    const r = waxseal(['encrypt', file('message.eml')]);
    expect(r.status).toBe(64);
    expect(r.stderr).toMatch(/^waxseal: encrypt needs at least one --to/);
  });
});
