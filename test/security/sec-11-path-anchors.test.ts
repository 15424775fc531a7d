/**
 * SEC-11 at the path-validation level: trust needs a configured anchor *for e-mail*. A self-signed leaf is
 * untrusted, a missing intermediate gives no path, and an anchor added only for TLS does not count.
 * (Message-level verdicts are in sec-11-trust-anchors.test.ts.)
 */
import { webcrypto } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { validatePath } from '../../src/crypto/trust/index.js';
import { createTestPki, TEST_NOW, type TestPki } from '../helpers/pki.js';

const crypto = webcrypto as unknown as Crypto;
let pki: TestPki;
beforeAll(async () => {
  pki = await createTestPki(crypto);
});

describe('SEC-11 anchors are mandatory and purpose-scoped', () => {
  it('a self-signed leaf whose address is the sender is untrusted', async () => {
    const self = await pki.issue({ issuer: 'self', subject: 'CN=Alice', emails: ['alice@example.com'] });
    const result = await validatePath({
      leaf: self.certificate, intermediates: [], anchors: [{ der: pki.root.certificate, source: 'mozilla', purposes: ['email'] }],
      now: TEST_NOW, purpose: 'smime-signing', crypto,
    });
    expect(result).toMatchObject({ status: 'invalid', code: 'NO_PATH', anchor: null });
    const none = await validatePath({ leaf: self.certificate, intermediates: [], anchors: [], now: TEST_NOW, purpose: 'smime-signing', crypto });
    expect(none).toMatchObject({ status: 'invalid', code: 'NO_PATH' });
  });

  it('a self-signed certificate the user explicitly trusts for e-mail is valid, and only for that certificate', async () => {
    const self = await pki.issue({ issuer: 'self', subject: 'CN=Carol', emails: ['carol@example.com'] });
    const anchors = [{ der: self.certificate, source: 'user' as const, purposes: ['email' as const] }];
    const result = await validatePath({ leaf: self.certificate, intermediates: [], anchors, now: TEST_NOW, purpose: 'smime-signing', crypto });
    expect(result).toMatchObject({ status: 'valid', anchor: { source: 'user' } });
    expect(result.chain).toHaveLength(1);
  });

  it('a chain that ends at an untrusted root carried in the message has no path', async () => {
    const rogueRoot = await pki.issue({ issuer: 'self', subject: 'CN=Rogue Root', ca: true });
    const rogueCa = await pki.issue({ issuer: rogueRoot, subject: 'CN=Rogue CA', ca: true });
    const leaf = await pki.issue({ issuer: rogueCa, subject: 'CN=Alice', emails: ['alice@example.com'] });
    const result = await validatePath({
      leaf: leaf.certificate, intermediates: [rogueCa.certificate, rogueRoot.certificate],
      anchors: [{ der: pki.root.certificate, source: 'organisation', purposes: ['email'] }], now: TEST_NOW, purpose: 'smime-signing', crypto,
    });
    expect(result).toMatchObject({ status: 'invalid', code: 'NO_PATH' });
  });

  it('a chain whose intermediate is missing and unknown has no path', async () => {
    const result = await validatePath({
      leaf: pki.users.alice.rsa.certificate, intermediates: [], anchors: [{ der: pki.root.certificate, source: 'organisation', purposes: ['email'] }],
      now: TEST_NOW, purpose: 'smime-signing', crypto,
    });
    expect(result).toMatchObject({ status: 'invalid', code: 'NO_PATH' });
  });

  it('an anchor added only for TLS is not trusted for e-mail', async () => {
    const tlsOnly = [{ der: pki.root.certificate, source: 'user' as const, purposes: ['tls' as const] }];
    const result = await validatePath({
      leaf: pki.users.alice.rsa.certificate, intermediates: [pki.emailCa.certificate], anchors: tlsOnly, now: TEST_NOW, purpose: 'smime-signing', crypto,
    });
    expect(result).toMatchObject({ status: 'invalid', code: 'ANCHOR_NOT_FOR_EMAIL' });
    const both = [...tlsOnly, { der: pki.root.certificate, source: 'organisation' as const, purposes: ['email' as const] }];
    expect(await validatePath({
      leaf: pki.users.alice.rsa.certificate, intermediates: [pki.emailCa.certificate], anchors: both, now: TEST_NOW, purpose: 'smime-signing', crypto,
    })).toMatchObject({ status: 'valid', anchor: { source: 'organisation' } });
  });
});
