/**
 * What the decrypted-message page shows of a decrypted entity: its text and its attachments. Only the
 * decrypted entity is used, never parts from outside the encryption (SEC-19: decrypted and unencrypted
 * content are not mixed). HTML becomes plain text in an inert document, and, for the HTML view, an
 * allow-list rebuild (html-sanitizer.ts) with no URL but data: images, so remote images, CSS url() and
 * scripts are never fetched or run (EFAIL, SEC-01, SEC-21).
 */
import { parseMime, type MimeEntity, type Policy } from '../../crypto/index.js';
import type { CidImage } from './html-sanitizer.js';

export interface DecryptedAttachment {
  index: number;
  fileName: string;
  contentType: string;
  entity: MimeEntity;
}

export interface DecryptedParts {
  text: string | null;
  convertedFromHtml: boolean;
  /** The sanitised HTML body (no URL but data: images), when there is an HTML part and a sanitiser. */
  html: string | null;
  attachments: DecryptedAttachment[];
}

/** Turns HTML into text without loading anything; the background passes a DOMParser-based one. */
export type HtmlToText = (html: string) => string;

/** Sanitises an HTML body for the sandboxed view (html-sanitizer.ts), given the message's cid: images. */
export type HtmlSanitizer = (html: string, images: CidImage[]) => string;

/** Splits the decrypted entity into the first text body and the attachments. */
export function decryptedParts(content: Uint8Array, policy: Policy, htmlToText: HtmlToText, sanitize?: HtmlSanitizer): DecryptedParts {
  const root = parseMime(content, policy.limits);
  let plain: MimeEntity | null = null;
  let html: MimeEntity | null = null;
  const attachments: DecryptedAttachment[] = [];
  const visit = (entity: MimeEntity): void => {
    if (entity.isMultipart) {
      for (const child of entity.children) visit(child);
      return;
    }
    const type = entity.contentType.mediaType;
    const isAttachment = entity.contentDisposition?.type === 'attachment' || (type !== 'text/plain' && type !== 'text/html');
    if (!isAttachment && type === 'text/plain' && !plain) plain = entity;
    else if (!isAttachment && type === 'text/html' && !html) html = entity;
    else if (isAttachment) {
      attachments.push({ index: attachments.length, fileName: fileNameOf(entity, attachments.length), contentType: type, entity });
    }
  };
  visit(root);
  const plainEntity = plain as MimeEntity | null;
  const htmlEntity = html as MimeEntity | null;
  // Only parts inside the decrypted entity can be cid: images (RFC 2392), so nothing outside the
  // encryption gets into the view (SEC-19).
  const sanitized = htmlEntity && sanitize ? sanitize(htmlEntity.text(), cidImagesOf(attachments)) : null;
  if (plainEntity) return { text: plainEntity.text(), convertedFromHtml: false, html: sanitized, attachments };
  if (htmlEntity) return { text: htmlToText(htmlEntity.text()), convertedFromHtml: true, html: sanitized, attachments };
  return { text: null, convertedFromHtml: false, html: null, attachments };
}

function cidImagesOf(attachments: readonly DecryptedAttachment[]): CidImage[] {
  const images: CidImage[] = [];
  for (const attachment of attachments) {
    const contentId = attachment.entity.headers.get('content-id')?.trim().replace(/^<|>$/g, '');
    if (contentId && attachment.contentType.startsWith('image/')) images.push({ contentId, contentType: attachment.contentType, bytes: attachment.entity.decodedBody() });
  }
  return images;
}

function fileNameOf(entity: MimeEntity, index: number): string {
  const name = entity.contentDisposition?.params.get('filename') ?? entity.contentType.params.get('name');
  // The name is only a suggestion for the download: path separators and control characters go.
  const cleaned = (name ?? '').replace(/[\\/\p{Cc}]/gu, '_').trim();
  return cleaned === '' ? `attachment-${index + 1}` : cleaned;
}

/**
 * HTML to text with `DOMParser`: a parsed document is inert (no script runs, no resource loads), and
 * only text nodes are read. `<style>`, `<script>` and `<head>` contribute nothing.
 */
export function htmlToTextWithDomParser(html: string): string {
  const document = new DOMParser().parseFromString(html, 'text/html');
  for (const element of Array.from(document.querySelectorAll('script, style, head, template, noscript'))) element.remove();
  for (const element of Array.from(document.querySelectorAll('br'))) element.replaceWith('\n');
  for (const element of Array.from(document.querySelectorAll('p, div, li, tr, h1, h2, h3, h4, h5, h6, blockquote, pre'))) element.append('\n');
  return (document.body.textContent ?? '').replace(/\n{3,}/g, '\n\n').trim();
}
