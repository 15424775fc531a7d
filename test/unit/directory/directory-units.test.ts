/**
 * Directory lookup without a server (#9): vCard KEY certificates, LDAP filter escaping, LDAP URLs,
 * the cache lifetime and timeout of DirectoryLookup, contacts counting as directory certificates,
 * and SEC-37 fuzzing of LDAP attribute values.
 */
import { webcrypto } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DIRECTORY_POLICY, SmimeError } from '../../../src/crypto/index.js';
import { parseLdapUrl, type DirectoryServer } from '../../../src/background/directory/directory-config.js';
import { DirectoryLookup, type LdapSearcher } from '../../../src/background/directory/directory-lookup.js';
import { ADDRESS_BOOK_DIRECTORY_NAME, createDirectoryService } from '../../../src/background/directory/directory-service.js';
import { certificatesFromEntries } from '../../../src/background/directory/entry-certificates.js';
import { escapeFilterValue, mailFilter } from '../../../src/background/directory/ldap-filter.js';
import { certificatesFromVCard } from '../../../src/background/directory/vcard-key.js';
import { parseManagedConfig } from '../../../src/background/policy/managed-config.js';
import { createTestPki, TEST_NOW, type TestPki } from '../../helpers/pki.js';

const crypto = webcrypto as unknown as Crypto;
let pki: TestPki;
beforeAll(async () => {
  pki = await createTestPki(crypto);
});

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('vCard KEY certificates', () => {
  it('reads a vCard 4.0 data: URI as Thunderbird writes it, and a folded vCard 3.0 KEY;ENCODING=b;TYPE=X509', () => {
    const der = pki.users.bob.rsa.certificate;
    const v4 = `BEGIN:VCARD\r\nVERSION:4.0\r\nEMAIL;PREF=1:bob@example.com\r\nKEY:data:application/x-x509-user-cert;base64,${b64(der)}\r\nEND:VCARD\r\n`;
    expect(certificatesFromVCard(v4).map(hex)).toEqual([hex(der)]);
    const folded = (b64(pki.users.dave.rsa.certificate).match(/.{1,60}/g) ?? []).join('\r\n ');
    const v3 = `BEGIN:VCARD\r\nVERSION:3.0\r\nitem1.KEY;ENCODING=b;TYPE=X509:${folded}\r\nEND:VCARD\r\n`;
    expect(certificatesFromVCard(v3).map(hex)).toEqual([hex(pki.users.dave.rsa.certificate)]);
  });

  it('ignores OpenPGP keys, URIs and oversized values', () => {
    const vcard = [
      'BEGIN:VCARD',
      'VERSION:4.0',
      'KEY:data:application/pgp-keys;base64,AAAA',
      'KEY:https://example.com/bob.cer',
      `KEY:data:application/x-x509-user-cert;base64,${'A'.repeat(DEFAULT_DIRECTORY_POLICY.maxValueBytes * 2)}`,
      'END:VCARD',
    ].join('\r\n');
    expect(certificatesFromVCard(vcard)).toEqual([]);
  });
});

describe('LDAP filters and URLs', () => {
  it('escapes the RFC 4515 specials and non-ASCII', () => {
    expect(escapeFilterValue('a*b(c)d\\e')).toBe('a\\2ab\\28c\\29d\\5ce');
    expect(escapeFilterValue('jörg@example.com')).toBe('j\\c3\\b6rg@example.com');
    expect(mailFilter('bob@example.com')).toBe('(mail=bob@example.com)');
    expect(mailFilter('bob@example.com', '(objectClass=inetOrgPerson)')).toBe('(&(objectClass=inetOrgPerson)(mail=bob@example.com))');
  });

  it('parses RFC 4516 URLs and refuses other schemes', () => {
    expect(parseLdapUrl('ldaps://ldap.example.com:636/ou=people,dc=example,dc=com??one?(objectClass=person)')).toEqual({
      url: 'ldaps://ldap.example.com:636',
      baseDn: 'ou=people,dc=example,dc=com',
      scope: 'one',
      filter: '(objectClass=person)',
    });
    expect(parseLdapUrl('ldap://127.0.0.1:3890/dc=example,dc=com')).toMatchObject({ scope: 'sub', baseDn: 'dc=example,dc=com' });
    expect(() => parseLdapUrl('http://example.com/')).toThrow(SmimeError);
    expect(() => parseLdapUrl('ldap://h/dc=x??tree')).toThrow(/scope/);
  });
});

