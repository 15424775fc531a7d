/**
 * openMessage: the one call that opens a received message (SEC-03). It strips Thunderbird's X-Mozilla-*
 * prefix, looks for the cryptographic envelope at the MIME root only, decrypts at most one layer through
 * the `decryptLayer` extension point, verifies the signature layers, and returns one MessageReport with
 * the decoded text of the innermost content.
 */
import { isSmimeError, LimitError } from '../errors.js';
import { parseMime, type MimeEntity } from '../mime/parse.js';
import type { EncryptionReport, MessageReport, SignatureReport } from '../types.js';
import type { DecryptionIdentity } from '../cms/recipients.js';
import { decryptLayer } from './decrypt-message.js';
import { stripMozillaHeaders } from './mozilla-headers.js';
import { readProtectedAddressees } from './protected-headers.js';
import { emptyReport, signatureLayerForm, verifyEntitySignature, type VerifyMessageOptions } from './verify-message.js';

/** What the encryption layer gives back for one enveloped entity. */
export interface DecryptLayerResult {
  report: EncryptionReport;
  /** The decrypted MIME entity; null unless the report's verdict is 'authenticated' or 'unauthenticated'. */
  plaintext: Uint8Array | null;
}

/**
 * Decrypts one application/pkcs7-mime enveloped-data/authEnveloped-data entity. Supplied by the
 * encryption layer (src/crypto/cms/decrypt*.ts); openMessage calls it at most once, at the root.
 */
export type DecryptLayer = (entity: MimeEntity, context: { crypto: Crypto; policy: VerifyMessageOptions['policy'] }) => Promise<DecryptLayerResult>;

export interface OpenMessageOptions extends VerifyMessageOptions {
  /** The user's decryption identities, for the default encryption layer. */
  identities?: readonly DecryptionIdentity[];
  /**
   * The encryption layer. Defaults to the engine's decryptLayer with `identities`; without either, an
   * encrypted message is reported as not decrypted.
   */
  decryptLayer?: DecryptLayer;
}

function defaultDecryptLayer(identities: readonly DecryptionIdentity[]): DecryptLayer {
  return async (entity, { crypto, policy }) => {
    try {
      const result = await decryptLayer(entity, { identities, crypto, policy });
      return { report: result.report, plaintext: result.plaintext };
    } catch (error) {
      if (!isSmimeError(error)) throw error;
      return { report: { ...noEncryption([error.code]), verdict: 'failed' }, plaintext: null };
    }
  };
}

const PKCS7_MIME = new Set(['application/pkcs7-mime', 'application/x-pkcs7-mime']);
const ENCRYPTED_TYPES = new Set(['enveloped-data', 'authenveloped-data']);

/** Is this entity an encrypted layer (RFC 8551 §3.3, RFC 5083)? */
export function isEncryptedLayer(entity: MimeEntity): boolean {
  if (!PKCS7_MIME.has(entity.contentType.mediaType)) return false;
  const smimeType = entity.contentType.params.get('smime-type')?.toLowerCase();
  if (smimeType !== undefined) return ENCRYPTED_TYPES.has(smimeType);
  return signatureLayerForm(entity) === null;
}

function noEncryption(reasons: string[] = []): EncryptionReport {
  return { verdict: 'none', reasons, contentEncryption: null, recipients: [], decryptedWith: null };
}

/**
 * Opens a raw message. Never throws for malformed, tampered or unsupported input: the report says so.
 * The verdicts are produced here and never taken from message content (security.md §0.1).
 */
