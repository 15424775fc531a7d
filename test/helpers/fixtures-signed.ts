/**
 * Attack and baseline fixtures for signed mail (security.md SEC-08..SEC-18, Appendix B), built in code
 * so nothing expires. The CMS is assembled here field by field and signed with Node's OpenSSL
 * (`node:crypto.sign`), independently of the engine's own signer, so each attack shape can be exact.
 * TEST KEYS — NOT SECRET: every key comes from test/helpers/pki.ts and is generated per run.
 */
import { createHash, createPrivateKey, sign as nodeSign, constants } from 'node:crypto';
import { derAlgorithmIdentifier, derContext, derNull, derOctetString, derOid, derSequence, derSetOf, derSmallInteger, derTime, derTlv } from '../../src/crypto/cms/der.js';
import { issuerAndSerialOf } from '../../src/crypto/cms/signed-attributes.js';
import { OID } from '../../src/crypto/oids.js';
import type { SignatureVerdict } from '../../src/crypto/types.js';
import type { TestIdentity, TestPki } from './pki.js';

export type FixtureDigest = 'MD5' | 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

const DIGEST_OID: Record<FixtureDigest, string> = {
  MD5: OID.md5, 'SHA-1': OID.sha1, 'SHA-256': OID.sha256, 'SHA-384': OID.sha384, 'SHA-512': OID.sha512,
};
const RSA_SIG_OID: Record<FixtureDigest, string> = {
  MD5: OID.md5WithRSAEncryption, 'SHA-1': OID.sha1WithRSAEncryption, 'SHA-256': OID.sha256WithRSAEncryption,
  'SHA-384': OID.sha384WithRSAEncryption, 'SHA-512': OID.sha512WithRSAEncryption,
};
const ECDSA_SIG_OID: Partial<Record<FixtureDigest, string>> = {
  'SHA-1': OID.ecdsaWithSha1, 'SHA-256': OID.ecdsaWithSha256, 'SHA-384': OID.ecdsaWithSha384, 'SHA-512': OID.ecdsaWithSha512,
};
const NODE_HASH: Record<FixtureDigest, string> = { MD5: 'md5', 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

/** One encoded Attribute ::= SEQUENCE { attrType, attrValues SET OF } (RFC 5652 §5.3). */
export function encodeAttribute(type: string, values: Uint8Array[], sortValues = true): Uint8Array {
  return derSequence(derOid(type), sortValues ? derSetOf(values) : derTlv(0x31, ...values));
}

export interface SignerSpec {
  identity: TestIdentity;
  digest?: FixtureDigest;
  /** Replace the signatureAlgorithm AlgorithmIdentifier (DER); the signature is still made with `digest`. */
  signatureAlgorithm?: Uint8Array;
  /** Signing-time attribute; null leaves it out. Default 2026-05-31T12:00:00Z. */
  signingTime?: Date | null;
  /** Rewrite the default attribute list (each entry an encoded Attribute); null means no signedAttrs at all. */
  attributes?: ((defaults: { contentType: Uint8Array; messageDigest: Uint8Array; signingTime: Uint8Array | null }) => Uint8Array[]) | null;
  /** Encode signedAttrs unsorted with a non-minimal (long-form) length: BER, not DER (SEC-12g). */
  berAttributes?: boolean;
  /** Flip one bit of the signature value. */
  corruptSignature?: boolean;
  /** Sign over these bytes instead of the content (for the digest); default: the content. */
  digestOf?: Uint8Array;
}

export interface CmsSpec {
  /** The bytes the signers sign (the MIME entity for mail). */
  content: Uint8Array;
  /** Put this in eContent; undefined: the content for opaque, nothing for detached. */
  eContent?: Uint8Array | null;
  detached: boolean;
  eContentType?: string;
  signers: SignerSpec[];
  /** Certificates to include; default every signer's certificate plus the email CA. */
  certificates?: Uint8Array[];
}

/** Builds a DER ContentInfo(SignedData) exactly as specified. */
export function buildSignedCms(spec: CmsSpec, pki: TestPki): Uint8Array {
  const eContentType = spec.eContentType ?? OID.data;
  const signerInfos = spec.signers.map((signer) => buildSignerInfo(signer, spec.content, eContentType));
  const digestAlgorithms = derSetOf([...new Set(spec.signers.map((s) => s.digest ?? 'SHA-256'))].map((d) => derAlgorithmIdentifier(DIGEST_OID[d])));
  const eContent = spec.eContent === undefined ? (spec.detached ? null : spec.content) : spec.eContent;
  const encap = eContent === null ? derSequence(derOid(eContentType)) : derSequence(derOid(eContentType), derContext(0, derOctetString(eContent)));
  const certificates = spec.certificates ?? [...spec.signers.map((s) => s.identity.certificate), pki.emailCa.certificate];
  const signedData = derSequence(
    derSmallInteger(1),
    digestAlgorithms,
    encap,
    ...(certificates.length > 0 ? [derContext(0, ...certificates)] : []),
    derSetOf(signerInfos),
  );
  return derSequence(derOid(OID.signedData), derContext(0, signedData));
}

function buildSignerInfo(signer: SignerSpec, content: Uint8Array, eContentType: string): Uint8Array {
  const digest = signer.digest ?? 'SHA-256';
  const messageDigest = createHash(NODE_HASH[digest]).update(signer.digestOf ?? content).digest();
  const defaults = {
    contentType: encodeAttribute(OID.contentType, [derOid(eContentType)]),
    messageDigest: encodeAttribute(OID.messageDigest, [derOctetString(messageDigest)]),
    signingTime: signer.signingTime === null ? null : encodeAttribute(OID.signingTime, [derTime(signer.signingTime ?? new Date('2026-05-31T12:00:00Z'))]),
  };
  let signedSet: Uint8Array | null = null;
  if (signer.attributes !== null) {
    const list = signer.attributes ? signer.attributes(defaults) : [defaults.contentType, defaults.messageDigest, ...(defaults.signingTime ? [defaults.signingTime] : [])];
    signedSet = signer.berAttributes ? berSet(list) : derSetOf(list);
  }
  const toSign = signedSet ?? content;
  const { signature, algorithm } = signWithNode(signer.identity, digest, toSign);
  if (signer.corruptSignature) signature[signature.length - 1] ^= 1;
  const { issuer, serialNumber } = issuerAndSerialOf(signer.identity.certificate);
  const implicit = signedSet ? Uint8Array.from(signedSet, (b, i) => (i === 0 ? 0xa0 : b)) : null;
  return derSequence(
    derSmallInteger(1),
    derSequence(issuer, serialNumber),
    derAlgorithmIdentifier(DIGEST_OID[digest]),
    ...(implicit ? [implicit] : []),
    signer.signatureAlgorithm ?? algorithm,
    derOctetString(signature),
  );
}

/** SET with a long-form length octet and the elements in reverse order: valid BER, not DER. */
function berSet(elements: Uint8Array[]): Uint8Array {
  const body = Buffer.concat([...elements].reverse());
  if (body.length > 0xff) throw new Error('fixture attributes too long for the BER helper');
  return new Uint8Array(Buffer.concat([Buffer.from([0x31, 0x81, body.length]), body]));
}

function signWithNode(identity: TestIdentity, digest: FixtureDigest, data: Uint8Array): { signature: Uint8Array; algorithm: Uint8Array } {
  const key = createPrivateKey({ key: Buffer.from(identity.pkcs8), format: 'der', type: 'pkcs8' });
  switch (identity.keyAlgorithm) {
    case 'RSA-1024':
    case 'RSA-2048':
    case 'RSA-3072':
      return { signature: new Uint8Array(nodeSign(NODE_HASH[digest], data, key)), algorithm: derAlgorithmIdentifier(RSA_SIG_OID[digest], derNull()) };
    case 'RSA-PSS-2048': {
      const hashAlg = derAlgorithmIdentifier(DIGEST_OID[digest]);
      const saltLength = createHash(NODE_HASH[digest]).digest().length;
      const params = derSequence(derContext(0, hashAlg), derContext(1, derAlgorithmIdentifier(OID.mgf1, hashAlg)), derContext(2, derSmallInteger(saltLength)));
      const signature = nodeSign(NODE_HASH[digest], data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength });
      return { signature: new Uint8Array(signature), algorithm: derAlgorithmIdentifier(OID.rsassaPss, params) };
    }
    case 'P-256':
    case 'P-384':
    case 'P-521':
      return { signature: new Uint8Array(nodeSign(NODE_HASH[digest], data, { key, dsaEncoding: 'der' })), algorithm: derAlgorithmIdentifier(ECDSA_SIG_OID[digest]!) };
    case 'Ed25519':
      return { signature: new Uint8Array(nodeSign(null, data, key)), algorithm: derAlgorithmIdentifier(OID.ed25519) };
  }
}

