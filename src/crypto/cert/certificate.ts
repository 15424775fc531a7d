/**
 * Certificate input: PEM, DER and PKCS#7 "certs-only" bundles (.p7c/.p7b, RFC 8551 §3.2.2) into
 * PKI.js certificates. Every BER parse goes through `parseBer` with limits; each certificate is
 * size-checked before it is parsed (SEC-31b), so an oversized OID never reaches the parser.
 */
import * as pkijs from 'pkijs';
import type * as asn1js from 'asn1js';
import { parseBer } from '../asn1.js';
import { base64Decode, fromBinaryString, toBinaryString } from '../bytes.js';
import { LimitError, SmimeError } from '../errors.js';
import { OID } from '../oids.js';
import { DEFAULT_LIMITS, type ParserLimits } from '../policy.js';
import { readDerHeader } from './der-header.js';

/** A parsed X.509 certificate with the exact DER it came from. */
export interface Certificate {
  /** The certificate's DER bytes, exactly as received. */
  readonly der: Uint8Array;
  /** The PKI.js structure (read-only use). */
  readonly pkijs: pkijs.Certificate;
}

/** Anything the certificate functions accept: a parsed certificate, its DER, or a PKI.js certificate. */
export type CertificateInput = Certificate | Uint8Array | pkijs.Certificate;

export type CertificateLimits = Pick<ParserLimits, 'maxCertificateBytes' | 'maxCmsCertificates' | 'maxAsn1Depth' | 'maxAsn1Nodes' | 'maxAsn1ContentBytes'>;

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
const CERTIFICATE_LABELS = new Set(['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE']);
const PKCS7_LABELS = new Set(['PKCS7', 'PKCS #7 SIGNED DATA', 'CMS']);

/**
 * Parses one DER certificate.
 * @throws LimitError `LIMIT_EXCEEDED` when it is larger than `maxCertificateBytes` (checked before parsing).
 * @throws SmimeError `MALFORMED_CERTIFICATE` when it is not an X.509 certificate.
 */
export function parseCertificateDer(der: Uint8Array, limits: CertificateLimits = DEFAULT_LIMITS): Certificate {
  if (der.byteLength > limits.maxCertificateBytes) {
    throw new LimitError('maxCertificateBytes', `certificate is ${der.byteLength} bytes, over the limit of ${limits.maxCertificateBytes}`);
  }
  let asn1: asn1js.AsnType;
  try {
    asn1 = parseBer(der, limits, 'certificate');
  } catch (error) {
    if (error instanceof LimitError) throw error;
    throw new SmimeError('MALFORMED_CERTIFICATE', 'certificate is not valid DER', { cause: error });
  }
  try {
    return { der, pkijs: new pkijs.Certificate({ schema: asn1 }) };
  } catch (cause) {
    throw new SmimeError('MALFORMED_CERTIFICATE', 'bytes are not an X.509 certificate', { cause });
  }
}

/**
 * Parses certificates from PEM text (any number of CERTIFICATE or PKCS7 blocks), a DER certificate, or a
 * DER/BER PKCS#7 SignedData certs-only bundle (.p7c/.p7b).
 *
 * Security: each certificate is capped at `maxCertificateBytes` before parsing, and a bundle at
 * `maxCmsCertificates` certificates (SEC-31b, SEC-32c).
 * @throws LimitError `LIMIT_EXCEEDED` on any size or count limit.
 * @throws SmimeError `MALFORMED_PEM`, `MALFORMED_CERTIFICATE` or `MALFORMED_CMS` on bad input.
 */
export function parseCertificates(input: Uint8Array | string, limits: CertificateLimits = DEFAULT_LIMITS): Certificate[] {
  const text = typeof input === 'string' ? input : looksLikePem(input) ? toBinaryString(input) : null;
  if (text === null) return parseDerInput(input as Uint8Array, limits);
  const out: Certificate[] = [];
  let found = false;
  for (const match of text.matchAll(PEM_BLOCK)) {
    found = true;
    const label = match[1]!;
    const der = base64Decode(stripPemHeaders(match[2]!));
    if (CERTIFICATE_LABELS.has(label)) out.push(parseCertificateDer(der, limits));
    else if (PKCS7_LABELS.has(label)) out.push(...parseCertsOnly(der, limits));
    if (out.length > limits.maxCmsCertificates) {
      throw new LimitError('maxCmsCertificates', `more than ${limits.maxCmsCertificates} certificates in one input`);
    }
  }
  if (!found) {
    if (typeof input === 'string' && /^[A-Za-z0-9+/=\s]+$/.test(input) && input.trim().length > 0) {
      return parseDerInput(base64Decode(input), limits);
    }
    throw new SmimeError('MALFORMED_PEM', 'no PEM certificate block found');
  }
  if (out.length === 0) throw new SmimeError('MALFORMED_PEM', 'the PEM blocks hold no certificate');
  return out;
}

