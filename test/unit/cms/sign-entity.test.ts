// signEntity / signMessage: canonical form before signing (RFC 8551 §3.1.1-3.1.3), the attributes we
// announce (RFC 8551 §2.5.2, §2.5.3), and SEC-17f (no SHA-1 anywhere in what we produce).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { webcrypto } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { signEntity, signMessage, scanEntity } from '../../../src/crypto/smime/sign-message.js';
import { parseSignedData } from '../../../src/crypto/cms/verify.js';
import { verifySignedMessage } from '../../../src/crypto/smime/verify-message.js';
import { parseMime } from '../../../src/crypto/mime/parse.js';
import { DEFAULT_POLICY, makePolicy } from '../../../src/crypto/policy.js';
import { OID } from '../../../src/crypto/oids.js';
import { derOid } from '../../../src/crypto/cms/der.js';
import { createTestPki, TEST_NOW } from '../../helpers/pki.js';

const crypto = webcrypto as unknown as Crypto;
const pki = await createTestPki(crypto);
const alice = pki.users.alice.rsa;
const signer = { certificate: alice.certificate, privateKey: alice.privateKey, chain: [pki.emailCa.certificate] };
const enc = (text: string) => new TextEncoder().encode(text);

function cmsOf(signed: Uint8Array) {
  const root = parseMime(signed);
  const der = root.contentType.mediaType === 'multipart/signed' ? root.children[1]!.decodedBody() : root.decodedBody();
  return { root, der, parsed: parseSignedData(der, DEFAULT_POLICY) };
}