// ---------------------------------------------------------------------------------------------------
// MIME wrappers. CRLF everywhere (RFC 5322 §2.1, RFC 8551 §3.1.1).

export const BOUNDARY = 'waxseal-fixture-boundary';

export const DEFAULT_HEADERS = [
  'From: Alice <alice@example.com>',
  'To: Bob <bob@example.com>',
  'Subject: Quarterly figures',
  'Date: Sun, 31 May 2026 12:00:00 +0000',
  'Message-ID: <fixture@example.com>',
  'MIME-Version: 1.0',
];

export function crlf(text: string): Uint8Array {
  return new TextEncoder().encode(text.replace(/\r?\n/g, '\r\n'));
}

/** A text/plain entity (what gets signed). */
export function textEntity(text: string): Uint8Array {
  return crlf(`Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 7bit\n\n${text}\n`);
}

function base64Lines(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64').replace(/.{1,76}/g, '$&\r\n');
}

/** multipart/signed entity around `signed` (exact bytes) and a DER signature (RFC 8551 §3.5.3). */
export function multipartSignedEntity(signed: Uint8Array, cms: Uint8Array, options: { micalg?: string; boundary?: string } = {}): Uint8Array {
  const boundary = options.boundary ?? BOUNDARY;
  return Buffer.concat([
    crlf(`Content-Type: multipart/signed; protocol="application/pkcs7-signature"; micalg=${options.micalg ?? 'sha-256'}; boundary="${boundary}"\n\nThis is a cryptographically signed message in MIME format.\n\n--${boundary}\n`),
    signed,
    crlf(`\n--${boundary}\nContent-Type: application/pkcs7-signature; name="smime.p7s"\nContent-Transfer-Encoding: base64\nContent-Disposition: attachment; filename="smime.p7s"\n\n`),
    Buffer.from(base64Lines(cms), 'latin1'),
    crlf(`--${boundary}--\n`),
  ]);
}

