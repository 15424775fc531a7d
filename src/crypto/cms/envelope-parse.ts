/**
 * Reads the outer structure of an encrypted CMS message without building a node per content chunk.
 *
 * RFC 5652 §3 / §6.1 and RFC 5083 §2.1:
 * ```
 * ContentInfo ::= SEQUENCE { contentType ContentType, content [0] EXPLICIT ANY DEFINED BY contentType }
 * EnvelopedData ::= SEQUENCE {
 *   version CMSVersion, originatorInfo [0] IMPLICIT OriginatorInfo OPTIONAL,
 *   recipientInfos RecipientInfos, encryptedContentInfo EncryptedContentInfo,
 *   unprotectedAttrs [1] IMPLICIT UnprotectedAttributes OPTIONAL }
 * AuthEnvelopedData ::= SEQUENCE {
 *   version CMSVersion, originatorInfo [0] IMPLICIT OriginatorInfo OPTIONAL,
 *   recipientInfos RecipientInfos, authEncryptedContentInfo EncryptedContentInfo,
 *   authAttrs [1] IMPLICIT AuthAttributes OPTIONAL, mac MessageAuthenticationCode,
 *   unauthAttrs [2] IMPLICIT UnauthAttributes OPTIONAL }
 * EncryptedContentInfo ::= SEQUENCE {
 *   contentType ContentType, contentEncryptionAlgorithm ContentEncryptionAlgorithmIdentifier,
 *   encryptedContent [0] IMPLICIT EncryptedContent OPTIONAL }
 * ```
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { parseBer } from '../asn1.js';
import { SmimeError } from '../errors.js';
import { OID, describeOid } from '../oids.js';
import type { ParserLimits } from '../policy.js';
import {
  TAG_INTEGER,
  TAG_OCTET_STRING,
  TAG_OID,
  TAG_SEQUENCE,
  TAG_SET,
  forgetElementEnds,
  isContext,
  isUniversal,
  readChildren,
  readElement,
  type BerElement,
} from './envelope-ber.js';

/** The parts of an EnvelopedData/AuthEnvelopedData that decryption needs, with the content left in place. */
export interface ParsedEnvelope {
  kind: 'enveloped' | 'authEnveloped';
  version: number;
  recipientInfos: pkijs.RecipientInfo[];
  /** The inner content type (id-data for S/MIME). */
  contentType: string;
  contentEncryptionAlgorithm: pkijs.AlgorithmIdentifier;
  /** The buffer the offsets below refer to. */
  buffer: Uint8Array;
  /** The encryptedContent element ([0] IMPLICIT OCTET STRING, primitive or constructed), or null when detached. */
  encryptedContent: BerElement | null;
  /** AuthEnvelopedData: the authAttrs re-tagged as SET OF (the GCM AAD, RFC 5083 §2.2), or null. */
  authenticatedAttributesAad: Uint8Array | null;
  /** AuthEnvelopedData: the mac (the GCM tag, RFC 5084 §3.2). */
  mac: Uint8Array | null;
}

function malformed(message: string): SmimeError {
  return new SmimeError('MALFORMED_CMS', message);
}

function oidOf(buffer: Uint8Array, element: BerElement, limits: ParserLimits): string {
  if (!isUniversal(element, TAG_OID)) throw malformed('expected an OBJECT IDENTIFIER');
  const node = parseBer(buffer.subarray(element.start, element.end), limits, 'object identifier');
  if (!(node instanceof asn1js.ObjectIdentifier)) throw malformed('expected an OBJECT IDENTIFIER');
  return node.valueBlock.toString();
}

/** The content type of a ContentInfo and its [0] content element, read by offset. */
export function readContentInfo(buffer: Uint8Array, limits: ParserLimits): { contentType: string; content: BerElement } {
  const root = readElement(buffer, 0, buffer.byteLength, limits);
  if (root.end !== buffer.byteLength) throw new SmimeError('MALFORMED_ASN1', 'trailing bytes after the CMS ContentInfo');
  if (!isUniversal(root, TAG_SEQUENCE) || !root.constructed) throw malformed('ContentInfo is not a SEQUENCE');
  const [typeElement, explicit, ...rest] = readChildren(buffer, root, limits);
  if (!typeElement || !explicit || rest.length > 0 || !isContext(explicit, 0) || !explicit.constructed) throw malformed('bad ContentInfo');
  const contentType = oidOf(buffer, typeElement, limits);
  const inner = readChildren(buffer, explicit, limits);
  if (inner.length !== 1) throw malformed('ContentInfo content must hold one element');
  return { contentType, content: inner[0]! };
}

/**
 * Parses EnvelopedData or AuthEnvelopedData.
 * @throws SmimeError `UNSUPPORTED_CONTENT` for other content types (CompressedData included: nothing is
 * decompressed, SEC-34), `MALFORMED_CMS`/`MALFORMED_ASN1` for bad structure, LimitError for limits.
 */
