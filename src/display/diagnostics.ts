/**
 * The "Copy diagnostics" text: what a helper needs to understand a verdict, without message content
 * (no subject, no body) and without the security phrase.
 */
import type { DisplayStatus } from '../shared/read-protocol.js';

export function diagnosticsText(status: DisplayStatus, version: string): string {
  const lines = [
    `Waxseal ${version}`,
    `checked at: ${status.checkedAt}`,
    `signature: ${status.signature ?? 'none'}`,
    `encryption: ${status.encryption ?? 'none'}`,
    `reasons: ${status.reasons.join(', ') || '-'}`,
    `from: ${status.from ?? '-'}`,
    `signer: ${status.signer ?? '-'}`,
    `signing time: ${status.signingTime ?? '-'}`,
    `algorithms: ${[status.digestAlgorithm, status.signatureAlgorithm, status.contentEncryption].filter(Boolean).join(', ') || '-'}`,
    `certificate source: ${status.certificateSource ?? '-'}`,
  ];
  status.chain.forEach((certificate, i) => {
    lines.push(`chain[${i}]: ${certificate.subject} | issuer ${certificate.issuer} | ${certificate.notBefore} – ${certificate.notAfter} | SHA-256 ${certificate.fingerprintSha256}`);
  });
  if (status.chain.length === 0 && status.signerCertificate) {
    const c = status.signerCertificate;
    lines.push(`signer certificate: ${c.subject} | issuer ${c.issuer} | ${c.notBefore} – ${c.notAfter} | SHA-256 ${c.fingerprintSha256}`);
  }
  for (const recipient of status.recipients) {
    lines.push(`encrypted to: ${recipient.description}${recipient.matchingIdentity ? ` (yours: ${recipient.matchingIdentity.fingerprintSha256})` : ''}`);
  }
  return lines.join('\n');
}