/** application/pkcs7-mime; smime-type=signed-data entity (RFC 8551 §3.5.2). */
export function opaqueSignedEntity(cms: Uint8Array): Uint8Array {
  return Buffer.concat([
    crlf('Content-Type: application/pkcs7-mime; smime-type=signed-data; name="smime.p7m"\nContent-Transfer-Encoding: base64\nContent-Disposition: attachment; filename="smime.p7m"\n\n'),
    Buffer.from(base64Lines(cms), 'latin1'),
  ]);
}

/** A whole message: header lines, then the entity (whose own header lines continue the header block). */
export function message(entity: Uint8Array, headers: readonly string[] = DEFAULT_HEADERS): Uint8Array {
  return Buffer.concat([crlf(headers.map((h) => `${h}\n`).join('')), entity]);
}

/** multipart/<subtype> entity of the given child entities. */
export function multipartEntity(subtype: string, parts: Uint8Array[], boundary = 'outer-boundary', extraParams = ''): Uint8Array {
  const chunks: Uint8Array[] = [crlf(`Content-Type: multipart/${subtype}; boundary="${boundary}"${extraParams}\n\n`)];
  for (const part of parts) chunks.push(crlf(`--${boundary}\n`), part, crlf('\n'));
  chunks.push(crlf(`--${boundary}--\n`));
  return Buffer.concat(chunks);
}

/** Headers with From (and others) replaced; `from` null removes From, an array gives several From lines. */
export function headersWith(overrides: { from?: string | string[] | null; sender?: string; date?: string }): string[] {
  const out = DEFAULT_HEADERS.filter((h) => !/^(From|Date):/i.test(h));
  const from = overrides.from === undefined ? 'Alice <alice@example.com>' : overrides.from;
  if (Array.isArray(from)) out.unshift(...from.map((f) => `From: ${f}`));
  else if (from !== null) out.unshift(`From: ${from}`);
  if (overrides.sender) out.push(`Sender: ${overrides.sender}`);
  out.push(`Date: ${overrides.date ?? 'Sun, 31 May 2026 12:00:00 +0000'}`);
  return out;
}

// ---------------------------------------------------------------------------------------------------
// The fixture table.

export interface SignedFixture {
  /** Stable name, used as the test title. */
  name: string;
  /** Checklist item(s), e.g. 'SEC-08'. */
  sec: string;
  eml: Uint8Array;
  expected: {
    verdict: SignatureVerdict;
    /** Reason codes that must all be present. */
    reasons: string[];
    coversWholeMessage?: boolean;
    /** Text the report must show (opaque: from eContent only). */
    text?: string;
  };
}

export const SIGNED_TEXT = 'Congratulations, you have been promoted!';
export const UNSIGNED_TEXT = 'Johnny, you are fired!';

/** A correctly signed detached message from `user` (default Alice RSA), for baselines and mutations. */
export function validDetached(pki: TestPki, options: { signer?: TestIdentity; headers?: readonly string[]; text?: string; digest?: FixtureDigest } = {}): Uint8Array {
  const entity = textEntity(options.text ?? SIGNED_TEXT);
  const cms = buildSignedCms({ content: entity, detached: true, signers: [{ identity: options.signer ?? pki.users.alice.rsa, digest: options.digest }] }, pki);
  return message(multipartSignedEntity(entity, cms, { micalg: (options.digest ?? 'SHA-256').toLowerCase() }), options.headers);
}

export function validOpaque(pki: TestPki, options: { signer?: TestIdentity; headers?: readonly string[]; text?: string } = {}): Uint8Array {
  const entity = textEntity(options.text ?? SIGNED_TEXT);
  const cms = buildSignedCms({ content: entity, detached: false, signers: [{ identity: options.signer ?? pki.users.alice.rsa }] }, pki);
  return message(opaqueSignedEntity(cms), options.headers);
}

/** Detached message whose CMS is built from `signers` over the standard signed entity. */
function detachedWith(pki: TestPki, spec: Partial<CmsSpec> & { signers: SignerSpec[] }, headers?: readonly string[], displayed?: Uint8Array): Uint8Array {
  const entity = textEntity(SIGNED_TEXT);
  const cms = buildSignedCms({ content: entity, detached: true, ...spec }, pki);
  return message(multipartSignedEntity(displayed ?? entity, cms), headers);
}

const FIRED = () => textEntity(UNSIGNED_TEXT);

