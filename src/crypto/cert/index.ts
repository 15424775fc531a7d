/** Certificates: parsing, summaries, addresses and purpose checks. Re-exported by `src/crypto/index.ts`. */
export { parseCertificates, parseCertificateDer, toCertificate, type Certificate, type CertificateInput, type CertificateLimits } from './certificate.js';
export { describeCertificate, certificateFingerprint } from './describe.js';
export { certificateAddresses, certificateEmailAddresses, certificateMatchesAddress, normaliseAddress, type AddressMatch, type AddressSource, type CertificateAddress } from './addresses.js';
export { assessCertificateForSigning, assessCertificateForEncryption, type PurposeAssessment, type PurposeCheckCode } from './assess.js';
export {
  keyUsage, extendedKeyUsage, basicConstraints, subjectKeyIdentifier, authorityKeyIdentifier, subjectAltNames, nameConstraints,
  smimeCapabilities, type KeyUsageName, type BasicConstraintsValue, type GeneralNameValue, type SmimeCapability,
} from './extensions.js';
export { formatName, namesMatch } from './names.js';
export { domainToAscii, punycodeEncode } from './punycode.js';
export { verifyCertificateSignature, describePublicKey, type SignatureCheck, type PublicKeyDescription } from './signature.js';
