import { describe, expect, it } from 'vitest';
import { parseMime, type MimeEntity } from '../../../src/crypto/index.js';
import { concatBytes, fromUtf8, utf8 } from '../../../src/crypto/bytes.js';

const crlf = (text: string): Uint8Array => utf8(text.replace(/\n/g, '\r\n'));
const str = (bytes: Uint8Array): string => fromUtf8(bytes);

/** Asserts `raw` is a view into `input` at `offset` (no copy) and returns it. */
function expectSubarray(input: Uint8Array, entity: MimeEntity): void {
  expect(entity.raw.buffer).toBe(input.buffer);
  expect(entity.raw.byteOffset - input.byteOffset).toBe(entity.offset);
  expect(concatBytes([entity.headerBytes, entity.raw.subarray(entity.headerBytes.length, entity.raw.length - entity.bodyRaw.length), entity.bodyRaw])).toEqual(entity.raw);
}

describe('parseMime: single part', () => {
  it('reads headers in order, unfolds values and looks them up case-insensitively', () => {
    const input = crlf('Subject: hello\n  world\nX-A: 1\nx-a: 2\nContent-Type: text/plain; charset="utf-8"\n\nbody\n');
    const entity = parseMime(input);
    expect(entity.headers.fields.map((f) => f.name)).toEqual(['Subject', 'X-A', 'x-a', 'Content-Type']);
    expect(entity.headers.get('subject')).toBe('hello  world');
    expect(entity.headers.getAll('X-a')).toEqual(['1', '2']);
    expect(str(entity.headers.getField('subject')!.raw)).toBe('Subject: hello\r\n  world\r\n');
    expect(entity.contentType.mediaType).toBe('text/plain');
    expect(entity.contentType.charset).toBe('utf-8');
    expect(str(entity.headerBytes)).toBe('Subject: hello\r\n  world\r\nX-A: 1\r\nx-a: 2\r\nContent-Type: text/plain; charset="utf-8"\r\n');
    expect(str(entity.bodyRaw)).toBe('body\r\n');
    expect(entity.raw).toBe(entity.raw);
    expectSubarray(input, entity);
  });

  it('defaults to text/plain us-ascii and 7bit (RFC 2045 §5.2, §6.1)', () => {
    const entity = parseMime(crlf('Subject: x\n\nhi'));
    expect(entity.contentType).toMatchObject({ mediaType: 'text/plain', charset: 'us-ascii', isDefault: true });
    expect(entity.contentTransferEncoding).toBe('7bit');
    expect(entity.text()).toBe('hi');
  });

  it('decodes base64 and quoted-printable bodies and charsets', () => {
    const b64 = parseMime(crlf('Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: BASE64\n\n5OT2\n'));
    expect(b64.decodedBody()).toEqual(new Uint8Array([0xe4, 0xe4, 0xf6]));
    expect(b64.text()).toBe('ääö');
    const qp = parseMime(crlf('Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\nGr=C3=BC=C3=9Fe, soft=\n break=3D  \n'));
    expect(qp.text()).toBe('Grüße, soft break=\r\n');
    const cp = parseMime(crlf('Content-Type: text/plain; charset=windows-1252\nContent-Transfer-Encoding: quoted-printable\n\n=80 =A4\n'));
    expect(cp.text()).toBe('€ ¤\r\n');
    const l9 = parseMime(crlf('Content-Type: text/plain; charset=iso-8859-15\nContent-Transfer-Encoding: quoted-printable\n\n=A4\n'));
    expect(l9.text()).toBe('€\r\n');
  });

  it('falls back to UTF-8 for an unknown charset, with a flag', () => {
    const entity = parseMime(crlf('Content-Type: text/plain; charset=x-klingon\nContent-Transfer-Encoding: 8bit\n\n') );
    expect(entity.decodeText()).toEqual({ text: '', charset: 'utf-8', fallback: true });
    const known = parseMime(crlf('Content-Type: text/plain; charset=utf-16le\nContent-Transfer-Encoding: base64\n\naABpAA==\n'));
    expect(known.decodeText()).toEqual({ text: 'hi', charset: 'utf-16le', fallback: false });
  });

  it('decodes RFC 2231 and RFC 2047 parameters and Content-Disposition', () => {
    const entity = parseMime(
      crlf(
        "Content-Type: application/octet-stream;\n name*0*=utf-8''%E2%82%AC%20;\n name*1=\"rate.txt\"\nContent-Disposition: attachment; filename=\"=?utf-8?q?caf=C3=A9.txt?=\"; size=3\n\nabc",
      ),
    );
    expect(entity.contentType.params.get('name')).toBe('€ rate.txt');
    expect(entity.contentDisposition).toMatchObject({ type: 'attachment', filename: 'café.txt' });
    expect(entity.contentDisposition!.params.get('size')).toBe('3');
  });

  it('handles a part without headers, and one without the blank line', () => {
    const noHeaders = parseMime(crlf('\nonly body'));
    expect(noHeaders.headers.size).toBe(0);
    expect(str(noHeaders.bodyRaw)).toBe('only body');
    const noSeparator = parseMime(crlf('Subject: x\nthis is body text\n'));
    expect(noSeparator.headers.get('subject')).toBe('x');
    expect(str(noSeparator.bodyRaw)).toBe('this is body text\r\n');
    expect(noSeparator.defects).toContain('MISSING_HEADER_BODY_SEPARATOR');
  });
});