/** SEC-08: eContent confusion (Johnny C1). */
export function sec08Fixtures(pki: TestPki): SignedFixture[] {
  const alice = pki.users.alice.rsa;
  const signedEntity = textEntity(SIGNED_TEXT);
  // The "refinement": eContent holds the DER signedAttrs, and the SignerInfo has no signedAttrs, so the
  // signature over "the content" is a signature over the old attributes.
  const attrs = derSetOf([encodeAttribute(OID.contentType, [derOid(OID.data)]), encodeAttribute(OID.messageDigest, [derOctetString(createHash('sha256').update(signedEntity).digest())])]);
  return [
    {
      name: 'C1: multipart/signed whose CMS also carries eContent (the promoted text)',
      sec: 'SEC-08',
      eml: message(multipartSignedEntity(FIRED(), buildSignedCms({ content: signedEntity, detached: true, eContent: signedEntity, signers: [{ identity: alice }] }, pki))),
      expected: { verdict: 'invalid', reasons: ['ECONTENT_IN_DETACHED'] },
    },
    {
      name: 'C1: eContent equal to the displayed part is still refused',
      sec: 'SEC-08',
      eml: message(multipartSignedEntity(signedEntity, buildSignedCms({ content: signedEntity, detached: true, eContent: signedEntity, signers: [{ identity: alice }] }, pki))),
      expected: { verdict: 'invalid', reasons: ['ECONTENT_IN_DETACHED'] },
    },
    {
      name: 'C1 refinement: eContent = old signedAttrs, signedAttrs removed',
      sec: 'SEC-08 SEC-12',
      eml: message(multipartSignedEntity(FIRED(), buildSignedCms({ content: attrs, detached: true, eContent: attrs, signers: [{ identity: alice, attributes: null }] }, pki))),
      expected: { verdict: 'invalid', reasons: ['ECONTENT_IN_DETACHED', 'SIGNED_ATTRS_MISSING'] },
    },
    {
      name: 'opaque: the displayed text comes only from eContent',
      sec: 'SEC-08',
      eml: validOpaque(pki),
      expected: { verdict: 'valid', reasons: [], text: SIGNED_TEXT },
    },
  ];
}

/** SEC-09: multiple signers (C2). */
export function sec09Fixtures(pki: TestPki): SignedFixture[] {
  const alice = pki.users.alice.rsa;
  const eve = pki.users.eve.rsa;
  return [
    { name: 'valid signer first, bad signer appended', sec: 'SEC-09', eml: detachedWith(pki, { signers: [{ identity: alice }, { identity: eve, corruptSignature: true }] }), expected: { verdict: 'invalid', reasons: ['MULTIPLE_SIGNERS'] } },
    { name: 'bad signer prepended, valid signer second', sec: 'SEC-09', eml: detachedWith(pki, { signers: [{ identity: eve, corruptSignature: true }, { identity: alice }] }), expected: { verdict: 'invalid', reasons: ['MULTIPLE_SIGNERS'] } },
    { name: 'two valid signers from different identities', sec: 'SEC-09', eml: detachedWith(pki, { signers: [{ identity: alice }, { identity: eve }] }), expected: { verdict: 'invalid', reasons: ['MULTIPLE_SIGNERS'] } },
  ];
}

/** SEC-10: no signers (C3). */
export function sec10Fixtures(pki: TestPki): SignedFixture[] {
  return [
    // The body still displays (SEC-10), without any signed status.
    { name: 'zero SignerInfos, certificates present', sec: 'SEC-10', eml: detachedWith(pki, { signers: [], certificates: [pki.users.alice.rsa.certificate] }), expected: { verdict: 'none', reasons: ['NO_SIGNER'], coversWholeMessage: false, text: SIGNED_TEXT } },
    { name: 'zero SignerInfos and no certificates', sec: 'SEC-10', eml: detachedWith(pki, { signers: [], certificates: [] }), expected: { verdict: 'none', reasons: ['NO_SIGNER'], coversWholeMessage: false, text: SIGNED_TEXT } },
  ];
}

/** SEC-11: trust is mandatory (C4). Built per call because it issues extra certificates. */
export async function sec11Fixtures(pki: TestPki): Promise<SignedFixture[]> {
  const selfSigned = await pki.issue({ issuer: 'self', subject: 'CN=Alice (self-signed)', emails: ['alice@example.com'], label: 'eve-ss' });
  const hiddenCa = await pki.issue({ issuer: pki.root, subject: 'CN=Unlisted Intermediate', ca: { pathLength: 0 }, label: 'hidden-ca' });
  const viaHidden = await pki.issue({ issuer: hiddenCa, subject: 'CN=Alice via unlisted CA', emails: ['alice@example.com'] });
  const viaTls = await pki.issue({ issuer: pki.tlsCa, subject: 'CN=Alice via TLS CA', emails: ['alice@example.com'] });
  return [
    { name: 'self-signed certificate whose address equals From', sec: 'SEC-11', eml: detachedWith(pki, { signers: [{ identity: selfSigned }], certificates: [selfSigned.certificate] }), expected: { verdict: 'invalid', reasons: ['UNTRUSTED'] } },
    { name: 'intermediate missing from the CMS and unknown', sec: 'SEC-11', eml: detachedWith(pki, { signers: [{ identity: viaHidden }], certificates: [viaHidden.certificate] }), expected: { verdict: 'invalid', reasons: ['UNTRUSTED'] } },
    { name: 'chain through a CA restricted to serverAuth', sec: 'SEC-11', eml: detachedWith(pki, { signers: [{ identity: viaTls }], certificates: [viaTls.certificate, pki.tlsCa.certificate] }), expected: { verdict: 'invalid', reasons: ['UNTRUSTED'] } },
    { name: 'baseline: chain to the configured anchor', sec: 'SEC-11', eml: validDetached(pki), expected: { verdict: 'valid', reasons: [] } },
  ];
}

