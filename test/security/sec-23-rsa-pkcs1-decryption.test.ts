/**
 * SEC-23: RSA PKCS#1 v1.5 key transport, Bleichenbacher/Marvin-aware (engine level).
 * (a) is covered vector by vector in test/unit/wycheproof; here: (b) a corrupted encryptedKey, a wrong-length
 * content key (e) and corrupted content all give the same outcome; (d) only the user's own RecipientInfo is used,
 * whatever another RecipientInfo contains.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as pkijs from 'pkijs';
import { decryptEnvelope } from '../../src/crypto/cms/decrypt.js';
import { encryptEnvelope } from '../../src/crypto/cms/envelope-build.js';
import { parseEnvelope } from '../../src/crypto/cms/envelope-parse.js';
import { rsaPkcs1v15Encrypt, rsaPublicKeyFromSpki } from '../../src/crypto/rsa/rsa-public-key.js';
import { parseCertificateDer } from '../../src/crypto/cms/recipients-certificate.js';
import { DEFAULT_POLICY } from '../../src/crypto/policy.js';
import { createTestPki, type TestPki } from '../helpers/pki.js';
import { crypto } from '../helpers/encryption.js';
import { locate } from '../helpers/encryption-fixtures.js';

const content = new TextEncoder().encode('Content-Type: text/plain\r\n\r\nSEC-23 body.\r\n');
let pki: TestPki;

beforeAll(async () => {
  pki = await createTestPki(crypto);
});

const bob = () => [{ certificate: pki.users.bob.rsa.certificate, pkcs8: pki.users.bob.rsa.pkcs8 }];

/** Replaces the encryptedKey addressed to `certificate` (same length) and returns the new DER. */
function replaceEncryptedKey(der: Uint8Array, serial: Uint8Array, replacement: Uint8Array): Uint8Array {
  const envelope = parseEnvelope(der, DEFAULT_POLICY.limits);
  for (const info of envelope.recipientInfos) {
    const ktri = info.value as pkijs.KeyTransRecipientInfo;
    const rid = ktri.rid as pkijs.IssuerAndSerialNumber;
    if (Buffer.from(rid.serialNumber.valueBlock.valueHexView).equals(Buffer.from(serial))) {
      const old = ktri.encryptedKey.valueBlock.valueHexView;
      const at = Buffer.from(der).indexOf(Buffer.from(old));
      const out = der.slice();
      out.set(replacement, at);
      return out;
    }
  }
  throw new Error('recipient not found');
}

async function twoRecipientMessage(): Promise<Uint8Array> {
  return (
    await encryptEnvelope({
      content,
      recipients: [
        { certificate: pki.users.bob.rsa.certificate, transport: 'rsa-pkcs1-v1_5' },
        { certificate: pki.users.dave.rsa.certificate, transport: 'rsa-pkcs1-v1_5' },
      ],
      cipher: 'AES-256-CBC',
      crypto,
    })
  ).der;
}

const serialOf = (der: Uint8Array) => parseCertificateDer(der).serialNumber.valueBlock.valueHexView;

