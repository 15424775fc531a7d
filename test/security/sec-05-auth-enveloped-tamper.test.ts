/**
 * SEC-05: AuthEnvelopedData (AES-GCM) releases no plaintext before the tag verifies; tampering with the
 * ciphertext, the mac, the authAttrs or the nonce gives INTEGRITY_CHECK_FAILED and nothing else.
 * GCM inside EnvelopedData (PKI.js's non-standard form) is never accepted as authenticated.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as asn1js from 'asn1js';
import { decryptEnvelope } from '../../src/crypto/cms/decrypt.js';
import { encryptEnvelope } from '../../src/crypto/cms/envelope-build.js';
import { openMessage } from '../../src/crypto/smime/open-message.js';
import { OID } from '../../src/crypto/oids.js';
import { DEFAULT_POLICY } from '../../src/crypto/policy.js';
import { createTestPki, TEST_NOW, type TestPki } from '../helpers/pki.js';
import { crypto, fixture, pemToDer, smimeBodyDer } from '../helpers/encryption.js';
import { encryptedMessage, flipBit, locate } from '../helpers/encryption-fixtures.js';

const CANARY = 'GCM canary 5be0 must never be released unverified';
const content = new TextEncoder().encode(`Content-Type: text/plain\r\n\r\n${CANARY}\r\n`);
let pki: TestPki;
let der: Uint8Array;
const identities = () => [{ certificate: pki.users.bob.rsa.certificate, pkcs8: pki.users.bob.rsa.pkcs8 }];

beforeAll(async () => {
  pki = await createTestPki(crypto);
  // authAttrs: one content-type attribute, as a DER SET OF Attribute (authenticated as the AAD).
  const attribute = new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: OID.contentType }), new asn1js.Set({ value: [new asn1js.ObjectIdentifier({ value: OID.data })] })] });
  const authAttrs = new Uint8Array(new asn1js.Set({ value: [attribute] }).toBER());
  der = (await encryptEnvelope({ content, recipients: [{ certificate: pki.users.bob.rsa.certificate, transport: 'rsa-oaep-sha256' }], cipher: 'AES-256-GCM', crypto, authenticatedAttributes: authAttrs })).der;
});

describe('SEC-05', () => {
  it('the untampered message decrypts with verdict authenticated (authAttrs included)', async () => {
    const r = await decryptEnvelope(der, { identities: identities(), crypto });
    expect(r.report.verdict).toBe('authenticated');
    expect(r.plaintext).toEqual(content);
    expect(locate(der).authAttrs).not.toBeNull();
  });

  const variants: Array<[string, (d: Uint8Array) => Uint8Array]> = [
    ['(a) ciphertext', (d) => flipBit(d, locate(d).content[0] + 5)],
    ['(b) mac', (d) => flipBit(d, locate(d).mac![0] + 3)],
    ['(c) authAttrs', (d) => flipBit(d, locate(d).authAttrs![1] - 1)],
    ['(d) nonce', (d) => flipBit(d, locate(d).ivOrNonce[0])],
  ];
  for (const [name, tamper] of variants) {
    it(`${name} flipped: INTEGRITY_CHECK_FAILED, no plaintext, nothing in the report`, async () => {
      const tampered = tamper(der);
      expect(tampered).not.toEqual(der);
      const r = await decryptEnvelope(tampered, { identities: identities(), crypto });
      expect(r.report.verdict).toBe('failed');
      expect(r.report.reasons).toEqual(['INTEGRITY_CHECK_FAILED']);
      expect(r.plaintext).toBeNull();
      expect(JSON.stringify(r)).not.toContain('canary');
      const report = await openMessage(encryptedMessage(tampered, 'authEnveloped-data'), { anchors: [pki.root.certificate], now: TEST_NOW, crypto, policy: DEFAULT_POLICY, identities: identities() });
      expect(report.encryption.verdict).toBe('failed');
      expect(report.text).toBeNull();
      expect(report.content).toBeNull();
    });
  }

  it('OpenSSL AES-GCM fixture with a flipped byte releases nothing (openssl-generated README)', async () => {
    const bob = {
      certificate: pemToDer(fixture('rfc9216-examples-cms', 'certs', 'bob@smime.example.enc.pem')),
      pkcs8: pemToDer(fixture('rfc9216-examples-cms', 'keys', 'lamps-bob.decrypt.p8.pem')),
    };
    const r = await decryptEnvelope(smimeBodyDer(fixture('openssl-generated', 'bob.authenv.aes128gcm.rsa15.tampered.eml')), { identities: [bob], crypto });
    expect(r.report.reasons).toEqual(['INTEGRITY_CHECK_FAILED']);
    expect(r.plaintext).toBeNull();
  });

  it('GCM inside EnvelopedData (the PKI.js form) is refused, never authenticated', async () => {
    const cbc = (await encryptEnvelope({ content, recipients: [{ certificate: pki.users.bob.rsa.certificate, transport: 'rsa-pkcs1-v1_5' }], cipher: 'AES-256-CBC', crypto })).der;
    const gcmOid = new Uint8Array(new asn1js.ObjectIdentifier({ value: OID.aes256Gcm }).toBER());
    const cbcOid = new Uint8Array(new asn1js.ObjectIdentifier({ value: OID.aes256Cbc }).toBER());
    const at = Buffer.from(cbc).indexOf(Buffer.from(cbcOid));
    const forged = cbc.slice();
    forged.set(gcmOid, at);
    const r = await decryptEnvelope(forged, { identities: identities(), crypto });
    expect(r.report.verdict).toBe('failed');
    expect(r.report.reasons[0]).toBe('UNSUPPORTED_ALGORITHM');
    expect(r.plaintext).toBeNull();
  });
});
