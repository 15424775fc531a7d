/**
 * The MIME parser (RFC 5322, RFC 2045, RFC 2046). It keeps the exact bytes of every entity as subarrays of the
 * input, because signatures are verified over the bytes as received (RFC 8551 §3.1.1, STYLE §3), and it enforces
 * the limits of {@link ParserLimits} while it parses (SEC-32, SEC-33).
 */
import { LimitError, SmimeError } from '../errors.js';
import { DEFAULT_LIMITS, type ParserLimits } from '../policy.js';
import { decodeCharset, type DecodedText } from './charset.js';
import { readHeaderSection, type HeaderDefect, type HeaderSection, type MimeHeaders } from './headers.js';
import { parseContentDisposition, parseContentType, type ContentDisposition, type ContentType } from './parameters.js';
import { decodeTransferEncoding } from './transfer-encoding.js';

/** Problems found while parsing that do not stop the parse; the bytes are kept as they are. */
export type MimeDefect =
  | HeaderDefect
  | 'MULTIPLE_CONTENT_TYPE'
  | 'INVALID_CONTENT_TYPE'
  | 'MISSING_BOUNDARY'
  | 'BOUNDARY_NOT_FOUND'
  | 'MISSING_CLOSE_DELIMITER'
  | 'UNKNOWN_TRANSFER_ENCODING';

const KNOWN_ENCODINGS = new Set(['7bit', '8bit', 'binary', 'base64', 'quoted-printable']);

/** One MIME entity: a header section, a body, and for multiparts the child entities. */
export interface MimeEntity {
  /** Exact bytes of the whole entity (headers, blank line, body): a subarray of the parser's input. */
  readonly raw: Uint8Array;
  /** Offset of `raw` in the parser's input. */
  readonly offset: number;
  /** Exact bytes of the header lines, including the last line's line ending, without the blank line. */
  readonly headerBytes: Uint8Array;
  /** Exact bytes of the body as received (still transfer-encoded). */
  readonly bodyRaw: Uint8Array;
  readonly headers: MimeHeaders;
  readonly contentType: ContentType;
  /** Lower-case Content-Transfer-Encoding; "7bit" when absent (RFC 2045 §6.1). */
  readonly contentTransferEncoding: string;
  readonly contentDisposition: ContentDisposition | undefined;
  /** Child entities of a multipart, in order; empty for every other type. */
  readonly children: readonly MimeEntity[];
  /** Bytes before the first delimiter of a multipart (without the line ending that belongs to the delimiter). */
  readonly preamble: Uint8Array | undefined;
  /** Bytes after the close delimiter line of a multipart. */
  readonly epilogue: Uint8Array | undefined;
  /** Nesting depth: 0 for the message itself. */
  readonly depth: number;
  readonly defects: readonly MimeDefect[];
  /** True for multipart/* entities whose boundary was found. */
  readonly isMultipart: boolean;
  /** The body with its Content-Transfer-Encoding removed. */
  decodedBody(): Uint8Array;
  /** The decoded body as text in its declared charset (UTF-8 when unknown). */
  text(): string;
  /** Like {@link text}, and tells whether the charset was unknown. */
  decodeText(): DecodedText;
  /**
   * Parses the body of a message/rfc822 (or message/global) entity as an embedded message. Never done
   * automatically: inner messages are attachments (SEC-03). Depth counts on from this entity.
   * @throws SmimeError `MALFORMED_MIME` when this entity is not a message type; LimitError as {@link parseMime}.
   */
  parseEmbeddedMessage(limits?: ParserLimits): MimeEntity;
}

interface ParseState {
  readonly input: Uint8Array;
  readonly limits: ParserLimits;
  parts: number;
  /** How delimiters are searched for (see {@link parseMimeWithSearch}). */
  readonly search: DelimiterSearch;
  /** Per boundary: the first exact delimiter line of it at or after `from` (-1: none), for the skip search. */
  readonly found: Map<string, { from: number; at: number }>;
}

