/**
 * Opens a displayed message with the engine and remembers the outcome: the status for the banner and
 * the toolbar, and, for encrypted mail, the decrypted entity for Waxseal's decrypted-message page.
 *
 * Everything decrypted stays in this background's memory (a small cache, dropped when the key store
 * locks); nothing is written to disk (SEC-19, docs/decisions.md "Showing decrypted mail").
 *
 * Opening is idempotent per message: Thunderbird fires the display event twice (docs/thunderbird.md §4),
 * and a second request while the first is running shares its result, so a message is verified and
 * harvested once.
 */
import {
  getFromMailbox,
  mozillaEmailAnchors,
  openMessage,
  parseMime,
  stripMozillaHeaders,
  type DecryptionIdentity,
  type HarvestDecision,
  type MessageReport,
  type Policy,
  type TrustAnchor,
} from '../../crypto/index.js';
import type { ContinuityNotice, DisplayStatus } from '../../shared/read-protocol.js';
import { decideDisplayStatus, type OwnIdentity } from './display-status.js';

/** What the reader needs from the key store; the background passes the single instance (services.ts). */
export interface ReaderKeys {
  isUnlocked(): boolean;
  /** Every unlocked identity, old ones too. */
  decryptionIdentities(): DecryptionIdentity[];
  /** The user's certificates (public parts), for "encrypted to which of your certificates". */
  ownIdentities(): Promise<OwnIdentity[]>;
  /** Anchors the user added for e-mail signing (DER). */
  userAnchors(): Promise<TrustAnchor[]>;
  /** Is this certificate (SHA-256 fingerprint) already stored for this address? */
  isKnownCertificate(address: string, fingerprintSha256: string): Promise<boolean>;
  /** Stores the signer's certificate after a valid signature (decideHarvest + the people store). */
  harvest(input: HarvestInput): Promise<HarvestDecision | null>;
}

export interface HarvestInput {
  report: MessageReport['signature'];
  from: string;
  messageCertificates: Uint8Array[];
  messageId: string | null;
  /** Subject and Date (ISO) of the message, kept with the harvested certificate's provenance. */
  subject: string;
  messageDate: string | null;
  seenAt: string;
}

export interface ReaderOptions {
  keys: ReaderKeys;
  crypto: Crypto;
  policy: Policy;
  /** Verification time; the product passes the clock, tests a fixed time. */
  now(): Date;
  /** How many opened messages are kept (decrypted content included). */
  cacheSize?: number;
  /**
   * The user's own addresses, for SEC-22 (a signed message whose protected To/Cc name none of them).
   * The product passes Thunderbird's account identities plus the key store's identity addresses
   * (read-events.ts): the accounts cover users without a key of their own, the key store addresses
   * that are not (or no longer) an account. Without it, nothing is judged.
   */
  ownAddresses?: () => Promise<readonly string[]>;
}

export interface OpenedMessage {
  status: DisplayStatus;
  /** The innermost content (decrypted for encrypted mail), kept only for encrypted messages. */
  decryptedContent: Uint8Array | null;
  subject: string;
  from: string;
  date: string | null;
}

const DEFAULT_CACHE_SIZE = 20;

export class MessageReader {
  readonly #options: ReaderOptions;
  readonly #opened = new Map<number, Promise<OpenedMessage>>();

  constructor(options: ReaderOptions) {
    this.#options = options;
  }

