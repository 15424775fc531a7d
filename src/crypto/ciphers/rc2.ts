/**
 * RC2 block cipher, RFC 2268, with an effective key length ("effective key bits", §2).
 * Needed only to read legacy PKCS#12 files: OpenSSL 1.x and Windows encrypt the certificate bag with
 * pbeWithSHAAnd40BitRC2-CBC (RFC 7292 Appendix C), and WebCrypto has no RC2.
 */
import type { BlockCipher64 } from './block-cipher.js';
import { SmimeError } from '../errors.js';

/** RFC 2268 §2: PITABLE, a permutation of 0..255 derived from the digits of pi. */
const PITABLE = Uint8Array.from([
  0xd9, 0x78, 0xf9, 0xc4, 0x19, 0xdd, 0xb5, 0xed, 0x28, 0xe9, 0xfd, 0x79, 0x4a, 0xa0, 0xd8, 0x9d,
  0xc6, 0x7e, 0x37, 0x83, 0x2b, 0x76, 0x53, 0x8e, 0x62, 0x4c, 0x64, 0x88, 0x44, 0x8b, 0xfb, 0xa2,
  0x17, 0x9a, 0x59, 0xf5, 0x87, 0xb3, 0x4f, 0x13, 0x61, 0x45, 0x6d, 0x8d, 0x09, 0x81, 0x7d, 0x32,
  0xbd, 0x8f, 0x40, 0xeb, 0x86, 0xb7, 0x7b, 0x0b, 0xf0, 0x95, 0x21, 0x22, 0x5c, 0x6b, 0x4e, 0x82,
  0x54, 0xd6, 0x65, 0x93, 0xce, 0x60, 0xb2, 0x1c, 0x73, 0x56, 0xc0, 0x14, 0xa7, 0x8c, 0xf1, 0xdc,
  0x12, 0x75, 0xca, 0x1f, 0x3b, 0xbe, 0xe4, 0xd1, 0x42, 0x3d, 0xd4, 0x30, 0xa3, 0x3c, 0xb6, 0x26,
  0x6f, 0xbf, 0x0e, 0xda, 0x46, 0x69, 0x07, 0x57, 0x27, 0xf2, 0x1d, 0x9b, 0xbc, 0x94, 0x43, 0x03,
  0xf8, 0x11, 0xc7, 0xf6, 0x90, 0xef, 0x3e, 0xe7, 0x06, 0xc3, 0xd5, 0x2f, 0xc8, 0x66, 0x1e, 0xd7,
  0x08, 0xe8, 0xea, 0xde, 0x80, 0x52, 0xee, 0xf7, 0x84, 0xaa, 0x72, 0xac, 0x35, 0x4d, 0x6a, 0x2a,
  0x96, 0x1a, 0xd2, 0x71, 0x5a, 0x15, 0x49, 0x74, 0x4b, 0x9f, 0xd0, 0x5e, 0x04, 0x18, 0xa4, 0xec,
  0xc2, 0xe0, 0x41, 0x6e, 0x0f, 0x51, 0xcb, 0xcc, 0x24, 0x91, 0xaf, 0x50, 0xa1, 0xf4, 0x70, 0x39,
  0x99, 0x7c, 0x3a, 0x85, 0x23, 0xb8, 0xb4, 0x7a, 0xfc, 0x02, 0x36, 0x5b, 0x25, 0x55, 0x97, 0x31,
  0x2d, 0x5d, 0xfa, 0x98, 0xe3, 0x8a, 0x92, 0xae, 0x05, 0xdf, 0x29, 0x10, 0x67, 0x6c, 0xba, 0xc9,
  0xd3, 0x00, 0xe6, 0xcf, 0xe1, 0x9e, 0xa8, 0x2c, 0x63, 0x16, 0x01, 0x3f, 0x58, 0xe2, 0x89, 0xa9,
  0x0d, 0x38, 0x34, 0x1b, 0xab, 0x33, 0xff, 0xb0, 0xbb, 0x48, 0x0c, 0x5f, 0xb9, 0xb1, 0xcd, 0x2e,
  0xc5, 0xf3, 0xdb, 0x47, 0xe5, 0xa5, 0x9c, 0x77, 0x0a, 0xa6, 0x20, 0x68, 0xfe, 0x7f, 0xc1, 0xad,
]);