/**
 * 'skip': boundaries of at least {@link SKIP_SEARCH_MIN_BOUNDARY} characters are searched for with Horspool's
 * algorithm, which reads only a fraction of a large part's bytes; shorter ones as with 'scan'. 'scan': a native
 * search for every "-" that could start a line.
 */
export type DelimiterSearch = 'skip' | 'scan';

/** The boundaries of the multiparts enclosing the current position, outermost first. */
interface BoundaryStack {
  readonly boundaries: readonly string[];
  /** Boundary → nesting level; the outermost level wins when a boundary repeats. */
  readonly levels: ReadonlyMap<string, number>;
  readonly lengths: ReadonlySet<number>;
  /** First bytes of the boundaries: a cheap filter for lines that start with "--". */
  readonly firstBytes: Uint8Array;
  /** One per distinct boundary: its skip searcher, or null when it is too short to skip by. */
  readonly searchers: ReadonlyArray<Searcher | null>;
}

const EMPTY_STACK: BoundaryStack = { boundaries: [], levels: new Map(), lengths: new Set(), firstBytes: new Uint8Array(256), searchers: [] };

function pushBoundary(stack: BoundaryStack, boundary: string): BoundaryStack {
  const levels = new Map(stack.levels);
  const searchers = [...stack.searchers];
  if (!levels.has(boundary)) {
    levels.set(boundary, stack.boundaries.length);
    searchers.push(boundary.length >= SKIP_SEARCH_MIN_BOUNDARY ? makeSearcher(boundary) : null);
  }
  const firstBytes = stack.firstBytes.slice();
  firstBytes[boundary.charCodeAt(0) & 0xff] = 1;
  return { boundaries: [...stack.boundaries, boundary], levels, lengths: new Set([...stack.lengths, boundary.length]), firstBytes, searchers };
}

/**
 * Boundaries at least this long are searched for by skipping (Horspool): with "--" in front, most bytes of a large
 * part then move the search on by many positions. Mail programs make boundaries of 28-50 characters
 * (Thunderbird, OpenSSL, Outlook, Gmail, Waxseal); shorter ones, such as "b", use the native "-" search, which
 * is faster for them.
 */
const SKIP_SEARCH_MIN_BOUNDARY = 16;

/** "--" + boundary and its Horspool shift table. */
interface Searcher {
  readonly boundary: string;
  readonly needle: Uint8Array;
  /** For the byte at the end of the window: how far the needle can move on. */
  readonly shift: Uint8Array;
}

function makeSearcher(boundary: string): Searcher {
  const needle = new Uint8Array(boundary.length + 2);
  needle[0] = 0x2d;
  needle[1] = 0x2d;
  for (let i = 0; i < boundary.length; i++) needle[i + 2] = boundary.charCodeAt(i) & 0xff;
  // maxBoundaryLength keeps the needle short; clamp anyway so that a Uint8Array holds every shift.
  const m = Math.min(needle.length, 255);
  const shift = new Uint8Array(256).fill(m);
  for (let i = needle.length - m; i < needle.length - 1; i++) shift[needle[i]!] = needle.length - 1 - i;
  return { boundary, needle, shift };
}

/** First position at or after `from` where the searcher's needle occurs (Horspool's algorithm), or -1. */
function skipSearch(input: Uint8Array, searcher: Searcher, from: number): number {
  const { needle, shift } = searcher;
  const last = needle.length - 1;
  const lastByte = needle[last]!;
  const end = input.length - needle.length;
  let i = from;
  while (i <= end) {
    const c = input[i + last]!;
    if (c === lastByte) {
      let k = last - 1;
      while (k >= 0 && input[i + k] === needle[k]) k--;
      if (k < 0) return i;
    }
    i += shift[c]!;
  }
  return -1;
}

/**
 * Whether the line at `lineStart` is exactly a delimiter of this one boundary: "--" boundary, optionally "--",
 * transport padding, then a line end or the end of the input (the same rule as {@link matchDelimiter}).
 */
