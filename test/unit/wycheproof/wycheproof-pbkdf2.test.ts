/**
 * SEC-36: Wycheproof's PBKDF2-HMAC-SHA256 vectors through the PKCS#12 PBES2 key derivation
 * (src/crypto/pkcs12/password-based-encryption.ts `pbkdf2`), which takes the password as text and feeds
 * its UTF-8 bytes, as OpenSSL, NSS and Windows do. Vectors whose password bytes are not UTF-8 cannot be a
 * text password and are counted, not run. Vectors and licence: test/fixtures/wycheproof/README.md.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pbkdf2 } from '../../../src/crypto/pkcs12/password-based-encryption.js';
import { crypto, FIXTURES } from '../../helpers/encryption.js';

interface Vector {
  tcId: number;
  password: string;
  salt: string;
  iterationCount: number;
  dkLen: number;
  dk: string;
  result: 'valid' | 'invalid' | 'acceptable';
}

const groups = (JSON.parse(readFileSync(join(FIXTURES, 'wycheproof', 'pbkdf2_hmacsha256_test.json'), 'utf8')) as { testGroups: { tests: Vector[] }[] }).testGroups;
const vectors = groups.flatMap((group) => group.tests);
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The password as text, or null when its bytes are not UTF-8 that round-trips. */
function asText(hex: string): string | null {
  const bytes = Buffer.from(hex, 'hex');
  try {
    const text = strictUtf8.decode(bytes);
    return Buffer.from(text, 'utf8').equals(bytes) ? text : null;
  } catch {
    return null;
  }
}

describe('Wycheproof PBKDF2-HMAC-SHA256 through the PBES2 derivation (SEC-36)', () => {
  it('derives the expected key for every vector with a text password', async () => {
    const wrong: string[] = [];
    let run = 0;
    for (const vector of vectors) {
      const password = asText(vector.password);
      if (password === null) continue;
      run += 1;
      const key = await pbkdf2(crypto, password, { salt: new Uint8Array(Buffer.from(vector.salt, 'hex')), iterations: vector.iterationCount, prf: 'SHA-256' }, vector.dkLen);
      const matches = Buffer.from(key).toString('hex') === vector.dk;
      if (matches !== (vector.result === 'valid')) wrong.push(`tcId ${vector.tcId}`);
    }
    expect(wrong).toEqual([]);
    expect(run).toBeGreaterThan(vectors.length / 2);
  });
});
