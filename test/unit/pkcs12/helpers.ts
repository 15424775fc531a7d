import { expect } from 'vitest';
import type { Pkcs12Identity } from '../../../src/crypto/index.js';
import { certificateParts } from '../../../src/crypto/pkcs12/key-match.js';
import { DEFAULT_LIMITS } from '../../../src/crypto/policy.js';
import { OID } from '../../../src/crypto/oids.js';

const CURVES: Record<string, string> = { [OID.secp256r1]: 'P-256', [OID.secp384r1]: 'P-384', [OID.secp521r1]: 'P-521' };

/**
 * Proves an imported key belongs to its certificate the way a mail client would: sign a message with the
 * PKCS#8 key through WebCrypto and verify it with the certificate's public key.
 */
export async function signAndVerifyWithIdentity(crypto: Crypto, identity: Pick<Pkcs12Identity, 'pkcs8' | 'certificate'>): Promise<void> {
  const parts = certificateParts(identity.certificate, DEFAULT_LIMITS);
  const algorithm = parts.publicKeyAlgorithm.algorithm;
  let importParams: RsaHashedImportParams | EcKeyImportParams | Algorithm;
  let signParams: AlgorithmIdentifier | EcdsaParams;
  if (algorithm === OID.ed25519) {
    importParams = { name: 'Ed25519' };
    signParams = { name: 'Ed25519' };
  } else if (algorithm === OID.rsaEncryption) {
    importParams = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    signParams = { name: 'RSASSA-PKCS1-v1_5' };
  } else {
    const curveOid = (parts.publicKeyAlgorithm.parameters as unknown as { valueBlock: { toString(): string } }).valueBlock.toString();
    importParams = { name: 'ECDSA', namedCurve: CURVES[curveOid]! };
    signParams = { name: 'ECDSA', hash: 'SHA-256' };
  }
  const message = new TextEncoder().encode('Message signed with the imported key');
  const privateKey = await crypto.subtle.importKey('pkcs8', identity.pkcs8 as Uint8Array<ArrayBuffer>, importParams, false, ['sign']);
  const publicKey = await crypto.subtle.importKey('spki', parts.subjectPublicKeyInfo as Uint8Array<ArrayBuffer>, importParams, false, ['verify']);
  const signature = await crypto.subtle.sign(signParams, privateKey, message);
  expect(await crypto.subtle.verify(signParams, publicKey, signature, message)).toBe(true);
}