/** SEC-12: the signed-attributes matrix (a–g). */
export function sec12Fixtures(pki: TestPki): SignedFixture[] {
  const alice = pki.users.alice.rsa;
  const entity = textEntity(SIGNED_TEXT);
  const sha256 = createHash('sha256').update(entity).digest();
  const with_ = (attributes: SignerSpec['attributes'], extra: Partial<CmsSpec> = {}): Uint8Array => detachedWith(pki, { signers: [{ identity: alice, attributes }], ...extra });
  return [
    { name: '(a) signedAttrs absent', sec: 'SEC-12', eml: with_(null), expected: { verdict: 'invalid', reasons: ['SIGNED_ATTRS_MISSING'] } },
    { name: '(b) content-type id-signedData, eContentType id-data', sec: 'SEC-12', eml: with_((d) => [encodeAttribute(OID.contentType, [derOid(OID.signedData)]), d.messageDigest, d.signingTime!]), expected: { verdict: 'invalid', reasons: ['SIGNED_ATTRS_CONTENT_TYPE'] } },
    { name: '(c) two content-type attributes', sec: 'SEC-12', eml: with_((d) => [d.contentType, d.contentType, d.messageDigest]), expected: { verdict: 'invalid', reasons: ['SIGNED_ATTRS_DUPLICATE'] } },
    { name: '(c2) content-type missing', sec: 'SEC-12', eml: with_((d) => [d.messageDigest, d.signingTime!]), expected: { verdict: 'invalid', reasons: ['SIGNED_ATTRS_CONTENT_TYPE'] } },
    { name: '(d) message-digest with two values', sec: 'SEC-12', eml: with_((d) => [d.contentType, encodeAttribute(OID.messageDigest, [derOctetString(sha256), derOctetString(new Uint8Array(32))])]), expected: { verdict: 'invalid', reasons: ['SIGNED_ATTRS_MESSAGE_DIGEST'] } },
    { name: '(d2) message-digest missing', sec: 'SEC-12', eml: with_((d) => [d.contentType, d.signingTime!]), expected: { verdict: 'invalid', reasons: ['SIGNED_ATTRS_MESSAGE_DIGEST'] } },
    { name: '(e) message-digest of the wrong length (SHA-1 size under SHA-256)', sec: 'SEC-12', eml: with_((d) => [d.contentType, encodeAttribute(OID.messageDigest, [derOctetString(sha256.subarray(0, 20))])]), expected: { verdict: 'invalid', reasons: ['SIGNED_ATTRS_MESSAGE_DIGEST'] } },
    { name: '(f) eContentType id-signedData with a matching content-type', sec: 'SEC-12', eml: detachedWith(pki, { eContentType: OID.signedData, signers: [{ identity: alice }] }), expected: { verdict: 'invalid', reasons: ['UNEXPECTED_CONTENT_TYPE'] } },
    { name: '(g) signedAttrs BER (unsorted, long-form length), signature over the received bytes: verified as received', sec: 'SEC-12', eml: detachedWith(pki, { signers: [{ identity: alice, berAttributes: true }] }), expected: { verdict: 'valid', reasons: [] } },
    { name: 'two signing-time attributes', sec: 'SEC-12', eml: with_((d) => [d.contentType, d.messageDigest, d.signingTime!, encodeAttribute(OID.signingTime, [derTime(new Date('2026-05-30T00:00:00Z'))])]), expected: { verdict: 'invalid', reasons: ['SIGNED_ATTRS_DUPLICATE'] } },
    { name: 'baseline: Thunderbird-style detached SHA-256', sec: 'SEC-12', eml: validDetached(pki), expected: { verdict: 'valid', reasons: [] } },
  ];
}

/** SEC-13: MIME wrapping and partial signatures (M1–M4, mailing-list footer). */
export function sec13Fixtures(pki: TestPki): SignedFixture[] {
  const entity = textEntity(SIGNED_TEXT);
  const signedPart = multipartSignedEntity(entity, buildSignedCms({ content: entity, detached: true, signers: [{ identity: pki.users.alice.rsa }] }, pki), { boundary: 'inner-boundary' });
  const unsigned = textEntity(`${UNSIGNED_TEXT}${'\n'.repeat(60)}`);
  const attachment = Buffer.concat([crlf('Content-Disposition: attachment; filename="signed.eml"\n'), signedPart]);
  const html = crlf(`Content-Type: text/html; charset=utf-8\n\n<p>${UNSIGNED_TEXT}</p><div style="display:none">\n`);
  const related = crlf(`Content-Type: text/html; charset=utf-8\n\n<p>${UNSIGNED_TEXT}</p><iframe src="cid:signed@example.com"></iframe>\n`);
  const cidSigned = Buffer.concat([crlf('Content-ID: <signed@example.com>\n'), signedPart]);
  const partial = { verdict: 'warning' as const, reasons: ['PARTIAL'], coversWholeMessage: false };
  return [
    { name: 'M1: unsigned text first, signed part after many newlines', sec: 'SEC-13', eml: message(multipartEntity('mixed', [unsigned, signedPart])), expected: partial },
    { name: 'M2: signed part after an HTML part that hides it', sec: 'SEC-13', eml: message(multipartEntity('mixed', [html, signedPart])), expected: partial },
    { name: 'M3: multipart/related with a cid: reference to the signed part', sec: 'SEC-13', eml: message(multipartEntity('related', [related, cidSigned], 'outer-boundary', '; type="text/html"')), expected: partial },
    { name: 'M4: signed part as an attachment', sec: 'SEC-13', eml: message(multipartEntity('mixed', [textEntity(UNSIGNED_TEXT), attachment])), expected: partial },
    { name: 'mailing-list footer after a valid signed part', sec: 'SEC-13', eml: message(multipartEntity('mixed', [signedPart, textEntity('-- \nlist footer')])), expected: partial },
    { name: 'signed part inside message/rfc822 is not the message signature', sec: 'SEC-13 SEC-03', eml: message(multipartEntity('mixed', [textEntity(UNSIGNED_TEXT), Buffer.concat([crlf('Content-Type: message/rfc822\n\n'), validDetached(pki)])])), expected: { verdict: 'none', reasons: ['NOT_SIGNED'], coversWholeMessage: false } },
    { name: 'baseline: signature at the root covers the whole message', sec: 'SEC-13', eml: validDetached(pki), expected: { verdict: 'valid', reasons: [], coversWholeMessage: true } },
  ];
}

