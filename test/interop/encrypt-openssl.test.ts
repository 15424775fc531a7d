/**
 * Encryption interop with OpenSSL (the independent implementation), both directions, for every combination of
 * content cipher (AES-CBC → EnvelopedData, AES-GCM → AuthEnvelopedData) × recipient kind (RSA PKCS#1 v1.5,
 * RSA-OAEP SHA-256, ECDH P-256, ECDH P-384, and P-521). SEC-05, SEC-06, SEC-24.
 */
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptEnvelope } from '../../src/crypto/cms/decrypt.js';
import { encryptEntity } from '../../src/crypto/smime/encrypt-message.js';
import { decryptMessage } from '../../src/crypto/smime/decrypt-message.js';
import { createTestPki, type TestIdentity, type TestPki } from '../helpers/pki.js';
import { crypto, openssl, run, scratchDir, toPemText } from '../helpers/encryption.js';

const ENTITY = new TextEncoder().encode('Content-Type: text/plain; charset=utf-8\r\n\r\nInterop canary 7f3a: encrypted by one side, read by the other.\r\n');

type Kind = 'rsa-pkcs1' | 'rsa-oaep' | 'rsa-oaep-sha1' | 'P-256' | 'P-384' | 'P-521';
const KINDS: Kind[] = ['rsa-pkcs1', 'rsa-oaep', 'rsa-oaep-sha1', 'P-256', 'P-384', 'P-521'];
const CIPHERS = ['AES-256-CBC', 'AES-128-CBC', 'AES-256-GCM', 'AES-128-GCM'] as const;

let pki: TestPki;
const ids = {} as Record<Kind, TestIdentity>;
let sender: TestIdentity;
const tmp = scratchDir();
const files = {} as Record<Kind, { cert: string; key: string }>;

beforeAll(async () => {
  pki = await createTestPki(crypto);
  ids['rsa-pkcs1'] = pki.users.bob.rsa;
  ids['rsa-oaep'] = pki.users.bob.rsa;
  ids['rsa-oaep-sha1'] = pki.users.bob.rsa;
  ids['P-256'] = pki.users.bob.ec;
  ids['P-384'] = await pki.issue({ issuer: pki.emailCa, subject: 'CN=Bob P-384, O=Waxseal Tests', emails: ['bob@example.com'], keyAlgorithm: 'P-384', keyUsage: ['keyAgreement'], label: 'bob-p384' });
  ids['P-521'] = await pki.issue({ issuer: pki.emailCa, subject: 'CN=Bob P-521, O=Waxseal Tests', emails: ['bob@example.com'], keyAlgorithm: 'P-521', keyUsage: ['keyAgreement'], label: 'bob-p521' });
  sender = pki.users.alice.rsa;
  for (const kind of KINDS) {
    const cert = join(tmp.dir, `${kind}.crt`);
    const key = join(tmp.dir, `${kind}.key`);
    writeFileSync(cert, toPemText(ids[kind].certificate, 'CERTIFICATE'));
    writeFileSync(key, toPemText(ids[kind].pkcs8, 'PRIVATE KEY'));
    files[kind] = { cert, key };
  }
});
afterAll(() => tmp.cleanup());

function keyTransport(kind: Kind): 'oaep' | 'oaep-sha1' | 'pkcs1' | undefined {
  return kind === 'rsa-oaep' ? 'oaep' : kind === 'rsa-oaep-sha1' ? 'oaep-sha1' : kind === 'rsa-pkcs1' ? 'pkcs1' : undefined;
}

describe('Waxseal encrypts, openssl cms -decrypt reads', () => {
  for (const cipher of CIPHERS) {
    for (const kind of KINDS) {
      it(`${cipher} to ${kind}`, async () => {
        const result = await encryptEntity({
          entity: ENTITY,
          recipients: [{ certificate: ids[kind].certificate }],
          self: { certificate: sender.certificate },
          crypto,
          options: { cipher, keyTransport: keyTransport(kind) },
        });
        expect(result.smimeType).toBe(cipher.endsWith('GCM') ? 'authEnveloped-data' : 'enveloped-data');
        const input = join(tmp.dir, `out-${cipher}-${kind}.eml`);
        writeFileSync(input, result.entity);
        const out = openssl(['cms', '-decrypt', '-in', input, '-inform', 'SMIME', '-recip', files[kind].cert, '-inkey', files[kind].key]);
        expect(new Uint8Array(out)).toEqual(ENTITY);
      });
    }
  }
});

function opensslEncryptArgs(kind: Kind, cipher: string): string[] {
  const args = ['cms', '-encrypt', `-${cipher.toLowerCase()}`, '-recip', files[kind].cert];
  if (kind === 'rsa-oaep') args.push('-keyopt', 'rsa_padding_mode:oaep', '-keyopt', 'rsa_oaep_md:sha256', '-keyopt', 'rsa_mgf1_md:sha256');
  if (kind === 'rsa-oaep-sha1') args.push('-keyopt', 'rsa_padding_mode:oaep');
  return args;
}

