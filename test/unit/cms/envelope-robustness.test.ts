/**
 * Bad input to the envelope parser and decryptor gives a typed SmimeError/LimitError, never a crash or a hang
 * (SEC-31, SEC-37): limit bombs, truncation, trailing bytes, and random mutations of a valid message (fast-check).
 * Also: the piecewise base64 writer equals the engine's single-buffer encoder for any split.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decryptEnvelope } from '../../../src/crypto/cms/decrypt.js';
import { encryptEnvelope } from '../../../src/crypto/cms/envelope-build.js';
import { parseEnvelope } from '../../../src/crypto/cms/envelope-parse.js';
import { base64PiecesLength, writeBase64Pieces } from '../../../src/crypto/cms/envelope-output.js';
import { base64EncodeToBytes, concatBytes, fromHex } from '../../../src/crypto/bytes.js';
import { LimitError, SmimeError } from '../../../src/crypto/errors.js';
import { DEFAULT_POLICY, makePolicy } from '../../../src/crypto/policy.js';
import { createTestPki, type TestPki } from '../../helpers/pki.js';
import { crypto } from '../../helpers/encryption.js';

let pki: TestPki;
let valid: Uint8Array;
const content = new TextEncoder().encode('Content-Type: text/plain\r\n\r\nrobustness\r\n');

beforeAll(async () => {
  pki = await createTestPki(crypto);
  valid = (await encryptEnvelope({ content, recipients: [{ certificate: pki.users.bob.rsa.certificate, transport: 'rsa-pkcs1-v1_5' }, { certificate: pki.users.bob.ec.certificate, transport: 'ecdh' }], cipher: 'AES-256-GCM', crypto })).der;
});

const identities = () => [{ certificate: pki.users.bob.rsa.certificate, pkcs8: pki.users.bob.rsa.pkcs8 }];

/** ContentInfo(envelopedData) around an EnvelopedData whose encryptedContent is `inner` (raw bytes). */
function withContent(inner: Uint8Array): Uint8Array {
  // 30 80 06 09 <envelopedData> a0 80 30 80 02 01 00 31 00 30 80 06 09 <data> 30 0b 06 09 <aes256cbc> ... : built by hand, BER.
  const oid = (hex: string) => fromHex(hex);
  return concatBytes([
    fromHex('3080'), oid('06092a864886f70d010703'), fromHex('a080'), fromHex('3080'), fromHex('020100'),
    fromHex('3100'),
    fromHex('3080'), oid('06092a864886f70d010701'), fromHex('301d'), oid('060960864801650304012a'), fromHex('0410'), new Uint8Array(16),
    inner, fromHex('0000'), fromHex('0000'), fromHex('0000'), fromHex('0000'),
  ]);
}

describe('limits and malformed input', () => {
  it('SEC-31: a deeply nested constructed OCTET STRING hits the depth limit', () => {
    const depth = 200;
    const inner = concatBytes([...Array.from({ length: depth }, () => fromHex('2480')), fromHex('0401aa'), ...Array.from({ length: depth }, () => fromHex('0000'))]);
    const der = withContent(concatBytes([fromHex('a080'), inner.subarray(2)]));
    expect(() => parseEnvelope(der, DEFAULT_POLICY.limits)).toThrow(LimitError);
  });

  it('SEC-31: too many OCTET STRING chunks hit the node limit', () => {
    const chunks = concatBytes(Array.from({ length: 2000 }, () => fromHex('040100')));
    const der = withContent(concatBytes([fromHex('a080'), chunks]));
    expect(() => parseEnvelope(der, makePolicy({ limits: { maxAsn1Nodes: 1000 } }).limits)).toThrow(LimitError);
  });

  it('a length running past the end, trailing bytes, empty and non-CMS input are typed errors', async () => {
    const cases = [valid.subarray(0, valid.length - 7), concatBytes([valid, Uint8Array.of(0)]), new Uint8Array(0), new TextEncoder().encode('not CMS at all'), fromHex('3084ffffffff')];
    for (const input of cases) {
      const error = await decryptEnvelope(input, { identities: identities(), crypto }).then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(SmimeError);
    }
  });

  it('SEC-37: random mutations never crash: a result or a SmimeError, never plaintext of a GCM message with a broken tag', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 4 }),
        fc.option(fc.nat(), { nil: undefined }),
        async (edits, cut) => {
          let input = valid.slice();
          for (const { at, value } of edits) input[at % input.length] = value;
          if (cut !== undefined) input = input.subarray(0, cut % input.length);
          try {
            const r = await decryptEnvelope(input, { identities: identities(), crypto });
            if (r.plaintext) expect(r.plaintext).toEqual(content);
          } catch (error) {
            if (!(error instanceof SmimeError)) throw error;
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('piecewise base64', () => {
  it('equals the single-buffer encoder for any split into pieces', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.array(fc.nat({ max: 600 }), { maxLength: 6 }), (bytes, cuts) => {
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const pieces: Uint8Array[] = [];
        let last = 0;
        for (const p of points) {
          pieces.push(bytes.subarray(last, p));
          last = p;
        }
        pieces.push(bytes.subarray(last));
        const out = new Uint8Array(base64PiecesLength(bytes.length));
        const end = writeBase64Pieces(pieces, out, 0);
        expect(end).toBe(out.length);
        expect(out).toEqual(base64EncodeToBytes(bytes, 76));
      }),
      { numRuns: 500 },
    );
  });
});