/** SEC-14: signer bound to From (I1–I3). The signer is eve@example.com. */
export function sec14Fixtures(pki: TestPki): SignedFixture[] {
  const eve = pki.users.eve.rsa;
  const signed = (from: string | string[] | null, sender?: string): Uint8Array => validDetached(pki, { signer: eve, headers: headersWith({ from, sender }) });
  const ambiguous = { verdict: 'invalid' as const, reasons: ['FROM_AMBIGUOUS'] };
  return [
    { name: 'I1: From manager@, signed by eve@', sec: 'SEC-14', eml: signed('manager@example.com'), expected: { verdict: 'invalid', reasons: ['FROM_MISMATCH'] } },
    { name: 'I2: display name "manager@example.com" around eve@', sec: 'SEC-14', eml: signed('"manager@example.com" <eve@example.com>'), expected: { verdict: 'valid', reasons: [] } },
    // The angle address is the address (the UI shows it, SEC-14 I2), so only eve@ can make this valid.
    { name: 'I2: unquoted display name manager@corp around eve@', sec: 'SEC-14', eml: signed('manager@corp <eve@example.com>'), expected: { verdict: 'valid', reasons: [] } },
    { name: 'I2: unquoted display name eve@ around manager@', sec: 'SEC-14', eml: signed('eve@example.com <manager@example.com>'), expected: { verdict: 'invalid', reasons: ['FROM_MISMATCH'] } },
    { name: 'I2: display name padded with whitespace', sec: 'SEC-14', eml: signed('"Manager                              " <eve@example.com>'), expected: { verdict: 'valid', reasons: [] } },
    { name: 'I2: plain eve@ with display name Manager', sec: 'SEC-14', eml: signed('Manager <eve@example.com>'), expected: { verdict: 'valid', reasons: [] } },
    { name: 'I2: display name is manager@, addr-spec manager@ (encoded word holds eve@)', sec: 'SEC-14', eml: signed('=?utf-8?b?ZXZlQGV4YW1wbGUuY29t?= <manager@example.com>'), expected: { verdict: 'invalid', reasons: ['FROM_MISMATCH'] } },
    { name: 'I3: two From headers, eve@ first', sec: 'SEC-14', eml: signed(['eve@example.com', 'manager@example.com']), expected: ambiguous },
    { name: 'I3: two From headers, manager@ first', sec: 'SEC-14', eml: signed(['manager@example.com', 'eve@example.com']), expected: ambiguous },
    { name: 'I3: Sender manager@, From eve@ (Sender ignored)', sec: 'SEC-14', eml: signed('eve@example.com', 'manager@example.com'), expected: { verdict: 'valid', reasons: [] } },
    { name: 'I3: Sender eve@, From manager@ (Sender ignored)', sec: 'SEC-14', eml: signed('manager@example.com', 'eve@example.com'), expected: { verdict: 'invalid', reasons: ['FROM_MISMATCH'] } },
    { name: 'I3: empty From', sec: 'SEC-14', eml: signed(''), expected: ambiguous },
    { name: 'I3: From missing', sec: 'SEC-14', eml: signed(null), expected: ambiguous },
    { name: 'I3: From group syntax', sec: 'SEC-14', eml: signed('Team: eve@example.com;'), expected: ambiguous },
    { name: 'I3: From with two mailboxes', sec: 'SEC-14', eml: signed('eve@example.com, manager@example.com'), expected: ambiguous },
    { name: 'case-insensitive domain: EVE@EXAMPLE.COM', sec: 'SEC-14', eml: signed('eve@EXAMPLE.COM'), expected: { verdict: 'valid', reasons: [] } },
    { name: 'suffix trick: eve@example.com.evil.test', sec: 'SEC-14', eml: signed('eve@example.com.evil.test'), expected: { verdict: 'invalid', reasons: ['FROM_MISMATCH'] } },
  ];
}

