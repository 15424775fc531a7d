/**
 * NIST PKITS (SEC-30) through validatePath: for each case, the signer certificate, the CA certificates its
 * S/MIME message carries, the PKITS trust anchor, every PKITS CRL, revocation required (PKITS treats
 * "status cannot be determined" as a failure) and the fixed time 2026-06-01 (all PKITS certificates are
 * valid 2010..2030). Fixtures: test/fixtures/nist-pkits (see WAXSEAL.md there).
 *
 * Every case must give its expected result, except those in KNOWN_DIFFERENCES, each with its reason. The
 * test fails if a listed case starts passing (so the list stays accurate) or an unlisted case fails.
 */
import { webcrypto } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makePolicy } from '../../src/crypto/policy.js';
import { createCrlRevocationChecker, validatePath, type PathResult } from '../../src/crypto/trust/index.js';

const crypto = webcrypto as unknown as Crypto;
const ROOT = join(__dirname, '../fixtures/nist-pkits');
const NOW = new Date('2026-06-01T00:00:00Z');

interface PkitsCase {
  id: string;
  signer_cert: string | null;
  expected: 'valid' | 'invalid';
  tags: string[];
}

/** Cases where Waxseal's result differs from PKITS's expectation, and why. */
const KNOWN_DIFFERENCES: Record<string, string> = {
  ValidDSASignaturesTest4: 'DSA: WebCrypto has no DSA, and RFC 8551 no longer lists it for S/MIME; the path is refused as UNSUPPORTED_ALGORITHM.',
  ValidDSAParameterInheritanceTest5: 'DSA with parameters inherited from the issuer (and no signer certificate recorded in cases.json); DSA is unsupported.',
};

const cases = (JSON.parse(readFileSync(join(ROOT, 'cases.json'), 'utf8')) as { cases: PkitsCase[] }).cases;
const messageCerts = JSON.parse(readFileSync(join(ROOT, 'message-certs.json'), 'utf8')) as Record<string, string[]>;
const read = (name: string): Uint8Array => new Uint8Array(readFileSync(join(ROOT, name)));
const crls = readdirSync(join(ROOT, 'crls')).map((name) => read(`crls/${name}`));
const anchor = { der: read('certs/TrustAnchorRootCertificate.crt'), source: 'organisation' as const, purposes: ['email' as const] };
const policy = makePolicy({ signature: { strictRevocation: true } });
const revocation = createCrlRevocationChecker({ crls, crypto, now: NOW });

async function runCase(testCase: PkitsCase): Promise<PathResult | 'no-signer'> {
  if (!testCase.signer_cert) return 'no-signer';
  const leaf = read(testCase.signer_cert);
  const intermediates = (messageCerts[testCase.id] ?? []).filter((name) => name !== testCase.signer_cert).map(read);
  return validatePath({ leaf, intermediates, anchors: [anchor], now: NOW, purpose: 'smime-signing', crypto, policy, revocation });
}

describe('NIST PKITS path validation (SEC-30)', () => {
  it('gives the expected result for every case except the documented differences', async () => {
    const mismatches: string[] = [];
    const unexpectedPasses: string[] = [];
    let agreed = 0;
    for (const testCase of cases) {
      const result = await runCase(testCase);
      const actual = result === 'no-signer' ? 'invalid' : result.status;
      const code = result === 'no-signer' ? 'no signer certificate' : `${result.code}: ${result.checks.at(-1)?.detail ?? ''}`;
      const agrees = actual === testCase.expected;
      if (agrees) agreed++;
      if (testCase.id in KNOWN_DIFFERENCES) {
        if (agrees) unexpectedPasses.push(testCase.id);
      } else if (!agrees) {
        mismatches.push(`${testCase.id} [${testCase.tags.join(',')}]: expected ${testCase.expected}, got ${actual} (${code})`);
      }
    }
    console.log(`PKITS: ${agreed}/${cases.length} agree with the expected result; ${Object.keys(KNOWN_DIFFERENCES).length} documented differences`);
    expect(mismatches).toEqual([]);
    expect(unexpectedPasses).toEqual([]);
    expect(agreed).toBe(cases.length - Object.keys(KNOWN_DIFFERENCES).length);
  }, 120_000);
});
