/**
 * DES and two/three-key Triple DES (EDE) block ciphers, FIPS 46-3 and NIST SP 800-67.
 * Needed only to read legacy PKCS#12 files (pbeWithSHAAnd3-KeyTripleDES-CBC, RFC 7292 Appendix C):
 * WebCrypto has no DES. Written from the FIPS 46-3 tables for clarity rather than speed: a .p12 holds
 * a few kilobytes, so a bit-level implementation costs milliseconds.
 */
import type { BlockCipher64 } from './block-cipher.js';
import { SmimeError } from '../errors.js';

// FIPS 46-3 tables, 1-based bit positions counted from the most significant bit.
const IP = [
  58, 50, 42, 34, 26, 18, 10, 2, 60, 52, 44, 36, 28, 20, 12, 4, 62, 54, 46, 38, 30, 22, 14, 6, 64, 56, 48, 40, 32, 24, 16, 8,
  57, 49, 41, 33, 25, 17, 9, 1, 59, 51, 43, 35, 27, 19, 11, 3, 61, 53, 45, 37, 29, 21, 13, 5, 63, 55, 47, 39, 31, 23, 15, 7,
];
const FP = invert(IP);
const E = [
  32, 1, 2, 3, 4, 5, 4, 5, 6, 7, 8, 9, 8, 9, 10, 11, 12, 13, 12, 13, 14, 15, 16, 17,
  16, 17, 18, 19, 20, 21, 20, 21, 22, 23, 24, 25, 24, 25, 26, 27, 28, 29, 28, 29, 30, 31, 32, 1,
];
const P = [16, 7, 20, 21, 29, 12, 28, 17, 1, 15, 23, 26, 5, 18, 31, 10, 2, 8, 24, 14, 32, 27, 3, 9, 19, 13, 30, 6, 22, 11, 4, 25];
const PC1 = [
  57, 49, 41, 33, 25, 17, 9, 1, 58, 50, 42, 34, 26, 18, 10, 2, 59, 51, 43, 35, 27, 19, 11, 3, 60, 52, 44, 36,
  63, 55, 47, 39, 31, 23, 15, 7, 62, 54, 46, 38, 30, 22, 14, 6, 61, 53, 45, 37, 29, 21, 13, 5, 28, 20, 12, 4,
];
const PC2 = [
  14, 17, 11, 24, 1, 5, 3, 28, 15, 6, 21, 10, 23, 19, 12, 4, 26, 8, 16, 7, 27, 20, 13, 2,
  41, 52, 31, 37, 47, 55, 30, 40, 51, 45, 33, 48, 44, 49, 39, 56, 34, 53, 46, 42, 50, 36, 29, 32,
];
const SHIFTS = [1, 1, 2, 2, 2, 2, 2, 2, 1, 2, 2, 2, 2, 2, 2, 1];
const S = [
  [14, 4, 13, 1, 2, 15, 11, 8, 3, 10, 6, 12, 5, 9, 0, 7, 0, 15, 7, 4, 14, 2, 13, 1, 10, 6, 12, 11, 9, 5, 3, 8,
    4, 1, 14, 8, 13, 6, 2, 11, 15, 12, 9, 7, 3, 10, 5, 0, 15, 12, 8, 2, 4, 9, 1, 7, 5, 11, 3, 14, 10, 0, 6, 13],
  [15, 1, 8, 14, 6, 11, 3, 4, 9, 7, 2, 13, 12, 0, 5, 10, 3, 13, 4, 7, 15, 2, 8, 14, 12, 0, 1, 10, 6, 9, 11, 5,
    0, 14, 7, 11, 10, 4, 13, 1, 5, 8, 12, 6, 9, 3, 2, 15, 13, 8, 10, 1, 3, 15, 4, 2, 11, 6, 7, 12, 0, 5, 14, 9],
  [10, 0, 9, 14, 6, 3, 15, 5, 1, 13, 12, 7, 11, 4, 2, 8, 13, 7, 0, 9, 3, 4, 6, 10, 2, 8, 5, 14, 12, 11, 15, 1,
    13, 6, 4, 9, 8, 15, 3, 0, 11, 1, 2, 12, 5, 10, 14, 7, 1, 10, 13, 0, 6, 9, 8, 7, 4, 15, 14, 3, 11, 5, 2, 12],
  [7, 13, 14, 3, 0, 6, 9, 10, 1, 2, 8, 5, 11, 12, 4, 15, 13, 8, 11, 5, 6, 15, 0, 3, 4, 7, 2, 12, 1, 10, 14, 9,
    10, 6, 9, 0, 12, 11, 7, 13, 15, 1, 3, 14, 5, 2, 8, 4, 3, 15, 0, 6, 10, 1, 13, 8, 9, 4, 5, 11, 12, 7, 2, 14],
  [2, 12, 4, 1, 7, 10, 11, 6, 8, 5, 3, 15, 13, 0, 14, 9, 14, 11, 2, 12, 4, 7, 13, 1, 5, 0, 15, 10, 3, 9, 8, 6,
    4, 2, 1, 11, 10, 13, 7, 8, 15, 9, 12, 5, 6, 3, 0, 14, 11, 8, 12, 7, 1, 14, 2, 13, 6, 15, 0, 9, 10, 4, 5, 3],
  [12, 1, 10, 15, 9, 2, 6, 8, 0, 13, 3, 4, 14, 7, 5, 11, 10, 15, 4, 2, 7, 12, 9, 5, 6, 1, 13, 14, 0, 11, 3, 8,
    9, 14, 15, 5, 2, 8, 12, 3, 7, 0, 4, 10, 1, 13, 11, 6, 4, 3, 2, 12, 9, 5, 15, 10, 11, 14, 1, 7, 6, 0, 8, 13],
  [4, 11, 2, 14, 15, 0, 8, 13, 3, 12, 9, 7, 5, 10, 6, 1, 13, 0, 11, 7, 4, 9, 1, 10, 14, 3, 5, 12, 2, 15, 8, 6,
    1, 4, 11, 13, 12, 3, 7, 14, 10, 15, 6, 8, 0, 5, 9, 2, 6, 11, 13, 8, 1, 4, 10, 7, 9, 5, 0, 15, 14, 2, 3, 12],
  [13, 2, 8, 4, 6, 15, 11, 1, 10, 9, 3, 14, 5, 0, 12, 7, 1, 15, 13, 8, 10, 3, 7, 4, 12, 5, 6, 11, 0, 14, 9, 2,
    7, 11, 4, 1, 9, 12, 14, 2, 0, 6, 10, 13, 15, 3, 5, 8, 2, 1, 14, 7, 4, 10, 8, 13, 15, 12, 9, 0, 3, 5, 6, 11],
];

