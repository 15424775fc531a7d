/**
 * Decoded certificate extensions (RFC 5280 §4.2). Each extension value is parsed through `parseBer`
 * (never PKI.js's unbounded `ExtensionValueFactory`), and a malformed value is an error, not an absent
 * extension: silently ignoring a broken constraint would widen what the certificate may do.
 */
import * as pkijs from 'pkijs';
import * as asn1js from 'asn1js';
import { parseBer } from '../asn1.js';
import { toHex } from '../bytes.js';
import { SmimeError } from '../errors.js';
import { OID, describeOid } from '../oids.js';
import { DEFAULT_LIMITS } from '../policy.js';
import type { Certificate } from './certificate.js';

export type KeyUsageName =
  | 'digitalSignature' | 'nonRepudiation' | 'keyEncipherment' | 'dataEncipherment' | 'keyAgreement'
  | 'keyCertSign' | 'cRLSign' | 'encipherOnly' | 'decipherOnly';

/** Bit order of KeyUsage (RFC 5280 §4.2.1.3). */
export const KEY_USAGE_BITS: readonly KeyUsageName[] = [
  'digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement',
  'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly',
];

export interface BasicConstraintsValue {
  ca: boolean;
  pathLength: number | null;
}

/** A GeneralName (RFC 5280 §4.2.1.6) in the forms the engine uses. */
export type GeneralNameValue =
  | { kind: 'rfc822Name'; value: string }
  | { kind: 'dNSName'; value: string }
  | { kind: 'uniformResourceIdentifier'; value: string }
  | { kind: 'iPAddress'; value: Uint8Array }
  | { kind: 'directoryName'; value: pkijs.RelativeDistinguishedNames }
  | { kind: 'otherName'; typeId: string; value: asn1js.AsnType }
  | { kind: 'other'; tag: number };

export interface NameConstraintsValue {
  permitted: GeneralNameValue[];
  excluded: GeneralNameValue[];
}

export interface PolicyConstraintsValue {
  requireExplicitPolicy: number | null;
  inhibitPolicyMapping: number | null;
}

/** Extensions this engine understands; a critical extension outside this set makes a path invalid (RFC 5280 §4.2). */
export const UNDERSTOOD_EXTENSIONS: ReadonlySet<string> = new Set([
  OID.subjectKeyIdentifier, OID.keyUsage, OID.subjectAltName, OID.issuerAltName, OID.basicConstraints,
  OID.nameConstraints, OID.crlDistributionPoints, OID.certificatePolicies, OID.policyMappings,
  OID.authorityKeyIdentifier, OID.policyConstraints, OID.extKeyUsage, OID.inhibitAnyPolicy,
  OID.authorityInfoAccess, OID.freshestCrl,
]);

function malformed(certificate: Certificate, what: string, cause?: unknown): SmimeError {
  return new SmimeError('MALFORMED_CERTIFICATE', `certificate has a malformed ${what} extension`, { cause, detail: { extension: what } });
}

/** All extensions; throws when one appears twice (RFC 5280 §4.2: "MUST NOT include more than one instance"). */
export function certificateExtensions(certificate: Certificate): pkijs.Extension[] {
  const extensions = certificate.pkijs.extensions ?? [];
  const seen = new Set<string>();
  for (const extension of extensions) {
    if (seen.has(extension.extnID)) throw malformed(certificate, `duplicate ${describeOid(extension.extnID)}`);
    seen.add(extension.extnID);
  }
  return extensions;
}

export function findExtension(certificate: Certificate, oid: string): pkijs.Extension | undefined {
  return certificateExtensions(certificate).find((extension) => extension.extnID === oid);
}

/** The parsed extnValue of one extension, or undefined when absent. */
function extensionAsn1(certificate: Certificate, oid: string): asn1js.AsnType | undefined {
  const extension = findExtension(certificate, oid);
  if (!extension) return undefined;
  try {
    return parseBer(new Uint8Array(extension.extnValue.valueBlock.valueHexView), DEFAULT_LIMITS, describeOid(oid));
  } catch (cause) {
    throw malformed(certificate, describeOid(oid), cause);
  }
}

/**
 * Decoded extension values per certificate: path validation reads the same extensions several times. The
 * decoded value is cached, not the ASN.1 tree (PKI.js constructors modify the tree they read).
 */
const decodedValues = new WeakMap<pkijs.Certificate, Map<string, unknown>>();

function decode<T>(certificate: Certificate, oid: string, build: (asn1: asn1js.AsnType) => T): T | undefined {
  let byOid = decodedValues.get(certificate.pkijs);
  if (!byOid) {
    byOid = new Map();
    decodedValues.set(certificate.pkijs, byOid);
  }
  if (byOid.has(oid)) return byOid.get(oid) as T | undefined;
  const asn1 = extensionAsn1(certificate, oid);
  let value: T | undefined;
  if (asn1 !== undefined) {
    try {
      value = build(asn1);
    } catch (cause) {
      throw malformed(certificate, describeOid(oid), cause);
    }
  }
  byOid.set(oid, value);
  return value;
}