/** SEC-14 with internationalised addresses (RFC 8398 SmtpUTF8Mailbox, RFC 6532 UTF-8 headers). */
export async function sec14InternationalFixtures(pki: TestPki): Promise<SignedFixture[]> {
  const utf8Address = 'δοκιμή@παράδειγμα.δοκιμή';
  const signer = await pki.issue({ issuer: pki.emailCa, subject: 'CN=Dokimi', utf8Emails: [utf8Address] });
  const cnOnly = await pki.issue({ issuer: pki.emailCa, subject: 'CN=alice@example.com' });
  return [
    { name: 'SmtpUTF8Mailbox certificate, UTF-8 From with the same address', sec: 'SEC-14 SEC-27', eml: validDetached(pki, { signer, headers: headersWith({ from: `Dokimi <${utf8Address}>` }) }), expected: { verdict: 'valid', reasons: [] } },
    { name: 'SmtpUTF8Mailbox certificate, another UTF-8 From', sec: 'SEC-14 SEC-27', eml: validDetached(pki, { signer, headers: headersWith({ from: 'άλλος@παράδειγμα.δοκιμή' }) }), expected: { verdict: 'invalid', reasons: ['FROM_MISMATCH'] } },
    { name: 'address only in the CN is no address: never valid', sec: 'SEC-14 SEC-27', eml: validDetached(pki, { signer: cnOnly }), expected: { verdict: 'warning', reasons: ['NO_ADDRESS_IN_CERT'] } },
  ];
}

/** SEC-16: nested signatures. Expectations, written before the implementation. */
export function sec16Fixtures(pki: TestPki): SignedFixture[] {
  const alice = pki.users.alice.rsa;
  const dave = pki.users.dave.rsa;
  const innerEntity = textEntity(SIGNED_TEXT);
  const innerSigned = multipartSignedEntity(innerEntity, buildSignedCms({ content: innerEntity, detached: true, signers: [{ identity: alice }] }, pki), { boundary: 'inner-boundary' });
  const outerBy = (identity: TestIdentity, inner: Uint8Array) => multipartSignedEntity(inner, buildSignedCms({ content: inner, detached: true, signers: [{ identity }] }, pki));
  const badInner = multipartSignedEntity(innerEntity, buildSignedCms({ content: innerEntity, detached: true, signers: [{ identity: alice, corruptSignature: true }] }, pki), { boundary: 'inner-boundary' });
  const opaqueInner = opaqueSignedEntity(buildSignedCms({ content: innerEntity, detached: false, signers: [{ identity: alice }] }, pki));
  return [
    // Table (SEC-16): innermost layer of the cryptographic envelope counts; an outer signature adds NESTED.
    { name: 'Alice signs, Alice signs again: inner valid, outer valid → warning NESTED', sec: 'SEC-16', eml: message(outerBy(alice, innerSigned)), expected: { verdict: 'warning', reasons: ['NESTED'], text: SIGNED_TEXT } },
    { name: 'Alice signs, Dave signs over it (From Alice) → warning NESTED', sec: 'SEC-16', eml: message(outerBy(dave, innerSigned)), expected: { verdict: 'warning', reasons: ['NESTED'] } },
    { name: 'inner signature broken, outer valid → invalid', sec: 'SEC-16', eml: message(outerBy(alice, badInner)), expected: { verdict: 'invalid', reasons: ['BAD_SIGNATURE'] } },
    { name: 'opaque inside detached → warning NESTED, text from the inner eContent', sec: 'SEC-16', eml: message(outerBy(alice, opaqueInner)), expected: { verdict: 'warning', reasons: ['NESTED'], text: SIGNED_TEXT } },
    { name: 'outer signature broken, inner valid → invalid', sec: 'SEC-16', eml: message(multipartSignedEntity(innerSigned, buildSignedCms({ content: innerSigned, detached: true, signers: [{ identity: alice, corruptSignature: true }] }, pki))), expected: { verdict: 'invalid', reasons: ['BAD_SIGNATURE'] } },
  ];
}

