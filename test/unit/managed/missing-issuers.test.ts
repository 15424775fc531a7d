/**
 * Import with an incomplete chain names the missing intermediate (#8, #9). The PKCS#12 files are
 * written by `openssl pkcs12 -export` (with and without `-certfile`); a missing openssl fails with the
 * install command (STYLE §8).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { base64Encode } from '../../../src/crypto/index.js';
import { parseCertificateDer } from '../../../src/crypto/cert/index.js';
import { bundledEmailAnchors, missingIssuer } from '../../../src/background/keystore/missing-issuers.js';
import { parseManagedConfig } from '../../../src/background/policy/managed-config.js';
import { createTestPki, type TestIdentity } from '../../helpers/pki.js';
import { pem, scratch, tool } from '../../interop/pkcs12-tools.js';
import { createHandlerRig, OPTIONS } from '../keystore/handler-rig.js';
import { crypto, PASSPHRASE } from '../keystore/rig.js';

const pki = await createTestPki(crypto);
const { alice } = pki.users;

/** The subject as OpenSSL prints it in RFC 4514 (RFC 2253) order, the order Waxseal shows DNs in. */
function opensslSubject(identity: TestIdentity): string {
  const dir = scratch();
  try {
    const out = tool('openssl', ['x509', '-in', dir.file('c.pem', pem(identity.certificate, 'CERTIFICATE')), '-noout', '-subject', '-nameopt', 'RFC2253']).stdout.toString().trim();
    return out.replace(/^subject=/, '').split(',').join(', ');
  } finally {
    dir.cleanup();
  }
}

const EMAIL_CA_DN = opensslSubject(pki.emailCa);
const ROOT_DN = opensslSubject(pki.root);

function opensslP12(chain: TestIdentity[]): Uint8Array {
  const dir = scratch();
  try {
    const args = ['pkcs12', '-export', '-inkey', dir.file('key.pem', pem(alice.rsa.pkcs8, 'PRIVATE KEY')), '-in', dir.file('cert.pem', pem(alice.rsa.certificate, 'CERTIFICATE')), '-out', dir.file('a.p12'), '-passout', 'pass:pw'];
    if (chain.length > 0) args.push('-certfile', dir.file('chain.pem', chain.map((c) => pem(c.certificate, 'CERTIFICATE')).join('')));
    tool('openssl', args);
    return new Uint8Array(readFileSync(dir.file('a.p12')));
  } finally {
    dir.cleanup();
  }
}

const cert = (identity: TestIdentity) => parseCertificateDer(new Uint8Array(identity.certificate));

describe('missing issuers', () => {
  it('the expected names come from OpenSSL', () => {
    expect([EMAIL_CA_DN, ROOT_DN]).toEqual(['C=DE, O=Waxseal Tests, CN=Waxseal Test Email CA', 'C=DE, O=Waxseal Tests, CN=Waxseal Test Root']);
  });

  it('follows the provided chain and names the first issuer it cannot reach', () => {
    expect(missingIssuer(cert(alice.rsa), [], [])).toBe(EMAIL_CA_DN);
    expect(missingIssuer(cert(alice.rsa), [cert(pki.emailCa)], [])).toBe(ROOT_DN);
    expect(missingIssuer(cert(alice.rsa), [cert(pki.emailCa), cert(pki.root)], [])).toBeNull();
    expect(missingIssuer(cert(alice.rsa), [cert(pki.emailCa)], [cert(pki.root)])).toBeNull();
    expect(missingIssuer(cert(alice.rsa), [], [cert(pki.emailCa)])).toBeNull();
  });

  it('the bundled e-mail roots are loaded as anchors', () => {
    expect(bundledEmailAnchors().length).toBeGreaterThan(10);
  });

  it('an OpenSSL .p12 without the intermediate: the import names it, and imports the identity anyway', async () => {
    const rig = await createHandlerRig();
    const result = await rig.handlers.importPkcs12({ p12: opensslP12([]), p12Password: 'pw', passphrase: PASSPHRASE }, OPTIONS);
    expect(result.imported).toHaveLength(1);
    expect(result.missingIssuers).toEqual([EMAIL_CA_DN]);
  });

  it('with the intermediate in the file and the root as a user anchor nothing is missing; without the anchor the root is', async () => {
    const p12 = opensslP12([pki.emailCa]);
    const rig = await createHandlerRig();
    expect((await rig.handlers.importPkcs12({ p12, p12Password: 'pw', passphrase: PASSPHRASE }, OPTIONS)).missingIssuers).toEqual([ROOT_DN]);
    await rig.handlers.addTrustAnchor({ certificate: new Uint8Array(pki.root.certificate), purposes: ['emailSigning'] }, OPTIONS);
    expect((await rig.handlers.importPkcs12({ p12, p12Password: 'pw', passphrase: PASSPHRASE }, OPTIONS)).missingIssuers).toEqual([]);
  });

  it('an organisation anchor from the managed configuration counts too', async () => {
    const managed = parseManagedConfig({ trustAnchors: [base64Encode(new Uint8Array(pki.emailCa.certificate))] });
    const rig = await createHandlerRig({ managed: async () => managed });
    expect((await rig.handlers.importPkcs12({ p12: opensslP12([]), p12Password: 'pw', passphrase: PASSPHRASE }, OPTIONS)).missingIssuers).toEqual([]);
  });
});
