/**
 * Imports a PKCS#8 private key (RFC 5958) as a non-extractable WebCrypto signing key of the right kind,
 * with the policy's hash for RSA (RSA keys carry their hash in WebCrypto).
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { parseBer } from '../asn1.js';
import { SmimeError } from '../errors.js';
import { OID } from '../oids.js';
import type { Policy } from '../policy.js';

export interface ImportSigningKeyOptions {
  crypto: Crypto;
  policy: Policy;
  /** RSA keys: sign with RSASSA-PSS (RFC 4056) instead of PKCS#1 v1.5. Ignored for other key types. */
  rsaPss?: boolean;
}

/**
 * @throws SmimeError `MALFORMED_ASN1` (not PKCS#8), `UNSUPPORTED_ALGORITHM` (key type or curve),
 *   `KEY_MISMATCH` when WebCrypto refuses the key.
 */
export async function importSigningKey(pkcs8: Uint8Array, options: ImportSigningKeyOptions): Promise<CryptoKey> {
  const info = new pkijs.PrivateKeyInfo({ schema: parseBer(pkcs8, options.policy.limits, 'PKCS#8 private key') });
  const algorithmOid = info.privateKeyAlgorithm.algorithmId;
  let algorithm: RsaHashedImportParams | EcKeyImportParams | Algorithm;
  switch (algorithmOid) {
    case OID.rsaEncryption:
      algorithm = { name: options.rsaPss ? 'RSA-PSS' : 'RSASSA-PKCS1-v1_5', hash: options.policy.signingHash };
      break;
    case OID.rsassaPss:
      algorithm = { name: 'RSA-PSS', hash: options.policy.signingHash };
      break;
    case OID.ecPublicKey: {
      const params = info.privateKeyAlgorithm.algorithmParams;
      const curveOid = params instanceof asn1js.ObjectIdentifier ? params.valueBlock.toString() : '';
      const namedCurve = { [OID.secp256r1]: 'P-256', [OID.secp384r1]: 'P-384', [OID.secp521r1]: 'P-521' }[curveOid];
      if (!namedCurve) throw new SmimeError('UNSUPPORTED_ALGORITHM', `EC curve ${curveOid || '(none)'} is not supported`);
      algorithm = { name: 'ECDSA', namedCurve };
      break;
    }
    case OID.ed25519:
      algorithm = { name: 'Ed25519' };
      break;
    default:
      throw new SmimeError('UNSUPPORTED_ALGORITHM', `private keys of type ${algorithmOid} are not supported for signing`);
  }
  const der = algorithmOid === OID.rsassaPss ? relabelRsaPss(info) : pkcs8;
  try {
    return await options.crypto.subtle.importKey('pkcs8', der as BufferSource, algorithm, false, ['sign']);
  } catch (cause) {
    throw new SmimeError('KEY_MISMATCH', 'the private key cannot be imported for signing', { cause });
  }
}

/** WebCrypto imports RSA keys only under rsaEncryption; an id-RSASSA-PSS key holds the same RSAPrivateKey. */
function relabelRsaPss(info: pkijs.PrivateKeyInfo): Uint8Array {
  const relabelled = new pkijs.PrivateKeyInfo({
    version: info.version,
    privateKeyAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.rsaEncryption, algorithmParams: new asn1js.Null() }),
    privateKey: info.privateKey,
  });
  return new Uint8Array(relabelled.toSchema().toBER(false));
}
