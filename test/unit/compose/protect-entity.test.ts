// What Waxseal sends (issue #6 item 4), checked by OpenSSL rather than by our own parser:
// signed = multipart/signed that `openssl cms -verify` accepts against the test CA; encrypted =
// application/pkcs7-mime every recipient and the sender can decrypt; both = signed inside encrypted.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../../src/crypto/index.js';
import { binaryStringToBytes, bytesToBinaryString, protectEntity, type ProtectMaterial } from '../../../src/background/send/protect-entity.js';
import { crypto, run, scratchDir, toPemText } from '../../helpers/encryption.js';
import { createTestPki, TEST_NOW, type TestPki } from '../../helpers/pki.js';

const BODY_CANARY = 'canary-body-7f3a91';
const ATTACHMENT_CANARY = 'canary-attachment-c0ffee';

/** The shape Thunderbird hands the hook: the inner entity, CRLF, attachment already base64. */
function thunderbirdEntity(): Uint8Array {
  const attachment = Buffer.from(`${ATTACHMENT_CANARY}\n`.repeat(20)).toString('base64').replace(/.{1,72}/g, '$&\r\n');
  const text = [
    'Content-Type: multipart/mixed; boundary="------------tb123"',
    '',
    'This is a multi-part message in MIME format.',
    '--------------tb123',
    'Content-Type: text/plain; charset=UTF-8; format=flowed',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    `Hello Bob, ${BODY_CANARY} Gr=C3=BC=C3=9Fe.`,
    '',
    '--------------tb123',
    'Content-Type: application/octet-stream; name="data.bin"',
    'Content-Disposition: attachment; filename="data.bin"',
    'Content-Transfer-Encoding: base64',
    '',
    attachment,
    '--------------tb123--',
    '',
  ].join('\r\n');
  return new TextEncoder().encode(text);
}

let pki: TestPki;
let dir: string;
let cleanup: () => void;
const file = (name: string, data: Uint8Array | string): string => {
  const path = join(dir, name);
  writeFileSync(path, data);
  return path;
};

function material(): ProtectMaterial {
  const alice = pki.users.alice.rsa;
  return {
    signer: { certificate: alice.certificate, privateKey: alice.privateKey, chain: [pki.emailCa.certificate] },
    self: { certificate: alice.certificate },
    recipients: [{ certificate: pki.users.bob.rsa.certificate }, { certificate: pki.users.dave.ec.certificate }],
  };
}

/** A full message as the SMTP sink would receive it: Thunderbird's top-level headers, then our entity. */
function asMessage(entity: Uint8Array): Uint8Array {
  const head = 'From: Alice <alice@example.com>\r\nTo: bob@example.com, dave@example.com\r\nSubject: test\r\nMIME-Version: 1.0\r\n';
  return Buffer.concat([Buffer.from(head), entity]);
}

function verifyWithOpenssl(message: Uint8Array): { status: number | null; stdout: Buffer; stderr: string } {
  const ca = file('ca.pem', toPemText(pki.root.certificate, 'CERTIFICATE'));
  const input = file(`m-${Math.random()}.eml`, message);
  // -attime: the fixed verification time, never the wall clock.
  return run('openssl', ['cms', '-verify', '-in', input, '-CAfile', ca, '-attime', String(TEST_NOW.getTime() / 1000), '-purpose', 'smimesign']);
}

function decryptWithOpenssl(message: Uint8Array, who: { certificate: Uint8Array; pkcs8: Uint8Array }): { status: number | null; stdout: Buffer; stderr: string } {
  const cert = file(`c-${Math.random()}.pem`, toPemText(who.certificate, 'CERTIFICATE'));
  const key = file(`k-${Math.random()}.pem`, toPemText(who.pkcs8, 'PRIVATE KEY'));
  const input = file(`e-${Math.random()}.eml`, message);
  return run('openssl', ['cms', '-decrypt', '-in', input, '-recip', cert, '-inkey', key]);
}

