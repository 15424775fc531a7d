/**
 * Name constraints processing (RFC 5280 §4.2.1.10, §6.1.3 (b)(c), §6.1.4 (g)).
 *
 * Permitted subtrees are kept as one set per constraining certificate instead of being intersected: a name
 * must satisfy every set that constrains its name type, which is what the intersection means. Excluded
 * subtrees accumulate. rfc822Name constraints apply to SAN rfc822Name and SmtpUTF8Mailbox entries and to
 * the subject DN's PKCS#9 emailAddress attribute (RFC 5280 §4.2.1.10; SEC-25h).
 */
import * as asn1js from 'asn1js';
import type * as pkijs from 'pkijs';
import type { Certificate } from '../cert/certificate.js';
import { subjectAltNames, type GeneralNameValue, type NameConstraintsValue } from '../cert/extensions.js';
import { isEmptyName, nameAttributeValues, nameHasPrefix } from '../cert/names.js';
import { domainToAscii } from '../cert/punycode.js';
import { OID } from '../oids.js';

/** Most name-versus-constraint comparisons for one certificate. */
const MAX_NAME_CONSTRAINT_CHECKS = 250_000;

export interface NameConstraintState {
  permittedSets: GeneralNameValue[][];
  excluded: GeneralNameValue[];
}

export function initialNameConstraintState(): NameConstraintState {
  return { permittedSets: [], excluded: [] };
}

/** §6.1.4 (g): add a CA's constraints to the state (returns a new state). */
export function addNameConstraints(state: NameConstraintState, constraints: NameConstraintsValue | null): NameConstraintState {
  if (!constraints) return state;
  return {
    permittedSets: constraints.permitted.length > 0 ? [...state.permittedSets, constraints.permitted] : state.permittedSets,
    excluded: [...state.excluded, ...constraints.excluded],
  };
}

type Subject =
  | { kind: 'email'; value: string }
  | { kind: 'dns'; value: string }
  | { kind: 'directory'; value: pkijs.RelativeDistinguishedNames }
  | { kind: 'uri'; value: string }
  | { kind: 'ip'; value: Uint8Array }
  | { kind: 'unsupported'; value: string };

/** The names of a certificate that constraints apply to. */
function certificateNames(certificate: Certificate): Subject[] {
  const names: Subject[] = [];
  const subject = certificate.pkijs.subject;
  if (!isEmptyName(subject)) names.push({ kind: 'directory', value: subject });
  for (const email of nameAttributeValues(subject, OID.emailAddress)) names.push({ kind: 'email', value: email });
  for (const name of subjectAltNames(certificate)) {
    switch (name.kind) {
      case 'rfc822Name': names.push({ kind: 'email', value: name.value }); break;
      case 'dNSName': names.push({ kind: 'dns', value: name.value }); break;
      case 'directoryName': names.push({ kind: 'directory', value: name.value }); break;
      case 'uniformResourceIdentifier': names.push({ kind: 'uri', value: name.value }); break;
      case 'iPAddress': names.push({ kind: 'ip', value: name.value }); break;
      case 'otherName':
        if (name.typeId === OID.smtpUtf8Mailbox && name.value instanceof asn1js.Utf8String) names.push({ kind: 'email', value: name.value.valueBlock.value });
        else names.push({ kind: 'unsupported', value: `otherName ${name.typeId}` });
        break;
      default: names.push({ kind: 'unsupported', value: `GeneralName [${name.tag}]` }); break;
    }
  }
  return names;
}

function constraintKind(constraint: GeneralNameValue): Subject['kind'] | null {
  switch (constraint.kind) {
    case 'rfc822Name': return 'email';
    case 'dNSName': return 'dns';
    case 'directoryName': return 'directory';
    case 'uniformResourceIdentifier': return 'uri';
    case 'iPAddress': return 'ip';
    case 'otherName':
    case 'other': return 'unsupported';
    default: return null;
  }
}

function lowerAscii(value: string): string {
  try {
    return domainToAscii(value);
  } catch (error) {
    if (error instanceof RangeError) return value.toLowerCase();
    throw error;
  }
}

/** rfc822Name constraint forms: a mailbox, a host (`example.com`), or any host in a domain (`.example.com`). */
function emailMatches(address: string, constraint: string): boolean {
  const at = address.lastIndexOf('@');
  if (at < 0) return false;
  const local = address.slice(0, at);
  const domain = lowerAscii(address.slice(at + 1));
  if (constraint.includes('@')) {
    const cAt = constraint.lastIndexOf('@');
    return constraint.slice(0, cAt) === local && lowerAscii(constraint.slice(cAt + 1)) === domain;
  }
  const wanted = lowerAscii(constraint);
  if (wanted.startsWith('.')) return domain.endsWith(wanted);
  return domain === wanted;
}

