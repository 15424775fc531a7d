/**
 * E-mail addresses of a certificate and address matching (SEC-27).
 *
 * Sources (RFC 8550 §3): subjectAltName rfc822Name, SmtpUTF8Mailbox otherName (RFC 8398 §3), and the
 * legacy PKCS#9 emailAddress attribute of the subject DN. Never the common name (SEC-27f).
 * Matching (RFC 5280 §7.5): local-part exact, domain case-insensitive after conversion to A-labels,
 * whole addresses only (no substring or pattern matching, SEC-27h).
 */
import * as asn1js from 'asn1js';
import { OID } from '../oids.js';
import { toCertificate, type CertificateInput } from './certificate.js';
import { subjectAltNames } from './extensions.js';
import { nameAttributeValues } from './names.js';
import { domainToAscii } from './punycode.js';

export type AddressSource = 'rfc822Name' | 'smtpUtf8Mailbox' | 'subjectEmailAddress';

export interface CertificateAddress {
  /** As written in the certificate. */
  address: string;
  source: AddressSource;
}

/** All addresses a certificate vouches for, in certificate order, SAN first. */
export function certificateAddresses(input: CertificateInput): CertificateAddress[] {
  const certificate = toCertificate(input);
  const out: CertificateAddress[] = [];
  for (const name of subjectAltNames(certificate)) {
    if (name.kind === 'rfc822Name') out.push({ address: name.value, source: 'rfc822Name' });
    else if (name.kind === 'otherName' && name.typeId === OID.smtpUtf8Mailbox && name.value instanceof asn1js.Utf8String) {
      out.push({ address: name.value.valueBlock.value, source: 'smtpUtf8Mailbox' });
    }
  }
  for (const address of nameAttributeValues(certificate.pkijs.subject, OID.emailAddress)) {
    out.push({ address, source: 'subjectEmailAddress' });
  }
  return out;
}

/** Plain address strings of `certificateAddresses`, without duplicates. */
export function certificateEmailAddresses(input: CertificateInput): string[] {
  return [...new Set(certificateAddresses(input).map((entry) => entry.address))];
}

export interface AddressMatch {
  matches: boolean;
  /** The certificate address that matched, as written in the certificate. */
  matchedAddress: string | null;
  /**
   * True when the only difference is the case of the local-part. RFC 5280 §7.5 says local-parts compare
   * exactly, but mail systems treat them case-insensitively and Thunderbird lowercases the whole address,
   * so Waxseal counts this as a match and reports it (SEC-27b).
   */
  caseOnlyDifference: boolean;
  /** The queried address with its domain in A-label form, to show the user what was compared (SEC-27c). */
  comparedAddress: string;
  /** True when the certificate holds no address at all (SEC-27e). */
  certificateHasNoAddress: boolean;
}

interface SplitAddress {
  local: string;
  domain: string;
}

/** Splits at the last `@` and converts the domain to A-labels; null when it is not an addr-spec shape. */
export function normaliseAddress(address: string): SplitAddress | null {
  const trimmed = address.trim();
  const at = trimmed.lastIndexOf('@');
  if (at <= 0 || at === trimmed.length - 1) return null;
  const local = trimmed.slice(0, at).normalize('NFC');
  try {
    return { local, domain: domainToAscii(trimmed.slice(at + 1)) };
  } catch (error) {
    if (error instanceof RangeError) return null;
    throw error;
  }
}

/**
 * Whether the certificate vouches for `address` (SEC-27): any certificate address with an equal
 * local-part (exact, or differing only in case, which is reported) and an equal A-label domain.
 */
export function certificateMatchesAddress(input: CertificateInput, address: string): AddressMatch {
  const wanted = normaliseAddress(address);
  const addresses = certificateAddresses(input);
  const result: AddressMatch = {
    matches: false,
    matchedAddress: null,
    caseOnlyDifference: false,
    comparedAddress: wanted ? `${wanted.local}@${wanted.domain}` : address,
    certificateHasNoAddress: addresses.length === 0,
  };
  if (!wanted) return result;
  let caseOnly: string | null = null;
  for (const { address: candidate } of addresses) {
    const have = normaliseAddress(candidate);
    if (!have || have.domain !== wanted.domain) continue;
    if (have.local === wanted.local) return { ...result, matches: true, matchedAddress: candidate };
    if (caseOnly === null && have.local.toLowerCase() === wanted.local.toLowerCase()) caseOnly = candidate;
  }
  if (caseOnly !== null) return { ...result, matches: true, matchedAddress: caseOnly, caseOnlyDifference: true };
  return result;
}
