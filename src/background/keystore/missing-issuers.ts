/**
 * Import with an incomplete chain (#8, #9): which intermediate CA certificate is missing, so the
 * options page can name it instead of a vague "not trusted" later. The leaf's issuer links are
 * followed through the certificates the file provided (RFC 5280 §6.1: the issuer of each certificate
 * is the subject of the next); when the last one is neither self-issued nor issued by a known anchor
 * (bundled, user or organisation), its issuer is what is missing.
 */
import { anchorCertificate, mozillaEmailAnchors } from '../../crypto/trust/index.js';
import { formatName, namesMatch, parseCertificateDer, type Certificate } from '../../crypto/cert/index.js';

/**
 * The issuer DN the chain of `leaf` cannot reach, or null when the chain ends in a self-issued
 * certificate or at one of `anchors`. Names are compared as RFC 5280 §7.1 requires (`namesMatch`).
 */
export function missingIssuer(leaf: Certificate, provided: readonly Certificate[], anchors: readonly Certificate[]): string | null {
  const used = new Set<Certificate>([leaf]);
  let current = leaf;
  // Each step uses up one provided certificate, so the walk ends even with a cyclic chain.
  for (;;) {
    const issuer = current.pkijs.issuer;
    if (namesMatch(issuer, current.pkijs.subject)) return null;
    if (anchors.some((anchor) => namesMatch(anchor.pkijs.subject, issuer))) return null;
    const next = provided.find((candidate) => !used.has(candidate) && namesMatch(candidate.pkijs.subject, issuer));
    if (!next) return formatName(issuer);
    used.add(next);
    current = next;
  }
}

/** Parses anchor certificates, leaving out any that do not parse (an unreadable anchor anchors nothing). */
export function parseAnchors(ders: readonly Uint8Array[]): Certificate[] {
  const out: Certificate[] = [];
  for (const der of ders) {
    try {
      out.push(parseCertificateDer(der));
    } catch {
      // Unreadable organisation or user anchors are reported where they are configured, not here.
    }
  }
  return out;
}

/** The bundled Mozilla roots with the e-mail trust bit, parsed (cached per anchor). */
export function bundledEmailAnchors(): Certificate[] {
  return mozillaEmailAnchors().map((anchor) => anchorCertificate(anchor));
}
