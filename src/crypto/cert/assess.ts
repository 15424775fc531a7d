/**
 * Purpose checks of a single certificate for S/MIME (SEC-26, RFC 8550 §4.4): is this key allowed to sign
 * mail, or to receive encrypted mail? Returns every check with a stable code, never a boolean, so the UI
 * can say *why* a certificate is refused. Chain and trust are separate (`validatePath`).
 */
import { OID } from '../oids.js';
import { DEFAULT_SIGNATURE_POLICY, type SignaturePolicy } from '../policy.js';
import type { Check } from '../types.js';
import { toCertificate, type CertificateInput } from './certificate.js';
import { basicConstraints, extendedKeyUsage, keyUsage } from './extensions.js';
import { describePublicKey } from './signature.js';

/** Codes of the purpose checks (each appears once per assessment, `ok` true or false). */
export type PurposeCheckCode =
  | 'EKU_EMAIL_PROTECTION'
  | 'KEY_USAGE_SIGNING'
  | 'KEY_USAGE_ENCRYPTION'
  | 'KEY_TYPE_SUPPORTED'
  | 'KEY_SIZE'
  | 'NOT_A_CA';

export interface PurposeAssessment {
  /** True when every check passed. */
  usable: boolean;
  checks: Check[];
  /** Codes of the failed checks, in check order. */
  failures: PurposeCheckCode[];
}

function finish(checks: Check[]): PurposeAssessment {
  const failures = checks.filter((check) => !check.ok).map((check) => check.code as PurposeCheckCode);
  return { usable: failures.length === 0, checks, failures };
}

/** RFC 8550 §4.4: if EKU is present, it must contain emailProtection or anyExtendedKeyUsage. */
function ekuCheck(eku: string[] | null): Check {
  if (eku === null) return { code: 'EKU_EMAIL_PROTECTION', ok: true, detail: 'no extendedKeyUsage extension: any purpose' };
  const ok = eku.includes(OID.emailProtection) || eku.includes(OID.anyExtendedKeyUsage);
  return { code: 'EKU_EMAIL_PROTECTION', ok, detail: ok ? 'extendedKeyUsage allows e-mail protection' : 'extendedKeyUsage does not include emailProtection' };
}

function keyChecks(input: CertificateInput, policy: Pick<SignaturePolicy, 'minRsaBits'>, forEncryption: boolean): { checks: Check[]; algorithm: string } {
  const key = describePublicKey(toCertificate(input).pkijs.subjectPublicKeyInfo);
  const supported = key.algorithm === 'RSA'
    || (key.algorithm === 'EC' && ['P-256', 'P-384', 'P-521'].includes(key.curve ?? ''))
    || (!forEncryption && key.algorithm === 'Ed25519');
  const checks: Check[] = [{ code: 'KEY_TYPE_SUPPORTED', ok: supported, detail: key.curve ? `${key.algorithm} ${key.curve}` : key.algorithm }];
  if (key.algorithm === 'RSA') {
    const ok = key.bits !== null && key.bits >= policy.minRsaBits;
    checks.push({ code: 'KEY_SIZE', ok, detail: `RSA ${key.bits ?? '?'} bits, minimum ${policy.minRsaBits}` });
  }
  return { checks, algorithm: key.algorithm };
}

function notCaCheck(input: CertificateInput): Check {
  const constraints = basicConstraints(toCertificate(input));
  return { code: 'NOT_A_CA', ok: !(constraints?.ca ?? false), detail: constraints?.ca ? 'a CA certificate is not an end-entity mail certificate' : 'end-entity certificate' };
}

/**
 * Can this certificate sign mail (SEC-26a/b)? keyUsage, if present, needs digitalSignature or
 * nonRepudiation (RFC 8550 §4.4.2); EKU as RFC 8550 §4.4.4; RSA at least `minRsaBits` (SEC-17d).
 * @throws SmimeError `MALFORMED_CERTIFICATE` on malformed extensions.
 */
export function assessCertificateForSigning(input: CertificateInput, policy: Pick<SignaturePolicy, 'minRsaBits'> = DEFAULT_SIGNATURE_POLICY): PurposeAssessment {
  const certificate = toCertificate(input);
  const usage = keyUsage(certificate);
  const signingOk = usage === null || usage.includes('digitalSignature') || usage.includes('nonRepudiation');
  const { checks } = keyChecks(certificate, policy, false);
  return finish([
    ekuCheck(extendedKeyUsage(certificate)),
    { code: 'KEY_USAGE_SIGNING', ok: signingOk, detail: usage === null ? 'no keyUsage extension' : `keyUsage: ${usage.join(', ') || 'none'}` },
    ...checks,
    notCaCheck(certificate),
  ]);
}

/**
 * Can mail be encrypted to this certificate (SEC-26c)? keyUsage, if present, needs keyEncipherment for
 * RSA key transport and keyAgreement for ECDH (RFC 8550 §4.4.2); EKU as for signing.
 * @throws SmimeError `MALFORMED_CERTIFICATE` on malformed extensions.
 */
export function assessCertificateForEncryption(input: CertificateInput, policy: Pick<SignaturePolicy, 'minRsaBits'> = DEFAULT_SIGNATURE_POLICY): PurposeAssessment {
  const certificate = toCertificate(input);
  const usage = keyUsage(certificate);
  const { checks, algorithm } = keyChecks(certificate, policy, true);
  const needed = algorithm === 'EC' ? 'keyAgreement' : 'keyEncipherment';
  const usageOk = usage === null || usage.includes(needed);
  return finish([
    ekuCheck(extendedKeyUsage(certificate)),
    { code: 'KEY_USAGE_ENCRYPTION', ok: usageOk, detail: usage === null ? 'no keyUsage extension' : `keyUsage: ${usage.join(', ') || 'none'}; ${needed} needed` },
    ...checks,
    notCaCheck(certificate),
  ]);
}