beforeAll(async () => {
  pki = await createTestPki(crypto);
  ({ dir, cleanup } = scratchDir());
});
afterAll(() => cleanup());

const options = () => ({ crypto, policy: DEFAULT_POLICY, signingTime: TEST_NOW });

describe('protectEntity', () => {
  it('signs as multipart/signed that openssl verifies against the test CA, over the exact entity', async () => {
    const out = await protectEntity(thunderbirdEntity(), { sign: true, encrypt: false }, material(), options());
    const head = Buffer.from(out).toString('latin1').split('\r\n\r\n')[0]!;
    expect(head).toMatch(/^Content-Type: multipart\/signed;/);
    expect(head).toContain('protocol="application/pkcs7-signature"');
    expect(head).toContain('micalg=sha-256');
    const result = verifyWithOpenssl(asMessage(out));
    expect(result.stderr).toContain('Verification successful');
    expect(result.status).toBe(0);
    expect(result.stdout.toString('latin1')).toContain(BODY_CANARY);
  });

  it('detects tampering: openssl rejects the signature after one byte of the body changes', async () => {
    const out = Buffer.from(await protectEntity(thunderbirdEntity(), { sign: true, encrypt: false }, material(), options()));
    const at = out.indexOf(BODY_CANARY);
    out[at] = 'X'.charCodeAt(0);
    const result = verifyWithOpenssl(asMessage(out));
    expect(result.status).not.toBe(0);
  });

  it('SEC-07 SEC-06: encrypts to every recipient and the sender, with no plaintext left in the output', async () => {
    const out = await protectEntity(thunderbirdEntity(), { sign: false, encrypt: true }, material(), options());
    const textOut = Buffer.from(out).toString('latin1');
    expect(textOut).toMatch(/^Content-Type: application\/pkcs7-mime; smime-type=enveloped-data;/);
    expect(textOut).not.toContain(BODY_CANARY);
    expect(textOut).not.toContain(ATTACHMENT_CANARY);
    expect(textOut).not.toContain(Buffer.from(ATTACHMENT_CANARY).toString('base64').slice(0, 16));
    const message = asMessage(out);
    for (const who of [pki.users.bob.rsa, pki.users.dave.ec, pki.users.alice.rsa]) {
      const result = decryptWithOpenssl(message, who);
      expect(result.stderr, who.label).toBe('');
      expect(result.stdout.toString('latin1')).toContain(BODY_CANARY);
    }
    const stranger = decryptWithOpenssl(message, pki.users.eve.rsa);
    expect(stranger.status).not.toBe(0);
  });

  it('signs then encrypts: the decrypted content is a multipart/signed openssl verifies', async () => {
    const out = await protectEntity(thunderbirdEntity(), { sign: true, encrypt: true }, material(), options());
    const textOut = Buffer.from(out).toString('latin1');
    expect(textOut).not.toContain(BODY_CANARY);
    const decrypted = decryptWithOpenssl(asMessage(out), pki.users.bob.rsa);
    expect(decrypted.status).toBe(0);
    expect(decrypted.stdout.toString('latin1')).toMatch(/^Content-Type: multipart\/signed;/);
    const verified = verifyWithOpenssl(decrypted.stdout);
    expect(verified.stderr).toContain('Verification successful');
    expect(verified.stdout.toString('latin1')).toContain('filename="data.bin"');
  });

  it('refuses to encrypt without the sender\'s own certificate instead of sending something else', async () => {
    await expect(protectEntity(thunderbirdEntity(), { sign: false, encrypt: true }, { ...material(), self: null }, options())).rejects.toThrow(/encryption certificate/);
  });

  it('round-trips the hook\'s binary strings byte for byte', () => {
    const bytes = new Uint8Array(256).map((_, i) => i);
    expect(binaryStringToBytes(bytesToBinaryString(bytes))).toEqual(bytes);
  });
});