/** Normalises any accepted certificate form to `Certificate`. */
export function toCertificate(input: CertificateInput, limits: CertificateLimits = DEFAULT_LIMITS): Certificate {
  if (input instanceof Uint8Array) return parseCertificateDer(input, limits);
  if (input instanceof pkijs.Certificate) {
    return { der: new Uint8Array(input.toSchema(false).toBER(false)), pkijs: input };
  }
  return input;
}

function looksLikePem(bytes: Uint8Array): boolean {
  const head = fromBinaryString('-----BEGIN');
  for (let start = 0; start + head.length <= Math.min(bytes.length, 4096); start++) {
    let same = true;
    for (let i = 0; i < head.length && same; i++) same = bytes[start + i] === head[i];
    if (same) return true;
  }
  return false;
}

/** RFC 1421-style headers ("Proc-Type: ...") may precede the base64 in old PEM; drop them. */
function stripPemHeaders(body: string): string {
  return body.split(/\r?\n/).filter((line) => !line.includes(':')).join('');
}

function parseDerInput(der: Uint8Array, limits: CertificateLimits): Certificate[] {
  if (isContentInfo(der)) return parseCertsOnly(der, limits);
  return [parseCertificateDer(der, limits)];
}

/** A ContentInfo starts SEQUENCE { OBJECT IDENTIFIER ...; a Certificate starts SEQUENCE { SEQUENCE ... . */
function isContentInfo(der: Uint8Array): boolean {
  const outer = readDerHeader(der, 0);
  if (!outer || outer.tag !== 0x30) return false;
  const first = readDerHeader(der, outer.headerLength);
  return first !== null && first.tag === 0x06;
}

/**
 * Certificates of a SignedData (RFC 5652 §5.1) certs-only bundle. The certificate sizes are checked by walking
 * the DER headers before anything is parsed, so a single oversized certificate is refused without parsing it.
 */
function parseCertsOnly(der: Uint8Array, limits: CertificateLimits): Certificate[] {
  const certificates = locateCertificates(der, limits);
  if (certificates === null) {
    // Indefinite-length BER: fall back to a bounded full parse, capped by the total size.
    const cap = limits.maxCertificateBytes * limits.maxCmsCertificates;
    if (der.byteLength > cap) throw new LimitError('maxCertificateBytes', `certificate bundle is ${der.byteLength} bytes, over ${cap}`);
    return parseCertsOnlyFull(der, limits);
  }
  return certificates.map((slice) => parseCertificateDer(slice, limits));
}

function locateCertificates(der: Uint8Array, limits: CertificateLimits): Uint8Array[] | null {
  const malformed = (why: string): SmimeError => new SmimeError('MALFORMED_CMS', `certificate bundle: ${why}`);
  const contentInfo = readDerHeader(der, 0);
  if (!contentInfo || contentInfo.length < 0) return null;
  let offset = contentInfo.headerLength;
  const oid = readDerHeader(der, offset);
  if (!oid) throw malformed('no content type');
  const oidBytes = der.subarray(offset + oid.headerLength, offset + oid.headerLength + oid.length);
  if (!oidEquals(oidBytes, OID.signedData)) throw malformed('content type is not signedData');
  offset += oid.headerLength + oid.length;
  const explicit = readDerHeader(der, offset);
  if (!explicit || explicit.tag !== 0xa0) throw malformed('no content');
  if (explicit.length < 0) return null;
  offset += explicit.headerLength;
  const signedData = readDerHeader(der, offset);
  if (!signedData || signedData.tag !== 0x30) throw malformed('content is not a SignedData');
  if (signedData.length < 0) return null;
  const end = offset + signedData.headerLength + signedData.length;
  offset += signedData.headerLength;
  // version, digestAlgorithms, encapContentInfo, then optional [0] IMPLICIT CertificateSet
  for (let i = 0; i < 3; i++) {
    const field = readDerHeader(der, offset);
    if (!field || field.length < 0) return null;
    offset += field.headerLength + field.length;
  }
  const set = readDerHeader(der, offset);
  if (!set || set.tag !== 0xa0 || offset >= end) return [];
  if (set.length < 0) return null;
  const out: Uint8Array[] = [];
  let position = offset + set.headerLength;
  const setEnd = position + set.length;
  while (position < setEnd) {
    const item = readDerHeader(der, position);
    if (!item || item.length < 0) return null;
    const size = item.headerLength + item.length;
    if (size > limits.maxCertificateBytes) {
      throw new LimitError('maxCertificateBytes', `a certificate in the bundle is ${size} bytes, over the limit of ${limits.maxCertificateBytes}`);
    }
    if (item.tag === 0x30) out.push(der.subarray(position, position + size));
    if (out.length > limits.maxCmsCertificates) {
      throw new LimitError('maxCmsCertificates', `more than ${limits.maxCmsCertificates} certificates in one bundle`);
    }
    position += size;
  }
  return out;
}

