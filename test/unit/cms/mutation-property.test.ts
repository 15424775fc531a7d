// Property: no mutation of a signed message is ever 'valid' unless what the reader is shown as signed is
// unchanged. Precisely: if the mutated message verifies as valid, then (1) the content entity the report
// returns, with line endings canonicalised to CRLF (the only transformation the verifier allows, RFC
// 8551 §3.1.1), equals the originally signed entity byte for byte, and (2) the single From address and
// the signer are the original ones. Mutations: substitute, delete or insert one byte anywhere (headers,
// boundary lines, signed part, base64 signature), or a handful at once. SEC-08, SEC-12, SEC-14, SEC-37.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { webcrypto } from 'node:crypto';
import { openMessage } from '../../../src/crypto/smime/open-message.js';
import { canonicalizeLineEndings } from '../../../src/crypto/mime/build.js';
import { getFromMailbox } from '../../../src/crypto/mime/address.js';
import { parseMime } from '../../../src/crypto/mime/parse.js';
import { DEFAULT_POLICY } from '../../../src/crypto/policy.js';
import { isSmimeError } from '../../../src/crypto/errors.js';
import { createTestPki, TEST_NOW } from '../../helpers/pki.js';
import { SIGNED_TEXT, textEntity, validDetached, validOpaque } from '../../helpers/fixtures-signed.js';

const crypto = webcrypto as unknown as Crypto;
const pki = await createTestPki(crypto);
const options = { anchors: [pki.root.certificate], now: TEST_NOW, crypto, policy: DEFAULT_POLICY };
const signedEntity = textEntity(SIGNED_TEXT);

type Mutation = { kind: 'substitute' | 'delete' | 'insert'; at: number; byte: number };

function applyMutations(original: Uint8Array, mutations: Mutation[]): Uint8Array {
  const bytes = Array.from(original);
  for (const { kind, at, byte } of mutations) {
    const index = at % (bytes.length + (kind === 'insert' ? 1 : 0));
    if (kind === 'substitute') bytes[index] = bytes[index] === byte ? (byte + 1) & 0xff : byte;
    else if (kind === 'delete') bytes.splice(index, 1);
    else bytes.splice(index, 0, byte);
  }
  return Uint8Array.from(bytes);
}

function fromAddress(eml: Uint8Array): string | null {
  try {
    const from = getFromMailbox(parseMime(eml, DEFAULT_POLICY.limits));
    return from.ok ? from.mailbox.address.toLowerCase() : null;
  } catch (error) {
    if (isSmimeError(error)) return null;
    throw error;
  }
}

// Bytes that matter to MIME and base64 are drawn more often than random ones.
const interestingByte = fc.oneof(fc.constantFrom(0x0d, 0x0a, 0x2d, 0x3d, 0x20, 0x3a, 0x3b, 0x22, 0x41, 0x2b, 0x2f), fc.integer({ min: 0, max: 255 }));
const mutation = fc.record({ kind: fc.constantFrom('substitute', 'delete', 'insert'), at: fc.nat(), byte: interestingByte }) as fc.Arbitrary<Mutation>;

describe('mutations of signed messages are never valid with changed content (property)', () => {
  for (const [name, original] of [['detached', validDetached(pki)], ['opaque', validOpaque(pki)]] as const) {
    it(`${name}: the unmutated message is valid (baseline)`, async () => {
      const report = await openMessage(original, options);
      expect(report.signature.verdict).toBe('valid');
      expect(Buffer.from(canonicalizeLineEndings(report.content!)).equals(Buffer.from(signedEntity))).toBe(true);
    });

    it(`${name}: 1–3 byte mutations anywhere`, async () => {
      const originalFrom = fromAddress(original);
      await fc.assert(
        fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (mutations) => {
          const mutated = applyMutations(original, mutations);
          const report = await openMessage(mutated, options);
          if (report.signature.verdict !== 'valid') return;
          expect(report.content, 'valid report without content').not.toBeNull();
          expect(Buffer.from(canonicalizeLineEndings(report.content!)).equals(Buffer.from(signedEntity)), 'valid with changed signed content').toBe(true);
          expect(fromAddress(mutated), 'valid with a changed From').toBe(originalFrom);
          expect(report.signature.signer).toBe('alice@example.com');
          expect(report.signature.coversWholeMessage).toBe(true);
        }),
        { numRuns: Number(process.env.WAXSEAL_PROPERTY_RUNS ?? 500), seed: Number(process.env.WAXSEAL_PROPERTY_SEED ?? 0x5ea1) },
      );
    });
  }

  it('the CRLF fallback never accepts changed text: deleting every CR still verifies, changing a letter does not', async () => {
    const original = validDetached(pki);
    const lfOnly = Uint8Array.from(Array.from(original).filter((b) => b !== 0x0d));
    expect((await openMessage(lfOnly, options)).signature.verdict).toBe('valid');
    const text = Buffer.from(lfOnly).toString('latin1').replace('promoted', 'demoted!');
    const report = await openMessage(Buffer.from(text, 'latin1'), options);
    expect(report.signature.verdict).toBe('invalid');
    expect(report.signature.reasons).toContain('DIGEST_MISMATCH');
  });
});
