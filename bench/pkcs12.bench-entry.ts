/** What bench/pkcs12.bench.mjs measures, as one bundle entry. */
export { importPkcs12, exportPkcs12 } from '../src/crypto/index.js';
export { derivePkcs12Key, pkcs12PasswordBytes } from '../src/crypto/kdf/pkcs12-kdf.js';
export { createTripleDes } from '../src/crypto/ciphers/des.js';
export { createRc2 } from '../src/crypto/ciphers/rc2.js';
export { cbcDecrypt, cbcEncrypt } from '../src/crypto/ciphers/block-cipher.js';
