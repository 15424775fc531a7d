/**
 * Decryption of EnvelopedData (RFC 5652 §6) and AuthEnvelopedData (RFC 5083) for the user's identities.
 *
 * Security notes:
 * - Only RecipientInfos naming one of the user's certificates are tried (SEC-23d); all cryptographic failures
 *   after that (bad RSA padding, wrong key length, failed OAEP or key unwrap, bad content) give one outcome:
 *   `DECRYPTION_FAILED` for CBC, `INTEGRITY_CHECK_FAILED` for GCM (SEC-23a, SEC-23e, CVE-2019-1563, RFC 3218).
 * - AES-GCM plaintext is only returned by WebCrypto after the tag verified; a bad tag gives
 *   `INTEGRITY_CHECK_FAILED` and no plaintext at all (SEC-05).
 * - CBC content is reported `unauthenticated`; a valid inner signature can upgrade it (done by openMessage, SEC-04).
 */
import { toHex } from '../bytes.js';
import { SmimeError } from '../errors.js';
import { OID, describeOid } from '../oids.js';
import { DEFAULT_POLICY, type Policy } from '../policy.js';
import type { EncryptionReport, RecipientIdentifier } from '../types.js';
import { RSA_DECRYPTION_ERROR_MESSAGE } from '../rsa/rsa-private-key.js';
import { octetStringContent } from './envelope-ber.js';
import { contentCipherByOid, decodeCbcIv, decodeGcmParameters, type ContentCipher } from './envelope-algorithms.js';
import { aesCbcDecrypt, aesGcmDecrypt } from './envelope-ciphers.js';
import { parseEnvelope, type ParsedEnvelope } from './envelope-parse.js';
import { tripleDesCbcDecryptContent } from './decrypt-legacy.js';
import {
  importDecryptionKey,
  indexIdentities,
  matchRecipients,
  recoverContentKey,
  type DecryptionIdentity,
  type DecryptionKey,
  type RecipientMatch,
} from './recipients.js';

/** WebCrypto's types want ArrayBuffer-backed views; the engine never uses SharedArrayBuffer. */
const bs = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => bytes as Uint8Array<ArrayBuffer>;

/** Inputs of {@link decryptEnvelope}: the user's identities (old ones too), WebCrypto and the policy. */
export interface DecryptOptions {
  identities: readonly DecryptionIdentity[];
  crypto: Crypto;
  policy?: Policy;
}

/** The outcome of decrypting one layer: plaintext only when the verdict is not `failed`. */
export interface DecryptResult {
  plaintext: Uint8Array | null;
  report: EncryptionReport;
  /** The inner content type (id-data for S/MIME). */
  contentType: string | null;
}

/** Reason codes used in `EncryptionReport.reasons` by this layer. */
export const DECRYPT_REASONS = {
  noMatchingRecipient: 'NO_MATCHING_RECIPIENT',
  keyUnavailable: 'KEY_UNAVAILABLE',
  decryptionFailed: 'DECRYPTION_FAILED',
  integrityCheckFailed: 'INTEGRITY_CHECK_FAILED',
  unsupportedAlgorithm: 'UNSUPPORTED_ALGORITHM',
  unsupportedContent: 'UNSUPPORTED_CONTENT',
  cbcNotAuthenticated: 'CBC_NOT_AUTHENTICATED',
} as const;

function failed(envelope: ParsedEnvelope | null, cipher: ContentCipher | null, recipients: RecipientIdentifier[], reasons: string[]): DecryptResult {
  return {
    plaintext: null,
    contentType: envelope?.contentType ?? null,
    report: { verdict: 'failed', reasons, contentEncryption: cipher?.name ?? null, recipients, decryptedWith: null },
  };
}

async function fingerprint(crypto: Crypto, der: Uint8Array): Promise<string> {
  return toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', bs(der))));
}

class UniformFailure extends Error {}

