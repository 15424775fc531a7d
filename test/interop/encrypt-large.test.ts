/**
 * Messages over 16 MiB (performance.md §4.4, G7): a 20 MiB entity encrypted by Waxseal is read by OpenSSL, and
 * OpenSSL's DER, streamed indefinite-length BER (constructed OCTET STRING chunks) and S/MIME output are read by
 * Waxseal, within the default policy limits.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptEnvelope } from '../../src/crypto/cms/decrypt.js';
import { decryptMessage } from '../../src/crypto/smime/decrypt-message.js';
import { encryptEntity } from '../../src/crypto/smime/encrypt-message.js';
import { createTestPki, type TestPki } from '../helpers/pki.js';
import { crypto, openssl, scratchDir, toPemText } from '../helpers/encryption.js';

const SIZE = 20 * 1024 * 1024;
let pki: TestPki;
let entity: Uint8Array;
const tmp = scratchDir();
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  pki = await createTestPki(crypto);
  const header = new TextEncoder().encode('Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n');
  entity = new Uint8Array(header.length + SIZE);
  entity.set(header);
  const body = entity.subarray(header.length);
  for (let i = 0; i < body.length; i += 65536) crypto.getRandomValues(body.subarray(i, Math.min(body.length, i + 65536)));
  writeFileSync(join(tmp.dir, 'plain'), entity);
  writeFileSync(join(tmp.dir, 'bob.crt'), toPemText(pki.users.bob.rsa.certificate, 'CERTIFICATE'));
  writeFileSync(join(tmp.dir, 'bob.key'), toPemText(pki.users.bob.rsa.pkcs8, 'PRIVATE KEY'));
});
afterAll(() => tmp.cleanup());

const identities = () => [{ certificate: pki.users.bob.rsa.certificate, pkcs8: pki.users.bob.rsa.pkcs8 }];

describe('20 MiB messages', () => {
  for (const cipher of ['AES-256-CBC', 'AES-256-GCM'] as const) {
    it(`Waxseal ${cipher} → openssl cms -decrypt, and back through decryptMessage`, async () => {
      const result = await encryptEntity({ entity, recipients: [{ certificate: pki.users.bob.rsa.certificate }], self: { certificate: pki.users.alice.rsa.certificate }, crypto, options: { cipher } });
      writeFileSync(join(tmp.dir, 'out.eml'), result.entity);
      openssl(['cms', '-decrypt', '-in', join(tmp.dir, 'out.eml'), '-recip', join(tmp.dir, 'bob.crt'), '-inkey', join(tmp.dir, 'bob.key'), '-out', join(tmp.dir, 'dec')]);
      expect(sha(readFileSync(join(tmp.dir, 'dec')))).toBe(sha(entity));
      const ours = await decryptMessage(result.entity, { identities: identities(), crypto });
      expect(ours.plaintext && sha(ours.plaintext)).toBe(sha(entity));
    });
  }

  for (const [name, extra] of [['DER', []], ['streamed BER', ['-stream']]] as Array<[string, string[]]>) {
    for (const cipher of ['aes-256-cbc', 'aes-256-gcm']) {
      it(`openssl ${cipher} ${name} → Waxseal`, async () => {
        const der = new Uint8Array(openssl(['cms', '-encrypt', `-${cipher}`, '-binary', ...extra, '-in', join(tmp.dir, 'plain'), '-outform', 'DER', '-recip', join(tmp.dir, 'bob.crt')]));
        expect(der.length).toBeGreaterThan(SIZE);
        if (extra.length) expect(der[1]).toBe(0x80);
        const r = await decryptEnvelope(der, { identities: identities(), crypto });
        expect(r.plaintext && sha(r.plaintext)).toBe(sha(entity));
      });
    }
  }

  it('openssl S/MIME (base64) output → Waxseal decryptMessage', async () => {
    const smime = new Uint8Array(openssl(['cms', '-encrypt', '-aes-256-cbc', '-binary', '-stream', '-in', join(tmp.dir, 'plain'), '-outform', 'SMIME', '-recip', join(tmp.dir, 'bob.crt')]));
    const r = await decryptMessage(smime, { identities: identities(), crypto });
    expect(r.plaintext && sha(r.plaintext)).toBe(sha(entity));
  });
});
