/**
 * RecipientInfos (RFC 5652 §6.2): building them for outgoing mail and recovering the content key from the
 * one that matches the user's certificate.
 *
 * Supported: KeyTransRecipientInfo with rsaEncryption (RSAES-PKCS1-v1_5, RFC 8017 §7.2) and id-RSAES-OAEP
 * (RFC 3560, RFC 8017 §7.1); KeyAgreeRecipientInfo with ephemeral-static ECDH on P-256/P-384/P-521
 * (RFC 5753 §3.1, dhSinglePass-stdDH-shaNkdf) and X25519 (RFC 8418, X9.63 or HKDF), with AES key wrap (RFC 3394).
 *
 * Only RecipientInfos that name one of the user's certificates are tried (SEC-23d), and every failure after
 * a match becomes the same `DECRYPTION_FAILED` error (SEC-23a).
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { bytesEqual, toHex } from '../bytes.js';
import { SmimeError } from '../errors.js';
import { OID, describeOid } from '../oids.js';
import { DEFAULT_LIMITS, type ParserLimits } from '../policy.js';
import { parseBer } from '../asn1.js';
import type { RecipientIdentifier } from '../types.js';
import { hkdf, x963Kdf } from '../kdf/key-agreement-kdf.js';
import { importRsaDecryptionKey, rsaDecryptionError, type RsaPrivateKeyMaterial } from '../rsa/rsa-private-key.js';
import { rsaPkcs1v15Encrypt, rsaPublicKeyFromSpki } from '../rsa/rsa-public-key.js';
import { decodeOaepParameters, encodeOaepParameters, type KeyTransport, type OaepHash } from './envelope-algorithms.js';
import { aesKeyUnwrap, aesKeyWrap } from './envelope-ciphers.js';
import { describeName, parseCertificateDer, serialHex, subjectKeyIdentifierOf } from './recipients-certificate.js';

/** WebCrypto's types want ArrayBuffer-backed views; the engine never uses SharedArrayBuffer. */
const bs = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => bytes as Uint8Array<ArrayBuffer>;

/**
 * A private key ready for decryption. Created by {@link importDecryptionKey} from PKCS#8; the key bytes stay in
 * a closure, and each WebCrypto form (OAEP per hash, ECDH, X25519) is imported once, non-extractable, on first use.
 */
export interface DecryptionKey {
  readonly kind: 'decryption-key';
  readonly algorithm: 'RSA' | 'EC' | 'X25519';
  /** The named curve of an EC key (`P-256`, `P-384`, `P-521`). */
  readonly namedCurve: string | null;
  rsaPkcs1v15(): Promise<RsaPrivateKeyMaterial>;
  rsaOaep(hash: OaepHash): Promise<CryptoKey>;
  keyAgreement(): Promise<CryptoKey>;
}

/**
 * One of the user's identities for decryption: a certificate and its private key. Old certificates belong here
 * too, so old mail still opens and "cannot decrypt" reports can say which key was needed.
 * Give `key` (from {@link importDecryptionKey}, what the key store does after unlocking) or `pkcs8` (DER).
 * With neither, the identity still takes part in matching, and a match is reported as `KEY_UNAVAILABLE`.
 */
export interface DecryptionIdentity {
  /** DER certificate. */
  certificate: Uint8Array;
  pkcs8?: Uint8Array;
  key?: DecryptionKey;
}

const CURVE_BY_OID: Record<string, string> = {
  [OID.secp256r1]: 'P-256',
  [OID.secp384r1]: 'P-384',
  [OID.secp521r1]: 'P-521',
};

const CURVE_BITS: Record<string, number> = { 'P-256': 256, 'P-384': 384, 'P-521': 528 };

/**
 * Prepares a PKCS#8 private key (RSA, EC on P-256/384/521, or X25519) for decryption.
 * @throws SmimeError `MALFORMED_ASN1` for bytes that are not PKCS#8, `UNSUPPORTED_ALGORITHM` for other key types.
 */
