/**
 * Content-Type and Content-Disposition values (RFC 2045 §5.1, RFC 2183) with RFC 2231 parameters:
 * continuations (`name*0`, `name*1`), charset/language (`name*=utf-8'en'%E2%82%AC`), and the common
 * non-standard RFC 2047 encoded-words inside quoted filenames.
 */
import { LimitError } from '../errors.js';
import { DEFAULT_LIMITS, type ParserLimits } from '../policy.js';
import { decodeCharset } from './charset.js';
import { decodeEncodedWords, hexValue } from './encoded-words.js';

/** The limit that applies to structured header values: nesting of comments (SEC-33f). */
export type HeaderLimits = Pick<ParserLimits, 'maxHeaderNesting'>;

/** A parsed Content-Type (RFC 2045 §5.1). */
export interface ContentType {
  /** Lower-case top-level type, e.g. "multipart". */
  readonly type: string;
  /** Lower-case subtype, e.g. "signed". */
  readonly subtype: string;
  /** "type/subtype", lower-case. */
  readonly mediaType: string;
  /** Parameters by lower-case name, RFC 2231 decoded. The first occurrence of a repeated name wins. */
  readonly params: ReadonlyMap<string, string>;
  /** The boundary parameter of a multipart type, exactly as given. */
  readonly boundary: string | undefined;
  /** The charset parameter, lower-case. */
  readonly charset: string | undefined;
  /** True when the header was missing or unusable and RFC 2045 §5.2 defaults apply. */
  readonly isDefault: boolean;
}

/** A parsed Content-Disposition (RFC 2183). */
export interface ContentDisposition {
  /** Lower-case disposition type, e.g. "attachment" or "inline". */
  readonly type: string;
  readonly params: ReadonlyMap<string, string>;
  readonly filename: string | undefined;
}

/** Parameters of a structured header value, and whether a name was repeated. */
export interface ParsedParameters {
  params: Map<string, string>;
  duplicates: boolean;
}

/** RFC 2045 tspecials plus space and controls end a token. */
function isTokenChar(code: number): boolean {
  if (code <= 0x20 || code >= 0x7f) return code >= 0x80;
  switch (code) {
    case 0x28: case 0x29: case 0x3c: case 0x3e: case 0x40: case 0x2c: case 0x3b: case 0x3a:
    case 0x5c: case 0x22: case 0x2f: case 0x5b: case 0x5d: case 0x3f: case 0x3d:
      return false;
    default:
      return true;
  }
}

function isWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0d || code === 0x0a;
}

/** A cursor over a structured header value. Every method moves forward only, so parsing is linear. */
class Cursor {
  readonly text: string;
  readonly maxNesting: number;
  position = 0;

  constructor(text: string, limits: HeaderLimits) {
    this.text = text;
    // Limits objects built before this field existed must not switch the check off.
    this.maxNesting = limits.maxHeaderNesting ?? DEFAULT_LIMITS.maxHeaderNesting;
  }

  get done(): boolean {
    return this.position >= this.text.length;
  }

  peek(): number {
    return this.text.charCodeAt(this.position);
  }

  /** Skips whitespace and (nested) comments (RFC 5322 §3.2.2 CFWS). */
  skipCfws(): void {
    while (this.position < this.text.length) {
      const c = this.peek();
      if (isWhitespace(c)) {
        this.position++;
      } else if (c === 0x28) {
        this.skipComment();
      } else {
        return;
      }
    }
  }

  private skipComment(): void {
    let depth = 0;
    while (this.position < this.text.length) {
      const c = this.peek();
      this.position++;
      if (c === 0x5c) {
        this.position++;
      } else if (c === 0x28) {
        if (++depth > this.maxNesting) {
          throw new LimitError('maxHeaderNesting', `header comments are nested more than ${this.maxNesting} deep`);
        }
      } else if (c === 0x29) {
        if (--depth === 0) return;
      }
    }
  }

