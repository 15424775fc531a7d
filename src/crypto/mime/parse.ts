/**
 * The MIME parser (RFC 5322, RFC 2045, RFC 2046). It keeps the exact bytes of every entity as subarrays of the
 * input, because signatures are verified over the bytes as received (RFC 8551 §3.1.1, STYLE §3), and it enforces
 * the limits of {@link ParserLimits} while it parses (SEC-32, SEC-33).
 */
import { LimitError, SmimeError } from '../errors.js';
import { DEFAULT_LIMITS, type ParserLimits } from '../policy.js';
import { decodeCharset, type DecodedText } from './charset.js';
import { readHeaderSection, type HeaderDefect, type MimeHeaders } from './headers.js';
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

  parseEmbeddedMessage(limits: ParserLimits = DEFAULT_LIMITS): MimeEntity {
    if (this.contentType.type !== 'message' || (this.contentType.subtype !== 'rfc822' && this.contentType.subtype !== 'global')) {
      throw new SmimeError('MALFORMED_MIME', `${this.contentType.mediaType} is not an embedded message`);
    }
    const body = this.decodedBody();
    return parseTree({ input: body, limits, parts: 0 }, 0, body.length, this.depth + 1, 'text/plain');
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
  /** Start of the line ending that belongs to the delimiter (RFC 2046 §5.1.1), or the "--" at the body start. */
  lineEndStart: number;
  /** First byte after the delimiter line's own line ending. */
  after: number;
  close: boolean;
}

/**
 * Finds the next delimiter line at or after `from`, which must be a line start. Only line starts are compared
 * with the boundary, and a comparison costs at most the length of the line it starts, so the search is linear.
 */
function findDelimiter(body: Uint8Array, from: number, dashBoundary: Uint8Array): Delimiter | null {
  const n = body.length;
  const m = dashBoundary.length;
  let lineStart = from;
  while (lineStart < n) {
    if (body[lineStart] === 0x2d && lineStart + m <= n) {
      let k = 1;
      while (k < m && body[lineStart + k] === dashBoundary[k]) k++;
      if (k === m) {
        let q = lineStart + m;
        let close = false;
        if (body[q] === 0x2d && body[q + 1] === 0x2d) {
          close = true;
          q += 2;
        }
        // Transport padding (RFC 2046 §5.1.1) may follow; anything else means this line is not a delimiter.
        while (q < n && (body[q] === 0x20 || body[q] === 0x09)) q++;
        let after = -1;
        if (q === n) after = n;
        else if (body[q] === 0x0a) after = q + 1;
        else if (body[q] === 0x0d && body[q + 1] === 0x0a) after = q + 2;
        if (after >= 0) {
          let lineEndStart = lineStart;
          if (lineStart > 0) lineEndStart = lineStart >= 2 && body[lineStart - 2] === 0x0d ? lineStart - 2 : lineStart - 1;
          return { lineEndStart, after, close };
        }
      }
    }
    const lineFeed = body.indexOf(0x0a, lineStart);
    if (lineFeed < 0) return null;
    lineStart = lineFeed + 1;
  }
  return null;
}

function asciiBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

function splitMultipart(state: ParseState, entity: ParsedEntity, bodyOffset: number, boundary: string): void {
  const body = entity.bodyRaw;
  const dashBoundary = asciiBytes(`--${boundary}`);
  let delimiter = findDelimiter(body, 0, dashBoundary);
  if (delimiter === null) {
    entity.defects.push('BOUNDARY_NOT_FOUND');
    return;
  }
  entity.isMultipart = true;
  entity.preamble = body.subarray(0, delimiter.lineEndStart);
  const childDefault = entity.contentType.subtype === 'digest' ? 'message/rfc822' : 'text/plain';
  while (!delimiter.close) {
    const start = delimiter.after;
    const next = findDelimiter(body, start, dashBoundary);
    const end = next === null ? body.length : Math.max(start, next.lineEndStart);
    entity.children.push(parseTree(state, bodyOffset + start, bodyOffset + end, entity.depth + 1, childDefault));
    if (next === null) {
      entity.defects.push('MISSING_CLOSE_DELIMITER');
      return;
    }
    delimiter = next;
  }
  entity.epilogue = body.subarray(delimiter.after);
}

