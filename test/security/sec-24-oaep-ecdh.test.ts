/**
 * SEC-24: RSA-OAEP and ECDH key agreement.
 * (a) OAEP variants and ECDH variants made by `openssl cms -encrypt` decrypt (OAEP with a hash different from
 * the MGF1 hash, which WebCrypto cannot do, fails cleanly as unsupported); (c) sending: OAEP only when advertised.
 * (b) is test/unit/wycheproof.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as pkijs from 'pkijs';
import { decryptEnvelope } from '../../src/crypto/cms/decrypt.js';
import { parseEnvelope } from '../../src/crypto/cms/envelope-parse.js';
import { encryptEntity } from '../../src/crypto/smime/encrypt-message.js';
import { parseMime } from '../../src/crypto/mime/index.js';
import { OID } from '../../src/crypto/oids.js';
import { DEFAULT_POLICY } from '../../src/crypto/policy.js';
import { createTestPki, type TestPki } from '../helpers/pki.js';
import { crypto, openssl, scratchDir, toPemText } from '../helpers/encryption.js';

const content = new TextEncoder().encode('Content-Type: text/plain\r\n\r\nSEC-24 body.\r\n');
let pki: TestPki;
const tmp = scratchDir();
afterAll(() => tmp.cleanup());

beforeAll(async () => {
  pki = await createTestPki(crypto);
  writeFileSync(join(tmp.dir, 'plain'), content);
  writeFileSync(join(tmp.dir, 'bob.crt'), toPemText(pki.users.bob.rsa.certificate, 'CERTIFICATE'));
  writeFileSync(join(tmp.dir, 'bob-ec.crt'), toPemText(pki.users.bob.ec.certificate, 'CERTIFICATE'));
});

const encryptWithOpenssl = (recipient: string, keyopts: string[]) =>
  new Uint8Array(openssl(['cms', '-encrypt', '-aes-256-cbc', '-binary', '-in', join(tmp.dir, 'plain'), '-outform', 'DER', '-recip', join(tmp.dir, recipient), ...keyopts.flatMap((k) => ['-keyopt', k])]));

describe('SEC-24', () => {
  const oaep: Array<[string, string[], 'ok' | 'unsupported']> = [
    ['OAEP default (SHA-1)', ['rsa_padding_mode:oaep'], 'ok'],
    ['OAEP with a label', ['rsa_padding_mode:oaep', 'rsa_oaep_label:0102030405'], 'ok'],
    ['OAEP SHA-256 hash and MGF1', ['rsa_padding_mode:oaep', 'rsa_oaep_md:sha256', 'rsa_mgf1_md:sha256'], 'ok'],
    ['OAEP SHA-256 hash (the MGF1 hash follows it in OpenSSL)', ['rsa_padding_mode:oaep', 'rsa_oaep_md:sha256'], 'ok'],
    ['OAEP SHA-1 hash, MGF1-SHA-256', ['rsa_padding_mode:oaep', 'rsa_mgf1_md:sha256'], 'unsupported'],
  ];
  for (const [name, keyopts, expected] of oaep) {
    it(`(a) ${name}: ${expected}`, async () => {
      const r = await decryptEnvelope(encryptWithOpenssl('bob.crt', keyopts), { identities: [{ certificate: pki.users.bob.rsa.certificate, pkcs8: pki.users.bob.rsa.pkcs8 }], crypto });
      if (expected === 'ok') expect(r.plaintext).toEqual(content);
      else expect(r.report.reasons).toEqual(['UNSUPPORTED_ALGORITHM']);
    });
  }

  for (const [name, keyopts] of [['ECDH default KDF (SHA-1)', []], ['ECDH SHA-256 KDF', ['ecdh_kdf_md:sha256']], ['ECDH SHA-512 KDF', ['ecdh_kdf_md:sha512']]] as Array<[string, string[]]>) {
    it(`(a) ${name}`, async () => {
      const r = await decryptEnvelope(encryptWithOpenssl('bob-ec.crt', keyopts), { identities: [{ certificate: pki.users.bob.ec.certificate, pkcs8: pki.users.bob.ec.pkcs8 }], crypto });
      expect(r.plaintext).toEqual(content);
    });
  }

  it('(c) OAEP-SHA-256 only for recipients advertising RSAES-OAEP; ECDH with a SHA-256 KDF for P-256', async () => {
    const result = await encryptEntity({
      entity: content,
      recipients: [{ certificate: pki.users.bob.rsa.certificate, capabilities: [OID.rsaesOaep] }, { certificate: pki.users.dave.ec.certificate }],
      self: { certificate: pki.users.alice.rsa.certificate },
      crypto,
    });
    const envelope = parseEnvelope(parseMime(result.entity, DEFAULT_POLICY.limits).decodedBody(), DEFAULT_POLICY.limits);
    const algorithms = envelope.recipientInfos.map((info) => {
      if (info.value instanceof pkijs.KeyTransRecipientInfo) return info.value.keyEncryptionAlgorithm.algorithmId;
      const kari = info.value as pkijs.KeyAgreeRecipientInfo;
      return `${kari.keyEncryptionAlgorithm.algorithmId}+${new pkijs.AlgorithmIdentifier({ schema: kari.keyEncryptionAlgorithm.algorithmParams }).algorithmId}`;
    });
    expect(algorithms.sort()).toEqual([OID.rsaEncryption, OID.rsaesOaep, `${OID.dhSinglePassStdDhSha256Kdf}+${OID.aes256Wrap}`].sort());
  });
});
