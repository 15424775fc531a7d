/**
 * Signed attributes of a SignerInfo: the ones we write (RFC 5652 §11, RFC 8551 §2.5) and the rules a
 * received set must meet (RFC 5652 §5.3, §5.4, §11; SEC-12).
 */
import * as asn1js from 'asn1js';
import { SmimeError } from '../errors.js';
import { OID } from '../oids.js';
import type { Check } from '../types.js';
import { derAlgorithmIdentifier, derContext, derOctetString, derOid, derSequence, derSetOf, derTime } from './der.js';
import { DIGEST_LENGTH, type DigestName } from './signature-algorithms.js';
import { parseBer } from '../asn1.js';
import { DEFAULT_LIMITS, type ParserLimits } from '../policy.js';

/**
 * Content-encryption algorithms we announce, most preferred first (RFC 8551 §2.5.2: "the order of the
 * capabilities is the order of preference"). AES-GCM first because it authenticates (SEC-05, SEC-06).
 */
export const DEFAULT_SMIME_CAPABILITIES: readonly string[] = Object.freeze([
  OID.aes256Gcm,
  OID.aes128Gcm,
  OID.aes256Cbc,
  OID.aes128Cbc,
  OID.rsaesOaep,
]);

export interface SignedAttributesInput {
  /** Digest of the content, already computed with the SignerInfo's digest algorithm. */
  messageDigest: Uint8Array;
  /** Omitted when null (RFC 5652 §11.3 makes it optional). */
  signingTime: Date | null;
  /** Capability OIDs in preference order; empty omits the attribute. */
  capabilities: readonly string[];
  /** DER certificate whose key should be used to encrypt to us (RFC 8551 §2.5.3), or null. */
  encryptionKeyPreference: Uint8Array | null;
}

/**
 * Encodes signedAttrs as the DER `SET OF Attribute` that is signed (RFC 5652 §5.4). The SignerInfo
 * carries the same bytes with the first octet changed to the `[0] IMPLICIT` tag (0xA0).
 */
export function encodeSignedAttributes(input: SignedAttributesInput, limits: ParserLimits = DEFAULT_LIMITS): Uint8Array {
  const attributes: Uint8Array[] = [
    attribute(OID.contentType, derOid(OID.data)),
    attribute(OID.messageDigest, derOctetString(input.messageDigest)),
  ];
  if (input.signingTime) attributes.push(attribute(OID.signingTime, derTime(input.signingTime)));
  if (input.capabilities.length > 0) {
    attributes.push(attribute(OID.smimeCapabilities, derSequence(...input.capabilities.map(encodeCapability))));
  }
  if (input.encryptionKeyPreference) {
    // SMIMEEncryptionKeyPreference ::= CHOICE { issuerAndSerialNumber [0] IssuerAndSerialNumber, ... }
    // in a module with IMPLICIT TAGS (RFC 8551 Appendix A): the SEQUENCE tag becomes [0] constructed.
    const { issuer, serialNumber } = issuerAndSerialOf(input.encryptionKeyPreference, limits);
    attributes.push(attribute(OID.smimeEncryptionKeyPreference, derContext(0, issuer, serialNumber)));
  }
  return derSetOf(attributes);
}

function attribute(type: string, value: Uint8Array): Uint8Array {
  return derSequence(derOid(type), derSetOf([value]));
}

function encodeCapability(oid: string): Uint8Array {
  if (oid === OID.rsaesOaep) {
    // RSAES-OAEP with SHA-256 and MGF1-SHA-256 (RFC 4055 §4.1; RFC 8551 §2.7.1 lists OAEP as SHOULD+).
    const sha256 = derAlgorithmIdentifier(OID.sha256);
    return derSequence(derOid(oid), derSequence(derContext(0, sha256), derContext(1, derAlgorithmIdentifier(OID.mgf1, sha256))));
  }
  return derSequence(derOid(oid));
}

/**
 * The exact issuer Name and serialNumber encodings of a certificate, for IssuerAndSerialNumber
 * (RFC 5652 §10.2.4): copied byte for byte so receivers match them.
 * @throws SmimeError `MALFORMED_CERTIFICATE`
 */
export function issuerAndSerialOf(certificateDer: Uint8Array, limits: ParserLimits = DEFAULT_LIMITS): { issuer: Uint8Array; serialNumber: Uint8Array } {
  const tbs = tbsFields(certificateDer, limits);
  return { issuer: tbs.issuer, serialNumber: tbs.serialNumber };
}

function tbsFields(certificateDer: Uint8Array, limits: ParserLimits): { issuer: Uint8Array; serialNumber: Uint8Array } {
  const root = parseBer(certificateDer, limits, 'certificate');
  const tbs = root instanceof asn1js.Sequence ? root.valueBlock.value[0] : undefined;
  if (!(tbs instanceof asn1js.Sequence)) throw new SmimeError('MALFORMED_CERTIFICATE', 'certificate has no TBSCertificate');
  const fields = tbs.valueBlock.value;
  const offset = fields[0]?.idBlock.tagClass === 3 ? 1 : 0;
  const serial = fields[offset];
  const issuer = fields[offset + 2];
  if (!(serial instanceof asn1js.Integer) || !(issuer instanceof asn1js.Sequence)) {
    throw new SmimeError('MALFORMED_CERTIFICATE', 'certificate has no serialNumber or issuer');
  }
  return { serialNumber: new Uint8Array(serial.valueBeforeDecodeView), issuer: new Uint8Array(issuer.valueBeforeDecodeView) };
}

