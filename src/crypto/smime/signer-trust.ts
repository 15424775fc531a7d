/**
 * Trust in the signer (SEC-11, SEC-28, SEC-29): path validation to the configured e-mail anchors at the
 * verification time, mapped to signature-report reason codes.
 */
import { toHex } from '../bytes.js';
import type { Certificate } from '../cert/certificate.js';
import { readDerHeader } from '../cert/der-header.js';
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
  const allAnchors: TrustAnchor[] = options.anchors.map((anchor) =>
    anchor instanceof Uint8Array ? { der: anchor, source: 'user', purposes: ['email'] } : anchor);
  const likely = likelyAnchors(allAnchors, [options.leaf, ...options.intermediates]);
  const first = await validateWith(options, likely ?? allAnchors);
  // The shortcut only narrows the search; any failure is decided with every anchor.
  if (likely === null || first.result.status === 'valid') return first.trust;
  return (await validateWith(options, allAnchors)).trust;
}

/**
 * The anchors whose subject Name is byte-for-byte the issuer Name of a certificate we have, or null when
 * none is (then all are tried). Validation parses every anchor it is given, and the Mozilla store has over
 * a hundred; the names are compared on the raw DER without parsing.
 */
function likelyAnchors(anchors: readonly TrustAnchor[], pool: readonly (Uint8Array | Certificate)[]): TrustAnchor[] | null {
  if (anchors.length <= 4) return null;
  const issuers = new Set<string>();
  for (const item of pool) {
    const names = tbsNames(item instanceof Uint8Array ? item : item.der);
    if (names) issuers.add(toHex(names.issuer));
  }
  const matching = anchors.filter((anchor) => {
    const subject = anchorSubjectKey(anchor.der);
    return subject !== null && issuers.has(subject);
  });
  return matching.length > 0 ? matching : null;
}

/**
 * Hex of an anchor's raw subject Name, remembered per DER buffer: the bundled roots are the same objects on every
 * call, so a message no longer walks and hex-encodes a hundred names. A buffer changed after it was remembered can
 * only mis-narrow the shortcut, and any failure is decided again with every anchor.
 */
const anchorSubjects = new WeakMap<Uint8Array, string | null>();

function anchorSubjectKey(der: Uint8Array): string | null {
  let key = anchorSubjects.get(der);
  if (key === undefined) {
    const names = tbsNames(der);
    key = names === null ? null : toHex(names.subject);
    anchorSubjects.set(der, key);
  }
  return key;
}

/** Raw issuer and subject Name encodings of a certificate (RFC 5280 §4.1), by walking DER headers only. */
function tbsNames(der: Uint8Array): { issuer: Uint8Array; subject: Uint8Array } | null {
  const certificate = readDerHeader(der, 0);
  if (!certificate || certificate.tag !== 0x30) return null;
  const tbs = readDerHeader(der, certificate.headerLength);
  if (!tbs || tbs.tag !== 0x30) return null;
  let offset = certificate.headerLength + tbs.headerLength;
  const fields: Uint8Array[] = [];
  while (fields.length < 6) {
    const field = readDerHeader(der, offset);
    if (!field || field.length < 0) return null;
    const end = offset + field.headerLength + field.length;
    // Skip the optional [0] version; keep serialNumber, signature, issuer, validity, subject.
    if (!(fields.length === 0 && field.tag === 0xa0)) fields.push(der.subarray(offset, end));
    if (fields.length === 5) break;
    offset = end;
  }
  return fields.length === 5 ? { issuer: fields[2]!, subject: fields[4]! } : null;
}

async function validateWith(options: SignerTrustOptions, anchors: TrustAnchor[]): Promise<{ result: PathResult; trust: SignerTrust }> {
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
    return { result, trust: { checks, chain } };
  }
  const detail = `${result.code}: ${result.checks.find((check) => !check.ok)?.detail ?? ''}`;
  if (result.code === 'EXPIRED' && options.signingTime && options.signingTime < options.now) {
    const atSigning = await validate(options.signingTime);
    if (atSigning.status === 'valid') {
      // Counts as a success of this anchor set: the path is sound, only time has passed.
      return {
        result: atSigning,
        trust: {
          checks: [
            { code: 'UNTRUSTED', ok: true, detail: 'path valid at the signing time' },
            { code: 'EXPIRED_SINCE_SIGNING', ok: false, detail: `valid when signed (${options.signingTime.toISOString()}), expired now` },
          ],
          chain: atSigning.chain.map((certificate: Certificate) => certificate.der),
        },
      };
    }
  }
  return { result, trust: { checks: [{ code: PATH_REASONS[result.code] ?? 'UNTRUSTED', ok: false, detail }], chain } };
}
