import { describe, expect, it } from 'vitest';
import {
  buildEntity,
  buildMultipartSigned,
  buildPkcs7Mime,
  canonicalizeLineEndings,
  formatHeaderField,
  getFromMailbox,
  makeBoundary,
  parseAddressList,
  parseMime,
  replaceOrPrependHeaders,
} from '../../../src/crypto/index.js';
import { bytesEqual, fromUtf8, utf8 } from '../../../src/crypto/bytes.js';
import { makeIdentity, openssl, writeTemp } from './openssl-tools.js';

const str = (bytes: Uint8Array): string => fromUtf8(bytes);
let counter = 0;
/** Deterministic "randomness" for boundaries, so expected outputs are fixed. */
const fakeRandom = (length: number): Uint8Array => Uint8Array.from({ length }, (_, i) => (i + counter++) & 0xff);

function isSevenBitCrlf(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i]! > 0x7e) return false;
    if (bytes[i] === 0x0a && bytes[i - 1] !== 0x0d) return false;
    if (bytes[i] === 0x0d && bytes[i + 1] !== 0x0a) return false;
  }
  return true;
}

describe('canonicalizeLineEndings', () => {
  it('turns LF, CR and CRLF into CRLF', () => {
    expect(str(canonicalizeLineEndings(utf8('a\nb\r\nc\rd\n\n')))).toBe('a\r\nb\r\nc\r\nd\r\n\r\n');
    const already = utf8('x\r\n');
    expect(canonicalizeLineEndings(already)).toBe(already);
  });
});

describe('makeBoundary', () => {
  it('uses the given randomness and cannot occur in base64 or quoted-printable text', () => {
    const boundary = makeBoundary(() => new Uint8Array(18).fill(0xab));
    expect(boundary).toBe(`----=_ws_${'ab'.repeat(18)}`);
    expect(() => makeBoundary(() => new Uint8Array(2))).toThrowError(expect.objectContaining({ code: 'INTERNAL_ERROR' }));
  });
});

describe('formatHeaderField', () => {
  it('encodes non-ASCII values as RFC 2047 words and folds long lines', () => {
    const field = formatHeaderField('Subject', 'Grüße '.repeat(20));
    expect(isSevenBitCrlf(utf8(field))).toBe(true);
    for (const line of field.split('\r\n')) expect(line.length).toBeLessThanOrEqual(78);
    const parsed = parseMime(utf8(`${field}\r\n`));
    expect(parsed.headers.getField('subject')!.decoded()).toBe('Grüße '.repeat(20));
  });

  it('encodes only the display names of address fields, and keeps values that are already encoded', () => {
    const from = formatHeaderField('From', 'Jürgen Müller <juergen@example.de>, "Doe, J." <j@x.example>, Team: a@b.example;');
    expect(isSevenBitCrlf(utf8(from))).toBe(true);
    const message = parseMime(utf8(`${from}${formatHeaderField('To', 'Zoë <zoe@example.org>')}\r\n`));
    const list = parseAddressList(message.headers.get('from')!);
    expect(list.valid).toBe(true);
    expect(list.mailboxes.map((m) => [m.name, m.address, m.group])).toEqual([
      ['Jürgen Müller', 'juergen@example.de', undefined],
      ['Doe, J.', 'j@x.example', undefined],
      ['', 'a@b.example', 'Team'],
    ]);
    expect(getFromMailbox(parseMime(utf8(`${formatHeaderField('From', 'Zoë <zoe@example.org>')}\r\n`)))).toEqual({
      ok: true,
      mailbox: expect.objectContaining({ name: 'Zoë', address: 'zoe@example.org' }),
    });
    expect(formatHeaderField('Subject', '=?utf-8?q?d=C3=A9j=C3=A0?=')).toBe('Subject: =?utf-8?q?d=C3=A9j=C3=A0?=\r\n');
    expect(() => formatHeaderField('From', 'Zoë')).toThrowError(expect.objectContaining({ code: 'MALFORMED_MIME' }));
    expect(() => formatHeaderField('Content-Type', 'text/plain; name="é"')).toThrowError(expect.objectContaining({ code: 'MALFORMED_MIME' }));
  });

  it('folds long ASCII values at spaces without changing the unfolded value', () => {
    const value = `${'word '.repeat(30)}  double  spaces ${'x'.repeat(100)} end`;
    const field = formatHeaderField('X-Long', value);
    const lines = field.split('\r\n').slice(0, -1);
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines.slice(1)) expect(line).toMatch(/^ \S/);
    expect(parseMime(utf8(`${field}\r\n`)).headers.get('x-long')).toBe(value);
  });

  it('refuses header injection', () => {
    expect(() => formatHeaderField('Subject', 'a\r\nBcc: x@y')).toThrowError(expect.objectContaining({ code: 'MALFORMED_MIME' }));
    expect(() => formatHeaderField('Bad Name', 'x')).toThrowError(expect.objectContaining({ code: 'MALFORMED_MIME' }));
  });
});