  /** The opened message, from the cache or by opening `raw()` now. */
  open(messageId: number, raw: () => Promise<Uint8Array>): Promise<OpenedMessage> {
    const cached = this.#opened.get(messageId);
    if (cached) {
      // Opened while locked, and unlocked since (here or on the options page): open it again.
      return cached.then((opened) => {
        if (opened.status.encryption !== 'locked' || !this.#options.keys.isUnlocked() || this.#opened.get(messageId) !== cached) return opened;
        this.#opened.delete(messageId);
        return this.open(messageId, raw);
      });
    }
    const opening = raw().then((bytes) => this.#openBytes(messageId, bytes));
    this.#remember(messageId, opening);
    // A failure is not cached: the next display tries again.
    opening.catch(() => this.#opened.delete(messageId));
    return opening;
  }

  /** The cached result, if this message was opened. */
  cached(messageId: number): Promise<OpenedMessage> | undefined {
    return this.#opened.get(messageId);
  }

  /** Forgets one message (opened again after an unlock) or, without an id, everything (on lock). */
  forget(messageId?: number): void {
    if (messageId === undefined) this.#opened.clear();
    else this.#opened.delete(messageId);
  }

  /** A failure to list the user's addresses means no judgement, logged, never a failed message. */
  async #ownAddresses(): Promise<readonly string[]> {
    try {
      return (await this.#options.ownAddresses?.()) ?? [];
    } catch (error) {
      console.warn('Waxseal: could not list your addresses for the addressee check', error);
      return [];
    }
  }

  #remember(messageId: number, opening: Promise<OpenedMessage>): void {
    this.#opened.delete(messageId);
    this.#opened.set(messageId, opening);
    const limit = this.#options.cacheSize ?? DEFAULT_CACHE_SIZE;
    while (this.#opened.size > limit) {
      const oldest = this.#opened.keys().next().value;
      if (oldest === undefined) break;
      this.#opened.delete(oldest);
    }
  }

  async #openBytes(messageId: number, raw: Uint8Array): Promise<OpenedMessage> {
    const { keys, crypto, policy } = this.#options;
    const now = this.#options.now();
    const bytes = stripMozillaHeaders(raw);
    const headers = readHeaders(bytes, policy);
    const locked = !keys.isUnlocked();
    // Locked: try with no identities, so the report still lists the recipients ("encrypted to …").
    const identities = locked ? [] : keys.decryptionIdentities();
    const anchors = [...mozillaEmailAnchors(), ...(await keys.userAnchors())];
    const report = await openMessage(bytes, { anchors, now, crypto, policy, identities });

    let continuity: ContinuityNotice | null = null;
    let signerKnown = false;
    const signerCertificate = report.signature.signerCertificate;
    if (signerCertificate && headers.fromAddress) {
      signerKnown = await keys.isKnownCertificate(headers.fromAddress, signerCertificate.fingerprintSha256);
      if (report.signature.verdict === 'valid') {
        const decision = await keys.harvest({
          report: report.signature,
          from: headers.fromAddress,
          messageCertificates: [signerCertificate, ...report.signature.chain].map((c) => base64ToBytes(c.der)),
          messageId: headers.messageId,
          subject: headers.subject,
          messageDate: isoDate(headers.date),
          seenAt: now.toISOString(),
        });
        continuity = continuityOf(decision);
      }
    }
    const status = decideDisplayStatus({
      messageId,
      report,
      from: headers.fromAddress,
      now,
      locked,
      identities: await keys.ownIdentities(),
      signerKnown,
      continuity,
      ownAddresses: report.protectedAddressees && this.#options.ownAddresses ? await this.#ownAddresses() : [],
    });
    return {
      status,
      decryptedContent: report.encryption.verdict === 'none' ? null : report.content,
      subject: headers.subject,
      from: headers.fromText,
      date: headers.date,
    };
  }
}

/** A changed key beats the other notices: a correspondent signing with a new key is what the reader must notice. */
export function continuityOf(decision: HarvestDecision | null): ContinuityNotice | null {
  if (!decision) return null;
  const codes = new Set(decision.notices.map((n) => n.code));
  if (codes.has('CERTIFICATE_CHANGED') || codes.has('PINNED_CERTIFICATE_KEPT')) return 'key-changed';
  if (codes.has('NEW_CERTIFICATE_SAME_ISSUER') || codes.has('NEW_CERTIFICATE_PREVIOUS_REVOKED')) return 'renewed';
  if (codes.has('FIRST_CERTIFICATE')) return 'first-certificate';
  return null;
}

interface OuterHeaders {
  fromAddress: string | null;
  fromText: string;
  subject: string;
  date: string | null;
  messageId: string | null;
}

/** The outer headers the UI and harvesting need; a message that does not parse still gets a status. */
function readHeaders(bytes: Uint8Array, policy: Policy): OuterHeaders {
  const end = headerEnd(bytes);
  try {
    const root = parseMime(bytes.subarray(0, end), policy.limits);
    const from = getFromMailbox(root, policy.limits);
    const decoded = (name: string): string => root.headers.getField(name)?.decoded() ?? '';
    return {
      fromAddress: from.ok ? from.mailbox.address.toLowerCase() : null,
      fromText: decoded('from'),
      subject: decoded('subject'),
      date: root.headers.get('date') ?? null,
      messageId: root.headers.get('message-id')?.trim() ?? null,
    };
  } catch (error) {
    console.warn('Waxseal: unreadable message headers', error);
    return { fromAddress: null, fromText: '', subject: '', date: null, messageId: null };
  }
}

/** An RFC 5322 Date header as an ISO time, or null when it does not parse. */
export function isoDate(header: string | null): string | null {
  if (header === null) return null;
  const time = Date.parse(header);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

/** Offset just after the blank line that ends the header section (or the whole input). */
function headerEnd(bytes: Uint8Array): number {
  for (let i = 0; i + 1 < bytes.length; i++) {
    if (bytes[i] === 0x0a && bytes[i + 1] === 0x0a) return i + 2;
    if (bytes[i] === 0x0a && bytes[i + 1] === 0x0d && bytes[i + 2] === 0x0a) return i + 3;
  }
  return bytes.length;
}

function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}
