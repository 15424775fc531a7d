/**
 * Builds EnvelopedData (RFC 5652 §6.1, AES-CBC per RFC 3565) and AuthEnvelopedData (RFC 5083, AES-GCM per
 * RFC 5084) around content encrypted with WebCrypto.
 *
 * The large ciphertext is never re-encoded: the DER is returned as a list of pieces (small headers plus views
 * of the one ciphertext buffer), so the caller can base64 it straight into the final MIME buffer
 * (performance.md §6). The content is a single primitive [0] IMPLICIT OCTET STRING, never 1 KiB-split (G7).
 * GCM only ever goes into AuthEnvelopedData (SEC-05/SEC-06).
 */
import * as asn1js from 'asn1js';
import { concatBytes } from '../bytes.js';
import { SmimeError } from '../errors.js';
import { OID } from '../oids.js';
import { derHeader } from './envelope-ber.js';
import { contentCipherByName, encodeGcmParameters, type ContentCipherName, type KeyTransport } from './envelope-algorithms.js';
import { aesCbcEncrypt, aesGcmEncrypt } from './envelope-ciphers.js';
import { buildRecipientInfo } from './recipients.js';

/** WebCrypto's types want ArrayBuffer-backed views; the engine never uses SharedArrayBuffer. */
const bs = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => bytes as Uint8Array<ArrayBuffer>;

/** One recipient of an envelope being built, with its key transport already chosen. */
export interface EnvelopeRecipient {
  /** DER certificate. */
  certificate: Uint8Array;
  transport: KeyTransport;
}

/** DER as pieces in order; `length` is their total. */
export interface DerPieces {
  pieces: Uint8Array[];
  length: number;
  kind: 'enveloped' | 'authEnveloped';
}

/** The GCM tag length we send; RFC 5084 §3.2 allows 12..16, and 16 is what OpenSSL sends and expects. */
const GCM_TAG_LENGTH = 16;

function der(node: asn1js.AsnType): Uint8Array {
  return new Uint8Array(node.toBER());
}

function sortDer(items: Uint8Array[]): Uint8Array[] {
  // DER SET OF: elements in ascending order of their encodings (X.690 §11.6).
  return [...items].sort((a, b) => {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
    return a.length - b.length;
  });
}

/**
 * Encrypts `content` for `recipients` with `cipherName` (AES-CBC → EnvelopedData, AES-GCM → AuthEnvelopedData)
 * and returns the ContentInfo DER as pieces.
 * @throws SmimeError `NO_RECIPIENTS`, `CERTIFICATE_NOT_USABLE`, `UNSUPPORTED_ALGORITHM`.
 */