function isDelimiterOf(input: Uint8Array, lineStart: number, needle: Uint8Array): boolean {
  const n = input.length;
  if (lineStart + needle.length > n) return false;
  for (let k = 0; k < needle.length; k++) if (input[lineStart + k] !== needle[k]) return false;
  let q = lineStart + needle.length;
  if (input[q] === 0x2d && input[q + 1] === 0x2d) q += 2;
  while (isLwsp(input[q])) q++;
  return q === n || input[q] === 0x0a || (input[q] === 0x0d && input[q + 1] === 0x0a);
}

/** The first line start at or after `from` (a line start) that is exactly a delimiter of the searcher's boundary. */
function nextDelimiterOf(state: ParseState, searcher: Searcher, from: number): number {
  const { input } = state;
  if (isDelimiterOf(input, from, searcher.needle)) return from;
  // Searches only move forward, so an answer found from an earlier position holds until it is passed.
  const known = state.found.get(searcher.boundary);
  if (known !== undefined && known.from <= from && (known.at < 0 || known.at > from)) return known.at;
  let at = -1;
  for (let p = skipSearch(input, searcher, from + 1); p >= 0; p = skipSearch(input, searcher, p + 1)) {
    if (input[p - 1] === 0x0a && isDelimiterOf(input, p, searcher.needle)) {
      at = p;
      break;
    }
  }
  state.found.set(searcher.boundary, { from, at });
  return at;
}

class ParsedEntity implements MimeEntity {
  readonly raw: Uint8Array;
  readonly offset: number;
  readonly headerBytes: Uint8Array;
  readonly bodyRaw: Uint8Array;
  readonly headers: MimeHeaders;
  readonly contentType: ContentType;
  readonly contentTransferEncoding: string;
  readonly contentDisposition: ContentDisposition | undefined;
  readonly children: MimeEntity[] = [];
  preamble: Uint8Array | undefined;
  epilogue: Uint8Array | undefined;
  readonly depth: number;
  readonly defects: MimeDefect[];
  isMultipart = false;
  #decoded: Uint8Array | undefined;
  readonly #limits: ParserLimits;

  constructor(fields: {
    raw: Uint8Array;
    offset: number;
    headerBytes: Uint8Array;
    bodyRaw: Uint8Array;
    headers: MimeHeaders;
    contentType: ContentType;
    contentTransferEncoding: string;
    contentDisposition: ContentDisposition | undefined;
    depth: number;
    defects: MimeDefect[];
    limits: ParserLimits;
  }) {
    this.raw = fields.raw;
    this.offset = fields.offset;
    this.headerBytes = fields.headerBytes;
    this.bodyRaw = fields.bodyRaw;
    this.headers = fields.headers;
    this.contentType = fields.contentType;
    this.contentTransferEncoding = fields.contentTransferEncoding;
    this.contentDisposition = fields.contentDisposition;
    this.depth = fields.depth;
    this.defects = fields.defects;
    this.#limits = fields.limits;
  }

  decodedBody(): Uint8Array {
    this.#decoded ??= decodeTransferEncoding(this.bodyRaw, this.contentTransferEncoding);
    return this.#decoded;
  }

  text(): string {
    return this.decodeText().text;
  }

  decodeText(): DecodedText {
    return decodeCharset(this.decodedBody(), this.contentType.charset, 'us-ascii');
  }

  parseEmbeddedMessage(limits: ParserLimits = this.#limits): MimeEntity {
    if (this.contentType.type !== 'message' || (this.contentType.subtype !== 'rfc822' && this.contentType.subtype !== 'global')) {
      throw new SmimeError('MALFORMED_MIME', `${this.contentType.mediaType} is not an embedded message`);
    }
    const body = this.decodedBody();
    return parseRoot(body, limits, this.depth + 1);
  }
}

function firstEncoding(value: string | undefined): string {
  if (value === undefined) return '7bit';
  let text = value.trim().toLowerCase();
  // A trailing comment is allowed by the grammar (RFC 2045 §6.1 uses CFWS in the structured field).
  const comment = text.indexOf('(');
  if (comment >= 0) text = text.slice(0, comment).trim();
  return text;
}

