/**
 * A revocation checker over CRLs supplied as DER bytes (RFC 5280 §5, §6.3), for `validatePath`.
 * No network: the caller decides where CRLs come from (SEC-29d/e).
 *
 * Supported: complete CRLs from the certificate's issuer or, for indirect CRLs, from the cRLIssuer its
 * distribution point names (with certificateIssuer entries); validity at the injected time; the
 * issuingDistributionPoint scope (distribution point names, user/CA-only, reason partitions); a CRL signer that
 * is the issuer, a same-named certificate of the path (key rollover), or a separate CRL-signing certificate
 * issued within the path and itself not revoked; keyUsage cRLSign on the signer; a required CRL number.
 * Delta CRLs (RFC 5280 §5.2.4) are applied on top of a usable complete CRL; a delta alone decides nothing.
 */
import * as pkijs from 'pkijs';
import * as asn1js from 'asn1js';
import { parseBer } from '../asn1.js';
import type { Certificate } from '../cert/certificate.js';
import { basicConstraints, keyUsage } from '../cert/extensions.js';
import { namesMatch, rdnSequence, rdnsEqual, readRdn } from '../cert/names.js';
import { verifyCertificateSignature, verifySignedBytes } from '../cert/signature.js';
import { LimitError, SmimeError } from '../errors.js';
import { OID } from '../oids.js';
import { DEFAULT_LIMITS, DEFAULT_MAX_CRL_BYTES, type ParserLimits } from '../policy.js';
import type { RevocationChecker, RevocationContext, RevocationStatus } from './validate-path.js';

/** CRL extensions a CRL may mark critical and still be used (RFC 5280 §5.2). */
const UNDERSTOOD_CRL_EXTENSIONS: ReadonlySet<string> = new Set([OID.crlNumber, OID.authorityKeyIdentifier, OID.issuingDistributionPoint, OID.issuerAltName, OID.deltaCrlIndicator, OID.freshestCrl]);
const UNDERSTOOD_ENTRY_EXTENSIONS: ReadonlySet<string> = new Set([OID.crlReason, OID.invalidityDate, OID.certificateIssuer]);
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