export async function encryptEnvelopePieces(options: {
  content: Uint8Array;
  recipients: readonly EnvelopeRecipient[];
  cipher: ContentCipherName;
  crypto: Crypto;
  /**
   * AuthEnvelopedData only: DER of the authAttrs as a SET OF Attribute (tag 0x31). They are authenticated as
   * the GCM AAD and sent with the [1] IMPLICIT tag (RFC 5083 §2.1, §2.2).
   */
  authenticatedAttributes?: Uint8Array;
  /** The inner content type (RFC 5652 §6.1 encryptedContentInfo.contentType); id-data, as S/MIME uses, by default. */
  contentType?: string;
}): Promise<DerPieces> {
  const { content, recipients, crypto } = options;
  if (recipients.length === 0) throw new SmimeError('NO_RECIPIENTS', 'no recipients');
  const cipher = contentCipherByName(options.cipher);
  if (cipher.mode === '3des') throw new SmimeError('UNSUPPORTED_ALGORITHM', '3DES is never used for outgoing mail');
  const authAttrs = options.authenticatedAttributes ?? null;
  if (authAttrs && (cipher.mode !== 'gcm' || authAttrs[0] !== 0x31)) {
    throw new SmimeError('UNSUPPORTED_ALGORITHM', 'authenticated attributes need AES-GCM and a DER SET OF');
  }
  const contentKey = crypto.getRandomValues(new Uint8Array(cipher.keyLength));
  let ciphertext: Uint8Array;
  let mac: Uint8Array | null = null;
  let algorithm: asn1js.Sequence;
  if (cipher.mode === 'gcm') {
    const nonce = crypto.getRandomValues(new Uint8Array(12));
    const sealed = await aesGcmEncrypt(crypto, contentKey, nonce, content, authAttrs ?? new Uint8Array(0), GCM_TAG_LENGTH);
    ciphertext = sealed.subarray(0, sealed.length - GCM_TAG_LENGTH);
    mac = sealed.subarray(sealed.length - GCM_TAG_LENGTH);
    algorithm = new asn1js.Sequence({
      value: [new asn1js.ObjectIdentifier({ value: cipher.oid }), encodeGcmParameters({ nonce, icvLength: GCM_TAG_LENGTH })],
    });
  } else {
    const iv = crypto.getRandomValues(new Uint8Array(16));
    ciphertext = await aesCbcEncrypt(crypto, contentKey, iv, content);
    algorithm = new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: cipher.oid }), new asn1js.OctetString({ valueHex: bs(iv) })] });
  }
  const infos = await Promise.all(recipients.map((r) => buildRecipientInfo(crypto, r.certificate, r.transport, contentKey)));
  contentKey.fill(0);

  const kind = cipher.mode === 'gcm' ? 'authEnveloped' : 'enveloped';
  // RFC 5652 §6.1: version 0 when every RecipientInfo is version 0 and there are no optional fields, else 2.
  // RFC 5083 §2.1: AuthEnvelopedData version is always 0.
  const version = kind === 'authEnveloped' ? 0 : infos.every((i) => i.version === 0) ? 0 : 2;
  const versionDer = der(new asn1js.Integer({ value: version }));
  const sortedInfos = sortDer(infos.map((i) => i.der));
  const infosLength = sortedInfos.reduce((n, d) => n + d.length, 0);
  const setHeader = derHeader(0x31, infosLength);
  const dataOid = der(new asn1js.ObjectIdentifier({ value: options.contentType ?? OID.data }));
  const algorithmDer = der(algorithm);
  const contentHeader = derHeader(0x80, ciphertext.length);
  const eciLength = dataOid.length + algorithmDer.length + contentHeader.length + ciphertext.length;
  const eciHeader = derHeader(0x30, eciLength);
  const authAttrsDer = authAttrs ? Uint8Array.of(0xa1, ...authAttrs.subarray(1)) : new Uint8Array(0);
  const macDer = mac ? concatBytes([authAttrsDer, derHeader(0x04, mac.length), mac]) : new Uint8Array(0);
  const bodyLength = versionDer.length + setHeader.length + infosLength + eciHeader.length + eciLength + macDer.length;
  const bodyHeader = derHeader(0x30, bodyLength);
  const explicitHeader = derHeader(0xa0, bodyHeader.length + bodyLength);
  const typeOid = der(new asn1js.ObjectIdentifier({ value: kind === 'authEnveloped' ? OID.authEnvelopedData : OID.envelopedData }));
  const rootLength = typeOid.length + explicitHeader.length + bodyHeader.length + bodyLength;
  const rootHeader = derHeader(0x30, rootLength);
  const head = concatBytes([rootHeader, typeOid, explicitHeader, bodyHeader, versionDer, setHeader, ...sortedInfos, eciHeader, dataOid, algorithmDer, contentHeader]);
  const pieces = macDer.length > 0 ? [head, ciphertext, macDer] : [head, ciphertext];
  return { pieces, length: rootHeader.length + rootLength, kind };
}

/** The same as {@link encryptEnvelopePieces}, as one DER buffer. */
export async function encryptEnvelope(options: Parameters<typeof encryptEnvelopePieces>[0]): Promise<{ der: Uint8Array; kind: DerPieces['kind'] }> {
  const { pieces, kind } = await encryptEnvelopePieces(options);
  return { der: concatBytes(pieces), kind };
}