interface Delimiter {
  /** Nesting level of the multipart whose boundary this is (index into the boundary stack). */
  level: number;
  lineStart: number;
  /**
   * Start of the line ending before the delimiter, which belongs to the delimiter (RFC 2046 §5.1.1). Callers clamp
   * it to the start of the region they cut, where a delimiter may follow without a line ending of its own.
   */
  lineEndStart: number;
  /** First byte after the delimiter line's own line ending. */
  after: number;
  close: boolean;
}

function isLwsp(code: number | undefined): boolean {
  return code === 0x20 || code === 0x09;
}

function latin1(input: Uint8Array, start: number, end: number): string {
  let text = '';
  for (let i = start; i < end; i++) text += String.fromCharCode(input[i]!);
  return text;
}

/**
 * Whether the line at `lineStart` (which starts with "--") is a delimiter of any enclosing multipart: "--" boundary,
 * optionally "--", then transport padding and a line end (RFC 2046 §5.1.1). A line that merely starts with a
 * boundary is not one. The boundary is looked up by value, so the cost is the length of the line whatever the depth.
 */
function matchDelimiter(input: Uint8Array, lineStart: number, stack: BoundaryStack): Delimiter | null {
  const n = input.length;
  // A plain loop: delimiter candidates are usually short lines, where a native search costs more than it saves.
  let lineFeed = lineStart + 2;
  while (lineFeed < n && input[lineFeed] !== 0x0a) lineFeed++;
  const after = lineFeed < n ? lineFeed + 1 : n;
  // CR counts as part of the line ending only right before LF; anywhere else it makes the line no delimiter.
  let contentEnd = lineFeed;
  if (lineFeed < n && input[contentEnd - 1] === 0x0d) contentEnd--;
  let end = contentEnd;
  while (end > lineStart + 2 && isLwsp(input[end - 1])) end--;
  const length = end - lineStart - 2;
  let level: number | undefined;
  let close = false;
  if (stack.lengths.has(length)) level = stack.levels.get(latin1(input, lineStart + 2, end));
  if (length >= 2 && input[end - 1] === 0x2d && input[end - 2] === 0x2d && stack.lengths.has(length - 2)) {
    const closeLevel = stack.levels.get(latin1(input, lineStart + 2, end - 2));
    if (closeLevel !== undefined && (level === undefined || closeLevel < level)) {
      level = closeLevel;
      close = true;
    }
  }
  if (level === undefined) return null;
  let lineEndStart = lineStart;
  if (lineStart > 0 && input[lineStart - 1] === 0x0a) lineEndStart = lineStart >= 2 && input[lineStart - 2] === 0x0d ? lineStart - 2 : lineStart - 1;
  return { level, lineStart, lineEndStart, after, close };
}

/**
 * The next delimiter line at or after `from` (a line start) for any boundary on `stack`. Only lines that start
 * with "--" are looked at; the scan is a single forward pass over bytes.
 */
function findDelimiter(state: ParseState, from: number, stack: BoundaryStack): Delimiter | null {
  if (stack.boundaries.length === 0) return null;
  const { input } = state;
  if (state.search === 'skip' && stack.searchers.every((searcher) => searcher !== null)) {
    // The earliest exact delimiter line of any boundary on the stack is the first delimiter line.
    let first = -1;
    for (const searcher of stack.searchers) {
      const at = nextDelimiterOf(state, searcher!, from);
      if (at >= 0 && (first < 0 || at < first)) first = at;
    }
    return first < 0 ? null : matchDelimiter(input, first, stack);
  }
  const n = input.length;
  let lineStart = from;
  while (lineStart < n) {
    if (input[lineStart] === 0x2d && input[lineStart + 1] === 0x2d && stack.firstBytes[input[lineStart + 2]!] === 1) {
      const match = matchDelimiter(input, lineStart, stack);
      if (match !== null) return match;
    }
    // Next "\n--": a native search for "-" (absent from base64 bodies, rare in text), then a check of its
    // neighbours. Scanning for the line feed instead would stop on every line of a large attachment.
    let dash = lineStart + 1;
    lineStart = -1;
    while (dash + 1 < n) {
      dash = input.indexOf(0x2d, dash);
      if (dash < 0 || dash + 1 >= n) break;
      if (input[dash - 1] === 0x0a && input[dash + 1] === 0x2d) {
        lineStart = dash;
        break;
      }
      // The second "-" of a pair cannot start a line whose first "-" did not; skip past it.
      dash += input[dash + 1] === 0x2d ? 2 : 1;
    }
    if (lineStart < 0) return null;
  }
  return null;
}

