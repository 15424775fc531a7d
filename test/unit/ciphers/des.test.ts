// SEC-38b: Triple DES for legacy PKCS#12 key bags, checked against published DES vectors
// (OpenSSL agreement on random data is in test/interop/pkcs12-legacy-ciphers.test.ts).
import { describe, expect, it } from 'vitest';
import { createDes, createTripleDes } from '../../../src/crypto/ciphers/des.js';
import { fromHex, toHex } from '../../../src/crypto/bytes.js';
import { SmimeError } from '../../../src/crypto/errors.js';

function encryptBlock(cipher: ReturnType<typeof createDes>, hex: string): string {
  const block = fromHex(hex);
  cipher.encryptBlock(block, 0);
  return toHex(block);
}

function decryptBlock(cipher: ReturnType<typeof createDes>, hex: string): string {
  const block = fromHex(hex);
  cipher.decryptBlock(block, 0);
  return toHex(block);
}

describe('DES (FIPS 46-3)', () => {
  const vectors: [key: string, plaintext: string, ciphertext: string][] = [
    // The worked example of J. Orlin Grabbe, "The DES Algorithm Illustrated".
    ['133457799bbcdff1', '0123456789abcdef', '85e813540f0ab405'],
    // FIPS 81 Appendix B ("Now is the time for all "), first block in ECB.
    ['0123456789abcdef', '4e6f772069732074', '3fa40e8a984d4815'],
    // NBS/NIST Special Publication 500-20 variable-plaintext test, first entry.
    ['0101010101010101', '8000000000000000', '95f8a5e5dd31d900'],
  ];
  for (const [key, plaintext, ciphertext] of vectors) {
    it(`key ${key}: ${plaintext} → ${ciphertext}`, () => {
      const des = createDes(fromHex(key));
      expect(encryptBlock(des, plaintext)).toBe(ciphertext);
      expect(decryptBlock(des, ciphertext)).toBe(plaintext);
    });
  }

  it('ignores the parity bits of the key', () => {
    const a = createDes(fromHex('0123456789abcdef'));
    const b = createDes(fromHex('0022446688aaccee'));
    expect(encryptBlock(b, '4e6f772069732074')).toBe(encryptBlock(a, '4e6f772069732074'));
  });

  it('refuses keys that are not 8 bytes', () => {
    expect(() => createDes(new Uint8Array(7))).toThrow(SmimeError);
  });
});

describe('Triple DES EDE (SP 800-67)', () => {
  it('with K1 = K2 = K3 equals single DES (the EDE construction)', () => {
    const key = fromHex('133457799bbcdff1');
    const triple = createTripleDes(new Uint8Array([...key, ...key, ...key]));
    expect(encryptBlock(triple, '0123456789abcdef')).toBe('85e813540f0ab405');
  });

  it('two-key form (K1, K2, K1) equals the three-key form with K3 = K1', () => {
    const k1 = fromHex('0123456789abcdef');
    const k2 = fromHex('23456789abcdef01');
    const two = createTripleDes(new Uint8Array([...k1, ...k2]));
    const three = createTripleDes(new Uint8Array([...k1, ...k2, ...k1]));
    expect(encryptBlock(two, '5468652071756663')).toBe(encryptBlock(three, '5468652071756663'));
  });

  it('SP 800-67 Rev. 1 example: "The qufck brown fox jump"', () => {
    const triple = createTripleDes(fromHex('0123456789abcdef23456789abcdef01456789abcdef0123'));
    const plaintext = '54686520717566636b2062726f776e20666f78206a756d70';
    const out: string[] = [];
    for (let i = 0; i < plaintext.length; i += 16) out.push(encryptBlock(triple, plaintext.slice(i, i + 16)));
    expect(out.join('')).toBe('a826fd8ce53b855fcce21c8112256fe668d5c05dd9b6b900');
  });

  it('refuses keys that are not 16 or 24 bytes', () => {
    expect(() => createTripleDes(new Uint8Array(8))).toThrow(SmimeError);
  });
});
