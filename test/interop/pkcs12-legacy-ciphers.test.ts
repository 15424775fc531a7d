// SEC-38b: the legacy ciphers and the RFC 7292 KDF agree with OpenSSL on random data (F8: WebCrypto has
// neither 3DES nor RC2, so these are our own implementations and need an independent check).
import { webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cbcDecrypt, cbcEncrypt } from '../../src/crypto/ciphers/block-cipher.js';
import { createTripleDes } from '../../src/crypto/ciphers/des.js';
import { createRc2 } from '../../src/crypto/ciphers/rc2.js';
import { rc4 } from '../../src/crypto/ciphers/rc4.js';
import { derivePkcs12Key, pkcs12PasswordBytes } from '../../src/crypto/kdf/pkcs12-kdf.js';
import { toHex } from '../../src/crypto/bytes.js';
import { tool } from './pkcs12-tools.js';

const crypto = webcrypto as unknown as Crypto;
const LEGACY = ['-provider', 'legacy', '-provider', 'default'];
const LENGTHS = [0, 1, 7, 8, 9, 63, 64, 1000];

function random(length: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(length));
}

function opensslEnc(cipher: string, key: Uint8Array, iv: Uint8Array | null, data: Uint8Array, decrypt: boolean, extra: string[] = []): Uint8Array {
  const args = ['enc', `-${cipher}`, '-K', toHex(key), ...(iv ? ['-iv', toHex(iv)] : []), ...(decrypt ? ['-d'] : []), ...extra];
  return new Uint8Array(tool('openssl', args, { input: data }).stdout);
}

describe('3DES-CBC agrees with openssl enc -des-ede3-cbc', () => {
  for (const length of LENGTHS) {
    it(`${length} random bytes, both directions`, () => {
      const key = random(24);
      const iv = random(8);
      const data = random(length);
      const ours = cbcEncrypt(createTripleDes(key), iv, data);
      expect(toHex(ours)).toBe(toHex(opensslEnc('des-ede3-cbc', key, iv, data, false)));
      const theirs = opensslEnc('des-ede3-cbc', key, iv, data, false);
      expect(cbcDecrypt(createTripleDes(key), iv, theirs)).toEqual(data);
    });
  }

  it('two-key 3DES agrees with openssl enc -des-ede-cbc', () => {
    const key = random(16);
    const iv = random(8);
    const data = random(100);
    expect(toHex(cbcEncrypt(createTripleDes(key), iv, data))).toBe(toHex(opensslEnc('des-ede-cbc', key, iv, data, false, LEGACY)));
  });
});

describe('RC2-CBC agrees with openssl enc (legacy provider)', () => {
  const variants: [cipher: string, keyBytes: number, effectiveBits: number][] = [
    ['rc2-40-cbc', 5, 40],
    ['rc2-64-cbc', 8, 64],
    ['rc2-cbc', 16, 128],
  ];
  for (const [cipher, keyBytes, bits] of variants) {
    for (const length of [0, 8, 13, 1000]) {
      it(`${cipher}, ${length} random bytes, both directions`, () => {
        const key = random(keyBytes);
        const iv = random(8);
        const data = random(length);
        const theirs = opensslEnc(cipher, key, iv, data, false, LEGACY);
        expect(toHex(cbcEncrypt(createRc2(key, bits), iv, data))).toBe(toHex(theirs));
        expect(cbcDecrypt(createRc2(key, bits), iv, theirs)).toEqual(data);
      });
    }
  }
});

describe('RC4 agrees with openssl enc -rc4 (legacy provider)', () => {
  it('128-bit key, 1000 random bytes', () => {
    const key = random(16);
    const data = random(1000);
    expect(toHex(rc4(key, data))).toBe(toHex(opensslEnc('rc4', key, null, data, false, LEGACY)));
  });
});

describe('RFC 7292 Appendix B KDF agrees with openssl kdf PKCS12KDF', () => {
  const cases: { hash: 'SHA-1' | 'SHA-256' | 'SHA-512'; password: string | null; id: 1 | 2 | 3; iterations: number; length: number; saltLength: number }[] = [
    { hash: 'SHA-1', password: 'cryptography', id: 1, iterations: 2048, length: 24, saltLength: 8 },
    { hash: 'SHA-1', password: 'cryptography', id: 2, iterations: 2048, length: 8, saltLength: 8 },
    { hash: 'SHA-1', password: '', id: 3, iterations: 1, length: 20, saltLength: 8 },
    { hash: 'SHA-1', password: 'a much longer password that spans more than one sixty-four byte block', id: 1, iterations: 3, length: 45, saltLength: 70 },
    { hash: 'SHA-256', password: 'pässwörd€', id: 3, iterations: 600, length: 32, saltLength: 16 },
    { hash: 'SHA-512', password: 'x', id: 3, iterations: 50, length: 64, saltLength: 20 },
  ];
  for (const c of cases) {
    it(`${c.hash} ID ${c.id}, ${c.iterations} iterations, password ${JSON.stringify(c.password)}`, async () => {
      const salt = random(c.saltLength);
      const password = pkcs12PasswordBytes(c.password);
      const ours = await derivePkcs12Key({ hash: c.hash, password, salt, iterations: c.iterations, purpose: c.id, length: c.length });
      // OpenSSL's PKCS12KDF takes the already BMP-encoded password bytes.
      const theirs = tool('openssl', ['kdf', '-keylen', String(c.length), '-kdfopt', `digest:${c.hash.replace('-', '')}`,
        '-kdfopt', `hexpass:${toHex(password)}`, '-kdfopt', `hexsalt:${toHex(salt)}`, '-kdfopt', `iter:${c.iterations}`, '-kdfopt', `id:${c.id}`, 'PKCS12KDF'])
        .stdout.toString().trim().replace(/:/g, '').toLowerCase();
      expect(toHex(ours)).toBe(theirs);
    });
  }
});
