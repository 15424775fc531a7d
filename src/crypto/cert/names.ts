/**
 * Distinguished names: display form (RFC 4514 order and escaping) and comparison for name chaining
 * (RFC 5280 §7.1: exact match, plus the caseIgnoreMatch of RFC 4518 for string attributes).
 */
import type * as pkijs from 'pkijs';
import * as asn1js from 'asn1js';
import { parseBer } from '../asn1.js';
import { bytesEqual } from '../bytes.js';
import { DEFAULT_LIMITS } from '../policy.js';
import { OID } from '../oids.js';

const SHORT_NAMES: ReadonlyMap<string, string> = new Map([
  [OID.commonName, 'CN'],
  [OID.surname, 'SN'],
  [OID.serialNumberAttribute, 'serialNumber'],
  [OID.countryName, 'C'],
  [OID.localityName, 'L'],
  [OID.stateOrProvinceName, 'ST'],
  [OID.organizationName, 'O'],
  [OID.organizationalUnitName, 'OU'],
  [OID.givenName, 'GN'],
  [OID.emailAddress, 'E'],
  [OID.domainComponent, 'DC'],
  [OID.userId, 'UID'],
]);

/** Tag numbers of the directory string types compared case-insensitively (RFC 5280 §7.1). */
const STRING_TAGS = new Set([12, 19, 20, 22, 28, 30]);

/** The text of one attribute value, or null when it is not a string type. */
export function attributeText(value: unknown): string | null {
  if (value instanceof asn1js.BaseStringBlock) return value.valueBlock.value;
  if (value instanceof asn1js.BaseBlock && value.idBlock.tagClass === 1 && STRING_TAGS.has(value.idBlock.tagNumber)) {
    const block = value.valueBlock as { value?: unknown };
    if (typeof block.value === 'string') return block.value;
  }
  return null;
}

/** RFC 4514 string form, most specific RDN first (`CN=Alice, O=Example, C=DE`). */
export function formatName(name: pkijs.RelativeDistinguishedNames): string {
  const rdns = rdnSequence(name);
  return rdns
    .slice()
    .reverse()
    .map((rdn) => rdn.map(({ type, value }) => `${SHORT_NAMES.get(type) ?? type}=${escapeValue(attributeText(value) ?? `#${hexOf(value)}`)}`).join('+'))
    .join(', ');
}

/** The values of one attribute type in a name, e.g. all emailAddress values of a subject. */
export function nameAttributeValues(name: pkijs.RelativeDistinguishedNames, type: string): string[] {
  const out: string[] = [];
  for (const rdn of rdnSequence(name)) {
    for (const attribute of rdn) {
      if (attribute.type !== type) continue;
      const text = attributeText(attribute.value);
      if (text !== null) out.push(text);
    }
  }
  return out;
}

const rdnCache = new WeakMap<pkijs.RelativeDistinguishedNames, { type: string; value: asn1js.AsnType }[][]>();

/** RDNs in encoded order; each RDN is its set of attributes. */
export function rdnSequence(name: pkijs.RelativeDistinguishedNames): { type: string; value: asn1js.AsnType }[][] {
  const cached = rdnCache.get(name);
  if (cached) return cached;
  const sequence = parseBer(encodedName(name), DEFAULT_LIMITS, 'distinguished name');
  const rdns = sequence instanceof asn1js.Sequence ? sequence.valueBlock.value.map(readRdn) : [];
  rdnCache.set(name, rdns);
  return rdns;
}

export function readRdn(rdn: asn1js.AsnType): { type: string; value: asn1js.AsnType }[] {
  if (!(rdn instanceof asn1js.Set)) return [];
  return rdn.valueBlock.value.map((attribute) => {
    const parts = (attribute as asn1js.Sequence).valueBlock.value;
    const type = parts[0] instanceof asn1js.ObjectIdentifier ? parts[0].valueBlock.toString() : '';
    return { type, value: parts[1] as asn1js.AsnType };
  });
}

/**
 * Name chaining comparison (RFC 5280 §7.1): the same RDNs in the same order, each with the same attribute
 * types; string values compared after case folding and whitespace folding (RFC 4518 §2.6), whatever their
 * string type (so PrintableString "Test" equals UTF8String "test", PKITS 4.3.10/4.3.11); other values by DER.
 */
export function namesMatch(a: pkijs.RelativeDistinguishedNames, b: pkijs.RelativeDistinguishedNames): boolean {
  const rawA = encodedName(a);
  const rawB = encodedName(b);
  if (bytesEqual(rawA, rawB)) return true;
  const rdnsA = rdnSequence(a);
  const rdnsB = rdnSequence(b);
  if (rdnsA.length !== rdnsB.length) return false;
  return rdnsA.every((rdn, i) => rdnsEqual(rdn, rdnsB[i]!));
}

/** Empty name (RFC 5280 §4.1.2.6: an end entity may have an empty subject with the identity in SAN). */
export function isEmptyName(name: pkijs.RelativeDistinguishedNames): boolean {
  return rdnSequence(name).length === 0;
}

export function encodedName(name: pkijs.RelativeDistinguishedNames): Uint8Array {
  const before = name.valueBeforeDecode;
  if (before && before.byteLength > 0) return new Uint8Array(before);
  return new Uint8Array(name.toSchema().toBER(false));
}

export function rdnsEqual(a: { type: string; value: asn1js.AsnType }[], b: { type: string; value: asn1js.AsnType }[]): boolean {
  if (a.length !== b.length) return false;
  const used = new Set<number>();
  return a.every((left) => {
    const index = b.findIndex((right, i) => !used.has(i) && right.type === left.type && valuesEqual(left.value, right.value));
    if (index < 0) return false;
    used.add(index);
    return true;
  });
}

function valuesEqual(a: asn1js.AsnType, b: asn1js.AsnType): boolean {
  const textA = attributeText(a);
  const textB = attributeText(b);
  if (textA !== null && textB !== null) return foldString(textA) === foldString(textB);
  return bytesEqual(new Uint8Array(a.toBER(false)), new Uint8Array(b.toBER(false)));
}

/** caseIgnoreMatch preparation (RFC 4518): NFKC, case fold, leading/trailing space removed, inner runs folded. */
export function foldString(value: string): string {
  return value.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

function escapeValue(value: string): string {
  return value.replace(/[\\,+"<>;=]/g, '\\$&').replace(/^[ #]/, '\\$&').replace(/ $/, '\\ ');
}

function hexOf(value: asn1js.AsnType): string {
  return Array.from(new Uint8Array(value.toBER(false)), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** True when `prefix`'s RDNs are the leading RDNs of `name` (directoryName subtree, RFC 5280 §4.2.1.10). */
export function nameHasPrefix(name: pkijs.RelativeDistinguishedNames, prefix: pkijs.RelativeDistinguishedNames): boolean {
  const rdns = rdnSequence(name);
  const head = rdnSequence(prefix);
  if (head.length > rdns.length) return false;
  return head.every((rdn, i) => rdnsEqual(rdn, rdns[i]!));
}
