/**
 * Signing a MIME entity or a whole message (RFC 8551 §3.5): canonicalise (CRLF, 7-bit transfer encodings,
 * §3.1.1-3.1.3), sign the exact bytes, and wrap them as multipart/signed or opaque signed-data.
 */
import { concatBytes, utf8 } from '../bytes.js';
import { isSmimeError, SmimeError } from '../errors.js';
import { beginMultipartSigned, BOUNDARY_MARKER, buildMultipartSigned, buildPkcs7Mime, canonicalizeLineEndings, micalgFor, replaceOrPrependHeaders, type HeaderList } from '../mime/build.js';
import { parseMime, type MimeEntity } from '../mime/parse.js';
import { encodeBase64Body, encodeQuotedPrintable } from '../mime/transfer-encoding.js';
import type { Policy } from '../policy.js';
import { signData, signDataWithDigest, startContentDigest, type SigningIdentity } from '../cms/sign.js';
import { chooseSigningAlgorithm } from '../cms/signature-algorithms.js';

export interface SignEntityOptions {
  /** The MIME entity to sign (Content-* headers, blank line, body). */
  entity: Uint8Array;
  signer: SigningIdentity;
  crypto: Crypto;
  policy: Policy;
  /** 'detached': multipart/signed (readable without S/MIME); 'opaque': application/pkcs7-mime signed-data. */
  form: 'detached' | 'opaque';
  /** SMIMECapabilities to announce, most preferred first (RFC 8551 §2.5.2); default AES-GCM, AES-CBC, OAEP. */
  capabilities?: readonly string[];
  /** Our encryption certificate (DER), announced with SMIMEEncryptionKeyPreference (RFC 8551 §2.5.3). */
  encryptionKeyPreference?: Uint8Array | null;
  /** signing-time attribute; omitted when not given (the engine never reads the clock). */
  signingTime?: Date;
}

/**
 * Signs one MIME entity and returns the signed entity (multipart/signed or application/pkcs7-mime).
 * The entity is canonicalised first: CRLF line endings, and 8-bit/binary leaf bodies re-encoded as
 * quoted-printable (text) or base64, so the signed bytes survive transport unchanged (RFC 8551 §3.1.2).
 * The multipart/signed boundary comes from `crypto.getRandomValues`.
 * @throws SmimeError `MALFORMED_MIME` (unparsable entity), `UNSUPPORTED_ALGORITHM`, `KEY_MISMATCH`,
 *   `MALFORMED_CERTIFICATE`; LimitError when the entity is over the parser limits.
 */
export async function signEntity(options: SignEntityOptions): Promise<Uint8Array> {
  const { crypto, policy } = options;
  const signOptions = {
    signer: options.signer,
    crypto,
    policy,
    detached: options.form === 'detached',
    signingTime: options.signingTime ?? null,
    capabilities: options.capabilities,
    encryptionKeyPreference: options.encryptionKeyPreference ?? null,
  };
  // The digest runs off this thread (WebCrypto), so it is started before the canonical-form scan, on the guess
  // that the entity is canonical already (what the composer and signMessage hand in); a first line ending that
  // is not CRLF disproves the guess at once.
  const speculative = firstLineEndsInCrlf(options.entity) ? startContentDigest(options.entity, signOptions) : null;
  const scan = scanEntity(options.entity);
  if (speculative !== null && scan.crlfOnly && !scan.eightBit) {
    if (options.form === 'opaque') return buildPkcs7Mime((await signDataWithDigest(options.entity, speculative, signOptions)).der, 'signed-data');
    // The entity is copied into the multipart/signed while the digest is computed.
    const multipart = beginMultipartSigned(options.entity, micalgFor(chooseSigningAlgorithm(options.signer.privateKey, policy.signingHash).digest), {
      randomBytes: (n) => crypto.getRandomValues(new Uint8Array(n)),
      signatureCapacity: signatureCapacity(options),
      entityLacksBoundaryMarker: !scan.boundaryMarker,
    });
    return multipart.finish((await signDataWithDigest(options.entity, speculative, signOptions)).der);
  }
  const entity = scan.crlfOnly ? options.entity : canonicalizeLineEndings(options.entity);
  const canonical = scan.eightBit ? toSevenBit(entity, policy) : entity;
  // A wrong guess still waits for its digest, so that a failure of it is reported rather than left unhandled.
  const [, { der, digest }] = await Promise.all([speculative, signData(canonical, signOptions)]);
  if (options.form === 'opaque') return buildPkcs7Mime(der, 'signed-data');
  return buildMultipartSigned(canonical, der, micalgFor(digest), { randomBytes: (n) => crypto.getRandomValues(new Uint8Array(n)) });
}