async function decryptContent(crypto: Crypto, envelope: ParsedEnvelope, cipher: ContentCipher, contentKey: Uint8Array, limits: Policy['limits']): Promise<Uint8Array> {
  if (!envelope.encryptedContent) throw new SmimeError('UNSUPPORTED_CONTENT', 'detached encrypted content is not supported');
  const params = envelope.contentEncryptionAlgorithm.algorithmParams;
  if (cipher.mode === 'gcm') {
    const gcm = decodeGcmParameters(params);
    const mac = envelope.mac!;
    if (mac.byteLength !== gcm.icvLength) throw new SmimeError('INTEGRITY_CHECK_FAILED', 'the mac length differs from the GCM ICV length');
    // One buffer holding ciphertext || tag, as WebCrypto wants; the content is copied once.
    const { bytes, length } = octetStringContent(envelope.buffer, envelope.encryptedContent, limits, mac.byteLength);
    bytes.set(mac, length);
    try {
      return await aesGcmDecrypt(crypto, contentKey, gcm.nonce, bytes, envelope.authenticatedAttributesAad ?? new Uint8Array(0), gcm.icvLength);
    } catch (cause) {
      if (cause instanceof SmimeError) throw cause;
      throw new SmimeError('INTEGRITY_CHECK_FAILED', 'the authentication tag does not match: the message was altered or the key is wrong', { cause });
    }
  }
  const { bytes } = octetStringContent(envelope.buffer, envelope.encryptedContent, limits);
  if (cipher.mode === 'cbc') {
    const iv = decodeCbcIv(params, 16);
    try {
      return await aesCbcDecrypt(crypto, contentKey, iv, bytes);
    } catch {
      throw new UniformFailure();
    }
  }
  const iv = decodeCbcIv(params, 8);
  try {
    return await tripleDesCbcDecryptContent(contentKey, iv, bytes);
  } catch {
    throw new UniformFailure();
  }
}

function keyOf(identity: DecryptionIdentity, crypto: Crypto): DecryptionKey | null {
  if (identity.key) return identity.key;
  if (identity.pkcs8) return importDecryptionKey(identity.pkcs8, crypto);
  return null;
}

/**
 * Decrypts a DER/BER ContentInfo holding EnvelopedData or AuthEnvelopedData with the user's identities.
 *
 * Outcomes are values: `report.verdict` is `authenticated` (GCM tag verified), `unauthenticated` (CBC/3DES) or
 * `failed` with a reason (`NO_MATCHING_RECIPIENT`, `KEY_UNAVAILABLE`, `DECRYPTION_FAILED`,
 * `INTEGRITY_CHECK_FAILED`, `UNSUPPORTED_ALGORITHM`); `report.recipients` always lists who it was encrypted to.
 * @throws SmimeError `MALFORMED_CMS`/`MALFORMED_ASN1` for broken structure, `UNSUPPORTED_CONTENT` for content
 * that is not encrypted (CompressedData included, SEC-34), LimitError for limits (SEC-31/32).
 */
