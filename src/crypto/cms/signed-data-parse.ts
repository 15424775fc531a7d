/**
 * A direct reading of ContentInfo(SignedData) from the asn1js tree (RFC 5652 §3, §5.1-§5.3), keeping the
 * exact received bytes of everything that is signed or compared. PKI.js builds and matches a schema
 * template for every object it parses, which cost most of the verification time of a small message
 * (docs/performance.md, G5); certificates are still parsed by PKI.js.
 *
 * ContentInfo ::= SEQUENCE { contentType OID, content [0] EXPLICIT ANY }
 * SignedData ::= SEQUENCE { version CMSVersion, digestAlgorithms SET OF AlgorithmIdentifier,
 *   encapContentInfo EncapsulatedContentInfo, certificates [0] IMPLICIT CertificateSet OPTIONAL,
 *   crls [1] IMPLICIT RevocationInfoChoices OPTIONAL, signerInfos SET OF SignerInfo }
 * SignerInfo ::= SEQUENCE { version CMSVersion, sid SignerIdentifier, digestAlgorithm, signedAttrs [0]
 *   IMPLICIT SignedAttributes OPTIONAL, signatureAlgorithm, signature OCTET STRING, unsignedAttrs [1] OPTIONAL }
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { parseBer } from '../asn1.js';
import { concatBytes, toBinaryString } from '../bytes.js';
import { LimitError, SmimeError } from '../errors.js';
import { OID, describeOid } from '../oids.js';
import type { Policy } from '../policy.js';

export interface ParsedAlgorithm {
  algorithmId: string;
  /** The parameters as parsed, or undefined when absent. */
  algorithmParams: asn1js.AsnType | undefined;
}

export interface ParsedAttribute {
  type: string;
  values: asn1js.AsnType[];
}

export type ParsedSignerIdentifier =
  | { kind: 'issuerAndSerialNumber'; issuer: Uint8Array; serialNumber: Uint8Array }
  | { kind: 'subjectKeyIdentifier'; keyIdentifier: Uint8Array };

export interface ParsedSignerInfo {
  version: number;
  sid: ParsedSignerIdentifier;
  digestAlgorithm: ParsedAlgorithm;
  /** signedAttrs: the exact received encoding re-tagged as SET (what is signed, RFC 5652 §5.4), and the attributes. */
  signedAttrs: { encodedValue: Uint8Array; attributes: ParsedAttribute[] } | null;
  signatureAlgorithm: ParsedAlgorithm;
  signature: Uint8Array;
}

export interface ParsedSignedData {
  signedData: {
    version: number;
    encapContentInfo: { eContentType: string };
    signerInfos: ParsedSignerInfo[];
  };
  /** X.509 certificates with their exact received DER (other CertificateChoices are ignored, RFC 5652 §10.2.2). */
  certificates: { der: Uint8Array; certificate: pkijs.Certificate }[];
  /** eContent bytes (segments of a constructed OCTET STRING joined), or null when absent. */
  eContent: Uint8Array | null;
}

function malformed(what: string): SmimeError {
  return new SmimeError('MALFORMED_CMS', `CMS SignedData: ${what}`);
}

const isContext = (node: asn1js.AsnType | undefined, tagNumber: number): node is asn1js.Constructed | asn1js.Primitive =>
  node !== undefined && node.idBlock.tagClass === 3 && node.idBlock.tagNumber === tagNumber;

function children(node: asn1js.AsnType, what: string): asn1js.AsnType[] {
  if (!(node instanceof asn1js.Constructed)) throw malformed(`${what} is not constructed`);
  return node.valueBlock.value;
}

function sequence(node: asn1js.AsnType | undefined, what: string): asn1js.AsnType[] {
  if (!(node instanceof asn1js.Sequence)) throw malformed(`${what} is not a SEQUENCE`);
  return node.valueBlock.value;
}

function oid(node: asn1js.AsnType | undefined, what: string): string {
  if (!(node instanceof asn1js.ObjectIdentifier)) throw malformed(`${what} is not an OBJECT IDENTIFIER`);
  return node.valueBlock.toString();
}

function smallInteger(node: asn1js.AsnType | undefined, what: string): number {
  if (!(node instanceof asn1js.Integer) || node.valueBlock.valueHexView.length > 4) throw malformed(`${what} is not a small INTEGER`);
  return node.valueBlock.valueDec;
}

