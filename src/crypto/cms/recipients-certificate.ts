/**
 * Certificate facts the encryption layer needs: the recipient identifiers (RFC 5652 §6.2.1 issuerAndSerialNumber,
 * subjectKeyIdentifier) and the public key. Parsing stays within the certificate size limit (SEC-31b).
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { parseBer } from '../asn1.js';
import { toHex } from '../bytes.js';
import { SmimeError } from '../errors.js';
import { OID, describeOid } from '../oids.js';
import { DEFAULT_LIMITS, type ParserLimits } from '../policy.js';

/**
 * Parses one DER certificate within the certificate size limit.
 * @throws SmimeError `MALFORMED_CERTIFICATE` (or a limit error) for bytes that are not a certificate.
 */
export function parseCertificateDer(der: Uint8Array, limits: ParserLimits = DEFAULT_LIMITS): pkijs.Certificate {
  if (der.byteLength > limits.maxCertificateBytes) {
    throw new SmimeError('MALFORMED_CERTIFICATE', `certificate of ${der.byteLength} bytes is over the limit`);
  }
  try {
    return new pkijs.Certificate({ schema: parseBer(der, limits, 'certificate') });
  } catch (cause) {
    if (cause instanceof SmimeError) throw cause;
    throw new SmimeError('MALFORMED_CERTIFICATE', 'not an X.509 certificate', { cause });
  }
}

/** The subjectKeyIdentifier extension value (RFC 5280 §4.2.1.2), or null. */
export function subjectKeyIdentifierOf(certificate: pkijs.Certificate): Uint8Array | null {
  const extension = certificate.extensions?.find((e) => e.extnID === OID.subjectKeyIdentifier);
  const parsed = extension?.parsedValue;
  return parsed instanceof asn1js.OctetString ? parsed.valueBlock.valueHexView : null;
}

const SHORT_NAMES: Record<string, string> = {
  [OID.commonName]: 'CN',
  [OID.organizationName]: 'O',
  [OID.organizationalUnitName]: 'OU',
  [OID.countryName]: 'C',
  [OID.localityName]: 'L',
  [OID.stateOrProvinceName]: 'ST',
  [OID.emailAddress]: 'E',
  [OID.serialNumberAttribute]: 'serialNumber',
  [OID.givenName]: 'GN',
  [OID.surname]: 'SN',
};

/** A distinguished name as text for reports ("CN=…, O=…"), in the order encoded. */
export function describeName(name: pkijs.RelativeDistinguishedNames): string {
  return name.typesAndValues
    .map((tv) => {
      const value = tv.value as { valueBlock?: { value?: unknown } };
      const text = typeof value.valueBlock?.value === 'string' ? value.valueBlock.value : '#';
      return `${SHORT_NAMES[tv.type] ?? describeOid(tv.type)}=${text}`;
    })
    .join(', ');
}

/** The serial number as lower-case hex, as encoded (for reports). */
export function serialHex(serial: asn1js.Integer): string {
  return toHex(serial.valueBlock.valueHexView);
}
