/**
 * Builds canonical MIME entities for signing and encryption: CRLF line endings and 7-bit-safe transfer
 * encodings (RFC 8551 §3.1.1-3.1.3), and the S/MIME wrappers in the exact shape Thunderbird and OpenSSL produce.
 */
import { base64Encode, concatBytes, toHex, utf8 } from '../bytes.js';
import { SmimeError } from '../errors.js';
import { parseAddressList, type Mailbox } from './address.js';
import { readHeaderSection } from './headers.js';
import { encodeBase64Body, encodeQuotedPrintable } from './transfer-encoding.js';

/** Header fields as ordered `[name, value]` pairs; values are Unicode and get RFC 2047 encoded when needed. */
export type HeaderList = ReadonlyArray<readonly [name: string, value: string]>;

/** Content-Transfer-Encodings the builder writes; all are 7-bit safe (RFC 8551 §3.1.2). */
export type TransferEncoding = '7bit' | 'quoted-printable' | 'base64';

/** Description of an entity for {@link buildEntity}: a leaf with `body`, or a multipart with `children`. */
export interface EntityInput {
  /** Content-Type value without the boundary, e.g. "text/plain; charset=utf-8" or "multipart/mixed". */
  contentType: string;
  /** More header fields written after Content-Type and Content-Transfer-Encoding (Content-Disposition, ...). */
  headers?: HeaderList;
  /** Leaf body. Strings are UTF-8 (and "; charset=utf-8" is added to text types that name no charset). */
  body?: Uint8Array | string;
  /** Transfer encoding of a leaf; "auto" (default) picks 7bit, quoted-printable or base64 from the content. */
  transferEncoding?: TransferEncoding | 'auto';
  /** Children of a multipart: inputs to build, or entities already built (used as they are). */
  children?: ReadonlyArray<EntityInput | Uint8Array>;
  /** Boundary of a multipart; made with `randomBytes` when absent. */
  boundary?: string;
}

/** Options of the builders. */
export interface BuildOptions {
  /**
   * Source of randomness for boundaries (the engine has no global crypto): e.g.
   * `n => crypto.getRandomValues(new Uint8Array(n))`. Without it, boundaries are derived from the content; either
   * way a boundary is never one that occurs inside a part.
   */
  randomBytes?: (length: number) => Uint8Array;
}

const CRLF = new Uint8Array([0x0d, 0x0a]);

/** Converts every line ending (CRLF, lone LF, lone CR) to CRLF, the canonical form for signing (RFC 5751 §3.1.1). */
export function canonicalizeLineEndings(bytes: Uint8Array): Uint8Array {
  let extra = 0;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c === 0x0a && (i === 0 || bytes[i - 1] !== 0x0d)) extra++;
    else if (c === 0x0d && bytes[i + 1] !== 0x0a) extra++;
  }
  if (extra === 0) return bytes;
  const out = new Uint8Array(bytes.length + extra);
  let o = 0;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c === 0x0a && (i === 0 || bytes[i - 1] !== 0x0d)) {
      out[o++] = 0x0d;
      out[o++] = 0x0a;
    } else if (c === 0x0d && bytes[i + 1] !== 0x0a) {
      out[o++] = 0x0d;
      out[o++] = 0x0a;
    } else {
      out[o++] = c;
    }
  }
  return out;
}

/** Every boundary {@link makeBoundary} makes contains this: content without it cannot contain such a boundary. */
export const BOUNDARY_MARKER = '=_ws_';

/**
 * A fresh multipart boundary from `randomBytes` (18 random bytes, 144 bits). It contains "=_", which can never
 * appear in base64 or quoted-printable output, so it cannot collide with encoded content.
 */
export function makeBoundary(randomBytes: (length: number) => Uint8Array): string {
  const random = randomBytes(18);
  if (random.length !== 18) throw new SmimeError('INTERNAL_ERROR', 'randomBytes returned the wrong number of bytes');
  return `----${BOUNDARY_MARKER}${toHex(random)}`;
}

function isAsciiText(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c > 0x7e || (c < 0x20 && c !== 0x09)) return false;
  }
  return true;
}

