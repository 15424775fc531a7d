/**
 * CBC mode with PKCS#7 padding over a 64-bit block cipher (RFC 8018 §6.1.1 step 4, RFC 5652 §6.3).
 * Only the legacy ciphers WebCrypto lacks (3DES, RC2) use this; AES goes through WebCrypto.
 */
import { SmimeError } from '../errors.js';

/** A 64-bit block cipher with its key schedule already computed. */
export interface BlockCipher64 {
  /** Encrypts the 8 bytes at `offset` of `block` in place. */
  encryptBlock(block: Uint8Array, offset: number): void;
  /** Decrypts the 8 bytes at `offset` of `block` in place. */
  decryptBlock(block: Uint8Array, offset: number): void;
}

const BLOCK = 8;

/** Pads with PKCS#7 and encrypts in CBC mode. `iv` must be 8 bytes. */
export function cbcEncrypt(cipher: BlockCipher64, iv: Uint8Array, plaintext: Uint8Array): Uint8Array {
  checkIv(iv);
  const padLength = BLOCK - (plaintext.length % BLOCK);
  const out = new Uint8Array(plaintext.length + padLength);
  out.set(plaintext);
  out.fill(padLength, plaintext.length);
  let previous = iv;
  let previousOffset = 0;
  for (let offset = 0; offset < out.length; offset += BLOCK) {
    for (let i = 0; i < BLOCK; i++) out[offset + i]! ^= previous[previousOffset + i]!;
    cipher.encryptBlock(out, offset);
    previous = out;
    previousOffset = offset;
  }
  return out;
}

/**
 * Decrypts in CBC mode and removes PKCS#7 padding.
 * @throws SmimeError `DECRYPTION_FAILED` when the length is not a whole number of blocks or the padding is wrong
 *   (with a password-derived key this is the usual sign of a wrong password).
 */
export function cbcDecrypt(cipher: BlockCipher64, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  checkIv(iv);
  if (ciphertext.length === 0 || ciphertext.length % BLOCK !== 0) {
    throw new SmimeError('DECRYPTION_FAILED', `CBC ciphertext of ${ciphertext.length} bytes is not a whole number of 8-byte blocks`);
  }
  const out = ciphertext.slice();
  for (let offset = 0; offset < out.length; offset += BLOCK) {
    cipher.decryptBlock(out, offset);
    const previous = offset === 0 ? iv : ciphertext.subarray(offset - BLOCK, offset);
    for (let i = 0; i < BLOCK; i++) out[offset + i]! ^= previous[i]!;
  }
  const padLength = out[out.length - 1]!;
  let bad = padLength === 0 || padLength > BLOCK ? 1 : 0;
  for (let i = 1; i <= BLOCK; i++) {
    if (i <= padLength && out[out.length - i] !== padLength) bad = 1;
  }
  if (bad) throw new SmimeError('DECRYPTION_FAILED', 'CBC padding is wrong');
  return out.subarray(0, out.length - padLength);
}

function checkIv(iv: Uint8Array): void {
  if (iv.length !== BLOCK) throw new SmimeError('DECRYPTION_FAILED', `CBC IV must be 8 bytes, got ${iv.length}`);
}