/** The serial's exact two's-complement bytes (DER INTEGERs are minimal, so equal numbers have equal bytes; PKITS 4.4.14/15). */
function serialHex(value: asn1js.Integer): string {
  return Array.from(value.valueBlock.valueHexView, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function extensionValue(extension: pkijs.Extension): asn1js.AsnType {
  return parseBer(new Uint8Array(extension.extnValue.valueBlock.valueHexView), DEFAULT_LIMITS, 'CRL extension');
}

type Rdns = { type: string; value: asn1js.AsnType }[][];

/** A distribution point name: a directory name as RDNs, or any other GeneralName by its DER. */
type DistributionPointName = { kind: 'dn'; rdns: Rdns } | { kind: 'raw'; hex: string };

/** All reason bits keyCompromise(1) .. aACompromise(8) of ReasonFlags (RFC 5280 §4.2.1.13). */
const ALL_REASONS = 0x1fe;

function reasonMask(bitStringContent: Uint8Array): number {
  let mask = 0;
  for (let bit = 1; bit <= 8; bit++) {
    const byte = bitStringContent[1 + (bit >> 3)];
    if (byte !== undefined && (byte & (0x80 >> (bit & 7))) !== 0) mask |= 1 << bit;
  }
  return mask;
}

function toHexString(bytes: ArrayBuffer): string {
  return Array.from(new Uint8Array(bytes), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** DistributionPointName ::= CHOICE { fullName [0] GeneralNames, nameRelativeToCRLIssuer [1] RDN }, inside its explicit [0]. */
function readDistributionPointName(wrapper: asn1js.AsnType, crlIssuer: Rdns): DistributionPointName[] | null {
  const choice = (wrapper.valueBlock as unknown as { value?: asn1js.AsnType[] }).value?.[0];
  if (!choice) return null;
  const items = (choice.valueBlock as unknown as { value?: asn1js.AsnType[] }).value ?? [];
  if (choice.idBlock.tagNumber === 1) return [{ kind: 'dn', rdns: [...crlIssuer, readRdn(new asn1js.Set({ value: items }))] }];
  return items.map((name): DistributionPointName => {
    const inner = (name.valueBlock as unknown as { value?: asn1js.AsnType[] }).value?.[0];
    if (name.idBlock.tagNumber === 4 && inner instanceof asn1js.Sequence) return { kind: 'dn', rdns: inner.valueBlock.value.map(readRdn) };
    return { kind: 'raw', hex: toHexString(name.toBER(false)) };
  });
}

function distributionPointNamesMatch(a: DistributionPointName, b: DistributionPointName): boolean {
  if (a.kind === 'raw' || b.kind === 'raw') return a.kind === 'raw' && b.kind === 'raw' && a.hex === b.hex;
  return a.rdns.length === b.rdns.length && a.rdns.every((rdn, i) => rdnsEqual(rdn, b.rdns[i]!));
}

interface CertificateDistributionPoint {
  /** The point's names, relative names resolved against the CRL issuer (cRLIssuer, else the certificate's issuer). */
  names: DistributionPointName[];
  /** directoryName entries of the point's cRLIssuer field (indirect CRLs, RFC 5280 §4.2.1.13). */
  crlIssuers: Rdns[];
}

function rdnListsEqual(a: Rdns, b: Rdns): boolean {
  return a.length === b.length && a.every((rdn, i) => rdnsEqual(rdn, b[i]!));
}

/** GeneralNames content items to the RDN lists of their directoryName entries. */
function directoryNames(items: asn1js.AsnType[]): Rdns[] {
  return items.flatMap((name) => {
    const inner = (name.valueBlock as unknown as { value?: asn1js.AsnType[] }).value?.[0];
    return name.idBlock.tagClass === 3 && name.idBlock.tagNumber === 4 && inner instanceof asn1js.Sequence ? [inner.valueBlock.value.map(readRdn)] : [];
  });
}

/** The certificate's cRLDistributionPoints (RFC 5280 §4.2.1.13). */
function certificateDistributionPoints(certificate: Certificate): CertificateDistributionPoint[] {
  const extension = certificate.pkijs.extensions?.find((e) => e.extnID === OID.crlDistributionPoints);
  if (!extension) return [];
  const value = extensionValue(extension);
  if (!(value instanceof asn1js.Sequence)) return [];
  const issuer = rdnSequence(certificate.pkijs.issuer);
  return value.valueBlock.value.map((point) => {
    const fields = (point.valueBlock as unknown as { value?: asn1js.AsnType[] }).value ?? [];
    const issuerField = fields.find((field) => field.idBlock.tagClass === 3 && field.idBlock.tagNumber === 2);
    const crlIssuers = issuerField ? directoryNames((issuerField.valueBlock as unknown as { value?: asn1js.AsnType[] }).value ?? []) : [];
    const name = fields.find((field) => field.idBlock.tagClass === 3 && field.idBlock.tagNumber === 0);
    return { names: name ? readDistributionPointName(name, crlIssuers[0] ?? issuer) ?? [] : [], crlIssuers };
  });
}

/** Whether a CRL from `crlIssuer` may cover the certificate: its own issuer (direct), or a cRLIssuer it names (indirect). */
function crlIssuerRelation(crlIssuer: pkijs.RelativeDistinguishedNames, certificate: Certificate): 'direct' | 'indirect' | null {
  const issuer = rdnSequence(crlIssuer);
  const points = certificateDistributionPoints(certificate);
  const named = (point: CertificateDistributionPoint): boolean => point.crlIssuers.some((name) => rdnListsEqual(name, issuer));
  if (namesMatch(crlIssuer, certificate.pkijs.issuer)) {
    // When every distribution point delegates to another cRLIssuer, the issuer's own CRLs do not cover the certificate (PKITS 4.14.35).
    const delegated = points.length > 0 && points.every((point) => point.crlIssuers.length > 0 && !named(point));
    return delegated ? null : 'direct';
  }
  return points.some(named) ? 'indirect' : null;
}

/**
 * The CRL entry for the certificate, if any. In an indirect CRL each entry belongs to the issuer named by the
 * latest certificateIssuer entry extension, starting with the CRL issuer (RFC 5280 §5.3.3).
 */
function findEntry(crl: pkijs.CertificateRevocationList, certificate: Certificate, serial: string): pkijs.RevokedCertificate | undefined {
  let current = rdnSequence(crl.issuer);
  const wanted = rdnSequence(certificate.pkijs.issuer);
  for (const entry of crl.revokedCertificates ?? []) {
    const issuerExtension = entry.crlEntryExtensions?.extensions.find((extension) => extension.extnID === OID.certificateIssuer);
    if (issuerExtension) {
      const names = extensionValue(issuerExtension);
      current = directoryNames(names instanceof asn1js.Sequence ? names.valueBlock.value : [])[0] ?? current;
    }
    if (serialHex(entry.userCertificate) === serial && rdnListsEqual(current, wanted)) return entry;
  }
  return undefined;
}

/**
 * Whether this CRL can decide `certificate`'s status, and for which reasons: null plus a reason text when
 * it cannot (signature checked separately).
 */
function crlScope(crl: pkijs.CertificateRevocationList, certificate: Certificate, now: Date, relation: 'direct' | 'indirect', delta = false): { reasons: number } | string {
  if (crl.thisUpdate.value.getTime() > now.getTime()) return 'thisUpdate is in the future';
  if (!crl.nextUpdate) return 'no nextUpdate';
  if (crl.nextUpdate.value.getTime() < now.getTime()) return 'nextUpdate has passed';
  let reasons = ALL_REASONS;
  let indirectFlag = false;
  // RFC 5280 §5.2.3: conforming CRL issuers MUST include a (non-critical) CRL number.
  const crlNumber = crl.crlExtensions?.extensions.find((extension) => extension.extnID === OID.crlNumber);
  if (!crlNumber) return 'no CRL number';
  if (crlNumber.critical) return 'critical CRL number';
  for (const extension of crl.crlExtensions?.extensions ?? []) {
    if (extension.extnID === OID.deltaCrlIndicator && !delta) return 'a delta CRL is only used with its complete CRL';
    if (extension.critical && !UNDERSTOOD_CRL_EXTENSIONS.has(extension.extnID)) return `unknown critical CRL extension ${extension.extnID}`;
    if (extension.extnID === OID.issuingDistributionPoint) {
      const idp = readIssuingDistributionPoint(extensionValue(extension), rdnSequence(crl.issuer));
      if (idp === null) return 'malformed issuingDistributionPoint';
      indirectFlag = idp.indirectCRL;
      if (idp.onlyContainsAttributeCerts) return 'attribute-certificate CRL';
      const isCa = basicConstraints(certificate)?.ca ?? false;
      if (idp.onlyContainsUserCerts && isCa) return 'CRL covers end-entity certificates only';
      if (idp.onlyContainsCACerts && !isCa) return 'CRL covers CA certificates only';
      if (idp.onlySomeReasons !== null) reasons = idp.onlySomeReasons;
      if (idp.distributionPoint) {
        // RFC 5280 §6.3.3 (b)(2)(i): a CRL scoped to a distribution point covers only certificates naming it.
        // (ii): a point without a name is matched through its cRLIssuer names.
        const points = certificateDistributionPoints(certificate);
        const matches = idp.distributionPoint.some((name) => points.some((point) =>
          point.names.some((pointName) => distributionPointNamesMatch(name, pointName))
          || (point.names.length === 0 && point.crlIssuers.some((rdns) => distributionPointNamesMatch(name, { kind: 'dn', rdns })))));
        if (!matches) return 'the CRL is for a different distribution point';
      }
    }
  }
  if (delta && !crl.crlExtensions?.extensions.some((extension) => extension.extnID === OID.deltaCrlIndicator)) return 'not a delta CRL';
  // §6.3.3 (b)(1): a CRL from another issuer counts only when it says it is indirect.
  if (relation === 'indirect' && !indirectFlag) return 'CRL from a cRLIssuer that is not marked indirect';
  for (const entry of crl.revokedCertificates ?? []) {
    for (const extension of entry.crlEntryExtensions?.extensions ?? []) {
      if (extension.critical && !UNDERSTOOD_ENTRY_EXTENSIONS.has(extension.extnID)) return `unknown critical CRL entry extension ${extension.extnID}`;
      if (extension.extnID === OID.certificateIssuer && !indirectFlag) return 'certificateIssuer entry in a CRL not marked indirect';
    }
  }
  return { reasons };
}

/** An INTEGER-valued CRL extension (cRLNumber, deltaCRLIndicator), or null when absent or malformed. */
function integerExtension(crl: pkijs.CertificateRevocationList, oid: string): bigint | null {
  const extension = crl.crlExtensions?.extensions.find((candidate) => candidate.extnID === oid);
  if (!extension) return null;
  const value = extensionValue(extension);
  if (!(value instanceof asn1js.Integer)) return null;
  const hex = Array.from(value.valueBlock.valueHexView, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return hex === '' ? null : BigInt(`0x${hex}`);
}

/** The issuingDistributionPoint value as hex ('' when absent), to require equal scope of a complete and a delta CRL. */
function scopeKey(crl: pkijs.CertificateRevocationList): string {
  const extension = crl.crlExtensions?.extensions.find((candidate) => candidate.extnID === OID.issuingDistributionPoint);
  return extension ? Array.from(extension.extnValue.valueBlock.valueHexView, (byte) => byte.toString(16).padStart(2, '0')).join('') : '';
}

interface IssuingDistributionPointFlags {
  distributionPoint: DistributionPointName[] | null;
  onlyContainsUserCerts: boolean;
  onlyContainsCACerts: boolean;
  /** Reason bits the CRL covers (ReasonFlags, RFC 5280 §5.2.5), or null for all. */
  onlySomeReasons: number | null;
  indirectCRL: boolean;
  onlyContainsAttributeCerts: boolean;
}

/**
 * IssuingDistributionPoint ::= SEQUENCE { distributionPoint [0] OPTIONAL, onlyContainsUserCerts [1] BOOLEAN DEFAULT FALSE,
 * onlyContainsCACerts [2] BOOLEAN DEFAULT FALSE, onlySomeReasons [3] ReasonFlags OPTIONAL, indirectCRL [4] BOOLEAN DEFAULT FALSE,
 * onlyContainsAttributeCerts [5] BOOLEAN DEFAULT FALSE } (RFC 5280 §5.2.5), read directly: PKI.js rejects some valid encodings.
 */
function readIssuingDistributionPoint(value: asn1js.AsnType, crlIssuer: Rdns): IssuingDistributionPointFlags | null {
  if (!(value instanceof asn1js.Sequence)) return null;
  const flags: IssuingDistributionPointFlags = {
    distributionPoint: null, onlyContainsUserCerts: false, onlyContainsCACerts: false, onlySomeReasons: null, indirectCRL: false, onlyContainsAttributeCerts: false,
  };
  for (const item of value.valueBlock.value) {
    if (item.idBlock.tagClass !== 3) return null;
    const bytes = (item.valueBlock as unknown as { valueHexView?: Uint8Array }).valueHexView ?? new Uint8Array(0);
    const isTrue = bytes.length === 1 && bytes[0] !== 0;
    switch (item.idBlock.tagNumber) {
      case 0: flags.distributionPoint = readDistributionPointName(item, crlIssuer); break;
      case 1: flags.onlyContainsUserCerts = isTrue; break;
      case 2: flags.onlyContainsCACerts = isTrue; break;
      case 3: flags.onlySomeReasons = reasonMask(bytes); break;
      case 4: flags.indirectCRL = isTrue; break;
      case 5: flags.onlyContainsAttributeCerts = isTrue; break;
      default: return null;
    }
  }
  return flags;
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
      // RFC 5280 §5.1.1.2: the outer signatureAlgorithm must equal the signed one, parameters included.
      const outer = toHexString(crl.signatureAlgorithm.toSchema().toBER(false));
      pending = outer !== toHexString(crl.signature.toSchema().toBER(false))
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

  /** Keys that may have signed `crl` for `certificate` (RFC 5280 §6.3.3 (f)): the issuer, a same-named certificate of the validated path (key rollover), or a same-named CRL-signing certificate issued by one of them. */
  const findSigner = async (crl: pkijs.CertificateRevocationList, index: number, issuer: Certificate, context: RevocationContext | undefined, depth: number): Promise<Certificate | null> => {
    const mayCrlSign = (candidate: Certificate): boolean => {
      const usage = keyUsage(candidate);
      return usage === null || usage.includes('cRLSign');
    };
    const direct = [issuer, ...(context?.path ?? []).filter((c) => c !== issuer && namesMatch(c.pkijs.subject, crl.issuer))];
    for (const candidate of direct) {
      if (mayCrlSign(candidate) && (await signatureOk(crl, index, candidate))) return candidate;
    }
    if (depth > 0 || !context) return null;
    for (const candidate of context.pool.filter((c) => namesMatch(c.pkijs.subject, crl.issuer) && !direct.includes(c))) {
      if (!mayCrlSign(candidate) || !(await signatureOk(crl, index, candidate))) continue;
      const now = options.now.getTime();
      if (now < candidate.pkijs.notBefore.value.getTime() || now > candidate.pkijs.notAfter.value.getTime()) continue;
      for (const parent of context.path.filter((c) => namesMatch(c.pkijs.subject, candidate.pkijs.issuer))) {
        const verified = await verifyCertificateSignature(candidate.pkijs, parent.pkijs, options.crypto);
        // The signer's own status; its CRL may be the one it signs itself (PKITS 4.14.30), so it joins the path for that check.
        if (verified.ok && (await check(candidate, parent, { path: [...context.path, candidate], pool: [] }, depth + 1)) === 'good') return candidate;
      }
    }
    return null;
  };

  /**
   * The newest usable delta CRL for a complete CRL (RFC 5280 §5.2.4, §6.3.3 (c)): same issuer and scope, a
   * base CRL number not above the complete CRL's number, current at `now`, signed by the same key.
   */
  const findDelta = async (complete: pkijs.CertificateRevocationList, certificate: Certificate, relation: 'direct' | 'indirect', signer: Certificate): Promise<pkijs.CertificateRevocationList | null> => {
    const completeNumber = integerExtension(complete, OID.crlNumber);
    if (completeNumber === null) return null;
    let best: { crl: pkijs.CertificateRevocationList; number: bigint } | null = null;
    for (const [index, candidate] of parsed.entries()) {
      if (candidate === complete || !namesMatch(candidate.issuer, complete.issuer) || scopeKey(candidate) !== scopeKey(complete)) continue;
      const base = integerExtension(candidate, OID.deltaCrlIndicator);
      if (base === null || base > completeNumber) continue;
      if (typeof crlScope(candidate, certificate, options.now, relation, true) === 'string') continue;
      if (!(await signatureOk(candidate, index, signer))) continue;
      const number = integerExtension(candidate, OID.crlNumber) ?? -1n;
      if (!best || number > best.number) best = { crl: candidate, number };
    }
    return best?.crl ?? null;
  };

  const check = async (certificate: Certificate, issuer: Certificate, context: RevocationContext | undefined, depth: number): Promise<RevocationStatus> => {
    const serial = serialHex(certificate.pkijs.serialNumber);
    let covered = 0;
    for (const [index, crl] of parsed.entries()) {
      let relation: 'direct' | 'indirect' | null;
      try {
        relation = crlIssuerRelation(crl.issuer, certificate);
      } catch (error) {
        if (!(error instanceof SmimeError)) throw error;
        relation = namesMatch(crl.issuer, certificate.pkijs.issuer) ? 'direct' : null;
      }
      if (relation === null) continue;
      let scope: { reasons: number } | string;
      try {
        scope = crlScope(crl, certificate, options.now, relation);
      } catch (error) {
        // A CRL whose extensions cannot be read is not used; the outcome is 'unknown', not a crash.
        if (!(error instanceof SmimeError)) throw error;
        scope = `malformed CRL extension: ${error.message}`;
      }
      if (typeof scope === 'string') {
        options.onUnusable?.(scope);
        continue;
      }
      const signer = await findSigner(crl, index, issuer, context, depth);
      if (!signer) {
        options.onUnusable?.('no CRL signer found whose key verifies the CRL and that may sign CRLs');
        continue;
      }
      let entry: pkijs.RevokedCertificate | undefined;
      let deltaEntry: pkijs.RevokedCertificate | undefined;
      try {
        entry = findEntry(crl, certificate, serial);
        const delta = await findDelta(crl, certificate, relation, signer);
        deltaEntry = delta ? findEntry(delta, certificate, serial) : undefined;
      } catch (error) {
        if (!(error instanceof SmimeError)) throw error;
        options.onUnusable?.(`malformed CRL entry: ${error.message}`);
        continue;
      }
      // §6.3.3 (g)(h): the newest delta decides when it lists the certificate; removeFromCRL lifts a hold of the base.
      if (deltaEntry) {
        if (entryReason(deltaEntry) !== REMOVE_FROM_CRL) return 'revoked';
      } else if (entry && entryReason(entry) !== REMOVE_FROM_CRL) {
        return 'revoked';
      }
      covered |= scope.reasons;
    }
    // RFC 5280 §6.3.3 (b)-(j): the status is known only when the usable CRLs together cover all reasons.
    return (covered & ALL_REASONS) === ALL_REASONS ? 'good' : 'unknown';
  };

  return (certificate: Certificate, issuer: Certificate, context?: RevocationContext): Promise<RevocationStatus> => check(certificate, issuer, context, 0);
}
