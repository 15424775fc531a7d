/**
 * Small typed readers and writers over asn1js nodes for the PKCS#12 structures (RFC 7292 §4-§5).
 * Readers throw `PKCS12_DAMAGED` naming what was expected, so a malformed file never surfaces as a
 * TypeError. Parsing itself always goes through `parseBer` (SEC-31d).
 */
import * as asn1js from 'asn1js';
import { LimitError, SmimeError } from '../errors.js';
import { asBytes, concatBytes } from '../bytes.js';

const UNIVERSAL = 1;
const CONTEXT = 3;

/** Universal tag numbers used here (X.680 §8.4). */
const TAG = { integer: 2, octetString: 4, null: 5, oid: 6, sequence: 16, set: 17, bmpString: 30 } as const;

/** The `PKCS12_DAMAGED` error for a structure that is not what RFC 7292 says it must be. */
export function damaged(message: string, cause?: unknown): SmimeError {
  return new SmimeError('PKCS12_DAMAGED', message, cause === undefined ? undefined : { cause });
}

function isUniversal(node: asn1js.AsnType, tag: number): boolean {
  return node.idBlock.tagClass === UNIVERSAL && node.idBlock.tagNumber === tag;
}

/** The children of a constructed node. */
function childrenOf(node: asn1js.AsnType): asn1js.AsnType[] {
  const value = (node.valueBlock as { value?: unknown }).value;
  return node.idBlock.isConstructed && Array.isArray(value) ? (value as asn1js.AsnType[]) : [];
}

/** The elements of a SEQUENCE, checking the count is within [min, max]. */
export function sequence(node: asn1js.AsnType | undefined, what: string, min = 0, max = Infinity): asn1js.AsnType[] {
  if (!node || !isUniversal(node, TAG.sequence) || !node.idBlock.isConstructed) throw damaged(`${what} is not a SEQUENCE`);
  const items = childrenOf(node);
  if (items.length < min || items.length > max) throw damaged(`${what} has ${items.length} elements, expected ${min}..${max}`);
  return items;
}

/** The elements of a SET or SET OF. */
export function setOf(node: asn1js.AsnType | undefined, what: string): asn1js.AsnType[] {
  if (!node || !isUniversal(node, TAG.set) || !node.idBlock.isConstructed) throw damaged(`${what} is not a SET`);
  return childrenOf(node);
}

/** An OBJECT IDENTIFIER in dotted form (compare it with `OID`, never with a literal). */
export function oid(node: asn1js.AsnType | undefined, what: string): string {
  if (!node || !(node instanceof asn1js.ObjectIdentifier)) throw damaged(`${what} is not an OBJECT IDENTIFIER`);
  return node.valueBlock.toString();
}

/**
 * A non-negative INTEGER as a number. Values above `max` raise a LimitError naming `limit`, so an
 * attacker-chosen iteration count of 2^31 or 2^64 is refused before any work starts (SEC-38e).
 */
export function smallInteger(node: asn1js.AsnType | undefined, what: string, max: number, limit: string): number {
  if (!node || !isUniversal(node, TAG.integer) || node.idBlock.isConstructed) throw damaged(`${what} is not an INTEGER`);
  const bytes = (node as asn1js.Integer).valueBlock.valueHexView;
  if (bytes.length === 0 || bytes[0]! & 0x80) throw damaged(`${what} is negative or empty`);
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  if (bytes.length - start > 6) throw new LimitError(limit, `${what} is larger than the limit of ${max}`, { detail: { limit: max } });
  let value = 0;
  for (let i = start; i < bytes.length; i++) value = value * 256 + bytes[i]!;
  if (value > max) throw new LimitError(limit, `${what} ${value} is larger than the limit of ${max}`, { detail: { value, limit: max } });
  return value;
}

/** The content of an OCTET STRING (or of an IMPLICIT-tagged one), joining BER constructed segments. */
export function octets(node: asn1js.AsnType | undefined, what: string, implicitContextTag?: number): Uint8Array {
  if (!node) throw damaged(`${what} is missing`);
  const tagOk = implicitContextTag === undefined
    ? isUniversal(node, TAG.octetString)
    : node.idBlock.tagClass === CONTEXT && node.idBlock.tagNumber === implicitContextTag;
  if (!tagOk) throw damaged(`${what} is not an OCTET STRING`);
  return collectOctets(node, what, 0);
}

