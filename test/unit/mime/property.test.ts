/**
 * Property tests (SEC-33 property): generated MIME trees survive build → parse with the same structure and bodies,
 * parsed entities cover their input exactly, transfer encodings round-trip, and no input makes the parser throw
 * anything but a typed SmimeError/LimitError.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  SmimeError,
  buildEntity,
  canonicalizeLineEndings,
  decodeEncodedWords,
  decodeQuotedPrintable,
  encodeQuotedPrintable,
  getFromMailbox,
  makePolicy,
  parseAddressList,
  parseContentDisposition,
  parseContentType,
  parseMime,
  type EntityInput,
  type MimeEntity,
} from '../../../src/crypto/index.js';
import { bytesEqual, concatBytes, utf8 } from '../../../src/crypto/bytes.js';

const randomBytes = (length: number): Uint8Array => Uint8Array.from({ length }, () => Math.floor(Math.random() * 256));

interface Spec {
  input: EntityInput;
  children: Spec[];
  expectedBody: Uint8Array | undefined;
  headers: [string, string][];
}

const headerValue = fc
  .string({ unit: 'binary', maxLength: 60 })
  .map((s) => s.replace(/[\r\n]/g, ' ').trim())
  // ASCII values are written as given (they may be encoded-words already), so "=?" would be decoded on reading.
  .filter((s) => s.length > 0 && !s.includes('=?'));
const headers = fc.uniqueArray(fc.tuple(fc.integer({ min: 0, max: 20 }).map((n) => `X-Test-${n}`), headerValue), {
  maxLength: 3,
  selector: ([name]) => name.toLowerCase(),
});

const leaf: fc.Arbitrary<Spec> = fc
  .record({
    contentType: fc.constantFrom('text/plain', 'text/html; charset=utf-8', 'application/octet-stream', 'image/png'),
    body: fc.oneof(fc.uint8Array({ maxLength: 400 }), fc.string({ unit: 'binary', maxLength: 200 })),
    transferEncoding: fc.constantFrom('auto' as const, 'base64' as const, 'quoted-printable' as const),
    headers,
  })
  .map(({ contentType, body, transferEncoding, headers: extra }) => {
    const bytes = typeof body === 'string' ? utf8(body) : body;
    const expectedBody = contentType.startsWith('text/') ? canonicalizeLineEndings(bytes) : bytes;
    return { input: { contentType, body, transferEncoding, headers: extra }, children: [], expectedBody, headers: extra };
  });

function tree(depth: number): fc.Arbitrary<Spec> {
  if (depth === 0) return leaf;
  return fc.oneof(
    // Leaves are likelier than multiparts so that trees stay small enough to build a few hundred per run.
    { weight: 3, arbitrary: leaf },
    {
      weight: 1,
      arbitrary: fc
        .record({
          subtype: fc.constantFrom('mixed', 'alternative', 'related', 'signed'),
          children: fc.array(tree(depth - 1), { minLength: 1, maxLength: 8 }),
          headers,
        })
        .map(({ subtype, children, headers: extra }) => ({
          input: { contentType: `multipart/${subtype}`, children: children.map((c) => c.input), headers: extra },
          children,
          expectedBody: undefined,
          headers: extra,
        })),
    },
  );
}

function expectSameTree(entity: MimeEntity, spec: Spec): void {
  expect(entity.contentType.mediaType).toBe(spec.input.contentType.split(';')[0]);
  for (const [name, value] of spec.headers) expect(entity.headers.getField(name)!.decoded()).toBe(value);
  expect(entity.defects).toEqual([]);
  if (spec.expectedBody !== undefined) {
    expect(entity.children).toHaveLength(0);
    expect(bytesEqual(entity.decodedBody(), spec.expectedBody)).toBe(true);
    return;
  }
  expect(entity.children).toHaveLength(spec.children.length);
  spec.children.forEach((child, i) => expectSameTree(entity.children[i]!, child));
}

/** Delimiter lines between pieces of a multipart body: [CRLF|LF] "--" boundary ["--"] LWSP [CRLF|LF]. */
function isDelimiterGap(gap: Uint8Array, boundary: string, first: boolean): boolean {
  let text = Buffer.from(gap).toString('latin1');
  if (text.startsWith('\r\n')) text = text.slice(2);
  else if (text.startsWith('\n')) text = text.slice(1);
  else if (!first) return false;
  if (!text.startsWith(`--${boundary}`)) return false;
  text = text.slice(boundary.length + 2);
  if (text.startsWith('--')) text = text.slice(2);
  return /^[ \t]*(\r\n|\n)?$/.test(text);
}

