// Signing interop with NSS (`cmsutil`), both directions: Waxseal's SignedData verifies with cmsutil -D
// against a database trusting the test root for e-mail (",C,"), and cmsutil -S signatures verify in
// Waxseal as 'valid'. RFC 8551 §3.5; SEC-17f.
import { describe, expect, it } from 'vitest';
import { webcrypto } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { signData } from '../../src/crypto/cms/sign.js';
import { verifySignedMessage } from '../../src/crypto/smime/verify-message.js';
import { DEFAULT_POLICY } from '../../src/crypto/policy.js';
import { createTestPki, type TestKeyAlgorithm, type TestPki } from '../helpers/pki.js';
import { message, multipartSignedEntity, opaqueSignedEntity } from '../helpers/fixtures-signed.js';
import { INTEROP_NOW, nssDbTrusting, pem, run, scratch } from './sign-tools.js';

const crypto = webcrypto as unknown as Crypto;
const pki: TestPki = await createTestPki(crypto);
const ENTITY = new TextEncoder().encode('Content-Type: text/plain; charset=us-ascii\r\n\r\nSigned for NSS.\r\n');
const keys: TestKeyAlgorithm[] = ['RSA-2048', 'RSA-PSS-2048', 'P-256'];
const signers = new Map<TestKeyAlgorithm, Awaited<ReturnType<TestPki['issue']>>>();
for (const key of keys) {
  signers.set(key, await pki.issue({ issuer: pki.emailCa, subject: `CN=Alice NSS ${key}`, emails: ['alice@example.com'], keyAlgorithm: key }));
}

describe('Waxseal signs, NSS cmsutil -D verifies', () => {
  for (const key of keys) {
    for (const detached of [true, false]) {
      it(`${key} ${detached ? 'detached' : 'opaque'}`, async () => {
        const signer = signers.get(key)!;
        const { der } = await signData(ENTITY, {
          signer: { certificate: signer.certificate, privateKey: signer.privateKey, chain: [pki.emailCa.certificate] },
          crypto, policy: DEFAULT_POLICY, detached, signingTime: new Date('2026-05-31T12:00:00Z'),
        });
        const s = scratch();
        try {
          const db = nssDbTrusting(s, pki.root.certificate);
          const args = ['-D', '-d', db, '-i', s.file('sig.der', der)];
          if (detached) args.push('-c', s.file('content', ENTITY));
          const ok = run('cmsutil', args, { allowFailure: true });
          // cmsutil prints "signer 0 status = <error>" and exits 1 when a signature fails.
          expect(ok.stderr + ok.stdout.toString('latin1')).not.toMatch(/status = (?!GoodSignature)/);
          expect(ok.status, ok.stderr).toBe(0);
          expect(ok.stdout.toString('latin1')).toContain('Signed for NSS.');
          if (detached) {
            const tampered = ENTITY.slice();
            tampered[tampered.length - 4] ^= 1;
            const bad = run('cmsutil', ['-D', '-d', db, '-i', s.file('sig.der'), '-c', s.file('tampered', tampered)], { allowFailure: true });
            expect(bad.status).not.toBe(0);
            expect(bad.stderr + bad.stdout.toString('latin1')).toContain('DigestMismatch');
          }
        } finally {
          s.cleanup();
        }
      });
    }
  }
});

describe('NSS cmsutil -S signs, Waxseal verifies as valid', () => {
  // NSS signs RSA with PKCS#1 v1.5 and EC keys with ECDSA; it has no RSA-PSS switch in cmsutil.
  for (const key of ['RSA-2048', 'P-256'] as const) {
    for (const detached of [true, false]) {
      it(`${key} ${detached ? 'detached' : 'opaque'}`, async () => {
        const signer = signers.get(key)!;
        const s = scratch();
        try {
          const db = nssDbTrusting(s, pki.root.certificate, [pki.emailCa.certificate]);
          run('openssl', ['pkcs12', '-export', '-in', s.file('signer.pem', pem(signer.certificate, 'CERTIFICATE')), '-inkey', s.file('key.pem', pem(signer.pkcs8, 'PRIVATE KEY')),
            '-certfile', s.file('ca.pem', pem(pki.emailCa.certificate, 'CERTIFICATE')), '-name', 'alice', '-passout', 'pass:test', '-out', s.file('alice.p12')]);
          run('pk12util', ['-i', s.file('alice.p12'), '-d', db, '-W', 'test']);
          // -Y NONE: no SMIMEEncryptionKeyPreference (the signing certificate is not for encryption).
          const args = ['-S', '-d', db, '-N', 'alice', '-Y', 'NONE', '-H', 'SHA256', '-G', '-P', '-i', s.file('entity', ENTITY), '-o', s.file('nss.der')];
          if (detached) args.push('-T');
          run('cmsutil', args);
          const der = new Uint8Array(readFileSync(s.file('nss.der')));
          const headers = ['From: alice@example.com', 'To: bob@example.com', 'Subject: From NSS', 'MIME-Version: 1.0'];
          const eml = message(detached ? multipartSignedEntity(ENTITY, der) : opaqueSignedEntity(der), headers);
          const report = await verifySignedMessage(eml, { anchors: [pki.root.certificate], now: INTEROP_NOW, crypto, policy: DEFAULT_POLICY });
          expect({ verdict: report.verdict, reasons: report.reasons }).toEqual({ verdict: 'valid', reasons: [] });
          expect(report.signer).toBe('alice@example.com');
          expect(report.signingTime).not.toBeNull();
        } finally {
          s.cleanup();
        }
      });
    }
  }
});
