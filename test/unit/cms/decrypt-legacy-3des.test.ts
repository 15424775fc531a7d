/**
 * Legacy 3DES-CBC content (RFC 3370 §5.1), from independent generators: the autocrypt protected-headers
 * messages (2019, RSA PKCS#1 v1.5 to Bob and Alice) and pyca/cryptography's enveloped.pem, with Bob's key from
 * the legacy 3DES PKCS#12 of that corpus. OpenSSL agrees on all of them (see the fixtures' cases.json).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { decryptEnvelope } from '../../../src/crypto/cms/decrypt.js';
import { decryptMessage } from '../../../src/crypto/smime/decrypt-message.js';
import { openMessage } from '../../../src/crypto/smime/open-message.js';
import { importPkcs12, requireIdentities } from '../../../src/crypto/pkcs12/index.js';
import { base64Decode } from '../../../src/crypto/bytes.js';
import { DEFAULT_POLICY } from '../../../src/crypto/policy.js';
import type { DecryptionIdentity } from '../../../src/crypto/cms/recipients.js';
import { crypto, fixture, pemToDer, text } from '../../helpers/encryption.js';

let bob: DecryptionIdentity[];
const normalise = (s: string) => s.replace(/\r\n/g, '\n');

beforeAll(async () => {
  const armoured = new TextDecoder().decode(fixture('autocrypt-protected-headers', 'bob.p12'));
  const der = base64Decode(armoured.replace(/-----[^-]+-----/g, ''));
  bob = requireIdentities(await importPkcs12(der, 'bob', { crypto })).map((i) => ({ certificate: i.certificate, pkcs8: i.pkcs8 }));
});

describe('3DES-CBC EnvelopedData from other implementations', () => {
  for (const name of ['smime-sign+enc', 'smime-sign+enc+legacy-disp', 'smime-enc+legacy-disp']) {
    it(`${name}.eml decrypts to the published inner layer`, async () => {
      const r = await decryptMessage(fixture('autocrypt-protected-headers', `${name}.eml`), { identities: bob, crypto });
      expect(r.report.contentEncryption).toBe('3DES-CBC');
      expect(r.report.verdict).toBe('unauthenticated');
      expect(normalise(text(r.plaintext)).trim()).toBe(normalise(new TextDecoder().decode(fixture('autocrypt-protected-headers', `${name}.inner`))).trim());
    });
  }

  it('smime-sign+enc.eml opens in one call: 3DES decrypted, inner signature valid, so authenticated', async () => {
    const report = await openMessage(fixture('autocrypt-protected-headers', 'smime-sign+enc.eml'), {
      anchors: [pemToDer(fixture('autocrypt-protected-headers', 'sample-ca.pem'))],
      now: new Date('2026-06-01T00:00:00Z'),
      crypto,
      policy: DEFAULT_POLICY,
      identities: bob,
    });
    expect(report.encryption.contentEncryption).toBe('3DES-CBC');
    expect(report.signature.signer).toBe('alice@smime.example');
    expect({ verdict: report.signature.verdict, reasons: report.signature.reasons }).toEqual({ verdict: 'valid', reasons: [] });
    expect(report.encryption.verdict).toBe('authenticated');
  });

  it('smime-enc+legacy-disp.eml: unsigned, so unauthenticated and not signed', async () => {
    const report = await openMessage(fixture('autocrypt-protected-headers', 'smime-enc+legacy-disp.eml'), { anchors: [], now: new Date('2026-06-01T00:00:00Z'), crypto, policy: DEFAULT_POLICY, identities: bob });
    expect(report.encryption.verdict).toBe('unauthenticated');
    expect(report.signature.verdict).toBe('none');
  });

  it('pyca enveloped.pem (two RSA recipients) decrypts with Bob to an opaque signed message', async () => {
    const r = await decryptEnvelope(pemToDer(fixture('pyca-pkcs12-pkcs7', 'pkcs7', 'enveloped.pem')), { identities: bob, crypto });
    expect(r.report.contentEncryption).toBe('3DES-CBC');
    expect(r.report.recipients).toHaveLength(2);
    expect(text(r.plaintext)).toMatch(/application\/(x-)?pkcs7-mime/);
  });
});
