/**
 * Waxseal's S/MIME engine: the only public surface of `src/crypto` (STYLE §1).
 * Pure: bytes, certificates and a WebCrypto instance in; reports out.
 */
export { SmimeError, LimitError, isSmimeError, type SmimeErrorCode } from './errors.js';
export { OID, describeOid, type OidName } from './oids.js';
export { parseBer, type Asn1Limits } from './asn1.js';
export { DEFAULT_POLICY, DEFAULT_LIMITS, DEFAULT_SIGNATURE_POLICY, makePolicy, type Policy, type ParserLimits, type SignaturePolicy, type HashName } from './policy.js';
export { DEFAULT_KEYSTORE_POLICY, DEFAULT_HARVEST_POLICY, type KeystorePolicy, type HarvestPolicy } from './policy.js';
export { DEFAULT_DIRECTORY_POLICY, type DirectoryPolicy } from './policy.js';
export { base64Decode, base64Encode } from './bytes.js';
export type * from './types.js';
export * from './pkcs12/index.js';
export * from './mime/index.js';
export { encryptEntity, type EncryptEntityInput, type EncryptEntityOptions, type EncryptEntityResult } from './smime/encrypt-message.js';
export { decryptMessage, decryptLayer, isEncryptedEntity, type DecryptMessageOptions } from './smime/decrypt-message.js';
export { decryptEnvelope, DECRYPT_REASONS, type DecryptResult, type DecryptOptions } from './cms/decrypt.js';
export { chooseEncryptionAlgorithms, type EncryptionRecipient, type EncryptionChoice, type ContentCipherName, type KeyTransport } from './cms/envelope-algorithms.js';
export { importDecryptionKey, type DecryptionIdentity, type DecryptionKey } from './cms/recipients.js';
export { importRsaDecryptionKey, type RsaPrivateKeyMaterial } from './rsa/rsa-private-key.js';
export {
  parseCertificates, parseCertificateDer, describeCertificate, certificateFingerprint, certificateAddresses, certificateEmailAddresses,
  certificateMatchesAddress, assessCertificateForSigning, assessCertificateForEncryption, keyUsage, extendedKeyUsage, basicConstraints,
  subjectKeyIdentifier, authorityKeyIdentifier, smimeCapabilities, formatName, domainToAscii,
  type Certificate, type CertificateInput, type AddressMatch, type CertificateAddress, type PurposeAssessment, type PurposeCheckCode,
  type KeyUsageName, type SmimeCapability,
} from './cert/index.js';
export {
  validatePath, createCrlRevocationChecker, parseCrl, mozillaEmailAnchors, mozillaRootsSource, anchorAllowsEmail,
  type ValidatePathOptions, type PathResult, type PathCode, type PathPurpose, type RevocationChecker, type RevocationStatus,
  type PathRevocation, type CrlCheckerOptions, type TrustAnchor, type AnchorSource, type AnchorPurpose,
} from './trust/index.js';
export { signData, type SigningIdentity, type SignDataOptions, type SignDataResult } from './cms/sign.js';
export { importSigningKey, type ImportSigningKeyOptions } from './cms/signing-key.js';
export { verifySignedData, type SignedDataVerification, type VerifySignedDataOptions } from './cms/verify.js';
export { DEFAULT_SMIME_CAPABILITIES } from './cms/signed-attributes.js';
export { signEntity, signMessage, type SignEntityOptions } from './smime/sign-message.js';
export { verifySignedMessage, verifyMessageSignature, type VerifyMessageOptions, type MessageSignatureResult } from './smime/verify-message.js';
export { openMessage, displayText, type OpenMessageOptions, type DecryptLayer, type DecryptLayerResult } from './smime/open-message.js';
export { stripMozillaHeaders } from './smime/mozilla-headers.js';
export { warmUp } from './smime/warm-up.js';
export * from './harvest.js';
