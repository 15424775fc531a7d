// SEC-38d: the PKCS#12 MAC is verified before anything in the file is trusted; any change is refused.
import { webcrypto } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportPkcs12, importPkcs12, SmimeError, isSmimeError } from '../../src/crypto/index.js';
import { createTestPki, type TestPki } from '../helpers/pki.js';

const crypto = webcrypto as unknown as Crypto;
let pki: TestPki;
let good: Uint8Array;
const password = 'mac test';

beforeAll(async () => {
  pki = await createTestPki(crypto);
  const alice = pki.users.alice.rsa;
  good = await exportPkcs12({ pkcs8: alice.pkcs8, certificate: alice.certificate, chain: [pki.emailCa.certificate] }, password, { crypto, iterations: 1000, macIterations: 1000 });
});

/** Offset of the MAC value: the last OCTET STRING of 32 bytes inside MacData, found from the end. */
function macValueOffset(bytes: Uint8Array): number {
  for (let i = bytes.length - 34; i >= 0; i--) {
    if (bytes[i] === 0x04 && bytes[i + 1] === 0x20 && bytes[i - 2] === 0x05 && bytes[i - 1] === 0x00) return i + 2;
  }
  throw new Error('MAC value not found');
}

describe('SEC-38d: tampered PKCS#12 MAC', () => {
  it('the untouched file imports with integrity "mac"', async () => {
    expect((await importPkcs12(good, password, { crypto })).integrity).toBe('mac');
  });

  it('a flipped bit in the MAC value is refused', async () => {
    const offset = macValueOffset(good);
    for (const position of [offset, offset + 17, offset + 31]) {
      const bad = good.slice();
      bad[position]! ^= 0x01;
      const error = await importPkcs12(bad, password, { crypto }).catch((e: unknown) => e);
      expect((error as SmimeError).code).toBe('PKCS12_WRONG_PASSWORD');
    }
  });

  it('a flipped bit anywhere in the authenticated content is refused (never imported)', async () => {
    const macStart = macValueOffset(good) - 60;
    let refused = 0;
    for (let position = 40; position < macStart; position += 97) {
      const bad = good.slice();
      bad[position]! ^= 0x80;
      const result = await importPkcs12(bad, password, { crypto }).catch((e: unknown) => e);
      expect(isSmimeError(result)).toBe(true);
      refused++;
    }
    expect(refused).toBeGreaterThan(5);
  });
});
