// The SignedData reader (RFC 5652 §5): structure violations are typed MALFORMED_CMS errors, limits are
// LimitErrors, and what is signed is kept byte for byte (SEC-12g, SEC-31, SEC-32c).
import { describe, expect, it } from 'vitest';
import { webcrypto } from 'node:crypto';
import { parseSignedData } from '../../../src/crypto/cms/signed-data-parse.js';
import { derContext, derOctetString, derOid, derSequence, derSetOf, derSmallInteger, derTlv } from '../../../src/crypto/cms/der.js';
import { DEFAULT_POLICY, makePolicy } from '../../../src/crypto/policy.js';
import { OID } from '../../../src/crypto/oids.js';
import { LimitError, SmimeError } from '../../../src/crypto/errors.js';
import { createTestPki } from '../../helpers/pki.js';
import { buildSignedCms, textEntity } from '../../helpers/fixtures-signed.js';

const crypto = webcrypto as unknown as Crypto;
const pki = await createTestPki(crypto);
const entity = textEntity('hello');
const good = buildSignedCms({ content: entity, detached: false, signers: [{ identity: pki.users.alice.rsa }] }, pki);

const wrap = (signedData: Uint8Array) => derSequence(derOid(OID.signedData), derContext(0, signedData));
const encap = derSequence(derOid(OID.data));
const emptySet = derSetOf([]);

function expectCode(der: Uint8Array, code: string) {
  let error: unknown;
  try {
    parseSignedData(der, DEFAULT_POLICY);
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(SmimeError);
  expect((error as SmimeError).code).toBe(code);
}

describe('parseSignedData', () => {
  it('reads a well-formed SignedData, keeping eContent and the signed attributes as received', () => {
    const parsed = parseSignedData(good, DEFAULT_POLICY);
    expect(Buffer.from(parsed.eContent!).equals(Buffer.from(entity))).toBe(true);
    expect(parsed.signedData.signerInfos).toHaveLength(1);
    const attrs = parsed.signedData.signerInfos[0]!.signedAttrs!;
    expect(attrs.encodedValue[0]).toBe(0x31);
    expect(Buffer.from(good).includes(Buffer.from(attrs.encodedValue.subarray(1)))).toBe(true);
    expect(parsed.certificates.map((c) => c.der.length)).toEqual([pki.users.alice.rsa.certificate.length, pki.emailCa.certificate.length]);
  });

  const table: [string, Uint8Array, string][] = [
    ['not a SEQUENCE', derSetOf([]), 'MALFORMED_CMS'],
    ['envelopedData content type', derSequence(derOid(OID.envelopedData), derContext(0, derSequence())), 'MALFORMED_CMS'],
    ['content not [0] EXPLICIT', derSequence(derOid(OID.signedData), derSequence()), 'MALFORMED_CMS'],
    ['too few SignedData fields', wrap(derSequence(derSmallInteger(1), emptySet)), 'MALFORMED_CMS'],
    ['signerInfos missing', wrap(derSequence(derSmallInteger(1), emptySet, encap, derContext(0))), 'MALFORMED_CMS'],
    ['eContent not an OCTET STRING', wrap(derSequence(derSmallInteger(1), emptySet, derSequence(derOid(OID.data), derContext(0, derSmallInteger(5))), emptySet)), 'MALFORMED_CMS'],
    ['signer with a wrong sid', wrap(derSequence(derSmallInteger(1), emptySet, encap, derSetOf([derSequence(derSmallInteger(1), derOctetString(new Uint8Array(4)))]))), 'MALFORMED_CMS'],
    ['signer with extra trailing fields', wrap(derSequence(derSmallInteger(1), emptySet, encap, derSetOf([derSequence(
      derSmallInteger(3), derTlv(0x80, new Uint8Array(20)), derSequence(derOid(OID.sha256)), derSequence(derOid(OID.sha256WithRSAEncryption)), derOctetString(new Uint8Array(8)), derSmallInteger(9),
    )]))), 'MALFORMED_CMS'],
    ['trailing garbage after the ContentInfo', Uint8Array.from([...good, 0]), 'MALFORMED_ASN1'],
  ];
  for (const [name, der, code] of table) {
    it(`${name} → ${code}`, () => expectCode(der, code));
  }

  it('a signer identified by subjectKeyIdentifier is read', () => {
    const der = wrap(derSequence(derSmallInteger(3), emptySet, encap, derSetOf([derSequence(
      derSmallInteger(3), derTlv(0x80, new Uint8Array(20).fill(7)), derSequence(derOid(OID.sha256)), derSequence(derOid(OID.sha256WithRSAEncryption)), derOctetString(new Uint8Array(8)),
    )])));
    const sid = parseSignedData(der, DEFAULT_POLICY).signedData.signerInfos[0]!.sid;
    expect(sid).toEqual({ kind: 'subjectKeyIdentifier', keyIdentifier: new Uint8Array(20).fill(7) });
  });

  it('more certificates than maxCmsCertificates → LimitError', () => {
    expect(() => parseSignedData(good, makePolicy({ limits: { maxCmsCertificates: 1 } }))).toThrow(LimitError);
  });

  it('a constructed (BER) eContent is joined from its segments', () => {
    const segments = derTlv(0x24, derOctetString(entity.subarray(0, 10)), derTlv(0x24, derOctetString(entity.subarray(10))));
    const der = wrap(derSequence(derSmallInteger(1), emptySet, derSequence(derOid(OID.data), derContext(0, segments)), emptySet));
    expect(Buffer.from(parseSignedData(der, DEFAULT_POLICY).eContent!).equals(Buffer.from(entity))).toBe(true);
  });
});
