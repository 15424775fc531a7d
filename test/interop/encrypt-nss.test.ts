/**
 * Encryption interop with NSS (`cmsutil`, libnss3-tools), both directions.
 *
 * The NSS on the test machine (3.87, Debian 12) supports only part of what Waxseal sends. Found with real runs
 * and asserted exactly here, so a change in either side shows up:
 *   cmsutil -D decrypts: EnvelopedData + AES-CBC + RSA PKCS#1 v1.5 key transport.
 *   It fails on RSA-OAEP (SEC_ERROR_UNSUPPORTED_KEYALG), on AuthEnvelopedData/AES-GCM (SEC_ERROR_UNRECOGNIZED_OID)
 *   and on ECDH KeyAgreeRecipientInfo (SEC_ERROR_BAD_DER).
 *   cmsutil -E encrypts to RSA certificates (PKCS#1 v1.5 + AES-CBC); to EC certificates it refuses
 *   (SEC_ERROR_INVALID_ALGORITHM).
 * This is why RFC 8551 §2.7.1 capability-based choice matters (SEC-06): without advertised GCM/OAEP the defaults
 * are AES-256-CBC and PKCS#1 v1.5.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encryptEnvelope } from '../../src/crypto/cms/envelope-build.js';
import { decryptEnvelope } from '../../src/crypto/cms/decrypt.js';
import type { KeyTransport } from '../../src/crypto/cms/envelope-algorithms.js';
import { createTestPki, type TestIdentity } from '../helpers/pki.js';
import { crypto, openssl, run, scratchDir, toPemText } from '../helpers/encryption.js';

const ENTITY = new TextEncoder().encode('Content-Type: text/plain\r\n\r\nNSS interop canary 41c2.\r\n');
const tmp = scratchDir();
const db = `sql:${join(tmp.dir, 'nssdb')}`;
type Kind = 'rsa-pkcs1' | 'rsa-oaep' | 'P-256' | 'P-384';
const ids = {} as Record<Kind, TestIdentity>;
const transport: Record<Kind, KeyTransport> = { 'rsa-pkcs1': 'rsa-pkcs1-v1_5', 'rsa-oaep': 'rsa-oaep-sha256', 'P-256': 'ecdh', 'P-384': 'ecdh' };

function importIntoNss(identity: TestIdentity, nickname: string): void {
  const cert = join(tmp.dir, `${nickname}.crt`);
  const key = join(tmp.dir, `${nickname}.key`);
  const p12 = join(tmp.dir, `${nickname}.p12`);
  writeFileSync(cert, toPemText(identity.certificate, 'CERTIFICATE'));
  writeFileSync(key, toPemText(identity.pkcs8, 'PRIVATE KEY'));
  openssl(['pkcs12', '-export', '-in', cert, '-inkey', key, '-out', p12, '-passout', 'pass:test', '-name', nickname]);
  const r = run('pk12util', ['-i', p12, '-d', db, '-W', 'test']);
  if (r.status !== 0) throw new Error(`pk12util failed: ${r.stderr}`);
}

beforeAll(async () => {
  const pki = await createTestPki(crypto);
  ids['rsa-pkcs1'] = pki.users.bob.rsa;
  ids['rsa-oaep'] = pki.users.bob.rsa;
  ids['P-256'] = pki.users.bob.ec;
  ids['P-384'] = await pki.issue({ issuer: pki.emailCa, subject: 'CN=Bob P-384 NSS, O=Waxseal Tests', emails: ['bob@example.com'], keyAlgorithm: 'P-384', keyUsage: ['keyAgreement'], label: 'bob-p384' });
  run('mkdir', ['-p', join(tmp.dir, 'nssdb')]);
  const init = run('certutil', ['-N', '-d', db, '--empty-password']);
  if (init.status !== 0) throw new Error(`certutil -N failed: ${init.stderr}`);
  importIntoNss(ids['rsa-pkcs1'], 'bob-rsa');
  importIntoNss(ids['P-256'], 'bob-ec');
  importIntoNss(ids['P-384'], 'bob-p384');
});
afterAll(() => tmp.cleanup());

/** What this NSS decrypts (see the file comment). */
function nssCanDecrypt(cipher: string, kind: Kind): boolean {
  return cipher.endsWith('CBC') && kind === 'rsa-pkcs1';
}

describe('Waxseal encrypts, NSS cmsutil -D decrypts: the exact support matrix', () => {
  for (const cipher of ['AES-256-CBC', 'AES-128-CBC', 'AES-256-GCM'] as const) {
    for (const kind of ['rsa-pkcs1', 'rsa-oaep', 'P-256', 'P-384'] as const) {
      const expected = nssCanDecrypt(cipher, kind);
      it(`${cipher} to ${kind}: ${expected ? 'decrypts' : 'unsupported by NSS'}`, async () => {
        const { der } = await encryptEnvelope({ content: ENTITY, recipients: [{ certificate: ids[kind].certificate, transport: transport[kind] }], cipher, crypto });
        const input = join(tmp.dir, `waxseal-${cipher}-${kind}.der`);
        const output = join(tmp.dir, `waxseal-${cipher}-${kind}.out`);
        writeFileSync(input, der);
        const r = run('cmsutil', ['-D', '-d', db, '-i', input, '-o', output]);
        if (expected) {
          expect(r.stderr).toBe('');
          expect(r.status).toBe(0);
          expect(new Uint8Array(readFileSync(output))).toEqual(ENTITY);
        } else {
          expect(r.status).not.toBe(0);
          expect(r.stderr).toMatch(cipher.endsWith('GCM') ? /UNRECOGNIZED_OID/ : kind === 'rsa-oaep' ? /UNSUPPORTED_KEYALG/ : /BAD_DER/);
        }
      });
    }
  }
});

describe('NSS cmsutil -E encrypts, Waxseal decrypts', () => {
  it('to an RSA certificate (PKCS#1 v1.5 + AES-CBC)', async () => {
    const input = join(tmp.dir, 'plain.mime');
    const output = join(tmp.dir, 'nss-rsa.der');
    writeFileSync(input, ENTITY);
    const r = run('cmsutil', ['-E', '-d', db, '-r', 'bob-rsa', '-i', input, '-o', output]);
    expect(r.status).toBe(0);
    const result = await decryptEnvelope(new Uint8Array(readFileSync(output)), { identities: [{ certificate: ids['rsa-pkcs1'].certificate, pkcs8: ids['rsa-pkcs1'].pkcs8 }], crypto });
    expect(result.plaintext).toEqual(ENTITY);
    expect(result.report.verdict).toBe('unauthenticated');
    expect(result.report.contentEncryption).toMatch(/^AES-(128|256)-CBC$/);
  });

  it('to an EC certificate: NSS refuses (no ECDH in this NSS CMS)', () => {
    const input = join(tmp.dir, 'plain.mime');
    writeFileSync(input, ENTITY);
    const r = run('cmsutil', ['-E', '-d', db, '-r', 'bob-ec', '-i', input, '-o', join(tmp.dir, 'nss-ec.der')]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/INVALID_ALGORITHM/);
  });
});