export function importDecryptionKey(pkcs8: Uint8Array, crypto: Crypto): DecryptionKey {
  const der = pkcs8.slice();
  let info: pkijs.PrivateKeyInfo;
  try {
    info = new pkijs.PrivateKeyInfo({ schema: parseBer(der, DEFAULT_LIMITS, 'PKCS#8 private key') });
  } catch (cause) {
    if (cause instanceof SmimeError) throw cause;
    throw new SmimeError('MALFORMED_ASN1', 'not a PKCS#8 PrivateKeyInfo', { cause });
  }
  const algorithmId = info.privateKeyAlgorithm.algorithmId;
  let algorithm: DecryptionKey['algorithm'];
  let namedCurve: string | null = null;
  if (algorithmId === OID.rsaEncryption) {
    algorithm = 'RSA';
  } else if (algorithmId === OID.ecPublicKey) {
    algorithm = 'EC';
    const params = info.privateKeyAlgorithm.algorithmParams;
    namedCurve = params instanceof asn1js.ObjectIdentifier ? (CURVE_BY_OID[params.valueBlock.toString()] ?? null) : null;
    if (!namedCurve) throw new SmimeError('UNSUPPORTED_ALGORITHM', 'EC private key on an unsupported curve');
  } else if (algorithmId === OID.x25519) {
    algorithm = 'X25519';
  } else {
    throw new SmimeError('UNSUPPORTED_ALGORITHM', `private key type ${describeOid(algorithmId)} cannot decrypt`);
  }
  let pkcs1: Promise<RsaPrivateKeyMaterial> | null = null;
  const oaep = new Map<OaepHash, Promise<CryptoKey>>();
  let agreement: Promise<CryptoKey> | null = null;
  const wrongType = () => new SmimeError('KEY_MISMATCH', 'the private key does not fit this recipient');
  return Object.freeze({
    kind: 'decryption-key' as const,
    algorithm,
    namedCurve,
    rsaPkcs1v15() {
      if (algorithm !== 'RSA') return Promise.reject(wrongType());
      pkcs1 ??= importRsaDecryptionKey(der, crypto);
      return pkcs1;
    },
    rsaOaep(hash: OaepHash) {
      if (algorithm !== 'RSA') return Promise.reject(wrongType());
      let key = oaep.get(hash);
      if (!key) {
        key = crypto.subtle.importKey('pkcs8', bs(der), { name: 'RSA-OAEP', hash }, false, ['decrypt']);
        oaep.set(hash, key);
      }
      return key;
    },
    keyAgreement() {
      if (algorithm === 'RSA') return Promise.reject(wrongType());
      agreement ??= crypto.subtle.importKey(
        'pkcs8',
        bs(der),
        algorithm === 'EC' ? { name: 'ECDH', namedCurve: namedCurve! } : { name: 'X25519' },
        false,
        ['deriveBits'],
      );
      return agreement;
    },
  });
}

/** A user's certificate with the identifiers a RecipientInfo may use. */
export interface IdentityIndex {
  identity: DecryptionIdentity;
  certificate: pkijs.Certificate;
  issuerDer: Uint8Array;
  serial: Uint8Array;
  subjectKeyIdentifier: Uint8Array | null;
}

/**
 * Parsed identifiers per certificate buffer: the same identities are passed for every message, and parsing a
 * certificate costs more than decrypting a typical message (performance.md §4.5, G6). Keyed by the buffer
 * object, so callers must not modify a certificate buffer after passing it.
 */
const identifierCache = new WeakMap<Uint8Array, Omit<IdentityIndex, 'identity'>>();

/**
 * The identifiers of each identity's certificate, for matching RecipientInfos.
 * @throws SmimeError `MALFORMED_CERTIFICATE` for an identity certificate that cannot be parsed.
 */
export function indexIdentities(identities: readonly DecryptionIdentity[], limits: ParserLimits): IdentityIndex[] {
  return identities.map((identity) => {
    let entry = identifierCache.get(identity.certificate);
    if (!entry) {
      const certificate = parseCertificateDer(identity.certificate, limits);
      entry = {
        certificate,
        issuerDer: new Uint8Array(certificate.issuer.toSchema().toBER()),
        serial: certificate.serialNumber.valueBlock.valueHexView,
        subjectKeyIdentifier: subjectKeyIdentifierOf(certificate),
      };
      identifierCache.set(identity.certificate, entry);
    }
    return { identity, ...entry };
  });
}

function matchesIssuerSerial(index: IdentityIndex, value: pkijs.IssuerAndSerialNumber): boolean {
  const issuer = new Uint8Array(value.issuer.toSchema().toBER());
  return bytesEqual(issuer, index.issuerDer) && bytesEqual(value.serialNumber.valueBlock.valueHexView, index.serial);
}

