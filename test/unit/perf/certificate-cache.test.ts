// parseSignedData shares PKI.js certificate objects between messages that carry the same certificate DER
// (signed-data-parse.ts): the same bytes give the same object, and any other bytes never do.
import { describe, expect, it } from 'vitest';
import { webcrypto } from 'node:crypto';
import { parseSignedData } from '../../../src/crypto/cms/signed-data-parse.js';
import { DEFAULT_POLICY } from '../../../src/crypto/policy.js';
import { toHex } from '../../../src/crypto/bytes.js';
import { createTestPki } from '../../helpers/pki.js';
import { buildSignedCms, textEntity } from '../../helpers/fixtures-signed.js';

const crypto = webcrypto as unknown as Crypto;
const pki = await createTestPki(crypto);
const sign = (text: string, identity = pki.users.alice.rsa) => buildSignedCms({ content: textEntity(text), detached: false, signers: [{ identity }] }, pki);

describe('certificates parsed from SignedData', () => {
  it('the same certificate DER in two messages gives the same object; its DER stays each message\'s own copy', async () => {
    const first = parseSignedData(await sign('one'), DEFAULT_POLICY).certificates[0]!;
    const second = parseSignedData(await sign('two'), DEFAULT_POLICY).certificates[0]!;
    expect(second.certificate).toBe(first.certificate);
    expect(second.der).not.toBe(first.der);
    expect(toHex(second.der)).toBe(toHex(first.der));
  });

  it('a certificate that differs in one byte is parsed on its own', async () => {
    const der = await sign('one');
    const original = parseSignedData(der, DEFAULT_POLICY).certificates[0]!;
    // Flip a byte inside the certificate's signature value (its last bytes), which keeps the structure valid.
    const at = Buffer.from(der).indexOf(Buffer.from(original.der)) + original.der.length - 5;
    const changed = der.slice();
    changed[at]! ^= 0x01;
    const other = parseSignedData(changed, DEFAULT_POLICY).certificates[0]!;
    expect(other.certificate).not.toBe(original.certificate);
    expect(toHex(new Uint8Array(other.certificate.signatureValue.valueBlock.valueHexView))).not.toBe(toHex(new Uint8Array(original.certificate.signatureValue.valueBlock.valueHexView)));
  });

  it('another signer\'s certificate is another object', async () => {
    const alice = parseSignedData(await sign('one'), DEFAULT_POLICY).certificates[0]!;
    const bob = parseSignedData(await sign('one', pki.users.bob.rsa), DEFAULT_POLICY).certificates[0]!;
    expect(bob.certificate).not.toBe(alice.certificate);
  });
});
