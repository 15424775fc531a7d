// Signed messages from independent implementations, opened end to end at the fixed time
// 2026-06-01T00:00:00Z: openssl-generated (OpenSSL 3.0.19 with the RFC 9216 keys) and
// autocrypt-protected-headers (signed, and signed inside 3DES encryption). READMEs in test/fixtures/.
import { describe, expect, it } from 'vitest';
import { webcrypto } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { openMessage } from '../../../src/crypto/smime/open-message.js';
import { verifySignedMessage } from '../../../src/crypto/smime/verify-message.js';
import { parseCertificates } from '../../../src/crypto/cert/certificate.js';
import { importPkcs12, requireIdentities } from '../../../src/crypto/pkcs12/import-pkcs12.js';
import { DEFAULT_POLICY } from '../../../src/crypto/policy.js';

const crypto = webcrypto as unknown as Crypto;
const NOW = new Date('2026-06-01T00:00:00Z');
const fixture = (path: string) => new Uint8Array(readFileSync(new URL(`../../fixtures/${path}`, import.meta.url)));
const rfc9216Root = parseCertificates(fixture('rfc9216-examples-cms/certs/Sample_LAMPS_RSA_Certification_Authority.selfsigned.pem'))[0]!.der;
const autocryptRoot = parseCertificates(fixture('autocrypt-protected-headers/sample-ca.pem'))[0]!.der;

describe('openssl-generated signed messages', () => {
  // These were signed on 2026-11-28 (their signing-time); at 2026-06-01 they would be from the future
  // (SEC-18a), so they are checked at this later fixed time.
  const options = { anchors: [rfc9216Root], now: new Date('2026-12-01T00:00:00Z'), crypto, policy: DEFAULT_POLICY };
  it('alice.dsig.sha256.eml → valid, signer alice@smime.example', async () => {
    const report = await verifySignedMessage(fixture('openssl-generated/alice.dsig.sha256.eml'), options);
    expect({ verdict: report.verdict, reasons: report.reasons, signer: report.signer, form: report.form })
      .toEqual({ verdict: 'valid', reasons: [], signer: 'alice@smime.example', form: 'detached' });
  });
  it('alice.dsig.sha256.from-mismatch.eml → invalid (FROM_MISMATCH), the signer still named (SEC-14)', async () => {
    const report = await verifySignedMessage(fixture('openssl-generated/alice.dsig.sha256.from-mismatch.eml'), options);
    expect(report.verdict).toBe('invalid');
    expect(report.reasons).toEqual(['FROM_MISMATCH']);
    expect(report.signer).toBe('alice@smime.example');
  });
  it('alice.sig.pss.opaque.eml → valid RSASSA-PSS, text only from eContent', async () => {
    const opened = await openMessage(fixture('openssl-generated/alice.sig.pss.opaque.eml'), options);
    expect({ verdict: opened.signature.verdict, reasons: opened.signature.reasons, form: opened.signature.form }).toEqual({ verdict: 'valid', reasons: [], form: 'opaque' });
    expect(opened.signature.signatureAlgorithm).toBe('rsassaPss');
    const body = new TextDecoder().decode(fixture('openssl-generated/signed-body.mime')).split(/\r?\n\r?\n/).slice(1).join('\n\n').trim();
    expect(opened.text?.replace(/\r\n/g, '\n').trim()).toBe(body.replace(/\r\n/g, '\n'));
  });
  it('bob.dsig.with-enc-cert.eml → invalid: the certificate lacks digitalSignature (SEC-26)', async () => {
    const report = await verifySignedMessage(fixture('openssl-generated/bob.dsig.with-enc-cert.eml'), options);
    expect(report.verdict).toBe('invalid');
    expect(report.reasons).toContain('CERTIFICATE_NOT_FOR_SIGNING');
    expect(report.checks.find((c) => c.code === 'BAD_SIGNATURE')?.ok).toBe(true);
  });
});

describe('autocrypt-protected-headers messages', () => {
  const options = { anchors: [autocryptRoot], now: NOW, crypto, policy: DEFAULT_POLICY };
  it('smime-multipart-signed.eml (stored with LF line endings) → valid over the CRLF form, signer alice@smime.example', async () => {
    const opened = await openMessage(fixture('autocrypt-protected-headers/smime-multipart-signed.eml'), options);
    expect({ verdict: opened.signature.verdict, reasons: opened.signature.reasons, signer: opened.signature.signer })
      .toEqual({ verdict: 'valid', reasons: [], signer: 'alice@smime.example' });
    expect(opened.encryption.verdict).toBe('none');
    expect(opened.signature.checks.find((c) => c.code === 'LINE_ENDINGS_CANONICALISED')?.ok).toBe(true);
  });
  it('smime-onepart-signed.eml → valid opaque; content equals the generator\'s .inner', async () => {
    const opened = await openMessage(fixture('autocrypt-protected-headers/smime-onepart-signed.eml'), options);
    expect({ verdict: opened.signature.verdict, reasons: opened.signature.reasons, form: opened.signature.form }).toEqual({ verdict: 'valid', reasons: [], form: 'opaque' });
    const inner = new TextDecoder().decode(fixture('autocrypt-protected-headers/smime-onepart-signed.inner')).replace(/\r\n/g, '\n');
    expect(new TextDecoder().decode(opened.content!).replace(/\r\n/g, '\n').trim()).toBe(inner.trim());
  });

  const bob = async () => {
    const contents = await importPkcs12(fixture('autocrypt-protected-headers/bob.p12'), 'bob', { crypto });
    return requireIdentities(contents).map((identity) => ({ certificate: identity.certificate, pkcs8: identity.pkcs8 }));
  };
  for (const file of ['smime-sign+enc.eml', 'smime-sign+enc+legacy-disp.eml']) {
    it(`${file} → decrypts (3DES, unauthenticated by itself) and the inner signature is valid, so authenticated (SEC-04)`, async () => {
      const opened = await openMessage(fixture(`autocrypt-protected-headers/${file}`), { ...options, identities: await bob() });
      expect({ verdict: opened.signature.verdict, reasons: opened.signature.reasons, signer: opened.signature.signer })
        .toEqual({ verdict: 'valid', reasons: [], signer: 'alice@smime.example' });
      expect(opened.encryption.verdict).toBe('authenticated');
      expect(opened.text).toContain('BarCorp');
    });
  }
  it('smime-enc+legacy-disp.eml → decrypts, not signed, stays unauthenticated', async () => {
    const opened = await openMessage(fixture('autocrypt-protected-headers/smime-enc+legacy-disp.eml'), { ...options, identities: await bob() });
    expect(opened.signature.verdict).toBe('none');
    expect(opened.signature.reasons).toEqual(['NOT_SIGNED']);
    expect(opened.encryption.verdict).toBe('unauthenticated');
  });
  it('an encrypted message without identities is reported as not decrypted, never as signed', async () => {
    const opened = await openMessage(fixture('autocrypt-protected-headers/smime-sign+enc.eml'), options);
    expect(opened.signature.verdict).toBe('none');
    expect(opened.encryption.verdict).toBe('failed');
    expect(opened.text).toBeNull();
  });
});