describe('parseMime: multipart boundaries (RFC 2046 §5.1.1)', () => {
  it('gives children the bytes between the delimiter line and the CRLF before the next delimiter', () => {
    const input = crlf(
      'Content-Type: multipart/mixed; boundary="b1"\n\npreamble\n--b1\nContent-Type: text/plain\n\none\n--b1 \t\n\ntwo without trailing newline\n--b1--\nepilogue\n',
    );
    const entity = parseMime(input);
    expect(entity.isMultipart).toBe(true);
    expect(entity.children).toHaveLength(2);
    expect(str(entity.preamble!)).toBe('preamble');
    expect(str(entity.children[0]!.raw)).toBe('Content-Type: text/plain\r\n\r\none');
    expect(str(entity.children[1]!.raw)).toBe('\r\ntwo without trailing newline');
    expect(entity.children[1]!.headers.size).toBe(0);
    expect(str(entity.epilogue!)).toBe('epilogue\r\n');
    for (const child of entity.children) expectSubarray(input, child);
  });

  it('does not take a line that only starts with the boundary as a delimiter', () => {
    const input = crlf('Content-Type: multipart/mixed; boundary=abc\n\n--abc\n\n--abcd\n--abc-\n--abc--x\n--abc--\n');
    const entity = parseMime(input);
    expect(entity.children).toHaveLength(1);
    expect(str(entity.children[0]!.raw)).toBe('\r\n--abcd\r\n--abc-\r\n--abc--x');
  });

  it('reads LF-only input and keeps the bytes exactly as received', () => {
    const input = utf8('Content-Type: multipart/alternative; boundary=q\n\n--q\nContent-Type: text/plain\n\nA\r\n\n--q\n\nB\n--q--\n');
    const entity = parseMime(input);
    expect(entity.children.map((c) => str(c.raw))).toEqual(['Content-Type: text/plain\n\nA\r\n', '\nB']);
  });

  it('reports a missing close delimiter and a missing boundary without throwing', () => {
    const open = parseMime(crlf('Content-Type: multipart/mixed; boundary=z\n\n--z\n\nlast part'));
    expect(open.children).toHaveLength(1);
    expect(str(open.children[0]!.raw)).toBe('\r\nlast part');
    expect(open.defects).toContain('MISSING_CLOSE_DELIMITER');
    const none = parseMime(crlf('Content-Type: multipart/mixed\n\n--z\n\nx\n--z--\n'));
    expect(none.children).toHaveLength(0);
    expect(none.defects).toContain('MISSING_BOUNDARY');
    const notFound = parseMime(crlf('Content-Type: multipart/mixed; boundary=y\n\n--z\n\nx\n--z--\n'));
    expect(notFound.isMultipart).toBe(false);
    expect(notFound.defects).toContain('BOUNDARY_NOT_FOUND');
  });

  it('gives the line ending before a delimiter to the delimiter, even right after the headers', () => {
    const input = crlf('Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\n--b\nX-Only: header\n--b--\n');
    const entity = parseMime(input);
    expect(entity.children.map((c) => str(c.raw))).toEqual(['Content-Type: text/plain\r\n', 'X-Only: header']);
    expect(entity.children[0]!.headers.get('content-type')).toBe('text/plain');
    expect(entity.children[1]!.headers.get('x-only')).toBe('header');
    expect(entity.children.map((c) => c.bodyRaw.length)).toEqual([0, 0]);
  });

  it('lets an enclosing delimiter end an inner multipart that was never closed, and outer boundaries win', () => {
    const input = crlf(
      'Content-Type: multipart/mixed; boundary=outer\n\n--outer\nContent-Type: multipart/alternative; boundary=inner\n\n--inner\n\nin 1\n--outer\n\nsecond\n--outer--\n',
    );
    const entity = parseMime(input);
    expect(entity.children).toHaveLength(2);
    const inner = entity.children[0]!;
    expect(inner.defects).toContain('MISSING_CLOSE_DELIMITER');
    expect(inner.children.map((c) => str(c.raw))).toEqual(['\r\nin 1']);
    expect(str(entity.children[1]!.raw)).toBe('\r\nsecond');
    // The same boundary reused inside belongs to the outer multipart, as in OpenSSL's flat search.
    const reused = parseMime(crlf('Content-Type: multipart/signed; boundary=s\n\n--s\nContent-Type: multipart/mixed; boundary=s\n\n--s\n\nx\n--s--\n'));
    expect(reused.children).toHaveLength(2);
    expect(reused.children[0]!.defects).toContain('BOUNDARY_NOT_FOUND');
  });

  it('finds delimiters of boundaries that contain ":" and spaces', () => {
    const entity = parseMime(crlf('Content-Type: multipart/mixed; boundary="a:b c"\n\n--a:b c\nX: 1\n--a:b c  \n\ntwo\n--a:b c--\n'));
    expect(entity.children.map((c) => str(c.raw))).toEqual(['X: 1', '\r\ntwo']);
  });

  it('nests multiparts and uses message/rfc822 as the default inside multipart/digest', () => {
    const input = crlf(
      'Content-Type: multipart/mixed; boundary=outer\n\n--outer\nContent-Type: multipart/digest; boundary=inner\n\n--inner\n\nSubject: m1\n\nx\n--inner--\n\n--outer--\n',
    );
    const entity = parseMime(input);
    const digest = entity.children[0]!;
    expect(digest.contentType.mediaType).toBe('multipart/digest');
    expect(digest.depth).toBe(1);
    const message = digest.children[0]!;
    expect(message.contentType.mediaType).toBe('message/rfc822');
    expect(message.children).toHaveLength(0);
    const embedded = message.parseEmbeddedMessage();
    expect(embedded.headers.get('subject')).toBe('m1');
    expect(embedded.depth).toBe(3);
    expect(() => entity.parseEmbeddedMessage()).toThrowError(expect.objectContaining({ code: 'MALFORMED_MIME' }));
  });
});
