/**
 * The reading side's behaviour (issue #7): on display, open the message with the engine and show the
 * outcome in the toolbar and the banner; recognise encrypted mail on selection (Thunderbird fires no
 * display event for S/MIME it cannot open, docs/thunderbird.md §4) and offer Waxseal's decrypted view;
 * answer the popup's and the decrypted page's requests.
 *
 * Display events fire twice per message: everything here is keyed by message id and idempotent.
 * Verdicts are produced only here and pushed to the banner; nothing the message page says is believed
 * (SEC-15).
 */
import { SmimeError, stripMozillaHeaders, type Policy } from '../../crypto/index.js';
import type { BannerContent, DecryptedView, DisplayStatus, Tone } from '../../shared/read-protocol.js';
import { headlineOf, TONE_BADGE } from '../../shared/read-text.js';
import { decryptedParts, type HtmlSanitizer, type HtmlToText } from './decrypted-content.js';
import type { MessageReader, OpenedMessage } from './message-reader.js';
import type { ReadPlatform, ToolbarState } from './read-platform.js';

export interface ReadingDeps {
  platform: ReadPlatform;
  reader: MessageReader;
  policy: Policy;
  htmlToText: HtmlToText;
  /** The HTML view's sanitiser; without one the page shows text only. */
  sanitizeHtml?: HtmlSanitizer;
  /** Unlocks the single key store (SEC-40); throws SmimeError `KEYSTORE_WRONG_PASSPHRASE` and the like. */
  unlock(passphrase: string): Promise<void>;
}

export class ReadingController {
  readonly #deps: ReadingDeps;
  /** Which message each tab shows now, so a late result for an older message is not shown. */
  readonly #tabMessage = new Map<number, number>();
  readonly #tabOpened = new Map<number, Promise<OpenedMessage>>();
  /** Decrypted views opened automatically, so a re-selection does not open another tab. */
  readonly #autoOpened = new Set<number>();

  constructor(deps: ReadingDeps) {
    this.#deps = deps;
  }

  /** A message was displayed in a tab (fires twice; idempotent). */
  async displayed(tabId: number, messageId: number, raw?: Uint8Array): Promise<OpenedMessage> {
    this.#tabMessage.set(tabId, messageId);
    const opening = this.#deps.reader.open(messageId, async () => raw ?? (await this.#deps.platform.getRaw(messageId)));
    this.#tabOpened.set(tabId, opening);
    const opened = await opening;
    if (this.#tabMessage.get(tabId) === messageId) await this.#show(tabId, opened.status);
    return opened;
  }

  /**
   * A single message was selected. Encrypted mail gets no display event, so it is recognised here from
   * its Content-Type and opened; Waxseal's decrypted view opens once per message (one click away
   * afterwards, from the toolbar popup).
   */
  async selected(tabId: number, messageId: number): Promise<void> {
    const raw = await this.#deps.platform.getRaw(messageId);
    if (!isEncryptedMessage(raw)) return;
    const opened = await this.displayed(tabId, messageId, raw);
    if (!this.#autoOpened.has(messageId) && this.#tabMessage.get(tabId) === messageId) {
      this.#autoOpened.add(messageId);
      await this.#deps.platform.openPage(decryptedPagePath(opened.status.messageId));
    }
  }

  async #show(tabId: number, status: DisplayStatus): Promise<void> {
    const { platform } = this.#deps;
    await platform.setToolbar(tabId, toolbarState(status, platform.t));
    const banner = await this.bannerFor(tabId);
    await platform.sendBanner(tabId, banner);
    // Only after our own status is up: the reader must never see no status at all, and never two that
    // can disagree (NSS does not know organisation anchors). docs/decisions.md "One security indicator
    // per message".
    await platform.setThunderbirdIndicatorHidden(tabId, status.messageId, banner !== null);
  }

