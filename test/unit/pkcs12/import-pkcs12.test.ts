// SEC-38: importPkcs12 edge cases: PEM armour, each structural failure and unsupported mode with its own
// code, unsupported algorithms named in the error, and export's own refusals.
import { webcrypto } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportPkcs12, importPkcs12, SmimeError } from '../../../src/crypto/index.js';
import { OID } from '../../../src/crypto/oids.js';
import { createTestPki, type TestPki } from '../../helpers/pki.js';
import * as asn1js from 'asn1js';
import {
  buildPfx, certBag, dataContentInfo, derInteger, derNullNode, derOctets, derOid, derSequence, keyBag, rawShroudedKeyBag,
} from './build-pfx.js';
import { encode, derExplicit, derSet } from '../../../src/crypto/pkcs12/der.js';
import { signAndVerifyWithIdentity } from './helpers.js';

const crypto = webcrypto as unknown as Crypto;
let pki: TestPki;

beforeAll(async () => {
  pki = await createTestPki(crypto);
});

async function errorOf(promise: Promise<unknown>): Promise<SmimeError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(SmimeError);
  return error as SmimeError;
}

function pbes2With(prf: string, scheme: string, iv: Uint8Array): ReturnType<typeof derSequence> {
  return derSequence([derOid(OID.pbes2), derSequence([
    derSequence([derOid(OID.pbkdf2), derSequence([derOctets(new Uint8Array(8)), derInteger(1), derSequence([derOid(prf), derNullNode()])])]),
    derSequence([derOid(scheme), derOctets(iv)]),
  ])]);
}

describe('importPkcs12 input forms', () => {
  it('reads the PEM-armoured legacy bob.p12 (3DES bags, SHA-512 MAC) from the autocrypt corpus', async () => {
    const bytes = new Uint8Array(readFileSync(new URL('../../fixtures/autocrypt-protected-headers/bob.p12', import.meta.url)));
    expect(new TextDecoder().decode(bytes.subarray(0, 22))).toBe('-----BEGIN PKCS12-----');
    const contents = await importPkcs12(bytes, 'bob', { crypto });
    expect(contents.integrity).toBe('mac');
    expect(contents.identities).toHaveLength(1);
    await signAndVerifyWithIdentity(crypto, contents.identities[0]!);
    expect((await errorOf(importPkcs12(bytes, 'alice', { crypto }))).code).toBe('PKCS12_WRONG_PASSWORD');
  });

  it('reads bare base64 and PEM after leading blank lines', async () => {
    const alice = pki.users.alice.ec;
    const der = await exportPkcs12({ pkcs8: alice.pkcs8, certificate: alice.certificate }, 'pw', { crypto, iterations: 1000, macIterations: 1000 });
    const base64 = Buffer.from(der).toString('base64').replace(/.{1,64}/g, '$&\r\n');
    const asBase64 = await importPkcs12(new TextEncoder().encode(base64), 'pw', { crypto });
    expect(asBase64.identities[0]!.certificate).toEqual(alice.certificate);
    const asPem = await importPkcs12(new TextEncoder().encode(`\n\n-----BEGIN PKCS12-----\n${base64}-----END PKCS12-----\n`), 'pw', { crypto });
    expect(asPem.identities[0]!.certificate).toEqual(alice.certificate);
  });
});

describe('bag attributes outside RFC 7292 are tolerated', () => {
  it('a UTF8String friendlyName is read and an INTEGER localKeyId ignored; pairing still works by possession', async () => {
    const bob = pki.users.bob.ec;
    const attributes = derSet([
      derSequence([derOid(OID.friendlyName), derSet([new asn1js.Utf8String({ value: 'Bob ✉' })])]),
      derSequence([derOid(OID.localKeyId), derSet([derInteger(7)])]),
    ]);
    const bag = derSequence([derOid(OID.pkcs12CertBag), derExplicit(0, derSequence([derOid(OID.x509Certificate), derExplicit(0, derOctets(bob.certificate))])), attributes]);
    const bytes = await buildPfx([dataContentInfo([bag, keyBag(bob.pkcs8)])], { crypto, password: 'pw' });
    const contents = await importPkcs12(bytes, 'pw', { crypto });
    expect(contents.certificates[0]!.friendlyName).toBe('Bob ✉');
    expect(contents.certificates[0]!.localKeyId).toBeUndefined();
    expect(contents.identities).toHaveLength(1);
    expect(contents.identities[0]!.friendlyName).toBe('Bob ✉');
  });
});

describe('bag types without S/MIME use are skipped', () => {
  it('a secretBag and a bag of an unknown type do not stop the import', async () => {
    const alice = pki.users.alice.rsa;
    const secretBag = derSequence([derOid(OID.pkcs12SecretBag), derExplicit(0, derSequence([derOid(OID.data), derExplicit(0, derOctets(new Uint8Array([1, 2, 3])))]))]);
    const unknownBag = derSequence([derOid(OID.smimeCapabilities), derExplicit(0, derOctets(new Uint8Array(4)))]);
    const bytes = await buildPfx([dataContentInfo([secretBag, unknownBag, certBag(alice.certificate), keyBag(alice.pkcs8)])], { crypto, password: 'pw' });
    const contents = await importPkcs12(bytes, 'pw', { crypto });
    expect(contents.identities).toHaveLength(1);
    expect(contents.certificates).toHaveLength(1);
  });
});