/** RFC 2047 "B" encoded-words in UTF-8, each at most 75 characters and never splitting a character. */
function encodeWords(value: string): string[] {
  const words: string[] = [];
  // 39 bytes -> 52 base64 chars, 64 with "=?utf-8?B?" and "?=": short enough for "Subject: " on the first line.
  const maxBytes = 39;
  let chunk: string[] = [];
  let chunkBytes = 0;
  for (const ch of value) {
    const size = utf8(ch).length;
    if (chunkBytes + size > maxBytes && chunk.length > 0) {
      words.push(`=?utf-8?B?${base64Encode(utf8(chunk.join('')))}?=`);
      chunk = [];
      chunkBytes = 0;
    }
    chunk.push(ch);
    chunkBytes += size;
  }
  if (chunk.length > 0) {
    words.push(`=?utf-8?B?${base64Encode(utf8(chunk.join('')))}?=`);
  }
  return words;
}

/** Fields whose value is an address list: only display names may be encoded (RFC 2047 §5(3)). */
const ADDRESS_FIELDS = new Set(['from', 'sender', 'reply-to', 'to', 'cc', 'bcc', 'resent-from', 'resent-sender', 'resent-to', 'resent-cc', 'resent-bcc']);

function quoteDisplayName(name: string): string {
  if (!isAsciiText(name)) return encodeWords(name).join(' ');
  if (/^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~ ]*$/.test(name) && !name.includes('=?')) return name;
  return `"${name.replace(/[\\"]/g, (ch) => `\\${ch}`)}"`;
}

function formatMailbox(mailbox: Mailbox): string {
  return mailbox.name.length > 0 ? `${quoteDisplayName(mailbox.name)} <${mailbox.address}>` : mailbox.address;
}

/**
 * An address list with non-ASCII display names as encoded-words and addresses unchanged (raw UTF-8 addresses stay
 * UTF-8, RFC 6532). Empty groups come last.
 * @throws SmimeError `MALFORMED_MIME` when the value is not a well-formed address list.
 */
function formatAddressList(name: string, value: string): string {
  const list = parseAddressList(value);
  if (!list.valid) throw new SmimeError('MALFORMED_MIME', `header field ${name} is not a valid address list`, { detail: { problems: list.problems } });
  const items: string[] = [];
  let index = 0;
  while (index < list.mailboxes.length) {
    const group = list.mailboxes[index]!.group;
    if (group === undefined) {
      items.push(formatMailbox(list.mailboxes[index++]!));
      continue;
    }
    const members: string[] = [];
    while (index < list.mailboxes.length && list.mailboxes[index]!.group === group) members.push(formatMailbox(list.mailboxes[index++]!));
    items.push(`${quoteDisplayName(group)}: ${members.join(', ')};`);
  }
  for (const group of list.groups) if (group.members.length === 0) items.push(`${quoteDisplayName(group.name)}:;`);
  return items.join(', ');
}

/**
 * One header field as CRLF-terminated text, folded at whitespace so lines stay within 78 characters where
 * possible (RFC 5322 §2.1.1). ASCII values are written as given, so values that are already RFC 2047 encoded (as
 * read from a parsed message) pass through unchanged. Non-ASCII values become RFC 2047 encoded-words; in address
 * fields only the display names are encoded. Content-* fields are structured: give non-ASCII parameters with
 * {@link formatParameter} instead.
 * @throws SmimeError `MALFORMED_MIME` for an invalid field name, a value containing CR or LF, a non-ASCII Content-*
 *   value, or a non-ASCII address field that is not a valid address list.
 */
