/**
 * Legacy content decryption: DES-EDE3-CBC (RFC 3370 §5.1), still found in old mail. WebCrypto has no DES, so the
 * engine's own Triple DES (src/crypto/ciphers) is used. Never offered for outgoing mail.
 */
import { cbcDecrypt } from '../ciphers/block-cipher.js';
import { createTripleDes } from '../ciphers/des.js';

/**
 * Decrypts 3DES-CBC content and removes its PKCS#5 padding.
 * @throws SmimeError `DECRYPTION_FAILED` for a bad length or padding (turned into the uniform failure by the caller).
 */
export async function tripleDesCbcDecryptContent(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  return cbcDecrypt(createTripleDes(key), iv, data);
}