export async function openMessage(raw: Uint8Array, options: OpenMessageOptions): Promise<MessageReport> {
  let root: MimeEntity;
  try {
    root = parseMime(stripMozillaHeaders(raw), options.policy.limits);
  } catch (error) {
    if (!isSmimeError(error)) throw error;
    const reason = error instanceof LimitError ? 'LIMIT_EXCEEDED' : 'MALFORMED';
    return { signature: emptyReport([reason], error.message), encryption: noEncryption([reason]), text: null, content: null, protectedAddressees: null };
  }

  let encryption = noEncryption();
  let signedRoot: MimeEntity = root;
  if (isEncryptedLayer(root)) {
    const layer = options.decryptLayer ?? (options.identities ? defaultDecryptLayer(options.identities) : undefined);
    if (!layer) {
      encryption = { ...noEncryption(['NOT_DECRYPTED']), verdict: 'failed' };
      return { signature: emptyReport(['NOT_SIGNED'], 'the message is encrypted and was not decrypted'), encryption, text: null, content: null, protectedAddressees: null };
    }
    const decrypted = await layer(root, { crypto: options.crypto, policy: options.policy });
    encryption = decrypted.report;
    if (decrypted.plaintext === null) {
      return { signature: emptyReport(['NOT_SIGNED'], 'the message could not be decrypted'), encryption, text: null, content: null, protectedAddressees: null };
    }
    try {
      signedRoot = parseMime(decrypted.plaintext, options.policy.limits);
    } catch (error) {
      if (!isSmimeError(error)) throw error;
      const reason = error instanceof LimitError ? 'LIMIT_EXCEEDED' : 'MALFORMED';
      return { signature: emptyReport([reason], `decrypted content: ${error.message}`), encryption, text: null, content: null, protectedAddressees: null };
    }
  }

  // Signature layers at the root of the (decrypted) payload; the signer is bound to the outer From.
  const verified = await verifyEntitySignature(signedRoot, root, options);
  let signature: SignatureReport = verified.report;
  let content = verified.content;

  const transportLayer = encryption.verdict === 'none' && content && content !== signedRoot && isEncryptedLayer(content) ? content : null;
  const innerLayer = transportLayer ? (options.decryptLayer ?? (options.identities ? defaultDecryptLayer(options.identities) : undefined)) : undefined;
  if (transportLayer && innerLayer) {
    // Encrypted, then signed (and triple wrapping, RFC 2634 §1.1): the encryption directly under the root
    // signature is still part of the cryptographic envelope, so it is decrypted (the only decryption, SEC-03).
    // The outer signature only covers ciphertext and is ignored, as Thunderbird does (SEC-16, bug 1806161);
    // the signature inside, if any, is the message's.
    const decrypted = await innerLayer(transportLayer, { crypto: options.crypto, policy: options.policy });
    encryption = decrypted.report;
    if (decrypted.plaintext === null) {
      return { signature: emptyReport(['NOT_SIGNED'], 'the message could not be decrypted'), encryption, text: null, content: null, protectedAddressees: null };
    }
    let innerRoot: MimeEntity;
    try {
      innerRoot = parseMime(decrypted.plaintext, options.policy.limits);
    } catch (error) {
      if (!isSmimeError(error)) throw error;
      const reason = error instanceof LimitError ? 'LIMIT_EXCEEDED' : 'MALFORMED';
      return { signature: emptyReport([reason], `decrypted content: ${error.message}`), encryption, text: null, content: null, protectedAddressees: null };
    }
    signedRoot = innerRoot;
    const inner = await verifyEntitySignature(innerRoot, root, options);
    signature = inner.report;
    content = inner.content;
  }

  if (encryption.verdict === 'unauthenticated' && signature.verdict === 'valid') {
    // §0.1: CBC content is integrity-protected by a valid inner signature over the whole payload (SEC-04).
    encryption = { ...encryption, verdict: 'authenticated', reasons: encryption.reasons.filter((r) => r !== 'CBC_NOT_AUTHENTICATED') };
  }
  if (content && isEncryptedLayer(content) && content !== signedRoot) {
    // SEC-03/SEC-16: only one level of decryption, and an outer signature around encryption is not the
    // message's signature; the inner encrypted part is an attachment.
    signature = { ...emptyReport(['NOT_SIGNED'], 'the signature covers an encrypted part that is not decrypted automatically') };
  }
  // SEC-22: the addressees the signer wrote to count only when the signature covers the whole message.
  const protectedAddressees = content && signature.coversWholeMessage && content !== signedRoot ? readProtectedAddressees(content, options.policy) : null;
  return { signature, encryption, text: content ? displayText(content) : null, content: content?.raw ?? null, protectedAddressees };
}

/**
 * The decoded text/plain of the content: the entity itself, or the first inline text/plain part of a
 * multipart (alternative, mixed, related). Signature and encryption layers below are not entered.
 */
export function displayText(entity: MimeEntity): string | null {
  if (entity.contentType.mediaType === 'text/plain' && entity.contentDisposition?.type !== 'attachment') return entity.text();
  if (!entity.isMultipart || entity.contentType.subtype === 'signed') return null;
  for (const child of entity.children) {
    const text = displayText(child);
    if (text !== null) return text;
  }
  return null;
}