/** What the signed attributes of a received SignerInfo say, after the rules of SEC-12. */
export interface SignedAttributesAssessment {
  checks: Check[];
  messageDigest: Uint8Array | null;
  signingTime: Date | null;
}

/**
 * Applies RFC 5652 §5.3/§11 to received signedAttrs (SEC-12 b–f): exactly one content-type with one
 * value equal to eContentType, which must be id-data for mail; exactly one message-digest with one value
 * of the digest's length; at most one signing-time with one value.
 * Failing checks carry the reason codes `SIGNED_ATTRS_CONTENT_TYPE`, `SIGNED_ATTRS_MESSAGE_DIGEST`,
 * `SIGNED_ATTRS_SIGNING_TIME`, `SIGNED_ATTRS_DUPLICATE`, `UNEXPECTED_CONTENT_TYPE`.
 */
export function assessSignedAttributes(attributes: readonly { type: string; values: readonly unknown[] }[], eContentType: string, digest: DigestName | null): SignedAttributesAssessment {
  const checks: Check[] = [];
  const byType = new Map<string, { type: string; values: readonly unknown[] }[]>();
  for (const attr of attributes) {
    const list = byType.get(attr.type) ?? [];
    list.push(attr);
    byType.set(attr.type, list);
  }
  const duplicates = [...byType.entries()].filter(([, list]) => list.length > 1).map(([type]) => type);
  // RFC 5652 §11: content-type, message-digest and signing-time "MUST NOT" appear more than once; for other
  // attributes a repeat is equally suspicious in mail, so any repeat fails.
  checks.push(duplicates.length === 0
    ? { code: 'SIGNED_ATTRS_DUPLICATE', ok: true }
    : { code: 'SIGNED_ATTRS_DUPLICATE', ok: false, detail: `attribute(s) ${duplicates.join(', ')} appear more than once` });

  const contentTypes = byType.get(OID.contentType) ?? [];
  const contentTypeValue = contentTypes.length === 1 && contentTypes[0]!.values.length === 1 ? contentTypes[0]!.values[0] : undefined;
  if (!(contentTypeValue instanceof asn1js.ObjectIdentifier)) {
    checks.push({ code: 'SIGNED_ATTRS_CONTENT_TYPE', ok: false, detail: 'content-type attribute must be present once with one OID value' });
  } else if (contentTypeValue.valueBlock.toString() !== eContentType) {
    checks.push({ code: 'SIGNED_ATTRS_CONTENT_TYPE', ok: false, detail: `content-type ${contentTypeValue.valueBlock.toString()} differs from eContentType ${eContentType}` });
  } else {
    checks.push({ code: 'SIGNED_ATTRS_CONTENT_TYPE', ok: true });
  }
  checks.push(eContentType === OID.data
    ? { code: 'UNEXPECTED_CONTENT_TYPE', ok: true }
    : { code: 'UNEXPECTED_CONTENT_TYPE', ok: false, detail: `eContentType ${eContentType} is not id-data` });

  let messageDigest: Uint8Array | null = null;
  const digests = byType.get(OID.messageDigest) ?? [];
  const digestValue = digests.length === 1 && digests[0]!.values.length === 1 ? digests[0]!.values[0] : undefined;
  if (!(digestValue instanceof asn1js.OctetString) || digestValue.idBlock.isConstructed) {
    checks.push({ code: 'SIGNED_ATTRS_MESSAGE_DIGEST', ok: false, detail: 'message-digest attribute must be present once with one OCTET STRING value' });
  } else {
    messageDigest = digestValue.valueBlock.valueHexView;
    const expected = digest ? DIGEST_LENGTH[digest] : null;
    checks.push(expected === null || messageDigest.length === expected
      ? { code: 'SIGNED_ATTRS_MESSAGE_DIGEST', ok: true }
      : { code: 'SIGNED_ATTRS_MESSAGE_DIGEST', ok: false, detail: `message-digest is ${messageDigest.length} bytes; ${digest} gives ${expected}` });
  }

  let signingTime: Date | null = null;
  const times = byType.get(OID.signingTime) ?? [];
  if (times.length > 0) {
    const value = times.length === 1 && times[0]!.values.length === 1 ? times[0]!.values[0] : undefined;
    signingTime = value ? decodeTime(value) : null;
    checks.push(signingTime
      ? { code: 'SIGNED_ATTRS_SIGNING_TIME', ok: true }
      : { code: 'SIGNED_ATTRS_SIGNING_TIME', ok: false, detail: 'signing-time must have one UTCTime or GeneralizedTime value' });
  }
  return { checks, messageDigest, signingTime };
}

/**
 * UTCTime (years 1950–2049, RFC 5280 §4.1.2.5.1) or GeneralizedTime, as a Date; null when malformed.
 * Parsed by hand from the received characters so the 2050 pivot is explicit (SEC-18e).
 */
export function decodeTime(value: unknown): Date | null {
  if (!(value instanceof asn1js.UTCTime) && !(value instanceof asn1js.GeneralizedTime)) return null;
  // asn1js's GeneralizedTime is a subclass of UTCTime, so test for it first.
  const generalized = value instanceof asn1js.GeneralizedTime;
  const text = String.fromCharCode(...value.valueBlock.valueHexView);
  const match = generalized
    ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.\d+)?Z$/.exec(text)
    : /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!match) return null;
  let year = Number(match[1]);
  if (!generalized) year += year >= 50 ? 1900 : 2000;
  const [month, day, hour, minute, second] = match.slice(2, 7).map(Number) as [number, number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return null;
  return date;
}
