/**
 * DES and two/three-key Triple DES (EDE) block ciphers, FIPS 46-3 and NIST SP 800-67.
 * Needed only to read legacy PKCS#12 files (pbeWithSHAAnd3-KeyTripleDES-CBC, RFC 7292 Appendix C):
 * WebCrypto has no DES. Also used for 3DES-CBC S/MIME mail (src/crypto/cms/decrypt-legacy.ts).
 * Written from the FIPS 46-3 tables, compiled into lookup tables when the module loads; the E expansion
 * is done by rotation in `feistel`.
 */
import type { BlockCipher64 } from './block-cipher.js';
import { SmimeError } from '../errors.js';

// FIPS 46-3 tables, 1-based bit positions counted from the most significant bit.
const IP = [
  58, 50, 42, 34, 26, 18, 10, 2, 60, 52, 44, 36, 28, 20, 12, 4, 62, 54, 46, 38, 30, 22, 14, 6, 64, 56, 48, 40, 32, 24, 16, 8,
  57, 49, 41, 33, 25, 17, 9, 1, 59, 51, 43, 35, 27, 19, 11, 3, 61, 53, 45, 37, 29, 21, 13, 5, 63, 55, 47, 39, 31, 23, 15, 7,
];
const FP = invert(IP);
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

// The FIPS tables are compiled once into lookup tables, so a block costs a few dozen array reads
// instead of bit-by-bit permutations (this cipher also decrypts 3DES-CBC mail, which can be megabytes).

/**
 * A 64-bit permutation as 8 tables of 256 entries: the (high, low) output words contributed by each
 * input byte value. Applying it is 8 lookups and XORs.
 */
function compilePermutation64(table: readonly number[]): Uint32Array {
  const compiled = new Uint32Array(8 * 256 * 2);
  for (let outBit = 0; outBit < 64; outBit++) {
    const inBit = table[outBit]! - 1;
    const byte = inBit >> 3;
    const mask = 0x80 >> (inBit & 7);
    for (let value = 0; value < 256; value++) {
      if (value & mask) compiled[(byte * 256 + value) * 2 + (outBit >> 5)]! |= (0x80000000 >>> (outBit & 31));
    }
  }
  return compiled;
}

const IP_TABLE = compilePermutation64(IP);
const FP_TABLE = compilePermutation64(FP);

/** SP[box][six bits]: S-box output placed at the box's four bits, then permuted by P (FIPS 46-3 f function). */
const SP: Uint32Array[] = S.map((box, index) => {
  const table = new Uint32Array(64);
  for (let input = 0; input < 64; input++) {
    const row = ((input >> 4) & 2) | (input & 1);
    const column = (input >> 1) & 15;
    const value = box[row * 16 + column]!;
    let word = 0;
    for (let bit = 0; bit < 4; bit++) {
      if (value & (8 >> bit)) {
        const position = index * 4 + bit + 1; // 1-based bit of the S-box output
        const out = P.indexOf(position); // where P sends it
        word |= 0x80000000 >>> out;
      }
    }
    table[input] = word;
  }
  return table;
});

function permute64(compiled: Uint32Array, block: Uint8Array, offset: number, out: Uint32Array): void {
  let high = 0;
  let low = 0;
  for (let byte = 0; byte < 8; byte++) {
    const index = (byte * 256 + block[offset + byte]!) * 2;
    high |= compiled[index]!;
    low |= compiled[index + 1]!;
  }
  out[0] = high;
  out[1] = low;
}

function permuteBits(bits: readonly number[], table: readonly number[]): number[] {
  return table.map((position) => bits[position - 1]!);
}

/** The 16 round keys of FIPS 46-3 as 8 six-bit groups each. Parity bits of the key are ignored. */
function keySchedule(key: Uint8Array): Uint8Array[] {
  const keyBits: number[] = [];
  for (let i = 0; i < 64; i++) keyBits.push((key[i >> 3]! >> (7 - (i & 7))) & 1);
  const permuted = permuteBits(keyBits, PC1);
  let c = permuted.slice(0, 28);
  let d = permuted.slice(28);
  const rounds: Uint8Array[] = [];
  for (const shift of SHIFTS) {
    c = c.slice(shift).concat(c.slice(0, shift));
    d = d.slice(shift).concat(d.slice(0, shift));
    const roundBits = permuteBits(c.concat(d), PC2);
    const groups = new Uint8Array(8);
    for (let box = 0; box < 8; box++) {
      let group = 0;
      for (let bit = 0; bit < 6; bit++) group = (group << 1) | roundBits[box * 6 + bit]!;
      groups[box] = group;
    }
    rounds.push(groups);
  }
  return rounds;
}

/**
 * f(R, K): E expands R to eight 6-bit groups, each the bits 4j..4j+5 (1-based, wrapping) of R;
 * rotating R right by one makes group j the bits (26 - 4j)..(31 - 4j) of the rotated word.
 */
function feistel(right: number, roundKey: Uint8Array): number {
  const rotated = (right >>> 1) | (right << 31);
  let out = 0;
  for (let box = 0; box < 7; box++) out |= SP[box]![((rotated >>> (26 - 4 * box)) & 0x3f) ^ roundKey[box]!]!;
  out |= SP[7]![(((rotated << 2) | (rotated >>> 30)) & 0x3f) ^ roundKey[7]!]!;
  return out;
}

const scratch = new Uint32Array(2);
const preOutput = new Uint8Array(8);

function crypt(block: Uint8Array, offset: number, roundKeys: readonly Uint8Array[]): void {
  permute64(IP_TABLE, block, offset, scratch);
  let left = scratch[0]!;
  let right = scratch[1]!;
  for (const roundKey of roundKeys) {
    const next = (left ^ feistel(right, roundKey)) >>> 0;
    left = right;
    right = next;
  }
  // The halves swap before the final permutation (R16 L16).
  for (let i = 0; i < 4; i++) {
    preOutput[i] = right >>> (24 - 8 * i);
    preOutput[4 + i] = left >>> (24 - 8 * i);
  }
  permute64(FP_TABLE, preOutput, 0, scratch);
  for (let i = 0; i < 4; i++) {
    block[offset + i] = scratch[0]! >>> (24 - 8 * i);
    block[offset + 4 + i] = scratch[1]! >>> (24 - 8 * i);
  }
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
