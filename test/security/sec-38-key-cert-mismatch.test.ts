// SEC-38f: a PKCS#12 whose key does not match its certificate is refused; pairing is proven by signing
// with the key and verifying with the certificate, so copied public data in the key cannot fool it.
import { webcrypto } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportPkcs12, importPkcs12, requireIdentities, SmimeError } from '../../src/crypto/index.js';
import { createTestPki, type TestPki } from '../helpers/pki.js';
import { buildPfx, certBag, dataContentInfo, keyBag } from '../unit/pkcs12/build-pfx.js';

const crypto = webcrypto as unknown as Crypto;
let pki: TestPki;
const localKeyId = new Uint8Array([1, 2, 3, 4]);

beforeAll(async () => {
  pki = await createTestPki(crypto);
});

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(SmimeError);
  return (error as SmimeError).code;
}

/** The offset of `needle` in `haystack`. */
function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i <= haystack.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

describe('SEC-38f: key/certificate mismatch', () => {
  it('a key whose localKeyId names another key\'s certificate is refused with PKCS12_KEY_CERT_MISMATCH', async () => {
    const bytes = await buildPfx([
      dataContentInfo([certBag(pki.users.bob.rsa.certificate, { localKeyId })]),
      dataContentInfo([keyBag(pki.users.alice.rsa.pkcs8, { localKeyId })]),
    ], { crypto, password: 'pw' });
    expect(await codeOf(importPkcs12(bytes, 'pw', { crypto }))).toBe('PKCS12_KEY_CERT_MISMATCH');
  });

  it('without localKeyId: the key gets no certificate, and requireIdentities refuses the file', async () => {
    const bytes = await buildPfx([
      dataContentInfo([certBag(pki.users.bob.ec.certificate)]),
      dataContentInfo([keyBag(pki.users.alice.ec.pkcs8)]),
    ], { crypto, password: 'pw' });
    const contents = await importPkcs12(bytes, 'pw', { crypto });
    expect(contents.keys).toHaveLength(1);
    expect(contents.keys[0]!.certificate).toBeUndefined();
    expect(contents.identities).toHaveLength(0);
    expect(await codeOf(Promise.resolve().then(() => requireIdentities(contents)))).toBe('PKCS12_KEY_CERT_MISMATCH');
  });

  it('an EC key carrying the other certificate\'s public point is still refused (possession is proven by signing)', async () => {
    const alice = pki.users.alice.ec;
    const bob = pki.users.bob.ec;
    // WebCrypto's PKCS#8 for EC embeds the public point (RFC 5915 publicKey [1]); replace alice's with bob's.
    const alicePoint = new Uint8Array(await crypto.subtle.exportKey('raw', alice.publicKey));
    const bobPoint = new Uint8Array(await crypto.subtle.exportKey('raw', bob.publicKey));
    const forged = alice.pkcs8.slice();
    const at = indexOf(forged, alicePoint);
    expect(at).toBeGreaterThan(0);
    forged.set(bobPoint, at);
    const bytes = await buildPfx([
      dataContentInfo([certBag(bob.certificate, { localKeyId })]),
      dataContentInfo([keyBag(forged, { localKeyId })]),
    ], { crypto, password: 'pw' });
    // WebCrypto either rejects the inconsistent key (damaged) or it signs with alice's scalar (mismatch).
    expect(['PKCS12_KEY_CERT_MISMATCH', 'PKCS12_DAMAGED']).toContain(await codeOf(importPkcs12(bytes, 'pw', { crypto })));
  });

  it('export refuses to write a mismatched pair', async () => {
    const code = await codeOf(exportPkcs12({ pkcs8: pki.users.alice.rsa.pkcs8, certificate: pki.users.bob.rsa.certificate }, 'pw', { crypto, iterations: 1000 }));
    expect(code).toBe('PKCS12_KEY_CERT_MISMATCH');
  });

  it('a key alone and certificates alone give the specific reasons', async () => {
    const keyOnly = await importPkcs12(await buildPfx([dataContentInfo([keyBag(pki.users.eve.rsa.pkcs8)])], { crypto, password: 'pw' }), 'pw', { crypto });
    expect(await codeOf(Promise.resolve().then(() => requireIdentities(keyOnly)))).toBe('PKCS12_NO_CERTIFICATE');
    const certOnly = await importPkcs12(await buildPfx([dataContentInfo([certBag(pki.users.eve.rsa.certificate)])], { crypto, password: 'pw' }), 'pw', { crypto });
    expect(await codeOf(Promise.resolve().then(() => requireIdentities(certOnly)))).toBe('PKCS12_NO_PRIVATE_KEY');
  });
});
