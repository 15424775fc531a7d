// SEC-38b: RC2 for legacy PKCS#12 certificate bags (pbeWithSHAAnd40BitRC2-CBC), checked against the
// RFC 2268 §5 test vectors, including the effective-key-bits cases.
import { describe, expect, it } from 'vitest';
import { createRc2 } from '../../../src/crypto/ciphers/rc2.js';
import { fromHex, toHex } from '../../../src/crypto/bytes.js';
import { SmimeError } from '../../../src/crypto/errors.js';

const RFC_2268_VECTORS: [key: string, effectiveBits: number, plaintext: string, ciphertext: string][] = [
  ['0000000000000000', 63, '0000000000000000', 'ebb773f993278eff'],
  ['ffffffffffffffff', 64, 'ffffffffffffffff', '278b27e42e2f0d49'],
  ['3000000000000000', 64, '1000000000000001', '30649edf9be7d2c2'],
  ['88', 64, '0000000000000000', '61a8a244adacccf0'],
  ['88bca90e90875a', 64, '0000000000000000', '6ccf4308974c267f'],
  ['88bca90e90875a7f0f79c384627bafb2', 64, '0000000000000000', '1a807d272bbe5db1'],
  ['88bca90e90875a7f0f79c384627bafb2', 128, '0000000000000000', '2269552ab0f85ca6'],
  ['88bca90e90875a7f0f79c384627bafb216f80a6f85920584c42fceb0be255daf1e', 129, '0000000000000000', '5b78d3a43dfff1f1'],
];

describe('RC2 (RFC 2268)', () => {
  for (const [key, bits, plaintext, ciphertext] of RFC_2268_VECTORS) {
    it(`key ${key.slice(0, 16)}… T1=${bits}: ${plaintext} ↔ ${ciphertext}`, () => {
      const rc2 = createRc2(fromHex(key), bits);
      const block = fromHex(plaintext);
      rc2.encryptBlock(block, 0);
      expect(toHex(block)).toBe(ciphertext);
      rc2.decryptBlock(block, 0);
      expect(toHex(block)).toBe(plaintext);
    });
  }

  it('the effective key length changes the result (40 vs 128 bits on the same key bytes)', () => {
    const key = fromHex('88bca90e90');
    const a = new Uint8Array(8);
    const b = new Uint8Array(8);
    createRc2(key, 40).encryptBlock(a, 0);
    createRc2(key, 128).encryptBlock(b, 0);
    expect(toHex(a)).not.toBe(toHex(b));
  });

  it('refuses out-of-range keys and effective lengths', () => {
    expect(() => createRc2(new Uint8Array(0), 40)).toThrow(SmimeError);
    expect(() => createRc2(new Uint8Array(129), 40)).toThrow(SmimeError);
    expect(() => createRc2(new Uint8Array(5), 0)).toThrow(SmimeError);
    expect(() => createRc2(new Uint8Array(5), 1025)).toThrow(SmimeError);
  });
});
