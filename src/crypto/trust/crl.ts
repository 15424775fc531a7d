/**
 * A revocation checker over CRLs supplied as DER bytes (RFC 5280 §5, §6.3), for `validatePath`.
 * No network: the caller decides where CRLs come from (SEC-29d/e).
 *
 * Supported: complete CRLs issued and signed by the certificate's issuer, with validity at the injected
 * time, issuingDistributionPoint onlyContainsUserCerts/onlyContainsCACerts, and cRLSign on the issuer.
 * Not supported, so such a CRL is not used (its certificates come out 'unknown', never 'good'): delta CRLs
 * (RFC 5280 §5.2.4), indirect CRLs (§5.2.5 indirectCRL, §5.3.3 certificateIssuer), CRLs partitioned by
 * reason (onlySomeReasons), and CRLs signed by a different key than the certificate's issuer.
 */
import * as pkijs from 'pkijs';
import * as asn1js from 'asn1js';
import { parseBer } from '../asn1.js';
import type { Certificate } from '../cert/certificate.js';
import { basicConstraints, keyUsage } from '../cert/extensions.js';
import { namesMatch } from '../cert/names.js';
import { verifySignedBytes } from '../cert/signature.js';
import { LimitError, SmimeError } from '../errors.js';
import { OID } from '../oids.js';
import { DEFAULT_LIMITS, DEFAULT_MAX_CRL_BYTES, type ParserLimits } from '../policy.js';
import type { RevocationChecker, RevocationStatus } from './validate-path.js';

/** CRL extensions a CRL may mark critical and still be used (RFC 5280 §5.2). */
const UNDERSTOOD_CRL_EXTENSIONS: ReadonlySet<string> = new Set([OID.crlNumber, OID.authorityKeyIdentifier, OID.issuingDistributionPoint, OID.issuerAltName]);
const UNDERSTOOD_ENTRY_EXTENSIONS: ReadonlySet<string> = new Set([OID.crlReason, OID.invalidityDate]);
/** CRLReason removeFromCRL (RFC 5280 §5.3.1): only meaningful in delta CRLs. */
const REMOVE_FROM_CRL = 8;

/**
 * Parses one CRL with limits.
 * @throws LimitError `LIMIT_EXCEEDED` when it is larger than `maxCrlBytes` or hits an ASN.1 limit.
 * @throws SmimeError `MALFORMED_ASN1` when it is not a CRL.
 */
export function parseCrl(der: Uint8Array, limits: Pick<ParserLimits, 'maxAsn1Depth' | 'maxAsn1Nodes' | 'maxAsn1ContentBytes'> = DEFAULT_LIMITS, maxCrlBytes = DEFAULT_MAX_CRL_BYTES): pkijs.CertificateRevocationList {
  if (der.byteLength > maxCrlBytes) throw new LimitError('maxCrlBytes', `CRL is ${der.byteLength} bytes, over the limit of ${maxCrlBytes}`);
  const asn1 = parseBer(der, limits, 'CRL');
  try {
    return new pkijs.CertificateRevocationList({ schema: asn1 });
  } catch (cause) {
    throw new SmimeError('MALFORMED_ASN1', 'bytes are not an X.509 CRL', { cause });
  }
}

export interface CrlCheckerOptions {
  /** CRLs, DER. Unparseable ones are ignored (reported through `onUnusable`). */
  crls: readonly Uint8Array[];
  crypto: Crypto;
  /** Validation time (injected). */
  now: Date;
  maxCrlBytes?: number;
  /** Called with a reason whenever a CRL cannot be used (for diagnostics). */
  onUnusable?: (reason: string) => void;
}

