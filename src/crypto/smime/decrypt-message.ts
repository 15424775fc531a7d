/**
 * Decrypts the encryption layer at the root of a message (SEC-03: only the root is processed).
 * Accepts the raw message (RFC 5322 with an application/pkcs7-mime root) or the CMS DER itself.
 */
import { SmimeError } from '../errors.js';
import { DEFAULT_POLICY, type Policy } from '../policy.js';
import { parseMime, type MimeEntity } from '../mime/index.js';
import { decryptEnvelope, type DecryptResult } from '../cms/decrypt.js';
import type { DecryptionIdentity } from '../cms/recipients.js';

/** The user's identities (old ones too), WebCrypto and the policy. */
export interface DecryptMessageOptions {
  identities: readonly DecryptionIdentity[];
  crypto: Crypto;
  policy?: Policy;
}

const ENCRYPTED_TYPES = new Set(['enveloped-data', 'authenveloped-data']);

/** True when a MIME entity is an application/(x-)pkcs7-mime enveloped-data or authEnveloped-data part. */
export function isEncryptedEntity(entity: MimeEntity): boolean {
  const media = entity.contentType.mediaType;
  if (media !== 'application/pkcs7-mime' && media !== 'application/x-pkcs7-mime') return false;
  const smimeType = entity.contentType.params.get('smime-type')?.toLowerCase();
  if (smimeType) return ENCRYPTED_TYPES.has(smimeType);
  // Old clients omit smime-type; the CMS content type decides (checked when parsing).
  return true;
}

/**
 * Decrypts one encryption layer given as a MIME entity (its decoded body is the CMS) or as DER.
 * @throws SmimeError as {@link decryptEnvelope}, `UNSUPPORTED_CONTENT` when the entity is not encrypted data.
 */
export async function decryptLayer(input: MimeEntity | Uint8Array, options: DecryptMessageOptions): Promise<DecryptResult> {
  const der = input instanceof Uint8Array ? input : input.decodedBody();
  return decryptEnvelope(der, options);
}

/**
 * Decrypts a whole message whose root is encrypted (raw RFC 5322 bytes), or a CMS DER/BER object (first byte 0x30).
 * The plaintext is the inner MIME entity; the report says how it was protected and, on failure, who it was
 * encrypted to.
 * @throws SmimeError `UNSUPPORTED_CONTENT` when the root is not encrypted; `MALFORMED_*`, LimitError.
 */
export async function decryptMessage(raw: Uint8Array, options: DecryptMessageOptions): Promise<DecryptResult> {
  const policy = options.policy ?? DEFAULT_POLICY;
  if (raw[0] === 0x30) return decryptEnvelope(raw, { ...options, policy });
  const root = parseMime(raw, policy.limits);
  if (!isEncryptedEntity(root)) throw new SmimeError('UNSUPPORTED_CONTENT', `the message root is ${root.contentType.mediaType}, not encrypted data`);
  return decryptLayer(root, { ...options, policy });
}
