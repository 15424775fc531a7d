/**
 * Runs signed-mail fixtures (test/helpers/fixtures-signed.ts) through the whole-message verifier with the
 * test PKI's root as the only anchor and the fixed verification time.
 */
import { expect, it } from 'vitest';
import { webcrypto } from 'node:crypto';
import { verifySignedMessage } from '../../src/crypto/smime/verify-message.js';
import { openMessage } from '../../src/crypto/smime/open-message.js';
import { DEFAULT_POLICY } from '../../src/crypto/policy.js';
import type { SignatureReport } from '../../src/crypto/types.js';
import { createTestPki, TEST_NOW, type TestPki } from './pki.js';
import type { SignedFixture } from './fixtures-signed.js';

export const testCrypto = webcrypto as unknown as Crypto;

export async function verifyWithTestPki(eml: Uint8Array, pki: TestPki): Promise<SignatureReport> {
  return verifySignedMessage(eml, { anchors: [pki.root.certificate], now: TEST_NOW, crypto: testCrypto, policy: DEFAULT_POLICY });
}

/** One `it` per fixture: verdict, required reasons, coverage and (when given) the displayed text. */
export function itVerifiesFixtures(fixtures: readonly SignedFixture[], pki: TestPki): void {
  for (const fixture of fixtures) {
    it(`${fixture.sec}: ${fixture.name} → ${fixture.expected.verdict}${fixture.expected.reasons.length ? ` (${fixture.expected.reasons.join(', ')})` : ''}`, async () => {
      const { expected, eml } = fixture;
      const report = await verifyWithTestPki(eml, pki);
      const summary = JSON.stringify({ verdict: report.verdict, reasons: report.reasons, checks: report.checks.filter((c) => !c.ok) });
      expect(report.verdict, summary).toBe(expected.verdict);
      for (const reason of expected.reasons) expect(report.reasons, summary).toContain(reason);
      if (expected.verdict === 'valid') expect(report.reasons, summary).toEqual([]);
      if (expected.coversWholeMessage !== undefined) expect(report.coversWholeMessage).toBe(expected.coversWholeMessage);
      if (expected.text !== undefined) {
        const opened = await openMessage(eml, { anchors: [pki.root.certificate], now: TEST_NOW, crypto: testCrypto, policy: DEFAULT_POLICY });
        expect(opened.signature.verdict).toBe(expected.verdict);
        expect(opened.text?.trim()).toBe(expected.text);
      }
    });
  }
}

export { createTestPki };