/** SEC-17: algorithms and key sizes. */
export async function sec17Fixtures(pki: TestPki): Promise<SignedFixture[]> {
  const alice = pki.users.alice.rsa;
  const rsa1024 = await pki.issue({ issuer: pki.emailCa, subject: 'CN=Alice 1024', emails: ['alice@example.com'], keyAlgorithm: 'RSA-1024' });
  const sha1Ca = await pki.issue({ issuer: pki.root, subject: 'CN=SHA-1 Email CA', ca: { pathLength: 0 }, eku: ['emailProtection'], hash: 'SHA-1' });
  const viaSha1Ca = await pki.issue({ issuer: sha1Ca, subject: 'CN=Alice under SHA-1 CA', emails: ['alice@example.com'] });
  const pss = await pki.issue({ issuer: pki.emailCa, subject: 'CN=Alice PSS', emails: ['alice@example.com'], keyAlgorithm: 'RSA-PSS-2048' });
  const ec384 = await pki.issue({ issuer: pki.emailCa, subject: 'CN=Alice P-384', emails: ['alice@example.com'], keyAlgorithm: 'P-384' });
  const ed = await pki.issue({ issuer: pki.emailCa, subject: 'CN=Alice Ed25519', emails: ['alice@example.com'], keyAlgorithm: 'Ed25519' });
  const one = (signer: SignerSpec, certificates?: Uint8Array[]) => detachedWith(pki, { signers: [signer], ...(certificates ? { certificates } : {}) });
  return [
    { name: '(a) SHA-1 signature', sec: 'SEC-17', eml: one({ identity: alice, digest: 'SHA-1' }), expected: { verdict: 'invalid', reasons: ['WEAK_HASH'] } },
    { name: '(b) MD5 signature', sec: 'SEC-17', eml: one({ identity: alice, digest: 'MD5' }), expected: { verdict: 'invalid', reasons: ['WEAK_HASH'] } },
    { name: '(c) digestAlgorithm SHA-256 with sha1WithRSAEncryption', sec: 'SEC-17', eml: one({ identity: alice, signatureAlgorithm: derAlgorithmIdentifier(OID.sha1WithRSAEncryption, derNull()) }), expected: { verdict: 'invalid', reasons: ['ALG_MISMATCH'] } },
    { name: '(c2) digestAlgorithm SHA-256 with ecdsa-with-SHA384 on an RSA key', sec: 'SEC-17', eml: one({ identity: alice, signatureAlgorithm: derAlgorithmIdentifier(OID.ecdsaWithSha384) }), expected: { verdict: 'invalid', reasons: ['ALG_MISMATCH'] } },
    { name: '(d) 1024-bit RSA signer', sec: 'SEC-17', eml: one({ identity: rsa1024 }), expected: { verdict: 'invalid', reasons: ['WEAK_KEY'] } },
    { name: '(e) intermediate signed with SHA-1', sec: 'SEC-17', eml: one({ identity: viaSha1Ca }, [viaSha1Ca.certificate, sha1Ca.certificate]), expected: { verdict: 'invalid', reasons: ['UNTRUSTED'] } },
    { name: '(g) RSASSA-PSS with SHA-256', sec: 'SEC-17', eml: one({ identity: pss }), expected: { verdict: 'valid', reasons: [] } },
    { name: 'ECDSA P-384 with SHA-384', sec: 'SEC-17', eml: one({ identity: ec384, digest: 'SHA-384' }), expected: { verdict: 'valid', reasons: [] } },
    { name: 'Ed25519 with SHA-512 (RFC 8419)', sec: 'SEC-17', eml: one({ identity: ed, digest: 'SHA-512' }), expected: { verdict: 'valid', reasons: [] } },
    { name: 'Ed25519 with SHA-256 digest (RFC 8419 §3 requires SHA-512)', sec: 'SEC-17', eml: one({ identity: ed, digest: 'SHA-256' }), expected: { verdict: 'invalid', reasons: ['ALG_MISMATCH'] } },
  ];
}

/** SEC-18: signing-time. `now` is TEST_NOW (2026-06-01T00:00:00Z); Date headers are set per case. */
export async function sec18Fixtures(pki: TestPki): Promise<SignedFixture[]> {
  const alice = pki.users.alice.rsa;
  const shortLived = await pki.issue({ issuer: pki.emailCa, subject: 'CN=Alice short-lived', emails: ['alice@example.com'], notBefore: new Date('2026-01-01T00:00:00Z'), notAfter: new Date('2027-01-01T00:00:00Z') });
  const expired = await pki.issue({ issuer: pki.emailCa, subject: 'CN=Alice expired', emails: ['alice@example.com'], notBefore: new Date('2025-01-01T00:00:00Z'), notAfter: new Date('2026-03-01T00:00:00Z') });
  const at = (signingTime: Date | null, date = 'Sun, 31 May 2026 12:00:00 +0000', identity = alice) =>
    detachedWith(pki, { signers: [{ identity, signingTime }] }, headersWith({ date }));
  return [
    { name: '(a) signing-time 10 minutes after now', sec: 'SEC-18', eml: at(new Date('2026-06-01T00:10:00Z')), expected: { verdict: 'invalid', reasons: ['FUTURE_SIGNING_TIME'] } },
    { name: '(a2) signing-time 4 minutes after now (within skew)', sec: 'SEC-18', eml: at(new Date('2026-06-01T00:04:00Z')), expected: { verdict: 'valid', reasons: [] } },
    { name: '(b) signing-time 30 days before the Date header', sec: 'SEC-18', eml: at(new Date('2026-05-01T12:00:00Z')), expected: { verdict: 'warning', reasons: ['OLD_SIGNATURE'] } },
    { name: '(c) signing-time missing', sec: 'SEC-18', eml: at(null), expected: { verdict: 'valid', reasons: [] } },
    { name: '(d) signing-time before the certificate\'s notBefore', sec: 'SEC-18', eml: at(new Date('2025-12-01T00:00:00Z'), 'Mon, 1 Dec 2025 00:00:00 +0000', shortLived), expected: { verdict: 'invalid', reasons: ['SIGNING_TIME_OUTSIDE_VALIDITY'] } },
    { name: '(d2) certificate expired since signing (signed within validity)', sec: 'SEC-18 SEC-28', eml: at(new Date('2026-02-01T00:00:00Z'), 'Sun, 1 Feb 2026 00:00:00 +0000', expired), expected: { verdict: 'warning', reasons: ['EXPIRED_SINCE_SIGNING'] } },
    { name: '(d3) signing-time after the certificate expired', sec: 'SEC-18 SEC-28', eml: at(new Date('2026-05-31T00:00:00Z'), 'Sun, 31 May 2026 00:00:00 +0000', expired), expected: { verdict: 'invalid', reasons: ['SIGNING_TIME_OUTSIDE_VALIDITY'] } },
    { name: '(e) GeneralizedTime signing-time in 2050 is in the future', sec: 'SEC-18', eml: at(new Date('2050-01-01T00:00:00Z')), expected: { verdict: 'invalid', reasons: ['FUTURE_SIGNING_TIME'] } },
  ];
}
