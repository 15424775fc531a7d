/**
 * SEC-31b: a certificate holding a 1 MB OID is refused by the per-certificate size cap before any ASN.1
 * parsing (asn1js's OID decoding is super-linear, F9). Alone, in PEM and inside a PKCS#7 bundle.
 */
import { webcrypto } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCertificates } from '../../src/crypto/cert/index.js';
import { LimitError } from '../../src/crypto/errors.js';
import { DEFAULT_LIMITS } from '../../src/crypto/policy.js';
import { createTestPki, toPem, type TestPki } from '../helpers/pki.js';
import { cpuNow } from '../helpers/limits.js';

function derLength(length: number): number[] {
  if (length < 0x80) return [length];
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
  return [0x80 | bytes.length, ...bytes];
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function tlv(tag: number, content: Uint8Array): Uint8Array {
  return concat(new Uint8Array([tag, ...derLength(content.length)]), content);
}

/** Certificate-shaped DER: SEQUENCE { tbs SEQUENCE { ..., extension with a 1 MB OID }, alg, sig }. */
function certificateWithHugeOid(): Uint8Array {
  const oid = tlv(0x06, new Uint8Array(1024 * 1024).fill(0x01));
  const extension = tlv(0x30, concat(oid, tlv(0x04, new Uint8Array([0x05, 0x00]))));
  const tbs = tlv(0x30, concat(tlv(0xa0, new Uint8Array([0x02, 0x01, 0x02])), new Uint8Array([0x02, 0x01, 0x01]), tlv(0xa3, tlv(0x30, extension))));
  const algorithm = tlv(0x30, new Uint8Array([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b, 0x05, 0x00]));
  return tlv(0x30, concat(tbs, algorithm, tlv(0x03, new Uint8Array([0x00, 0x01]))));
}

/** A certs-only SignedData (RFC 5652 §5.1) around the given certificates. */
function certsOnly(certificates: Uint8Array[]): Uint8Array {
  const signedData = tlv(0x30, concat(
    new Uint8Array([0x02, 0x01, 0x01]),
    new Uint8Array([0x31, 0x00]),
    tlv(0x30, new Uint8Array([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01])),
    tlv(0xa0, concat(...certificates)),
    new Uint8Array([0x31, 0x00]),
  ));
  return tlv(0x30, concat(new Uint8Array([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02]), tlv(0xa0, signedData)));
}

let pki: TestPki;
beforeAll(async () => {
  pki = await createTestPki(webcrypto as unknown as Crypto);
});

describe('SEC-31b certificate size cap', () => {
  it('refuses a 1 MB-OID certificate as DER, PEM and inside a bundle, quickly and with a LimitError', async () => {
    const huge = certificateWithHugeOid();
    expect(huge.length).toBeGreaterThan(DEFAULT_LIMITS.maxCertificateBytes);
    const bundle = certsOnly([pki.root.certificate, huge]);
    for (const input of [huge, toPem(huge), bundle, toPem(bundle, 'PKCS7')]) {
      const started = cpuNow();
      let thrown: unknown;
      try {
        parseCertificates(input);
      } catch (error) {
        thrown = error;
      }
      // Generous bound (the explicit "within 1 s" limit of SEC-31..33); parsing the OID would take seconds.
      expect(cpuNow() - started).toBeLessThan(1000);
      expect(thrown).toBeInstanceOf(LimitError);
      expect((thrown as LimitError).limit).toBe('maxCertificateBytes');
    }
    // The same bundle without the huge certificate parses.
    expect(parseCertificates(certsOnly([pki.root.certificate]))).toHaveLength(1);
  });
});
