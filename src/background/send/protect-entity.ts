/**
 * Turns the MIME entity Thunderbird built into what is sent (issue #6 item 4):
 * - sign: multipart/signed with a detached signature (RFC 8551 §3.5.3);
 * - encrypt: application/pkcs7-mime to every recipient plus the sender (RFC 8551 §3.3, SEC-06);
 * - both: signed first, then the multipart/signed is encrypted, so the receiver can detect
 *   tampering with CBC ciphertext (SEC-04, RFC 8551 §3.6).
 * Only fast engine work happens here: it runs while Thunderbird's send waits in a nested event loop.
 */
import { encryptEntity, signEntity, type EncryptionRecipient, type Policy, type SigningIdentity } from '../../crypto/index.js';

export interface ProtectChoice {
  sign: boolean;
  encrypt: boolean;
  /** The content cipher the organisation's policy requires (#9, plan.ts); absent = chosen from capabilities (SEC-06). */
  contentEncryption?: 'AES-128-CBC' | 'AES-256-CBC' | 'AES-128-GCM' | 'AES-256-GCM';
}

export interface ProtectMaterial {
  /** Needed when signing. */
  signer: SigningIdentity | null;
  /** Our encryption certificate: announced in the signature (RFC 8551 §2.5.3) and always a recipient. */
  self: EncryptionRecipient | null;
  /** Every To/Cc recipient's certificate (Bcc is refused with encryption, see plan.ts). */
  recipients: readonly EncryptionRecipient[];
}

export interface ProtectOptions {
  crypto: Crypto;
  policy: Policy;
  /** signing-time attribute; the caller passes the clock's time, the engine never reads it. */
  signingTime: Date;
}

/**
 * Returns the replacement entity. Nothing of `entity` is returned unprotected: with `encrypt` the
 * result is a single application/pkcs7-mime entity (SEC-07).
 * @throws SmimeError from the engine (MALFORMED_MIME, KEY_MISMATCH, CERTIFICATE_NOT_USABLE, NO_RECIPIENTS, …)
 *   and `INTERNAL_ERROR` when the material for the choice is missing.
 */
export async function protectEntity(entity: Uint8Array, choice: ProtectChoice, material: ProtectMaterial, options: ProtectOptions): Promise<Uint8Array> {
  let out = entity;
  if (choice.sign) {
    if (!material.signer) throw new Error('signing was chosen but no signer was provided');
    out = await signEntity({
      entity: out,
      signer: material.signer,
      crypto: options.crypto,
      policy: options.policy,
      form: 'detached',
      signingTime: options.signingTime,
      encryptionKeyPreference: material.self?.certificate ?? null,
    });
  }
  if (choice.encrypt) {
    if (!material.self) throw new Error('encryption was chosen but the sender has no encryption certificate');
    const result = await encryptEntity({
      entity: out,
      recipients: material.recipients,
      self: material.self,
      crypto: options.crypto,
      ...(choice.contentEncryption ? { options: { cipher: choice.contentEncryption } } : {}),
    });
    out = result.entity;
  }
  return out;
}

/** The experiment passes MIME as a binary string (one char per byte, as nsIMsgComposeSecure writes it). */
export function binaryStringToBytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
  return bytes;
}

export function bytesToBinaryString(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return text;
}