/** Rotation amounts s[0..3] of the MIX operation (RFC 2268 §3.1). */
const ROTATE = [1, 2, 3, 5];

/** RFC 2268 §2 key expansion: 64 16-bit subkeys K[0..63]. */
function expandKey(key: Uint8Array, effectiveBits: number): Uint16Array {
  const t = key.length;
  const l = new Uint8Array(128);
  l.set(key);
  for (let i = t; i < 128; i++) l[i] = PITABLE[(l[i - 1]! + l[i - t]!) & 0xff]!;
  const t8 = Math.ceil(effectiveBits / 8);
  const tm = 0xff % 2 ** (8 + effectiveBits - 8 * t8);
  l[128 - t8] = PITABLE[l[128 - t8]! & tm]!;
  for (let i = 127 - t8; i >= 0; i--) l[i] = PITABLE[l[i + 1]! ^ l[i + t8]!]!;
  const k = new Uint16Array(64);
  for (let i = 0; i < 64; i++) k[i] = l[2 * i]! | (l[2 * i + 1]! << 8);
  return k;
}

/**
 * RC2 with a 1..128-byte key and an effective key length of 1..1024 bits (RFC 2268 §2).
 * pbeWithSHAAnd40BitRC2-CBC uses a 5-byte key with 40 effective bits; the 128-bit variant 16 bytes and 128 bits.
 * @throws SmimeError `DECRYPTION_FAILED` for key or effective-length values outside those ranges.
 */
export function createRc2(key: Uint8Array, effectiveBits: number = key.length * 8): BlockCipher64 {
  if (key.length < 1 || key.length > 128) throw new SmimeError('DECRYPTION_FAILED', `RC2 key must be 1..128 bytes, got ${key.length}`);
  if (!Number.isInteger(effectiveBits) || effectiveBits < 1 || effectiveBits > 1024) {
    throw new SmimeError('DECRYPTION_FAILED', `RC2 effective key bits must be 1..1024, got ${effectiveBits}`);
  }
  const k = expandKey(key, effectiveBits);
  const r = new Uint16Array(4);

  const load = (block: Uint8Array, offset: number): void => {
    for (let i = 0; i < 4; i++) r[i] = block[offset + 2 * i]! | (block[offset + 2 * i + 1]! << 8);
  };
  const store = (block: Uint8Array, offset: number): void => {
    for (let i = 0; i < 4; i++) {
      block[offset + 2 * i] = r[i]! & 0xff;
      block[offset + 2 * i + 1] = r[i]! >> 8;
    }
  };

  return {
    encryptBlock(block, offset) {
      load(block, offset);
      let j = 0;
      const mixRound = (): void => {
        for (let i = 0; i < 4; i++) {
          const sum = r[i]! + k[j++]! + (r[(i + 3) & 3]! & r[(i + 2) & 3]!) + (~r[(i + 3) & 3]! & r[(i + 1) & 3]!);
          const word = sum & 0xffff;
          r[i] = (word << ROTATE[i]!) | (word >> (16 - ROTATE[i]!));
        }
      };
      const mashRound = (): void => {
        for (let i = 0; i < 4; i++) r[i] = r[i]! + k[r[(i + 3) & 3]! & 63]!;
      };
      for (let n = 0; n < 5; n++) mixRound();
      mashRound();
      for (let n = 0; n < 6; n++) mixRound();
      mashRound();
      for (let n = 0; n < 5; n++) mixRound();
      store(block, offset);
    },
    decryptBlock(block, offset) {
      load(block, offset);
      let j = 63;
      const mixRound = (): void => {
        for (let i = 3; i >= 0; i--) {
          const word = r[i]!;
          const rotated = ((word >> ROTATE[i]!) | (word << (16 - ROTATE[i]!))) & 0xffff;
          r[i] = rotated - k[j--]! - (r[(i + 3) & 3]! & r[(i + 2) & 3]!) - (~r[(i + 3) & 3]! & r[(i + 1) & 3]!);
        }
      };
      const mashRound = (): void => {
        for (let i = 3; i >= 0; i--) r[i] = r[i]! - k[r[(i + 3) & 3]! & 63]!;
      };
      for (let n = 0; n < 5; n++) mixRound();
      mashRound();
      for (let n = 0; n < 6; n++) mixRound();
      mashRound();
      for (let n = 0; n < 5; n++) mixRound();
      store(block, offset);
    },
  };
}