function integerValue(value: asn1js.Integer): number {
  const number = value.valueBlock.valueDec;
  if (!Number.isSafeInteger(number) || number < 0) throw new Error('integer out of range');
  return number;
}

/** keyUsage bits set (RFC 5280 §4.2.1.3), or null when the extension is absent. */
export function keyUsage(certificate: Certificate): KeyUsageName[] | null {
  return decode(certificate, OID.keyUsage, (asn1) => {
    if (!(asn1 instanceof asn1js.BitString)) throw new Error('keyUsage is not a BIT STRING');
    const bytes = asn1.valueBlock.valueHexView;
    return KEY_USAGE_BITS.filter((_, bit) => bit >> 3 < bytes.length && (bytes[bit >> 3]! & (0x80 >> (bit & 7))) !== 0);
  }) ?? null;
}

/** extendedKeyUsage purposes as OIDs (RFC 5280 §4.2.1.12), or null when absent. */
export function extendedKeyUsage(certificate: Certificate): string[] | null {
  return decode(certificate, OID.extKeyUsage, (asn1) => {
    const purposes = new pkijs.ExtKeyUsage({ schema: asn1 }).keyPurposes;
    if (purposes.length === 0) throw new Error('extendedKeyUsage is empty (SIZE (1..MAX), RFC 5280 §4.2.1.12)');
    return purposes;
  }) ?? null;
}

/** basicConstraints (RFC 5280 §4.2.1.9), or null when absent. */
export function basicConstraints(certificate: Certificate): BasicConstraintsValue | null {
  return decode(certificate, OID.basicConstraints, (asn1) => {
    const value = new pkijs.BasicConstraints({ schema: asn1 });
    const pathLength = value.pathLenConstraint;
    return {
      ca: value.cA === true,
      pathLength: pathLength === undefined ? null : typeof pathLength === 'number' ? pathLength : integerValue(pathLength),
    };
  }) ?? null;
}

/** subjectKeyIdentifier as lowercase hex (RFC 5280 §4.2.1.2), or null. */
export function subjectKeyIdentifier(certificate: Certificate): string | null {
  return decode(certificate, OID.subjectKeyIdentifier, (asn1) => {
    if (!(asn1 instanceof asn1js.OctetString)) throw new Error('not an OCTET STRING');
    return toHex(asn1.valueBlock.valueHexView);
  }) ?? null;
}

/** authorityKeyIdentifier keyIdentifier as lowercase hex (RFC 5280 §4.2.1.1), or null. */
export function authorityKeyIdentifier(certificate: Certificate): string | null {
  return decode(certificate, OID.authorityKeyIdentifier, (asn1) => {
    const value = new pkijs.AuthorityKeyIdentifier({ schema: asn1 });
    return value.keyIdentifier ? toHex(value.keyIdentifier.valueBlock.valueHexView) : null;
  }) ?? null;
}

/** Converts PKI.js GeneralNames into plain values. */
export function toGeneralNames(names: readonly pkijs.GeneralName[]): GeneralNameValue[] {
  return names.map((name): GeneralNameValue => {
    switch (name.type) {
      case 1: return { kind: 'rfc822Name', value: String(name.value) };
      case 2: return { kind: 'dNSName', value: String(name.value) };
      case 6: return { kind: 'uniformResourceIdentifier', value: String(name.value) };
      case 7: return { kind: 'iPAddress', value: new Uint8Array((name.value as asn1js.OctetString).valueBlock.valueHexView) };
      case 4: return { kind: 'directoryName', value: name.value as pkijs.RelativeDistinguishedNames };
      case 0: return otherName(name.value as asn1js.Constructed);
      default: return { kind: 'other', tag: name.type };
    }
  });
}

/** OtherName ::= SEQUENCE { type-id OBJECT IDENTIFIER, value [0] EXPLICIT ANY } (RFC 5280 §4.2.1.6), here [0] IMPLICIT. */
function otherName(block: asn1js.Constructed): GeneralNameValue {
  const parts = block.valueBlock.value;
  const typeId = parts[0];
  const explicit = parts[1];
  if (!(typeId instanceof asn1js.ObjectIdentifier) || !(explicit instanceof asn1js.Constructed) || explicit.valueBlock.value.length !== 1) {
    throw new Error('malformed otherName');
  }
  return { kind: 'otherName', typeId: typeId.valueBlock.toString(), value: explicit.valueBlock.value[0]! };
}

/** subjectAltName entries (RFC 5280 §4.2.1.6); empty when absent. */
export function subjectAltNames(certificate: Certificate): GeneralNameValue[] {
  return decode(certificate, OID.subjectAltName, (asn1) => toGeneralNames(new pkijs.AltName({ schema: asn1 }).altNames)) ?? [];
}

