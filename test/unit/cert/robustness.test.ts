/**
 * Bad input gives a typed SmimeError (or LimitError), never another exception or a hang: property tests over
 * byte mutations of real certificates, for parsing, summaries, address matching and path validation.
 */
import { webcrypto } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { certificateMatchesAddress, describeCertificate, parseCertificates } from '../../../src/crypto/cert/index.js';
import { SmimeError } from '../../../src/crypto/errors.js';
import { validatePath } from '../../../src/crypto/trust/index.js';
import { createTestPki, TEST_NOW, type TestPki } from '../../helpers/pki.js';

const crypto = webcrypto as unknown as Crypto;
let pki: TestPki;
beforeAll(async () => {
  pki = await createTestPki(crypto);
});

const mutation = fc.record({
  position: fc.nat(),
  value: fc.integer({ min: 0, max: 255 }),
  truncate: fc.boolean(),
});

function mutate(der: Uint8Array, { position, value, truncate }: { position: number; value: number; truncate: boolean }): Uint8Array {
  const index = position % der.length;
  if (truncate) return der.slice(0, index);
  const copy = der.slice();
  copy[index] = value;
  return copy;
}

describe('robustness on mutated certificates', () => {
  it('parsing, describing and matching throw only SmimeError', async () => {
    await fc.assert(fc.asyncProperty(mutation, async (m) => {
      const der = mutate(pki.users.alice.rsa.certificate, m);
      try {
        const [certificate] = parseCertificates(der);
        await describeCertificate(certificate!, crypto);
        certificateMatchesAddress(certificate!, 'alice@example.com');
      } catch (error) {
        expect(error).toBeInstanceOf(SmimeError);
      }
    }), { numRuns: 300, seed: 20260601 });
  });

  it('validatePath never throws and never accepts a mutated intermediate', async () => {
    const anchors = [{ der: pki.root.certificate, source: 'organisation' as const, purposes: ['email' as const] }];
    await fc.assert(fc.asyncProperty(mutation, async (m) => {
      const intermediate = mutate(pki.emailCa.certificate, m);
      const result = await validatePath({ leaf: pki.users.alice.rsa.certificate, intermediates: [intermediate], anchors, now: TEST_NOW, purpose: 'smime-signing', crypto });
      const unchanged = intermediate.length === pki.emailCa.certificate.length && intermediate.every((byte, i) => byte === pki.emailCa.certificate[i]);
      // Any changed byte either breaks parsing, the signature, or the rule that the outer signatureAlgorithm
      // equals the signed one (RFC 5280 §4.1.1.2; a mutation there was once accepted).
      expect(result.status).toBe(unchanged ? 'valid' : 'invalid');
    }), { numRuns: 200, seed: 20260601 });
  });
});
