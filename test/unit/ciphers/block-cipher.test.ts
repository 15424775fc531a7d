// SEC-38c: CBC/PKCS#7 padding failures are typed errors (a wrong password on a file without MAC shows up here).
import { describe, expect, it } from 'vitest';
import { cbcDecrypt, cbcEncrypt } from '../../../src/crypto/ciphers/block-cipher.js';
import { createTripleDes } from '../../../src/crypto/ciphers/des.js';
import { fromHex, toHex } from '../../../src/crypto/bytes.js';
import { SmimeError } from '../../../src/crypto/errors.js';

const key = fromHex('0123456789abcdef23456789abcdef01456789abcdef0123');
const iv = fromHex('1234567890abcdef');

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof SmimeError ? error.code : `not an SmimeError: ${String(error)}`;
  }
  return undefined;
}

describe('CBC with PKCS#7 padding', () => {
  it('pads every length, including whole blocks (a full block of 08)', () => {
    for (let length = 0; length <= 17; length++) {
      const plaintext = new Uint8Array(length).map((_, i) => i);
      const ciphertext = cbcEncrypt(createTripleDes(key), iv, plaintext);
      expect(ciphertext.length).toBe((Math.floor(length / 8) + 1) * 8);
      expect(cbcDecrypt(createTripleDes(key), iv, ciphertext)).toEqual(plaintext);
    }
  });

  it('chains blocks: the second block depends on the first', () => {
    const a = cbcEncrypt(createTripleDes(key), iv, new Uint8Array(16));
    const b = cbcEncrypt(createTripleDes(key), iv, new Uint8Array([1, ...new Uint8Array(15)]));
    expect(toHex(a.subarray(8, 16))).not.toBe(toHex(b.subarray(8, 16)));
  });

  it('refuses wrong padding, empty and ragged ciphertext with DECRYPTION_FAILED', () => {
    const ciphertext = cbcEncrypt(createTripleDes(key), iv, new Uint8Array(5));
    const wrongKey = fromHex('fedcba9876543210' + '23456789abcdef01' + '456789abcdef0123');
    // With a wrong key the last byte is random; over many IVs at least one must fail the padding check.
    let failures = 0;
    for (let i = 0; i < 16; i++) {
      const otherIv = new Uint8Array(8).fill(i);
      if (code(() => cbcDecrypt(createTripleDes(wrongKey), otherIv, ciphertext)) === 'DECRYPTION_FAILED') failures++;
    }
    expect(failures).toBeGreaterThan(8);
    expect(code(() => cbcDecrypt(createTripleDes(key), iv, new Uint8Array(0)))).toBe('DECRYPTION_FAILED');
    expect(code(() => cbcDecrypt(createTripleDes(key), iv, new Uint8Array(12)))).toBe('DECRYPTION_FAILED');
    expect(code(() => cbcDecrypt(createTripleDes(key), new Uint8Array(7), ciphertext))).toBe('DECRYPTION_FAILED');
  });

  it('refuses a padding byte of 0 or above the block size', () => {
    const cipher = createTripleDes(key);
    for (const pad of [0, 9, 0xff]) {
      const block = new Uint8Array(8).fill(pad);
      for (let i = 0; i < 8; i++) block[i]! ^= iv[i]!;
      cipher.encryptBlock(block, 0);
      expect(code(() => cbcDecrypt(cipher, iv, block))).toBe('DECRYPTION_FAILED');
    }
  });
});
