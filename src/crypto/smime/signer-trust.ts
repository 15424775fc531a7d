/**
 * Trust in the signer (SEC-11, SEC-28, SEC-29): path validation to the configured e-mail anchors at the
 * verification time, mapped to signature-report reason codes.
 */
import type { Certificate } from '../cert/certificate.js';
import type { Policy } from '../policy.js';
import type { Check } from '../types.js';
import type { TrustAnchor } from '../trust/anchors.js';
import { validatePath, type PathResult, type RevocationChecker } from '../trust/validate-path.js';

export interface SignerTrustOptions {
  leaf: Uint8Array | Certificate;
  intermediates: readonly (Uint8Array | Certificate)[];
  /** Anchors; a bare DER certificate is an anchor for e-mail given by the caller. */
  anchors: readonly (Uint8Array | TrustAnchor)[];
  now: Date;
  signingTime: Date | null;
  crypto: Crypto;
  policy: Policy;
  revocation?: RevocationChecker;
}

export interface SignerTrust {
  checks: Check[];
  /** DER of the validated (or best attempted) path, leaf first. */
  chain: Uint8Array[];
}

/**
 * Path codes that keep their own name in reports; every other failure is `UNTRUSTED`. The leaf's own
 * purpose and key size are reported by the message verifier (CERTIFICATE_NOT_FOR_SIGNING, WEAK_KEY).
 */
const PATH_REASONS: Partial<Record<PathResult['code'], string>> = {
  REVOKED: 'REVOKED',
  NOT_YET_VALID: 'NOT_YET_VALID',
};

/**
 * Validates the signer's path at `now`. A certificate that has expired since a signing-time inside its
 * validity gives `EXPIRED_SINCE_SIGNING` (a warning, SEC-28a) when the path was valid at that time;
 * revocation "unknown" gives `REVOCATION_UNKNOWN` (a warning unless the policy is strict, SEC-29).
 */
export async function checkSignerTrust(options: SignerTrustOptions): Promise<SignerTrust> {
  const anchors: TrustAnchor[] = options.anchors.map((anchor) =>
    anchor instanceof Uint8Array ? { der: anchor, source: 'user', purposes: ['email'] } : anchor);
  const validate = (now: Date) => validatePath({
    leaf: options.leaf,
    intermediates: options.intermediates,
    anchors,
    now,
    purpose: 'smime-signing',
    crypto: options.crypto,
    policy: options.policy,
    revocation: options.revocation,
  });
  const result = await validate(options.now);
  const chain = result.chain.map((certificate: Certificate) => certificate.der);
  if (result.status === 'valid') {
    const checks: Check[] = [{ code: 'UNTRUSTED', ok: true, detail: `path to ${result.anchor?.label ?? 'a trusted anchor'}` }];
    if (result.revocation === 'unknown') checks.push({ code: 'REVOCATION_UNKNOWN', ok: false, detail: 'revocation status could not be determined' });
    return { checks, chain };
  }
  const detail = `${result.code}: ${result.checks.find((check) => !check.ok)?.detail ?? ''}`;
  if (result.code === 'EXPIRED' && options.signingTime && options.signingTime < options.now) {
    const atSigning = await validate(options.signingTime);
    if (atSigning.status === 'valid') {
      return {
        checks: [
          { code: 'UNTRUSTED', ok: true, detail: 'path valid at the signing time' },
          { code: 'EXPIRED_SINCE_SIGNING', ok: false, detail: `valid when signed (${options.signingTime.toISOString()}), expired now` },
        ],
        chain: atSigning.chain.map((certificate: Certificate) => certificate.der),
      };
    }
  }
  return { checks: [{ code: PATH_REASONS[result.code] ?? 'UNTRUSTED', ok: false, detail }], chain };
}