/**
 * Rebuilds `entity.raw` from its parts (headers, separator, preamble, delimiter lines, children, epilogue) and
 * checks that every piece is a view into `input` at increasing offsets, so nothing is lost, copied or reordered.
 */
function reassemble(entity: MimeEntity, input: Uint8Array): Uint8Array {
  expect(entity.raw.buffer).toBe(input.buffer);
  const start = entity.raw.byteOffset;
  const bodyStart = entity.bodyRaw.byteOffset;
  expect(entity.headerBytes.byteOffset).toBe(start);
  const pieces: Uint8Array[] = [entity.headerBytes, input.subarray(start + entity.headerBytes.length, bodyStart)];
  if (!entity.isMultipart) {
    pieces.push(entity.bodyRaw);
  } else {
    const boundary = entity.contentType.boundary!;
    let position = bodyStart;
    pieces.push(entity.preamble!);
    expect(entity.preamble!.byteOffset).toBe(bodyStart);
    position += entity.preamble!.length;
    entity.children.forEach((child, i) => {
      const gap = input.subarray(position, child.raw.byteOffset);
      expect(isDelimiterGap(gap, boundary, i === 0 && entity.preamble!.length === 0)).toBe(true);
      pieces.push(gap, reassemble(child, input));
      position = child.raw.byteOffset + child.raw.length;
    });
    const end = bodyStart + entity.bodyRaw.length;
    const tail = entity.epilogue ?? new Uint8Array(0);
    const closeStart = entity.epilogue === undefined ? end : entity.epilogue.byteOffset;
    const close = input.subarray(position, closeStart);
    // The close delimiter is the body's first line when there is neither a preamble nor a part before it.
    if (entity.epilogue !== undefined) expect(isDelimiterGap(close, boundary, entity.children.length === 0 && entity.preamble!.length === 0)).toBe(true);
    else expect(close.length).toBe(0);
    pieces.push(close, tail);
  }
  const rebuilt = concatBytes(pieces);
  expect(bytesEqual(rebuilt, entity.raw)).toBe(true);
  return rebuilt;
}

