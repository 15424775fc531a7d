/**
 * SEC-27: address matching (RFC 5280 §7.5, RFC 8398, RFC 8550 §3). Decision pinned in (b): a local-part
 * that differs only in case matches, with `caseOnlyDifference` set so the UI can say so.
 */
import { webcrypto } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { certificateEmailAddresses, certificateMatchesAddress } from '../../src/crypto/cert/index.js';
import { createTestPki, type TestPki } from '../helpers/pki.js';

const crypto = webcrypto as unknown as Crypto;
let pki: TestPki;
beforeAll(async () => {
  pki = await createTestPki(crypto);
});

describe('SEC-27 address matching', () => {
  it('(a) domain case differs → match', async () => {
    const cert = await pki.issue({ issuer: pki.emailCa, subject: 'CN=Alice', emails: ['Alice@example.com'] });
    expect(certificateMatchesAddress(cert.certificate, 'Alice@EXAMPLE.com')).toMatchObject({ matches: true, caseOnlyDifference: false, matchedAddress: 'Alice@example.com' });
  });

  it('(b) local-part differs only in case → match, flagged as a case-only difference', async () => {
    const cert = await pki.issue({ issuer: pki.emailCa, subject: 'CN=Alice', emails: ['Alice@example.com'] });
    expect(certificateMatchesAddress(cert.certificate, 'alice@example.com')).toMatchObject({ matches: true, caseOnlyDifference: true });
  });

  it('(c) a Cyrillic homograph domain does not match, and the compared form shows the punycode', () => {
    const result = certificateMatchesAddress(pki.users.alice.rsa.certificate, 'alice@ex\u0430mple.com');
    expect(result.matches).toBe(false);
    expect(result.comparedAddress).toBe('alice@xn--exmple-4nf.com');
  });

  it('(d) one of three SAN addresses equal to From → match', async () => {
    const cert = await pki.issue({ issuer: pki.emailCa, subject: 'CN=Many', emails: ['one@example.com', 'two@example.org', 'three@example.net'] });
    expect(certificateMatchesAddress(cert.certificate, 'two@example.org')).toMatchObject({ matches: true, matchedAddress: 'two@example.org' });
    expect(certificateMatchesAddress(cert.certificate, 'four@example.org').matches).toBe(false);
  });

  it('(e) a certificate with no address never matches and says so', async () => {
    const cert = await pki.issue({ issuer: pki.emailCa, subject: 'CN=Nobody, O=Example' });
    expect(certificateMatchesAddress(cert.certificate, 'nobody@example.com')).toMatchObject({ matches: false, certificateHasNoAddress: true });
  });

  it('(f) an address only in CN is not an address', async () => {
    const cert = await pki.issue({ issuer: pki.emailCa, subject: 'CN=alice@example.com' });
    expect(certificateEmailAddresses(cert.certificate)).toEqual([]);
    expect(certificateMatchesAddress(cert.certificate, 'alice@example.com')).toMatchObject({ matches: false, certificateHasNoAddress: true });
  });

  it('(g) SmtpUTF8Mailbox matches the same address in UTF-8, also when From has the domain as A-labels', async () => {
    const cert = await pki.issue({ issuer: pki.emailCa, subject: 'CN=Greek', utf8Emails: ['δοκιμή@παράδειγμα.δοκιμή'] });
    expect(certificateMatchesAddress(cert.certificate, 'δοκιμή@παράδειγμα.δοκιμή').matches).toBe(true);
    expect(certificateMatchesAddress(cert.certificate, 'δοκιμή@xn--hxajbheg2az3al.xn--jxalpdlp').matches).toBe(true);
    expect(certificateMatchesAddress(cert.certificate, 'δοκιμη@παράδειγμα.δοκιμή').matches).toBe(false);
  });

  it('(h) no substring or pattern matching', async () => {
    const cert = await pki.issue({ issuer: pki.emailCa, subject: 'CN=Evil', emails: ['alice@example.com.evil.com', 'x.*@example.com'] });
    expect(certificateMatchesAddress(cert.certificate, 'alice@example.com').matches).toBe(false);
    expect(certificateMatchesAddress(cert.certificate, 'xyz@example.com').matches).toBe(false);
    expect(certificateMatchesAddress(pki.users.alice.rsa.certificate, 'lice@example.com').matches).toBe(false);
    expect(certificateMatchesAddress(pki.users.alice.rsa.certificate, 'alice@example.co').matches).toBe(false);
  });

  it('the legacy subject emailAddress counts as an address (RFC 8550 §3)', async () => {
    const cert = await pki.issue({ issuer: pki.emailCa, subject: 'CN=Legacy', subjectEmail: 'legacy@example.com' });
    expect(certificateMatchesAddress(cert.certificate, 'legacy@example.com')).toMatchObject({ matches: true });
  });
});