describe('signEntity', () => {
  it('canonicalises LF to CRLF and re-encodes 8-bit text as quoted-printable before signing', async () => {
    const signed = await signEntity({ entity: enc('Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\nGrüße\nzweite Zeile\n'), signer, crypto, policy: DEFAULT_POLICY, form: 'detached' });
    const { root } = cmsOf(signed);
    const part = Buffer.from(root.children[0]!.raw).toString('latin1');
    expect(part).toBe('Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nGr=C3=BC=C3=9Fe\r\nzweite Zeile\r\n');
    expect([...signed].every((b) => b < 0x80)).toBe(true);
    expect(root.contentType.params.get('micalg')).toBe('sha-256');
  });

  it('re-encodes 8-bit binary parts inside a multipart as base64, keeping the rest byte for byte', async () => {
    const entity = enc('Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nplain\r\n--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\n\r\n\u00ff\u00fe\r\n--b--\r\n');
    const signed = await signEntity({ entity, signer, crypto, policy: DEFAULT_POLICY, form: 'detached' });
    const part = Buffer.from(cmsOf(signed).root.children[0]!.raw).toString('latin1');
    expect(part).toContain('--b\r\nContent-Type: text/plain\r\n\r\nplain\r\n--b\r\n');
    expect(part).toContain('Content-Transfer-Encoding: base64\r\n\r\nw7/Dvg==');
  });

  it('announces SMIMECapabilities in our order and SMIMEEncryptionKeyPreference; signing-time as given', async () => {
    const signed = await signEntity({ entity: enc('Content-Type: text/plain\r\n\r\nx\r\n'), signer, crypto, policy: DEFAULT_POLICY, form: 'opaque',
      encryptionKeyPreference: pki.users.alice.ec.certificate, signingTime: new Date('2026-05-31T12:00:00Z') });
    const { parsed } = cmsOf(signed);
    const attributes = parsed.signedData.signerInfos[0]!.signedAttrs!.attributes;
    expect(attributes.map((a) => a.type).sort()).toEqual([OID.contentType, OID.messageDigest, OID.signingTime, OID.smimeCapabilities, OID.smimeEncryptionKeyPreference].sort());
    const openssl = execFileSync('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER'], { input: cmsOf(signed).der }).toString();
    const order = ['aes-256-gcm', 'aes-128-gcm', 'aes-256-cbc', 'aes-128-cbc', 'rsaesOaep'].map((name) => openssl.indexOf(name));
    expect(order.every((at) => at > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(openssl).toMatch(/UTCTIME\s*:\s*May 31 12:00:00 2026 GMT|260531120000Z/);
  });

  it('SEC-17f: no SHA-1 OID anywhere in SHA-256/384/512 output, for RSA, ECDSA and PSS', async () => {
    const sha1 = Buffer.from(derOid(OID.sha1));
    const sha1Rsa = Buffer.from(derOid(OID.sha1WithRSAEncryption));
    for (const [identity, hash] of [[alice, 'SHA-256'], [pki.users.bob.ec, 'SHA-384'], [await pki.issue({ issuer: pki.emailCa, subject: 'CN=PSS', emails: ['alice@example.com'], keyAlgorithm: 'RSA-PSS-2048' }), 'SHA-256']] as const) {
      const policy = makePolicy({ signingHash: hash });
      const signed = await signEntity({ entity: enc('Content-Type: text/plain\r\n\r\nx\r\n'), signer: { certificate: identity.certificate, privateKey: identity.privateKey, chain: [] }, crypto, policy, form: 'opaque' });
      const der = Buffer.from(cmsOf(signed).der);
      expect(der.includes(sha1)).toBe(false);
      expect(der.includes(sha1Rsa)).toBe(false);
    }
  });

  it('signMessage keeps From/To/Subject outside and verifies as valid', async () => {
    const signed = await signMessage(enc('From: Alice <alice@example.com>\nTo: bob@example.com\nSubject: hi\nContent-Type: text/plain\n\nhello\n'), { signer, crypto, policy: DEFAULT_POLICY, form: 'detached' });
    const text = Buffer.from(signed).toString('latin1');
    expect(text.startsWith('From: Alice <alice@example.com>\r\nTo: bob@example.com\r\nSubject: hi\r\n')).toBe(true);
    expect(text).toContain('MIME-Version: 1.0\r\n');
    const report = await verifySignedMessage(signed, { anchors: [pki.root.certificate], now: TEST_NOW, crypto, policy: DEFAULT_POLICY });
    expect({ verdict: report.verdict, reasons: report.reasons }).toEqual({ verdict: 'valid', reasons: [] });
  });
});

describe('scanEntity (word-at-a-time line-ending, 8-bit and boundary-marker scan)', () => {
  it('agrees with a byte-by-byte scan on arbitrary input and offsets', () => {
    const naive = (bytes: Uint8Array) => {
      let crlfOnly = true;
      let eightBit = false;
      bytes.forEach((b, i) => {
        if (b > 0x7f) eightBit = true;
        if (b === 0x0a && (i === 0 || bytes[i - 1] !== 0x0d)) crlfOnly = false;
        if (b === 0x0d && bytes[i + 1] !== 0x0a) crlfOnly = false;
      });
      const boundaryMarker = Buffer.from(bytes).includes('=_ws_');
      return { crlfOnly, eightBit, boundaryMarker };
    };
    // "=", "_", "w", "s" make the boundary marker "=_ws_" (and near misses) likely.
    const byte = fc.oneof(fc.constantFrom(0x0d, 0x0a, 0x41, 0x80, 0xff, 0x20, 0x3d, 0x5f, 0x77, 0x73), fc.integer({ min: 0, max: 255 }));
    // Whole markers and near misses as units, so that they occur at every alignment.
    // Line ends, lone CRs and LFs and base64-like runs as units too, so that they fall on every edge of a word.
    const unit = fc.oneof(
      byte.map((b) => [b]),
      fc.constantFrom([0x3d, 0x5f, 0x77, 0x73, 0x5f], [0x3d, 0x5f, 0x77, 0x73], [0x5f, 0x77, 0x73, 0x5f], [0x3d, 0x5f, 0x57, 0x73, 0x5f]),
      fc.constantFrom([0x0d, 0x0a], [0x0d, 0x0a, 0x0d, 0x0a], [0x0d, 0x0d, 0x0a], [0x0d, 0x0a, 0x0a], [0x41, 0x42, 0x43], [0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47]),
    );
    fc.assert(fc.property(fc.array(unit, { maxLength: 48 }).map((units) => units.flat()), fc.nat(3), (values, offset) => {
      const buffer = new Uint8Array(values.length + offset);
      buffer.set(values, offset);
      const view = buffer.subarray(offset);
      expect(scanEntity(view)).toEqual(naive(view));
    }), { numRuns: 4000, seed: 42 });
  });

  it('finds a bare CR or LF on each side of a word edge in CRLF-only text', () => {
    for (let at = 0; at < 12; at++) {
      for (const wrong of [[0x0a], [0x0d], [0x0a, 0x0d], [0x0d, 0x0d, 0x0a]]) {
        const bytes = new Uint8Array([...Array.from({ length: at }, () => 0x41), ...wrong, ...Array.from({ length: 12 }, () => 0x42)]);
        expect(scanEntity(bytes).crlfOnly).toBe(false);
      }
      const good = new Uint8Array([...Array.from({ length: at }, () => 0x41), 0x0d, 0x0a, ...Array.from({ length: 12 }, () => 0x42), 0x0d, 0x0a]);
      expect(scanEntity(good)).toEqual({ crlfOnly: true, eightBit: false, boundaryMarker: false });
    }
  });
});
