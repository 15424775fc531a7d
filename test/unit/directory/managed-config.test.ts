/**
 * Managed rollout (#9): storage.managed content from policies.json "3rdparty" → typed settings
 * with locked flags, directories, organisation anchors and the provisioned identity, whose PKCS#12 is
 * made by openssl and imported with only its password.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { webcrypto } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { importPkcs12, SmimeError } from '../../../src/crypto/index.js';
import { lockedSettings, parseManagedConfig } from '../../../src/background/policy/managed-config.js';
import { pendingProvisionedIdentity, settleProvisionedIdentity } from '../../../src/background/policy/provisioned-identity.js';
import { hasOwnComposeDefaults, managedFlags, withManagedComposeDefaults } from '../../../src/background/policy/managed-defaults.js';
import { createTestPki, toPem, type TestPki } from '../../helpers/pki.js';

const crypto = webcrypto as unknown as Crypto;
let pki: TestPki;
beforeAll(async () => {
  pki = await createTestPki(crypto);
});

/** The example in README "Managed deployment"; every key appears there. */
const EXAMPLE = JSON.parse(readFileSync(new URL('../../../docs/examples/policies.json', import.meta.url), 'utf8')) as {
  policies: { '3rdparty': { Extensions: Record<string, Record<string, unknown>> } };
};
const EXAMPLE_SETTINGS = EXAMPLE.policies['3rdparty'].Extensions['waxseal@waxseal.org']!;

function memoryArea(): { get(key: string): Promise<Record<string, unknown>>; set(items: Record<string, unknown>): Promise<void> } {
  const data: Record<string, unknown> = {};
  return {
    get: async (key) => (key in data ? { [key]: data[key] } : {}),
    set: async (items) => void Object.assign(data, structuredClone(items)),
  };
}

