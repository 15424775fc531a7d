/**
 * The sanitised HTML of a decrypted message in a sandboxed iframe (docs/decisions.md "Decrypted
 * HTML"; SEC-01, SEC-21). Three walls: the background's allow-list sanitiser leaves no URL but data:
 * images; the frame's own CSP has no network source at all; and `sandbox=""` gives the frame an opaque
 * origin with no scripts, forms, popups or navigation of this page.
 */
export const HTML_FRAME_CSP = "default-src 'none'; img-src data: cid:; style-src 'unsafe-inline'; form-action 'none'";

interface HtmlBodyProps {
  /** Sanitised body content (never the message's raw HTML). */
  html: string;
  title: string;
}

export function HtmlBody({ html, title }: HtmlBodyProps) {
  return <iframe class="waxseal-html-body" data-testid="decrypted-html" title={title} sandbox="" referrerpolicy="no-referrer" srcdoc={frameDocument(html)} />;
}

/** The frame's document: the CSP comes first, before any content the message brought. */
export function frameDocument(html: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${HTML_FRAME_CSP}"><meta name="referrer" content="no-referrer"><style>body{font-family:sans-serif;margin:8px;overflow-wrap:anywhere}</style></head><body>${html}</body></html>`;
}