/** True when the first LF of `bytes` follows a CR (or there is none): a cheap predictor of canonical form. */
function firstLineEndsInCrlf(bytes: Uint8Array): boolean {
  const lf = bytes.indexOf(0x0a);
  return lf < 0 || (lf > 0 && bytes[lf - 1] === 0x0d);
}

/**
 * An upper bound of the detached SignedData's size: the certificates, twice (issuerAndSerialNumber of the signer and
 * of the encryption certificate repeat their issuer), the signature (at most 1 KiB for an 8192-bit RSA key) and
 * the fixed fields. Too small only costs a copy (beginMultipartSigned).
 */
function signatureCapacity(options: SignEntityOptions): number {
  let certificates = options.signer.certificate.length + (options.encryptionKeyPreference?.length ?? 0);
  for (const certificate of options.signer.chain) certificates += certificate.length;
  return 2 * certificates + 2048 + 64 * (options.capabilities?.length ?? 8);
}

/** Header fields of a message that stay outside the signature (everything but Content-* and MIME-Version). */
function isEntityHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.startsWith('content-');
}

/**
 * Signs a whole RFC 5322 message: its Content-* fields and body are signed as the entity; the other
 * header fields (From, To, Subject, Date, ...) stay at the top, followed by MIME-Version: 1.0.
 * @throws as {@link signEntity}.
 */
export async function signMessage(raw: Uint8Array, options: Omit<SignEntityOptions, 'entity'>): Promise<Uint8Array> {
  const canonical = canonicalizeLineEndings(raw);
  let root: MimeEntity;
  try {
    root = parseMime(canonical, options.policy.limits);
  } catch (error) {
    if (isSmimeError(error)) throw error;
    throw new SmimeError('MALFORMED_MIME', 'the message cannot be parsed', { cause: error });
  }
  const outer: HeaderList = root.headers.fields
    .filter((field) => !isEntityHeader(field.name) && field.name.toLowerCase() !== 'mime-version')
    .map((field) => [field.name, field.value] as const);
  const entityHeaders = root.headers.fields.filter((field) => isEntityHeader(field.name));
  const entityHead = entityHeaders.length > 0
    ? concatBytes(entityHeaders.map((field) => field.raw))
    : utf8('Content-Type: text/plain; charset=us-ascii\r\n');
  const entity = concatBytes([entityHead, utf8('\r\n'), root.bodyRaw]);
  const signed = await signEntity({ ...options, entity });
  return replaceOrPrependHeaders([...outer, ['MIME-Version', '1.0']], signed);
}

/**
 * Re-encodes 8-bit and binary leaf bodies (RFC 8551 §3.1.2: "8-bit data MUST be encoded" before signing
 * for transport through 7-bit paths). Entities that are already 7-bit are returned unchanged.
 */
function toSevenBit(entity: Uint8Array, policy: Policy): Uint8Array {
  const root = parseMime(entity, policy.limits);
  return rewriteEntity(root, entity);
}

/** What {@link scanEntity} found. */
export interface EntityScan {
  /** Every CR is followed by LF and every LF follows a CR. */
  crlfOnly: boolean;
  /** Some byte is ≥ 0x80. */
  eightBit: boolean;
  /** The entity contains BOUNDARY_MARKER, so a new multipart boundary has to be searched for in it. */
  boundaryMarker: boolean;
}

const MARKER = Array.from(BOUNDARY_MARKER, (c) => c.charCodeAt(0));
const NOT_CRLF = 1;
const EIGHT_BIT = 2;
const MARKER_FOUND = 4;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** {@link scanEntity}'s checks, byte by byte, over `bytes[from..to)`, as NOT_CRLF | EIGHT_BIT | MARKER_FOUND flags. */
function checkBytes(bytes: Uint8Array, from: number, to: number): number {
  let flags = 0;
  for (let i = from; i < to; i++) {
    const b = bytes[i]!;
    if (b > 0x7f) flags |= EIGHT_BIT;
    else if (b === 0x0a) {
      if (i === 0 || bytes[i - 1] !== 0x0d) flags |= NOT_CRLF;
    } else if (b === 0x0d) {
      if (bytes[i + 1] !== 0x0a) flags |= NOT_CRLF;
    } else if (b === MARKER[1] && i > 0 && bytes[i - 1] === MARKER[0]) {
      let k = 2;
      while (k < MARKER.length && bytes[i - 1 + k] === MARKER[k]) k++;
      if (k === MARKER.length) flags |= MARKER_FOUND;
    }
  }
  return flags;
}