describe('openssl cms -encrypt writes, Waxseal decrypts', () => {
  for (const cipher of CIPHERS) {
    for (const kind of KINDS) {
      it(`${cipher} to ${kind}: DER, streamed BER and S/MIME`, async () => {
        const identity = { certificate: ids[kind].certificate, pkcs8: ids[kind].pkcs8 };
        const plain = join(tmp.dir, 'plain.mime');
        writeFileSync(plain, ENTITY);
        const der = openssl([...opensslEncryptArgs(kind, cipher), '-binary', '-in', plain, '-outform', 'DER']);
        const fromDer = await decryptEnvelope(new Uint8Array(der), { identities: [identity], crypto });
        expect(fromDer.plaintext).toEqual(ENTITY);
        expect(fromDer.report.verdict).toBe(cipher.endsWith('GCM') ? 'authenticated' : 'unauthenticated');
        expect(fromDer.report.contentEncryption).toBe(cipher);

        const ber = openssl([...opensslEncryptArgs(kind, cipher), '-binary', '-stream', '-in', plain, '-outform', 'DER']);
        expect(ber[1]).toBe(0x80); // indefinite length: really the streamed form
        const fromBer = await decryptEnvelope(new Uint8Array(ber), { identities: [identity], crypto });
        expect(fromBer.plaintext).toEqual(ENTITY);

        const smime = openssl([...opensslEncryptArgs(kind, cipher), '-binary', '-in', plain, '-outform', 'SMIME']);
        const fromSmime = await decryptMessage(new Uint8Array(smime), { identities: [identity], crypto });
        expect(fromSmime.plaintext).toEqual(ENTITY);
      });
    }
  }
});

describe('several recipients', () => {
  it('OpenSSL message to alice, bob (RSA) and bob (EC) opens for each of them (SEC-23d)', async () => {
    const plain = join(tmp.dir, 'plain.mime');
    writeFileSync(plain, ENTITY);
    const aliceCert = join(tmp.dir, 'alice.crt');
    writeFileSync(aliceCert, toPemText(pki.users.alice.rsa.certificate, 'CERTIFICATE'));
    const der = openssl(['cms', '-encrypt', '-aes-256-cbc', '-binary', '-in', plain, '-outform', 'DER', aliceCert, files['rsa-pkcs1'].cert, files['P-256'].cert]);
    for (const identity of [pki.users.alice.rsa, pki.users.bob.rsa, pki.users.bob.ec]) {
      const r = await decryptEnvelope(new Uint8Array(der), { identities: [{ certificate: identity.certificate, pkcs8: identity.pkcs8 }], crypto });
      expect(r.plaintext).toEqual(ENTITY);
    }
    const none = await decryptEnvelope(new Uint8Array(der), { identities: [{ certificate: pki.users.eve.rsa.certificate, pkcs8: pki.users.eve.rsa.pkcs8 }], crypto });
    expect(none.report.reasons).toEqual(['NO_MATCHING_RECIPIENT']);
    expect(none.report.recipients).toHaveLength(3);
  });

  it('recipients identified by subjectKeyIdentifier (openssl -keyid), RSA and EC', async () => {
    const plain = join(tmp.dir, 'plain.mime');
    writeFileSync(plain, ENTITY);
    for (const kind of ['rsa-pkcs1', 'P-256'] as const) {
      const der = openssl(['cms', '-encrypt', '-aes-256-cbc', '-keyid', '-binary', '-in', plain, '-outform', 'DER', '-recip', files[kind].cert]);
      const r = await decryptEnvelope(new Uint8Array(der), { identities: [{ certificate: ids[kind].certificate, pkcs8: ids[kind].pkcs8 }], crypto });
      expect(r.report.recipients.map((x) => x.kind)).toEqual(['subjectKeyIdentifier']);
      expect(r.plaintext).toEqual(ENTITY);
    }
  });

  it('the sender can read its own message: self is a recipient, and OpenSSL agrees', async () => {
    const result = await encryptEntity({ entity: ENTITY, recipients: [{ certificate: ids['P-256'].certificate }], self: { certificate: sender.certificate }, crypto });
    const input = join(tmp.dir, 'self.eml');
    writeFileSync(input, result.entity);
    const senderKey = join(tmp.dir, 'sender.key');
    const senderCert = join(tmp.dir, 'sender.crt');
    writeFileSync(senderKey, toPemText(sender.pkcs8, 'PRIVATE KEY'));
    writeFileSync(senderCert, toPemText(sender.certificate, 'CERTIFICATE'));
    const out = run('openssl', ['cms', '-decrypt', '-in', input, '-recip', senderCert, '-inkey', senderKey]);
    expect(out.stderr).toBe('');
    expect(new Uint8Array(out.stdout)).toEqual(ENTITY);
    expect(readFileSync(input).includes(Buffer.from('Interop canary 7f3a'))).toBe(false);
  });
});
