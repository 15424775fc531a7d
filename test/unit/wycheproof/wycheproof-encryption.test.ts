/**
 * Wycheproof vectors (test/fixtures/wycheproof, Apache-2.0) through the engine's own encryption primitives
 * (SEC-36, SEC-23a, SEC-24b, SEC-05). Each file prints its pass/fail count; zero failures are allowed.
 * "acceptable" vectors may go either way; the policy chosen is stated per file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as pkijs from 'pkijs';
import { fromHex, toHex } from '../../../src/crypto/bytes.js';
import { parseBer } from '../../../src/crypto/asn1.js';
import { OID } from '../../../src/crypto/oids.js';
import { SmimeError } from '../../../src/crypto/errors.js';
import { importRsaDecryptionKey } from '../../../src/crypto/rsa/rsa-private-key.js';
import { importDecryptionKey, agreeSharedSecret } from '../../../src/crypto/cms/recipients.js';
import { aesCbcDecrypt, aesGcmDecrypt, aesKeyUnwrap, GCM_NONCE_MAX_BYTES, GCM_NONCE_MIN_BYTES } from '../../../src/crypto/cms/envelope-ciphers.js';
import { crypto, FIXTURES } from '../../helpers/encryption.js';

interface Vector {
  tcId: number;
  result: 'valid' | 'invalid' | 'acceptable';
  flags: string[];
  [key: string]: unknown;
}
interface Group {
  tests: Vector[];
  [key: string]: unknown;
}

function load(name: string): Group[] {
  return (JSON.parse(readFileSync(join(FIXTURES, 'wycheproof', name), 'utf8')) as { testGroups: Group[] }).testGroups;
}

/** OpenSSL 4.0 (via pyca/cryptography 48) implicit-rejection outputs for the invalid vectors; see the README. */
const IMPLICIT_REJECTION = JSON.parse(readFileSync(join(FIXTURES, 'wycheproof', 'rsa_pkcs1_implicit_rejection_openssl.json'), 'utf8')) as {
  files: Record<string, Record<string, string | null>>;
};

const summary: string[] = [];
afterAll(() => {
  console.log(['Wycheproof (encryption primitives):', ...summary].join('\n  '));
});

/** Runs every vector; returns the failures as text. `check` throws or returns false for a failure. */
async function runFile(name: string, check: (group: Group, vector: Vector) => Promise<boolean>): Promise<string[]> {
  const failures: string[] = [];
  let count = 0;
  for (const group of load(name)) {
    for (const vector of group.tests) {
      count++;
      let ok: boolean;
      try {
        ok = await check(group, vector);
      } catch (error) {
        ok = false;
        failures.push(`tcId ${vector.tcId}: ${String(error)}`);
        continue;
      }
      if (!ok) failures.push(`tcId ${vector.tcId} (${vector.result}, ${vector.flags.join(',')})`);
    }
  }
  summary.push(`${name}: ${count - failures.length}/${count} pass${failures.length ? ` — FAIL ${failures.join('; ')}` : ''}`);
  return failures;
}

/** Valid must succeed with the expected output; invalid must fail; acceptable: either. */
async function expectOutcome(vector: Vector, operation: () => Promise<Uint8Array>, expected: string): Promise<boolean> {
  let output: Uint8Array | null = null;
  try {
    output = await operation();
  } catch {
    output = null;
  }
  if (vector.result === 'valid') return output !== null && toHex(output) === expected;
  if (vector.result === 'invalid') return output === null;
  return output === null || toHex(output) === expected;
}