function fakeSearcher(answer: () => Promise<{ dn: string; attributes: Record<string, Uint8Array[]> }[]>): LdapSearcher & { calls: number } {
  const searcher = {
    calls: 0,
    search() {
      searcher.calls += 1;
      return answer();
    },
  };
  return searcher;
}

const SERVER: DirectoryServer = { id: 'policy:0', name: 'Corp', url: 'ldap://127.0.0.1:1', baseDn: 'dc=example,dc=com', scope: 'sub', source: 'policy' };

describe('DirectoryLookup cache and timeout', () => {
  it('reuses an answer for cacheMinutes, then asks again; concurrent lookups share one search', async () => {
    let now = TEST_NOW.getTime();
    const searcher = fakeSearcher(async () => [{ dn: 'uid=bob', attributes: { 'userCertificate;binary': [pki.users.bob.rsa.certificate] } }]);
    const lookup = new DirectoryLookup({ searcher, servers: async () => [SERVER], now: () => new Date(now), policy: { ...DEFAULT_DIRECTORY_POLICY, cacheMinutes: 10 } });
    const [a, b] = await Promise.all([lookup.lookup('Bob@Example.com'), lookup.lookup('bob@example.com')]);
    expect(searcher.calls).toBe(1);
    expect(a.certificates).toHaveLength(1);
    expect(b).toBe(a);
    now += 9 * 60_000;
    await lookup.lookup('bob@example.com');
    expect(searcher.calls).toBe(1);
    now += 2 * 60_000;
    await lookup.lookup('bob@example.com');
    expect(searcher.calls).toBe(2);
    await lookup.lookup('bob@example.com', { refresh: true });
    expect(searcher.calls).toBe(3);
  });

  it('a search that never settles is "unreachable" after timeoutMs, and retried after a minute', async () => {
    let now = TEST_NOW.getTime();
    const searcher = fakeSearcher(() => new Promise(() => undefined));
    const lookup = new DirectoryLookup({ searcher, servers: async () => [SERVER], now: () => new Date(now), policy: { ...DEFAULT_DIRECTORY_POLICY, timeoutMs: 50 } });
    const answer = await lookup.lookup('bob@example.com');
    expect(answer.status).toBe('unreachable');
    expect(answer.unreachable).toEqual(['Corp']);
    now += 61_000;
    await lookup.lookup('bob@example.com');
    expect(searcher.calls).toBe(2);
  });

  it('no directories configured: not-configured, no search', async () => {
    const searcher = fakeSearcher(async () => []);
    const answer = await new DirectoryLookup({ searcher, servers: async () => [], now: () => TEST_NOW }).lookup('bob@example.com');
    expect(answer.status).toBe('not-configured');
    expect(searcher.calls).toBe(0);
  });
});

