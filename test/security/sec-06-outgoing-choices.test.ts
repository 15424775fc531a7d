/**
 * SEC-06 (outgoing algorithm choice, static assertions on the output ASN.1) and SEC-07 (the engine part: the
 * encrypted entity contains no plaintext and is a single application/pkcs7-mime part).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as pkijs from 'pkijs';
import { chooseEncryptionAlgorithms } from '../../src/crypto/cms/envelope-algorithms.js';
import { parseEnvelope } from '../../src/crypto/cms/envelope-parse.js';
import { encryptEntity } from '../../src/crypto/smime/encrypt-message.js';
import { parseMime } from '../../src/crypto/mime/index.js';
import { OID } from '../../src/crypto/oids.js';
import { DEFAULT_POLICY } from '../../src/crypto/policy.js';
import { createTestPki, type TestPki } from '../helpers/pki.js';
import { crypto, openssl, scratchDir, toPemText } from '../helpers/encryption.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const CANARY = 'sec07-canary-d41f';
const ATTACHMENT = 'attachment-canary-77aa';
const entity = new TextEncoder().encode(
  `Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/html\r\n\r\n<p>${CANARY}</p>\r\n--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: 7bit\r\n\r\n${ATTACHMENT}\r\n--b--\r\n`,
);
let pki: TestPki;

beforeAll(async () => {
  pki = await createTestPki(crypto);
});

function envelopeOf(result: { entity: Uint8Array }) {
  const root = parseMime(result.entity, DEFAULT_POLICY.limits);
  return { root, envelope: parseEnvelope(root.decodedBody(), DEFAULT_POLICY.limits) };
}

function ktriAlgorithms(infos: pkijs.RecipientInfo[]): string[] {
  return infos.map((info) => (info.value instanceof pkijs.KeyTransRecipientInfo ? info.value.keyEncryptionAlgorithm.algorithmId : info.value instanceof pkijs.KeyAgreeRecipientInfo ? info.value.keyEncryptionAlgorithm.algorithmId : 'other'));
}

describe('SEC-06: outgoing choices', () => {
  it('all recipients advertise AES-256-GCM: AuthEnvelopedData with conformant GCMParameters, and openssl decrypts it', async () => {
    const caps = [OID.aes256Gcm, OID.aes256Cbc, OID.rsaesOaep];
    const result = await encryptEntity({ entity, recipients: [{ certificate: pki.users.bob.rsa.certificate, capabilities: caps }], self: { certificate: pki.users.alice.rsa.certificate, capabilities: caps }, crypto });
    const { root, envelope } = envelopeOf(result);
    expect(root.contentType.params.get('smime-type')).toBe('authEnveloped-data');
    expect(envelope.kind).toBe('authEnveloped');
    expect(envelope.contentEncryptionAlgorithm.algorithmId).toBe(OID.aes256Gcm);
    const params = envelope.contentEncryptionAlgorithm.algorithmParams as { valueBlock: { value: Array<{ valueBlock: { valueHexView?: Uint8Array; valueDec?: number } }> } };
    expect(params.valueBlock.value[0]!.valueBlock.valueHexView!.length).toBe(12);
    expect(envelope.mac!.length).toBe(params.valueBlock.value[1]?.valueBlock.valueDec ?? 12);
    expect(ktriAlgorithms(envelope.recipientInfos)).toEqual([OID.rsaesOaep, OID.rsaesOaep]);
    const tmp = scratchDir();
    try {
      writeFileSync(join(tmp.dir, 'm.eml'), result.entity);
      writeFileSync(join(tmp.dir, 'bob.crt'), toPemText(pki.users.bob.rsa.certificate, 'CERTIFICATE'));
      writeFileSync(join(tmp.dir, 'bob.key'), toPemText(pki.users.bob.rsa.pkcs8, 'PRIVATE KEY'));
      const out = openssl(['cms', '-decrypt', '-in', join(tmp.dir, 'm.eml'), '-recip', join(tmp.dir, 'bob.crt'), '-inkey', join(tmp.dir, 'bob.key')]);
      expect(new Uint8Array(out)).toEqual(entity);
    } finally {
      tmp.cleanup();
    }
  });

  it('a recipient with no known capabilities: EnvelopedData with AES-256-CBC and PKCS#1 v1.5', async () => {
    const result = await encryptEntity({ entity, recipients: [{ certificate: pki.users.bob.rsa.certificate }], self: { certificate: pki.users.alice.rsa.certificate, capabilities: [OID.aes256Gcm] }, crypto });
    const { root, envelope } = envelopeOf(result);
    expect(root.contentType.params.get('smime-type')).toBe('enveloped-data');
    expect(envelope.contentEncryptionAlgorithm.algorithmId).toBe(OID.aes256Cbc);
    expect(ktriAlgorithms(envelope.recipientInfos).sort()).toEqual([OID.rsaEncryption, OID.rsaEncryption]);
  });

  it('in no configuration is GCM inside EnvelopedData, and the sender is always a recipient', async () => {
    const capsSets = [undefined, [], [OID.aes256Gcm], [OID.aes128Gcm], [OID.rsaesOaep], [OID.aes256Gcm, OID.rsaesOaep]];
    const ciphers = [undefined, 'AES-128-CBC', 'AES-256-CBC', 'AES-128-GCM', 'AES-256-GCM'] as const;
    for (const capabilities of capsSets) {
      for (const cipher of ciphers) {
        for (const recipient of [pki.users.bob.rsa, pki.users.bob.ec]) {
          const result = await encryptEntity({ entity, recipients: [{ certificate: recipient.certificate, capabilities }], self: { certificate: pki.users.alice.ec.certificate, capabilities }, crypto, options: { cipher } });
          const { envelope } = envelopeOf(result);
          const algorithm = envelope.contentEncryptionAlgorithm.algorithmId;
          const gcm = [OID.aes128Gcm, OID.aes192Gcm, OID.aes256Gcm].includes(algorithm as never);
          expect(gcm ? 'authEnveloped' : 'enveloped').toBe(envelope.kind);
          expect(envelope.recipientInfos).toHaveLength(2);
          const serials = envelope.recipientInfos.flatMap((info) =>
            info.value instanceof pkijs.KeyTransRecipientInfo
              ? [(info.value.rid as pkijs.IssuerAndSerialNumber).serialNumber.valueBlock.valueHexView]
              : (info.value as pkijs.KeyAgreeRecipientInfo).recipientEncryptedKeys.encryptedKeys.map((k) => (k.rid.value as pkijs.IssuerAndSerialNumber).serialNumber.valueBlock.valueHexView),
          );
          const self = pki.users.alice.ec.x509.serialNumber.toLowerCase().replace(/^0+/, '');
          expect(serials.map((s) => Buffer.from(s).toString('hex').replace(/^0+/, ''))).toContain(self);
        }
      }
    }
  });

  it('chooseEncryptionAlgorithms: GCM only when every recipient advertises it; OAEP per recipient; ECDH for EC', () => {
    const choice = chooseEncryptionAlgorithms([
      { certificate: pki.users.bob.rsa.certificate, capabilities: [OID.aes256Gcm, OID.rsaesOaep] },
      { certificate: pki.users.dave.rsa.certificate, capabilities: [OID.aes256Gcm] },
      { certificate: pki.users.eve.ec.certificate, capabilities: [OID.aes256Gcm] },
    ]);
    expect(choice).toEqual({ content: 'AES-256-GCM', keyTransport: ['rsa-oaep-sha256', 'rsa-pkcs1-v1_5', 'ecdh'] });
    expect(chooseEncryptionAlgorithms([{ certificate: pki.users.bob.rsa.certificate, capabilities: [OID.aes256Gcm] }, { certificate: pki.users.dave.rsa.certificate }]).content).toBe('AES-256-CBC');
  });
});

describe('SEC-07: no plaintext next to the encrypted part', () => {
  it('the output is one application/pkcs7-mime part without any canary of the body or attachment', async () => {
    const result = await encryptEntity({ entity, recipients: [{ certificate: pki.users.bob.rsa.certificate }], self: { certificate: pki.users.alice.rsa.certificate }, crypto });
    const text = new TextDecoder('latin1').decode(result.entity);
    expect(text).not.toContain(CANARY);
    expect(text).not.toContain(ATTACHMENT);
    const root = parseMime(result.entity, DEFAULT_POLICY.limits);
    expect(root.contentType.mediaType).toBe('application/pkcs7-mime');
    expect(root.children).toHaveLength(0);
    expect(root.contentTransferEncoding).toBe('base64');
    const [head, body] = text.split('\r\n\r\n') as [string, string];
    for (const line of head.split('\r\n')) expect(line.length).toBeLessThanOrEqual(78);
    for (const line of body.split('\r\n')) expect(line.length).toBeLessThanOrEqual(76);
    expect(body.split('\r\n')[0]).toHaveLength(76);
  });
});