export function formatHeaderField(name: string, value: string): string {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 0x21 || c > 0x7e || c === 0x3a) throw new SmimeError('MALFORMED_MIME', `invalid header field name "${name}"`);
  }
  if (name.length === 0) throw new SmimeError('MALFORMED_MIME', 'empty header field name');
  if (value.includes('\r') || value.includes('\n')) {
    throw new SmimeError('MALFORMED_MIME', `header field ${name} contains a line break`);
  }
  let words: string[];
  const lower = name.toLowerCase();
  if (isAsciiText(value)) {
    words = value.split(' ');
  } else if (ADDRESS_FIELDS.has(lower)) {
    words = formatAddressList(name, value).split(' ');
  } else if (lower.startsWith('content-')) {
    throw new SmimeError('MALFORMED_MIME', `header field ${name} is structured: encode non-ASCII parameters with formatParameter`);
  } else {
    words = encodeWords(value);
  }
  const lines: string[] = [];
  let line = `${name}:`;
  for (const word of words) {
    // Never fold before an empty word: a folded line holding only whitespace is not allowed (RFC 5322 §3.2.2).
    if (word.length > 0 && line.length + 1 + word.length > 78 && line.length > name.length + 1) {
      lines.push(line);
      line = ` ${word}`;
    } else {
      line += ` ${word}`;
    }
  }
  lines.push(line);
  return `${lines.join('\r\n')}\r\n`;
}

function isToken(value: string): boolean {
  if (value.length === 0) return false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f || '()<>@,;:\\"/[]?='.includes(value[i]!)) return false;
  }
  return true;
}

/**
 * One `name=value` parameter: a token as is (quoted when `quote` is set), other ASCII quoted, and non-ASCII as
 * RFC 2231 `name*=utf-8''%XX`.
 */
export function formatParameter(name: string, value: string, options: { quote?: boolean } = {}): string {
  if (isToken(value) && options.quote !== true) return `${name}=${value}`;
  if (isAsciiText(value)) return `${name}="${value.replace(/[\\"]/g, (ch) => `\\${ch}`)}"`;
  const encoded = Array.from(utf8(value), (byte) =>
    (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a) || byte === 0x2e || byte === 0x2d || byte === 0x5f
      ? String.fromCharCode(byte)
      : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
  ).join('');
  return `${name}*=utf-8''${encoded}`;
}

function asciiBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

/** The transfer encoding that keeps `body` intact through 7-bit transports without changing its meaning. */
function chooseTransferEncoding(body: Uint8Array, isText: boolean): TransferEncoding {
  if (!isText) return 'base64';
  let nonAscii = 0;
  let column = 0;
  let needsQuoting = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === 0x0d && body[i + 1] === 0x0a) {
      if (i > 0 && (body[i - 1] === 0x20 || body[i - 1] === 0x09)) needsQuoting = true;
      column = 0;
      i++;
      continue;
    }
    if (c > 0x7e) nonAscii++;
    else if ((c < 0x20 && c !== 0x09) || c === 0x7f) needsQuoting = true;
    // "From " at a line start is mangled by mbox stores; long lines are broken by transports (RFC 5322 §2.1.1).
    if (column === 0 && c === 0x46 && body[i + 1] === 0x72 && body[i + 2] === 0x6f && body[i + 3] === 0x6d && body[i + 4] === 0x20) needsQuoting = true;
    if (++column > 76) needsQuoting = true;
  }
  const last = body[body.length - 1];
  if (last === 0x20 || last === 0x09) needsQuoting = true;
  if (nonAscii > body.length / 4) return 'base64';
  return nonAscii > 0 || needsQuoting ? 'quoted-printable' : '7bit';
}

function containsBytes(haystack: Uint8Array, needle: Uint8Array): boolean {
  if (needle.length === 0) return true;
  let i = haystack.indexOf(needle[0]!);
  while (i >= 0 && i + needle.length <= haystack.length) {
    let k = 1;
    while (k < needle.length && haystack[i + k] === needle[k]) k++;
    if (k === needle.length) return true;
    i = haystack.indexOf(needle[0]!, i + 1);
  }
  return false;
}

