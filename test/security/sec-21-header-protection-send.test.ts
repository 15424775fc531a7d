// SEC-21 (send): signed or encrypted output carries the protected header fields in the
// cryptographic payload (RFC 9788): From, To, Cc, Date, Subject, Message-ID and Reply-To on the
// payload's root, hp="clear" for signed-only and hp="cipher" (with HP-Outer) for encrypted mail.
// The output is opened by OpenSSL, and the payload parsed to compare inner with outer.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, parseMime } from '../../src/crypto/index.js';
import { headerFields, protectHeaders } from '../../src/background/send/header-protection.js';
import { protectEntity } from '../../src/background/send/protect-entity.js';
import { crypto, run, scratchDir, toPemText } from '../helpers/encryption.js';
import { createTestPki, TEST_NOW, type TestPki } from '../helpers/pki.js';

// As Thunderbird writes them for a Send Later message (docs/thunderbird.md §5.3), with internal fields.
const OUTER = [
  'Message-ID: <hp-1@example.com>',
  'Date: Mon, 01 Jun 2026 00:00:00 +0000',
  'MIME-Version: 1.0',
  'User-Agent: Mozilla Thunderbird',
  'Subject: =?UTF-8?Q?Quartalszahlen_f=C3=BCr_Q2?=',
  'To: Bob <bob@example.com>',
  'Cc: dave@example.com',
  'Reply-To: alice@example.com',
  'From: Alice Test <alice@example.com>',
  'X-Mozilla-Draft-Info: internal/draft; vcard=0; receipt=0; DSN=0; uuencode=0;',
  ' attachmentreminder=0; deliveryformat=0',
  'X-Identity-Key: id1',
  'Fcc: mailbox://nobody@Local%20Folders/Sent',
  '',
].join('\r\n');
const ENTITY = new TextEncoder().encode('Content-Type: multipart/mixed;\r\n boundary="------------b1"\r\n\r\n--------------b1\r\nContent-Type: text/plain\r\n\r\nhi\r\n--------------b1--\r\n');
const EXPECTED = ['Message-ID', 'Date', 'Subject', 'To', 'Cc', 'Reply-To', 'From'];

let pki: TestPki;
let dir: string;
let cleanup: () => void;
beforeAll(async () => {
  pki = await createTestPki(crypto);
  ({ dir, cleanup } = scratchDir());
});
afterAll(() => cleanup());

function payloadRoot(bytes: Uint8Array) {
  const root = parseMime(bytes, DEFAULT_POLICY.limits);
  return { root, names: root.headers.fields.map((f) => f.name) };
}

describe('SEC-21 header protection on send', () => {
  it('hp="clear": the signed payload\'s root carries the user-facing fields, and only those', () => {
    const out = protectHeaders(ENTITY, OUTER, 'clear');
    const { root, names } = payloadRoot(out);
    for (const name of EXPECTED) expect(names, name).toContain(name);
    for (const internal of ['X-Mozilla-Draft-Info', 'X-Identity-Key', 'Fcc', 'MIME-Version', 'User-Agent', 'HP-Outer']) expect(names).not.toContain(internal);
    expect(root.contentType.mediaType).toBe('multipart/mixed');
    expect(root.contentType.params.get('hp')).toBe('clear');
    expect(root.contentType.params.get('boundary')).toBe('------------b1');
    expect(Buffer.from(out).toString('latin1').endsWith(Buffer.from(ENTITY).toString('latin1').slice(Buffer.from(ENTITY).indexOf('\r\n\r\n')))).toBe(true);
  });

  it('hp="cipher": every protected field also has an HP-Outer field with the outer value (nothing obscured)', () => {
    const out = protectHeaders(ENTITY, OUTER, 'cipher');
    const { root } = payloadRoot(out);
    expect(root.contentType.params.get('hp')).toBe('cipher');
    const outer = headerFields(OUTER);
    const hpOuter = root.headers.fields.filter((f) => f.name === 'HP-Outer').map((f) => Buffer.from(f.raw).toString('latin1').replace(/^HP-Outer: /, '').replace(/\r\n$/, ''));
    expect(hpOuter.sort()).toEqual(outer.filter((f) => EXPECTED.includes(f.name)).map((f) => f.raw).sort());
  });

  it('the signed and encrypted output, opened by OpenSSL, has the protected headers inside, equal to the outer ones', async () => {
    const alice = pki.users.alice.rsa;
    const inner = protectHeaders(ENTITY, OUTER, 'cipher');
    const out = await protectEntity(inner, { sign: true, encrypt: true }, { signer: { certificate: alice.certificate, privateKey: alice.privateKey, chain: [pki.emailCa.certificate] }, self: { certificate: alice.certificate }, recipients: [{ certificate: pki.users.bob.rsa.certificate }] }, { crypto, policy: DEFAULT_POLICY, signingTime: TEST_NOW });
    const message = join(dir, 'm.eml');
    writeFileSync(message, Buffer.concat([Buffer.from(OUTER.replace(/^(X-Mozilla|X-Identity|Fcc|\s+attachment).*\r\n/gm, '')), out]));
    const bob = pki.users.bob.rsa;
    const decrypted = run('openssl', ['cms', '-decrypt', '-in', message, '-recip', (writeFileSync(join(dir, 'b.pem'), toPemText(bob.certificate, 'CERTIFICATE')), join(dir, 'b.pem')), '-inkey', (writeFileSync(join(dir, 'b.key'), toPemText(bob.pkcs8, 'PRIVATE KEY')), join(dir, 'b.key'))]);
    expect(decrypted.status).toBe(0);
    const signedPath = join(dir, 's.eml');
    writeFileSync(signedPath, decrypted.stdout);
    const verified = run('openssl', ['cms', '-verify', '-in', signedPath, '-CAfile', (writeFileSync(join(dir, 'root.pem'), toPemText(pki.root.certificate, 'CERTIFICATE')), join(dir, 'root.pem')), '-attime', String(TEST_NOW.getTime() / 1000)]);
    expect(verified.stderr).toContain('Verification successful');
    const { root } = payloadRoot(verified.stdout);
    expect(root.contentType.params.get('hp')).toBe('cipher');
    const value = (name: string) => Buffer.from(root.headers.fields.find((f) => f.name === name)!.raw).toString('latin1');
    expect(value('Subject')).toBe('Subject: =?UTF-8?Q?Quartalszahlen_f=C3=BCr_Q2?=\r\n');
    expect(value('From')).toBe('From: Alice Test <alice@example.com>\r\n');
  });
});