function parseTree(state: ParseState, start: number, end: number, depth: number, defaultType: string): ParsedEntity {
  const { input, limits } = state;
  if (++state.parts > limits.maxMimeParts) {
    throw new LimitError('maxMimeParts', `message has more than ${limits.maxMimeParts} MIME parts`);
  }
  if (depth > limits.maxMimeDepth) {
    throw new LimitError('maxMimeDepth', `MIME parts are nested more than ${limits.maxMimeDepth} deep`);
  }
  const section = readHeaderSection(input, start, end, limits);
  const defects: MimeDefect[] = [...section.defects];
  const contentTypes = section.headers.getAll('content-type');
  if (contentTypes.length > 1) defects.push('MULTIPLE_CONTENT_TYPE');
  const contentType = parseContentType(contentTypes[0], defaultType);
  if (contentTypes.length > 0 && contentType.isDefault) defects.push('INVALID_CONTENT_TYPE');
  const contentTransferEncoding = firstEncoding(section.headers.get('content-transfer-encoding'));
  if (!KNOWN_ENCODINGS.has(contentTransferEncoding)) defects.push('UNKNOWN_TRANSFER_ENCODING');
  const entity = new ParsedEntity({
    raw: input.subarray(start, end),
    offset: start,
    headerBytes: input.subarray(start, section.headerEnd),
    bodyRaw: input.subarray(section.bodyStart, end),
    headers: section.headers,
    contentType,
    contentTransferEncoding,
    contentDisposition: parseContentDisposition(section.headers.get('content-disposition')),
    depth,
    defects,
  });
  if (contentType.type === 'multipart') {
    const boundary = contentType.boundary;
    if (boundary === undefined || boundary.length === 0) {
      defects.push('MISSING_BOUNDARY');
    } else if (boundary.length > limits.maxBoundaryLength) {
      throw new LimitError('maxBoundaryLength', `boundary is ${boundary.length} characters, over the limit of ${limits.maxBoundaryLength}`);
    } else {
      splitMultipart(state, entity, section.bodyStart, boundary);
    }
  }
  return entity;
}

/**
 * Parses a raw RFC 5322 message (CRLF or LF line endings) into a tree of {@link MimeEntity}, keeping every
 * entity's exact bytes as subarrays of `raw` (no copies). Each child's `raw` is exactly the bytes between its
 * delimiter line and the line ending before the next delimiter (RFC 2046 §5.1.1). message/rfc822 parts are not
 * parsed further unless asked ({@link MimeEntity.parseEmbeddedMessage}, SEC-03).
 *
 * Security: limits are checked while parsing, so hostile input stops early (SEC-32, SEC-33); every algorithm is
 * linear in the input, except that each nesting level rescans its own body (bounded by `maxMimeDepth`).
 * Malformed structure is reported in `defects`, never by throwing.
 * @throws LimitError (`LIMIT_EXCEEDED`) for `maxMessageBytes`, `maxMimeDepth`, `maxMimeParts`, `maxHeaderBytes`,
 *   `maxHeaderLines`, `maxBoundaryLength`, or comments nested over the header nesting limit.
 */
export function parseMime(raw: Uint8Array, limits: ParserLimits = DEFAULT_LIMITS): MimeEntity {
  if (raw.length > limits.maxMessageBytes) {
    throw new LimitError('maxMessageBytes', `message is ${raw.length} bytes, over the limit of ${limits.maxMessageBytes}`);
  }
  return parseTree({ input: raw, limits, parts: 0 }, 0, raw.length, 0, 'text/plain');
}