describe('Wycheproof', { timeout: 120_000 }, () => {
  for (const file of ['rsa_pkcs1_2048_test.json', 'rsa_pkcs1_3072_test.json']) {
    it(`SEC-23a: ${file}: valid decrypt to msg; invalid give OpenSSL's implicit-rejection output or the one error`, async () => {
      const errors = new Set<string>();
      let implicitRejections = 0;
      const failures = await runFile(file, async (group, vector) => {
        const key = await importRsaDecryptionKey(fromHex(group['privateKeyPkcs8'] as string), crypto);
        const ct = fromHex(vector['ct'] as string);
        if (vector.result === 'valid') return toHex(await key.decryptPkcs1v15(ct)) === vector['msg'];
        const openSslOutput = IMPLICIT_REJECTION.files[file]![String(vector.tcId)];
        try {
          const first = await key.decryptPkcs1v15(ct);
          const again = await key.decryptPkcs1v15(ct);
          implicitRejections++;
          // Implicit rejection: deterministic, and byte-identical to OpenSSL's synthetic message for the vector.
          return toHex(first) === toHex(again) && toHex(first) === openSslOutput;
        } catch (error) {
          if (!(error instanceof SmimeError)) return false;
          errors.add(`${error.code}:${error.message}`);
          // We throw only where OpenSSL also refuses (wrong length, value not below the modulus).
          return openSslOutput === null;
        }
      });
      expect(failures).toEqual([]);
      expect(errors.size).toBeLessThanOrEqual(1);
      expect(implicitRejections).toBeGreaterThan(0);
    });
  }

  for (const [file, hash] of [['rsa_oaep_2048_sha1_mgf1sha1_test.json', 'SHA-1'], ['rsa_oaep_2048_sha256_mgf1sha256_test.json', 'SHA-256']] as const) {
    it(`SEC-24b: ${file}`, async () => {
      const failures = await runFile(file, async (group, vector) => {
        const key = importDecryptionKey(fromHex(group['privateKeyPkcs8'] as string), crypto);
        const privateKey = await key.rsaOaep(hash);
        return expectOutcome(vector, async () => new Uint8Array(await crypto.subtle.decrypt({ name: 'RSA-OAEP', label: fromHex(vector['label'] as string) as Uint8Array<ArrayBuffer> }, privateKey, fromHex(vector['ct'] as string) as Uint8Array<ArrayBuffer>)), vector['msg'] as string);
      });
      expect(failures).toEqual([]);
    });
  }

  it('SEC-05: aes_gcm_test.json through the GCM wrapper (invalid rejected; nonces outside 12..128 bytes rejected by policy)', async () => {
    const failures = await runFile('aes_gcm_test.json', async (group, vector) => {
      const nonceLength = (vector['iv'] as string).length / 2;
      if (nonceLength < GCM_NONCE_MIN_BYTES || nonceLength > GCM_NONCE_MAX_BYTES) {
        const outcome = await aesGcmDecrypt(crypto, fromHex(vector['key'] as string), fromHex(vector['iv'] as string), fromHex((vector['ct'] as string) + (vector['tag'] as string)), new Uint8Array(0), 16).then(
          () => 'accepted',
          (error: unknown) => (error instanceof SmimeError ? error.code : 'other'),
        );
        return outcome === 'UNSUPPORTED_ALGORITHM';
      }
      const tag = fromHex(vector['tag'] as string);
      const ct = fromHex(vector['ct'] as string);
      const joined = new Uint8Array(ct.length + tag.length);
      joined.set(ct);
      joined.set(tag, ct.length);
      return expectOutcome(vector, () => aesGcmDecrypt(crypto, fromHex(vector['key'] as string), fromHex(vector['iv'] as string), joined, fromHex(vector['aad'] as string), (group['tagSize'] as number) / 8), vector['msg'] as string);
    });
    expect(failures).toEqual([]);
  });

  it('aes_cbc_pkcs5_test.json', async () => {
    const failures = await runFile('aes_cbc_pkcs5_test.json', async (_group, vector) =>
      expectOutcome(vector, () => aesCbcDecrypt(crypto, fromHex(vector['key'] as string), fromHex(vector['iv'] as string), fromHex(vector['ct'] as string)), vector['msg'] as string),
    );
    expect(failures).toEqual([]);
  });

  it('aes_wrap_test.json (acceptable: rejected or unwrapped correctly)', async () => {
    const failures = await runFile('aes_wrap_test.json', async (_group, vector) =>
      expectOutcome(vector, () => aesKeyUnwrap(crypto, fromHex(vector['key'] as string), fromHex(vector['ct'] as string)), vector['msg'] as string),
    );
    expect(failures).toEqual([]);
  });

  for (const [file, curve, curveOid] of [['ecdh_secp256r1_test.json', 'P-256', OID.secp256r1], ['ecdh_secp384r1_test.json', 'P-384', OID.secp384r1]] as const) {
    it(`SEC-24b: ${file}: invalid curve points rejected`, async () => {
      const failures = await runFile(file, async (_group, vector) => {
        const privateScalar = fromHex((vector['private'] as string).replace(/^00(?=[0-9a-f]{64,}$)/, ''));
        const size = curve === 'P-256' ? 32 : 48;
        const scalar = new Uint8Array(size);
        scalar.set(privateScalar.subarray(Math.max(0, privateScalar.length - size)), Math.max(0, size - privateScalar.length));
        // SEC 1 ECPrivateKey inside PKCS#8, curve given by the algorithm parameters.
        const ecPrivateKey = new pkijs.ECPrivateKey({ version: 1, privateKey: new (await import('asn1js')).OctetString({ valueHex: scalar }) });
        const pkcs8 = new pkijs.PrivateKeyInfo({
          version: 0,
          privateKeyAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.ecPublicKey, algorithmParams: new (await import('asn1js')).ObjectIdentifier({ value: curveOid }) }),
          privateKey: new (await import('asn1js')).OctetString({ valueHex: ecPrivateKey.toSchema().toBER() }),
        });
        const key = importDecryptionKey(new Uint8Array(pkcs8.toSchema().toBER()), crypto);
        return expectOutcome(vector, async () => {
          // The originator key of a KeyAgreeRecipientInfo is id-ecPublicKey + a point on the user's curve.
          const spki = new pkijs.PublicKeyInfo({ schema: parseBer(fromHex(vector['public'] as string)) });
          const params = spki.algorithm.algorithmParams as { valueBlock?: { toString(): string } } | undefined;
          if (spki.algorithm.algorithmId !== OID.ecPublicKey || params?.valueBlock?.toString() !== curveOid) throw new Error('not a point on the named curve');
          return agreeSharedSecret(crypto, key, OID.ecPublicKey, spki.subjectPublicKey.valueBlock.valueHexView);
        }, vector['shared'] as string);
      });
      expect(failures).toEqual([]);
    });
  }

  it('x25519_test.json (acceptable vectors: either outcome; all-zero shared secrets rejected)', async () => {
    const prefix = fromHex('302e020100300506032b656e04220420');
    const failures = await runFile('x25519_test.json', async (_group, vector) => {
      const pkcs8 = new Uint8Array(prefix.length + 32);
      pkcs8.set(prefix);
      pkcs8.set(fromHex(vector['private'] as string), prefix.length);
      const key = importDecryptionKey(pkcs8, crypto);
      return expectOutcome(vector, () => agreeSharedSecret(crypto, key, OID.x25519, fromHex(vector['public'] as string)), vector['shared'] as string);
    });
    expect(failures).toEqual([]);
  });
});
