/**
 * Properties of the at-rest wrap (SEC-39): any wrap opens with the right record ID and fingerprint;
 * any change to a stored field, or a wrong ID or fingerprint, gives KEYSTORE_DAMAGED_RECORD and never
 * another error or a wrong plaintext.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SmimeError } from '../../../src/crypto/index.js';
import { deriveMasterKey, unwrapKey, wrapKey } from '../../../src/background/keystore/key-wrap.js';
import type { WrappedKey } from '../../../src/background/keystore/records.js';
import { crypto } from './rig.js';

const master = await deriveMasterKey(crypto, 'property passphrase 1', new Uint8Array(16).fill(7), 1000);
const FIELDS = ['kdfSalt', 'salt', 'iv', 'ct', 'iter', 'v', 'kdf'] as const;

async function damagedCode(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(SmimeError);
  return (error as SmimeError).code;
}

describe('key wrap properties', () => {
  it('round-trips any plaintext', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 600 }), fc.string({ minLength: 1, maxLength: 32 }), async (plain, id) => {
        const wrapped = await wrapKey(crypto, master, id, 'ab'.repeat(32), new Uint8Array(plain));
        expect(Buffer.from(await unwrapKey(crypto, master, id, 'ab'.repeat(32), wrapped)).equals(Buffer.from(plain))).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it('any changed field, ID or fingerprint gives KEYSTORE_DAMAGED_RECORD', async () => {
    const plain = crypto.getRandomValues(new Uint8Array(200));
    const wrapped = await wrapKey(crypto, master, 'id-1', 'cd'.repeat(32), plain);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...FIELDS), fc.nat(), fc.integer({ min: 1, max: 255 }), async (field, position, delta) => {
        const copy: Record<string, unknown> = { ...wrapped };
        const value = wrapped[field];
        if (value instanceof Uint8Array) {
          const bytes = new Uint8Array(value);
          bytes[position % bytes.length] ^= delta;
          copy[field] = bytes;
        } else if (typeof value === 'number') copy[field] = value + delta;
        else copy[field] = `${value}x`;
        // The iteration count and salt belong to the master key; changing them in the record alone
        // must still fail when the record is opened with a key derived from the record's own fields.
        const recordMaster = field === 'iter' || field === 'kdfSalt' ? await deriveMasterKey(crypto, 'property passphrase 1', (copy.kdfSalt as Uint8Array<ArrayBuffer>), copy.iter as number) : master;
        expect(await damagedCode(unwrapKey(crypto, recordMaster, 'id-1', 'cd'.repeat(32), copy as unknown as WrappedKey))).toBe('KEYSTORE_DAMAGED_RECORD');
      }),
      { numRuns: 30 },
    );
    expect(await damagedCode(unwrapKey(crypto, master, 'id-2', 'cd'.repeat(32), wrapped))).toBe('KEYSTORE_DAMAGED_RECORD');
    expect(await damagedCode(unwrapKey(crypto, master, 'id-1', 'ce'.repeat(32), wrapped))).toBe('KEYSTORE_DAMAGED_RECORD');
  });

  it('records of the wrong shape are damaged, not crashes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.anything(), async (value) => {
        expect(await damagedCode(unwrapKey(crypto, master, 'id', 'ab', value as WrappedKey))).toBe('KEYSTORE_DAMAGED_RECORD');
      }),
      { numRuns: 100 },
    );
  });
});
