/**
 * The symmetric primitives of the envelope, all on the WebCrypto instance passed in (STYLE §1):
 * AES-CBC (RFC 3565), AES-GCM (RFC 5084, the tag is checked by WebCrypto before any plaintext is returned,
 * SEC-05) and AES key wrap (RFC 3394, used by ECDH recipients). Buffers are passed as views, never copied here.
 */

import { SmimeError } from '../errors.js';

/** WebCrypto's types want ArrayBuffer-backed views; the engine never uses SharedArrayBuffer. */
const bs = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => bytes as Uint8Array<ArrayBuffer>;

/** AES-CBC decryption with PKCS#7 padding removal; rejects (WebCrypto error) on a bad padding or length. */
export async function aesCbcDecrypt(crypto: Crypto, key: Uint8Array, iv: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  const cryptoKey = await crypto.subtle.importKey('raw', bs(key), 'AES-CBC', false, ['decrypt']);
  return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-CBC', iv: bs(iv) }, cryptoKey, bs(data)));
}

/** AES-CBC encryption with PKCS#7 padding (RFC 5652 §6.3). */
export async function aesCbcEncrypt(crypto: Crypto, key: Uint8Array, iv: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  const cryptoKey = await crypto.subtle.importKey('raw', bs(key), 'AES-CBC', false, ['encrypt']);
  return new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-CBC', iv: bs(iv) }, cryptoKey, bs(data)));
}

/**
 * GCM nonce lengths the engine accepts, in bytes. RFC 5084 §3.2 recommends 12 (the only length SP 800-38D
 * derives the counter from directly); shorter nonces weaken GCM, and WebCrypto implementations differ above 128.
 */
export const GCM_NONCE_MIN_BYTES = 12;
export const GCM_NONCE_MAX_BYTES = 128;

function checkGcmNonce(nonce: Uint8Array): void {
  if (nonce.byteLength < GCM_NONCE_MIN_BYTES || nonce.byteLength > GCM_NONCE_MAX_BYTES) {
    throw new SmimeError('UNSUPPORTED_ALGORITHM', `GCM nonce of ${nonce.byteLength} bytes is outside ${GCM_NONCE_MIN_BYTES}..${GCM_NONCE_MAX_BYTES}`);
  }
}

/**
 * AES-GCM decryption of `ciphertextAndTag` (the tag is its last `tagLength` bytes). WebCrypto verifies the tag
 * before it returns anything, so a forged message never yields partial plaintext (SEC-05).
 */
export async function aesGcmDecrypt(crypto: Crypto, key: Uint8Array, nonce: Uint8Array, ciphertextAndTag: Uint8Array, aad: Uint8Array, tagLength: number): Promise<Uint8Array> {
  checkGcmNonce(nonce);
  const cryptoKey = await crypto.subtle.importKey('raw', bs(key), 'AES-GCM', false, ['decrypt']);
  return new Uint8Array(
    await crypto.subtle.decrypt({ name: 'AES-GCM', iv: bs(nonce), additionalData: bs(aad), tagLength: tagLength * 8 }, cryptoKey, bs(ciphertextAndTag)),
  );
}

/** AES-GCM encryption; the result is the ciphertext followed by the `tagLength`-byte tag. */
export async function aesGcmEncrypt(crypto: Crypto, key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array, tagLength: number): Promise<Uint8Array> {
  checkGcmNonce(nonce);
  const cryptoKey = await crypto.subtle.importKey('raw', bs(key), 'AES-GCM', false, ['encrypt']);
  return new Uint8Array(
    await crypto.subtle.encrypt({ name: 'AES-GCM', iv: bs(nonce), additionalData: bs(aad), tagLength: tagLength * 8 }, cryptoKey, bs(plaintext)),
  );
}

/** RFC 3394 key wrap of raw key bytes (a multiple of 8, at least 16). */
export async function aesKeyWrap(crypto: Crypto, kek: Uint8Array, keyData: Uint8Array): Promise<Uint8Array> {
  const wrappingKey = await crypto.subtle.importKey('raw', bs(kek), 'AES-KW', false, ['wrapKey']);
  // WebCrypto wraps CryptoKeys only; an HMAC key carries arbitrary raw bytes.
  const key = await crypto.subtle.importKey('raw', bs(keyData), { name: 'HMAC', hash: 'SHA-256' }, true, ['sign']);
  return new Uint8Array(await crypto.subtle.wrapKey('raw', key, wrappingKey, 'AES-KW'));
}

/** RFC 3394 key unwrap; rejects when the integrity check value does not match. */
export async function aesKeyUnwrap(crypto: Crypto, kek: Uint8Array, wrapped: Uint8Array): Promise<Uint8Array> {
  const unwrappingKey = await crypto.subtle.importKey('raw', bs(kek), 'AES-KW', false, ['unwrapKey']);
  const key = await crypto.subtle.unwrapKey('raw', bs(wrapped), unwrappingKey, 'AES-KW', { name: 'HMAC', hash: 'SHA-256' }, true, ['sign']);
  return new Uint8Array(await crypto.subtle.exportKey('raw', key));
}
