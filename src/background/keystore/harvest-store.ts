/**
 * Glue between the reading side and the harvesting rules: after a message is verified, decide with
 * `decideHarvest` (src/crypto/harvest.ts) and store the outcome with provenance. Touches only the
 * `people` store: harvesting never reaches private key storage (SEC-44d).
 */
import { decideHarvest, type HarvestDecision, type HarvestPolicy, type SignatureReport } from '../../crypto/index.js';
import { describeCertificate } from '../../crypto/cert/index.js';
import type { PeopleCertificates } from './people.js';
import type { SettingsStore } from './settings.js';

export interface HarvestMessage {
  report: SignatureReport;
  from: string;
  messageCertificates: Uint8Array[];
  encryptionKeyPreference?: { certificate: Uint8Array; pathValid: boolean } | null;
  /** The Message-ID header, for provenance. */
  messageId: string | null;
  /** The Subject header and the Date header (ISO), for provenance: the compose popup names the message. */
  subject?: string | null;
  messageDate?: string | null;
  /** ISO time the message was seen (provenance and the rate-limit window). */
  seenAt: string;
}

/**
 * Harvests from one verified message when the user has harvesting on. Returns the decision (its
 * `notices` are for the UI: first certificate, key change, rate limit), or null when switched off.
 * @throws SmimeError `MALFORMED_CERTIFICATE` for certificates that do not parse.
 */
export async function harvestFromMessage(
  people: PeopleCertificates,
  settings: SettingsStore,
  crypto: Crypto,
  message: HarvestMessage,
  policy?: HarvestPolicy,
): Promise<HarvestDecision | null> {
  if (!(await settings.load()).harvestCertificates) return null;
  const from = message.from.trim().toLowerCase();
  const decision = await decideHarvest({
    report: message.report,
    from,
    messageCertificates: message.messageCertificates,
    encryptionKeyPreference: message.encryptionKeyPreference ?? null,
    existing: await people.knownFor(from),
    now: new Date(message.seenAt),
    crypto,
    policy,
  });
  const details = new Map<string, { subject: string; issuer: string; notBefore: string; notAfter: string }>();
  for (const entry of decision.store) {
    const summary = await describeCertificate(entry.certificate, crypto);
    details.set(entry.fingerprintSha256, { subject: summary.subject, issuer: summary.issuer, notBefore: summary.notBefore, notAfter: summary.notAfter });
  }
  if (decision.store.length + decision.seen.length + decision.supersede.length > 0) {
    await people.applyHarvest(decision, details, {
      source: 'harvested',
      sender: from,
      date: message.seenAt,
      messageId: message.messageId,
      subject: message.subject ?? null,
      messageDate: message.messageDate ?? null,
    });
  }
  return decision;
}
