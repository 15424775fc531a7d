import { describe, expect, it } from 'vitest';
import { decodeEncodedWords, parseContentType, parseMime, LimitError } from '../../../src/crypto/index.js';
import { utf8 } from '../../../src/crypto/bytes.js';

describe('decodeEncodedWords (RFC 2047)', () => {
  it('decodes B and Q words in several charsets', () => {
    expect(decodeEncodedWords('=?UTF-8?B?w6ljcml0?= ok')).toBe('écrit ok');
    expect(decodeEncodedWords('=?iso-8859-1?q?caf=E9_cr=E8me?=')).toBe('café crème');
    expect(decodeEncodedWords('=?windows-1252?Q?=80?=')).toBe('€');
    expect(decodeEncodedWords('=?iso-8859-15?Q?=A4?=')).toBe('€');
    expect(decodeEncodedWords('=?utf-8*en?q?lang?=')).toBe('lang');
  });

  it('joins adjacent encoded-words without the whitespace between them (§6.2)', () => {
    expect(decodeEncodedWords('=?utf-8?q?a?= \r\n =?utf-8?q?b?=')).toBe('ab');
    expect(decodeEncodedWords('=?utf-8?q?a?= x =?utf-8?q?b?=')).toBe('a x b');
    // A UTF-8 character split across two words survives.
    expect(decodeEncodedWords('=?utf-8?b?4oI=?= =?utf-8?b?rA==?=')).toBe('€');
  });

  it('leaves malformed words alone', () => {
    for (const text of ['=?utf-8?x?abc?=', '=?utf-8?q?a b?=', '=??q?a?=', '=?utf-8?q?abc', 'plain =? text']) {
      expect(decodeEncodedWords(text)).toBe(text);
    }
  });

  it('decodes Subject through HeaderField.decoded()', () => {
    const entity = parseMime(utf8('Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=\r\n =?utf-8?q?_aus_Bern?=\r\n\r\n'));
    expect(entity.headers.getField('subject')!.decoded()).toBe('Grüße aus Bern');
  });

  it('takes raw UTF-8 header bytes as UTF-8 (RFC 6532)', () => {
    const entity = parseMime(utf8('Subject: naïve\r\n\r\n'));
    expect(entity.headers.get('subject')).toBe('naïve');
  });
});

describe('parseContentType', () => {
  it('reads type, subtype and parameters with comments and quoting', () => {
    const ct = parseContentType('Multipart/Signed (comment) ; protocol="application/pkcs7-signature"; micalg=SHA-256;\r\n boundary="--=_a\\"b"');
    expect(ct.mediaType).toBe('multipart/signed');
    expect(ct.params.get('protocol')).toBe('application/pkcs7-signature');
    expect(ct.params.get('micalg')).toBe('SHA-256');
    expect(ct.boundary).toBe('--=_a"b');
  });

  it('keeps the first of repeated parameters', () => {
    expect(parseContentType('multipart/mixed; boundary=a; boundary=b').boundary).toBe('a');
  });

  it('joins RFC 2231 continuations in order and decodes the charset of the first section', () => {
    const ct = parseContentType("application/x; title*1*=%20world; title*0*=iso-8859-1'de'Gr%FC%DF; title*2=\" !\"; title=fallback");
    expect(ct.params.get('title')).toBe('Grüß world !');
  });

  it('falls back to text/plain for unusable values', () => {
    expect(parseContentType('garbage').isDefault).toBe(true);
    expect(parseContentType('text/').mediaType).toBe('text/plain');
  });

  it('limits nested comments', () => {
    expect(() => parseContentType(`text/plain ${'('.repeat(1000)}`)).toThrow(LimitError);
  });
});
