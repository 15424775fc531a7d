// The engine reports the addressees inside the signed content (header protection, SEC-22): OpenSSL-signed
// fixtures (test/fixtures/sec-22-surreptitious-forwarding/README.md) and the Autocrypt protected-headers corpus.
import { describe, expect, it } from 'vitest';
import { webcrypto } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { openMessage } from '../../../src/crypto/smime/open-message.js';
import { MAX_PROTECTED_ADDRESSES, readProtectedAddressees } from '../../../src/crypto/smime/protected-headers.js';
import { parseMime } from '../../../src/crypto/mime/parse.js';
import { parseCertificates } from '../../../src/crypto/cert/certificate.js';
import { DEFAULT_POLICY } from '../../../src/crypto/policy.js';

const crypto = webcrypto as unknown as Crypto;
const fixture = (path: string) => new Uint8Array(readFileSync(new URL(`../../fixtures/${path}`, import.meta.url)));
const rfc9216Root = parseCertificates(fixture('rfc9216-examples-cms/certs/Sample_LAMPS_RSA_Certification_Authority.selfsigned.pem'))[0]!.der;
const autocryptRoot = parseCertificates(fixture('autocrypt-protected-headers/sample-ca.pem'))[0]!.der;
// Signed 2026-11-28 (signing-time), so checked a few days later.
const options = { anchors: [rfc9216Root], now: new Date('2026-12-01T00:00:00Z'), crypto, policy: DEFAULT_POLICY };
const entity = (text: string) => parseMime(new TextEncoder().encode(text.replace(/\n/g, '\r\n')), DEFAULT_POLICY.limits);

describe('protected addressees in the signed content (SEC-22)', () => {
  it('hp="clear" entity signed by OpenSSL: valid, protected To bob@example.com, outer To ignored', async () => {
    const report = await openMessage(fixture('sec-22-surreptitious-forwarding/alice.dsig.hp-clear.to-carol.eml'), options);
    expect({ verdict: report.signature.verdict, signer: report.signature.signer }).toEqual({ verdict: 'valid', signer: 'alice@smime.example' });
    expect(report.protectedAddressees).toEqual({ style: 'hp', to: ['bob@example.com'], cc: [], bcc: [], complete: true });
  });

  it('message/rfc822 wrapper signed by OpenSSL: the embedded message\'s To', async () => {
    const report = await openMessage(fixture('sec-22-surreptitious-forwarding/alice.dsig.rfc822-wrapper.to-carol.eml'), options);
    expect(report.signature.verdict).toBe('valid');
    expect(report.protectedAddressees).toEqual({ style: 'rfc822-wrapper', to: ['bob@example.com'], cc: [], bcc: [], complete: true });
  });

  it('a signed message without protected headers has none (nothing to judge)', async () => {
    const report = await openMessage(fixture('openssl-generated/alice.dsig.sha256.eml'), options);
    expect(report.signature.verdict).toBe('valid');
    expect(report.protectedAddressees).toBeNull();
  });

  it('Autocrypt protected-headers="v1" (multipart/signed, other implementation): To bob@smime.example', async () => {
    const report = await openMessage(fixture('autocrypt-protected-headers/smime-multipart-signed.eml'), { ...options, anchors: [autocryptRoot], now: new Date('2026-06-01T00:00:00Z') });
    expect(report.signature.verdict).toBe('valid');
    expect(report.protectedAddressees).toEqual({ style: 'protected-headers-v1', to: ['bob@smime.example'], cc: [], bcc: [], complete: true });
  });

  it('headers below an unsigned root do not count: a tampered signed part reports none', async () => {
    const raw = new TextDecoder().decode(fixture('sec-22-surreptitious-forwarding/alice.dsig.hp-clear.to-carol.eml'));
    const tampered = new TextEncoder().encode(raw.replace('To: Bob <bob@example.com>', 'To: Bob <carol@example.com>'));
    const report = await openMessage(tampered, options);
    expect(report.signature.verdict).toBe('invalid');
    expect(report.protectedAddressees).toBeNull();
  });

  it('Cc and Bcc are read, duplicates dropped, addresses lower-cased', () => {
    const result = readProtectedAddressees(entity('Content-Type: text/plain; hp="cipher"\nTo: A <A@Example.com>, a@example.com\nCc: team: c@example.com, d@example.com;\nBcc: e@example.com\n\nbody\n'), DEFAULT_POLICY);
    expect(result).toEqual({ style: 'hp', to: ['a@example.com'], cc: ['c@example.com', 'd@example.com'], bcc: ['e@example.com'], complete: true });
  });

  it('no To/Cc/Bcc in the signed entity → null', () => {
    expect(readProtectedAddressees(entity('Content-Type: text/plain; hp="clear"\nSubject: x\n\nbody\n'), DEFAULT_POLICY)).toBeNull();
  });

  it(`keeps at most ${MAX_PROTECTED_ADDRESSES} addresses per header and says the list is incomplete`, () => {
    const many = Array.from({ length: MAX_PROTECTED_ADDRESSES + 20 }, (_, i) => `u${i}@example.com`).join(', ');
    const result = readProtectedAddressees(entity(`Content-Type: text/plain\nTo: ${many}\n\nbody\n`), DEFAULT_POLICY)!;
    expect(result.to).toHaveLength(MAX_PROTECTED_ADDRESSES);
    expect(result.complete).toBe(false);
  });

  it('an unparsable To is reported as incomplete, not thrown', () => {
    const result = readProtectedAddressees(entity('Content-Type: text/plain\nTo: <bob@example.com\n\nbody\n'), DEFAULT_POLICY)!;
    expect(result.complete).toBe(false);
  });
});
