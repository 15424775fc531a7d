/**
 * Encrypts a whole MIME entity into an `application/pkcs7-mime` entity (RFC 8551 §3.3, §3.4).
 *
 * Security notes: the sender's own certificate is always a recipient so the Sent copy stays readable (SEC-06);
 * GCM is only used in AuthEnvelopedData and only when every recipient advertises it (SEC-06); the output holds
 * nothing but the encrypted entity, so no plaintext can leak next to it (SEC-07). Sign before encrypting
 * (the signed entity is the `entity` here) so the receiver can detect CBC tampering (SEC-04).
 */
import { bytesEqual } from '../bytes.js';
import { SmimeError } from '../errors.js';
import { chooseEncryptionAlgorithms, type ContentCipherName, type EncryptionRecipient, type KeyTransport } from '../cms/envelope-algorithms.js';
import { encryptEnvelopePieces } from '../cms/envelope-build.js';
import { base64PiecesLength, writeBase64Pieces } from '../cms/envelope-output.js';

/** Overrides of the capability-based algorithm choice. */
export interface EncryptEntityOptions {
  /** Force a content cipher instead of the capability-based choice (command line, tests). */
  cipher?: 'AES-128-CBC' | 'AES-256-CBC' | 'AES-128-GCM' | 'AES-256-GCM';
  /** Force the key transport of RSA recipients: OAEP with SHA-256 (`oaep`), OAEP with SHA-1, or PKCS#1 v1.5. */
  keyTransport?: 'oaep' | 'oaep-sha1' | 'pkcs1';
}

/** Inputs of {@link encryptEntity}. */
export interface EncryptEntityInput {
  /** The complete MIME entity to protect (headers and body), usually a signed entity. */
  entity: Uint8Array;
  recipients: readonly EncryptionRecipient[];
  /** The sender's own encryption certificate; always added as a recipient. */
  self: EncryptionRecipient;
  crypto: Crypto;
  options?: EncryptEntityOptions;
}

/** The encrypted entity and the algorithms used. */
export interface EncryptEntityResult {
  /** The application/pkcs7-mime entity: headers, blank line, base64 body (76 columns, CRLF). */
  entity: Uint8Array;
  smimeType: 'enveloped-data' | 'authEnveloped-data';
  contentEncryption: ContentCipherName;
  keyTransport: KeyTransport[];
}

function headerFor(smimeType: EncryptEntityResult['smimeType']): Uint8Array {
  const text =
    // Folded (RFC 5322 §2.2.3) to keep header lines under 78 characters.
    `Content-Type: application/pkcs7-mime; smime-type=${smimeType};\r\n name="smime.p7m"\r\n` +
    'Content-Transfer-Encoding: base64\r\n' +
    'Content-Disposition: attachment; filename="smime.p7m"\r\n' +
    'Content-Description: S/MIME Encrypted Message\r\n' +
    '\r\n';
  return new TextEncoder().encode(text);
}

/**
 * Encrypts `entity` for the recipients and the sender.
 * @throws SmimeError `NO_RECIPIENTS`, `CERTIFICATE_NOT_USABLE` (a key type or size that cannot be used),
 * `MALFORMED_CERTIFICATE`.
 */
export async function encryptEntity(input: EncryptEntityInput): Promise<EncryptEntityResult> {
  const all: EncryptionRecipient[] = [...input.recipients];
  if (!all.some((r) => bytesEqual(r.certificate, input.self.certificate))) all.push(input.self);
  if (all.length === 0) throw new SmimeError('NO_RECIPIENTS', 'no recipients');
  const choice = chooseEncryptionAlgorithms(all);
  const options = input.options ?? {};
  const content = options.cipher ?? choice.content;
  const keyTransport = choice.keyTransport.map((t): KeyTransport => {
    if (t === 'ecdh' || !options.keyTransport) return t;
    return options.keyTransport === 'oaep' ? 'rsa-oaep-sha256' : options.keyTransport === 'oaep-sha1' ? 'rsa-oaep-sha1' : 'rsa-pkcs1-v1_5';
  });
  const der = await encryptEnvelopePieces({
    content: input.entity,
    recipients: all.map((r, i) => ({ certificate: r.certificate, transport: keyTransport[i]! })),
    cipher: content,
    crypto: input.crypto,
  });
  const smimeType = der.kind === 'authEnveloped' ? 'authEnveloped-data' : 'enveloped-data';
  const header = headerFor(smimeType);
  const out = new Uint8Array(header.length + base64PiecesLength(der.length) + 2);
  out.set(header);
  let o = writeBase64Pieces(der.pieces, out, header.length);
  out[o++] = 13;
  out[o++] = 10;
  return { entity: out.subarray(0, o), smimeType, contentEncryption: content, keyTransport };
}