interface PartResult {
  entity: ParsedEntity;
  /** The delimiter that ended this part, or null at the end of the input. */
  next: Delimiter | null;
}

function makeEntity(state: ParseState, start: number, end: number, section: HeaderSection, depth: number, defaultType: string): ParsedEntity {
  const { input, limits } = state;
  const defects: MimeDefect[] = [...section.defects];
  const contentTypes = section.headers.getAll('content-type');
  if (contentTypes.length > 1) defects.push('MULTIPLE_CONTENT_TYPE');
  const contentType = parseContentType(contentTypes[0], defaultType, limits);
  if (contentTypes.length > 0 && contentType.isDefault) defects.push('INVALID_CONTENT_TYPE');
  const contentTransferEncoding = firstEncoding(section.headers.get('content-transfer-encoding'));
  if (!KNOWN_ENCODINGS.has(contentTransferEncoding)) defects.push('UNKNOWN_TRANSFER_ENCODING');
  return new ParsedEntity({
    raw: input.subarray(start, end),
    offset: start,
    headerBytes: input.subarray(start, section.headerEnd),
    bodyRaw: input.subarray(section.bodyStart, end),
    headers: section.headers,
    contentType,
    contentTransferEncoding,
    contentDisposition: parseContentDisposition(section.headers.get('content-disposition'), limits),
    depth,
    defects,
    limits,
  });
}

/**
 * Parses the entity that starts at `start` and ends at the first delimiter of an enclosing multipart (or the end
 * of the input). Every byte is scanned once at the innermost level, so nesting costs nothing extra.
 */
function parsePart(state: ParseState, start: number, depth: number, defaultType: string, stack: BoundaryStack): PartResult {
  const { input, limits } = state;
  if (++state.parts > limits.maxMimeParts) {
    throw new LimitError('maxMimeParts', `message has more than ${limits.maxMimeParts} MIME parts`);
  }
  if (depth > limits.maxMimeDepth) {
    throw new LimitError('maxMimeDepth', `MIME parts are nested more than ${limits.maxMimeDepth} deep`);
  }
  const isDelimiterLine = (lineStart: number): boolean =>
    input[lineStart + 1] === 0x2d && stack.firstBytes[input[lineStart + 2]!] === 1 && matchDelimiter(input, lineStart, stack) !== null;
  const section = readHeaderSection(input, start, input.length, limits, stack.boundaries.length > 0 ? isDelimiterLine : undefined);
  // A delimiter inside the header section ends the part there; its preceding line ending belongs to the delimiter.
  const finish = (next: Delimiter | null, defects: MimeDefect[] = []): PartResult => {
    const end = next === null ? input.length : Math.max(start, next.lineEndStart);
    const bounded = end < section.bodyStart || section.stoppedAt !== undefined ? readHeaderSection(input, start, end, limits) : section;
    const entity = makeEntity(state, start, end, bounded, depth, defaultType);
    entity.defects.push(...defects);
    return { entity, next };
  };
  if (section.stoppedAt !== undefined) return finish(matchDelimiter(input, section.stoppedAt, stack));

  const contentType = parseContentType(section.headers.get('content-type'), defaultType, limits);
  if (contentType.type !== 'multipart') return finish(findDelimiter(state, section.bodyStart, stack));
  const boundary = contentType.boundary;
  if (boundary === undefined || boundary.length === 0) return finish(findDelimiter(state, section.bodyStart, stack), ['MISSING_BOUNDARY']);
  if (boundary.length > limits.maxBoundaryLength) {
    throw new LimitError('maxBoundaryLength', `boundary is ${boundary.length} characters, over the limit of ${limits.maxBoundaryLength}`);
  }

  const level = stack.boundaries.length;
  const inner = pushBoundary(stack, boundary);
  const delimiter = findDelimiter(state, section.bodyStart, inner);
  if (delimiter === null || delimiter.level !== level) return finish(delimiter, ['BOUNDARY_NOT_FOUND']);
  const preamble = input.subarray(section.bodyStart, Math.max(section.bodyStart, delimiter.lineEndStart));
  const childDefault = contentType.subtype === 'digest' ? 'message/rfc822' : 'text/plain';
  const children: ParsedEntity[] = [];
  let next: Delimiter | null = delimiter;
  let defects: MimeDefect[] = [];
  while (next !== null && next.level === level && !next.close) {
    const child = parsePart(state, next.after, depth + 1, childDefault, inner);
    children.push(child.entity);
    next = child.next;
  }
  let epilogue: Uint8Array | undefined;
  if (next !== null && next.level === level) {
    // After the close delimiter, only an enclosing multipart's delimiter ends the epilogue.
    const epilogueStart = next.after;
    next = findDelimiter(state, epilogueStart, stack);
    epilogue = input.subarray(epilogueStart, next === null ? input.length : Math.max(epilogueStart, next.lineEndStart));
  } else {
    defects = ['MISSING_CLOSE_DELIMITER'];
  }
  const result = finish(next, defects);
  result.entity.isMultipart = true;
  result.entity.preamble = preamble;
  result.entity.epilogue = epilogue;
  result.entity.children.push(...children);
  return result;
}