export function hasSubjectAltName(certificate: Certificate): boolean {
  return findExtension(certificate, OID.subjectAltName) !== undefined;
}

/** nameConstraints (RFC 5280 §4.2.1.10), or null. */
export function nameConstraints(certificate: Certificate): NameConstraintsValue | null {
  return decode(certificate, OID.nameConstraints, (asn1) => {
    const value = new pkijs.NameConstraints({ schema: asn1 });
    for (const subtree of [...(value.permittedSubtrees ?? []), ...(value.excludedSubtrees ?? [])]) {
      // RFC 5280 §4.2.1.10: minimum MUST be zero and maximum MUST be absent.
      const minimum = subtree.minimum instanceof asn1js.Integer ? integerValue(subtree.minimum) : subtree.minimum;
      if (minimum !== 0 || subtree.maximum !== undefined) throw new Error('minimum/maximum set in a GeneralSubtree');
    }
    return {
      permitted: toGeneralNames((value.permittedSubtrees ?? []).map((subtree) => subtree.base)),
      excluded: toGeneralNames((value.excludedSubtrees ?? []).map((subtree) => subtree.base)),
    };
  }) ?? null;
}

export interface PolicyInformationValue {
  policy: string;
}

/** certificatePolicies policy OIDs (RFC 5280 §4.2.1.4), or null. Duplicate policy OIDs are malformed. */
export function certificatePolicies(certificate: Certificate): string[] | null {
  return decode(certificate, OID.certificatePolicies, (asn1) => {
    const policies = new pkijs.CertificatePolicies({ schema: asn1 }).certificatePolicies.map((info) => info.policyIdentifier);
    if (new Set(policies).size !== policies.length) throw new Error('a policy appears twice');
    return policies;
  }) ?? null;
}

/** policyMappings pairs (RFC 5280 §4.2.1.5), or null. */
export function policyMappings(certificate: Certificate): { issuerDomainPolicy: string; subjectDomainPolicy: string }[] | null {
  return decode(certificate, OID.policyMappings, (asn1) => new pkijs.PolicyMappings({ schema: asn1 }).mappings.map((mapping) => ({
    issuerDomainPolicy: mapping.issuerDomainPolicy,
    subjectDomainPolicy: mapping.subjectDomainPolicy,
  }))) ?? null;
}

/** policyConstraints (RFC 5280 §4.2.1.11), or null. */
export function policyConstraints(certificate: Certificate): PolicyConstraintsValue | null {
  return decode(certificate, OID.policyConstraints, (asn1) => {
    if (!(asn1 instanceof asn1js.Sequence)) throw new Error('not a SEQUENCE');
    const out: PolicyConstraintsValue = { requireExplicitPolicy: null, inhibitPolicyMapping: null };
    for (const item of asn1.valueBlock.value) {
      const hex = item.valueBlock as unknown as { valueHexView?: Uint8Array };
      const bytes = hex.valueHexView ?? new Uint8Array(0);
      if (bytes.length === 0 || bytes.length > 4) throw new Error('bad SkipCerts');
      let value = 0;
      for (const byte of bytes) value = value * 256 + byte;
      if (item.idBlock.tagNumber === 0) out.requireExplicitPolicy = value;
      else if (item.idBlock.tagNumber === 1) out.inhibitPolicyMapping = value;
    }
    if (out.requireExplicitPolicy === null && out.inhibitPolicyMapping === null) throw new Error('empty policyConstraints');
    return out;
  }) ?? null;
}

/** inhibitAnyPolicy SkipCerts (RFC 5280 §4.2.1.14), or null. */
export function inhibitAnyPolicy(certificate: Certificate): number | null {
  return decode(certificate, OID.inhibitAnyPolicy, (asn1) => {
    if (!(asn1 instanceof asn1js.Integer)) throw new Error('not an INTEGER');
    return integerValue(asn1);
  }) ?? null;
}

export interface SmimeCapability {
  oid: string;
  /** The engine's name for the algorithm, or the dotted OID. */
  name: string;
}

/**
 * The S/MIME capabilities extension (RFC 4262 §2: `SMIMECapabilities ::= SEQUENCE OF SMIMECapability`,
 * each `SEQUENCE { capabilityID OBJECT IDENTIFIER, parameters ANY OPTIONAL }`), in preference order.
 * Empty when absent.
 */
export function smimeCapabilities(certificate: Certificate): SmimeCapability[] {
  return decode(certificate, OID.smimeCapabilities, (asn1) => {
    if (!(asn1 instanceof asn1js.Sequence)) throw new Error('not a SEQUENCE');
    return asn1.valueBlock.value.map((item) => {
      const first = item instanceof asn1js.Sequence ? item.valueBlock.value[0] : undefined;
      if (!(first instanceof asn1js.ObjectIdentifier)) throw new Error('capability without an OID');
      const oid = first.valueBlock.toString();
      return { oid, name: describeOid(oid) };
    });
  }) ?? [];
}
