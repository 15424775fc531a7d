// SEC-38b: RC4 for pbeWithSHAAnd128BitRC4/40BitRC4 PKCS#12 bags, against the widely published vectors.
import { describe, expect, it } from 'vitest';
import { rc4 } from '../../../src/crypto/ciphers/rc4.js';
import { toHex, utf8 } from '../../../src/crypto/bytes.js';

describe('RC4', () => {
  const vectors: [key: string, plaintext: string, ciphertext: string][] = [
    ['Key', 'Plaintext', 'bbf316e8d940af0ad3'],
    ['Wiki', 'pedia', '1021bf0420'],
    ['Secret', 'Attack at dawn', '45a01f645fc35b383552544b9bf5'],
  ];
  for (const [key, plaintext, ciphertext] of vectors) {
    it(`key "${key}": "${plaintext}"`, () => {
      const out = rc4(utf8(key), utf8(plaintext));
      expect(toHex(out)).toBe(ciphertext);
      expect(rc4(utf8(key), out)).toEqual(utf8(plaintext));
    });
  }

  it('refuses an empty key', () => {
    expect(() => rc4(new Uint8Array(0), new Uint8Array(1))).toThrow(RangeError);
  });
});