function buildLeaf(input: EntityInput): Uint8Array {
  let contentType = input.contentType;
  const isText = contentType.trim().toLowerCase().startsWith('text/');
  let body: Uint8Array;
  if (typeof input.body === 'string') {
    body = utf8(input.body);
    if (isText && !/;\s*charset\s*=/i.test(contentType)) contentType += '; charset=utf-8';
  } else {
    body = input.body ?? new Uint8Array(0);
  }
  // Text is canonical with CRLF line endings before it is encoded (RFC 2049 §4, RFC 8551 §3.1.1).
  if (isText) body = canonicalizeLineEndings(body);
  const requested = input.transferEncoding ?? 'auto';
  const encoding = requested === 'auto' ? chooseTransferEncoding(body, isText) : requested;
  let encoded: Uint8Array;
  if (encoding === 'base64') encoded = encodeBase64Body(body);
  else if (encoding === 'quoted-printable') encoded = encodeQuotedPrintable(body);
  else {
    for (let i = 0; i < body.length; i++) {
      if (body[i]! > 0x7e || body[i] === 0) throw new SmimeError('MALFORMED_MIME', '7bit body contains 8-bit or NUL bytes');
    }
    encoded = body;
  }
  const header =
    formatHeaderField('Content-Type', contentType) +
    formatHeaderField('Content-Transfer-Encoding', encoding) +
    (input.headers ?? []).map(([name, value]) => formatHeaderField(name, value)).join('') +
    '\r\n';
  return concatBytes([utf8(header), encoded]);
}

/**
 * 32 pseudo-random bits from the content (FNV-1a), for boundaries when no random source is given. A boundary only
 * has to be absent from the parts, which {@link chooseBoundary} checks, so it need not be secret.
 */
function contentHash(parts: readonly Uint8Array[], seed: number): number {
  let hash = (0x811c9dc5 ^ seed) >>> 0;
  for (const part of parts) {
    // Sampling keeps this cheap on large attachments; the collision check below is what guarantees correctness.
    const step = Math.max(1, Math.floor(part.length / 4096));
    for (let i = 0; i < part.length; i += step) hash = Math.imul(hash ^ part[i]!, 0x01000193) >>> 0;
    hash = Math.imul(hash ^ part.length, 0x01000193) >>> 0;
  }
  return hash;
}

function derivedRandomBytes(parts: readonly Uint8Array[], attempt: number): (length: number) => Uint8Array {
  return (length) => {
    const out = new Uint8Array(length);
    let state = contentHash(parts, attempt);
    for (let i = 0; i < length; i++) {
      state = Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) >>> 0;
      state = (state ^ (state >>> 12) ^ i) >>> 0;
      out[i] = state & 0xff;
    }
    return out;
  };
}

/**
 * The boundary to use for `parts`: the given one, or a new one from `randomBytes` (or, without it, derived from the
 * content), never one that occurs in a part (RFC 2046 §5.1.1).
 * @throws SmimeError `MALFORMED_MIME` when a given boundary occurs inside a part.
 */
function chooseBoundary(given: string | undefined, randomBytes: BuildOptions['randomBytes'], parts: readonly Uint8Array[]): string {
  for (let attempt = 0; attempt < 16; attempt++) {
    const boundary = given ?? makeBoundary(randomBytes ?? derivedRandomBytes(parts, attempt));
    const dashBoundary = asciiBytes(`--${boundary}`);
    if (!parts.some((part) => containsBytes(part, dashBoundary))) return boundary;
    if (given !== undefined) break;
  }
  throw new SmimeError('MALFORMED_MIME', 'the multipart boundary occurs inside a part');
}

function buildMultipart(input: EntityInput, options: BuildOptions): Uint8Array {
  const children = input.children!.map((child) => (child instanceof Uint8Array ? child : buildEntity(child, options)));
  const boundary = chooseBoundary(input.boundary, options.randomBytes, children);
  const header =
    formatHeaderField('Content-Type', `${input.contentType}; ${formatParameter('boundary', boundary)}`) +
    (input.headers ?? []).map(([name, value]) => formatHeaderField(name, value)).join('') +
    '\r\n';
  const parts: Uint8Array[] = [utf8(header)];
  for (const child of children) {
    parts.push(asciiBytes(`--${boundary}\r\n`), child, CRLF);
  }
  parts.push(asciiBytes(`--${boundary}--\r\n`));
  return concatBytes(parts);
}

/**
 * Builds one MIME entity with CRLF line endings and 7-bit-safe transfer encodings: headers, blank line, body.
 * Multiparts get delimiters per RFC 2046 §5.1.1 and a boundary checked not to occur in any child.
 * @throws SmimeError `MALFORMED_MIME` for bad header names/values, a given boundary found in a child, or 8-bit data
 *   with an explicit "7bit" encoding.
 */
