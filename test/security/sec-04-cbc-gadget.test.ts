/**
 * SEC-04: CBC-only content is labelled unauthenticated, and EFAIL malleability gadgets cannot pass for
 * protected content: a gadget inside a signed payload breaks the signature (verdict invalid, encryption
 * unauthenticated), and a gadget that removes the signature layer gives unauthenticated + not signed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { encryptEnvelope } from '../../src/crypto/cms/envelope-build.js';
import { openMessage } from '../../src/crypto/smime/open-message.js';
import { signEntity } from '../../src/crypto/smime/sign-message.js';
import { DEFAULT_POLICY } from '../../src/crypto/policy.js';
import { createTestPki, TEST_NOW, type TestPki } from '../helpers/pki.js';
import { crypto } from '../helpers/encryption.js';
import { encryptedMessage, locate } from '../helpers/encryption-fixtures.js';

const BODY = 'Quarterly numbers are attached. Nothing to see here, just a long enough text body for several AES blocks.';
const entity = new TextEncoder().encode(`Content-Type: text/plain; charset=us-ascii\r\n\r\n${BODY}\r\n`);
let pki: TestPki;
let signed: Uint8Array;
let der: Uint8Array;

beforeAll(async () => {
  pki = await createTestPki(crypto);
  signed = await signEntity({ entity, signer: { certificate: pki.users.alice.rsa.certificate, privateKey: pki.users.alice.rsa.privateKey, chain: [pki.emailCa.certificate] }, crypto, policy: DEFAULT_POLICY, form: 'detached' });
  der = (await encryptEnvelope({ content: signed, recipients: [{ certificate: pki.users.bob.rsa.certificate, transport: 'rsa-pkcs1-v1_5' }], cipher: 'AES-256-CBC', crypto })).der;
});

/** CBC gadget: make plaintext block `block` (0-based) read `wanted`, knowing its current text; block-1 turns to garbage. */
function gadget(input: Uint8Array, known: Uint8Array, block: number, wanted: string): Uint8Array {
  const out = input.slice();
  const { content, ivOrNonce } = locate(out);
  const target = block === 0 ? ivOrNonce[0] : content[0] + (block - 1) * 16;
  const want = new TextEncoder().encode(wanted.padEnd(16, ' ').slice(0, 16));
  for (let i = 0; i < 16; i++) out[target + i]! ^= known[block * 16 + i]! ^ want[i]!;
  return out;
}

const open = (raw: Uint8Array) =>
  openMessage(raw, { anchors: [pki.root.certificate], now: TEST_NOW, crypto, policy: DEFAULT_POLICY, identities: [{ certificate: pki.users.bob.rsa.certificate, pkcs8: pki.users.bob.rsa.pkcs8 }] });

describe('SEC-04', () => {
  it('unmodified: signature valid, which authenticates the CBC content', async () => {
    const report = await open(encryptedMessage(der));
    expect(report.signature.verdict).toBe('valid');
    expect(report.encryption.verdict).toBe('authenticated');
  });

  it('gadget inside the signed body: encryption unauthenticated, inner signature invalid', async () => {
    const at = Buffer.from(signed).indexOf('Quarterly');
    const block = Math.floor(at / 16) + 2;
    const modified = gadget(der, signed, block, '<img src="http:/');
    const report = await open(encryptedMessage(modified));
    expect(report.encryption.verdict).toBe('unauthenticated');
    expect(report.encryption.reasons).toContain('CBC_NOT_AUTHENTICATED');
    expect(report.signature.verdict).toBe('invalid');
    expect(new TextDecoder().decode(report.content!)).toContain('<img src="http:/');
  });

  it('gadget that removes the signature layer: unauthenticated and not signed, never better than broken', async () => {
    const modified = gadget(der, signed, 0, 'X-Gadget: aaaaa:');
    const report = await open(encryptedMessage(modified));
    expect(report.encryption.verdict).toBe('unauthenticated');
    expect(report.signature.verdict).toBe('none');
  });
});
