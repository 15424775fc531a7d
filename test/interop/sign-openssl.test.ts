// Signing interop with OpenSSL (`openssl cms`), both directions: RSA PKCS#1 v1.5, RSA-PSS and ECDSA,
// detached (multipart/signed) and opaque (signed-data). SEC-17f/g, RFC 8551 §3.5.
import { describe, expect, it } from 'vitest';
import { webcrypto } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { signMessage } from '../../src/crypto/smime/sign-message.js';
import { verifySignedMessage } from '../../src/crypto/smime/verify-message.js';
import { DEFAULT_POLICY } from '../../src/crypto/policy.js';
import { createTestPki, type TestKeyAlgorithm, type TestPki } from '../helpers/pki.js';
import { INTEROP_NOW, pem, run, scratch } from './sign-tools.js';

const crypto = webcrypto as unknown as Crypto;
const pki: TestPki = await createTestPki(crypto);
const BODY = 'Hello Bob,\r\n\r\nthe figures are attached.\r\nFrom here on, lines end in CRLF.\r\n';
const MESSAGE = `From: Alice <alice@example.com>\r\nTo: Bob <bob@example.com>\r\nSubject: Interop\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n${BODY}`;

const keys: TestKeyAlgorithm[] = ['RSA-2048', 'RSA-PSS-2048', 'P-256'];
const signers = new Map<TestKeyAlgorithm, Awaited<ReturnType<TestPki['issue']>>>();
for (const key of keys) {
  signers.set(key, await pki.issue({ issuer: pki.emailCa, subject: `CN=Alice ${key}`, emails: ['alice@example.com'], keyAlgorithm: key }));
}

describe('Waxseal signs, openssl cms -verify checks', () => {
  for (const key of keys) {
    for (const form of ['detached', 'opaque'] as const) {
      it(`${key} ${form}`, async () => {
        const signer = signers.get(key)!;
        const signed = await signMessage(new TextEncoder().encode(MESSAGE), {
          signer: { certificate: signer.certificate, privateKey: signer.privateKey, chain: [pki.emailCa.certificate] },
          crypto, policy: DEFAULT_POLICY, form, signingTime: new Date('2026-05-31T12:00:00Z'),
        });
        const s = scratch();
        try {
          const out = run('openssl', ['cms', '-verify', '-in', s.file('signed.eml', signed), '-CAfile', s.file('root.pem', pem(pki.root.certificate, 'CERTIFICATE')),
            '-purpose', 'smimesign', '-attime', String(Date.parse('2026-06-01T00:00:00Z') / 1000), '-out', s.file('content.out')]);
          expect(out.stderr).toContain('Verification successful');
          const content = readFileSync(s.file('content.out')).toString('latin1');
          expect(content).toContain('the figures are attached.');
          // SEC-17f: what we produce never names SHA-1.
          const cms = run('openssl', ['cms', '-cmsout', '-print', '-in', s.file('signed.eml')]).stdout.toString();
          expect(cms).not.toMatch(/sha1|1\.3\.14\.3\.2\.26/i);
          expect(cms).toMatch(/sha256/);
          if (key === 'RSA-PSS-2048') expect(cms).toContain('rsassaPss');
          if (key === 'P-256') expect(cms).toMatch(/ecdsa-with-SHA256/);
        } finally {
          s.cleanup();
        }
      });
    }
  }
});

describe('openssl cms -sign signs, Waxseal verifies as valid', () => {
  for (const key of keys) {
    for (const form of ['detached', 'opaque'] as const) {
      it(`${key} ${form}`, async () => {
        const signer = signers.get(key)!;
        const s = scratch();
        try {
          const args = ['cms', '-sign', '-in', s.file('body.txt', `Content-Type: text/plain; charset=us-ascii\r\n\r\n${BODY}`),
            '-signer', s.file('signer.pem', pem(signer.certificate, 'CERTIFICATE')), '-inkey', s.file('key.pem', pem(signer.pkcs8, 'PRIVATE KEY')),
            '-certfile', s.file('ca.pem', pem(pki.emailCa.certificate, 'CERTIFICATE')), '-md', 'sha256',
            '-from', 'alice@example.com', '-to', 'bob@example.com', '-subject', 'From OpenSSL', '-out', s.file('signed.eml')];
          if (form === 'opaque') args.push('-nodetach');
          if (key === 'RSA-PSS-2048') args.push('-keyopt', 'rsa_padding_mode:pss');
          run('openssl', args);
          const eml = new Uint8Array(readFileSync(s.file('signed.eml')));
          const report = await verifySignedMessage(eml, { anchors: [pki.root.certificate], now: INTEROP_NOW, crypto, policy: DEFAULT_POLICY });
          expect({ verdict: report.verdict, reasons: report.reasons }).toEqual({ verdict: 'valid', reasons: [] });
          expect(report.form).toBe(form);
          expect(report.signer).toBe('alice@example.com');
          expect(report.coversWholeMessage).toBe(true);
          // A changed body byte must break it.
          const text = Buffer.from(eml).toString('latin1');
          const tampered = form === 'detached' ? text.replace('the figures', 'the fugures') : text;
          if (form === 'detached') {
            const bad = await verifySignedMessage(Buffer.from(tampered, 'latin1'), { anchors: [pki.root.certificate], now: INTEROP_NOW, crypto, policy: DEFAULT_POLICY });
            expect(bad.verdict).toBe('invalid');
            expect(bad.reasons).toContain('DIGEST_MISMATCH');
          }
        } finally {
          s.cleanup();
        }
      });
    }
  }
});

describe('openssl cms -sign -stream (BER, indefinite lengths, constructed eContent) verifies in Waxseal', () => {
  for (const form of ['detached', 'opaque'] as const) {
    it(`RSA-2048 ${form} -stream`, async () => {
      const signer = signers.get('RSA-2048')!;
      const s = scratch();
      try {
        const body = `Content-Type: text/plain; charset=us-ascii\r\n\r\n${BODY.repeat(2000)}`;
        const args = ['cms', '-sign', '-stream', '-in', s.file('body.txt', body), '-signer', s.file('signer.pem', pem(signer.certificate, 'CERTIFICATE')),
          '-inkey', s.file('key.pem', pem(signer.pkcs8, 'PRIVATE KEY')), '-certfile', s.file('ca.pem', pem(pki.emailCa.certificate, 'CERTIFICATE')),
          '-md', 'sha256', '-from', 'alice@example.com', '-to', 'bob@example.com', '-subject', 'Streamed', '-out', s.file('signed.eml')];
        if (form === 'opaque') args.push('-nodetach');
        run('openssl', args);
        const eml = new Uint8Array(readFileSync(s.file('signed.eml')));
        const report = await verifySignedMessage(eml, { anchors: [pki.root.certificate], now: INTEROP_NOW, crypto, policy: DEFAULT_POLICY });
        expect({ verdict: report.verdict, reasons: report.reasons, form: report.form }).toEqual({ verdict: 'valid', reasons: [], form });
      } finally {
        s.cleanup();
      }
    });
  }
});