function parseRoot(raw: Uint8Array, limits: ParserLimits, depth: number, search: DelimiterSearch = 'skip'): MimeEntity {
  return parsePart({ input: raw, limits, parts: 0, search, found: new Map() }, 0, depth, 'text/plain', EMPTY_STACK).entity;
}

/** {@link parseMime} with a chosen delimiter search; both give the same tree (test/unit/perf/delimiter-search.test.ts). */
export function parseMimeWithSearch(raw: Uint8Array, limits: ParserLimits, search: DelimiterSearch): MimeEntity {
  if (raw.length > limits.maxMessageBytes) {
    throw new LimitError('maxMessageBytes', `message is ${raw.length} bytes, over the limit of ${limits.maxMessageBytes}`);
  }
  return parseRoot(raw, limits, 0, search);
}

/**
 * Parses a raw RFC 5322 message (CRLF or LF line endings) into a tree of {@link MimeEntity}, keeping every
 * entity's exact bytes as subarrays of `raw` (no copies). Each child's `raw` is exactly the bytes between its
 * delimiter line and the line ending before the next delimiter (RFC 2046 §5.1.1). message/rfc822 parts are not
 * parsed further unless asked ({@link MimeEntity.parseEmbeddedMessage}, SEC-03).
 *
 * Security: limits are checked while parsing, so hostile input stops early (SEC-32, SEC-33). The parse is one
 * forward pass: each byte is scanned once, at the innermost multipart, whatever the nesting.
 * Malformed structure is reported in `defects`, never by throwing.
 *
 * Signatures: the first child of a multipart/signed is `children[0].raw`, byte for byte as received. A message
 * stored with LF line endings was signed over its CRLF form (RFC 8551 §3.1.1), so a verifier that finds no match
 * on the received bytes may try `canonicalizeLineEndings` (build.ts) of them, as OpenSSL does.
 * @throws LimitError (`LIMIT_EXCEEDED`) for `maxMessageBytes`, `maxMimeDepth`, `maxMimeParts`, `maxHeaderBytes`,
 *   `maxHeaderLines`, `maxBoundaryLength`, or comments nested over the header nesting limit.
 */
export function parseMime(raw: Uint8Array, limits: ParserLimits = DEFAULT_LIMITS): MimeEntity {
  if (raw.length > limits.maxMessageBytes) {
    throw new LimitError('maxMessageBytes', `message is ${raw.length} bytes, over the limit of ${limits.maxMessageBytes}`);
  }
  return parseRoot(raw, limits, 0);
}
