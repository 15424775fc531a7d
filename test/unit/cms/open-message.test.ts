// openMessage: the one call that opens a message. X-Mozilla prefix (docs/thunderbird.md §4), the
// cryptographic envelope at the root only (SEC-03), outer signatures around encryption (SEC-16), and bad
// input giving a report, never an exception (SEC-10, SEC-31..33 limits through policy).
import { describe, expect, it } from 'vitest';
import { webcrypto } from 'node:crypto';
import { openMessage } from '../../../src/crypto/smime/open-message.js';
import { stripMozillaHeaders } from '../../../src/crypto/smime/mozilla-headers.js';
import { encryptEntity } from '../../../src/crypto/smime/encrypt-message.js';
import { DEFAULT_POLICY, makePolicy } from '../../../src/crypto/policy.js';
import { createTestPki, TEST_NOW } from '../../helpers/pki.js';
import {
  BOUNDARY, SIGNED_TEXT, buildSignedCms, crlf, message, multipartEntity, multipartSignedEntity, opaqueSignedEntity, textEntity, validDetached,
} from '../../helpers/fixtures-signed.js';

const crypto = webcrypto as unknown as Crypto;
const pki = await createTestPki(crypto);
const alice = pki.users.alice.rsa;
const bob = pki.users.bob.rsa;
const options = { anchors: [pki.root.certificate], now: TEST_NOW, crypto, policy: DEFAULT_POLICY };
const bobIdentity = [{ certificate: bob.certificate, pkcs8: bob.pkcs8 }];

async function encryptedEntity(inner: Uint8Array): Promise<Uint8Array> {
  const result = await encryptEntity({ entity: inner, recipients: [{ certificate: bob.certificate }], self: { certificate: alice.certificate }, crypto, options: { cipher: 'AES-256-GCM', keyTransport: 'oaep' } });
  return result.entity;
}

