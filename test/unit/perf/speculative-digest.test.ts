// The digest of a large multipart/signed first part is started before the MIME parse (speculative-digest.ts).
// It must hit for what Waxseal and OpenSSL write, and the CMS check must use it only for exactly the bytes it
// checks with exactly the hash it needs: a wrong guess costs time, never a wrong verdict.
import { describe, expect, it } from 'vitest';
import { webcrypto } from 'node:crypto';
import { signEntity } from '../../../src/crypto/smime/sign-message.js';
import { startSpeculativeDigest } from '../../../src/crypto/smime/speculative-digest.js';
import { parseSignedData, verifyParsedSignedData } from '../../../src/crypto/cms/verify.js';
import { verifySignedMessage } from '../../../src/crypto/smime/verify-message.js';
import { parseMime } from '../../../src/crypto/mime/parse.js';
import { DEFAULT_POLICY } from '../../../src/crypto/policy.js';
import { createTestPki, TEST_NOW } from '../../helpers/pki.js';

const crypto = webcrypto as unknown as Crypto;
const pki = await createTestPki(crypto);
const alice = pki.users.alice.rsa;
const signer = { certificate: alice.certificate, privateKey: alice.privateKey, chain: [pki.emailCa.certificate] };
const enc = (text: string) => new TextEncoder().encode(text);
const options = { anchors: [pki.root.certificate], now: TEST_NOW, crypto, policy: DEFAULT_POLICY };

/** A 300 KiB entity: a text part and base64 lines. */
function largeEntity(): Uint8Array {
  const line = `${'QUJD'.repeat(19)}\r\n`;
  return enc(`Content-Type: multipart/mixed; boundary="m"\r\n\r\n--m\r\nContent-Type: text/plain\r\n\r\nhello\r\n--m\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n${line.repeat(4000)}--m--\r\n`);
}

async function signedMessage(): Promise<Uint8Array> {
  const signed = await signEntity({ entity: largeEntity(), signer, crypto, policy: DEFAULT_POLICY, form: 'detached', signingTime: TEST_NOW });
  const headers = enc('From: alice@example.com\r\nTo: bob@example.com\r\nSubject: big\r\nMIME-Version: 1.0\r\n');
  const message = new Uint8Array(headers.length + signed.length);
  message.set(headers);
  message.set(signed, headers.length);
  return message;
}

describe('speculative digest of a multipart/signed first part', () => {
  it('guesses exactly the bytes the parser gives as the signed part, and the message verifies', async () => {
    const message = await signedMessage();
    const guess = startSpeculativeDigest(message, crypto, DEFAULT_POLICY.limits);
    const part = parseMime(message).children[0]!.raw;
    expect(guess).not.toBeNull();
    expect([guess!.content.buffer === part.buffer, guess!.content.byteOffset, guess!.content.byteLength]).toEqual([true, part.byteOffset, part.byteLength]);
    expect(Buffer.from(await guess!.value)).toEqual(Buffer.from(await crypto.subtle.digest('SHA-256', part as Uint8Array<ArrayBuffer>)));
    expect((await verifySignedMessage(message, options)).verdict).toBe('valid');
  });

  it('is not used for other bytes or another hash, and is used for the same bytes and hash', async () => {
    const message = await signedMessage();
    const root = parseMime(message);
    const content = root.children[0]!.raw;
    const parsed = parseSignedData(root.children[1]!.decodedBody(), DEFAULT_POLICY);
    const wrong = crypto.subtle.digest('SHA-256', enc('other content'));
    const verify = (precomputedDigest: Parameters<typeof verifyParsedSignedData>[1]['precomputedDigest']) =>
      verifyParsedSignedData(parsed, { crypto, policy: DEFAULT_POLICY, detachedContent: content, precomputedDigest }).then((r) => r.reasons);
    // Same bytes in another buffer, a shorter view of the same buffer, another hash: all ignored.
    expect(await verify({ content: content.slice(), digest: 'SHA-256', value: wrong })).toEqual([]);
    expect(await verify({ content: content.subarray(0, content.length - 1), digest: 'SHA-256', value: wrong })).toEqual([]);
    expect(await verify({ content, digest: 'SHA-384', value: wrong })).toEqual([]);
    // The very bytes with the right hash: used (so a wrong value shows up).
    expect(await verify({ content, digest: 'SHA-256', value: wrong })).toContain('DIGEST_MISMATCH');
  });

  it('a fake first part with the real one hidden in the epilogue: the guess misses and the message is invalid', async () => {
    const message = await signedMessage();
    const root = parseMime(message);
    const boundary = root.contentType.boundary!;
    const text = Buffer.from(message).toString('latin1');
    const bodyStart = text.indexOf('\r\n\r\n') + 4;
    const head = text.slice(0, bodyStart);
    const signaturePart = Buffer.from(root.children[1]!.raw).toString('latin1');
    // The parser reads the fake part and the signature; everything after the first close delimiter is epilogue.
    const forged = enc(`${head}--${boundary}\r\nContent-Type: text/plain\r\n\r\nforged\r\n--${boundary}\r\n${signaturePart}\r\n--${boundary}--\r\n${text.slice(bodyStart)}`);
    const guess = startSpeculativeDigest(forged, crypto, DEFAULT_POLICY.limits);
    const part = parseMime(forged).children[0]!.raw;
    expect(guess === null || guess.content.byteOffset !== part.byteOffset || guess.content.byteLength !== part.byteLength).toBe(true);
    const report = await verifySignedMessage(forged, options);
    expect(report.verdict).toBe('invalid');
    expect(report.reasons).toContain('DIGEST_MISMATCH');
  });
});
