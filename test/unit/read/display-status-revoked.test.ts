/**
 * The "revoked" banner state (features.md (d), security.md SEC-29). The reading path has no revocation
 * source yet (no CRL or OCSP fetch, and the engine is not given a revocation checker when opening
 * mail), so a revoked signer cannot be staged in the end-to-end rig; the mapping from the engine's
 * REVOKED reason to the banner is covered here.
 */
import { describe, expect, it } from 'vitest';
import { signatureStateOf } from '../../../src/background/read/display-status.js';
import type { SignatureReport } from '../../../src/crypto/index.js';

const NOW = new Date('2026-06-01T00:00:00Z');

function invalidSignature(reasons: string[]): SignatureReport {
  return {
    verdict: 'invalid',
    signer: 'bob@example.com',
    reasons,
    coversWholeMessage: true,
    form: 'detached',
    signerCertificate: null,
    chain: [],
    signingTime: '2026-05-31T12:00:00Z',
    digestAlgorithm: 'SHA-256',
    signatureAlgorithm: 'RSASSA-PKCS1-v1_5',
    checks: [],
  };
}

describe('revoked signer certificate', () => {
  it('SEC-29: REVOKED shows the revoked state, not "unknown CA" or a plain invalid signature', () => {
    expect(signatureStateOf(invalidSignature(['REVOKED']), NOW)).toBe('revoked');
  });

  it('SEC-29: revocation outranks trust and expiry, so a revoked certificate is never shown as merely expired', () => {
    expect(signatureStateOf(invalidSignature(['UNTRUSTED', 'REVOKED']), NOW)).toBe('revoked');
    expect(signatureStateOf(invalidSignature(['EXPIRED_SINCE_SIGNING', 'REVOKED']), NOW)).toBe('revoked');
  });

  it('SEC-29: changed content still comes first: the reader must learn the text is not what was signed', () => {
    expect(signatureStateOf(invalidSignature(['REVOKED', 'DIGEST_MISMATCH']), NOW)).toBe('modified');
  });
});