describe('openMessage', () => {
  it('strips the LF-terminated X-Mozilla-* block that getRaw prepends, and only that', async () => {
    const prefix = Buffer.from(`X-Mozilla-Status: 0001\nX-Mozilla-Status2: 00000000\nX-Mozilla-Keys: ${' '.repeat(81)}\n`, 'latin1');
    const signed = validDetached(pki);
    const withPrefix = Buffer.concat([prefix, signed]);
    expect(Buffer.from(stripMozillaHeaders(withPrefix)).equals(Buffer.from(signed))).toBe(true);
    const opened = await openMessage(withPrefix, options);
    expect(opened.signature.verdict).toBe('valid');
    // A sender's own CRLF header with that name is part of the message and is kept.
    const senderHeader = Buffer.concat([Buffer.from('X-Mozilla-Status: 1\r\n'), signed]);
    expect(stripMozillaHeaders(senderHeader).length).toBe(senderHeader.length);
  });

  it('SEC-03: application/pkcs7-mime inside multipart/mixed is neither decrypted nor verified', async () => {
    const encrypted = await encryptedEntity(textEntity('secret'));
    const opened = await openMessage(message(multipartEntity('mixed', [textEntity('look at the attachment'), encrypted])), { ...options, identities: bobIdentity });
    expect(opened.encryption.verdict).toBe('none');
    expect(opened.signature).toMatchObject({ verdict: 'none', reasons: ['NOT_SIGNED'] });
    expect(opened.text).toBe('look at the attachment\r\n');
  });

  it('SEC-03: a signed message inside message/rfc822 does not sign the outer message', async () => {
    const inner = Buffer.concat([crlf('Content-Type: message/rfc822\n\n'), validDetached(pki)]);
    const opened = await openMessage(message(multipartEntity('mixed', [textEntity('forwarded'), inner])), options);
    expect(opened.signature).toMatchObject({ verdict: 'none', reasons: ['NOT_SIGNED'], coversWholeMessage: false });
  });

  it('decrypts the root once and verifies the signature inside; the signer is bound to the outer From', async () => {
    const entity = textEntity(SIGNED_TEXT);
    const signed = multipartSignedEntity(entity, buildSignedCms({ content: entity, detached: true, signers: [{ identity: alice }] }, pki));
    const opened = await openMessage(message(await encryptedEntity(signed)), { ...options, identities: bobIdentity });
    expect(opened.encryption.verdict).toBe('authenticated');
    expect(opened.signature).toMatchObject({ verdict: 'valid', reasons: [], signer: 'alice@example.com', coversWholeMessage: true });
    expect(opened.text?.trim()).toBe(SIGNED_TEXT);
  });

  it('SEC-03: only one level of decryption; an encrypted part inside the plaintext stays an attachment', async () => {
    const twice = await encryptedEntity(await encryptedEntity(textEntity('inner secret')));
    const opened = await openMessage(message(twice), { ...options, identities: bobIdentity });
    expect(opened.encryption.verdict).toBe('authenticated');
    expect(opened.text).toBeNull();
    expect(Buffer.from(opened.content!).toString('latin1')).toContain('application/pkcs7-mime');
  });

  it('SEC-16: an outer signature around encryption is ignored; the encryption under it is still the envelope', async () => {
    const encrypted = await encryptedEntity(textEntity('secret'));
    const outer = multipartSignedEntity(encrypted, buildSignedCms({ content: encrypted, detached: true, signers: [{ identity: alice }] }, pki));
    const opened = await openMessage(message(outer), { ...options, identities: bobIdentity });
    expect(opened.signature).toMatchObject({ verdict: 'none', reasons: ['NOT_SIGNED'] });
    expect(opened.encryption.verdict).toBe('authenticated');
    expect(opened.text).toBe('secret\r\n');
    // Without keys nothing is decrypted, and the outer signature still does not count.
    const locked = await openMessage(message(outer), options);
    expect(locked.signature).toMatchObject({ verdict: 'none', reasons: ['NOT_SIGNED'] });
    expect(locked.text).toBeNull();
  });

  it('garbage in the signature part gives none/MALFORMED and keeps nothing from being shown as signed', async () => {
    const entity = textEntity(SIGNED_TEXT);
    const broken = Buffer.from(multipartSignedEntity(entity, new Uint8Array(64).fill(0x30))).toString('latin1');
    const opened = await openMessage(message(Buffer.from(broken, 'latin1')), options);
    expect(opened.signature).toMatchObject({ verdict: 'none', reasons: ['MALFORMED'] });
    expect(opened.encryption.verdict).toBe('none');
  });

  it('a signature part over maxDetachedSignatureBytes gives none/LIMIT_EXCEEDED', async () => {
    const small = makePolicy({ limits: { maxDetachedSignatureBytes: 512 } });
    const opened = await openMessage(validDetached(pki), { ...options, policy: small });
    expect(opened.signature).toMatchObject({ verdict: 'none', reasons: ['LIMIT_EXCEEDED'] });
  });

  it('multipart/signed with three parts is malformed (RFC 1847 §2.1)', async () => {
    const entity = textEntity(SIGNED_TEXT);
    const cms = buildSignedCms({ content: entity, detached: true, signers: [{ identity: alice }] }, pki);
    const text = Buffer.from(multipartSignedEntity(entity, cms)).toString('latin1').replace(`--${BOUNDARY}\r\nContent-Type: application/pkcs7-signature`, `--${BOUNDARY}\r\nContent-Type: text/plain\r\n\r\nextra\r\n--${BOUNDARY}\r\nContent-Type: application/pkcs7-signature`);
    const opened = await openMessage(message(Buffer.from(text, 'latin1')), options);
    expect(opened.signature).toMatchObject({ verdict: 'none', reasons: ['MALFORMED'] });
  });

  it('multipart/signed with a PGP protocol is not an S/MIME signature', async () => {
    const text = Buffer.from(validDetached(pki)).toString('latin1').replace('protocol="application/pkcs7-signature"', 'protocol="application/pgp-signature"');
    const opened = await openMessage(Buffer.from(text, 'latin1'), options);
    expect(opened.signature.verdict).toBe('none');
  });

  it('opaque signed-data without smime-type is recognised by its CMS content type', async () => {
    const entity = textEntity(SIGNED_TEXT);
    const opaque = Buffer.from(opaqueSignedEntity(buildSignedCms({ content: entity, detached: false, signers: [{ identity: alice }] }, pki))).toString('latin1').replace(' smime-type=signed-data;', '');
    const opened = await openMessage(message(Buffer.from(opaque, 'latin1')), options);
    expect(opened.signature).toMatchObject({ verdict: 'valid', form: 'opaque' });
    expect(opened.text?.trim()).toBe(SIGNED_TEXT);
  });

  it('a message over maxMessageBytes or with unparsable structure gives a report, not an exception', async () => {
    const tiny = makePolicy({ limits: { maxMessageBytes: 100 } });
    const opened = await openMessage(validDetached(pki), { ...options, policy: tiny });
    expect(opened.signature.verdict).toBe('none');
    expect(opened.signature.reasons).toEqual(['LIMIT_EXCEEDED']);
  });
});