export async function decryptEnvelope(der: Uint8Array, options: DecryptOptions): Promise<DecryptResult> {
  const policy = options.policy ?? DEFAULT_POLICY;
  const { crypto } = options;
  const envelope = parseEnvelope(der, policy.limits);
  const { recipients, matches } = matchRecipients(envelope.recipientInfos, indexIdentities(options.identities, policy.limits));
  // RFC 8551 §3.3: S/MIME encrypts a MIME entity (id-data). Anything else (CompressedData, SEC-34) is refused
  // before any key is used, and nothing is decompressed.
  if (envelope.contentType !== OID.data) {
    return failed(envelope, null, recipients, [DECRYPT_REASONS.unsupportedContent, describeOid(envelope.contentType)]);
  }
  const cipher = contentCipherByOid(envelope.contentEncryptionAlgorithm.algorithmId);
  if (!cipher) {
    return failed(envelope, null, recipients, [DECRYPT_REASONS.unsupportedAlgorithm, `content cipher ${describeOid(envelope.contentEncryptionAlgorithm.algorithmId)}`]);
  }
  // SEC-05: GCM outside AuthEnvelopedData (PKI.js's non-standard form) is refused; so is CBC inside it.
  if ((cipher.mode === 'gcm') !== (envelope.kind === 'authEnveloped')) {
    return failed(envelope, cipher, recipients, [DECRYPT_REASONS.unsupportedAlgorithm, `${cipher.name} in ${envelope.kind === 'enveloped' ? 'EnvelopedData' : 'AuthEnvelopedData'}`]);
  }
  if (matches.length === 0) return failed(envelope, cipher, recipients, [DECRYPT_REASONS.noMatchingRecipient]);
  const usable: Array<{ match: RecipientMatch; key: DecryptionKey }> = [];
  for (const match of matches) {
    const key = keyOf(match.index.identity, crypto);
    if (key) usable.push({ match, key });
  }
  if (usable.length === 0) return failed(envelope, cipher, recipients, [DECRYPT_REASONS.keyUnavailable]);

  // Recover a content key from every matching RecipientInfo first. A failed recovery (bad RSA padding, OAEP or
  // key-unwrap failure) or a key of the wrong length (SEC-23e, CVE-2019-1563) is replaced by a random key of the
  // right length and the content is decrypted anyway (RFC 3218 §2.3): the outcome and the work done are then the
  // same as for a key that was recovered but is wrong, so no padding or key-length oracle remains. For GCM every
  // such failure ends as INTEGRITY_CHECK_FAILED, for CBC as DECRYPTION_FAILED.
  let unsupported = false;
  const recovered: Array<{ match: RecipientMatch; contentKey: Uint8Array }> = [];
  const substituted: Array<{ match: RecipientMatch; contentKey: Uint8Array }> = [];
  for (const { match, key } of usable) {
    let contentKey: Uint8Array | null = null;
    try {
      contentKey = await recoverContentKey(crypto, match, key);
    } catch (error) {
      if (error instanceof SmimeError && error.code === 'UNSUPPORTED_ALGORITHM') {
        unsupported = true;
        continue;
      }
      if (!(error instanceof SmimeError && error.code === 'DECRYPTION_FAILED')) throw error;
    }
    if (contentKey && contentKey.byteLength === cipher.keyLength) {
      recovered.push({ match, contentKey });
    } else {
      contentKey?.fill(0);
      substituted.push({ match, contentKey: crypto.getRandomValues(new Uint8Array(cipher.keyLength)) });
    }
  }
  if (recovered.length === 0 && substituted.length === 0) {
    return failed(envelope, cipher, recipients, [unsupported ? DECRYPT_REASONS.unsupportedAlgorithm : DECRYPT_REASONS.decryptionFailed]);
  }
  const attempts = [...recovered, ...substituted];
  try {
    for (const { match, contentKey } of attempts) {
      let plaintext: Uint8Array;
      try {
        plaintext = await decryptContent(crypto, envelope, cipher, contentKey, policy.limits);
      } catch (error) {
        if (error instanceof UniformFailure) continue;
        if (error instanceof SmimeError && (error.code === 'INTEGRITY_CHECK_FAILED' || error.code === 'UNSUPPORTED_ALGORITHM')) {
          if (error.code === 'UNSUPPORTED_ALGORITHM') return failed(envelope, cipher, recipients, [DECRYPT_REASONS.unsupportedAlgorithm]);
          continue;
        }
        throw error;
      }
      const authenticated = cipher.mode === 'gcm';
      return {
        plaintext,
        contentType: envelope.contentType,
        report: {
          verdict: authenticated ? 'authenticated' : 'unauthenticated',
          reasons: authenticated ? [] : [DECRYPT_REASONS.cbcNotAuthenticated],
          contentEncryption: cipher.name,
          recipients,
          decryptedWith: await fingerprint(crypto, match.index.identity.certificate),
        },
      };
    }
  } finally {
    for (const { contentKey } of attempts) contentKey.fill(0);
  }
  return failed(envelope, cipher, recipients, [cipher.mode === 'gcm' ? DECRYPT_REASONS.integrityCheckFailed : DECRYPT_REASONS.decryptionFailed]);
}

/** The message of the uniform decryption failure, for callers that turn the outcome into an error. */
export const DECRYPTION_FAILED_MESSAGE = RSA_DECRYPTION_ERROR_MESSAGE;
