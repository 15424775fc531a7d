/**
 * Trust anchors with a purpose (SEC-11): a certificate is an anchor for e-mail only when its entry says
 * so. An anchor the user added for TLS does not make S/MIME signatures trusted.
 */
import { base64Decode } from '../bytes.js';
import { parseCertificateDer, type Certificate } from '../cert/certificate.js';
import type { CertificateLimits } from '../cert/certificate.js';
import { DEFAULT_LIMITS } from '../policy.js';
import mozillaEmailRoots from './mozilla-email-roots.json';

export type AnchorSource = 'mozilla' | 'organisation' | 'user';
export type AnchorPurpose = 'email' | 'tls' | 'code-signing';

/** A trust anchor as stored: plain data (structured-clonable). */
export interface TrustAnchor {
  /** The anchor certificate, DER. */
  der: Uint8Array;
  source: AnchorSource;
  purposes: AnchorPurpose[];
  /** Display label (e.g. the root's nickname in the Mozilla store). */
  label?: string;
}

/** Parsed anchors by DER object: the same anchor list is validated against for every message (performance.md G5). */
const parsedAnchors = new WeakMap<Uint8Array, Certificate>();

/** The anchor's certificate, parsed with limits (cached per `der` object). */
export function anchorCertificate(anchor: TrustAnchor, limits: CertificateLimits = DEFAULT_LIMITS): Certificate {
  let certificate = parsedAnchors.get(anchor.der);
  if (!certificate) {
    certificate = parseCertificateDer(anchor.der, limits);
    parsedAnchors.set(anchor.der, certificate);
  }
  return certificate;
}

export function anchorAllowsEmail(anchor: TrustAnchor): boolean {
  return anchor.purposes.includes('email');
}

interface BundledRoots {
  source: string;
  generated: string;
  roots: { label: string; der: string; trust: string }[];
}

/** Where the bundled roots came from (package and version), for display and audits. */
export function mozillaRootsSource(): string {
  return (mozillaEmailRoots as BundledRoots).source;
}

/**
 * Mozilla's root store entries that carry the e-mail (S/MIME) trust bit, as bundled by
 * scripts/update-roots.mjs from Debian's libnss3 builtin roots module.
 */
export function mozillaEmailAnchors(): TrustAnchor[] {
  bundledAnchors ??= (mozillaEmailRoots as BundledRoots).roots.map((root) => Object.freeze({
    der: base64Decode(root.der),
    source: 'mozilla' as const,
    purposes: ['email' as const],
    label: root.label,
  }));
  return [...bundledAnchors];
}

/** Decoded once; the entries are frozen so callers cannot change the shared anchors. */
let bundledAnchors: TrustAnchor[] | undefined;