/** dNSName: the name itself or any subdomain (RFC 5280 §4.2.1.10); a leading dot means subdomains only. */
function dnsMatches(name: string, constraint: string): boolean {
  const host = lowerAscii(name.replace(/\.$/, ''));
  const wanted = lowerAscii(constraint.replace(/\.$/, ''));
  if (wanted === '') return true;
  if (wanted.startsWith('.')) return host.endsWith(wanted);
  return host === wanted || host.endsWith(`.${wanted}`);
}

/**
 * A wildcard DNS name `*.D` stands for every host in D, so it overlaps an excluded subtree that lies inside D
 * (CVE-2025-61727: excluding bar.example.com must also exclude *.example.com).
 */
function wildcardOverlaps(name: string, constraint: string): boolean {
  if (!name.startsWith('*.')) return false;
  const domain = lowerAscii(name.slice(2).replace(/\.$/, ''));
  const wanted = lowerAscii(constraint.replace(/^\./, '').replace(/\.$/, ''));
  return wanted === domain || wanted.endsWith(`.${domain}`);
}

/** URI: constraints name a host (exact) or a domain (leading dot: any host in it). */
function uriMatches(uri: string, constraint: string): boolean {
  const match = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)/i.exec(uri);
  if (!match || !match[1]) return false;
  const host = lowerAscii(match[1]);
  const wanted = lowerAscii(constraint);
  if (wanted.startsWith('.')) return host.endsWith(wanted);
  return host === wanted;
}

function ipMatches(address: Uint8Array, constraint: Uint8Array): boolean {
  if (constraint.length !== address.length * 2) return false;
  for (let i = 0; i < address.length; i++) {
    const mask = constraint[address.length + i]!;
    if ((address[i]! & mask) !== (constraint[i]! & mask)) return false;
  }
  return true;
}

function matches(name: Subject, constraint: GeneralNameValue): boolean {
  switch (name.kind) {
    case 'email': return constraint.kind === 'rfc822Name' && emailMatches(name.value, constraint.value);
    case 'dns': return constraint.kind === 'dNSName' && dnsMatches(name.value, constraint.value);
    case 'directory': return constraint.kind === 'directoryName' && nameHasPrefix(name.value, constraint.value);
    case 'uri': return constraint.kind === 'uniformResourceIdentifier' && uriMatches(name.value, constraint.value);
    case 'ip': return constraint.kind === 'iPAddress' && ipMatches(name.value, constraint.value);
    case 'unsupported': return false;
  }
}

function describe(name: Subject): string {
  if (name.kind === 'directory') return 'directoryName';
  if (name.kind === 'ip') return `iPAddress ${Array.from(name.value).join('.')}`;
  if (name.kind === 'unsupported') return name.value;
  return `${name.kind} ${name.value}`;
}

/**
 * §6.1.3 (b)(c): the first name of `certificate` that the constraints forbid, as text, or null when all are allowed.
 */
export function findNameConstraintViolation(certificate: Certificate, state: NameConstraintState): string | null {
  if (state.permittedSets.length === 0 && state.excluded.length === 0) return null;
  const names = certificateNames(certificate);
  const constraintCount = state.excluded.length + state.permittedSets.reduce((sum, set) => sum + set.length, 0);
  // Quadratic work bound (x509-limbo pathological::nc-dos-*; Go uses a similar cap).
  if (names.length * constraintCount > MAX_NAME_CONSTRAINT_CHECKS) {
    return `${names.length} names against ${constraintCount} constraints exceeds the processing limit`;
  }
  for (const name of names) {
    for (const constraint of state.excluded) {
      if (matches(name, constraint)) return `${describe(name)} is in an excluded subtree`;
      if (name.kind === 'dns' && constraint.kind === 'dNSName' && wildcardOverlaps(name.value, constraint.value)) return `${describe(name)} overlaps an excluded subtree`;
      // RFC 5280 §4.2.1.10: constraints on a name form we cannot process must make the certificate fail.
      if (name.kind === 'unsupported' && constraintKind(constraint) === 'unsupported') return `${describe(name)} is subject to a constraint form that is not supported`;
    }
    for (const set of state.permittedSets) {
      const relevant = set.filter((constraint) => constraintKind(constraint) === name.kind);
      if (name.kind === 'unsupported' && relevant.length > 0) return `${describe(name)} is subject to a constraint form that is not supported`;
      if (relevant.length > 0 && !relevant.some((constraint) => matches(name, constraint))) {
        return `${describe(name)} is outside the permitted subtrees`;
      }
    }
  }
  return null;
}