describe('build → parse', () => {
  it('keeps structure, headers and decoded bodies of any tree (depth ≤ 6, width ≤ 8)', () => {
    fc.assert(
      fc.property(tree(6), (spec) => {
        const built = buildEntity(spec.input, { randomBytes });
        const parsed = parseMime(built, makePolicy({ limits: { maxMimeParts: 1_000_000 } }).limits);
        expectSameTree(parsed, spec);
        expect(bytesEqual(reassemble(parsed, built), built)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('transfer encodings', () => {
  it('quoted-printable round-trips arbitrary bytes in 7-bit lines of at most 76 characters', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.uint8Array({ maxLength: 1000 }), fc.string({ maxLength: 300 }).map((s) => utf8(s.replace(/\n/g, '\r\n')))),
        (bytes) => {
          const encoded = encodeQuotedPrintable(bytes);
          expect(bytesEqual(decodeQuotedPrintable(encoded), bytes)).toBe(true);
          const text = Buffer.from(encoded).toString('latin1');
          for (const line of text.split('\r\n')) {
            expect(line.length).toBeLessThanOrEqual(76);
            expect(line).not.toMatch(/[^\t\x20-\x7e]/);
            expect(line).not.toMatch(/[ \t]$/);
            expect(line.startsWith('From ')).toBe(false);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});

const FIXTURES = join(__dirname, '../../fixtures');
const REAL_MESSAGES = [
  'openssl-generated/alice.dsig.sha256.eml',
  'openssl-generated/bob.env.aes256cbc.rsa15.eml',
  'autocrypt-protected-headers/smime-multipart-signed.eml',
  'autocrypt-protected-headers/smime-enc+legacy-disp.inner',
].map((path) => new Uint8Array(readFileSync(join(FIXTURES, path))));

/** Runs everything a caller may do with a parsed message; only typed errors may escape. */
function exercise(input: Uint8Array, limits = makePolicy().limits): void {
  try {
    const root = parseMime(input, limits);
    const visit = (entity: MimeEntity): void => {
      entity.decodedBody();
      entity.decodeText();
      for (const field of entity.headers) field.decoded();
      if (entity.contentType.type === 'message') entity.parseEmbeddedMessage(limits);
      entity.children.forEach(visit);
    };
    visit(root);
    getFromMailbox(root);
    for (const name of ['to', 'cc']) for (const value of root.headers.getAll(name)) parseAddressList(value);
    reassemble(root, input);
  } catch (error) {
    if (!(error instanceof SmimeError)) throw error;
  }
}

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.constantFrom('\r\n', '\n', '--', ':', ';', '"', '(', '=?', '=', 'boundary=', '\r\n\r\n', '--179--').map(utf8) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
);

function mutate(original: Uint8Array, mutations: { kind: string; at: number; value?: number; bytes?: Uint8Array; length?: number }[]): Uint8Array {
  let bytes = original;
  for (const m of mutations) {
    const at = m.at % (bytes.length + 1);
    if (m.kind === 'flip' && at < bytes.length) {
      bytes = bytes.slice();
      bytes[at] = m.value!;
    } else if (m.kind === 'insert') {
      bytes = concatBytes([bytes.subarray(0, at), m.bytes!, bytes.subarray(at)]);
    } else if (m.kind === 'delete') {
      bytes = concatBytes([bytes.subarray(0, at), bytes.subarray(at + m.length!)]);
    }
  }
  return bytes;
}

describe('hostile input', () => {
  it('arbitrary bytes give a tree or a typed error, never anything else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => exercise(bytes)),
      { numRuns: 2000 },
    );
  });

  it('header decoders take any string and only raise typed errors', () => {
    const headerText = fc.string({ unit: fc.constantFrom(...'ab@.,;:<>()"\\[]= ?_-*\'%\r\n\tq=?utf-8?B?Q?é€'.split('')), maxLength: 200 });
    fc.assert(
      fc.property(headerText, (text) => {
        for (const run of [() => parseAddressList(text), () => parseContentType(text), () => parseContentDisposition(text), () => decodeEncodedWords(text)]) {
          try {
            run();
          } catch (error) {
            if (!(error instanceof SmimeError)) throw error;
          }
        }
        const result = parseAddressList(text);
        for (const mailbox of result.mailboxes) {
          expect(mailbox.address.endsWith(`@${mailbox.domain}`)).toBe(true);
          expect(mailbox.localPart.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('mutated real messages give a tree or a typed error, also with tight limits', () => {
    const tight = makePolicy({ limits: { maxMimeParts: 3, maxMimeDepth: 1, maxHeaderBytes: 2000, maxHeaderLines: 20, maxBoundaryLength: 10 } }).limits;
    fc.assert(
      fc.property(fc.constantFrom(...REAL_MESSAGES), fc.array(mutation, { minLength: 1, maxLength: 8 }), fc.boolean(), (message, mutations, useTight) =>
        exercise(mutate(message, mutations), useTight ? tight : undefined),
      ),
      { numRuns: 2000 },
    );
  });
});
