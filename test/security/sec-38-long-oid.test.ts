// SEC-38 with F9 (and the SEC-31 "within 1 s" rule): an OBJECT IDENTIFIER of hundreds of kilobytes, which asn1js
// decodes in super-linear time, is refused before parsing wherever it sits in a PKCS#12 file.
import { webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PKCS12_LIMITS, importPkcs12, LimitError } from '../../src/crypto/index.js';
import { buildPfx, certBag, dataContentInfo, derOid, derSequence } from '../unit/pkcs12/build-pfx.js';
import { encode } from '../../src/crypto/pkcs12/der.js';
import { OID } from '../../src/crypto/oids.js';
import { cpuNow } from '../helpers/limits.js';

const crypto = webcrypto as unknown as Crypto;

/** An OBJECT IDENTIFIER of `length` content bytes (1.2 followed by arcs of 1). */
function longOid(length: number): asn1js.AsnType {
  const content = new Uint8Array(length).fill(1);
  content[0] = 0x2a;
  return new asn1js.Primitive({ idBlock: { tagClass: 1, tagNumber: 6 }, valueHex: content.buffer });
}

async function expectRefusedQuickly(bytes: Uint8Array): Promise<void> {
  expect(bytes.length).toBeLessThanOrEqual(DEFAULT_PKCS12_LIMITS.maxPkcs12Bytes);
  const started = cpuNow();
  const error = await importPkcs12(bytes, 'pw', { crypto }).catch((e: unknown) => e);
  expect(cpuNow() - started).toBeLessThan(1000);
  expect(error).toBeInstanceOf(LimitError);
  expect((error as LimitError).limit).toBe('maxPkcs12OidBytes');
}

describe('overlong OIDs in PKCS#12 input', () => {
  it('in the outer PFX structure', async () => {
    await expectRefusedQuickly(encode(derSequence([longOid(500_000)])));
  });

  it('as a bag type inside the SafeContents (no MAC)', async () => {
    const bag = derSequence([longOid(500_000)]);
    await expectRefusedQuickly(await buildPfx([dataContentInfo([bag])], { crypto, password: 'pw', mac: null }));
  });

  it('inside a certificate in a certificate bag (no MAC)', async () => {
    const fakeCertificate = encode(derSequence([derSequence([derOid(OID.commonName), longOid(400_000)])]));
    await expectRefusedQuickly(await buildPfx([dataContentInfo([certBag(fakeCertificate)])], { crypto, password: 'pw', mac: null }));
  });
});