function matchesSki(index: IdentityIndex, ski: Uint8Array): boolean {
  return index.subjectKeyIdentifier !== null && bytesEqual(index.subjectKeyIdentifier, ski);
}

/** A (RecipientInfo, identity) pair to try, with the encrypted key addressed to that identity. */
export interface RecipientMatch {
  info: pkijs.RecipientInfo;
  index: IdentityIndex;
  /** For KeyAgreeRecipientInfo: the RecipientEncryptedKey addressed to this identity. */
  encryptedKey: Uint8Array;
}

/** Identifiers of every recipient, for "encrypted to …" reports; and the matches with the user's identities. */
export function matchRecipients(infos: readonly pkijs.RecipientInfo[], indexes: readonly IdentityIndex[]): { recipients: RecipientIdentifier[]; matches: RecipientMatch[] } {
  const recipients: RecipientIdentifier[] = [];
  const matches: RecipientMatch[] = [];
  const consider = (info: pkijs.RecipientInfo, rid: unknown, encryptedKey: Uint8Array) => {
    if (rid instanceof pkijs.IssuerAndSerialNumber) {
      recipients.push({ kind: 'issuerAndSerialNumber', issuer: describeName(rid.issuer), serialNumberHex: serialHex(rid.serialNumber) });
      for (const index of indexes) if (matchesIssuerSerial(index, rid)) matches.push({ info, index, encryptedKey });
    } else if (rid instanceof Uint8Array) {
      recipients.push({ kind: 'subjectKeyIdentifier', subjectKeyIdentifierHex: toHex(rid) });
      for (const index of indexes) if (matchesSki(index, rid)) matches.push({ info, index, encryptedKey });
    } else {
      recipients.push({ kind: 'other' });
    }
  };
  for (const info of infos) {
    const value = info.value;
    if (value instanceof pkijs.KeyTransRecipientInfo) {
      const rid = value.rid instanceof asn1js.OctetString ? value.rid.valueBlock.valueHexView : value.rid;
      consider(info, rid, value.encryptedKey.valueBlock.valueHexView);
    } else if (value instanceof pkijs.KeyAgreeRecipientInfo) {
      for (const rek of value.recipientEncryptedKeys.encryptedKeys) {
        const rid = rek.rid.variant === 1 ? rek.rid.value : rek.rid.variant === 2 ? (rek.rid.value as pkijs.RecipientKeyIdentifier).subjectKeyIdentifier.valueBlock.valueHexView : null;
        consider(info, rid, rek.encryptedKey.valueBlock.valueHexView);
      }
    } else {
      recipients.push({ kind: 'other' });
    }
  }
  return { recipients, matches };
}

const KDF_BY_OID: Record<string, { kind: 'x963' | 'hkdf'; hash: OaepHash }> = {
  [OID.dhSinglePassStdDhSha1Kdf]: { kind: 'x963', hash: 'SHA-1' },
  [OID.dhSinglePassStdDhSha256Kdf]: { kind: 'x963', hash: 'SHA-256' },
  [OID.dhSinglePassStdDhSha384Kdf]: { kind: 'x963', hash: 'SHA-384' },
  [OID.dhSinglePassStdDhSha512Kdf]: { kind: 'x963', hash: 'SHA-512' },
  // RFC 8418 §2: dhSinglePass-stdDH-hkdf-shaN-scheme.
  [OID.dhSinglePassStdDhHkdfSha256]: { kind: 'hkdf', hash: 'SHA-256' },
  [OID.dhSinglePassStdDhHkdfSha384]: { kind: 'hkdf', hash: 'SHA-384' },
  [OID.dhSinglePassStdDhHkdfSha512]: { kind: 'hkdf', hash: 'SHA-512' },
};

const WRAP_KEY_LENGTH: Record<string, number> = {
  [OID.aes128Wrap]: 16,
  [OID.aes192Wrap]: 24,
  [OID.aes256Wrap]: 32,
};

