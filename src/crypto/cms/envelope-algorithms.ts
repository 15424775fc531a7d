/**
 * Algorithms of EnvelopedData and AuthEnvelopedData: content ciphers (RFC 3565 AES-CBC, RFC 5084 AES-GCM,
 * RFC 3370 §5.1 3DES), their parameters, RSAES-OAEP-params (RFC 4055 §4.1), and the choice of outgoing algorithms
 * from the recipients' SMIMECapabilities (RFC 8551 §2.7.1, SEC-06).
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { SmimeError } from '../errors.js';
import { OID, describeOid } from '../oids.js';
import { parseCertificateDer } from './recipients-certificate.js';

/** Content ciphers the engine knows, by the names used in reports. */
export type ContentCipherName = 'AES-128-CBC' | 'AES-192-CBC' | 'AES-256-CBC' | 'AES-128-GCM' | 'AES-192-GCM' | 'AES-256-GCM' | '3DES-CBC';

/** A content cipher: OID, mode and key length. */
export interface ContentCipher {
  name: ContentCipherName;
  oid: string;
  mode: 'cbc' | 'gcm' | '3des';
  /** Key length in bytes; the unwrapped content key must have exactly this length (SEC-23e). */
  keyLength: number;
}

const CONTENT_CIPHERS: readonly ContentCipher[] = [
  { name: 'AES-128-CBC', oid: OID.aes128Cbc, mode: 'cbc', keyLength: 16 },
  { name: 'AES-192-CBC', oid: OID.aes192Cbc, mode: 'cbc', keyLength: 24 },
  { name: 'AES-256-CBC', oid: OID.aes256Cbc, mode: 'cbc', keyLength: 32 },
  { name: 'AES-128-GCM', oid: OID.aes128Gcm, mode: 'gcm', keyLength: 16 },
  { name: 'AES-192-GCM', oid: OID.aes192Gcm, mode: 'gcm', keyLength: 24 },
  { name: 'AES-256-GCM', oid: OID.aes256Gcm, mode: 'gcm', keyLength: 32 },
  { name: '3DES-CBC', oid: OID.desEde3Cbc, mode: '3des', keyLength: 24 },
];

/** The content cipher for an OID, or null when the engine does not support it. */
export function contentCipherByOid(oid: string): ContentCipher | null {
  return CONTENT_CIPHERS.find((cipher) => cipher.oid === oid) ?? null;
}

/**
 * The content cipher with this name.
 * @throws SmimeError `UNSUPPORTED_ALGORITHM` for an unknown name.
 */
export function contentCipherByName(name: ContentCipherName): ContentCipher {
  const cipher = CONTENT_CIPHERS.find((c) => c.name === name);
  if (!cipher) throw new SmimeError('UNSUPPORTED_ALGORITHM', `unknown content cipher ${name}`);
  return cipher;
}

/**
 * RFC 5084 §3.2:
 * ```
 * GCMParameters ::= SEQUENCE {
 *   aes-nonce        OCTET STRING, -- recommended size is 12 octets
 *   aes-ICVlen       AES-GCM-ICVlen DEFAULT 12 }
 * AES-GCM-ICVlen ::= INTEGER (12 | 13 | 14 | 15 | 16)
 * ```
 */
export interface GcmParameters {
  nonce: Uint8Array;
  icvLength: number;
}

/** DER-ready GCMParameters (RFC 5084 §3.2); aes-ICVlen is left out when it equals the default 12. */
export function encodeGcmParameters(params: GcmParameters): asn1js.Sequence {
  const value: asn1js.AsnType[] = [new asn1js.OctetString({ valueHex: params.nonce })];
  // DER: a value equal to the DEFAULT is omitted (X.690 §11.5).
  if (params.icvLength !== 12) value.push(new asn1js.Integer({ value: params.icvLength }));
  return new asn1js.Sequence({ value });
}

/**
 * Reads GCMParameters (RFC 5084 §3.2).
 * @throws SmimeError `MALFORMED_CMS` for a bad structure, an empty nonce or an ICV length outside 12..16.
 */
