/**
 * Output of the command-line tool: the JSON contract (documented in README "Command line") and a
 * plain-text rendering. Certificate text is printed with control and bidi characters made visible
 * (SEC-15: strings from certificates never shape the output).
 */
import type { CertificateSummary, MessageReport, PurposeAssessment } from '../crypto/index.js';

/** Control characters, and bidi overrides/isolates, as \u{..} escapes. */
export function visible(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
}

function certificateJson(summary: CertificateSummary | null) {
  if (!summary) return null;
  return {
    subject: summary.subject,
    issuer: summary.issuer,
    serialNumberHex: summary.serialNumberHex,
    notBefore: summary.notBefore,
    notAfter: summary.notAfter,
    emailAddresses: summary.emailAddresses,
    fingerprintSha256: summary.fingerprintSha256,
  };
}

/** The JSON printed by `waxseal open --json`. */
export function toJsonReport(report: MessageReport) {
  const { signature, encryption } = report;
  return {
    signature: {
      verdict: signature.verdict,
      signer: signature.signer,
      reasons: signature.reasons,
      coversWholeMessage: signature.coversWholeMessage,
      form: signature.form,
      signingTime: signature.signingTime,
      digestAlgorithm: signature.digestAlgorithm,
      signatureAlgorithm: signature.signatureAlgorithm,
      signerCertificate: certificateJson(signature.signerCertificate),
      chain: signature.chain.map((c) => c.subject),
      checks: signature.checks,
    },
    encryption: {
      verdict: encryption.verdict,
      reasons: encryption.reasons,
      contentEncryption: encryption.contentEncryption,
      decryptedWith: encryption.decryptedWith,
    },
    text: report.text,
  };
}

const VERDICT_TEXT: Record<string, string> = {
  valid: 'valid signature',
  warning: 'signature with warnings',
  invalid: 'INVALID signature',
  none: 'not signed',
};

/** Plain-text rendering for `waxseal open`. */
export function formatReport(report: MessageReport): string {
  const { signature, encryption } = report;
  const lines = [`Signature: ${VERDICT_TEXT[signature.verdict] ?? signature.verdict}${signature.reasons.length ? ` (${signature.reasons.join(', ')})` : ''}`];
  if (signature.signer) lines.push(`  Signer: ${visible(signature.signer)}`);
  if (signature.signerCertificate) lines.push(`  Certificate: ${visible(signature.signerCertificate.subject)}`);
  if (signature.form) lines.push(`  Form: ${signature.form}${signature.coversWholeMessage ? ', covers the whole message' : ', does NOT cover the whole message'}`);
  lines.push(`  Signing time: ${signature.signingTime ?? 'none'}`);
  for (const check of signature.checks.filter((c) => !c.ok)) lines.push(`  - ${check.code}: ${visible(check.detail ?? '')}`);
  lines.push(`Encryption: ${encryption.verdict}${encryption.reasons.length ? ` (${encryption.reasons.join(', ')})` : ''}${encryption.contentEncryption ? `, ${encryption.contentEncryption}` : ''}`);
  if (report.text !== null) lines.push('', visible(report.text).replace(/\\u\{a\}/g, '\n').replace(/\\u\{d\}/g, ''));
  return `${lines.join('\n')}\n`;
}

/** Plain-text rendering for `waxseal inspect <certificate>`. */
export function formatCertificate(certificate: CertificateSummary & { signing: PurposeAssessment; encryption: PurposeAssessment }): string {
  return [
    `Subject:     ${visible(certificate.subject)}`,
    `Issuer:      ${visible(certificate.issuer)}`,
    `Serial:      ${certificate.serialNumberHex}`,
    `Valid:       ${certificate.notBefore} – ${certificate.notAfter}`,
    `Addresses:   ${certificate.emailAddresses.map(visible).join(', ') || '(none)'}`,
    `SHA-256:     ${certificate.fingerprintSha256}`,
    `Signing:     ${certificate.signing.usable ? 'usable' : `not usable (${certificate.signing.failures.join(', ')})`}`,
    `Encryption:  ${certificate.encryption.usable ? 'usable' : `not usable (${certificate.encryption.failures.join(', ')})`}`,
    '',
  ].join('\n');
}