/**
 * ECC-CMS-SharedInfo (RFC 5753 §7.2):
 * ```
 * ECC-CMS-SharedInfo ::= SEQUENCE {
 *   keyInfo      AlgorithmIdentifier,
 *   entityUInfo  [0] EXPLICIT OCTET STRING OPTIONAL,
 *   suppPubInfo  [2] EXPLICIT OCTET STRING }
 * ```
 * `keyInfo` is the key-wrap AlgorithmIdentifier exactly as carried in the message; suppPubInfo is the KEK
 * length in bits as a 32-bit big-endian integer.
 */
export function encodeSharedInfo(wrapAlgorithmDer: Uint8Array, ukm: Uint8Array | null, kekBits: number): Uint8Array {
  const keyInfo = parseBer(wrapAlgorithmDer, DEFAULT_LIMITS, 'key wrap algorithm');
  const value: asn1js.AsnType[] = [keyInfo];
  if (ukm) value.push(new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [new asn1js.OctetString({ valueHex: ukm })] }));
  const bits = Uint8Array.of((kekBits >>> 24) & 0xff, (kekBits >>> 16) & 0xff, (kekBits >>> 8) & 0xff, kekBits & 0xff);
  value.push(new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 2 }, value: [new asn1js.OctetString({ valueHex: bits })] }));
  return new Uint8Array(new asn1js.Sequence({ value }).toBER());
}

async function deriveKek(
  crypto: Crypto,
  keyEncryptionAlgorithm: pkijs.AlgorithmIdentifier,
  sharedSecret: Uint8Array,
  ukm: Uint8Array | null,
): Promise<{ kek: Uint8Array }> {
  const kdf = KDF_BY_OID[keyEncryptionAlgorithm.algorithmId];
  if (!kdf) throw new SmimeError('UNSUPPORTED_ALGORITHM', `key agreement ${describeOid(keyEncryptionAlgorithm.algorithmId)} is not supported`);
  const wrap = new pkijs.AlgorithmIdentifier({ schema: keyEncryptionAlgorithm.algorithmParams });
  const kekLength = WRAP_KEY_LENGTH[wrap.algorithmId];
  if (!kekLength) throw new SmimeError('UNSUPPORTED_ALGORITHM', `key wrap ${describeOid(wrap.algorithmId)} is not supported`);
  const wrapDer = new Uint8Array((keyEncryptionAlgorithm.algorithmParams as asn1js.AsnType).toBER());
  const sharedInfo = encodeSharedInfo(wrapDer, ukm, kekLength * 8);
  const kek =
    kdf.kind === 'x963'
      ? await x963Kdf(crypto, kdf.hash, sharedSecret, sharedInfo, kekLength)
      : await hkdf(crypto, kdf.hash as 'SHA-256', sharedSecret, ukm ?? new Uint8Array(0), sharedInfo, kekLength);
  return { kek };
}

/**
 * The raw shared secret Z of ephemeral-static key agreement between the user's key and the originator's
 * public point (RFC 5753 §3.1.2 for EC, RFC 8418 §2 for X25519). WebCrypto rejects points off the curve;
 * an all-zero X25519 result (a low-order point, RFC 7748 §6.1) is rejected here.
 * @throws SmimeError `KEY_MISMATCH` when the originator key type differs from the user's key; WebCrypto errors
 * for invalid points (the caller turns them into the uniform failure).
 */
export async function agreeSharedSecret(crypto: Crypto, key: DecryptionKey, originatorAlgorithm: string, point: Uint8Array): Promise<Uint8Array> {
  const privateKey = await key.keyAgreement();
  if (key.algorithm === 'EC') {
    if (originatorAlgorithm !== OID.ecPublicKey) throw new SmimeError('KEY_MISMATCH', 'originator key type differs from the recipient key');
    const publicKey = await crypto.subtle.importKey('raw', bs(point), { name: 'ECDH', namedCurve: key.namedCurve! }, false, []);
    return new Uint8Array(await crypto.subtle.deriveBits({ name: 'ECDH', public: publicKey }, privateKey, CURVE_BITS[key.namedCurve!]!));
  }
  if (originatorAlgorithm !== OID.x25519) throw new SmimeError('KEY_MISMATCH', 'originator key type differs from the recipient key');
  const publicKey = await crypto.subtle.importKey('raw', bs(point), { name: 'X25519' }, false, []);
  const secret = new Uint8Array(await crypto.subtle.deriveBits({ name: 'X25519', public: publicKey }, privateKey, 256));
  if (secret.every((b) => b === 0)) throw new SmimeError('DECRYPTION_FAILED', 'X25519 shared secret is zero');
  return secret;
}

