/**
 * The allow-list sanitiser for decrypted HTML (security.md SEC-01, SEC-21; docs/decisions.md
 * "Decrypted HTML"). EFAIL (Poddebniak et al., 2018) turns any automatic load of a URL the attacker
 * chose into a channel for the plaintext, so the output may load nothing at all: no remote image,
 * stylesheet, font, frame, object, form target, refresh, SVG reference, srcset, poster or CSS url().
 *
 * The input is parsed with DOMParser (an inert document: nothing loads, no script runs) and a new
 * document is built from it, element by element, taking over only what the lists below name. Anything
 * not named is gone: an unknown element gives up only its text and allowed children, an unknown
 * attribute is dropped. Images stay only as `data:` URLs made from the message's own `cid:` parts.
 * The page then shows the result in a sandboxed iframe under a CSP without network sources, so a
 * mistake here is still not a request.
 */

/** Elements taken over (with their allowed attributes). */
const ELEMENTS = new Set([
  'a', 'abbr', 'address', 'b', 'bdi', 'bdo', 'big', 'blockquote', 'br', 'caption', 'center', 'cite', 'code', 'col', 'colgroup', 'dd', 'del', 'dfn',
  'div', 'dl', 'dt', 'em', 'font', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'img', 'ins', 'kbd', 'li', 'mark', 'ol', 'p', 'pre', 'q', 's', 'samp',
  'small', 'span', 'strike', 'strong', 'sub', 'sup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'tt', 'u', 'ul', 'var', 'wbr',
]);

/**
 * Elements dropped with everything inside: they run code, load or submit something, or hold text that
 * is not meant to be read (style sheets, titles). SVG and MathML go whole: their own link attributes
 * (`xlink:href`, `<use>`, `<image>`, `<feImage>`) are loads.
 */
const DROPPED = new Set([
  'script', 'style', 'template', 'noscript', 'head', 'title', 'meta', 'link', 'base', 'object', 'embed', 'applet', 'iframe', 'frame', 'frameset',
  'form', 'input', 'button', 'select', 'option', 'textarea', 'svg', 'math', 'video', 'audio', 'source', 'track', 'picture', 'canvas', 'map', 'area',
  'portal', 'dialog', 'marquee', 'bgsound', 'image', 'xml', 'param',
]);

/** Attributes without URLs or code. `style` is checked separately; `href`, `src` and the like never pass. */
const ATTRIBUTES = new Set([
  'align', 'valign', 'width', 'height', 'colspan', 'rowspan', 'span', 'border', 'cellpadding', 'cellspacing', 'color', 'face', 'size', 'dir', 'lang',
  'title', 'alt', 'start', 'type', 'reversed', 'nowrap', 'bgcolor', 'abbr', 'scope', 'headers', 'datetime',
]);

/**
 * A style value is dropped whole when it could load or hide something: url() and image-set() load,
 * @import too, escapes and comments can spell those, expression()/behavior/-moz-binding run code in old
 * engines. A false positive costs formatting only.
 */
