import { webcrypto } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { domainToASCII } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  assessCertificateForEncryption, assessCertificateForSigning, certificateAddresses, describeCertificate, domainToAscii,
  parseCertificates, punycodeEncode, smimeCapabilities,
} from '../../../src/crypto/cert/index.js';
import { SmimeError } from '../../../src/crypto/errors.js';
import { createTestPki, toPem, x509 } from '../../helpers/pki.js';


const crypto = webcrypto as unknown as Crypto;
// Key generation for the shared hierarchy can take seconds on a busy machine: do it in the hook, with the hook timeout.
beforeAll(async () => {
  await createTestPki(crypto);
});

function openssl(args: string[], input?: Uint8Array): string {
  try {
    return execFileSync('openssl', args, { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('openssl is missing: apt-get install -y openssl libnss3-tools');
    throw error;
  }
}

describe('parseCertificates', () => {
  it('reads DER, PEM (several blocks) and PKCS#7 certs-only bundles made by openssl', async () => {
    const pki = await createTestPki(crypto);
    const dir = mkdtempSync(join(tmpdir(), 'waxseal-cert-'));
    const pem = toPem(pki.root.certificate) + toPem(pki.emailCa.certificate) + toPem(pki.users.alice.rsa.certificate);
    writeFileSync(join(dir, 'all.pem'), pem);
    openssl(['crl2pkcs7', '-nocrl', '-certfile', join(dir, 'all.pem'), '-outform', 'DER', '-out', join(dir, 'all.p7c')]);
    openssl(['crl2pkcs7', '-nocrl', '-certfile', join(dir, 'all.pem'), '-out', join(dir, 'all.p7b')]);
    const derBundle = new Uint8Array(readFileSync(join(dir, 'all.p7c')));
    const pemBundle = readFileSync(join(dir, 'all.p7b'), 'utf8');
    expect(pemBundle).toContain('BEGIN PKCS7');

    const expected = [pki.root.certificate, pki.emailCa.certificate, pki.users.alice.rsa.certificate].map((der) => Buffer.from(der).toString('hex')).sort();
    for (const input of [pem, new TextEncoder().encode(pem), derBundle, pemBundle]) {
      const parsed = parseCertificates(input);
      expect(parsed.map((c) => Buffer.from(c.der).toString('hex')).sort()).toEqual(expected);
    }
    expect(parseCertificates(pki.root.certificate)).toHaveLength(1);
  });

  it('refuses garbage with typed errors', () => {
    expect(() => parseCertificates('hello')).toThrowError(SmimeError);
    expect(() => parseCertificates(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]))).toThrowError(expect.objectContaining({ code: 'MALFORMED_CERTIFICATE' }));
    expect(() => parseCertificates(new Uint8Array([0x30, 0x80]))).toThrowError(SmimeError);
    expect(() => parseCertificates('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----')).toThrowError(SmimeError);
  });
});

describe('describeCertificate', () => {
  it('agrees with openssl x509 on names, serial, validity, fingerprint and key identifiers', async () => {
    const pki = await createTestPki(crypto);
    const der = pki.users.bob.rsa.certificate;
    const summary = await describeCertificate(der, crypto);
    const fingerprint = openssl(['x509', '-inform', 'DER', '-noout', '-fingerprint', '-sha256'], der).split('=')[1]!.trim().replace(/:/g, '').toLowerCase();
    expect(summary.fingerprintSha256).toBe(fingerprint);
    const serial = openssl(['x509', '-inform', 'DER', '-noout', '-serial'], der).split('=')[1]!.trim().toLowerCase();
    expect(summary.serialNumberHex.replace(/^0+/, '')).toBe(serial.replace(/^0+/, ''));
    const text = openssl(['x509', '-inform', 'DER', '-noout', '-text'], der);
    const ski = /Subject Key Identifier:\s*\n\s*([0-9A-F:]+)/.exec(text)![1]!.replace(/:/g, '').toLowerCase();
    expect(summary.subjectKeyIdentifierHex).toBe(ski);
    const aki = /Authority Key Identifier:\s*\n\s*(?:keyid:)?([0-9A-F:]+)/.exec(text)![1]!.replace(/:/g, '').toLowerCase();
    expect(summary.authorityKeyIdentifierHex).toBe(aki);
    const rfc2253 = (what: string): string => openssl(['x509', '-inform', 'DER', '-noout', what, '-nameopt', 'RFC2253'], der).replace(/^(subject|issuer)=/, '').trim().replace(/,/g, ', ');
    expect(summary.subject).toBe(rfc2253('-subject'));
    expect(summary.issuer).toBe(rfc2253('-issuer'));
    expect(summary.subject).toBe('O=Waxseal Tests, CN=Bob');
    expect(summary.notBefore).toBe('2025-01-01T00:00:00.000Z');
    expect(summary.emailAddresses).toEqual(['bob@example.com']);
    expect(summary.publicKeyAlgorithm).toBe('RSA');
    expect(summary.publicKeyBits).toBe(2048);
    expect(summary.keyUsage).toEqual(['digitalSignature', 'nonRepudiation', 'keyEncipherment']);
    expect(summary.extendedKeyUsage).toEqual(['emailProtection']);
    expect(summary.isCa).toBe(false);
    expect(summary.selfIssued).toBe(false);
    expect(summary.signatureAlgorithm).toBe('sha256WithRSAEncryption');
    const root = await describeCertificate(pki.root.certificate, crypto);
    expect(root.isCa).toBe(true);
    expect(root.selfIssued).toBe(true);
    const ec = await describeCertificate(pki.users.bob.ec.certificate, crypto);
    expect(ec.publicKeyAlgorithm).toBe('EC P-256');
  });

  it('parses the S/MIME capabilities extension (RFC 4262) in order', async () => {
    const pki = await createTestPki(crypto);
    // SEQUENCE { SEQUENCE { aes256-CBC }, SEQUENCE { aes128-CBC }, SEQUENCE { des-ede3-cbc } }
    const list = Buffer.from('3023' + '300b' + '0609' + '60864801650304012a' + '300b' + '0609' + '608648016503040102' + '300a' + '0608' + '2a864886f70d0307', 'hex');
    const cert = await pki.issue({ issuer: pki.emailCa, subject: 'CN=Caps', emails: ['caps@example.com'], extensions: [new x509.Extension('1.2.840.113549.1.9.15', false, list)] });
    const parsed = parseCertificates(cert.certificate)[0]!;
    expect(smimeCapabilities(parsed).map((c) => c.name)).toEqual(['aes256Cbc', 'aes128Cbc', 'desEde3Cbc']);
    expect((await describeCertificate(parsed, crypto)).smimeCapabilities).toEqual(['aes256Cbc', 'aes128Cbc', 'desEde3Cbc']);
  });
});