/** The unsupported-algorithm failures are told apart from decryption failures: they leak nothing about the key. */
function isUnsupported(error: unknown): boolean {
  return error instanceof SmimeError && (error.code === 'UNSUPPORTED_ALGORITHM' || error.code === 'KEY_MISMATCH');
}

/**
 * Recovers the content-encryption key from a matched RecipientInfo.
 * @throws SmimeError `DECRYPTION_FAILED` (one message for every cryptographic failure), or
 * `UNSUPPORTED_ALGORITHM` when the RecipientInfo uses an algorithm the engine does not implement.
 */
export async function recoverContentKey(crypto: Crypto, match: RecipientMatch, key: DecryptionKey): Promise<Uint8Array> {
  try {
    const value = match.info.value;
    if (value instanceof pkijs.KeyTransRecipientInfo) {
      const algorithm = value.keyEncryptionAlgorithm;
      if (algorithm.algorithmId === OID.rsaEncryption) {
        const material = await key.rsaPkcs1v15();
        return await material.decryptPkcs1v15(match.encryptedKey);
      }
      if (algorithm.algorithmId === OID.rsaesOaep) {
        const params = decodeOaepParameters(algorithm.algorithmParams);
        const privateKey = await key.rsaOaep(params.hash);
        return new Uint8Array(await crypto.subtle.decrypt({ name: 'RSA-OAEP', label: bs(params.label) }, privateKey, bs(match.encryptedKey)));
      }
      throw new SmimeError('UNSUPPORTED_ALGORITHM', `key transport ${describeOid(algorithm.algorithmId)} is not supported`);
    }
    if (value instanceof pkijs.KeyAgreeRecipientInfo) {
      if (value.originator.variant !== 3) throw new SmimeError('UNSUPPORTED_ALGORITHM', 'key agreement without an ephemeral originator key');
      const originator = value.originator.value as pkijs.OriginatorPublicKey;
      const point = originator.publicKey.valueBlock.valueHexView;
      const sharedSecret = await agreeSharedSecret(crypto, key, originator.algorithm.algorithmId, point);
      const ukm = value.ukm ? value.ukm.valueBlock.valueHexView : null;
      const { kek } = await deriveKek(crypto, value.keyEncryptionAlgorithm, sharedSecret, ukm);
      sharedSecret.fill(0);
      return await aesKeyUnwrap(crypto, kek, match.encryptedKey);
    }
    throw new SmimeError('UNSUPPORTED_ALGORITHM', 'recipient type is not supported');
  } catch (error) {
    if (isUnsupported(error)) throw error;
    throw rsaDecryptionError();
  }
}

function issuerAndSerial(certificate: pkijs.Certificate): asn1js.Sequence {
  return new pkijs.IssuerAndSerialNumber({ issuer: certificate.issuer, serialNumber: certificate.serialNumber }).toSchema();
}

const NAMED_CURVE_OF_SPKI = (spki: pkijs.PublicKeyInfo): string => {
  const params = spki.algorithm.algorithmParams;
  const curve = params instanceof asn1js.ObjectIdentifier ? CURVE_BY_OID[params.valueBlock.toString()] : undefined;
  if (!curve) throw new SmimeError('CERTIFICATE_NOT_USABLE', 'EC recipient key on an unsupported curve');
  return curve;
};

const KDF_FOR_CURVE: Record<string, string> = {
  'P-256': OID.dhSinglePassStdDhSha256Kdf,
  'P-384': OID.dhSinglePassStdDhSha384Kdf,
  'P-521': OID.dhSinglePassStdDhSha512Kdf,
};

/**
 * Builds the DER RecipientInfo that carries `contentKey` to one recipient (identified by issuerAndSerialNumber,
 * which every client understands).
 * @throws SmimeError `CERTIFICATE_NOT_USABLE` when the certificate key does not fit the transport.
 */