export function parseEnvelope(buffer: Uint8Array, limits: ParserLimits): ParsedEnvelope {
  try {
    return readEnvelope(buffer, limits);
  } finally {
    forgetElementEnds(buffer);
  }
}

function readEnvelope(buffer: Uint8Array, limits: ParserLimits): ParsedEnvelope {
  if (buffer.byteLength > limits.maxMessageBytes) throw new SmimeError('LIMIT_EXCEEDED', 'encrypted message over the size limit');
  const { contentType, content } = readContentInfo(buffer, limits);
  let kind: ParsedEnvelope['kind'];
  if (contentType === OID.envelopedData) kind = 'enveloped';
  else if (contentType === OID.authEnvelopedData) kind = 'authEnveloped';
  else throw new SmimeError('UNSUPPORTED_CONTENT', `content type ${describeOid(contentType)} is not encrypted data`, { detail: { contentType } });
  if (!isUniversal(content, TAG_SEQUENCE) || !content.constructed) throw malformed('envelope is not a SEQUENCE');
  const fields = readChildren(buffer, content, limits);
  let i = 0;
  const versionElement = fields[i++];
  if (!versionElement || !isUniversal(versionElement, TAG_INTEGER) || versionElement.contentEnd - versionElement.contentStart !== 1) {
    throw malformed('bad CMS version');
  }
  const version = buffer[versionElement.contentStart]!;
  if (fields[i] && isContext(fields[i]!, 0)) i++; // originatorInfo: certificates for the originator, not needed to decrypt
  const recipientInfosElement = fields[i++];
  if (!recipientInfosElement || !isUniversal(recipientInfosElement, TAG_SET)) throw malformed('missing RecipientInfos');
  const recipientSet = parseBer(buffer.subarray(recipientInfosElement.start, recipientInfosElement.end), limits, 'RecipientInfos');
  if (!(recipientSet instanceof asn1js.Set) || recipientSet.valueBlock.value.length === 0) throw malformed('RecipientInfos must be a non-empty SET');
  const recipientInfos = recipientSet.valueBlock.value.map((node) => {
    try {
      return new pkijs.RecipientInfo({ schema: node });
    } catch (cause) {
      throw new SmimeError('MALFORMED_CMS', 'unreadable RecipientInfo', { cause });
    }
  });
  const eciElement = fields[i++];
  if (!eciElement || !isUniversal(eciElement, TAG_SEQUENCE)) throw malformed('missing EncryptedContentInfo');
  const eci = readChildren(buffer, eciElement, limits);
  if (eci.length < 2 || eci.length > 3) throw malformed('bad EncryptedContentInfo');
  const innerType = oidOf(buffer, eci[0]!, limits);
  const algorithmElement = eci[1]!;
  if (!isUniversal(algorithmElement, TAG_SEQUENCE)) throw malformed('bad content encryption algorithm');
  const algorithmNode = parseBer(buffer.subarray(algorithmElement.start, algorithmElement.end), limits, 'content encryption algorithm');
  let contentEncryptionAlgorithm: pkijs.AlgorithmIdentifier;
  try {
    contentEncryptionAlgorithm = new pkijs.AlgorithmIdentifier({ schema: algorithmNode });
  } catch (cause) {
    throw new SmimeError('MALFORMED_CMS', 'unreadable content encryption algorithm', { cause });
  }
  let encryptedContent: BerElement | null = null;
  if (eci[2]) {
    if (!isContext(eci[2], 0)) throw malformed('bad encryptedContent tag');
    encryptedContent = eci[2];
  }
  let authenticatedAttributesAad: Uint8Array | null = null;
  let mac: Uint8Array | null = null;
  if (kind === 'enveloped') {
    if (fields[i] && isContext(fields[i]!, 1)) i++; // unprotectedAttrs
  } else {
    const maybeAttrs = fields[i];
    if (maybeAttrs && isContext(maybeAttrs, 1)) {
      if (maybeAttrs.indefinite || !maybeAttrs.constructed) throw malformed('authAttrs must be DER (RFC 5083 §2.1)');
      // RFC 5083 §2.2: the AAD is the DER of authAttrs with the [1] IMPLICIT tag replaced by the SET OF tag.
      authenticatedAttributesAad = buffer.slice(maybeAttrs.start, maybeAttrs.end);
      authenticatedAttributesAad[0] = 0x31;
      i++;
    }
    const macElement = fields[i++];
    if (!macElement || !isUniversal(macElement, TAG_OCTET_STRING) || macElement.constructed) throw malformed('missing mac');
    mac = buffer.subarray(macElement.contentStart, macElement.contentEnd);
    if (fields[i] && isContext(fields[i]!, 2)) i++;
  }
  if (i !== fields.length) throw malformed('unexpected fields in the envelope');
  return { kind, version, recipientInfos, contentType: innerType, contentEncryptionAlgorithm, buffer, encryptedContent, authenticatedAttributesAad, mac };
}
