/**
 * The header section of one MIME entity (RFC 5322 §2.2, RFC 2045 §3): ordered fields with their exact bytes,
 * unfolded values and case-insensitive lookup.
 */
import { LimitError } from '../errors.js';
import type { ParserLimits } from '../policy.js';
import { decodeEncodedWords } from './encoded-words.js';

/** One header field as received. */
export interface HeaderField {
  /** Field name as written (case kept). */
  readonly name: string;
  /** Unfolded value (RFC 5322 §2.2.3), leading and trailing whitespace removed, encoded-words left as they are. */
  readonly value: string;
  /** Exact bytes of the field, including folded lines and its final line ending. */
  readonly raw: Uint8Array;
  /** The value with RFC 2047 encoded-words decoded (for unstructured fields such as Subject). */
  decoded(): string;
}

/** Ordered header fields with case-insensitive lookup. */
export class MimeHeaders implements Iterable<HeaderField> {
  readonly fields: readonly HeaderField[];

  constructor(fields: readonly HeaderField[]) {
    this.fields = fields;
  }

  /** The first field called `name` (case-insensitive), or undefined. */
  getField(name: string): HeaderField | undefined {
    const wanted = name.toLowerCase();
    return this.fields.find((field) => field.name.toLowerCase() === wanted);
  }

  /** Every field called `name`, in order. */
  getFields(name: string): HeaderField[] {
    const wanted = name.toLowerCase();
    return this.fields.filter((field) => field.name.toLowerCase() === wanted);
  }

  /** The unfolded value of the first field called `name`, or undefined. */
  get(name: string): string | undefined {
    return this.getField(name)?.value;
  }

  /** The unfolded values of every field called `name`, in order. */
  getAll(name: string): string[] {
    return this.getFields(name).map((field) => field.value);
  }

  has(name: string): boolean {
    return this.getField(name) !== undefined;
  }

  get size(): number {
    return this.fields.length;
  }

  [Symbol.iterator](): Iterator<HeaderField> {
    return this.fields[Symbol.iterator]();
  }
}

/** Problems found in a header section that do not stop parsing. */
export type HeaderDefect = 'MISSING_HEADER_BODY_SEPARATOR' | 'CONTINUATION_WITHOUT_FIELD';

/** Where a header section ends and the body starts, with the parsed fields. */
export interface HeaderSection {
  headers: MimeHeaders;
  /** End of the header lines (start of the blank line, or of the body when the blank line is missing). */
  headerEnd: number;
  /** Start of the body (after the blank line). */
  bodyStart: number;
  defects: HeaderDefect[];
  /** Set when the section was cut short by a line for which `isDelimiterLine` returned true. */
  stoppedAt?: number;
}

const asciiDecoder = new TextDecoder('latin1');
const utf8Decoder = new TextDecoder('utf-8', { fatal: false });

function isAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! > 0x7f) return false;
  return true;
}

/** Header text: ASCII as is; raw 8-bit bytes are taken as UTF-8 (RFC 6532), with U+FFFD for invalid sequences. */
export function headerBytesToString(bytes: Uint8Array): string {
  return isAscii(bytes) ? asciiDecoder.decode(bytes) : utf8Decoder.decode(bytes);
}

function isWsp(code: number | undefined): boolean {
  return code === 0x20 || code === 0x09;
}

class ParsedField implements HeaderField {
  readonly name: string;
  readonly value: string;
  readonly raw: Uint8Array;
  #decoded: string | undefined;

  constructor(name: string, value: string, raw: Uint8Array) {
    this.name = name;
    this.value = value;
    this.raw = raw;
  }

  decoded(): string {
    this.#decoded ??= decodeEncodedWords(this.value);
    return this.#decoded;
  }
}

function makeField(input: Uint8Array, start: number, colon: number, end: number, contentEnd: number): ParsedField {
  let nameEnd = colon;
  while (nameEnd > start && isWsp(input[nameEnd - 1])) nameEnd--;
  const name = asciiDecoder.decode(input.subarray(start, nameEnd));
  let valueBytes = input.subarray(colon + 1, contentEnd);
  // Unfolding removes the line breaks only (RFC 5322 §2.2.3); copy only when the field spans several lines.
  if (valueBytes.indexOf(0x0a) >= 0 || valueBytes.indexOf(0x0d) >= 0) {
    valueBytes = valueBytes.filter((byte) => byte !== 0x0a && byte !== 0x0d);
  }
  let a = 0;
  let b = valueBytes.length;
  while (a < b && isWsp(valueBytes[a])) a++;
  while (b > a && isWsp(valueBytes[b - 1])) b--;
  return new ParsedField(name, headerBytesToString(valueBytes.subarray(a, b)), input.subarray(start, end));
}