function invert(table: readonly number[]): number[] {
  const out = new Array<number>(table.length);
  table.forEach((from, to) => {
    out[from - 1] = to + 1;
  });
  return out;
}

function permute(bits: Uint8Array, table: readonly number[]): Uint8Array {
  const out = new Uint8Array(table.length);
  for (let i = 0; i < table.length; i++) out[i] = bits[table[i]! - 1]!;
  return out;
}

function toBits(bytes: Uint8Array, offset: number, length: number): Uint8Array {
  const bits = new Uint8Array(length * 8);
  for (let i = 0; i < bits.length; i++) bits[i] = (bytes[offset + (i >> 3)]! >> (7 - (i & 7))) & 1;
  return bits;
}

function writeBits(bits: Uint8Array, target: Uint8Array, offset: number): void {
  for (let i = 0; i < bits.length / 8; i++) {
    let byte = 0;
    for (let b = 0; b < 8; b++) byte = (byte << 1) | bits[i * 8 + b]!;
    target[offset + i] = byte;
  }
}

/** The 16 round keys of FIPS 46-3 (48 bits each). Parity bits of the key are ignored. */
function keySchedule(key: Uint8Array): Uint8Array[] {
  const permuted = permute(toBits(key, 0, 8), PC1);
  let c = Array.from(permuted.subarray(0, 28));
  let d = Array.from(permuted.subarray(28));
  const rounds: Uint8Array[] = [];
  for (const shift of SHIFTS) {
    c = c.slice(shift).concat(c.slice(0, shift));
    d = d.slice(shift).concat(d.slice(0, shift));
    rounds.push(permute(Uint8Array.from(c.concat(d)), PC2));
  }
  return rounds;
}

function feistel(right: Uint8Array, roundKey: Uint8Array): Uint8Array {
  const expanded = permute(right, E);
  const substituted = new Uint8Array(32);
  for (let box = 0; box < 8; box++) {
    const b = (i: number): number => expanded[box * 6 + i]! ^ roundKey[box * 6 + i]!;
    const row = (b(0) << 1) | b(5);
    const column = (b(1) << 3) | (b(2) << 2) | (b(3) << 1) | b(4);
    const value = S[box]![row * 16 + column]!;
    for (let bit = 0; bit < 4; bit++) substituted[box * 4 + bit] = (value >> (3 - bit)) & 1;
  }
  return permute(substituted, P);
}

function crypt(block: Uint8Array, offset: number, roundKeys: readonly Uint8Array[]): void {
  const bits = permute(toBits(block, offset, 8), IP);
  let left = bits.subarray(0, 32);
  let right = bits.subarray(32);
  for (const roundKey of roundKeys) {
    const f = feistel(right, roundKey);
    const next = new Uint8Array(32);
    for (let i = 0; i < 32; i++) next[i] = left[i]! ^ f[i]!;
    left = right;
    right = next;
  }
  const preOutput = new Uint8Array(64);
  preOutput.set(right, 0);
  preOutput.set(left, 32);
  writeBits(permute(preOutput, FP), block, offset);
}

/** Single DES with an 8-byte key. Only a building block of Triple DES; never used on its own. */
export function createDes(key: Uint8Array): BlockCipher64 {
  if (key.length !== 8) throw new SmimeError('DECRYPTION_FAILED', `DES key must be 8 bytes, got ${key.length}`);
  const encryptKeys = keySchedule(key);
  const decryptKeys = encryptKeys.slice().reverse();
  return {
    encryptBlock: (block, offset) => crypt(block, offset, encryptKeys),
    decryptBlock: (block, offset) => crypt(block, offset, decryptKeys),
  };
}

/**
 * Triple DES in EDE mode (SP 800-67): a 24-byte key (K1,K2,K3) or a 16-byte two-key form (K1,K2,K1),
 * as used by pbeWithSHAAnd2-KeyTripleDES-CBC.
 * @throws SmimeError `DECRYPTION_FAILED` for any other key length.
 */
export function createTripleDes(key: Uint8Array): BlockCipher64 {
  if (key.length !== 24 && key.length !== 16) {
    throw new SmimeError('DECRYPTION_FAILED', `Triple DES key must be 16 or 24 bytes, got ${key.length}`);
  }
  const k1 = createDes(key.subarray(0, 8));
  const k2 = createDes(key.subarray(8, 16));
  const k3 = key.length === 24 ? createDes(key.subarray(16, 24)) : k1;
  return {
    encryptBlock(block, offset) {
      k1.encryptBlock(block, offset);
      k2.decryptBlock(block, offset);
      k3.encryptBlock(block, offset);
    },
    decryptBlock(block, offset) {
      k3.decryptBlock(block, offset);
      k2.encryptBlock(block, offset);
      k1.decryptBlock(block, offset);
    },
  };
}
