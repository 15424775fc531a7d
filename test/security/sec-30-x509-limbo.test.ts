/**
 * x509-limbo (SEC-30) through validatePath. Mapping as the corpus README says: trusted_certs are e-mail
 * anchors, untrusted_intermediates the extra certificates, peer_certificate the signer, validation_time
 * "now" (the fixed 2026-06-01 when absent); DNS/IP peer-name checks are skipped; cases that demand a
 * serverAuth/clientAuth EKU are not applicable (they are not replaced by emailProtection); 'webpki-only'
 * cases only have to run without crashing. The leaf's own S/MIME purpose checks are off (limbo leaves are
 * TLS certificates); every RFC 5280 check of the path still runs.
 *
 * Every applicable case must give limbo's expected result, or be listed in KNOWN_DIFFERENCES with a reason.
 */
import { webcrypto } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCertificates, type Certificate } from '../../src/crypto/cert/index.js';
import { SmimeError } from '../../src/crypto/errors.js';
import { makePolicy } from '../../src/crypto/policy.js';
import { createCrlRevocationChecker, validatePath } from '../../src/crypto/trust/index.js';

const crypto = webcrypto as unknown as Crypto;
const ROOT = join(__dirname, '../fixtures/x509-limbo');
const DEFAULT_NOW = new Date('2026-06-01T00:00:00Z');

interface LimboCase {
  id: string;
  validation_kind: 'SERVER' | 'CLIENT';
  trusted_certs: string[];
  untrusted_intermediates: string[];
  peer_certificate: string;
  validation_time: string | null;
  extended_key_usage: string[];
  key_usage: string[];
  max_chain_depth: number | null;
  crls: string[];
  expected_result: 'SUCCESS' | 'FAILURE';
}

/** Applicable cases where Waxseal's result differs from limbo's expectation, and why. */
const KNOWN_DIFFERENCES: Record<string, string> = {
  'rfc5280::aki::leaf-missing-aki': 'Missing authorityKeyIdentifier is tolerated, as in NSS/Thunderbird: chain building uses names (AKI/SKI only narrow the candidates), and older S/MIME CAs omit it.',
  'rfc5280::aki::intermediate-missing-aki': 'Missing authorityKeyIdentifier is tolerated (see leaf-missing-aki).',
  'rfc5280::aki::cross-signed-root-missing-aki': 'Missing authorityKeyIdentifier is tolerated (see leaf-missing-aki).',
  'rfc5280::ski::root-missing-ski': 'Missing subjectKeyIdentifier is tolerated, as in NSS: it is not needed for path building or validation.',
  'rfc5280::ski::intermediate-missing-ski': 'Missing subjectKeyIdentifier is tolerated (see root-missing-ski).',
  'rfc5280::serial::negative': 'Negative serial numbers are tolerated: NIST PKITS 4.4.14 (ValidNegativeSerialNumberTest14) expects them to be accepted, and old S/MIME certificates have them.',
  'rfc5280::root-non-critical-basic-constraints': 'A non-critical basicConstraints on an anchor is tolerated: 3 of the bundled Mozilla e-mail roots have one.',
  'rfc5280::pc::ica-noncritical-pc': 'A non-critical policyConstraints is tolerated: the NIST PKITS CAs mark it non-critical and PKITS expects those paths to validate.',
  'rfc5280::ca-as-leaf-wrong-san': 'Fails only on the DNS peer-name check, which does not apply to S/MIME (the harness skips peer names).',
};

const limbo = (JSON.parse(readFileSync(join(ROOT, 'limbo-core.json'), 'utf8')) as { testcases: LimboCase[] }).testcases;
const applicability = new Map(
  (JSON.parse(readFileSync(join(ROOT, 'cases.json'), 'utf8')) as { cases: { id: string; applicability: string }[] }).cases.map((c) => [c.id, c.applicability]),
);

function pemToDer(pem: string): Uint8Array {
  return new Uint8Array(Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'));
}

async function runCase(testCase: LimboCase): Promise<{ ok: boolean; detail: string }> {
  let leaf: Certificate;
  let anchors: Uint8Array[];
  let intermediates: Uint8Array[];
  try {
    leaf = parseCertificates(testCase.peer_certificate)[0]!;
    anchors = testCase.trusted_certs.map(pemToDer);
    intermediates = testCase.untrusted_intermediates.map(pemToDer);
  } catch (error) {
    if (error instanceof SmimeError) return { ok: false, detail: `${error.code}: ${error.message}` };
    throw error;
  }
  const now = testCase.validation_time ? new Date(testCase.validation_time) : DEFAULT_NOW;
  // With CRLs supplied, limbo expects a decided status: revocation "unknown" fails (strict), as in PKITS.
  const policy = makePolicy({
    ...(testCase.max_chain_depth === null ? {} : { limits: { maxPathIntermediates: testCase.max_chain_depth } }),
    signature: { strictRevocation: testCase.crls.length > 0 },
  });
  const revocation = testCase.crls.length > 0 ? createCrlRevocationChecker({ crls: testCase.crls.map(pemToDer), crypto, now }) : undefined;
  const result = await validatePath({
    leaf, intermediates, anchors: anchors.map((der) => ({ der, source: 'organisation', purposes: ['email'] })),
    now, purpose: 'smime-signing', crypto, policy, revocation, skipLeafPurposeChecks: true,
  });
  return { ok: result.status === 'valid', detail: `${result.code}: ${result.checks.at(-1)?.detail ?? ''}` };
}

describe('x509-limbo path validation (SEC-30)', () => {
  it('gives limbo\'s expected result for every applicable case except the documented differences', async () => {
    let passed = 0;
    let failed = 0;
    let notApplicable = 0;
    const mismatches: string[] = [];
    const unexpectedPasses: string[] = [];
    for (const testCase of limbo) {
      const kind = applicability.get(testCase.id) ?? 'unknown';
      const needsTlsEku = testCase.extended_key_usage.length > 0;
      const result = await runCase(testCase);
      if (kind === 'webpki-only' || needsTlsEku) {
        notApplicable++;
        continue;
      }
      const agrees = result.ok === (testCase.expected_result === 'SUCCESS');
      if (agrees) passed++;
      else failed++;
      if (testCase.id in KNOWN_DIFFERENCES) {
        if (agrees) unexpectedPasses.push(testCase.id);
      } else if (!agrees) {
        mismatches.push(`${testCase.id} [${kind}]: expected ${testCase.expected_result}, got ${result.ok ? 'valid' : 'invalid'} (${result.detail})`);
      }
    }
    console.log(`limbo: ${passed} passed, ${failed} failed, ${notApplicable} not applicable`);
    expect(mismatches).toEqual([]);
    expect(unexpectedPasses).toEqual([]);
    expect(failed).toBe(Object.keys(KNOWN_DIFFERENCES).length);
  }, 120_000);
});
