// RFC 9216 / draft-ireland-examples-cms signed objects (test/fixtures/rfc9216-examples-cms, README there):
// independent signatures (RSA, RSASSA-PSS, Ed25519) checked at the CMS level (SEC-12, SEC-17g).
import { describe, expect, it } from 'vitest';
import { webcrypto } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { verifySignedData } from '../../../src/crypto/cms/verify.js';
import { DEFAULT_POLICY } from '../../../src/crypto/policy.js';
import { fromUtf8 } from '../../../src/crypto/bytes.js';

const crypto = webcrypto as unknown as Crypto;
const dir = new URL('../../fixtures/rfc9216-examples-cms/', import.meta.url);
const read = (path: string) => new Uint8Array(readFileSync(new URL(path, dir)));
const CONTENT = 'This is some sample content.';

describe('rfc9216-examples-cms signed objects', () => {
  const table: { file: string; detached: string | null; reasons: string[]; signer: string | null }[] = [
    // cases.json calls this one "signed attributes", but the object has none (see asn1dumps/): the RSA
    // signature over the content holds, and the missing attributes make it invalid for mail (SEC-12a).
    { file: 'signedByAliceRSA.p7m', detached: null, reasons: ['SIGNED_ATTRS_MISSING'], signer: 'alice' },
    { file: 'signedByAliceRSAPSS.p7m', detached: null, reasons: [], signer: 'alice' },
    { file: 'signedByCarlosEd25519.p7m', detached: null, reasons: [], signer: 'carlos' },
    // No signed attributes: refused by policy (SEC-12a), although the raw Ed25519 signature is good.
    { file: 'signedByCarlosDetached.p7m', detached: CONTENT, reasons: ['SIGNED_ATTRS_MISSING'], signer: 'carlos' },
    // Two SignerInfos and no certificates (SEC-09).
    { file: 'signedByAliceAndCarlosNoCerts.p7m', detached: null, reasons: ['MULTIPLE_SIGNERS', 'SIGNER_CERTIFICATE_MISSING', 'SIGNED_ATTRS_MISSING'], signer: null },
  ];
  for (const row of table) {
    it(`${row.file} → ${row.reasons.join(', ') || 'no failing check'}`, async () => {
      const result = await verifySignedData(read(`cms/${row.file}`), {
        crypto, policy: DEFAULT_POLICY, detachedContent: row.detached === null ? null : new TextEncoder().encode(row.detached),
      });
      expect(result.reasons).toEqual(row.reasons);
      // Where a signer certificate is present, its signature itself must check out.
      if (row.signer) expect(result.checks.find((c) => c.code === 'BAD_SIGNATURE')?.ok).toBe(true);
      if (row.detached === null) expect(fromUtf8(result.eContent!)).toBe(CONTENT);
      if (row.signer) expect(result.signerCertificate).not.toBeNull();
    });
  }

  it('one changed content byte breaks the Ed25519 and PSS signatures (DIGEST_MISMATCH)', async () => {
    for (const file of ['signedByCarlosEd25519.p7m', 'signedByAliceRSAPSS.p7m']) {
      const der = read(`cms/${file}`);
      const at = Buffer.from(der).indexOf(Buffer.from(CONTENT));
      expect(at).toBeGreaterThan(0);
      der[at] ^= 0x20;
      const result = await verifySignedData(der, { crypto, policy: DEFAULT_POLICY, detachedContent: null });
      expect(result.reasons).toEqual(['DIGEST_MISMATCH']);
    }
  });
});