/** 0x80 in each byte of `y` that is zero, nothing elsewhere (exact, unlike the "has a zero byte" test). */
function zeroBytes(y: number): number {
  return ~((((y & 0x7f7f7f7f) + 0x7f7f7f7f) | 0) | y | 0x7f7f7f7f);
}

/**
 * One pass over the entity: are all line endings CRLF, is any byte ≥ 0x80, and does it contain the boundary
 * marker (so that choosing the multipart/signed boundary needs no second pass)? Reads 32-bit words and only looks
 * closer at words holding a CR, an LF, an underscore or a high bit (large attachments make this a hot loop; base64
 * lines end every 78 bytes). Words with only CR and LF among those, the line ends, are checked with masks: each LF
 * right after a CR, across the word's edges too. Little-endian words (byte k at bits 8k), as on every platform
 * Thunderbird runs on; elsewhere the masks only send more words to the byte checks.
 */
export function scanEntity(bytes: Uint8Array): EntityScan {
  const n = bytes.length;
  const head = Math.min(n, (4 - (bytes.byteOffset % 4)) % 4);
  let flags = checkBytes(bytes, 0, head);
  const wordCount = Math.floor((n - head) / 4);
  // Int32Array, not Uint32Array: words stay small integers for the JIT, and every step below is 32-bit.
  const words = wordCount > 0 ? new Int32Array(bytes.buffer, bytes.byteOffset + head, wordCount) : new Int32Array(0);
  for (let w = 0; w < wordCount; w++) {
    const word = words[w]!;
    const lf = word ^ 0x0a0a0a0a;
    const cr = word ^ 0x0d0d0d0d;
    const underscore = word ^ 0x5f5f5f5f;
    // "has a zero byte" (Hacker's Delight §6-1) for "_" plus the high bits; then the same for LF and CR.
    const special = word | (((underscore - 0x01010101) | 0) & ~underscore);
    if (((special | (((lf - 0x01010101) | 0) & ~lf) | (((cr - 0x01010101) | 0) & ~cr)) & 0x80808080) === 0) continue;
    const base = head + w * 4;
    if ((special & 0x80808080) !== 0 || !LITTLE_ENDIAN) {
      flags |= checkBytes(bytes, base, base + 4);
      continue;
    }
    const lfMask = zeroBytes(lf);
    const crMask = zeroBytes(cr);
    // An LF in byte k > 0 needs a CR in byte k - 1; an LF in byte 0 or a CR in byte 3 looks outside the word.
    if ((((crMask << 8) | (lfMask & 0x80)) ^ lfMask) !== 0 || ((lfMask & 0x80) !== 0 && bytes[base - 1] !== 0x0d) || (crMask < 0 && bytes[base + 4] !== 0x0a)) {
      flags |= NOT_CRLF;
    }
  }
  flags |= checkBytes(bytes, head + wordCount * 4, n);
  return { crlfOnly: (flags & NOT_CRLF) === 0, eightBit: (flags & EIGHT_BIT) !== 0, boundaryMarker: (flags & MARKER_FOUND) !== 0 };
}

function hasEightBit(bytes: Uint8Array): boolean {
  return scanEntity(bytes).eightBit;
}

/** `entity` re-encoded, as bytes; offsets are relative to `input`, the buffer the tree was parsed from. */
function rewriteEntity(entity: MimeEntity, input: Uint8Array): Uint8Array {
  if (!hasEightBit(entity.raw)) return entity.raw;
  if (entity.isMultipart && entity.children.length > 0) {
    // Splice the re-encoded children into the multipart's own bytes (boundaries and preamble kept).
    const pieces: Uint8Array[] = [];
    let cursor = entity.offset;
    for (const child of entity.children) {
      pieces.push(input.subarray(cursor, child.offset), rewriteEntity(child, input));
      cursor = child.offset + child.raw.length;
    }
    pieces.push(input.subarray(cursor, entity.offset + entity.raw.length));
    return concatBytes(pieces);
  }
  const encoding = entity.contentTransferEncoding;
  if (!hasEightBit(entity.bodyRaw) || encoding === 'base64' || encoding === 'quoted-printable') return entity.raw;
  const decoded = entity.decodedBody();
  const isText = entity.contentType.type === 'text';
  const fields = entity.headers.fields.filter((field) => field.name.toLowerCase() !== 'content-transfer-encoding');
  return concatBytes([
    ...fields.map((field) => field.raw),
    utf8(`Content-Transfer-Encoding: ${isText ? 'quoted-printable' : 'base64'}\r\n\r\n`),
    isText ? encodeQuotedPrintable(decoded) : encodeBase64Body(decoded),
  ]);
}
