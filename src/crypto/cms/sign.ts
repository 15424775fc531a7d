/**
 * SignedData production (RFC 5652 §5) over exact bytes: one SignerInfo with signed attributes, the
 * signer's chain included, detached or with the content encapsulated.
 */
import { SmimeError } from '../errors.js';
import { OID } from '../oids.js';
import type { HashName, Policy } from '../policy.js';
import { concatBytes } from '../bytes.js';
import { derContext, derHeader, derOctetString, derOid, derSequence, derSetOf, derSmallInteger } from './der.js';
import { chooseSigningAlgorithm } from './signature-algorithms.js';
import { DEFAULT_SMIME_CAPABILITIES, encodeSignedAttributes, issuerAndSerialOf } from './signed-attributes.js';

/** The key and certificates that sign. */
export interface SigningIdentity {
  /** Signer's certificate, DER. */
  certificate: Uint8Array;
  /** Private key matching `certificate`; may be non-extractable. */
  privateKey: CryptoKey;
  /** Intermediate certificates (DER) to include so receivers can build the path; the root may be omitted. */
  chain: readonly Uint8Array[];
}

export interface SignDataOptions {
  signer: SigningIdentity;
  crypto: Crypto;
  policy: Policy;
  /** True: no eContent (multipart/signed). False: the content is encapsulated (opaque signed-data). */
  detached: boolean;
  /** signing-time; defaults to none, so the engine never reads the wall clock itself. */
  signingTime?: Date | null;
  /** SMIMECapabilities OIDs in preference order; defaults to DEFAULT_SMIME_CAPABILITIES. */
  capabilities?: readonly string[];
  /** Certificate (DER) to announce as our encryption certificate (RFC 8551 §2.5.3). */
  encryptionKeyPreference?: Uint8Array | null;
}

export interface SignDataResult {
  /** DER ContentInfo (id-signedData). */
  der: Uint8Array;
  /** Digest used in the SignerInfo; gives micalg (RFC 8551 §3.5.3.2). */
  digest: HashName;
}

/**
 * Signs `content` (already canonical: the caller signs exactly the bytes it sends) and returns a DER
 * ContentInfo with one SignerInfo (version 1, issuerAndSerialNumber).
 *
 * Security: the digest comes from `policy.signingHash` (never SHA-1, SEC-17f; PKI.js would default to it,
 * F3); signed attributes always include content-type and message-digest (SEC-12).
 * @throws SmimeError `UNSUPPORTED_ALGORITHM` (key type, or an RSA key imported for another hash),
 *   `MALFORMED_CERTIFICATE`, `KEY_MISMATCH` when WebCrypto refuses the key for signing.
 */
export async function signData(content: Uint8Array, options: SignDataOptions): Promise<SignDataResult> {
  return signDataWithDigest(content, startContentDigest(content, options), options);
}

/**
 * Starts hashing `content` with the digest {@link signData} uses for this signer and policy. WebCrypto hashes off
 * the calling thread, so a caller can overlap it with its own pass over the content (signEntity's canonical-form
 * scan) and hand the promise to {@link signDataWithDigest}.
 * @throws SmimeError `UNSUPPORTED_ALGORITHM` as {@link signData}.
 */
export function startContentDigest(content: Uint8Array, options: Pick<SignDataOptions, 'signer' | 'crypto' | 'policy'>): Promise<ArrayBuffer> {
  const algorithm = chooseSigningAlgorithm(options.signer.privateKey, options.policy.signingHash);
  return options.crypto.subtle.digest(algorithm.digest, content as BufferSource);
}

/**
 * {@link signData} with the content's digest already started by {@link startContentDigest} over exactly `content`
 * with the same signer and policy (the message-digest attribute is taken from it unchecked).
 */
export async function signDataWithDigest(content: Uint8Array, contentDigest: Promise<ArrayBuffer>, options: SignDataOptions): Promise<SignDataResult> {
  const { signer, crypto, policy } = options;
  const algorithm = chooseSigningAlgorithm(signer.privateKey, policy.signingHash);
  const messageDigest = new Uint8Array(await contentDigest);
  const signedAttributes = encodeSignedAttributes(
    {
      messageDigest,
      signingTime: options.signingTime ?? null,
      capabilities: options.capabilities ?? DEFAULT_SMIME_CAPABILITIES,
      encryptionKeyPreference: options.encryptionKeyPreference ?? null,
    },
    policy.limits,
  );
  let signature: Uint8Array;
  try {
    signature = await algorithm.sign(crypto, signer.privateKey, signedAttributes);
  } catch (cause) {
    throw new SmimeError('KEY_MISMATCH', 'the private key cannot sign', { cause });
  }
  const { issuer, serialNumber } = issuerAndSerialOf(signer.certificate, policy.limits);
  // The SignerInfo carries signedAttrs as [0] IMPLICIT: same content, tag 0xA0 instead of 0x31 (RFC 5652 §5.3).
  const implicitAttributes = signedAttributes.slice();
  implicitAttributes[0] = 0xa0;
  const signerInfo = derSequence(
    derSmallInteger(1),
    derSequence(issuer, serialNumber),
    algorithm.digestAlgorithm,
    implicitAttributes,
    algorithm.signatureAlgorithm,
    derOctetString(signature),
  );
  const certificates = derContext(0, ...uniqueCertificates([signer.certificate, ...signer.chain]));
  const digestAlgorithms = derSetOf([algorithm.digestAlgorithm]);
  const head = [derSmallInteger(1), digestAlgorithms];
  const tail = [certificates, derSetOf([signerInfo])];

  let encapsulated: Uint8Array[];
  if (options.detached) {
    encapsulated = [derSequence(derOid(OID.data))];
  } else {
    // EncapsulatedContentInfo ::= SEQUENCE { eContentType, eContent [0] EXPLICIT OCTET STRING }.
    // Headers are computed from lengths so the content is copied only once, into the output.
    const octetHeader = derHeader(0x04, content.byteLength);
    const explicitHeader = derHeader(0xa0, octetHeader.byteLength + content.byteLength);
    const typeOid = derOid(OID.data);
    const sequenceHeader = derHeader(0x30, typeOid.byteLength + explicitHeader.byteLength + octetHeader.byteLength + content.byteLength);
    encapsulated = [sequenceHeader, typeOid, explicitHeader, octetHeader, content];
  }
  const signedDataLength = [...head, ...encapsulated, ...tail].reduce((sum, part) => sum + part.byteLength, 0);
  const signedDataHeader = derHeader(0x30, signedDataLength);
  const contentTypeOid = derOid(OID.signedData);
  const explicitLength = signedDataHeader.byteLength + signedDataLength;
  const explicitHeader = derHeader(0xa0, explicitLength);
  const outerHeader = derHeader(0x30, contentTypeOid.byteLength + explicitHeader.byteLength + explicitLength);
  const der = concatBytes([outerHeader, contentTypeOid, explicitHeader, signedDataHeader, ...head, ...encapsulated, ...tail]);
  return { der, digest: algorithm.digest };
}

function uniqueCertificates(certificates: readonly Uint8Array[]): Uint8Array[] {
  const seen = new Set<string>();
  const out: Uint8Array[] = [];
  for (const certificate of certificates) {
    const key = certificate.byteLength + ':' + Array.from(certificate.subarray(-32)).join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(certificate);
  }
  return out;
}

