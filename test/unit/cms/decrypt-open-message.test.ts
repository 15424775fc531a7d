/**
 * openMessage with the encryption layer: one call unwraps every layer of the cryptographic envelope
 * (SEC-03, SEC-04, SEC-05, SEC-16): encrypted only, signed-then-encrypted, encrypted-then-signed (the outer
 * transport signature is ignored), triple wrapping, opaque signed data inside encryption.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { openMessage } from '../../../src/crypto/smime/open-message.js';
import { signEntity } from '../../../src/crypto/smime/sign-message.js';
import { encryptEntity } from '../../../src/crypto/smime/encrypt-message.js';
import { DEFAULT_POLICY } from '../../../src/crypto/policy.js';
import { createTestPki, TEST_NOW, type TestPki } from '../../helpers/pki.js';
import { crypto } from '../../helpers/encryption.js';

const policy = DEFAULT_POLICY;
const BODY = 'Layered canary 93d1: the body text.';
const entity = new TextEncoder().encode(`Content-Type: text/plain; charset=utf-8\r\n\r\n${BODY}\r\n`);
let pki: TestPki;

function message(inner: Uint8Array): Uint8Array {
  const head = new TextEncoder().encode('From: alice@example.com\r\nTo: bob@example.com\r\nSubject: layers\r\nDate: Mon, 1 Jun 2026 00:00:00 +0000\r\nMIME-Version: 1.0\r\n');
  const out = new Uint8Array(head.length + inner.length);
  out.set(head);
  out.set(inner, head.length);
  return out;
}

const sign = (content: Uint8Array, form: 'detached' | 'opaque') =>
  signEntity({ entity: content, signer: { certificate: pki.users.alice.rsa.certificate, privateKey: pki.users.alice.rsa.privateKey, chain: [pki.emailCa.certificate] }, crypto, policy, form });

const encrypt = async (content: Uint8Array, cipher: 'AES-256-CBC' | 'AES-256-GCM' = 'AES-256-CBC') =>
  (await encryptEntity({ entity: content, recipients: [{ certificate: pki.users.bob.rsa.certificate }], self: { certificate: pki.users.alice.rsa.certificate }, crypto, options: { cipher } })).entity;

const open = (raw: Uint8Array) =>
  openMessage(raw, {
    anchors: [pki.root.certificate],
    now: TEST_NOW,
    crypto,
    policy,
    identities: [{ certificate: pki.users.bob.rsa.certificate, pkcs8: pki.users.bob.rsa.pkcs8 }],
  });

beforeAll(async () => {
  pki = await createTestPki(crypto);
});

describe('openMessage decrypts the root layer', () => {
  it('SEC-04: CBC without a signature is unauthenticated and not signed', async () => {
    const report = await open(message(await encrypt(entity)));
    expect(report.encryption.verdict).toBe('unauthenticated');
    expect(report.signature.verdict).toBe('none');
    expect(report.text).toContain(BODY);
  });

  it('SEC-05: GCM without a signature is authenticated', async () => {
    const report = await open(message(await encrypt(entity, 'AES-256-GCM')));
    expect(report.encryption.verdict).toBe('authenticated');
    expect(report.encryption.contentEncryption).toBe('AES-256-GCM');
    expect(report.text).toContain(BODY);
  });

  it('signed then encrypted (detached signature inside CBC): signature valid, encryption authenticated by it', async () => {
    const report = await open(message(await encrypt(await sign(entity, 'detached'))));
    expect(report.signature.verdict).toBe('valid');
    expect(report.encryption.verdict).toBe('authenticated');
    expect(report.text).toContain(BODY);
  });

  it('opaque signed data inside encryption', async () => {
    const report = await open(message(await encrypt(await sign(entity, 'opaque'))));
    expect(report.signature.verdict).toBe('valid');
    expect(report.signature.form).toBe('opaque');
    expect(report.text).toContain(BODY);
  });

  it('SEC-16: encrypted then signed: decrypted, and the outer transport signature is ignored', async () => {
    const report = await open(message(await sign(await encrypt(entity), 'detached')));
    expect(report.encryption.verdict).toBe('unauthenticated');
    expect(report.signature.verdict).toBe('none');
    expect(report.text).toContain(BODY);
  });

  it('triple wrapping (signed, encrypted, signed): the inner signature counts', async () => {
    const report = await open(message(await sign(await encrypt(await sign(entity, 'detached'), 'AES-256-GCM'), 'opaque')));
    expect(report.encryption.verdict).toBe('authenticated');
    expect(report.signature.verdict).toBe('valid');
    expect(report.text).toContain(BODY);
  });

  it('SEC-03: a second encryption layer inside the decrypted payload is not decrypted', async () => {
    const report = await open(message(await encrypt(await encrypt(entity))));
    expect(report.encryption.verdict).toBe('unauthenticated');
    expect(report.text).toBeNull();
    expect(new TextDecoder().decode(report.content!)).not.toContain(BODY);
  });

  it('a message not for us reports who it was encrypted to', async () => {
    const raw = message(
      (await encryptEntity({ entity, recipients: [{ certificate: pki.users.dave.rsa.certificate }], self: { certificate: pki.users.eve.rsa.certificate }, crypto })).entity,
    );
    const report = await open(raw);
    expect(report.encryption.verdict).toBe('failed');
    expect(report.encryption.reasons).toEqual(['NO_MATCHING_RECIPIENT']);
    expect(report.encryption.recipients.map((r) => r.serialNumberHex).sort()).toEqual(
      [pki.users.dave.rsa.x509.serialNumber, pki.users.eve.rsa.x509.serialNumber].map((s) => s.toLowerCase().replace(/^0+/, '')).sort(),
    );
    expect(report.text).toBeNull();
  });
});