describe('SEC-23', () => {
  it('(b)(e) bad padding, wrong key length and corrupted content give one identical outcome', async () => {
    const der = await twoRecipientMessage();
    const bobSerial = serialOf(pki.users.bob.rsa.certificate);
    const publicKey = rsaPublicKeyFromSpki(parseCertificateDer(pki.users.bob.rsa.certificate).subjectPublicKeyInfo);
    const randomKey = crypto.getRandomValues(new Uint8Array(256));
    randomKey[0] = 0;
    const wrongLength = rsaPkcs1v15Encrypt(publicKey, crypto.getRandomValues(new Uint8Array(16)), crypto);
    const corruptedContent = der.slice();
    const { content: range } = locate(der);
    const padding = 16 - (content.length % 16);
    corruptedContent[range[1] - 17]! ^= padding; // the last plaintext byte becomes 0: invalid CBC padding
    const variants = [replaceEncryptedKey(der, bobSerial, randomKey), replaceEncryptedKey(der, bobSerial, wrongLength), corruptedContent];
    const reports = [];
    for (const variant of variants) {
      const r = await decryptEnvelope(variant, { identities: bob(), crypto });
      expect(r.plaintext).toBeNull();
      reports.push(JSON.stringify(r.report));
    }
    expect(new Set(reports).size).toBe(1);
    expect(JSON.parse(reports[0]!).reasons).toEqual(['DECRYPTION_FAILED']);
  });

  it('(b)(e) with GCM too: bad padding, wrong key length, a garbage OAEP key and a tampered tag are one outcome (RFC 3218 random key)', async () => {
    const bobSerial = serialOf(pki.users.bob.rsa.certificate);
    const publicKey = rsaPublicKeyFromSpki(parseCertificateDer(pki.users.bob.rsa.certificate).subjectPublicKeyInfo);
    const build = async (transport: 'rsa-pkcs1-v1_5' | 'rsa-oaep-sha256') =>
      (await encryptEnvelope({ content, recipients: [{ certificate: pki.users.bob.rsa.certificate, transport }], cipher: 'AES-128-GCM', crypto })).der;
    const pkcs1 = await build('rsa-pkcs1-v1_5');
    const oaep = await build('rsa-oaep-sha256');
    const garbage = () => crypto.getRandomValues(new Uint8Array(256)).map((b, i) => (i === 0 ? 0 : b));
    const tamperedTag = pkcs1.slice();
    tamperedTag[locate(pkcs1).mac![0]]! ^= 1;
    const variants = [
      replaceEncryptedKey(pkcs1, bobSerial, garbage()),
      replaceEncryptedKey(pkcs1, bobSerial, rsaPkcs1v15Encrypt(publicKey, crypto.getRandomValues(new Uint8Array(32)), crypto)),
      replaceEncryptedKey(oaep, bobSerial, garbage()),
      tamperedTag,
    ];
    const reports = new Set<string>();
    for (const variant of variants) {
      const r = await decryptEnvelope(variant, { identities: bob(), crypto });
      expect(r.plaintext).toBeNull();
      reports.add(JSON.stringify(r.report));
    }
    expect(reports.size).toBe(1);
    expect(JSON.parse([...reports][0]!).reasons).toEqual(['INTEGRITY_CHECK_FAILED']);
  });

  it('(d) the user\'s own RecipientInfo is used; the other one does not change the result', async () => {
    const der = await twoRecipientMessage();
    const daveSerial = serialOf(pki.users.dave.rsa.certificate);
    const crafted = [new Uint8Array(256), crypto.getRandomValues(new Uint8Array(256)).map((b, i) => (i === 0 ? 0 : b))];
    const baseline = await decryptEnvelope(der, { identities: bob(), crypto });
    expect(baseline.plaintext).toEqual(content);
    for (const replacement of crafted) {
      const r = await decryptEnvelope(replaceEncryptedKey(der, daveSerial, replacement), { identities: bob(), crypto });
      expect(r.plaintext).toEqual(content);
      expect({ ...r.report, recipients: [] }).toEqual({ ...baseline.report, recipients: [] });
    }
  });

  it('(d) a key that matches no RecipientInfo is not tried: NO_MATCHING_RECIPIENT, with the recipients listed', async () => {
    const der = await twoRecipientMessage();
    const r = await decryptEnvelope(der, { identities: [{ certificate: pki.users.eve.rsa.certificate, pkcs8: pki.users.eve.rsa.pkcs8 }], crypto });
    expect(r.report.reasons).toEqual(['NO_MATCHING_RECIPIENT']);
    expect(r.report.recipients).toHaveLength(2);
    expect(r.report.recipients.every((x) => x.kind === 'issuerAndSerialNumber' && x.issuer?.includes('Waxseal Test Email CA'))).toBe(true);
  });

  it('old keys: an identity list with the old certificate decrypts; without a key it reports KEY_UNAVAILABLE', async () => {
    const der = await twoRecipientMessage();
    const current = { certificate: pki.users.eve.rsa.certificate, pkcs8: pki.users.eve.rsa.pkcs8 };
    const r = await decryptEnvelope(der, { identities: [current, { certificate: pki.users.bob.rsa.certificate, pkcs8: pki.users.bob.rsa.pkcs8 }], crypto });
    expect(r.plaintext).toEqual(content);
    const locked = await decryptEnvelope(der, { identities: [current, { certificate: pki.users.bob.rsa.certificate }], crypto });
    expect(locked.report.reasons).toEqual(['KEY_UNAVAILABLE']);
  });
});
