/**
 * The CRL revocation checker, cross-checked with `openssl verify -crl_check` on the same certificates and CRLs.
 */
import { webcrypto } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makePolicy } from '../../../src/crypto/policy.js';
import { createCrlRevocationChecker, validatePath, type TrustAnchor } from '../../../src/crypto/trust/index.js';
import { createTestPki, issueCrl, TEST_NOW, toPem, type TestIdentity, type TestPki } from '../../helpers/pki.js';

const crypto = webcrypto as unknown as Crypto;
let pki: TestPki;
let anchors: TrustAnchor[];
beforeAll(async () => {
  pki = await createTestPki(crypto);
  anchors = [{ der: pki.root.certificate, source: 'organisation', purposes: ['email'] }];
});

function opensslVerify(leaf: TestIdentity, crls: Uint8Array[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'waxseal-crl-'));
  writeFileSync(join(dir, 'root.pem'), toPem(pki.root.certificate));
  writeFileSync(join(dir, 'ca.pem'), toPem(pki.emailCa.certificate));
  writeFileSync(join(dir, 'leaf.pem'), toPem(leaf.certificate));
  writeFileSync(join(dir, 'crls.pem'), crls.map((crl) => toPem(crl, 'X509 CRL')).join(''));
  const args = ['verify', '-attime', String(TEST_NOW.getTime() / 1000), '-crl_check', '-CAfile', join(dir, 'root.pem'), '-untrusted', join(dir, 'ca.pem'), '-CRLfile', join(dir, 'crls.pem'), join(dir, 'leaf.pem')];
  try {
    return execFileSync('openssl', args, { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('openssl is missing: apt-get install -y openssl libnss3-tools');
    return `${String((error as { stdout?: string }).stdout)}${String((error as { stderr?: string }).stderr)}`;
  }
}

function validate(leaf: TestIdentity, crls: Uint8Array[], strict = false) {
  return validatePath({
    leaf: leaf.certificate, intermediates: [pki.emailCa.certificate], anchors, now: TEST_NOW, purpose: 'smime-signing', crypto,
    policy: makePolicy({ signature: { strictRevocation: strict } }),
    revocation: createCrlRevocationChecker({ crls, crypto, now: TEST_NOW }),
  });
}

describe('CRL revocation checker', () => {
  it('agrees with openssl: a listed certificate is revoked, an unlisted one good', async () => {
    const crl = await issueCrl(crypto, { issuer: pki.emailCa, revoked: [pki.users.alice.rsa] });
    const emailCaCrl = await issueCrl(crypto, { issuer: pki.root });
    expect(opensslVerify(pki.users.alice.rsa, [crl, emailCaCrl])).toMatch(/certificate revoked/);
    expect(opensslVerify(pki.users.bob.rsa, [crl, emailCaCrl])).toMatch(/leaf\.pem: OK/);
    expect(await validate(pki.users.alice.rsa, [crl, emailCaCrl])).toMatchObject({ status: 'invalid', code: 'REVOKED', revocation: 'revoked' });
    expect(await validate(pki.users.bob.rsa, [crl, emailCaCrl])).toMatchObject({ status: 'valid', revocation: 'good' });
  });

  it('does not use a CRL signed by another key, a stale CRL, or one without a CRL number: status unknown', async () => {
    const forged = await issueCrl(crypto, { issuer: { ...pki.emailCa, privateKey: pki.tlsCa.privateKey, pkcs8: pki.tlsCa.pkcs8 }, revoked: [pki.users.bob.rsa] });
    const stale = await issueCrl(crypto, { issuer: pki.emailCa, thisUpdate: new Date('2026-01-01T00:00:00Z'), nextUpdate: new Date('2026-02-01T00:00:00Z') });
    const noNumber = await issueCrl(crypto, { issuer: pki.emailCa, crlNumber: null });
    const rootCrl = await issueCrl(crypto, { issuer: pki.root });
    expect(opensslVerify(pki.users.bob.rsa, [forged, rootCrl])).toMatch(/CRL signature failure/);
    expect(opensslVerify(pki.users.bob.rsa, [stale, rootCrl])).toMatch(/CRL has expired/);
    for (const crls of [[forged, rootCrl], [stale, rootCrl], [noNumber, rootCrl]]) {
      expect(await validate(pki.users.bob.rsa, crls)).toMatchObject({ status: 'valid', revocation: 'unknown' });
      expect(await validate(pki.users.bob.rsa, crls, true)).toMatchObject({ status: 'invalid', code: 'REVOCATION_UNKNOWN' });
    }
  });

  it('reports not-checked without a checker, and never fetches anything', async () => {
    const result = await validatePath({ leaf: pki.users.bob.rsa.certificate, intermediates: [pki.emailCa.certificate], anchors, now: TEST_NOW, purpose: 'smime-signing', crypto });
    expect(result.revocation).toBe('not-checked');
    expect(result.status).toBe('valid');
  });

  it('ignores unparseable CRL bytes instead of failing', async () => {
    const reasons: string[] = [];
    const checker = createCrlRevocationChecker({ crls: [new Uint8Array([0x30, 0x03, 0x01, 0x01, 0xff])], crypto, now: TEST_NOW, onUnusable: (reason) => reasons.push(reason) });
    const result = await validatePath({ leaf: pki.users.bob.rsa.certificate, intermediates: [pki.emailCa.certificate], anchors, now: TEST_NOW, purpose: 'smime-signing', crypto, revocation: checker });
    expect(result).toMatchObject({ status: 'valid', revocation: 'unknown' });
    expect(reasons[0]).toMatch(/unparseable CRL/);
  });
});
