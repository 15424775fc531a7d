// SEC-38: the RFC 7292 Appendix B KDF and its synchronous digests. OpenSSL agreement on random inputs is in
// test/interop/pkcs12-legacy-ciphers.test.ts; here: a published vector, the password encodings, and the fast
// SHA-1/SHA-256 loop against WebCrypto.
import { webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { derivePkcs12Key, pkcs12PasswordBytes } from '../../../src/crypto/kdf/pkcs12-kdf.js';
import { iteratedDigest } from '../../../src/crypto/kdf/sync-digest.js';
import { fromHex, toHex } from '../../../src/crypto/bytes.js';

const crypto = webcrypto as unknown as Crypto;

describe('RFC 7292 Appendix B KDF', () => {
  it('derives the Bouncy Castle / OpenSSL test vector for "smeg" (SHA-1, ID 1, 1 iteration)', async () => {
    const key = await derivePkcs12Key({
      hash: 'SHA-1', password: pkcs12PasswordBytes('smeg'), salt: fromHex('0a58cf64530d823f'), iterations: 1, purpose: 1, length: 24,
    });
    expect(toHex(key)).toBe('8aaae6297b6cb04642ab5b077851284eb7128f1a2a7fbca3');
  });

  it('encodes passwords as BMPString plus two zero bytes; null as zero length', () => {
    expect(toHex(pkcs12PasswordBytes('smeg'))).toBe('0073006d006500670000');
    expect(toHex(pkcs12PasswordBytes(''))).toBe('0000');
    expect(pkcs12PasswordBytes(null)).toHaveLength(0);
    expect(toHex(pkcs12PasswordBytes('€'))).toBe('20ac0000');
    // Outside the BMP: a UTF-16 surrogate pair, as OpenSSL's OPENSSL_utf82uni writes it.
    expect(toHex(pkcs12PasswordBytes('😀'))).toBe('d83dde000000');
  });

  it('gives different keys for the ID 1/2/3 purposes', async () => {
    const base = { hash: 'SHA-256' as const, password: pkcs12PasswordBytes('x'), salt: fromHex('0102030405060708'), iterations: 10, length: 32 };
    const outputs = await Promise.all([1, 2, 3].map((purpose) => derivePkcs12Key({ ...base, purpose: purpose as 1 | 2 | 3 })));
    expect(new Set(outputs.map((o) => toHex(o))).size).toBe(3);
  });

  it('refuses a zero iteration count (a caller bug, not a file error)', async () => {
    await expect(derivePkcs12Key({ hash: 'SHA-1', password: new Uint8Array(2), salt: new Uint8Array(8), iterations: 0, purpose: 1, length: 8 }))
      .rejects.toThrow(RangeError);
  });
});

describe('iterated SHA-1/SHA-2 agree with WebCrypto', () => {
  for (const hash of ['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512'] as const) {
    it(`${hash} over lengths 0..200 and 1..4 iterations`, async () => {
      for (let length = 0; length <= 200; length += 7) {
        const data = crypto.getRandomValues(new Uint8Array(length));
        for (let iterations = 1; iterations <= 4; iterations++) {
          let expected: Uint8Array = data;
          for (let n = 0; n < iterations; n++) expected = new Uint8Array(await crypto.subtle.digest(hash, expected as Uint8Array<ArrayBuffer>));
          expect(toHex(iteratedDigest(hash, data, iterations))).toBe(toHex(expected));
        }
      }
    });
  }
});