describe('buildEntity', () => {
  it('builds canonical 7-bit entities that parse back to the same content', () => {
    const built = buildEntity(
      {
        contentType: 'multipart/mixed',
        children: [
          { contentType: 'text/plain', body: 'Hello\nFrom here\nline with trailing space \n. \nGrüße\n' },
          { contentType: 'text/plain; charset=us-ascii', body: utf8('plain ascii\r\n') },
          {
            contentType: 'application/octet-stream',
            headers: [['Content-Disposition', 'attachment; filename="data.bin"']],
            body: Uint8Array.from({ length: 300 }, (_, i) => i & 0xff),
          },
        ],
      },
      { randomBytes: fakeRandom },
    );
    expect(isSevenBitCrlf(built)).toBe(true);
    const parsed = parseMime(built);
    expect(parsed.children.map((c) => [c.contentType.mediaType, c.contentTransferEncoding])).toEqual([
      ['text/plain', 'quoted-printable'],
      ['text/plain', '7bit'],
      ['application/octet-stream', 'base64'],
    ]);
    expect(parsed.children[0]!.text()).toBe('Hello\r\nFrom here\r\nline with trailing space \r\n. \r\nGrüße\r\n');
    expect(str(parsed.children[0]!.bodyRaw)).toContain('=46rom here');
    expect(parsed.children[1]!.text()).toBe('plain ascii\r\n');
    expect(parsed.children[2]!.decodedBody()).toEqual(Uint8Array.from({ length: 300 }, (_, i) => i & 0xff));
    expect(parsed.children[2]!.contentDisposition!.filename).toBe('data.bin');
  });

  it('refuses a given boundary that occurs inside a child, and 8-bit data declared 7bit', () => {
    expect(() => buildEntity({ contentType: 'multipart/mixed', boundary: 'x', children: [utf8('\r\n--x\r\n')] })).toThrowError(
      expect.objectContaining({ code: 'MALFORMED_MIME' }),
    );
    expect(() => buildEntity({ contentType: 'text/plain', body: 'é', transferEncoding: '7bit' })).toThrowError(
      expect.objectContaining({ code: 'MALFORMED_MIME' }),
    );
  });
});

describe('boundaries', () => {
  it('never uses a boundary that occurs in a part, with or without a random source', () => {
    const colliding = makeBoundary(() => new Uint8Array(18).fill(7));
    const entity = utf8(`Content-Type: text/plain\r\n\r\n--${colliding}\r\n`);
    let calls = 0;
    const random = (length: number): Uint8Array => new Uint8Array(length).fill(calls++ === 0 ? 7 : 9);
    const signed = buildMultipartSigned(entity, new Uint8Array([0x30, 0]), 'sha-256', { randomBytes: random });
    const parsed = parseMime(signed);
    expect(calls).toBe(2);
    expect(parsed.contentType.boundary).toBe(makeBoundary(() => new Uint8Array(18).fill(9)));
    expect(bytesEqual(parsed.children[0]!.raw, entity)).toBe(true);
    const derived = parseMime(buildMultipartSigned(entity, new Uint8Array([0x30, 0]), 'sha-256'));
    expect(derived.children).toHaveLength(2);
    expect(bytesEqual(derived.children[0]!.raw, entity)).toBe(true);
    expect(() => buildMultipartSigned(entity, new Uint8Array([0x30, 0]), 'sha-256', { boundary: colliding })).toThrowError(
      expect.objectContaining({ code: 'MALFORMED_MIME' }),
    );
  });
});