export function decodeGcmParameters(params: unknown): GcmParameters {
  if (!(params instanceof asn1js.Sequence)) throw new SmimeError('MALFORMED_CMS', 'GCMParameters is not a SEQUENCE');
  const items = params.valueBlock.value;
  const nonce = items[0];
  if (!(nonce instanceof asn1js.OctetString) || items.length > 2) throw new SmimeError('MALFORMED_CMS', 'bad GCMParameters');
  let icvLength = 12;
  if (items.length === 2) {
    const icv = items[1];
    if (!(icv instanceof asn1js.Integer)) throw new SmimeError('MALFORMED_CMS', 'bad GCMParameters aes-ICVlen');
    icvLength = icv.valueBlock.valueDec;
  }
  if (icvLength < 12 || icvLength > 16) throw new SmimeError('MALFORMED_CMS', `GCM ICV length ${icvLength} is outside 12..16 (RFC 5084 §3.2)`);
  const nonceBytes = nonce.valueBlock.valueHexView;
  if (nonceBytes.byteLength === 0) throw new SmimeError('MALFORMED_CMS', 'empty GCM nonce');
  return { nonce: nonceBytes, icvLength };
}

/** The IV of a CBC content cipher: the parameters are an OCTET STRING (RFC 3565 §4.1, RFC 3370 §5.1). */
export function decodeCbcIv(params: unknown, blockSize: number): Uint8Array {
  if (!(params instanceof asn1js.OctetString) || params.valueBlock.valueHexView.byteLength !== blockSize) {
    throw new SmimeError('MALFORMED_CMS', `CBC parameters must be a ${blockSize}-byte IV`);
  }
  return params.valueBlock.valueHexView;
}

/** Hashes accepted for RSAES-OAEP (WebCrypto names). */
export type OaepHash = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

const HASH_BY_OID: Record<string, OaepHash> = {
  [OID.sha1]: 'SHA-1',
  [OID.sha256]: 'SHA-256',
  [OID.sha384]: 'SHA-384',
  [OID.sha512]: 'SHA-512',
};

const OID_BY_HASH: Record<OaepHash, string> = {
  'SHA-1': OID.sha1,
  'SHA-256': OID.sha256,
  'SHA-384': OID.sha384,
  'SHA-512': OID.sha512,
};

/** Decoded RSAES-OAEP-params: the hash (also the MGF1 hash; WebCrypto cannot mix them) and the label. */
export interface OaepParameters {
  hash: OaepHash;
  label: Uint8Array;
}

function hashOfAlgorithm(algorithm: pkijs.AlgorithmIdentifier): OaepHash {
  const hash = HASH_BY_OID[algorithm.algorithmId];
  if (!hash) throw new SmimeError('UNSUPPORTED_ALGORITHM', `OAEP hash ${describeOid(algorithm.algorithmId)} is not supported`);
  return hash;
}

/**
 * RFC 4055 §4.1:
 * ```
 * RSAES-OAEP-params ::= SEQUENCE {
 *   hashFunc    [0] AlgorithmIdentifier DEFAULT sha1Identifier,
 *   maskGenFunc [1] AlgorithmIdentifier DEFAULT mgf1SHA1Identifier,
 *   pSourceFunc [2] AlgorithmIdentifier DEFAULT pSpecifiedEmptyIdentifier }
 * ```
 * @throws SmimeError `UNSUPPORTED_ALGORITHM` when the MGF is not MGF1 with the same hash.
 */
export function decodeOaepParameters(params: unknown): OaepParameters {
  if (params === undefined || params instanceof asn1js.Null) return { hash: 'SHA-1', label: new Uint8Array(0) };
  if (!(params instanceof asn1js.Sequence)) throw new SmimeError('MALFORMED_CMS', 'RSAES-OAEP-params is not a SEQUENCE');
  let hash: OaepHash = 'SHA-1';
  let mgfHash: OaepHash = 'SHA-1';
  let label: Uint8Array = new Uint8Array(0);
  for (const item of params.valueBlock.value) {
    const tag = item.idBlock.tagNumber;
    if (item.idBlock.tagClass !== 3 || !(item instanceof asn1js.Constructed) || item.valueBlock.value.length !== 1) {
      throw new SmimeError('MALFORMED_CMS', 'bad RSAES-OAEP-params');
    }
    const algorithm = new pkijs.AlgorithmIdentifier({ schema: item.valueBlock.value[0] });
    if (tag === 0) {
      hash = hashOfAlgorithm(algorithm);
    } else if (tag === 1) {
      if (algorithm.algorithmId !== OID.mgf1) throw new SmimeError('UNSUPPORTED_ALGORITHM', 'OAEP mask generation other than MGF1');
      mgfHash = hashOfAlgorithm(new pkijs.AlgorithmIdentifier({ schema: algorithm.algorithmParams }));
    } else if (tag === 2) {
      if (algorithm.algorithmId !== OID.pSpecified || !(algorithm.algorithmParams instanceof asn1js.OctetString)) {
        throw new SmimeError('UNSUPPORTED_ALGORITHM', 'OAEP pSourceFunc other than pSpecified');
      }
      label = algorithm.algorithmParams.valueBlock.valueHexView;
    } else {
      throw new SmimeError('MALFORMED_CMS', 'bad RSAES-OAEP-params tag');
    }
  }
  if (hash !== mgfHash) throw new SmimeError('UNSUPPORTED_ALGORITHM', 'OAEP with different hash and MGF1 hash');
  return { hash, label };
}