describe('importPkcs12 structural failures are PKCS12_DAMAGED', () => {
  it('empty input, random bytes, a certificate, and PEM of something else', async () => {
    const inputs = [
      new Uint8Array(0),
      new Uint8Array([1, 2, 3, 4, 5]),
      pki.users.alice.rsa.certificate,
      new TextEncoder().encode('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'),
    ];
    for (const input of inputs) expect((await errorOf(importPkcs12(input, 'pw', { crypto }))).code).toBe('PKCS12_DAMAGED');
  });

  it('a PFX version other than 3', async () => {
    const authSafe = encode(derSequence([]));
    const bytes = encode(derSequence([derInteger(2), derSequence([derOid(OID.data), derExplicit(0, derOctets(authSafe))])]));
    const error = await errorOf(importPkcs12(bytes, 'pw', { crypto }));
    expect(error.code).toBe('PKCS12_DAMAGED');
    expect(error.message).toContain('version');
  });

  it('a certificate bag holding something that is not a certificate', async () => {
    const bytes = await buildPfx([dataContentInfo([certBag(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]))])], { crypto, password: 'pw' });
    expect((await errorOf(importPkcs12(bytes, 'pw', { crypto }))).code).toBe('PKCS12_DAMAGED');
  });
});

describe('unsupported modes and algorithms are named', () => {
  it('public-key integrity mode (signedData authSafe)', async () => {
    const bytes = encode(derSequence([derInteger(3), derSequence([derOid(OID.signedData), derExplicit(0, derSequence([]))])]));
    const error = await errorOf(importPkcs12(bytes, 'pw', { crypto }));
    expect(error.code).toBe('PKCS12_UNSUPPORTED_ALGORITHM');
    expect(error.detail?.algorithm).toBe('signedData');
  });

  it('public-key privacy mode (envelopedData content)', async () => {
    const enveloped = derSequence([derOid(OID.envelopedData), derExplicit(0, derSequence([]))]);
    const bytes = await buildPfx([enveloped], { crypto, password: 'pw' });
    const error = await errorOf(importPkcs12(bytes, 'pw', { crypto }));
    expect(error.code).toBe('PKCS12_UNSUPPORTED_ALGORITHM');
    expect(error.detail?.algorithm).toBe('envelopedData');
  });

  it('an unknown bag encryption, PBKDF2 PRF, PBES2 cipher and MAC digest are each named', async () => {
    const cases: [algorithm: ReturnType<typeof derSequence>, name: string][] = [
      [derSequence([derOid(OID.aes128Gcm), derOctets(new Uint8Array(12))]), 'aes128Gcm'],
      [pbes2With(OID.hmacWithSha224, OID.aes256Cbc, new Uint8Array(16)), 'hmacWithSha224'],
      [pbes2With(OID.hmacWithSha256, OID.chacha20Poly1305, new Uint8Array(12)), 'chacha20Poly1305'],
    ];
    for (const [algorithm, name] of cases) {
      const bytes = await buildPfx([dataContentInfo([rawShroudedKeyBag(algorithm, new Uint8Array(32))])], { crypto, password: 'pw' });
      const error = await errorOf(importPkcs12(bytes, 'pw', { crypto }));
      expect(error.code).toBe('PKCS12_UNSUPPORTED_ALGORITHM');
      expect(error.detail?.algorithm).toBe(name);
      expect(error.message).toContain(name);
    }
    const macData = derSequence([derSequence([derSequence([derOid(OID.sha224), derNullNode()]), derOctets(new Uint8Array(28))]), derOctets(new Uint8Array(8)), derInteger(1)]);
    const withSha224Mac = await buildPfx([dataContentInfo([certBag(pki.users.bob.rsa.certificate)])], { crypto, password: 'pw', rawMacData: macData });
    expect((await errorOf(importPkcs12(withSha224Mac, 'pw', { crypto }))).detail?.algorithm).toBe('sha224');
  });
});

describe('exportPkcs12 refusals', () => {
  it('refuses an empty export password', async () => {
    const alice = pki.users.alice.rsa;
    expect((await errorOf(exportPkcs12({ pkcs8: alice.pkcs8, certificate: alice.certificate }, '', { crypto }))).code).toBe('KEYSTORE_WEAK_PASSPHRASE');
  });

  it('refuses a damaged certificate or key', async () => {
    const alice = pki.users.alice.rsa;
    const code = async (pkcs8: Uint8Array, certificate: Uint8Array): Promise<string> =>
      (await errorOf(exportPkcs12({ pkcs8, certificate }, 'pw', { crypto, iterations: 1000 }))).code;
    expect(await code(alice.pkcs8, alice.certificate.subarray(0, 100))).toBe('PKCS12_DAMAGED');
    expect(await code(alice.pkcs8.subarray(0, 100), alice.certificate)).toBe('PKCS12_DAMAGED');
  });
});