describe('directory service: contacts and policy', () => {
  it('a certificate in a contact vCard counts as a directory certificate; other contacts are ignored', async () => {
    const der = pki.users.alice.ec.certificate;
    const service = createDirectoryService({
      searcher: fakeSearcher(async () => []),
      addressBooks: async () => [],
      managed: async () => parseManagedConfig({}).config,
      contacts: async () => [
        { vCard: `BEGIN:VCARD\r\nKEY:data:application/x-x509-user-cert;base64,${b64(der)}\r\nEND:VCARD`, emails: ['Alice@Example.com'] },
        { vCard: `BEGIN:VCARD\r\nKEY:data:application/x-x509-user-cert;base64,${b64(pki.users.eve.ec.certificate)}\r\nEND:VCARD`, emails: ['alice.other@example.com'] },
      ],
      now: () => TEST_NOW,
    });
    const answer = await service.lookup('alice@example.com');
    expect(answer.status).toBe('answered');
    expect(answer.certificates.map((c) => [hex(c.certificate), c.directory])).toEqual([[hex(der), ADDRESS_BOOK_DIRECTORY_NAME]]);
  });

  it('policy directories are asked, address books only unless the policy turns them off', async () => {
    const asked: string[] = [];
    const searcher: LdapSearcher = {
      async search({ server }) {
        asked.push(server.name);
        return [];
      },
    };
    const book: DirectoryServer = { ...SERVER, id: 'ldap_2.servers.corp', name: 'Book', source: 'address-book' };
    const managed = parseManagedConfig({ directories: [{ name: 'Policy LDAP', url: 'ldaps://ldap.example.com/dc=example,dc=com' }], useAddressBookDirectories: false });
    expect(managed.problems).toEqual([]);
    const service = createDirectoryService({ searcher, addressBooks: async () => [book], managed: async () => managed.config, contacts: async () => [], now: () => TEST_NOW });
    await service.lookup('bob@example.com');
    expect(asked).toEqual(['Policy LDAP']);
  });
});

describe('SEC-37: LDAP certificate values', () => {
  it('20 000 random values into userSMIMECertificate / userCertificate;binary never throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 96 }), fc.boolean(), (value, smime) => {
        const result = certificatesFromEntries([{ dn: 'uid=x', attributes: { [smime ? 'userSMIMECertificate' : 'userCertificate;binary']: [value] } }]);
        expect(result.certificates.length + result.intermediates.length + result.skipped).toBeLessThanOrEqual(1);
      }),
      { numRuns: 20_000 },
    );
  }, 120_000);

  it('many entries and values: never more than the limits allow', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.uint8Array({ maxLength: 16 }), { maxLength: 20 }), { maxLength: 10 }), (entries) => {
        const result = certificatesFromEntries(entries.map((values, i) => ({ dn: `uid=${i}`, attributes: { userSMIMECertificate: values } })));
        expect(result.certificates.length + result.intermediates.length).toBeLessThanOrEqual(DEFAULT_DIRECTORY_POLICY.maxCertificatesPerAddress);
      }),
      { numRuns: 200 },
    );
  }, 60_000);

  it('mutated DER certificates never throw', () => {
    const der = pki.users.bob.rsa.certificate;
    fc.assert(
      fc.property(fc.nat({ max: der.length - 1 }), fc.integer({ min: 0, max: 255 }), fc.nat({ max: der.length }), (index, byte, cut) => {
        const mutated = der.slice(0, cut);
        if (index < mutated.length) mutated[index] = byte;
        certificatesFromEntries([{ dn: 'uid=x', attributes: { 'userCertificate;binary': [mutated] } }]);
      }),
      { numRuns: 2_000 },
    );
  });

  it('a certificate whose basicConstraints does not decode is skipped, not thrown (fast-check seed 858869418: byte 486 set to 0, cut at 894)', () => {
    const mutated = pki.users.bob.rsa.certificate.slice(0, 894);
    mutated[486] = 0;
    const result = certificatesFromEntries([{ dn: 'uid=x', attributes: { 'userCertificate;binary': [mutated] } }]);
    expect(result).toEqual({ certificates: [], intermediates: [], skipped: 1 });
  });

  it('over-limit counts and sizes are skipped, not parsed', () => {
    const big = new Uint8Array(DEFAULT_DIRECTORY_POLICY.maxValueBytes + 1);
    const result = certificatesFromEntries([{ dn: 'uid=x', attributes: { 'userCertificate;binary': [big, pki.users.bob.rsa.certificate] } }]);
    expect(result.skipped).toBe(1);
    expect(result.certificates).toHaveLength(1);
  });
});