export function buildEntity(input: EntityInput, options: BuildOptions = {}): Uint8Array {
  if (input.children !== undefined) return buildMultipart(input, options);
  return buildLeaf(input);
}

/** micalg names of RFC 8551 §3.5.3.2. */
export type Micalg = 'sha-256' | 'sha-384' | 'sha-512' | 'sha-1' | 'md5' | 'sha-224';

/** The micalg parameter for a WebCrypto hash name ("SHA-256" → "sha-256"). */
export function micalgFor(hash: 'SHA-256' | 'SHA-384' | 'SHA-512'): Micalg {
  return hash.toLowerCase() as Micalg;
}

/**
 * Wraps a signed entity and its detached signature as multipart/signed (RFC 8551 §3.5.3), as Thunderbird does:
 * the entity bytes are copied unchanged as the first part, and the signature follows as smime.p7s in base64.
 * Returns the multipart/signed entity; add the message headers with {@link replaceOrPrependHeaders}.
 * @throws SmimeError `MALFORMED_MIME` when a given `options.boundary` occurs in the entity.
 */
export function buildMultipartSigned(
  entity: Uint8Array,
  signatureDer: Uint8Array,
  micalg: Micalg,
  options: BuildOptions & { boundary?: string } = {},
): Uint8Array {
  return beginMultipartSigned(entity, micalg, { ...options, signatureCapacity: signatureDer.length }).finish(signatureDer);
}

/** Options of {@link beginMultipartSigned}. */
export interface BeginMultipartSignedOptions extends BuildOptions {
  boundary?: string;
  /** Room to reserve for the signature DER (bytes); a larger signature still works, at the cost of one more copy. */
  signatureCapacity: number;
  /**
   * The caller has checked that the entity does not contain {@link BOUNDARY_MARKER}, so no boundary made by
   * {@link makeBoundary} can occur in it and, with `randomBytes`, the search over the entity is skipped
   * (signEntity's canonical-form scan looks for the marker).
   */
  entityLacksBoundaryMarker?: boolean;
}

/** base64 body length of `n` bytes as {@link encodeBase64Body} writes it: 76-column lines, each ending in CRLF. */
function base64BodyLength(n: number): number {
  const chars = Math.ceil(n / 3) * 4;
  return chars + 2 * Math.ceil(chars / 76);
}

/**
 * {@link buildMultipartSigned} in two steps, so that a large entity is copied into the output while its signature
 * is still being computed: this copies the header and the entity into a buffer with room for the signature part,
 * `finish` appends the signature part and returns the multipart/signed entity (a view of that buffer).
 * @throws SmimeError `MALFORMED_MIME` when a given `options.boundary` occurs in the entity.
 */
export function beginMultipartSigned(entity: Uint8Array, micalg: Micalg, options: BeginMultipartSignedOptions): { finish(signatureDer: Uint8Array): Uint8Array } {
  const boundary = options.boundary === undefined && options.entityLacksBoundaryMarker === true && options.randomBytes !== undefined
    ? makeBoundary(options.randomBytes)
    : chooseBoundary(options.boundary, options.randomBytes, [entity]);
  const header = asciiBytes(
    // One line, as Thunderbird writes it (RFC 5322 §2.1.1 allows up to 998 characters).
    `Content-Type: multipart/signed; protocol="application/pkcs7-signature"; micalg=${micalg}; boundary="${boundary}"\r\n` +
    '\r\n' +
    'This is a cryptographically signed message in MIME format.\r\n' +
    '\r\n' +
    `--${boundary}\r\n`,
  );
  const signaturePart = asciiBytes(
    `\r\n--${boundary}\r\n` +
    'Content-Type: application/pkcs7-signature; name="smime.p7s"\r\n' +
    'Content-Transfer-Encoding: base64\r\n' +
    'Content-Disposition: attachment; filename="smime.p7s"\r\n' +
    'Content-Description: S/MIME Cryptographic Signature\r\n' +
    '\r\n',
  );
  const closing = asciiBytes(`\r\n--${boundary}--\r\n`);
  const tailLength = (n: number): number => signaturePart.length + base64BodyLength(n) + closing.length;
  const out = new Uint8Array(header.length + entity.length + tailLength(Math.max(0, options.signatureCapacity)));
  out.set(header);
  out.set(entity, header.length);
  const entityEnd = header.length + entity.length;
  return {
    finish(signatureDer: Uint8Array): Uint8Array {
      const tail = [signaturePart, encodeBase64Body(signatureDer), closing];
      if (entityEnd + tailLength(signatureDer.length) > out.length) return concatBytes([out.subarray(0, entityEnd), ...tail]);
      let o = entityEnd;
      for (const piece of tail) {
        out.set(piece, o);
        o += piece.length;
      }
      return o === out.length ? out : out.subarray(0, o);
    },
  };
}

