/**
 * Directory certificate lookup against a real OpenLDAP server (#9; SEC-47, SEC-37): users with
 * userSMIMECertificate (PKCS#7 made by openssl crl2pkcs7), userCertificate;binary (DER), an
 * expired one, one with two, one behind a simple bind; queried with OpenLDAP's ldapsearch.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { webcrypto } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DIRECTORY_POLICY, validatePath } from '../../../src/crypto/index.js';
import { DirectoryLookup } from '../../../src/background/directory/directory-lookup.js';
import type { DirectoryServer } from '../../../src/background/directory/directory-config.js';
import { withDirectoryCertificates } from '../../../src/background/directory/recipient-source.js';
import { resolveRecipients, type KnownRecipientCertificate, type RecipientCertificateSource } from '../../../src/background/send/recipients.js';
import { createTestPki, TEST_NOW, toPem, type TestIdentity, type TestPki } from '../../helpers/pki.js';
import { ADMIN_DN, ldapsearchSearcher, ldifBinary, startSilentServer, startSlapd, SUFFIX, type Slapd } from '../../helpers/slapd.js';

const crypto = webcrypto as unknown as Crypto;

function opensslPkcs7(certificates: Uint8Array[]): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'waxseal-p7-'));
  try {
    const args = ['crl2pkcs7', '-nocrl', '-outform', 'DER', '-out', join(dir, 'out.p7')];
    certificates.forEach((c, i) => {
      writeFileSync(join(dir, `${i}.pem`), toPem(c));
      args.push('-certfile', join(dir, `${i}.pem`));
    });
    try {
      execFileSync('openssl', args, { stdio: 'pipe' });
    } catch (error) {
      throw new Error(`openssl crl2pkcs7 failed (install with: apt-get install -y openssl libnss3-tools): ${(error as Error).message}`);
    }
    return new Uint8Array(readFileSync(join(dir, 'out.p7')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function person(uid: string, ou: string, mail: string, values: string[], password?: string): string {
  return [`dn: uid=${uid},ou=${ou},${SUFFIX}`, 'objectClass: inetOrgPerson', `uid: ${uid}`, `cn: ${uid}`, `sn: ${uid}`, `mail: ${mail}`, ...(password ? [`userPassword: ${password}`] : []), ...values, '', ''].join('\n');
}

let pki: TestPki;
let slapd: Slapd;
const people: Record<string, TestIdentity[]> = {};

beforeAll(async () => {
  pki = await createTestPki(crypto);
  const issue = (subject: string, email: string, extra: Partial<Parameters<TestPki['issue']>[0]> = {}): Promise<TestIdentity> =>
    pki.issue({ issuer: pki.emailCa, subject: `CN=${subject}, O=Waxseal Tests`, emails: [email], keyAlgorithm: 'P-256', ...extra });
  people.bob = [pki.users.bob.rsa];
  people.dave = [pki.users.dave.rsa];
  people.eve = [await issue('Eve expired', 'eve@example.com', { notBefore: new Date('2024-01-01T00:00:00Z'), notAfter: new Date('2026-01-01T00:00:00Z') })];
  people.manager = [pki.users.manager.ec, await issue('Manager new', 'manager@example.com', { notBefore: new Date('2026-02-01T00:00:00Z') })];
  people.carol = [
    await issue('Carol expired', 'carol@example.com', { notBefore: new Date('2024-01-01T00:00:00Z'), notAfter: new Date('2025-06-01T00:00:00Z') }),
    await issue('Carol TLS', 'carol@example.com', { eku: ['serverAuth'] }),
    await issue('Carol', 'carol@example.com'),
  ];
  people.grace = [await issue('Not Grace', 'someone-else@example.com')];
  people.frank = [await issue('Frank', 'frank@example.com')];
  const ldif = [
    person('bob', 'people', 'bob@example.com', [ldifBinary('userSMIMECertificate', opensslPkcs7([pki.users.bob.rsa.certificate, pki.emailCa.certificate]))]),
    person('dave', 'people', 'dave@example.com', [ldifBinary('userCertificate;binary', pki.users.dave.rsa.certificate)]),
    person('eve', 'people', 'eve@example.com', [ldifBinary('userCertificate;binary', people.eve[0]!.certificate)]),
    person('manager', 'people', 'manager@example.com', people.manager.map((p) => ldifBinary('userCertificate;binary', p.certificate))),
    person('carol', 'people', 'carol@example.com', people.carol.map((p) => ldifBinary('userCertificate;binary', p.certificate))),
    person('grace', 'people', 'grace@example.com', [ldifBinary('userCertificate;binary', people.grace[0]!.certificate)]),
    person('heidi', 'people', 'heidi@example.com', [ldifBinary('userSMIMECertificate', new Uint8Array([0x30, 0x82, 0xff, 0xff, 1, 2, 3]))]),
    person('frank', 'restricted', 'frank@example.com', [ldifBinary('userCertificate;binary', people.frank[0]!.certificate)], 'frank-password'),
  ].join('');
  slapd = await startSlapd(ldif);
}, 60_000);

afterAll(async () => {
  await slapd?.stop();
});

function server(overrides: Partial<DirectoryServer> = {}): DirectoryServer {
  return { id: 'policy:0', name: 'Example LDAP', url: slapd.url, baseDn: SUFFIX, scope: 'sub', source: 'policy', ...overrides };
}

function lookupWith(servers: DirectoryServer[], timeoutMs = DEFAULT_DIRECTORY_POLICY.timeoutMs): DirectoryLookup {
  return new DirectoryLookup({ searcher: ldapsearchSearcher(), servers: async () => servers, now: () => TEST_NOW, policy: { ...DEFAULT_DIRECTORY_POLICY, timeoutMs } });
}

async function validate(certificate: Uint8Array, intermediates: readonly Uint8Array[]): Promise<boolean> {
  const result = await validatePath({
    leaf: certificate,
    intermediates: [...intermediates, pki.emailCa.certificate],
    anchors: [{ der: pki.root.certificate, source: 'user', purposes: ['email'] }],
    now: TEST_NOW,
    purpose: 'smime-encryption',
    crypto,
  });
  return result.status === 'valid';
}

function stored(candidates: Record<string, KnownRecipientCertificate[]>): RecipientCertificateSource {
  return { candidates: async (address) => ({ candidates: candidates[address] ?? [], directory: 'not-configured' }) };
}

async function resolve(address: string, lookup: DirectoryLookup, base: RecipientCertificateSource = stored({})) {
  const source = withDirectoryCertificates(base, { lookup: (a) => lookup.lookup(a), validate, now: () => TEST_NOW });
  const [resolved] = await resolveRecipients({ to: [address], cc: [], bcc: [] }, source, { now: TEST_NOW, crypto });
  return resolved!;
}

const same = (a: Uint8Array | null, b: Uint8Array): boolean => a !== null && Buffer.from(a).equals(Buffer.from(b));

describe('directory lookup against slapd (SEC-47)', () => {
  it('reads userSMIMECertificate (PKCS#7 from openssl) and uses the CA it carries only as chain material', async () => {
    const answer = await lookupWith([server()]).lookup('bob@example.com');
    expect(answer.status).toBe('answered');
    expect(answer.certificates).toHaveLength(1);
    expect(same(answer.certificates[0]!.certificate, pki.users.bob.rsa.certificate)).toBe(true);
    expect(answer.intermediates.map((c) => Buffer.from(c).toString('hex'))).toEqual([Buffer.from(pki.emailCa.certificate).toString('hex')]);
    const resolved = await resolve('bob@example.com', lookupWith([server()]));
    expect(resolved.view.status).toBe('ok');
    expect(resolved.view.certificate?.origin).toBe('directory');
    expect(same(resolved.certificate, pki.users.bob.rsa.certificate)).toBe(true);
  });

  it('reads userCertificate;binary (DER)', async () => {
    const resolved = await resolve('dave@example.com', lookupWith([server()]));
    expect(resolved.view.certificate?.origin).toBe('directory');
    expect(same(resolved.certificate, pki.users.dave.rsa.certificate)).toBe(true);
  });

  it('SEC-47b: a usable directory certificate wins over a usable harvested one', async () => {
    const harvested: KnownRecipientCertificate = { certificate: pki.users.dave.ec.certificate, source: 'harvested', pathValid: true, state: 'active', harvestedAt: '2026-05-01T00:00:00Z' };
    const resolved = await resolve('dave@example.com', lookupWith([server()]), stored({ 'dave@example.com': [harvested] }));
    expect(same(resolved.certificate, pki.users.dave.rsa.certificate)).toBe(true);
    expect(resolved.view.reasons).toContain('directory');
  });

  it('SEC-47e: an expired directory certificate does not block a usable harvested one, and the status says so', async () => {
    const harvestedEve = await pki.issue({ issuer: pki.emailCa, subject: 'CN=Eve, O=Waxseal Tests', emails: ['eve@example.com'], keyAlgorithm: 'P-256' });
    const harvested: KnownRecipientCertificate = { certificate: harvestedEve.certificate, source: 'harvested', pathValid: true, state: 'active', harvestedAt: '2026-05-01T00:00:00Z' };
    const resolved = await resolve('eve@example.com', lookupWith([server()]), stored({ 'eve@example.com': [harvested] }));
    expect(resolved.view.status).toBe('ok');
    expect(same(resolved.certificate, harvestedEve.certificate)).toBe(true);
    expect(resolved.view.reasons).toContain('directory-unusable');
  });

  it('an expired directory certificate alone is reported as expired, not missing', async () => {
    const resolved = await resolve('eve@example.com', lookupWith([server()]));
    expect(resolved.view.status).toBe('problem');
    expect(resolved.view.problems).toContain('expired');
    expect(resolved.view.problems).not.toContain('missing');
  });

  it('two directory certificates: the newest usable one is chosen', async () => {
    const answer = await lookupWith([server()]).lookup('manager@example.com');
    expect(answer.certificates).toHaveLength(2);
    const resolved = await resolve('manager@example.com', lookupWith([server()]));
    expect(same(resolved.certificate, people.manager[1]!.certificate)).toBe(true);
  });

  it('SEC-47c: of expired, serverAuth-only and valid emailProtection, the valid one is chosen', async () => {
    const resolved = await resolve('carol@example.com', lookupWith([server()]));
    expect(same(resolved.certificate, people.carol[2]!.certificate)).toBe(true);
  });

  it('SEC-47d: a directory certificate that does not name the address is refused', async () => {
    const resolved = await resolve('grace@example.com', lookupWith([server()]));
    expect(resolved.certificate).toBeNull();
    expect(resolved.view.problems).toContain('address-mismatch');
  });

  it('SEC-47a: a directory certificate from an untrusted CA is not used', async () => {
    const untrusted = new DirectoryLookup({ searcher: ldapsearchSearcher(), servers: async () => [server()], now: () => TEST_NOW });
    const source = withDirectoryCertificates(stored({}), { lookup: (a) => untrusted.lookup(a), validate: async () => false, now: () => TEST_NOW });
    const [resolved] = await resolveRecipients({ to: ['dave@example.com'], cc: [], bcc: [] }, source, { now: TEST_NOW, crypto });
    expect(resolved!.certificate).toBeNull();
    expect(resolved!.view.problems).toContain('untrusted');
  });

  it('SEC-37: a malformed userSMIMECertificate value is skipped; the lookup still answers', async () => {
    const answer = await lookupWith([server()]).lookup('heidi@example.com');
    expect(answer.status).toBe('answered');
    expect(answer.certificates).toEqual([]);
  });

  it('simple bind: an entry readable only after binding is found with the bind DN and not anonymously', async () => {
    const anonymous = await lookupWith([server()]).lookup('frank@example.com');
    expect(anonymous.certificates).toEqual([]);
    const bound = await lookupWith([server({ bindDn: `uid=frank,ou=restricted,${SUFFIX}`, bindPassword: 'frank-password' })]).lookup('frank@example.com');
    expect(bound.certificates).toHaveLength(1);
    expect(same(bound.certificates[0]!.certificate, people.frank[0]!.certificate)).toBe(true);
    const wrong = await lookupWith([server({ bindDn: ADMIN_DN, bindPassword: 'wrong' })]).lookup('frank@example.com');
    expect(wrong.status).toBe('unreachable');
  });

  it('filter injection: "*" and ")(mail=*" in an address match nothing (RFC 4515 escaping)', async () => {
    for (const address of ['*', 'bob@example.com)(mail=*', '*)(|(mail=*']) {
      const answer = await lookupWith([server()]).lookup(address);
      expect(answer.status).toBe('answered');
      expect(answer.certificates).toEqual([]);
    }
  });

  it('a directory that accepts but never answers: unreachable within the timeout; composing continues with the harvested certificate', async () => {
    const silent = await startSilentServer();
    try {
      const lookup = lookupWith([server({ url: silent.url, name: 'Silent' })], 1000);
      const started = Date.now();
      const harvested: KnownRecipientCertificate = { certificate: pki.users.dave.ec.certificate, source: 'harvested', pathValid: true, state: 'active', harvestedAt: '2026-05-01T00:00:00Z' };
      const resolved = await resolve('dave@example.com', lookup, stored({ 'dave@example.com': [harvested] }));
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(resolved.view.status).toBe('ok');
      expect(resolved.view.reasons).toContain('directory-unreachable');
      expect(lookup.cached('dave@example.com')?.unreachable).toEqual(['Silent']);
    } finally {
      await silent.stop();
    }
  });

  it('one directory down, another answering: the answer counts', async () => {
    const answer = await lookupWith([server({ url: 'ldap://127.0.0.1:1', name: 'Down' }), server()]).lookup('dave@example.com');
    expect(answer.status).toBe('answered');
    expect(answer.unreachable).toEqual(['Down']);
    expect(answer.certificates.map((c) => c.directory)).toEqual(['Example LDAP']);
  });
});
