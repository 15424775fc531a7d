// SEC-38e: attacker-chosen iteration counts (2^31, 2^64) are refused before any work, quickly, with
// LIMIT_EXCEEDED; the caps come from policy.ts and can be tightened per call.
import { webcrypto } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PKCS12_LIMITS, importPkcs12, LimitError } from '../../src/crypto/index.js';
import { OID } from '../../src/crypto/oids.js';
import { createTestPki, type TestPki } from '../helpers/pki.js';
import {
  bigInteger, buildPfx, certBag, dataContentInfo, derInteger, derNullNode, derOctets, derOid, derSequence, rawShroudedKeyBag, shroudedKeyBag,
} from '../unit/pkcs12/build-pfx.js';
import { cpuNow } from '../helpers/limits.js';

const crypto = webcrypto as unknown as Crypto;
const HUGE = [2 ** 31, 2 ** 32 - 1, 10_000_001];
let pki: TestPki;

beforeAll(async () => {
  pki = await createTestPki(crypto);
});

async function expectLimit(bytes: Uint8Array, limit: string): Promise<void> {
  const started = cpuNow();
  const error = await importPkcs12(bytes, 'pw', { crypto }).catch((e: unknown) => e);
  // SEC-38e's explicit "no hang" check, with a generous bound for a loaded machine: the refusal comes before
  // any KDF round, while running 2^31 rounds would take hours.
  expect(cpuNow() - started).toBeLessThan(5000);
  expect(error).toBeInstanceOf(LimitError);
  expect((error as LimitError).code).toBe('LIMIT_EXCEEDED');
  expect((error as LimitError).limit).toBe(limit);
}