/** smime-type values of RFC 8551 §3.2.2 and RFC 5083. */
export type SmimeType = 'enveloped-data' | 'authEnveloped-data' | 'signed-data' | 'certs-only' | 'compressed-data';

const DESCRIPTIONS: Record<SmimeType, string> = {
  'enveloped-data': 'S/MIME Encrypted Message',
  'authEnveloped-data': 'S/MIME Encrypted Message',
  'signed-data': 'S/MIME Cryptographic Signed Data',
  'certs-only': 'S/MIME Certificates',
  'compressed-data': 'S/MIME Compressed Message',
};

/**
 * An application/pkcs7-mime entity (RFC 8551 §3.2) holding `der` in base64, named `name` (default smime.p7m;
 * RFC 8551 uses smime.p7c for certs-only).
 */
export function buildPkcs7Mime(der: Uint8Array, smimeType: SmimeType, name = smimeType === 'certs-only' ? 'smime.p7c' : 'smime.p7m'): Uint8Array {
  // One line per field, as OpenSSL writes them (78 columns is a recommendation; RFC 5322 §2.1.1 allows 998).
  const header =
    `Content-Type: application/pkcs7-mime; smime-type=${smimeType}; ${formatParameter('name', name, { quote: true })}\r\n` +
    'Content-Transfer-Encoding: base64\r\n' +
    `Content-Disposition: attachment; ${formatParameter('filename', name, { quote: true })}\r\n` +
    `Content-Description: ${DESCRIPTIONS[smimeType]}\r\n` +
    '\r\n';
  return concatBytes([asciiBytes(header), encodeBase64Body(der)]);
}

/**
 * A full message from top-level `headers` and an `entity`: each given field replaces the entity's field of the
 * same name (first occurrence; later duplicates are dropped), and the others are put before the entity's own
 * fields. The entity's body is kept byte for byte. Add "MIME-Version: 1.0" in `headers`.
 * @throws SmimeError `MALFORMED_MIME` for invalid header names or values.
 */
export function replaceOrPrependHeaders(headers: HeaderList, entity: Uint8Array): Uint8Array {
  const section = readHeaderSection(entity, 0, entity.length, { maxHeaderBytes: entity.length + 2, maxHeaderLines: Number.MAX_SAFE_INTEGER });
  const given = new Map<string, string>();
  for (const [name, value] of headers) given.set(name.toLowerCase(), formatHeaderField(name, value));
  const used = new Set<string>();
  const kept: Uint8Array[] = [];
  for (const field of section.headers) {
    const key = field.name.toLowerCase();
    const replacement = given.get(key);
    if (replacement === undefined) {
      kept.push(field.raw[field.raw.length - 1] === 0x0a ? field.raw : concatBytes([field.raw, CRLF]));
    } else if (!used.has(key)) {
      kept.push(utf8(replacement));
      used.add(key);
    }
  }
  const prepended: Uint8Array[] = [];
  for (const [name] of headers) {
    const key = name.toLowerCase();
    if (!used.has(key)) {
      prepended.push(utf8(given.get(key)!));
      used.add(key);
    }
  }
  const separator = section.bodyStart > section.headerEnd ? entity.subarray(section.headerEnd, section.bodyStart) : CRLF;
  return concatBytes([...prepended, ...kept, separator, entity.subarray(section.bodyStart)]);
}
