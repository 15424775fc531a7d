/**
 * Crashes found by the SEC-37 fuzzer (test/fuzz/engine-fuzz.test.ts), kept as regression tests.
 */
import { webcrypto } from 'node:crypto';
import * as pkijs from 'pkijs';
import { describe, expect, it } from 'vitest';
import { parseBer } from '../../src/crypto/asn1.js';
import { SmimeError } from '../../src/crypto/errors.js';
import { DEFAULT_POLICY } from '../../src/crypto/policy.js';
import { verifySignedData } from '../../src/crypto/index.js';
import { buildSignedCms, textEntity } from '../helpers/fixtures-signed.js';
import { createTestPki } from '../helpers/pki.js';

const crypto = webcrypto as unknown as Crypto;

function lastIndexOf(haystack: Uint8Array, needle: number[]): number {
  return Buffer.from(haystack).lastIndexOf(Buffer.from(needle));
}

describe('fuzz regressions', () => {
  it('#1 – a SignerInfo sid whose issuer is BER but not a Name gives MALFORMED_ASN1, not a PKI.js error', async () => {
    const pki = await createTestPki(crypto);
    const cms = buildSignedCms({ content: textEntity('x'), detached: false, signers: [{ identity: pki.users.alice.rsa }] }, pki);
    // The sid's issuer is the e-mail CA's subject: SEQUENCE { SET { SEQUENCE { OID 2.5.4.3 ...
    const issuer = lastIndexOf(cms, [0x31, 0x1e, 0x30, 0x1c, 0x06, 0x03, 0x55, 0x04, 0x03]);
    expect(issuer).toBeGreaterThan(cms.length / 2);
    const mutated = Uint8Array.from(cms);
    mutated[issuer + 2] = 0x2c; // the AttributeTypeAndValue becomes a constructed UTF8String: BER, but not a Name
    // The crafted issuer really is a shape PKI.js refuses with an untyped error.
    const issuerDer = mutated.subarray(issuer - 2, issuer + mutated[issuer - 1]!);
    expect(() => new pkijs.RelativeDistinguishedNames({ schema: parseBer(issuerDer) })).toThrow();
    const outcome = await verifySignedData(mutated, { crypto, policy: DEFAULT_POLICY, detachedContent: null }).then(
      (result) => result.reasons,
      (error: unknown) => error,
    );
    if (Array.isArray(outcome)) expect(outcome.length).toBeGreaterThan(0);
    else expect(outcome).toBeInstanceOf(SmimeError);
  });
});