describe('SEC-38e: iteration count caps', () => {
  it('the defaults cap PBKDF2 at 10 million, the PKCS#12 KDF at 1 million, and one import at 12 million in total', () => {
    expect(DEFAULT_PKCS12_LIMITS.maxPbkdf2Iterations).toBe(10_000_000);
    expect(DEFAULT_PKCS12_LIMITS.maxPkcs12KdfIterations).toBe(1_000_000);
    expect(DEFAULT_PKCS12_LIMITS.maxPkcs12TotalIterations).toBe(12_000_000);
  });

  it('many bags each under the per-count cap are stopped by the total budget', async () => {
    const bob = pki.users.bob.ec;
    const legacy = { scheme: 'legacy', oid: OID.pbeWithShaAnd3KeyTripleDesCbc, iterations: 10_000 } as const;
    const bags = await Promise.all(Array.from({ length: 10 }, () => shroudedKeyBag(bob.pkcs8, 'pw', legacy, crypto)));
    const bytes = await buildPfx([dataContentInfo(bags)], { crypto, password: 'pw', mac: null });
    // Each 3DES bag costs 3 x 10 000 (two key blocks and one IV block): the 4th bag passes a 100 000 budget.
    const error = await importPkcs12(bytes, 'pw', { crypto, limits: { maxPkcs12TotalIterations: 100_000 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LimitError);
    expect((error as LimitError).limit).toBe('maxPkcs12TotalIterations');
    expect((await importPkcs12(bytes, 'pw', { crypto, limits: { maxPkcs12TotalIterations: 300_000 } })).keys).toHaveLength(10);
  });

  for (const iterations of HUGE) {
    it(`MAC with ${iterations} iterations is refused before hashing`, async () => {
      const macData = derSequence([derSequence([derSequence([derOid(OID.sha256), derNullNode()]), derOctets(new Uint8Array(32))]), derOctets(new Uint8Array(8)), derInteger(iterations)]);
      const bytes = await buildPfx([dataContentInfo([certBag(pki.users.alice.rsa.certificate)])], { crypto, password: 'pw', rawMacData: macData });
      await expectLimit(bytes, 'maxPkcs12KdfIterations');
    });

    it(`PBES2 key bag with ${iterations} PBKDF2 iterations is refused`, async () => {
      const algorithm = derSequence([derOid(OID.pbes2), derSequence([
        derSequence([derOid(OID.pbkdf2), derSequence([derOctets(new Uint8Array(16)), derInteger(iterations), derSequence([derOid(OID.hmacWithSha256), derNullNode()])])]),
        derSequence([derOid(OID.aes256Cbc), derOctets(new Uint8Array(16))]),
      ])]);
      const bytes = await buildPfx([dataContentInfo([rawShroudedKeyBag(algorithm, new Uint8Array(64))])], { crypto, password: 'pw', mac: { hash: 'SHA-256', iterations: 1 } });
      await expectLimit(bytes, 'maxPbkdf2Iterations');
    });

    it(`legacy 3DES key bag with ${iterations} iterations is refused`, async () => {
      const algorithm = derSequence([derOid(OID.pbeWithShaAnd3KeyTripleDesCbc), derSequence([derOctets(new Uint8Array(8)), derInteger(iterations)])]);
      const bytes = await buildPfx([dataContentInfo([rawShroudedKeyBag(algorithm, new Uint8Array(64))])], { crypto, password: 'pw', mac: null });
      await expectLimit(bytes, 'maxPkcs12KdfIterations');
    });
  }

  it('a 2^64 iteration count (beyond Number range) is refused as a limit, not misread', async () => {
    const twoTo64 = new Uint8Array([0x01, 0, 0, 0, 0, 0, 0, 0, 0]);
    const algorithm = derSequence([derOid(OID.pbeWithShaAnd3KeyTripleDesCbc), derSequence([derOctets(new Uint8Array(8)), bigInteger(twoTo64)])]);
    const bytes = await buildPfx([dataContentInfo([rawShroudedKeyBag(algorithm, new Uint8Array(64))])], { crypto, password: 'pw', mac: null });
    await expectLimit(bytes, 'maxPkcs12KdfIterations');
  });

  it('a caller can lower the cap (e.g. for a preview), and a file at the cap still imports', async () => {
    const bob = pki.users.bob.ec;
    const bytes = await buildPfx([
      dataContentInfo([certBag(bob.certificate)]),
      dataContentInfo([await shroudedKeyBag(bob.pkcs8, 'pw', { scheme: 'pbes2', iterations: 5000 }, crypto)]),
    ], { crypto, password: 'pw', mac: { hash: 'SHA-256', iterations: 5000 } });
    const refused = await importPkcs12(bytes, 'pw', { crypto, limits: { maxPbkdf2Iterations: 4999 } }).catch((e: unknown) => e);
    expect((refused as LimitError).limit).toBe('maxPbkdf2Iterations');
    const accepted = await importPkcs12(bytes, 'pw', { crypto, limits: { maxPbkdf2Iterations: 5000, maxPkcs12KdfIterations: 5000 } });
    expect(accepted.identities).toHaveLength(1);
  });

  it('the file size cap is checked before parsing', async () => {
    const error = await importPkcs12(new Uint8Array(DEFAULT_PKCS12_LIMITS.maxPkcs12Bytes + 1), 'pw', { crypto }).catch((e: unknown) => e);
    expect((error as LimitError).limit).toBe('maxPkcs12Bytes');
  });

  it('the bag count cap holds across nested SafeContents', async () => {
    const certificate = pki.users.dave.rsa.certificate;
    const bytes = await buildPfx([dataContentInfo(Array.from({ length: 20 }, () => certBag(certificate)))], { crypto, password: 'pw', mac: { hash: 'SHA-256', iterations: 1 } });
    const error = await importPkcs12(bytes, 'pw', { crypto, limits: { maxPkcs12Bags: 19 } }).catch((e: unknown) => e);
    expect((error as LimitError).limit).toBe('maxPkcs12Bags');
    expect((await importPkcs12(bytes, 'pw', { crypto, limits: { maxPkcs12Bags: 20 } })).certificates).toHaveLength(20);
  });
});