function algorithm(node: asn1js.AsnType | undefined, what: string): ParsedAlgorithm {
  const fields = sequence(node, what);
  if (fields.length < 1 || fields.length > 2) throw malformed(`${what} has ${fields.length} fields`);
  return { algorithmId: oid(fields[0], `${what} algorithm`), algorithmParams: fields[1] };
}

function exact(node: asn1js.AsnType): Uint8Array {
  return new Uint8Array(node.valueBeforeDecodeView);
}

/**
 * Parses a DER/BER ContentInfo that must hold SignedData.
 * @throws SmimeError `MALFORMED_CMS`, `MALFORMED_ASN1`; LimitError `LIMIT_EXCEEDED` (ASN.1 limits, more
 *   than `maxCmsCertificates` certificates, a certificate over `maxCertificateBytes`).
 */
export function parseSignedData(der: Uint8Array, policy: Policy): ParsedSignedData {
  const contentInfo = sequence(parseBer(der, policy.limits, 'CMS signature'), 'ContentInfo');
  const contentType = oid(contentInfo[0], 'contentType');
  if (contentType !== OID.signedData) {
    throw new SmimeError('MALFORMED_CMS', `CMS content type is ${describeOid(contentType)}, not signedData`);
  }
  if (contentInfo.length !== 2 || !isContext(contentInfo[1], 0)) throw malformed('content is not [0] EXPLICIT');
  const explicit = children(contentInfo[1], 'content');
  if (explicit.length !== 1) throw malformed('content holds more than one value');
  const fields = sequence(explicit[0], 'SignedData');
  if (fields.length < 4 || fields.length > 6) throw malformed(`SignedData has ${fields.length} fields`);
  const version = smallInteger(fields[0], 'version');
  if (!(fields[1] instanceof asn1js.Set)) throw malformed('digestAlgorithms is not a SET');
  for (const [i, digest] of fields[1].valueBlock.value.entries()) algorithm(digest, `digestAlgorithms[${i}]`);

  const encap = sequence(fields[2], 'encapContentInfo');
  if (encap.length < 1 || encap.length > 2) throw malformed('encapContentInfo has the wrong number of fields');
  const eContentType = oid(encap[0], 'eContentType');
  let eContent: Uint8Array | null = null;
  if (encap.length === 2) {
    if (!isContext(encap[1], 0)) throw malformed('eContent is not [0] EXPLICIT');
    const wrapped = children(encap[1], 'eContent');
    if (wrapped.length !== 1) throw malformed('eContent holds more than one value');
    eContent = octetStringContent(wrapped[0]!);
  }

  let index = 3;
  let certificates: ParsedSignedData['certificates'] = [];
  if (isContext(fields[index], 0)) certificates = receivedCertificates(fields[index++]!, policy);
  if (isContext(fields[index], 1)) index++; // crls: revocation data is taken from the caller, not the message
  if (index !== fields.length - 1 || !(fields[index] instanceof asn1js.Set)) throw malformed('signerInfos is missing or misplaced');
  const signerInfos = (fields[index] as asn1js.Set).valueBlock.value.map((node, i) => signerInfo(node, `signerInfos[${i}]`));
  return { signedData: { version, encapContentInfo: { eContentType }, signerInfos }, certificates, eContent };
}

/** OCTET STRING content, joining the segments of a constructed (BER, e.g. `openssl cms -stream`) one. */
function octetStringContent(node: asn1js.AsnType): Uint8Array {
  if (node.idBlock.tagClass !== 1 || node.idBlock.tagNumber !== 4) throw malformed('eContent is not an OCTET STRING');
  if (!node.idBlock.isConstructed) return (node as asn1js.OctetString).valueBlock.valueHexView;
  const pieces: Uint8Array[] = [];
  const collect = (piece: asn1js.AsnType): void => {
    if (piece.idBlock.tagClass !== 1 || piece.idBlock.tagNumber !== 4) throw malformed('constructed eContent holds a non-OCTET STRING segment');
    // asn1js keeps a constructed OCTET STRING as an OctetString whose value holds the segments.
    if (piece.idBlock.isConstructed) for (const child of (piece as asn1js.OctetString).valueBlock.value) collect(child);
    else pieces.push((piece as asn1js.OctetString).valueBlock.valueHexView);
  };
  collect(node);
  return concatBytes(pieces);
}