describe('S/MIME wrappers against OpenSSL', () => {
  const identity = makeIdentity();

  it('buildMultipartSigned: OpenSSL verifies the signature over the entity bytes we wrapped', () => {
    const entity = buildEntity({ contentType: 'text/plain', body: 'Signed body\nwith From line\nFrom me\n' });
    const entityPath = writeTemp(identity, 'entity.mime', entity);
    const signature = openssl(['cms', '-sign', '-binary', '-in', entityPath, '-signer', identity.certPath, '-inkey', identity.keyPath, '-md', 'sha256', '-outform', 'DER']);
    const signed = buildMultipartSigned(entity, signature, 'sha-256', { randomBytes: fakeRandom });
    const message = replaceOrPrependHeaders(
      [['From', 'Alice <alice@example.test>'], ['Subject', 'Test'], ['MIME-Version', '1.0']],
      signed,
    );
    expect(isSevenBitCrlf(message)).toBe(true);
    const boundary = parseMime(signed).contentType.boundary!;
    // The exact shape Thunderbird writes (comm-central mailnews/extensions/smime, nsMsgComposeSecure.cpp).
    const signatureBase64 = Buffer.from(signature).toString('base64').replace(/.{76}(?=.)/g, '$&\r\n');
    expect(str(signed)).toBe(
      `Content-Type: multipart/signed; protocol="application/pkcs7-signature"; micalg=sha-256; boundary="${boundary}"\r\n\r\n` +
        'This is a cryptographically signed message in MIME format.\r\n\r\n' +
        `--${boundary}\r\n${str(entity)}\r\n--${boundary}\r\n` +
        'Content-Type: application/pkcs7-signature; name="smime.p7s"\r\n' +
        'Content-Transfer-Encoding: base64\r\n' +
        'Content-Disposition: attachment; filename="smime.p7s"\r\n' +
        'Content-Description: S/MIME Cryptographic Signature\r\n\r\n' +
        `${signatureBase64}\r\n\r\n--${boundary}--\r\n`,
    );
    const parsed = parseMime(message);
    expect(parsed.contentType.params.get('protocol')).toBe('application/pkcs7-signature');
    expect(parsed.contentType.params.get('micalg')).toBe('sha-256');
    expect(bytesEqual(parsed.children[0]!.raw, entity)).toBe(true);
    expect(parsed.children[1]!.decodedBody()).toEqual(signature);
    expect(parsed.children[1]!.headers.get('content-description')).toBe('S/MIME Cryptographic Signature');
    expect(parsed.children[1]!.contentDisposition!.filename).toBe('smime.p7s');
    const messagePath = writeTemp(identity, 'signed.eml', message);
    // Without -binary OpenSSL splits the multipart as RFC 2046 says and canonicalises to CRLF, which leaves our
    // already-canonical entity unchanged. (With -binary, OpenSSL 3.0 keeps the CR of the delimiter's CRLF.)
    const content = openssl(['cms', '-verify', '-noverify', '-in', messagePath, '-inform', 'SMIME']);
    expect(bytesEqual(content, entity)).toBe(true);
    // A changed byte in the signed part must make OpenSSL fail, or the check above proves nothing.
    const tampered = message.slice();
    tampered[parsed.children[0]!.offset + parsed.children[0]!.raw.length - 3] ^= 1;
    const tamperedPath = writeTemp(identity, 'tampered.eml', tampered);
    expect(() => openssl(['cms', '-verify', '-noverify', '-in', tamperedPath, '-inform', 'SMIME'])).toThrow(/Verification failure/);
  });

  it('buildPkcs7Mime: OpenSSL decrypts the enveloped message we wrapped', () => {
    const entity = buildEntity({ contentType: 'text/plain', body: 'Secret text\n' });
    const entityPath = writeTemp(identity, 'plain.mime', entity);
    const der = openssl(['cms', '-encrypt', '-binary', '-aes-256-cbc', '-in', entityPath, '-outform', 'DER', identity.certPath]);
    const wrapped = buildPkcs7Mime(der, 'enveloped-data');
    expect(str(wrapped)).toBe(
      'Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name="smime.p7m"\r\n' +
        'Content-Transfer-Encoding: base64\r\n' +
        'Content-Disposition: attachment; filename="smime.p7m"\r\n' +
        'Content-Description: S/MIME Encrypted Message\r\n\r\n' +
        `${Buffer.from(der).toString('base64').replace(/.{76}(?=.)/g, '$&\r\n')}\r\n`,
    );
    const message = replaceOrPrependHeaders([['From', 'alice@example.test'], ['MIME-Version', '1.0']], wrapped);
    const parsed = parseMime(message);
    expect(parsed.contentType.params.get('smime-type')).toBe('enveloped-data');
    expect(parsed.contentDisposition!.filename).toBe('smime.p7m');
    expect(parsed.decodedBody()).toEqual(der);
    const messagePath = writeTemp(identity, 'enveloped.eml', message);
    const decrypted = openssl(['cms', '-decrypt', '-in', messagePath, '-inform', 'SMIME', '-inkey', identity.keyPath, '-recip', identity.certPath, '-binary']);
    expect(bytesEqual(decrypted, entity)).toBe(true);
  });

  it.each([
    ['authEnveloped-data', 'smime.p7m', 'S/MIME Encrypted Message'],
    ['signed-data', 'smime.p7m', 'S/MIME Cryptographic Signed Data'],
    ['certs-only', 'smime.p7c', 'S/MIME Certificates'],
  ] as const)('buildPkcs7Mime labels %s as %s', (smimeType, name, description) => {
    const parsed = parseMime(buildPkcs7Mime(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00]), smimeType));
    expect(parsed.contentType.mediaType).toBe('application/pkcs7-mime');
    expect(parsed.contentType.params.get('smime-type')).toBe(smimeType);
    expect(parsed.contentType.params.get('name')).toBe(name);
    expect(parsed.contentDisposition!.filename).toBe(name);
    expect(parsed.headers.get('content-description')).toBe(description);
    expect(parsed.decodedBody()).toEqual(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00]));
  });

  it('replaceOrPrependHeaders replaces same-named fields and keeps the body byte for byte', () => {
    const entity = utf8('Content-Type: text/plain\r\nSubject: old\r\nsubject: older\r\n\r\nbody\n\r\n');
    const message = replaceOrPrependHeaders([['Subject', 'new'], ['To', 'b@c.example']], entity);
    expect(str(message)).toBe('To: b@c.example\r\nContent-Type: text/plain\r\nSubject: new\r\n\r\nbody\n\r\n');
  });
});
