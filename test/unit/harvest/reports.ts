/** Builds the inputs the verifier would hand to the harvesting rules, from the test PKI (TEST KEYS — NOT SECRET). */
import { webcrypto } from 'node:crypto';
import { describeCertificate } from '../../../src/crypto/cert/index.js';
import type { KnownCertificate } from '../../../src/crypto/harvest.js';
import type { SignatureReport } from '../../../src/crypto/index.js';
import type { TestIdentity } from '../../helpers/pki.js';

export const crypto = webcrypto as unknown as Crypto;
export const NOW = new Date('2026-06-01T00:00:00Z');

export async function reportFor(signer: TestIdentity, overrides: Partial<SignatureReport> = {}): Promise<SignatureReport> {
  const summary = await describeCertificate(new Uint8Array(signer.certificate), crypto);
  return {
    verdict: 'valid',
    signer: summary.emailAddresses[0] ?? null,
    reasons: [],
    coversWholeMessage: true,
    form: 'detached',
    signerCertificate: summary,
    chain: [],
    signingTime: NOW.toISOString(),
    digestAlgorithm: 'SHA-256',
    signatureAlgorithm: 'RSASSA-PKCS1-v1_5',
    checks: [],
    ...overrides,
  };
}

export async function fingerprintOf(identity: TestIdentity): Promise<string> {
  return Buffer.from(await crypto.subtle.digest('SHA-256', new Uint8Array(identity.certificate))).toString('hex');
}

export async function known(identity: TestIdentity, overrides: Partial<KnownCertificate> = {}): Promise<KnownCertificate> {
  return {
    fingerprintSha256: await fingerprintOf(identity),
    certificate: new Uint8Array(identity.certificate),
    role: 'both',
    state: 'active',
    pinned: false,
    firstSeen: '2026-01-01T00:00:00.000Z',
    harvested: true,
    ...overrides,
  };
}
