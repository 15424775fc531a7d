/**
 * SEC-35c, SEC-36: Wycheproof signature vectors through the project's signature wrapper
 * (`verifySignedBytes`, src/crypto/cert/signature.ts: the algorithm identifier decides the WebCrypto call;
 * ECDSA's DER Ecdsa-Sig-Value becomes the raw r‖s WebCrypto takes). Every `valid` vector verifies, every
 * `invalid` one does not (BER-encoded padding, missing NULL, non-canonical or malleable ECDSA encodings,
 * wrong lengths, Ed25519 signatures with s ≥ L …); `acceptable` vectors are counted, not judged. Vectors and licence:
 * test/fixtures/wycheproof/README.md.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { describe, expect, it } from 'vitest';
import { verifySignedBytes } from '../../../src/crypto/cert/signature.js';
import { OID } from '../../../src/crypto/oids.js';
import { crypto, FIXTURES } from '../../helpers/encryption.js';

interface Vector {
  tcId: number;
  msg: string;
  sig: string;
  result: 'valid' | 'invalid' | 'acceptable';
  flags: string[];
}
interface Group {
  publicKeyDer: string;
  tests: Vector[];
}

const hex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'));

function load(file: string): Group[] {
  return (JSON.parse(readFileSync(join(FIXTURES, 'wycheproof', file), 'utf8')) as { testGroups: Group[] }).testGroups;
}

function spki(der: string): pkijs.PublicKeyInfo {
  return new pkijs.PublicKeyInfo({ schema: asn1js.fromBER(hex(der)).result });
}

/** RSASSA-PSS-params with SHA-256, MGF1-SHA-256 and the given salt length (RFC 4055 §3.1). */
function pssSha256(saltLength: number): pkijs.AlgorithmIdentifier {
  const sha256 = new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256, algorithmParams: new asn1js.Null() });
  const params = new pkijs.RSASSAPSSParams({
    hashAlgorithm: sha256,
    maskGenAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.mgf1, algorithmParams: sha256.toSchema() }),
    saltLength,
  });
  return new pkijs.AlgorithmIdentifier({ algorithmId: OID.rsassaPss, algorithmParams: params.toSchema() });
}

const FILES: { file: string; algorithm: () => pkijs.AlgorithmIdentifier }[] = [
  { file: 'rsa_signature_2048_sha256_test.json', algorithm: () => new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256WithRSAEncryption, algorithmParams: new asn1js.Null() }) },
  { file: 'rsa_pss_2048_sha256_mgf1_32_test.json', algorithm: () => pssSha256(32) },
  { file: 'ecdsa_secp256r1_sha256_test.json', algorithm: () => new pkijs.AlgorithmIdentifier({ algorithmId: OID.ecdsaWithSha256 }) },
  { file: 'ecdsa_secp384r1_sha384_test.json', algorithm: () => new pkijs.AlgorithmIdentifier({ algorithmId: OID.ecdsaWithSha384 }) },
  { file: 'ed25519_test.json', algorithm: () => new pkijs.AlgorithmIdentifier({ algorithmId: OID.ed25519 }) },
];

describe('Wycheproof signature vectors through verifySignedBytes (SEC-35c, SEC-36)', () => {
  for (const { file, algorithm } of FILES) {
    it(file, async () => {
      const wrong: string[] = [];
      const counted = { valid: 0, invalid: 0, acceptable: 0 };
      for (const group of load(file)) {
        const issuerKey = spki(group.publicKeyDer);
        for (const vector of group.tests) {
          counted[vector.result] += 1;
          const check = await verifySignedBytes({ signedBytes: hex(vector.msg), signature: hex(vector.sig), algorithm: algorithm(), issuerKey, crypto });
          if (vector.result === 'acceptable') continue;
          if (check.ok !== (vector.result === 'valid')) wrong.push(`tcId ${vector.tcId} (${vector.result}, ${vector.flags.join('/')}): ${check.ok ? 'verified' : check.detail}`);
        }
      }
      expect(wrong).toEqual([]);
      // Both kinds were exercised: a wrapper that accepted or refused everything would fail above.
      expect(counted.valid).toBeGreaterThan(0);
      expect(counted.invalid).toBeGreaterThan(0);
    });
  }
});