function receivedCertificates(set: asn1js.AsnType, policy: Policy): ParsedSignedData['certificates'] {
  const elements = children(set, 'certificates');
  if (elements.length > policy.limits.maxCmsCertificates) {
    throw new LimitError('maxCmsCertificates', `SignedData carries ${elements.length} certificates, over the limit of ${policy.limits.maxCmsCertificates}`);
  }
  const out: ParsedSignedData['certificates'] = [];
  for (const element of elements) {
    if (!(element instanceof asn1js.Sequence)) continue;
    const certificateDer = exact(element);
    if (certificateDer.byteLength > policy.limits.maxCertificateBytes) {
      throw new LimitError('maxCertificateBytes', `a certificate of ${certificateDer.byteLength} bytes is over the limit`);
    }
    out.push({ der: certificateDer, certificate: certificateFromSchema(certificateDer, element) });
  }
  return out;
}

/**
 * PKI.js certificates by their exact DER, most recently used last. Building one from its asn1js tree (schema
 * matching) was a seventh of a warm verification, and the same senders' certificates come back message after
 * message. PKI.js objects are not changed after parsing, so they can be shared.
 */
const certificateCache = new Map<string, pkijs.Certificate>();
const CERTIFICATE_CACHE_SIZE = 32;

function certificateFromSchema(der: Uint8Array, element: asn1js.Sequence): pkijs.Certificate {
  const key = toBinaryString(der);
  const cached = certificateCache.get(key);
  if (cached !== undefined) {
    certificateCache.delete(key);
    certificateCache.set(key, cached);
    return cached;
  }
  let certificate: pkijs.Certificate;
  try {
    certificate = new pkijs.Certificate({ schema: element });
  } catch (cause) {
    throw new SmimeError('MALFORMED_CMS', 'SignedData carries a malformed certificate', { cause });
  }
  if (certificateCache.size >= CERTIFICATE_CACHE_SIZE) certificateCache.delete(certificateCache.keys().next().value!);
  certificateCache.set(key, certificate);
  return certificate;
}

function signerInfo(node: asn1js.AsnType, what: string): ParsedSignerInfo {
  const fields = sequence(node, what);
  let i = 0;
  const version = smallInteger(fields[i++], `${what} version`);
  const sidNode = fields[i++];
  let sid: ParsedSignerIdentifier;
  if (sidNode instanceof asn1js.Sequence) {
    const [issuer, serial] = sidNode.valueBlock.value;
    if (!(issuer instanceof asn1js.Sequence) || !(serial instanceof asn1js.Integer) || sidNode.valueBlock.value.length !== 2) {
      throw malformed(`${what} issuerAndSerialNumber is malformed`);
    }
    sid = { kind: 'issuerAndSerialNumber', issuer: exact(issuer), serialNumber: serial.valueBlock.valueHexView };
  } else if (isContext(sidNode, 0) && sidNode instanceof asn1js.Primitive) {
    sid = { kind: 'subjectKeyIdentifier', keyIdentifier: sidNode.valueBlock.valueHexView };
  } else {
    throw malformed(`${what} sid is neither issuerAndSerialNumber nor [0] subjectKeyIdentifier`);
  }
  const digestAlgorithm = algorithm(fields[i++], `${what} digestAlgorithm`);
  let signedAttrs: ParsedSignerInfo['signedAttrs'] = null;
  if (isContext(fields[i], 0)) {
    const attrsNode = fields[i++]!;
    const encodedValue = exact(attrsNode);
    // RFC 5652 §5.4: the signature covers the attributes with the EXPLICIT SET OF tag instead of [0].
    encodedValue[0] = 0x31;
    const attributes = children(attrsNode, `${what} signedAttrs`).map((attribute, a) => {
      const parts = sequence(attribute, `${what} signedAttrs[${a}]`);
      if (parts.length !== 2 || !(parts[1] instanceof asn1js.Set)) throw malformed(`${what} signedAttrs[${a}] is not { type, SET OF values }`);
      return { type: oid(parts[0], `${what} signedAttrs[${a}] type`), values: parts[1].valueBlock.value };
    });
    signedAttrs = { encodedValue, attributes };
  }
  const signatureAlgorithm = algorithm(fields[i++], `${what} signatureAlgorithm`);
  const signatureNode = fields[i++];
  if (!(signatureNode instanceof asn1js.OctetString) || signatureNode.idBlock.isConstructed) throw malformed(`${what} signature is not a primitive OCTET STRING`);
  if (isContext(fields[i], 1)) i++; // unsignedAttrs are not evaluated
  if (i !== fields.length) throw malformed(`${what} has unexpected fields`);
  return { version, sid, digestAlgorithm, signedAttrs, signatureAlgorithm, signature: signatureNode.valueBlock.valueHexView };
}
