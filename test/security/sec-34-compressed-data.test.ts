/**
 * SEC-34: CMS CompressedData (RFC 3274) is never expanded: at the root, inside an EnvelopedData as its inner
 * content type, and as the decrypted payload. A 10 MiB zlib bomb is refused without being inflated.
 */
import { deflateSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import * as asn1js from 'asn1js';
import { decryptEnvelope } from '../../src/crypto/cms/decrypt.js';
import { importDecryptionKey } from '../../src/crypto/cms/recipients.js';
import { encryptEnvelope } from '../../src/crypto/cms/envelope-build.js';
import { decryptMessage } from '../../src/crypto/smime/decrypt-message.js';
import { openMessage } from '../../src/crypto/smime/open-message.js';
import { base64EncodeToBytes, concatBytes } from '../../src/crypto/bytes.js';
import { OID } from '../../src/crypto/oids.js';
import { DEFAULT_POLICY } from '../../src/crypto/policy.js';
import { SmimeError } from '../../src/crypto/errors.js';
import { createTestPki, TEST_NOW, type TestPki } from '../helpers/pki.js';
import { crypto } from '../helpers/encryption.js';
import { encryptedMessage } from '../helpers/encryption-fixtures.js';
import { cpuNow } from '../helpers/limits.js';

let pki: TestPki;
let compressed: Uint8Array;

beforeAll(async () => {
  pki = await createTestPki(crypto);
  const bomb = deflateSync(Buffer.alloc(10 * 1024 * 1024, 0x41));
  // ContentInfo { id-ct-compressedData, [0] CompressedData { version 0, zlib, EncapsulatedContentInfo { data, [0] OCTET STRING } } }
  const compressedData = new asn1js.Sequence({
    value: [
      new asn1js.Integer({ value: 0 }),
      new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: OID.zlibCompress })] }),
      new asn1js.Sequence({
        value: [
          new asn1js.ObjectIdentifier({ value: OID.data }),
          new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [new asn1js.OctetString({ valueHex: new Uint8Array(bomb) })] }),
        ],
      }),
    ],
  });
  compressed = new Uint8Array(
    new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: OID.compressedData }), new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [compressedData] })] }).toBER(),
  );
});

const identities = () => [{ certificate: pki.users.bob.rsa.certificate, pkcs8: pki.users.bob.rsa.pkcs8 }];

describe('SEC-34', () => {
  it('CompressedData at the root: UNSUPPORTED_CONTENT from the decryptor, quickly', async () => {
    const started = cpuNow();
    await expect(decryptEnvelope(compressed, { identities: identities(), crypto })).rejects.toMatchObject({ code: 'UNSUPPORTED_CONTENT' });
    await expect(decryptMessage(encryptedMessage(compressed, 'compressed-data'), { identities: identities(), crypto })).rejects.toBeInstanceOf(SmimeError);
    expect(cpuNow() - started).toBeLessThan(1000);
  });

  it('openMessage on a compressed-data root: not decrypted, not signed, nothing expanded', async () => {
    const report = await openMessage(encryptedMessage(compressed, 'compressed-data'), { anchors: [pki.root.certificate], now: TEST_NOW, crypto, policy: DEFAULT_POLICY, identities: identities() });
    expect(report.encryption.verdict).toBe('none');
    expect(report.signature.verdict).toBe('none');
    expect(report.text).toBeNull();
    expect(report.content?.length ?? 0).toBeLessThan(100_000);
  });

  it('an EnvelopedData whose inner content type is CompressedData is refused before any key is used', async () => {
    const { der } = await encryptEnvelope({ content: compressed, recipients: [{ certificate: pki.users.bob.rsa.certificate, transport: 'rsa-pkcs1-v1_5' }], cipher: 'AES-256-CBC', crypto, contentType: OID.compressedData });
    let keyUsed = false;
    const key = importDecryptionKey(pki.users.bob.rsa.pkcs8, crypto);
    const watched = { ...key, rsaPkcs1v15: () => ((keyUsed = true), key.rsaPkcs1v15()) };
    const r = await decryptEnvelope(der, { identities: [{ certificate: pki.users.bob.rsa.certificate, key: watched }], crypto });
    expect(r.plaintext).toBeNull();
    expect(r.report.verdict).toBe('failed');
    expect(r.report.reasons).toEqual(['UNSUPPORTED_CONTENT', 'compressedData']);
    expect(keyUsed).toBe(false);
  });

  it('a compressed-data entity as the decrypted payload is shown as is, never inflated', async () => {
    const entity = concatBytes([
      new TextEncoder().encode('Content-Type: application/pkcs7-mime; smime-type=compressed-data; name="smime.p7z"\r\nContent-Transfer-Encoding: base64\r\n\r\n'),
      base64EncodeToBytes(compressed),
      new TextEncoder().encode('\r\n'),
    ]);
    const { der } = await encryptEnvelope({ content: entity, recipients: [{ certificate: pki.users.bob.rsa.certificate, transport: 'rsa-pkcs1-v1_5' }], cipher: 'AES-256-GCM', crypto });
    const report = await openMessage(encryptedMessage(der, 'authEnveloped-data'), { anchors: [pki.root.certificate], now: TEST_NOW, crypto, policy: DEFAULT_POLICY, identities: identities() });
    expect(report.encryption.verdict).toBe('authenticated');
    expect(report.text).toBeNull();
    expect(report.content).toEqual(entity);
  });
});
