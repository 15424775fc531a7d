/**
 * The parser against real messages from independent implementations (test/fixtures/<corpus>/README.md has the
 * provenance of each file). OpenSSL is the reference: the CMS bytes we decode must equal what `openssl cms -cmsout`
 * extracts, and the signed part we cut out must be what `openssl cms -verify` verified.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalizeLineEndings, getFromMailbox, parseMime, type MimeEntity } from '../../../src/crypto/index.js';
import { bytesEqual, fromUtf8 } from '../../../src/crypto/bytes.js';
import { openssl } from './openssl-tools.js';

const FIXTURES = join(__dirname, '../../fixtures');
const read = (path: string): Uint8Array => new Uint8Array(readFileSync(join(FIXTURES, path)));

interface Expected {
  file: string;
  mediaType: string;
  from: string;
  /** smime-type parameter of an application/pkcs7-mime message. */
  smimeType?: string;
}

const MESSAGES: Expected[] = [
  { file: 'openssl-generated/alice.dsig.sha256.eml', mediaType: 'multipart/signed', from: 'alice@smime.example' },
  { file: 'openssl-generated/alice.dsig.sha256.from-mismatch.eml', mediaType: 'multipart/signed', from: 'dana@smime.example' },
  { file: 'openssl-generated/alice.sig.pss.opaque.eml', mediaType: 'application/pkcs7-mime', from: 'alice@smime.example', smimeType: 'signed-data' },
  { file: 'openssl-generated/bob.env.aes256cbc.rsa15.eml', mediaType: 'application/pkcs7-mime', from: 'alice@smime.example', smimeType: 'enveloped-data' },
  { file: 'openssl-generated/bob.authenv.aes128gcm.rsa15.eml', mediaType: 'application/pkcs7-mime', from: 'alice@smime.example', smimeType: 'authEnveloped-data' },
  { file: 'autocrypt-protected-headers/smime-multipart-signed.eml', mediaType: 'multipart/signed', from: 'alice@smime.example' },
  { file: 'autocrypt-protected-headers/smime-onepart-signed.eml', mediaType: 'application/pkcs7-mime', from: 'alice@smime.example', smimeType: 'signed-data' },
  { file: 'autocrypt-protected-headers/smime-sign+enc.eml', mediaType: 'application/pkcs7-mime', from: 'alice@smime.example', smimeType: 'enveloped-data' },
  { file: 'autocrypt-protected-headers/smime-sign+enc+legacy-disp.eml', mediaType: 'application/pkcs7-mime', from: 'alice@smime.example', smimeType: 'enveloped-data' },
  { file: 'autocrypt-protected-headers/smime-enc+legacy-disp.eml', mediaType: 'application/pkcs7-mime', from: 'alice@smime.example', smimeType: 'enveloped-data' },
];

function cmsPart(message: MimeEntity): MimeEntity {
  return message.contentType.mediaType === 'multipart/signed' ? message.children[1]! : message;
}

describe.each(MESSAGES)('$file', ({ file, mediaType, from, smimeType }) => {
  const raw = read(file);
  const message = parseMime(raw);

  it('has the expected structure and From mailbox', () => {
    expect(message.contentType.mediaType).toBe(mediaType);
    expect(message.defects).toEqual([]);
    expect(getFromMailbox(message)).toEqual({ ok: true, mailbox: expect.objectContaining({ address: from }) });
    if (smimeType !== undefined) expect(message.contentType.params.get('smime-type')).toBe(smimeType);
    if (mediaType === 'multipart/signed') {
      expect(message.children.map((c) => c.contentType.mediaType)).toEqual([expect.stringMatching(/^text\//), 'application/pkcs7-signature']);
      expect(message.contentType.params.get('protocol')).toBe('application/pkcs7-signature');
    }
  });

  it('decodes the CMS bytes exactly as OpenSSL extracts them', () => {
    const der = openssl(['cms', '-cmsout', '-in', join(FIXTURES, file), '-inform', 'SMIME', '-outform', 'DER']);
    expect(der.length).toBeGreaterThan(100);
    expect(bytesEqual(cmsPart(message).decodedBody(), der)).toBe(true);
  });

  if (mediaType === 'multipart/signed') {
    it('cuts out the signed part that OpenSSL verifies', () => {
      // OpenSSL canonicalises the part to CRLF before digesting (it does not compare bytes as received).
      const content = openssl(['cms', '-verify', '-noverify', '-in', join(FIXTURES, file), '-inform', 'SMIME']);
      expect(bytesEqual(canonicalizeLineEndings(message.children[0]!.raw), content)).toBe(true);
    });
  }
});

describe('exact signed bytes', () => {
  it('the first part of alice.dsig.sha256.eml is byte for byte the signed-body.mime OpenSSL signed', () => {
    const message = parseMime(read('openssl-generated/alice.dsig.sha256.eml'));
    const signedBody = read('openssl-generated/signed-body.mime');
    expect(bytesEqual(message.children[0]!.raw, signedBody)).toBe(true);
    expect(message.children[0]!.text()).toBe('Signed by Alice with OpenSSL.\r\n');
  });
});

describe('decrypted inner layers (autocrypt *.inner files)', () => {
  const files = readdirSync(join(FIXTURES, 'autocrypt-protected-headers')).filter((name) => name.endsWith('.inner') || name.endsWith('.inner.inner'));

  it('parses every inner layer without defects', () => {
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const name of files) {
      const entity = parseMime(read(`autocrypt-protected-headers/${name}`));
      expect(entity.defects, name).toEqual([]);
    }
  });

  it('reads the protected headers and the legacy display part of smime-enc+legacy-disp.inner', () => {
    const entity = parseMime(read('autocrypt-protected-headers/smime-enc+legacy-disp.inner'));
    expect(entity.contentType.mediaType).toBe('multipart/mixed');
    expect(entity.contentType.params.get('protected-headers')).toBe('v1');
    expect(entity.headers.getField('subject')!.decoded()).toBe("BarCorp contract signed, let's go!");
    expect(entity.children).toHaveLength(2);
    expect(entity.children[0]!.contentDisposition?.type).toBe('inline');
    expect(entity.children[0]!.text()).toContain("Subject: BarCorp contract signed, let's go!");
    expect(fromUtf8(entity.children[1]!.decodedBody())).toContain('Hi Bob!');
  });
});
