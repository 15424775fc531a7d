/**
 * Builds PKCS#12 files shape by shape for the security tests: mismatched pairs, several keys, absurd
 * iteration counts, tampered MACs. Uses the engine's DER writers but none of its import logic.
 * Every key in these files is generated per run: TEST KEYS — NOT SECRET.
 */
import * as asn1js from 'asn1js';
import { OID } from '../../../src/crypto/oids.js';
import {
  derBmpString, derExplicit, derImplicitOctets, derInteger, derOctets, derOid, derSequence, derSet, encode,
} from '../../../src/crypto/pkcs12/der.js';
import { buildMacData } from '../../../src/crypto/pkcs12/mac.js';
import { encryptLegacyPbe, encryptPbes2 } from '../../../src/crypto/pkcs12/password-based-encryption.js';

export interface BagAttributesSpec {
  friendlyName?: string;
  localKeyId?: Uint8Array;
}

function attributes(spec: BagAttributesSpec): asn1js.AsnType[] {
  const items: asn1js.AsnType[] = [];
  if (spec.friendlyName !== undefined) items.push(derSequence([derOid(OID.friendlyName), derSet([derBmpString(spec.friendlyName)])]));
  if (spec.localKeyId !== undefined) items.push(derSequence([derOid(OID.localKeyId), derSet([derOctets(spec.localKeyId)])]));
  return items.length > 0 ? [derSet(items)] : [];
}

export type Encryption = { scheme: 'pbes2'; iterations: number } | { scheme: 'legacy'; oid: string; iterations: number };

async function encrypt(plaintext: Uint8Array, password: string, encryption: Encryption, crypto: Crypto): Promise<{ algorithm: asn1js.AsnType; ciphertext: Uint8Array }> {
  if (encryption.scheme === 'pbes2') return encryptPbes2(plaintext, password, { crypto, iterations: encryption.iterations });
  return encryptLegacyPbe(plaintext, password, { crypto, scheme: encryption.oid, iterations: encryption.iterations });
}

export function keyBag(pkcs8: Uint8Array, spec: BagAttributesSpec = {}): asn1js.AsnType {
  return derSequence([derOid(OID.pkcs12KeyBag), derExplicit(0, asn1js.fromBER(pkcs8.slice().buffer).result), ...attributes(spec)]);
}

export async function shroudedKeyBag(pkcs8: Uint8Array, password: string, encryption: Encryption, crypto: Crypto, spec: BagAttributesSpec = {}): Promise<asn1js.AsnType> {
  const { algorithm, ciphertext } = await encrypt(pkcs8, password, encryption, crypto);
  return derSequence([derOid(OID.pkcs12ShroudedKeyBag), derExplicit(0, derSequence([algorithm, derOctets(ciphertext)])), ...attributes(spec)]);
}

/** A shrouded key bag whose AlgorithmIdentifier is given as is (e.g. with an absurd iteration count). */
export function rawShroudedKeyBag(algorithm: asn1js.AsnType, ciphertext: Uint8Array): asn1js.AsnType {
  return derSequence([derOid(OID.pkcs12ShroudedKeyBag), derExplicit(0, derSequence([algorithm, derOctets(ciphertext)]))]);
}

export function certBag(der: Uint8Array, spec: BagAttributesSpec = {}): asn1js.AsnType {
  return derSequence([
    derOid(OID.pkcs12CertBag),
    derExplicit(0, derSequence([derOid(OID.x509Certificate), derExplicit(0, derOctets(der))])),
    ...attributes(spec),
  ]);
}

export function safeContentsBag(bags: asn1js.AsnType[]): asn1js.AsnType {
  return derSequence([derOid(OID.pkcs12SafeContentsBag), derExplicit(0, derSequence(bags))]);
}

export function dataContentInfo(bags: asn1js.AsnType[]): asn1js.AsnType {
  return derSequence([derOid(OID.data), derExplicit(0, derOctets(encode(derSequence(bags))))]);
}

export async function encryptedContentInfo(bags: asn1js.AsnType[], password: string, encryption: Encryption, crypto: Crypto): Promise<asn1js.AsnType> {
  const { algorithm, ciphertext } = await encrypt(encode(derSequence(bags)), password, encryption, crypto);
  return derSequence([
    derOid(OID.encryptedData),
    derExplicit(0, derSequence([derInteger(0), derSequence([derOid(OID.data), algorithm, derImplicitOctets(0, ciphertext)])])),
  ]);
}

export interface PfxOptions {
  crypto: Crypto;
  password: string;
  /** null: no MacData at all. */
  mac?: { hash: 'SHA-1' | 'SHA-256' | 'SHA-512'; iterations: number } | null;
  /** Replace the MacData with this node (e.g. one declaring 2^31 iterations). */
  rawMacData?: asn1js.AsnType;
}

export async function buildPfx(contentInfos: asn1js.AsnType[], options: PfxOptions): Promise<Uint8Array> {
  const authSafe = encode(derSequence(contentInfos));
  const mac = options.mac === null ? [] : [options.rawMacData ?? await buildMacData(options.crypto, options.mac?.hash ?? 'SHA-256', options.password, options.mac?.iterations ?? 2048, authSafe)];
  return encode(derSequence([derInteger(3), derSequence([derOid(OID.data), derExplicit(0, derOctets(authSafe))]), ...mac]));
}

/** An INTEGER from big-endian bytes, for values beyond Number range (2^64). */
export function bigInteger(bytes: Uint8Array): asn1js.AsnType {
  return new asn1js.Integer({ valueHex: bytes.slice().buffer });
}

export { derInteger, derOctets, derOid, derSequence, derNullNode };

function derNullNode(): asn1js.AsnType {
  return new asn1js.Null();
}