describe('addresses', () => {
  it('takes addresses from SAN rfc822Name, SmtpUTF8Mailbox and subject emailAddress, never from CN', async () => {
    const pki = await createTestPki(crypto);
    const cert = await pki.issue({
      issuer: pki.emailCa, subject: 'CN=cn@example.com', emails: ['san@example.com'], utf8Emails: ['δοκιμή@παράδειγμα.δοκιμή'], subjectEmail: 'dn@example.com',
    });
    expect(certificateAddresses(cert.certificate)).toEqual([
      { address: 'san@example.com', source: 'rfc822Name' },
      { address: 'δοκιμή@παράδειγμα.δοκιμή', source: 'smtpUtf8Mailbox' },
      { address: 'dn@example.com', source: 'subjectEmailAddress' },
    ]);
  });
});

describe('punycode (RFC 3492) and ToASCII', () => {
  it('matches the RFC 3492 §7.1 samples', () => {
    expect(punycodeEncode('\u0644\u064A\u0647\u0645\u0627\u0628\u062A\u0643\u0644\u0645\u0648\u0634\u0639\u0631\u0628\u064A\u061F')).toBe('egbpdaj6bu4bxfgehfvwxn');
    expect(punycodeEncode('\u4ED6\u4EEC\u4E3A\u4EC0\u4E48\u4E0D\u8BF4\u4E2D\u6587')).toBe('ihqwcrb4cv8a8dqg056pqjye');
    expect(punycodeEncode('3\u5E74B\u7D44\u91D1\u516B\u5148\u751F')).toBe('3B-ww4c5e180e575a65lsy2b');
    expect(punycodeEncode('\u3072\u3068\u3064\u5C4B\u6839\u306E\u4E0B2')).toBe('2-u9tlzr9756bt3uc0v');
  });

  it('agrees with the WHATWG URL implementation in Node on domains', () => {
    for (const domain of ['example.com', 'EXAMPLE.com', 'exаmple.com', 'παράδειγμα.δοκιμή', 'bücher.de', 'münchen.example', '例え.テスト']) {
      expect(domainToAscii(domain)).toBe(domainToASCII(domain));
    }
  });
});

describe('purpose checks (SEC-26)', () => {
  it('reports codes for signing and encryption', async () => {
    const pki = await createTestPki(crypto);
    expect(assessCertificateForSigning(pki.users.alice.rsa.certificate)).toMatchObject({ usable: true, failures: [] });
    expect(assessCertificateForEncryption(pki.users.alice.rsa.certificate)).toMatchObject({ usable: true, failures: [] });
    expect(assessCertificateForEncryption(pki.users.alice.ec.certificate)).toMatchObject({ usable: true, failures: [] });
    const signOnlyEc = await pki.issue({ issuer: pki.emailCa, subject: 'CN=EC sign', emails: ['x@example.com'], keyAlgorithm: 'P-256', keyUsage: ['digitalSignature'] });
    expect(assessCertificateForEncryption(signOnlyEc.certificate).failures).toEqual(['KEY_USAGE_ENCRYPTION']);
    const ecWithKeyEncipherment = await pki.issue({ issuer: pki.emailCa, subject: 'CN=EC ke', emails: ['x@example.com'], keyAlgorithm: 'P-256', keyUsage: ['digitalSignature', 'keyEncipherment'] });
    expect(assessCertificateForEncryption(ecWithKeyEncipherment.certificate).failures).toEqual(['KEY_USAGE_ENCRYPTION']);
    const small = await pki.issue({ issuer: pki.emailCa, subject: 'CN=Small', emails: ['x@example.com'], keyAlgorithm: 'RSA-1024' });
    expect(assessCertificateForSigning(small.certificate).failures).toEqual(['KEY_SIZE']);
    expect(assessCertificateForSigning(pki.emailCa.certificate).failures).toContain('NOT_A_CA');
    const anyEku = await pki.issue({ issuer: pki.emailCa, subject: 'CN=Any', emails: ['x@example.com'], eku: ['anyExtendedKeyUsage'] });
    expect(assessCertificateForSigning(anyEku.certificate).usable).toBe(true);
    const noExtensions = await pki.issue({ issuer: pki.emailCa, subject: 'CN=Bare', emails: ['x@example.com'], eku: null, keyUsage: null });
    expect(assessCertificateForSigning(noExtensions.certificate).usable).toBe(true);
  });
});