/** RSAES-OAEP-params for `hash` with MGF1 of the same hash and no label (pSourceFunc absent, RFC 4055 §4.1). */
export function encodeOaepParameters(hash: OaepHash): asn1js.Sequence {
  const hashAlgorithm = () => new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: OID_BY_HASH[hash] }), new asn1js.Null()] });
  if (hash === 'SHA-1') return new asn1js.Sequence({ value: [] });
  return new asn1js.Sequence({
    value: [
      new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [hashAlgorithm()] }),
      new asn1js.Constructed({
        idBlock: { tagClass: 3, tagNumber: 1 },
        value: [new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: OID.mgf1 }), hashAlgorithm()] })],
      }),
    ],
  });
}

/**
 * How the content key reaches one recipient. The automatic choice uses `rsa-oaep-sha256`, `rsa-pkcs1-v1_5` or
 * `ecdh`; `rsa-oaep-sha1` (RFC 3560 defaults) exists for peers that cannot do OAEP with SHA-256.
 */
export type KeyTransport = 'rsa-oaep-sha256' | 'rsa-oaep-sha1' | 'rsa-pkcs1-v1_5' | 'ecdh';

/** A recipient of outgoing mail: certificate and, when known, its advertised capabilities. */
export interface EncryptionRecipient {
  /** DER certificate. */
  certificate: Uint8Array;
  /** OIDs from the recipient's harvested SMIMECapabilities (RFC 8551 §2.5.2); absent when unknown. */
  capabilities?: readonly string[];
}

/** The outgoing algorithms chosen by {@link chooseEncryptionAlgorithms}. */
export interface EncryptionChoice {
  content: ContentCipherName;
  /** One per recipient, in the order given. */
  keyTransport: KeyTransport[];
}


/**
 * Chooses outgoing algorithms (SEC-06, RFC 8551 §2.7.1): AES-256-GCM in AuthEnvelopedData only when every
 * recipient advertises id-aes256-GCM, else AES-256-CBC; per RSA recipient RSAES-OAEP with SHA-256 when it
 * advertises id-RSAES-OAEP, else RSAES-PKCS1-v1_5; EC recipients get ECDH key agreement (RFC 5753).
 * GCM is never placed inside EnvelopedData.
 * @throws SmimeError `NO_RECIPIENTS` for an empty list, `CERTIFICATE_NOT_USABLE` for other key types.
 */
export function chooseEncryptionAlgorithms(recipients: readonly EncryptionRecipient[]): EncryptionChoice {
  if (recipients.length === 0) throw new SmimeError('NO_RECIPIENTS', 'no recipients');
  const allGcm = recipients.every((r) => r.capabilities?.includes(OID.aes256Gcm) ?? false);
  const keyTransport = recipients.map((r): KeyTransport => {
    const algorithm = parseCertificateDer(r.certificate).subjectPublicKeyInfo.algorithm.algorithmId;
    if (algorithm === OID.rsaEncryption) return r.capabilities?.includes(OID.rsaesOaep) ? 'rsa-oaep-sha256' : 'rsa-pkcs1-v1_5';
    if (algorithm === OID.ecPublicKey) return 'ecdh';
    throw new SmimeError('CERTIFICATE_NOT_USABLE', `cannot encrypt to a ${describeOid(algorithm)} key`);
  });
  return { content: allGcm ? 'AES-256-GCM' : 'AES-256-CBC', keyTransport };
}
