/**
 * SEC-32: size and resource caps for whole messages, through the verdict pipeline (openMessage).
 * (a) a legitimate 30 MB signed message verifies; (b) an 80 MB message gives LIMIT_EXCEEDED within 1 s without
 * being copied (heap and ArrayBuffer growth under 3x its size); (c) a SignedData with 5 000 certificates gives
 * LIMIT_EXCEEDED. The MIME-only side of (b) is in sec-33-message-size.test.ts.
 */
import { randomBytes, webcrypto } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { LimitError } from '../../src/crypto/errors.js';
import { DEFAULT_POLICY } from '../../src/crypto/policy.js';
import { openMessage, verifySignedData } from '../../src/crypto/index.js';
import { buildSignedCms, crlf, message, multipartSignedEntity, opaqueSignedEntity, textEntity } from '../helpers/fixtures-signed.js';
import { createTestPki, type TestPki } from '../helpers/pki.js';
import { cpuNow } from '../helpers/limits.js';

const crypto = webcrypto as unknown as Crypto;
const NOW = new Date('2026-06-01T00:00:00Z');

let pki: TestPki;
beforeAll(async () => {
  pki = await createTestPki(crypto);
});

function options() {
  return { anchors: [pki.root.certificate], now: NOW, crypto, policy: DEFAULT_POLICY };
}

/** A base64 attachment entity whose encoded form is about `bytes` long. */
function attachmentEntity(bytes: number): Uint8Array {
  const raw = randomBytes(Math.floor((bytes * 3) / 4));
  const lines = raw.toString('base64').replace(/.{76}/g, '$&\r\n');
  return crlf(`Content-Type: application/octet-stream; name="big.bin"\nContent-Transfer-Encoding: base64\nContent-Disposition: attachment; filename="big.bin"\n\n${lines}\n`);
}

describe('SEC-32 whole-message caps', () => {
  it('(a) a 30 MB signed message with a large attachment verifies', async () => {
    const content = attachmentEntity(30 * 1024 * 1024);
    const cms = buildSignedCms({ content, detached: true, signers: [{ identity: pki.users.alice.rsa }] }, pki);
    const raw = message(multipartSignedEntity(content, cms));
    expect(raw.length).toBeGreaterThan(30 * 1024 * 1024);
    const report = await openMessage(raw, options());
    expect(report.signature.reasons).toEqual([]);
    expect(report.signature.verdict).toBe('valid');
    // The control: one changed byte in the attachment breaks it, so the verdict above is not a default.
    const tampered = Uint8Array.from(raw);
    const at = raw.length - 1000;
    tampered[at] = tampered[at] === 0x41 ? 0x42 : 0x41;
    expect((await openMessage(tampered, options())).signature.verdict).not.toBe('valid');
  }, 120_000);

  it('(b) an 80 MB message gives LIMIT_EXCEEDED within 1 s, without copying it', async () => {
    const raw = new Uint8Array(80 * 1024 * 1024).fill(0x41);
    raw.set(new TextEncoder().encode('From: a@example.com\r\nContent-Type: text/plain\r\n\r\n'));
    const before = process.memoryUsage();
    const started = cpuNow();
    const report = await openMessage(raw, options());
    const elapsed = cpuNow() - started;
    const after = process.memoryUsage();
    expect(report.signature.reasons).toContain('LIMIT_EXCEEDED');
    expect(report.signature.verdict).not.toBe('valid');
    expect(elapsed).toBeLessThan(1000);
    const growth = after.heapUsed - before.heapUsed + (after.arrayBuffers - before.arrayBuffers);
    expect(growth).toBeLessThan(3 * raw.length);
  });

  it('(c) a SignedData carrying 5 000 certificates gives LIMIT_EXCEEDED', async () => {
    const content = textEntity('Many certificates');
    const alice = pki.users.alice.rsa;
    const certificates = Array.from({ length: 5000 }, (_, i) => (i === 0 ? alice.certificate : pki.emailCa.certificate));
    const cms = buildSignedCms({ content, detached: false, signers: [{ identity: alice }], certificates }, pki);
    const error = await verifySignedData(cms, { crypto, policy: DEFAULT_POLICY, detachedContent: null }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LimitError);
    // 5 000 certificates are also over 200 000 ASN.1 elements, which parseBer's pre-scan counts first.
    expect(['maxCmsCertificates', 'maxAsn1Nodes']).toContain((error as LimitError).limit);
    // 100 certificates stay under the element limit and meet the certificate count cap itself.
    const hundred = buildSignedCms({ content, detached: false, signers: [{ identity: alice }], certificates: certificates.slice(0, 100) }, pki);
    const countError = await verifySignedData(hundred, { crypto, policy: DEFAULT_POLICY, detachedContent: null }).catch((e: unknown) => e);
    expect((countError as LimitError).limit).toBe('maxCmsCertificates');
    const report = await openMessage(message(opaqueSignedEntity(cms)), options());
    expect(report.signature.reasons).toContain('LIMIT_EXCEEDED');
    expect(report.signature.verdict).not.toBe('valid');
    // Within the cap the same construction verifies, so the refusal is the count.
    const few = buildSignedCms({ content, detached: false, signers: [{ identity: alice }], certificates: certificates.slice(0, 3) }, pki);
    expect((await openMessage(message(opaqueSignedEntity(few)), options())).signature.verdict).toBe('valid');
  }, 60_000);
});