export async function buildRecipientInfo(crypto: Crypto, certificateDer: Uint8Array, transport: KeyTransport, contentKey: Uint8Array): Promise<{ der: Uint8Array; version: number }> {
  const certificate = parseCertificateDer(certificateDer);
  const spki = certificate.subjectPublicKeyInfo;
  if (transport === 'rsa-pkcs1-v1_5' || transport === 'rsa-oaep-sha256' || transport === 'rsa-oaep-sha1') {
    let encryptedKey: Uint8Array;
    let algorithm: asn1js.Sequence;
    if (transport === 'rsa-pkcs1-v1_5') {
      encryptedKey = rsaPkcs1v15Encrypt(rsaPublicKeyFromSpki(spki), contentKey, crypto);
      algorithm = new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: OID.rsaEncryption }), new asn1js.Null()] });
    } else {
      rsaPublicKeyFromSpki(spki);
      const hash = transport === 'rsa-oaep-sha1' ? 'SHA-1' : 'SHA-256';
      const publicKey = await crypto.subtle.importKey('spki', new Uint8Array(spki.toSchema().toBER()), { name: 'RSA-OAEP', hash }, false, ['encrypt']);
      encryptedKey = new Uint8Array(await crypto.subtle.encrypt({ name: 'RSA-OAEP' }, publicKey, bs(contentKey)));
      // RFC 4055 §4.1: for SHA-1 every field takes its DEFAULT, so the parameters are an empty SEQUENCE.
      algorithm = new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: OID.rsaesOaep }), encodeOaepParameters(hash)] });
    }
    // KeyTransRecipientInfo ::= SEQUENCE { version CMSVersion (0 for issuerAndSerialNumber), rid, keyEncryptionAlgorithm, encryptedKey }
    const ktri = new asn1js.Sequence({
      value: [new asn1js.Integer({ value: 0 }), issuerAndSerial(certificate), algorithm, new asn1js.OctetString({ valueHex: encryptedKey })],
    });
    return { der: new Uint8Array(ktri.toBER()), version: 0 };
  }
  if (spki.algorithm.algorithmId !== OID.ecPublicKey) throw new SmimeError('CERTIFICATE_NOT_USABLE', 'ECDH needs an EC certificate');
  const namedCurve = NAMED_CURVE_OF_SPKI(spki);
  const recipientKey = await crypto.subtle.importKey('spki', new Uint8Array(spki.toSchema().toBER()), { name: 'ECDH', namedCurve }, false, []);
  const ephemeral = (await crypto.subtle.generateKey({ name: 'ECDH', namedCurve }, true, ['deriveBits'])) as CryptoKeyPair;
  const sharedSecret = new Uint8Array(await crypto.subtle.deriveBits({ name: 'ECDH', public: recipientKey }, ephemeral.privateKey, CURVE_BITS[namedCurve]!));
  const ephemeralPoint = new Uint8Array(await crypto.subtle.exportKey('raw', ephemeral.publicKey));
  const wrapOid = contentKey.byteLength <= 16 ? OID.aes128Wrap : contentKey.byteLength <= 24 ? OID.aes192Wrap : OID.aes256Wrap;
  // RFC 5753 §7.1: AES key-wrap AlgorithmIdentifiers have absent parameters.
  const wrapAlgorithm = new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: wrapOid })] });
  const keyEncryptionAlgorithm = new pkijs.AlgorithmIdentifier({ algorithmId: KDF_FOR_CURVE[namedCurve]!, algorithmParams: wrapAlgorithm });
  const { kek } = await deriveKek(crypto, keyEncryptionAlgorithm, sharedSecret, null);
  sharedSecret.fill(0);
  const encryptedKey = await aesKeyWrap(crypto, kek, contentKey);
  // KeyAgreeRecipientInfo (RFC 5652 §6.2.2), version 3; originator [0] { originatorKey [1] OriginatorPublicKey }.
  // RFC 5753 §3.1.1: the originatorKey algorithm is id-ecPublicKey with absent parameters.
  const originatorKey = new asn1js.Constructed({
    idBlock: { tagClass: 3, tagNumber: 1 },
    value: [
      new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: OID.ecPublicKey })] }),
      new asn1js.BitString({ valueHex: ephemeralPoint }),
    ],
  });
  const kari = new asn1js.Constructed({
    idBlock: { tagClass: 3, tagNumber: 1 },
    value: [
      new asn1js.Integer({ value: 3 }),
      new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [originatorKey] }),
      keyEncryptionAlgorithm.toSchema(),
      new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [issuerAndSerial(certificate), new asn1js.OctetString({ valueHex: encryptedKey })] })] }),
    ],
  });
  return { der: new Uint8Array(kari.toBER()), version: 3 };
}