/** Field names are printable ASCII except ":" (RFC 5322 §3.6.8); obsolete whitespace before the colon is allowed. */
function findFieldColon(input: Uint8Array, start: number, contentEnd: number): number {
  let i = start;
  while (i < contentEnd) {
    const c = input[i]!;
    if (c === 0x3a) break;
    if (c < 0x21 || c > 0x7e) {
      // Only whitespace directly before the colon is tolerated.
      let j = i;
      while (j < contentEnd && isWsp(input[j])) j++;
      if (j > i && j < contentEnd && input[j] === 0x3a && i > start) return j;
      return -1;
    }
    i++;
  }
  return i < contentEnd && i > start ? i : -1;
}

/**
 * Reads the header section of the entity in `input[start, end)`.
 * Lines may end in CRLF or LF. The header section ends at the first empty line; a line that is neither a field
 * nor a continuation starts the body early (defect `MISSING_HEADER_BODY_SEPARATOR`). A line starting with "-" for
 * which `isDelimiterLine` returns true ends the section too (`stoppedAt`).
 * @throws LimitError when the section exceeds `maxHeaderBytes` or `maxHeaderLines` (SEC-33c/d/e); the search
 *   for a line end never looks further than the byte limit, so one huge line costs at most that much.
 */
export function readHeaderSection(
  input: Uint8Array,
  start: number,
  end: number,
  limits: Pick<ParserLimits, 'maxHeaderBytes' | 'maxHeaderLines'>,
  isDelimiterLine?: (lineStart: number) => boolean,
): HeaderSection {
  const fields: ParsedField[] = [];
  const defects: HeaderDefect[] = [];
  const searchLimit = Math.min(end, start + limits.maxHeaderBytes + 2);
  let position = start;
  let lines = 0;
  let fieldStart = -1;
  let fieldColon = -1;
  let fieldContentEnd = -1;
  const finishField = (fieldEnd: number): void => {
    if (fieldStart >= 0) fields.push(makeField(input, fieldStart, fieldColon, fieldEnd, fieldContentEnd));
    fieldStart = -1;
  };
  while (position < end) {
    const window = input.subarray(position, searchLimit);
    const found = window.indexOf(0x0a);
    if (found < 0 && searchLimit < end) {
      throw new LimitError('maxHeaderBytes', `header section is longer than ${limits.maxHeaderBytes} bytes`);
    }
    const lineFeed = found < 0 ? -1 : position + found;
    const next = lineFeed < 0 ? end : lineFeed + 1;
    const contentEnd = lineFeed < 0 ? end : lineFeed > position && input[lineFeed - 1] === 0x0d ? lineFeed - 1 : lineFeed;
    if (contentEnd === position) {
      finishField(position);
      return { headers: new MimeHeaders(fields), headerEnd: position, bodyStart: next, defects };
    }
    // A multipart delimiter ends the part, even where a header or the blank line was expected (RFC 2046 §5.1.1).
    if (isDelimiterLine !== undefined && input[position] === 0x2d && isDelimiterLine(position)) {
      finishField(position);
      return { headers: new MimeHeaders(fields), headerEnd: position, bodyStart: position, defects, stoppedAt: position };
    }
    if (next - start > limits.maxHeaderBytes) {
      throw new LimitError('maxHeaderBytes', `header section is longer than ${limits.maxHeaderBytes} bytes`);
    }
    if (++lines > limits.maxHeaderLines) {
      throw new LimitError('maxHeaderLines', `header section has more than ${limits.maxHeaderLines} lines`);
    }
    if (isWsp(input[position])) {
      if (fieldStart >= 0) fieldContentEnd = contentEnd;
      else defects.push('CONTINUATION_WITHOUT_FIELD');
    } else {
      const colon = findFieldColon(input, position, contentEnd);
      if (colon < 0) {
        finishField(position);
        defects.push('MISSING_HEADER_BODY_SEPARATOR');
        return { headers: new MimeHeaders(fields), headerEnd: position, bodyStart: position, defects };
      }
      finishField(position);
      fieldStart = position;
      fieldColon = colon;
      fieldContentEnd = contentEnd;
    }
    position = next;
  }
  finishField(end);
  return { headers: new MimeHeaders(fields), headerEnd: end, bodyStart: end, defects };
}