  readToken(): string {
    const start = this.position;
    while (this.position < this.text.length && isTokenChar(this.peek())) this.position++;
    return this.text.slice(start, this.position);
  }

  /** A quoted-string with backslash escapes; an unterminated one runs to the end of the value. */
  readQuoted(): string {
    this.position++;
    const parts: string[] = [];
    let start = this.position;
    while (this.position < this.text.length) {
      const c = this.peek();
      if (c === 0x22) {
        parts.push(this.text.slice(start, this.position));
        this.position++;
        return parts.join('');
      }
      if (c === 0x5c && this.position + 1 < this.text.length) {
        parts.push(this.text.slice(start, this.position));
        start = this.position + 1;
        this.position += 2;
        continue;
      }
      this.position++;
    }
    parts.push(this.text.slice(start));
    return parts.join('');
  }

  /** Parameter values: quoted-string, or (leniently) everything up to ";" or whitespace, as real mailers send. */
  readValue(): { value: string; quoted: boolean } {
    if (this.peek() === 0x22) return { value: this.readQuoted(), quoted: true };
    const start = this.position;
    while (this.position < this.text.length) {
      const c = this.peek();
      if (c === 0x3b || isWhitespace(c)) break;
      this.position++;
    }
    return { value: this.text.slice(start, this.position), quoted: false };
  }

  skipPast(code: number): void {
    const next = this.text.indexOf(String.fromCharCode(code), this.position);
    this.position = next < 0 ? this.text.length : next + 1;
  }
}

interface Section {
  value: string;
  extended: boolean;
}

const textEncoder = new TextEncoder();

function pushUtf8(text: string, out: number[]): void {
  for (const byte of textEncoder.encode(text)) out.push(byte);
}

/** RFC 2231 §4: "%XX" is a byte; other characters stand for themselves. */
function percentDecode(text: string, out: number[]): void {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x25 && i + 2 < text.length) {
      const hi = hexValue(text.charCodeAt(i + 1));
      const lo = hexValue(text.charCodeAt(i + 2));
      if (hi >= 0 && lo >= 0) {
        out.push((hi << 4) | lo);
        i += 2;
        continue;
      }
    }
    if (c < 0x80) out.push(c);
    else pushUtf8(text[i]!, out);
  }
}

