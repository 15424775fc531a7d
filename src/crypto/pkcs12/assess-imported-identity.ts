/**
 * What the user must know before a PKCS#12 identity is stored (SEC-38h): expired or not yet valid,
 * not meant for e-mail, wrong key usage, no address, or an address that is none of the user's accounts.
 * These are warnings that need explicit confirmation; a certificate meant only for TLS servers is refused
 * outright (SEC-26e).
 */
import { SmimeError } from '../errors.js';
import { OID, describeOid } from '../oids.js';
import { DEFAULT_SIGNATURE_POLICY, type SignaturePolicy } from '../policy.js';
import {
  assessCertificateForEncryption, assessCertificateForSigning, certificateEmailAddresses, certificateFingerprint,
  certificateMatchesAddress, extendedKeyUsage, toCertificate,
} from '../cert/index.js';
import type { Pkcs12Identity } from './types.js';

export type ImportWarningCode =
  | 'EXPIRED'
  | 'NOT_YET_VALID'
  | 'NOT_FOR_EMAIL'
  | 'KEY_USAGE'
  | 'NO_EMAIL_ADDRESS'
  | 'ADDRESS_NOT_AN_ACCOUNT'
  | 'WEAK_OR_UNSUPPORTED_KEY'
  | 'CA_CERTIFICATE';

export interface ImportWarning {
  code: ImportWarningCode;
  /** English detail for logs; the UI shows `i18n.getMessage('importWarning_' + code)`. */
  detail: string;
}

export interface ImportedIdentityAssessment {
  /** Non-empty means: show the warnings and ask for explicit confirmation before storing (SEC-38h). */
  warnings: ImportWarning[];
  /** The certificate may sign mail (keyUsage/EKU/key checks of SEC-26 pass). */
  canSign: boolean;
  /** Mail may be encrypted to the certificate. */
  canEncrypt: boolean;
  /** Addresses the certificate vouches for (SEC-27 sources). */
  addresses: string[];
  notBefore: string;
  notAfter: string;
  fingerprintSha256: string;
}

export interface AssessImportedIdentityOptions {
  /** The verification time; injected, never the wall clock inside the engine (SEC-28). */
  now: Date;
  crypto: Crypto;
  /** The user's Thunderbird account addresses; when given, a certificate for none of them is a warning. */
  accountAddresses?: readonly string[];
  policy?: Pick<SignaturePolicy, 'minRsaBits'>;
}

/** TLS-only purposes: a certificate whose EKU holds nothing else can never be an e-mail certificate. */
const SERVER_ONLY_PURPOSES = new Set<string>([OID.serverAuth]);

/**
 * Assesses an imported identity's certificate for use as the user's own S/MIME identity.
 * @throws SmimeError `PKCS12_CERT_NOT_FOR_EMAIL` when the extendedKeyUsage allows only TLS server
 *   authentication (SEC-26e); `detail.reason` is `'eku-server-auth-only'`.
 * @throws SmimeError `MALFORMED_CERTIFICATE` when the certificate or an extension is malformed.
 */
export async function assessImportedIdentity(
  identity: Pick<Pkcs12Identity, 'certificate'>,
  options: AssessImportedIdentityOptions,
): Promise<ImportedIdentityAssessment> {
  const certificate = toCertificate(identity.certificate);
  const policy = options.policy ?? DEFAULT_SIGNATURE_POLICY;
  const eku = extendedKeyUsage(certificate);
  if (eku !== null && eku.length > 0 && eku.every((purpose) => SERVER_ONLY_PURPOSES.has(purpose))) {
    throw new SmimeError('PKCS12_CERT_NOT_FOR_EMAIL', 'The certificate is only for TLS servers (extendedKeyUsage serverAuth) and cannot be used for e-mail', {
      detail: { reason: 'eku-server-auth-only', extendedKeyUsage: eku.map(describeOid) },
    });
  }

  const warnings: ImportWarning[] = [];
  const notBefore = certificate.pkijs.notBefore.value;
  const notAfter = certificate.pkijs.notAfter.value;
  if (options.now.getTime() > notAfter.getTime()) {
    warnings.push({ code: 'EXPIRED', detail: `expired on ${notAfter.toISOString()}` });
  } else if (options.now.getTime() < notBefore.getTime()) {
    warnings.push({ code: 'NOT_YET_VALID', detail: `valid from ${notBefore.toISOString()}` });
  }

  const signing = assessCertificateForSigning(certificate, policy);
  const encryption = assessCertificateForEncryption(certificate, policy);
  const failed = new Set([...signing.failures, ...encryption.failures]);
  if (failed.has('EKU_EMAIL_PROTECTION')) {
    warnings.push({ code: 'NOT_FOR_EMAIL', detail: `extendedKeyUsage is ${(eku ?? []).map(describeOid).join(', ')}, without emailProtection` });
  }
  if (failed.has('KEY_USAGE_SIGNING') || failed.has('KEY_USAGE_ENCRYPTION')) {
    const missing = [signing.failures.includes('KEY_USAGE_SIGNING') ? 'signing' : '', encryption.failures.includes('KEY_USAGE_ENCRYPTION') ? 'encryption' : ''].filter(Boolean);
    warnings.push({ code: 'KEY_USAGE', detail: `keyUsage does not allow ${missing.join(' or ')}` });
  }
  if (signing.failures.includes('KEY_TYPE_SUPPORTED') || failed.has('KEY_SIZE')) {
    const key = signing.checks.filter((check) => check.code === 'KEY_TYPE_SUPPORTED' || check.code === 'KEY_SIZE').map((check) => check.detail).join('; ');
    warnings.push({ code: 'WEAK_OR_UNSUPPORTED_KEY', detail: `the key is not accepted for S/MIME: ${key}` });
  }
  if (failed.has('NOT_A_CA')) warnings.push({ code: 'CA_CERTIFICATE', detail: 'this is a CA certificate, not a personal one' });

  const addresses = certificateEmailAddresses(certificate);
  if (addresses.length === 0) {
    warnings.push({ code: 'NO_EMAIL_ADDRESS', detail: 'the certificate names no e-mail address' });
  } else if (options.accountAddresses && !options.accountAddresses.some((address) => certificateMatchesAddress(certificate, address).matches)) {
    warnings.push({ code: 'ADDRESS_NOT_AN_ACCOUNT', detail: `the certificate is for ${addresses.join(', ')}, none of which is one of your accounts` });
  }

  return {
    warnings,
    canSign: signing.usable,
    canEncrypt: encryption.usable,
    addresses,
    notBefore: notBefore.toISOString(),
    notAfter: notAfter.toISOString(),
    fingerprintSha256: await certificateFingerprint(certificate, options.crypto),
  };
}
