// SEC-38f with SEC-31's "no hang": the possession check signs with the imported key, so an oversized crafted
// key is refused by size (maxPkcs12KeyBytes) before any signature is attempted.
import { webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PKCS12_LIMITS, importPkcs12, LimitError } from '../../src/crypto/index.js';
import { encode } from '../../src/crypto/pkcs12/der.js';
import { OID } from '../../src/crypto/oids.js';
import { createTestPki, type TestPki } from '../helpers/pki.js';
import { buildPfx, certBag, dataContentInfo, keyBag } from '../unit/pkcs12/build-pfx.js';

const crypto = webcrypto as unknown as Crypto;
let pki: TestPki;

beforeAll(async () => {
  pki = await createTestPki(crypto);
});

/** The PKCS#8 with an `attributes [0]` field padded to make the whole key larger than `size` bytes. */
function padded(pkcs8: Uint8Array, size: number): Uint8Array {
  const info = asn1js.fromBER(pkcs8.slice().buffer).result as asn1js.Sequence;
  const attribute = new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: OID.friendlyName }), new asn1js.Set({ value: [new asn1js.OctetString({ valueHex: new Uint8Array(size).buffer })] })] });
  info.valueBlock.value.push(new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [attribute] }));
  return encode(info);
}

describe('oversized private keys', () => {
  it('a key over maxPkcs12KeyBytes is refused with LIMIT_EXCEEDED; the same key under the limit imports', async () => {
    const alice = pki.users.alice.rsa;
    const big = padded(alice.pkcs8, DEFAULT_PKCS12_LIMITS.maxPkcs12KeyBytes);
    expect(big.length).toBeGreaterThan(DEFAULT_PKCS12_LIMITS.maxPkcs12KeyBytes);
    const bytes = await buildPfx([dataContentInfo([certBag(alice.certificate), keyBag(big)])], { crypto, password: 'pw', mac: null });
    const error = await importPkcs12(bytes, 'pw', { crypto }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LimitError);
    expect((error as LimitError).limit).toBe('maxPkcs12KeyBytes');
    const allowed = await importPkcs12(bytes, 'pw', { crypto, limits: { maxPkcs12KeyBytes: big.length } });
    expect(allowed.identities).toHaveLength(1);
  });
});