function isDigits(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/** RFC 2231 §3-4: joins sections 0..n (stopping at the first gap) and decodes them in the charset of section 0. */
function assembleSections(sections: Map<number, Section>): string {
  const bytes: number[] = [];
  let charset: string | undefined;
  for (let index = 0; sections.has(index); index++) {
    const section = sections.get(index)!;
    let text = section.value;
    if (section.extended && index === 0) {
      const first = text.indexOf("'");
      const second = first < 0 ? -1 : text.indexOf("'", first + 1);
      if (second >= 0) {
        charset = text.slice(0, first) || undefined;
        text = text.slice(second + 1);
      }
    }
    if (section.extended) {
      percentDecode(text, bytes);
    } else {
      pushUtf8(text, bytes);
    }
  }
  return decodeCharset(Uint8Array.from(bytes), charset, 'utf-8').text;
}

function parseParameterName(name: string): { base: string; section: number | undefined; extended: boolean } {
  let base = name;
  let extended = false;
  if (base.endsWith('*')) {
    extended = true;
    base = base.slice(0, -1);
  }
  const star = base.lastIndexOf('*');
  if (star > 0) {
    const digits = base.slice(star + 1);
    if (digits.length > 0 && digits.length <= 4 && isDigits(digits) && (digits === '0' || digits[0] !== '0')) {
      return { base: base.slice(0, star), section: Number(digits), extended };
    }
  }
  return { base, section: extended ? 0 : undefined, extended };
}

/** Reads `; name=value` pairs from the cursor position to the end. */
function readParameters(cursor: Cursor): ParsedParameters {
  const params = new Map<string, string>();
  const continued = new Map<string, Map<number, Section>>();
  let duplicates = false;
  while (!cursor.done) {
    cursor.skipCfws();
    if (cursor.done) break;
    if (cursor.peek() !== 0x3b) {
      // Junk between parameters: skip to the next ";" so one broken parameter does not hide the rest.
      cursor.skipPast(0x3b);
      continue;
    }
    cursor.position++;
    cursor.skipCfws();
    const rawName = cursor.readToken();
    // "*" is a token character, so RFC 2231 names arrive whole ("filename*0*").
    cursor.skipCfws();
    if (rawName.length === 0 || cursor.peek() !== 0x3d) continue;
    cursor.position++;
    cursor.skipCfws();
    const { value, quoted } = cursor.readValue();
    const { base, section, extended } = parseParameterName(rawName.toLowerCase());
    if (section === undefined) {
      if (params.has(base)) {
        duplicates = true;
        continue;
      }
      // Not RFC 2047 conformant, but mailers put encoded-words in quoted filenames and Thunderbird decodes them.
      params.set(base, quoted || value.includes('=?') ? decodeEncodedWords(value) : value);
      continue;
    }
    let sections = continued.get(base);
    if (sections === undefined) {
      sections = new Map();
      continued.set(base, sections);
    }
    if (sections.has(section)) duplicates = true;
    else sections.set(section, { value, extended });
  }
  // RFC 2231 values take precedence over a plain value of the same name (it is the fallback for old readers).
  for (const [base, sections] of continued) {
    if (sections.has(0)) params.set(base, assembleSections(sections));
  }
  return { params, duplicates };
}

function defaultContentType(mediaType: string): ContentType {
  const [type, subtype] = mediaType.split('/') as [string, string];
  const params = new Map<string, string>();
  if (type === 'text') params.set('charset', 'us-ascii');
  return { type, subtype, mediaType, params, boundary: undefined, charset: params.get('charset'), isDefault: true };
}

/**
 * Parses a Content-Type value. A missing or unusable value gives the RFC 2045 §5.2 default
 * (`text/plain; charset=us-ascii`, or `message/rfc822` inside multipart/digest) with `isDefault: true`.
 * @throws LimitError when comments nest deeper than `maxHeaderNesting`.
 */
export function parseContentType(value: string | undefined, defaultType = 'text/plain', limits: HeaderLimits = DEFAULT_LIMITS): ContentType {
  if (value === undefined) return defaultContentType(defaultType);
  const cursor = new Cursor(value, limits);
  cursor.skipCfws();
  const type = cursor.readToken().toLowerCase();
  cursor.skipCfws();
  if (type.length === 0 || cursor.peek() !== 0x2f) return defaultContentType(defaultType);
  cursor.position++;
  cursor.skipCfws();
  const subtype = cursor.readToken().toLowerCase();
  if (subtype.length === 0) return defaultContentType(defaultType);
  const { params } = readParameters(cursor);
  const charset = params.get('charset')?.toLowerCase();
  return {
    type,
    subtype,
    mediaType: `${type}/${subtype}`,
    params,
    boundary: type === 'multipart' ? params.get('boundary') : undefined,
    charset,
    isDefault: false,
  };
}

/**
 * Parses a Content-Disposition value (RFC 2183); `filename` comes from the RFC 2231-decoded parameter.
 * @throws LimitError when comments nest deeper than `maxHeaderNesting`.
 */
export function parseContentDisposition(value: string | undefined, limits: HeaderLimits = DEFAULT_LIMITS): ContentDisposition | undefined {
  if (value === undefined) return undefined;
  const cursor = new Cursor(value, limits);
  cursor.skipCfws();
  const type = cursor.readToken().toLowerCase();
  const { params } = readParameters(cursor);
  return { type: type || 'attachment', params, filename: params.get('filename') };
}
