/**
 * Writes a PKCS#12 file (RFC 7292) for backup and for other mail clients, in the shape OpenSSL 3 writes
 * by default: certificates in a PBES2-encrypted SafeContents, the key in a pkcs8ShroudedKeyBag, both with
 * PBKDF2-HMAC-SHA256 and AES-256-CBC, and an HMAC-SHA256 integrity MAC (SEC-42a).
 */
import type * as asn1js from 'asn1js';
import { SmimeError } from '../errors.js';
import { OID } from '../oids.js';
import { DEFAULT_LIMITS, DEFAULT_PKCS12_EXPORT_POLICY } from '../policy.js';
import {
  derBmpString, derExplicit, derImplicitOctets, derInteger, derOctets, derOid, derSequence, derSet, encode,
} from './der.js';
import { buildMacData } from './mac.js';
import { encryptPbes2 } from './password-based-encryption.js';
import { certificateMatchesProbe, certificateParts, probeKey } from './key-match.js';

export interface Pkcs12ExportInput {
  /** DER PrivateKeyInfo. */
  pkcs8: Uint8Array;
  /** DER certificate of the key. */
  certificate: Uint8Array;
  /** Issuer certificates (DER), nearest first. */
  chain?: readonly Uint8Array[];
  friendlyName?: string;
}

export interface ExportPkcs12Options {
  crypto: Crypto;
  /** PBKDF2 iterations for the key and certificate bags; default 600 000 (SEC-42a). */
  iterations?: number;
  /** Iterations of the RFC 7292 KDF for the MAC key; default from `DEFAULT_PKCS12_EXPORT_POLICY`. */
  macIterations?: number;
}

/**
 * Builds a PKCS#12 file holding one identity.
 *
 * Security notes: the key must match the certificate (checked by a sign/verify probe, so a wrong pairing
 * is never exported); the password must not be empty; salts and IVs are fresh random values; the
 * localKeyId is the SHA-1 of the certificate, as OpenSSL and NSS write it (an identifier, not a security
 * function).
 *
 * @throws SmimeError `KEYSTORE_WEAK_PASSPHRASE` for an empty export password.
 * @throws SmimeError `PKCS12_KEY_CERT_MISMATCH` when the key does not belong to the certificate.
 * @throws SmimeError `PKCS12_UNSUPPORTED_ALGORITHM` when WebCrypto cannot use the key type.
 * @throws SmimeError `PKCS12_DAMAGED` when the key or a certificate is not valid DER.
 */
export async function exportPkcs12(input: Pkcs12ExportInput, password: string, options: ExportPkcs12Options): Promise<Uint8Array> {
  const { crypto } = options;
  const iterations = options.iterations ?? DEFAULT_PKCS12_EXPORT_POLICY.pbkdf2Iterations;
  const macIterations = options.macIterations ?? DEFAULT_PKCS12_EXPORT_POLICY.macIterations;
  if (password.length === 0) throw new SmimeError('KEYSTORE_WEAK_PASSPHRASE', 'An export password is required');
  for (const [name, value] of [['iterations', iterations], ['macIterations', macIterations]] as const) {
    if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`PKCS#12 export ${name} ${value} is invalid`);
  }

  const certificate = certificateParts(input.certificate, DEFAULT_LIMITS);
  for (const issuer of input.chain ?? []) certificateParts(issuer, DEFAULT_LIMITS);
  const probe = await probeKey(crypto, input.pkcs8, DEFAULT_LIMITS);
  if (!(await certificateMatchesProbe(crypto, probe, certificate))) {
    throw new SmimeError('PKCS12_KEY_CERT_MISMATCH', 'The private key does not belong to the certificate');
  }

  const localKeyId = new Uint8Array(await crypto.subtle.digest('SHA-1', input.certificate as Uint8Array<ArrayBuffer>));
  const attributes = bagAttributes(input.friendlyName, localKeyId);

  // SafeBag ::= SEQUENCE { bagId, bagValue [0] EXPLICIT, bagAttributes SET OF PKCS12Attribute OPTIONAL } (RFC 7292 §4.2)
  const certificateBag = (der: Uint8Array, withAttributes: boolean): asn1js.Sequence =>
    derSequence([
      derOid(OID.pkcs12CertBag),
      derExplicit(0, derSequence([derOid(OID.x509Certificate), derExplicit(0, derOctets(der))])),
      ...(withAttributes ? [attributes] : []),
    ]);
  const certificateContents = encode(derSequence([
    certificateBag(input.certificate, true),
    ...(input.chain ?? []).map((der) => certificateBag(der, false)),
  ]));
  const encryptedCertificates = await encryptPbes2(certificateContents, password, { crypto, iterations });

  const encryptedKey = await encryptPbes2(input.pkcs8, password, { crypto, iterations });
  const keyContents = encode(derSequence([
    derSequence([
      derOid(OID.pkcs12ShroudedKeyBag),
      derExplicit(0, derSequence([encryptedKey.algorithm, derOctets(encryptedKey.ciphertext)])),
      attributes,
    ]),
  ]));

  // AuthenticatedSafe ::= SEQUENCE OF ContentInfo (RFC 7292 §5.1): certificates encrypted, key bag in plain data.
  const authenticatedSafe = encode(derSequence([
    derSequence([
      derOid(OID.encryptedData),
      derExplicit(0, derSequence([
        derInteger(0),
        derSequence([derOid(OID.data), encryptedCertificates.algorithm, derImplicitOctets(0, encryptedCertificates.ciphertext)]),
      ])),
    ]),
    derSequence([derOid(OID.data), derExplicit(0, derOctets(keyContents))]),
  ]));

  const macData = await buildMacData(crypto, 'SHA-256', password, macIterations, authenticatedSafe);
  return encode(derSequence([
    derInteger(3),
    derSequence([derOid(OID.data), derExplicit(0, derOctets(authenticatedSafe))]),
    macData,
  ]));
}

/** The friendlyName and localKeyId attributes as a DER SET OF, sorted by encoding (X.690 §11.6). */
function bagAttributes(friendlyName: string | undefined, localKeyId: Uint8Array): asn1js.Set {
  const attributes = [derSequence([derOid(OID.localKeyId), derSet([derOctets(localKeyId)])])];
  if (friendlyName !== undefined && friendlyName !== '') {
    attributes.push(derSequence([derOid(OID.friendlyName), derSet([derBmpString(friendlyName)])]));
  }
  const sorted = attributes.map((node) => ({ node, der: encode(node) })).sort((a, b) => compareBytes(a.der, b.der));
  return derSet(sorted.map((entry) => entry.node));
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}