function parseCertsOnlyFull(der: Uint8Array, limits: CertificateLimits): Certificate[] {
  let signed: pkijs.SignedData;
  try {
    const contentInfo = new pkijs.ContentInfo({ schema: parseBer(der, limits, 'certificate bundle') });
    if (contentInfo.contentType !== OID.signedData) throw new SmimeError('MALFORMED_CMS', 'certificate bundle is not signedData');
    signed = new pkijs.SignedData({ schema: contentInfo.content });
  } catch (error) {
    if (error instanceof SmimeError) throw error;
    throw new SmimeError('MALFORMED_CMS', 'certificate bundle is not a PKCS#7 SignedData', { cause: error });
  }
  const certificates = (signed.certificates ?? []).filter((item): item is pkijs.Certificate => item instanceof pkijs.Certificate);
  if (certificates.length > limits.maxCmsCertificates) {
    throw new LimitError('maxCmsCertificates', `more than ${limits.maxCmsCertificates} certificates in one bundle`);
  }
  return certificates.map((certificate) => parseCertificateDer(new Uint8Array(certificate.toSchema(false).toBER(false)), limits));
}

function oidEquals(encoded: Uint8Array, dotted: string): boolean {
  const arcs = dotted.split('.').map(Number);
  const bytes: number[] = [];
  const pushArc = (value: number): void => {
    const chunk: number[] = [value & 0x7f];
    for (let rest = Math.floor(value / 128); rest > 0; rest = Math.floor(rest / 128)) chunk.unshift((rest & 0x7f) | 0x80);
    bytes.push(...chunk);
  };
  pushArc(arcs[0]! * 40 + arcs[1]!);
  for (const arc of arcs.slice(2)) pushArc(arc);
  return encoded.length === bytes.length && bytes.every((value, i) => encoded[i] === value);
}

/**
 * The DER of a certificate's subject Name, found by walking TLV headers without parsing (for cheap anchor
 * lookup by name), or null when the bytes do not have the Certificate shape (RFC 5280 §4.1).
 */
export function certificateSubjectDer(der: Uint8Array): Uint8Array | null {
  const certificate = readDerHeader(der, 0);
  if (!certificate || certificate.tag !== 0x30 || certificate.length < 0) return null;
  const tbs = readDerHeader(der, certificate.headerLength);
  if (!tbs || tbs.tag !== 0x30 || tbs.length < 0) return null;
  let offset = certificate.headerLength + tbs.headerLength;
  // [0] version (optional), serialNumber, signature, issuer, validity, then subject
  const fields = [0x02, 0x30, 0x30, 0x30];
  let header = readDerHeader(der, offset);
  if (header && header.tag === 0xa0 && header.length >= 0) {
    offset += header.headerLength + header.length;
    header = readDerHeader(der, offset);
  }
  for (const tag of fields) {
    if (!header || header.tag !== tag || header.length < 0) return null;
    offset += header.headerLength + header.length;
    header = readDerHeader(der, offset);
  }
  if (!header || header.tag !== 0x30 || header.length < 0) return null;
  return der.subarray(offset, offset + header.headerLength + header.length);
}