function collectOctets(node: asn1js.AsnType, what: string, depth: number): Uint8Array {
  if (!node.idBlock.isConstructed) return asBytes((node.valueBlock as { valueHexView: Uint8Array }).valueHexView);
  if (depth > 8) throw damaged(`${what} nests constructed OCTET STRING segments too deeply`);
  const parts = childrenOf(node).map((part) => {
    if (!isUniversal(part, TAG.octetString)) throw damaged(`${what} has a segment that is not an OCTET STRING`);
    return collectOctets(part, what, depth + 1);
  });
  return concatBytes(parts);
}

/** The single value inside an `[n] EXPLICIT` wrapper. */
export function explicit(node: asn1js.AsnType | undefined, tag: number, what: string): asn1js.AsnType {
  if (!node || node.idBlock.tagClass !== CONTEXT || node.idBlock.tagNumber !== tag || !node.idBlock.isConstructed) {
    throw damaged(`${what} is not an [${tag}] EXPLICIT value`);
  }
  const items = childrenOf(node);
  if (items.length !== 1) throw damaged(`${what} holds ${items.length} values, expected 1`);
  return items[0]!;
}

/** Whether a node carries the context-specific tag `[tag]`. */
export function isContextTag(node: asn1js.AsnType | undefined, tag: number): boolean {
  return !!node && node.idBlock.tagClass === CONTEXT && node.idBlock.tagNumber === tag;
}

/** BMPString content as a JavaScript string (RFC 7292 friendlyName, §4.2). */
export function bmpString(node: asn1js.AsnType | undefined, what: string): string {
  if (!node || !isUniversal(node, TAG.bmpString)) throw damaged(`${what} is not a BMPString`);
  const bytes = collectOctets(node, what, 0);
  if (bytes.length % 2 !== 0) throw damaged(`${what} has an odd number of bytes`);
  let text = '';
  for (let i = 0; i < bytes.length; i += 2) text += String.fromCharCode((bytes[i]! << 8) | bytes[i + 1]!);
  return text;
}

/** The exact encoding of a node as it appeared in the input (for certificates and key structures). */
export function encodingOf(node: asn1js.AsnType): Uint8Array {
  return asBytes(node.valueBeforeDecodeView);
}

export interface AlgorithmIdentifierNode {
  algorithm: string;
  parameters: asn1js.AsnType | undefined;
}

/** `AlgorithmIdentifier ::= SEQUENCE { algorithm OBJECT IDENTIFIER, parameters ANY OPTIONAL }` (RFC 5280 §4.1.1.2). */
export function algorithmIdentifier(node: asn1js.AsnType | undefined, what: string): AlgorithmIdentifierNode {
  const items = sequence(node, what, 1, 2);
  return { algorithm: oid(items[0], `${what} algorithm`), parameters: items[1] };
}

// Writers: DER encodings built from asn1js objects (X.690 §10). SET OF ordering is the caller's job.

/** SEQUENCE of the given items. */
export function derSequence(items: asn1js.AsnType[]): asn1js.Sequence {
  return new asn1js.Sequence({ value: items });
}

/** SET of the given items, in the order given. */
export function derSet(items: asn1js.AsnType[]): asn1js.Set {
  return new asn1js.Set({ value: items });
}

/** OBJECT IDENTIFIER from its dotted form (an `OID` value). */
export function derOid(value: string): asn1js.ObjectIdentifier {
  return new asn1js.ObjectIdentifier({ value });
}

/** INTEGER from a safe non-negative number. */
export function derInteger(value: number): asn1js.Integer {
  return new asn1js.Integer({ value });
}

/** OCTET STRING holding a copy of `value`. */
export function derOctets(value: Uint8Array): asn1js.OctetString {
  return new asn1js.OctetString({ valueHex: value.slice() });
}

/** BMPString (UTF-16BE) of `value`. */
export function derBmpString(value: string): asn1js.BmpString {
  return new asn1js.BmpString({ value });
}

/** `[tag] EXPLICIT` wrapper around one value. */
export function derExplicit(tag: number, inner: asn1js.AsnType): asn1js.Constructed {
  return new asn1js.Constructed({ idBlock: { tagClass: CONTEXT, tagNumber: tag }, value: [inner] });
}

/** `[tag] IMPLICIT OCTET STRING`, primitive. */
export function derImplicitOctets(tag: number, value: Uint8Array): asn1js.Primitive {
  return new asn1js.Primitive({ idBlock: { tagClass: CONTEXT, tagNumber: tag }, valueHex: value.slice() });
}

/** NULL parameters: RFC 8018 B.1 gives hmacWithSHA* NULL parameters, and OpenSSL and NSS write NULL in the MAC DigestInfo. */
export function derNull(): asn1js.Null {
  return new asn1js.Null();
}

/** The DER bytes of a node. */
export function encode(node: asn1js.AsnType): Uint8Array {
  return new Uint8Array(node.toBER(false));
}