  /** The banner for the message shown in a tab; null for unsigned, unencrypted mail (no banner). */
  async bannerFor(tabId: number): Promise<BannerContent | null> {
    const status = await this.statusFor(tabId);
    if (!status || (status.signature === null && status.encryption === null)) return null;
    return { status, securityPhrase: await this.#deps.platform.securityPhrase() };
  }

  async statusFor(tabId: number): Promise<DisplayStatus | null> {
    const opening = this.#tabOpened.get(tabId);
    if (!opening) return null;
    return (await opening).status;
  }

  async decryptedView(messageId: number): Promise<DecryptedView> {
    const opened = await this.#openedMessage(messageId);
    const securityPhrase = await this.#deps.platform.securityPhrase();
    const base = { status: opened.status, subject: opened.subject, from: opened.from, date: opened.date, securityPhrase };
    if (!opened.decryptedContent || !opened.status.decryptedViewAvailable) {
      return { ...base, text: null, convertedFromHtml: false, html: null, attachments: [] };
    }
    const parts = decryptedParts(opened.decryptedContent, this.#deps.policy, this.#deps.htmlToText, this.#deps.sanitizeHtml);
    return {
      ...base,
      text: parts.text,
      convertedFromHtml: parts.convertedFromHtml,
      html: parts.html,
      attachments: parts.attachments.map((a) => ({ index: a.index, fileName: a.fileName, contentType: a.contentType, size: a.entity.decodedBody().length })),
    };
  }

  async attachment(messageId: number, index: number): Promise<{ fileName: string; contentType: string; bytes: Uint8Array }> {
    const opened = await this.#openedMessage(messageId);
    if (!opened.decryptedContent || !opened.status.decryptedViewAvailable) throw new SmimeError('MESSAGE_NOT_DECRYPTED', 'The message is not decrypted');
    const found = decryptedParts(opened.decryptedContent, this.#deps.policy, this.#deps.htmlToText).attachments.find((a) => a.index === index);
    if (!found) throw new SmimeError('MESSAGE_NOT_DECRYPTED', `No attachment ${index}`);
    return { fileName: found.fileName, contentType: found.contentType, bytes: found.entity.decodedBody() };
  }

  /** Unlocks, then opens the message again so it decrypts; every tab showing it is updated. */
  async unlockAndReopen(passphrase: string, messageId: number): Promise<DisplayStatus> {
    await this.#deps.unlock(passphrase);
    this.#deps.reader.forget(messageId);
    const opened = await this.#openedMessage(messageId);
    for (const [tabId, shown] of this.#tabMessage) {
      if (shown === messageId) {
        this.#tabOpened.set(tabId, Promise.resolve(opened));
        await this.#show(tabId, opened.status);
      }
    }
    return opened.status;
  }

  /** The key store locked: decrypted content is dropped from memory. */
  locked(): void {
    this.#deps.reader.forget();
    this.#tabOpened.clear();
  }

  #openedMessage(messageId: number): Promise<OpenedMessage> {
    return this.#deps.reader.open(messageId, () => this.#deps.platform.getRaw(messageId));
  }
}

/** Toolbar icon per tone (an icon per tone, so colour is never the only signal). */
const TONE_ICON: Record<Tone, string> = { ok: 'ok.svg', warn: 'warn.svg', bad: 'bad.svg', info: 'info.svg', action: 'action.svg' };

export function decryptedPagePath(messageId: number): string {
  return `/display/decrypted.html?message=${messageId}`;
}

export function toolbarState(status: DisplayStatus | null, t: ReadPlatform['t']): ToolbarState {
  const title = t(headlineOf(status), [status?.signer ?? '?', status?.from ?? '?']);
  if (!status || (status.signature === null && status.encryption === null)) return { icon: 'none.svg', title, badge: '' };
  return { icon: TONE_ICON[status.tone], title, badge: TONE_BADGE[status.tone] };
}

const HEADER_SCAN_LIMIT = 64 * 1024;

/**
 * Is the message's root an S/MIME encrypted entity (RFC 8551 §3.3)? Only the top-level Content-Type
 * is read, from at most the first 64 KiB, so selecting a large message stays cheap.
 */
export function isEncryptedMessage(raw: Uint8Array): boolean {
  const head = new TextDecoder('latin1').decode(stripMozillaHeaders(raw).subarray(0, HEADER_SCAN_LIMIT));
  const end = head.search(/\r?\n\r?\n/);
  const headers = (end < 0 ? head : head.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  const contentType = /^content-type:(.*)$/im.exec(headers)?.[1]?.toLowerCase() ?? '';
  if (!/^\s*application\/(x-)?pkcs7-mime/.test(contentType)) return false;
  const smimeType = /smime-type\s*=\s*"?([a-z-]+)/.exec(contentType)?.[1];
  if (smimeType !== undefined) return smimeType === 'enveloped-data' || smimeType === 'authenveloped-data';
  return /name\s*=\s*"?smime\.p7m/.test(contentType);
}
