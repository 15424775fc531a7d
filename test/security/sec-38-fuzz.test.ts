// SEC-38 / §9 fuzzing: mutated, truncated and random PKCS#12 bytes never raise anything but SmimeError
// (or its LimitError subclass): no TypeError, RangeError or DOMException escapes, and nothing hangs.
import { readFileSync } from 'node:fs';
import { webcrypto } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { importPkcs12, SmimeError } from '../../src/crypto/index.js';
import { OID } from '../../src/crypto/oids.js';
import { createTestPki } from '../helpers/pki.js';
import { buildPfx, certBag, dataContentInfo, encryptedContentInfo, keyBag, shroudedKeyBag } from '../unit/pkcs12/build-pfx.js';

const crypto = webcrypto as unknown as Crypto;
const PASSWORD = 'fuzz';
const seeds: { name: string; bytes: Uint8Array; password: string | null }[] = [];

beforeAll(async () => {
  const pki = await createTestPki(crypto);
  const alice = pki.users.alice.rsa;
  const bob = pki.users.bob.ec;
  const legacy = { scheme: 'legacy', oid: OID.pbeWithShaAnd3KeyTripleDesCbc, iterations: 1 } as const;
  const rc2 = { scheme: 'legacy', oid: OID.pbeWithShaAnd40BitRc2Cbc, iterations: 1 } as const;
  const pbes2 = { scheme: 'pbes2', iterations: 1 } as const;
  // Low iteration counts keep thousands of runs fast; files without a MAC let mutations reach the bag parser.
  seeds.push({
    name: 'pbes2 + sha256 mac',
    password: PASSWORD,
    bytes: await buildPfx([
      await encryptedContentInfo([certBag(alice.certificate, { friendlyName: 'alice' }), certBag(pki.emailCa.certificate)], PASSWORD, pbes2, crypto),
      dataContentInfo([await shroudedKeyBag(alice.pkcs8, PASSWORD, pbes2, crypto, { friendlyName: 'alice', localKeyId: new Uint8Array([1]) })]),
    ], { crypto, password: PASSWORD, mac: { hash: 'SHA-256', iterations: 1 } }),
  });
  seeds.push({
    name: 'legacy, no mac',
    password: PASSWORD,
    bytes: await buildPfx([
      await encryptedContentInfo([certBag(bob.certificate)], PASSWORD, rc2, crypto),
      dataContentInfo([await shroudedKeyBag(bob.pkcs8, PASSWORD, legacy, crypto, { localKeyId: new Uint8Array([7, 7]) })]),
    ], { crypto, password: PASSWORD, mac: null }),
  });
  seeds.push({
    name: 'plain bags, no mac',
    password: PASSWORD,
    bytes: await buildPfx([dataContentInfo([certBag(bob.certificate), keyBag(bob.pkcs8)])], { crypto, password: PASSWORD, mac: null }),
  });
  seeds.push({
    name: 'pbes2, no mac',
    password: PASSWORD,
    bytes: await buildPfx([dataContentInfo([certBag(alice.certificate), await shroudedKeyBag(alice.pkcs8, PASSWORD, pbes2, crypto)])], { crypto, password: PASSWORD, mac: null }),
  });
  seeds.push({
    name: 'pyca name-2-3-no-pwd.p12',
    password: null,
    bytes: new Uint8Array(readFileSync(new URL('../fixtures/pyca-pkcs12-pkcs7/pkcs12/name-2-3-no-pwd.p12', import.meta.url))),
  });
});

type Mutation = { kind: 'flip' | 'set' | 'truncate' | 'splice' | 'length'; position: number; value: number };

function mutate(seed: Uint8Array, mutations: Mutation[]): Uint8Array {
  let bytes = seed.slice();
  for (const m of mutations) {
    const position = m.position % Math.max(bytes.length, 1);
    if (m.kind === 'flip') bytes[position]! ^= 1 << (m.value % 8);
    else if (m.kind === 'set') bytes[position] = m.value & 0xff;
    else if (m.kind === 'length') bytes[position] = [0x00, 0x80, 0x81, 0x84, 0xff, 0x7f][m.value % 6]!;
    else if (m.kind === 'truncate') bytes = bytes.subarray(0, position);
    else bytes.copyWithin(position, m.value % Math.max(bytes.length, 1));
  }
  return bytes;
}

async function outcome(bytes: Uint8Array, password: string | null): Promise<{ ok: true; keys: number } | { ok: false; error: unknown }> {
  try {
    const contents = await importPkcs12(bytes, password, { crypto });
    return { ok: true, keys: contents.keys.length };
  } catch (error) {
    return { ok: false, error };
  }
}

const mutationArbitrary = fc.record({
  kind: fc.constantFrom<Mutation['kind']>('flip', 'set', 'truncate', 'splice', 'length'),
  position: fc.nat(),
  value: fc.nat(),
});

describe('PKCS#12 import under mutation (fast-check)', () => {
  it('the seeds import cleanly', async () => {
    for (const seed of seeds) {
      const result = await outcome(seed.bytes, seed.password);
      expect(result, seed.name).toMatchObject({ ok: true });
    }
  });

  it('mutated seeds only ever raise SmimeError or LimitError', async () => {
    const codes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: 1000 }), fc.array(mutationArbitrary, { minLength: 1, maxLength: 6 }), async (seedIndex, mutations) => {
        const seed = seeds[seedIndex % seeds.length]!;
        const result = await outcome(mutate(seed.bytes, mutations), seed.password);
        if (!result.ok) {
          expect(result.error, String(result.error)).toBeInstanceOf(SmimeError);
          codes.set((result.error as SmimeError).code, (codes.get((result.error as SmimeError).code) ?? 0) + 1);
        }
      }),
      { numRuns: 3000, seed: 38, endOnFailure: true },
    );
    // The mutations must reach past the outer structure and the MAC, or the run proves little.
    for (const code of ['PKCS12_DAMAGED', 'PKCS12_WRONG_PASSWORD']) expect(codes.get(code) ?? 0, code).toBeGreaterThan(50);
    expect(codes.size).toBeGreaterThanOrEqual(3);
  }, 240_000);

  it('random bytes and DER-looking garbage only raise SmimeError', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), fc.boolean(), async (body, sequenceHeader) => {
        const bytes = sequenceHeader ? new Uint8Array([0x30, 0x82, (body.length >> 8) & 0xff, body.length & 0xff, ...body]) : body;
        const result = await outcome(bytes, PASSWORD);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.error, String(result.error)).toBeInstanceOf(SmimeError);
      }),
      { numRuns: 1000, seed: 3812 },
    );
  }, 120_000);
});
