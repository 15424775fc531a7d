// SEC-38: every PKCS#12 file of the pyca/cryptography corpus imports with the documented keys, certificates
// and friendly names; legacy 3DES/RC2 files included (SEC-38b). Expectations come from cases.json (OpenSSL 3 output).
import { readFileSync } from 'node:fs';
import { webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { importPkcs12, SmimeError } from '../../../src/crypto/index.js';
import { signAndVerifyWithIdentity } from './helpers.js';

const crypto = webcrypto as unknown as Crypto;
const root = new URL('../../fixtures/pyca-pkcs12-pkcs7/', import.meta.url);

interface Case {
  file: string;
  password?: string;
  expected: { import?: string; private_keys?: number; certificates?: number; friendly_names?: string[] };
}

const cases = (JSON.parse(readFileSync(new URL('cases.json', root), 'utf8')) as { cases: Case[] }).cases.filter((c) => c.file.endsWith('.p12'));

// cases.json holds OpenSSL's terminal rendering for non-ASCII names; these are the BMPString values pyca writes.
const UNICODE_NAMES: Record<string, string[]> = {
  'pkcs12/name-unicode-no-pwd.p12': ['☺', '☺', 'ä', 'ç'],
  'pkcs12/name-unicode-pwd.p12': ['☺', '☺', 'ä', 'ç'],
  'pkcs12/no-cert-name-unicode-no-pwd.p12': ['☹', 'ï'],
  'pkcs12/no-cert-name-unicode-pwd.p12': ['☹', 'ï'],
};

describe('pyca/cryptography PKCS#12 corpus (SEC-38a, SEC-38b)', () => {
  it('lists all 30 PKCS#12 files', () => {
    expect(cases).toHaveLength(30);
  });

  for (const c of cases) {
    it(`${c.file} imports with the expected contents`, async () => {
      const bytes = new Uint8Array(readFileSync(new URL(c.file, root)));
      expect(c.expected.import).toBe('ok');
      const contents = await importPkcs12(bytes, c.password ?? null, { crypto });
      expect(contents.keys).toHaveLength(c.expected.private_keys!);
      expect(contents.certificates).toHaveLength(c.expected.certificates!);
      const names = [...contents.keys, ...contents.certificates].flatMap((x) => (x.friendlyName === undefined ? [] : [x.friendlyName]));
      expect(names.sort()).toEqual([...(UNICODE_NAMES[c.file] ?? c.expected.friendly_names!)].sort());
      if (c.expected.private_keys! > 0 && c.expected.certificates! > 0) {
        expect(contents.identities).toHaveLength(1);
        await signAndVerifyWithIdentity(crypto, contents.identities[0]!);
      } else {
        expect(contents.identities).toHaveLength(0);
      }
    });
  }

  it('refuses a wrong password with PKCS12_WRONG_PASSWORD for a file with a MAC (SEC-38c)', async () => {
    const bytes = new Uint8Array(readFileSync(new URL('pkcs12/cert-key-aes256cbc.p12', root)));
    const error = await importPkcs12(bytes, 'not-cryptography', { crypto }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SmimeError);
    expect((error as SmimeError).code).toBe('PKCS12_WRONG_PASSWORD');
  });

  it('accepts both an empty and an absent password for files without one', async () => {
    const bytes = new Uint8Array(readFileSync(new URL('pkcs12/no-password.p12', root)));
    const withEmpty = await importPkcs12(bytes, '', { crypto });
    const withNull = await importPkcs12(bytes, null, { crypto });
    expect(withEmpty.identities).toHaveLength(1);
    expect(withNull.identities[0]!.pkcs8).toEqual(withEmpty.identities[0]!.pkcs8);
  });
});