const UNSAFE_STYLE = /url|image|@|\\|\/\*|expression|behavior|binding|src|&|:\s*-webkit-|attr\s*\(/i;

/** Image types a `cid:` part may have to be shown (no SVG: an SVG document may reference other URLs). */
const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/bmp']);

/** A message part an HTML body refers to with `cid:` (RFC 2392). */
export interface CidImage {
  /** Content-ID without the angle brackets. */
  contentId: string;
  contentType: string;
  bytes: Uint8Array;
}

export interface SanitizedHtml {
  /** The body's content, serialised; every URL in it is a `data:` image. */
  html: string;
  /** Images, links and other loads that were removed (shown as "remote content blocked"). */
  blocked: number;
}

/** Limits that keep a hostile body from exhausting the page (depth also bounds our recursion). */
export interface SanitizerLimits {
  maxDepth: number;
  maxNodes: number;
}

export const SANITIZER_LIMITS: SanitizerLimits = { maxDepth: 256, maxNodes: 200_000 };

/**
 * Sanitises an HTML body. `parser` is a DOMParser (the background page's; happy-dom in tests). Deeper
 * or larger input is cut off there, not rejected: the text view stays available for all of it.
 */
export function sanitizeHtml(html: string, parser: DOMParser, images: readonly CidImage[], limits: SanitizerLimits = SANITIZER_LIMITS): SanitizedHtml {
  const input = parser.parseFromString(html, 'text/html');
  const output = parser.parseFromString('<!doctype html><html><head></head><body></body></html>', 'text/html');
  const byCid = new Map(images.map((image) => [image.contentId.toLowerCase(), image]));
  let blocked = 0;
  let nodes = 0;

  const copyChildren = (from: Node, to: Node, depth: number): void => {
    for (const child of Array.from(from.childNodes)) {
      if (++nodes > limits.maxNodes || depth > limits.maxDepth) return;
      if (child.nodeType === 3) {
        to.appendChild(output.createTextNode(child.textContent ?? ''));
        continue;
      }
      if (child.nodeType !== 1) continue;
      const element = child as Element;
      const name = element.localName.toLowerCase();
      if (DROPPED.has(name) || element.namespaceURI !== 'http://www.w3.org/1999/xhtml') {
        if (name !== 'head' && name !== 'title' && name !== 'style' && name !== 'script') blocked += countLoads(element);
        continue;
      }
      if (!ELEMENTS.has(name)) {
        // Unknown or structural (body, html, article, …): keep the readable content only.
        blocked += hasLoadAttribute(element) ? 1 : 0;
        copyChildren(element, to, depth + 1);
        continue;
      }
      if (name === 'img') {
        const image = cidImage(element.getAttribute('src'), byCid);
        if (!image) {
          blocked += 1;
          const alt = element.getAttribute('alt');
          if (alt) to.appendChild(output.createTextNode(`[${alt}]`));
          continue;
        }
        const img = output.createElement('img');
        copyAttributes(element, img, 'src');
        img.setAttribute('src', image);
        to.appendChild(img);
        continue;
      }
      const copy = output.createElement(name);
      copyAttributes(element, copy);
      if (name === 'a') {
        // A link is shown as text with its address in the tooltip: no navigation from inside the frame.
        const href = element.getAttribute('href');
        if (href) copy.setAttribute('title', href.slice(0, 2048));
      }
      copyChildren(element, copy, depth + 1);
      to.appendChild(copy);
    }
  };

  /** `replaced` names an attribute the caller sets itself (an image's resolved src). */
  const copyAttributes = (from: Element, to: Element, replaced?: string): void => {
    for (const attribute of Array.from(from.attributes)) {
      const name = attribute.name.toLowerCase();
      if (name === replaced) continue;
      if (ATTRIBUTES.has(name)) to.setAttribute(name, attribute.value);
      else if (name === 'style' && !UNSAFE_STYLE.test(attribute.value)) to.setAttribute('style', attribute.value);
      else if (isLoadAttribute(name)) blocked += 1;
    }
  };

  copyChildren(input.body ?? input.documentElement, output.body, 0);
  return { html: output.body.innerHTML, blocked };
}

function cidImage(src: string | null, byCid: ReadonlyMap<string, CidImage>): string | null {
  const match = /^\s*cid:(.+?)\s*$/i.exec(src ?? '');
  if (!match) return null;
  let id: string;
  try {
    id = decodeURIComponent(match[1]!).replace(/^<|>$/g, '').toLowerCase();
  } catch (error) {
    if (error instanceof URIError) return null;
    throw error;
  }
  const image = byCid.get(id);
  if (!image || !IMAGE_TYPES.has(image.contentType.toLowerCase())) return null;
  return `data:${image.contentType.toLowerCase()};base64,${base64(image.bytes)}`;
}

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function isLoadAttribute(name: string): boolean {
  return ['src', 'href', 'srcset', 'background', 'poster', 'action', 'formaction', 'data', 'lowsrc', 'dynsrc', 'xlink:href', 'codebase', 'cite', 'longdesc', 'ping', 'manifest'].includes(name) || name === 'style';
}

function hasLoadAttribute(element: Element): boolean {
  return Array.from(element.attributes).some((a) => isLoadAttribute(a.name.toLowerCase()));
}

function countLoads(element: Element): number {
  return (hasLoadAttribute(element) ? 1 : 0) + Array.from(element.querySelectorAll('*')).filter(hasLoadAttribute).length;
}