function opensslPkcs12(password: string): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'waxseal-p12-'));
  try {
    const identity = pki.users.alice.rsa;
    writeFileSync(join(dir, 'cert.pem'), toPem(identity.certificate));
    writeFileSync(join(dir, 'key.pem'), toPem(identity.pkcs8, 'PRIVATE KEY'));
    try {
      execFileSync('openssl', ['pkcs12', '-export', '-in', join(dir, 'cert.pem'), '-inkey', join(dir, 'key.pem'), '-out', join(dir, 'id.p12'), '-passout', `pass:${password}`], { stdio: 'pipe' });
    } catch (error) {
      throw new Error(`openssl pkcs12 failed (install with: apt-get install -y openssl libnss3-tools): ${(error as Error).message}`);
    }
    return new Uint8Array(readFileSync(join(dir, 'id.p12')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('managed configuration', () => {
  it('the documented example policies.json is accepted without problems, every key', () => {
    const result = parseManagedConfig(EXAMPLE_SETTINGS);
    expect(result.problems).toEqual([]);
    expect(result.managed).toBe(true);
    expect(result.config.directories.map((d) => [d.name, d.url, d.baseDn, d.scope, d.bindDn ?? null])).toEqual([
      ['Example Corp directory', 'ldaps://ldap.example.com:636', 'ou=people,dc=example,dc=com', 'sub', null],
      ['Partner directory', 'ldap://ldap.partner.example:389', 'dc=partner,dc=example', 'one', 'cn=waxseal,dc=partner,dc=example'],
    ]);
    expect(result.config.directoryTimeoutMs).toBe(3000);
    expect(result.config.directoryCacheMinutes).toBe(240);
    expect(result.config.trustAnchors).toHaveLength(1);
    expect(result.config.provisionedIdentity?.label).toBe('Example Corp e-mail certificate');
    expect(lockedSettings(result.config).sort()).toEqual(['allowedContentEncryption', 'autoLockMinutes', 'harvestCertificates', 'requireEncryption', 'signByDefault', 'useAddressBookDirectories']);
    expect(result.config.settings.encryptWhenPossible).toEqual({ value: true, locked: false });
    const documented = Object.keys(EXAMPLE_SETTINGS).sort();
    expect(documented).toEqual(['allowedContentEncryption', 'autoLockMinutes', 'directories', 'directoryCacheMinutes', 'directoryTimeoutSeconds', 'encryptWhenPossible', 'harvestCertificates', 'provisionedIdentity', 'requireEncryption', 'signByDefault', 'trustAnchors', 'useAddressBookDirectories']);
  });

  it('invalid entries are dropped and reported, never half-applied', () => {
    const result = parseManagedConfig({
      signByDefault: 'yes',
      autoLockMinutes: 100_000,
      allowedContentEncryption: ['AES-256-GCM', 'RC2-40'],
      requireEncryption: { value: true, locked: 'no' },
      directories: [{ url: 'http://ldap.example.com/' }, { name: 'ok', url: 'ldap://h/dc=x' }],
      trustAnchors: ['not base64!'],
      provisionedIdentity: { url: 'http://insecure.example/id.p12' },
      surprise: 1,
    });
    expect(result.config.settings).toEqual({});
    expect(result.config.directories.map((d) => d.name)).toEqual(['ok']);
    expect(result.config.trustAnchors).toEqual([]);
    expect(result.config.provisionedIdentity).toBeUndefined();
    expect(result.problems.map((p) => p.split(/[:[.]/)[0]).sort()).toEqual(
      ['allowedContentEncryption', 'autoLockMinutes', 'directories', 'provisionedIdentity', 'requireEncryption', 'signByDefault', 'surprise', 'trustAnchors'],
    );
  });

  it('no policy: not managed, nothing locked', () => {
    for (const raw of [undefined, null, {}, []]) {
      const result = parseManagedConfig(raw);
      expect(result.managed).toBe(false);
      expect(lockedSettings(result.config)).toEqual([]);
    }
  });
});

describe('provisioned identity', () => {
  it('an openssl PKCS#12 from policy is offered once, imports with only its password, and is not offered again', async () => {
    const p12 = opensslPkcs12('org-secret');
    const config = parseManagedConfig({ provisionedIdentity: { label: 'Corp', data: Buffer.from(p12).toString('base64') } }).config;
    const area = memoryArea();
    const deps = { area, crypto, fetchBytes: async () => new Uint8Array() };
    const offer = await pendingProvisionedIdentity(config.provisionedIdentity, deps);
    expect(offer?.label).toBe('Corp');
    expect(Buffer.from(offer!.p12).equals(Buffer.from(p12))).toBe(true);
    await expect(importPkcs12(offer!.p12, 'wrong', { crypto })).rejects.toMatchObject({ code: 'PKCS12_WRONG_PASSWORD' });
    const contents = await importPkcs12(offer!.p12, 'org-secret', { crypto });
    expect(contents.integrity).toBe('mac');
    expect(contents.identities).toHaveLength(1);
    await settleProvisionedIdentity(area, offer!.offerId, 'imported');
    expect(await pendingProvisionedIdentity(config.provisionedIdentity, deps)).toBeNull();
  });

  it('a URL that cannot be fetched is a MANAGED_CONFIG_INVALID error, not a crash', async () => {
    const config = parseManagedConfig({ provisionedIdentity: { url: 'https://pki.example.com/id.p12' } }).config;
    const failing = { area: memoryArea(), crypto, fetchBytes: async () => Promise.reject(new Error('offline')) };
    await expect(pendingProvisionedIdentity(config.provisionedIdentity, failing)).rejects.toSatisfy((e: unknown) => e instanceof SmimeError && e.code === 'MANAGED_CONFIG_INVALID');
  });
});

describe('managed compose defaults and flags', () => {
  const userDefaults = { signByDefault: false, encryptWhenPossible: false, requireEncryption: false };

  it('locked values always win; unlocked ones apply only until the user sets their own', async () => {
    const { config } = parseManagedConfig({ signByDefault: true, encryptWhenPossible: { value: true, locked: false } });
    const fresh = withManagedComposeDefaults(async () => userDefaults, async () => false, async () => config);
    expect(await fresh('alice@example.com')).toEqual({ signByDefault: true, encryptWhenPossible: true, requireEncryption: false });
    const own = withManagedComposeDefaults(async () => userDefaults, async () => true, async () => config);
    expect(await own('alice@example.com')).toEqual({ signByDefault: true, encryptWhenPossible: false, requireEncryption: false });
  });

  it('flags for the options page name each managed setting and its lock', () => {
    const { config, managed } = parseManagedConfig({ autoLockMinutes: 5, harvestCertificates: { value: false, locked: false } });
    expect(managedFlags(config, managed)).toEqual({ managed: true, locked: { autoLockMinutes: true, harvestCertificates: false }, values: { harvestCertificates: false }, problems: [] });
    expect(hasOwnComposeDefaults({ composeDefaults: { 'alice@example.com': {} } }, 'Alice@Example.com')).toBe(true);
    expect(hasOwnComposeDefaults({}, 'alice@example.com')).toBe(false);
  });
});
