/**
 * Decryption of messages made by independent implementations: OpenSSL 3.0.19 (test/fixtures/openssl-generated)
 * and draft-ireland-examples-cms (test/fixtures/rfc9216-examples-cms). SEC-05, SEC-24a.
 */
import { describe, expect, it } from 'vitest';
import { decryptEnvelope } from '../../../src/crypto/cms/decrypt.js';
import { crypto, fixture, pemToDer, smimeBodyDer, text } from '../../helpers/encryption.js';

const bob = () => ({
  certificate: pemToDer(fixture('rfc9216-examples-cms', 'certs', 'bob@smime.example.enc.pem')),
  pkcs8: pemToDer(fixture('rfc9216-examples-cms', 'keys', 'lamps-bob.decrypt.p8.pem')),
});
const dana = () => ({
  certificate: pemToDer(fixture('rfc9216-examples-cms', 'certs', 'dana@smime.example.enc.pem')),
  pkcs8: pemToDer(fixture('rfc9216-examples-cms', 'keys', 'lamps-dana.decrypt.p8.pem')),
});
const BODY = 'This is an OpenSSL-generated test message to Bob.';
const SAMPLE = 'This is some sample content.';

describe('OpenSSL-generated messages (openssl-generated/cases.json)', () => {
  it('AES-256-CBC with RSA PKCS#1 v1.5 decrypts, verdict unauthenticated', async () => {
    const r = await decryptEnvelope(smimeBodyDer(fixture('openssl-generated', 'bob.env.aes256cbc.rsa15.eml')), { identities: [bob()], crypto });
    expect(r.report.verdict).toBe('unauthenticated');
    expect(r.report.contentEncryption).toBe('AES-256-CBC');
    expect(text(r.plaintext)).toContain(BODY);
    expect(r.report.recipients).toEqual([expect.objectContaining({ kind: 'issuerAndSerialNumber', issuer: expect.stringContaining('Sample LAMPS RSA Certification Authority') })]);
    expect(r.report.decryptedWith).toMatch(/^[0-9a-f]{64}$/);
  });

  it('SEC-05: AES-128-GCM AuthEnvelopedData with RSA PKCS#1 v1.5 decrypts, verdict authenticated', async () => {
    const r = await decryptEnvelope(smimeBodyDer(fixture('openssl-generated', 'bob.authenv.aes128gcm.rsa15.eml')), { identities: [bob()], crypto });
    expect(r.report.verdict).toBe('authenticated');
    expect(r.report.contentEncryption).toBe('AES-128-GCM');
    expect(text(r.plaintext)).toContain(BODY);
  });

  it('SEC-05/SEC-24a: AES-256-GCM with RSA-OAEP SHA-256 decrypts', async () => {
    const r = await decryptEnvelope(smimeBodyDer(fixture('openssl-generated', 'bob.authenv.aes256gcm.oaep-sha256.eml')), { identities: [bob()], crypto });
    expect(r.report.verdict).toBe('authenticated');
    expect(text(r.plaintext)).toContain(BODY);
  });

  it('SEC-05: the tampered GCM message releases no plaintext', async () => {
    const r = await decryptEnvelope(smimeBodyDer(fixture('openssl-generated', 'bob.authenv.aes128gcm.rsa15.tampered.eml')), { identities: [bob()], crypto });
    expect(r.report.verdict).toBe('failed');
    expect(r.report.reasons).toEqual(['INTEGRITY_CHECK_FAILED']);
    expect(r.plaintext).toBeNull();
  });
});

describe('draft-ireland-examples-cms objects (rfc9216-examples-cms/cases.json)', () => {
  it('SEC-24a: encryptedForBobRSAOaep decrypts to the published content', async () => {
    const r = await decryptEnvelope(fixture('rfc9216-examples-cms', 'cms', 'encryptedForBobRSAOaep.p7m'), { identities: [bob()], crypto });
    expect(text(r.plaintext)).toBe(SAMPLE);
  });

  it('encryptedForBobAndDana decrypts with Bob (RSA-OAEP) and with Dana (X25519, X9.63 KDF)', async () => {
    const der = fixture('rfc9216-examples-cms', 'cms', 'encryptedForBobAndDana.p7m');
    expect(text((await decryptEnvelope(der, { identities: [bob()], crypto })).plaintext)).toBe(SAMPLE);
    expect(text((await decryptEnvelope(der, { identities: [dana()], crypto })).plaintext)).toBe(SAMPLE);
  });

  it('authEnvelopedForDanaX25519HKDF decrypts (X25519, HKDF-SHA256, RFC 8418)', async () => {
    const r = await decryptEnvelope(fixture('rfc9216-examples-cms', 'cms', 'authEnvelopedForDanaX25519HKDF.p7m'), { identities: [dana()], crypto });
    expect(r.report.verdict).toBe('authenticated');
    expect(text(r.plaintext)).toBe(SAMPLE);
  });

  it('ChaCha20-Poly1305 fails cleanly as unsupported', async () => {
    const r = await decryptEnvelope(fixture('rfc9216-examples-cms', 'cms', 'authEnvelopedForBobChaCha20Poly1305.p7m'), { identities: [bob()], crypto });
    expect(r.report.verdict).toBe('failed');
    expect(r.report.reasons[0]).toBe('UNSUPPORTED_ALGORITHM');
    expect(r.plaintext).toBeNull();
  });

  it('KEKRecipientInfo: no usable recipient, without a crash', async () => {
    const r = await decryptEnvelope(fixture('rfc9216-examples-cms', 'cms', 'encryptedKekri.p7m'), { identities: [bob()], crypto });
    expect(r.report.verdict).toBe('failed');
    expect(r.report.reasons).toEqual(['NO_MATCHING_RECIPIENT']);
    expect(r.report.recipients).toEqual([{ kind: 'other' }]);
  });
});