function serialHex(value: asn1js.Integer): string {
  let bytes = value.valueBlock.valueHexView;
  while (bytes.length > 1 && bytes[0] === 0) bytes = bytes.subarray(1);
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function extensionValue(extension: pkijs.Extension): asn1js.AsnType {
  return parseBer(new Uint8Array(extension.extnValue.valueBlock.valueHexView), DEFAULT_LIMITS, 'CRL extension');
}

/** Why this CRL cannot be used for `certificate`, or null when it can (signature checked separately). */
function unusableReason(crl: pkijs.CertificateRevocationList, certificate: Certificate, now: Date): string | null {
  if (crl.thisUpdate.value.getTime() > now.getTime()) return 'thisUpdate is in the future';
  if (!crl.nextUpdate) return 'no nextUpdate';
  if (crl.nextUpdate.value.getTime() < now.getTime()) return 'nextUpdate has passed';
  for (const extension of crl.crlExtensions?.extensions ?? []) {
    if (extension.extnID === OID.deltaCrlIndicator) return 'delta CRLs are not supported';
    if (extension.critical && !UNDERSTOOD_CRL_EXTENSIONS.has(extension.extnID)) return `unknown critical CRL extension ${extension.extnID}`;
    if (extension.extnID === OID.issuingDistributionPoint) {
      const idp = new pkijs.IssuingDistributionPoint({ schema: extensionValue(extension) });
      if (idp.indirectCRL) return 'indirect CRLs are not supported';
      if (idp.onlySomeReasons !== undefined) return 'CRLs partitioned by reason are not supported';
      if (idp.onlyContainsAttributeCerts) return 'attribute-certificate CRL';
      const isCa = basicConstraints(certificate)?.ca ?? false;
      if (idp.onlyContainsUserCerts && isCa) return 'CRL covers end-entity certificates only';
      if (idp.onlyContainsCACerts && !isCa) return 'CRL covers CA certificates only';
    }
  }
  for (const entry of crl.revokedCertificates ?? []) {
    for (const extension of entry.crlEntryExtensions?.extensions ?? []) {
      if (extension.critical && !UNDERSTOOD_ENTRY_EXTENSIONS.has(extension.extnID)) return `unknown critical CRL entry extension ${extension.extnID}`;
    }
  }
  return null;
}

function entryReason(entry: pkijs.RevokedCertificate): number | null {
  const extension = entry.crlEntryExtensions?.extensions.find((e) => e.extnID === OID.crlReason);
  if (!extension) return null;
  const value = extensionValue(extension);
  return value instanceof asn1js.Enumerated ? value.valueBlock.valueDec : null;
}

/**
 * A `RevocationChecker` over the given CRLs: 'revoked' when a usable CRL of the issuer lists the
 * certificate, 'good' when a usable CRL does not, 'unknown' when no usable CRL exists.
 * A CRL is usable when its issuer name equals the certificate's issuer, its signature verifies with the
 * issuer's key, the issuer may sign CRLs (keyUsage cRLSign if present), and it is current at `now`.
 */
export function createCrlRevocationChecker(options: CrlCheckerOptions): RevocationChecker {
  const parsed: pkijs.CertificateRevocationList[] = [];
  for (const der of options.crls) {
    try {
      parsed.push(parseCrl(der, DEFAULT_LIMITS, options.maxCrlBytes));
    } catch (error) {
      if (!(error instanceof SmimeError)) throw error;
      options.onUnusable?.(`unparseable CRL: ${error.message}`);
    }
  }
  const signatureResults = new Map<string, Promise<boolean>>();
  const signatureOk = (crl: pkijs.CertificateRevocationList, crlIndex: number, issuer: Certificate): Promise<boolean> => {
    const key = `${crlIndex}:${issuer.der.length}:${Array.from(issuer.der.subarray(issuer.der.length - 16)).join(',')}`;
    let pending = signatureResults.get(key);
    if (!pending) {
      pending = crl.signature.algorithmId !== crl.signatureAlgorithm.algorithmId
        ? Promise.resolve(false)
        : verifySignedBytes({
          signedBytes: new Uint8Array(crl.tbsView),
          signature: new Uint8Array(crl.signatureValue.valueBlock.valueHexView),
          algorithm: crl.signatureAlgorithm,
          issuerKey: issuer.pkijs.subjectPublicKeyInfo,
          crypto: options.crypto,
        }).then((result) => result.ok);
      signatureResults.set(key, pending);
    }
    return pending;
  };

  return async (certificate: Certificate, issuer: Certificate): Promise<RevocationStatus> => {
    const usage = keyUsage(issuer);
    if (usage !== null && !usage.includes('cRLSign')) {
      options.onUnusable?.('the issuer may not sign CRLs (keyUsage lacks cRLSign)');
      return 'unknown';
    }
    const serial = serialHex(certificate.pkijs.serialNumber);
    let status: RevocationStatus = 'unknown';
    for (const [index, crl] of parsed.entries()) {
      if (!namesMatch(crl.issuer, certificate.pkijs.issuer)) continue;
      const reason = unusableReason(crl, certificate, options.now);
      if (reason) {
        options.onUnusable?.(reason);
        continue;
      }
      if (!(await signatureOk(crl, index, issuer))) {
        options.onUnusable?.('CRL signature does not verify with the issuer key');
        continue;
      }
      const entry = (crl.revokedCertificates ?? []).find((candidate) => serialHex(candidate.userCertificate) === serial);
      if (entry && entryReason(entry) !== REMOVE_FROM_CRL) return 'revoked';
      status = 'good';
    }
    return status;
  };
}
