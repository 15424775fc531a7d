/**
 * A plain, structured-clonable summary of a certificate for reports and the UI (STYLE §5).
 */
import { base64Encode, toArrayBuffer, toHex } from '../bytes.js';
import { describeOid } from '../oids.js';
import type { CertificateSummary } from '../types.js';
import { certificateEmailAddresses } from './addresses.js';
import { toCertificate, type CertificateInput } from './certificate.js';
import { authorityKeyIdentifier, basicConstraints, extendedKeyUsage, keyUsage, smimeCapabilities, subjectKeyIdentifier } from './extensions.js';
import { formatName, namesMatch } from './names.js';
import { describePublicKey } from './signature.js';

/** SHA-256 fingerprint of the DER, lowercase hex without separators. */
export async function certificateFingerprint(input: CertificateInput, crypto: Crypto): Promise<string> {
  const certificate = toCertificate(input);
  return toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', toArrayBuffer(certificate.der))));
}

/**
 * Summarises a certificate: names, validity (ISO strings), addresses (SEC-27 sources only), SHA-256
 * fingerprint, key identifiers, key and signature algorithms, usages and S/MIME capabilities.
 * @throws SmimeError `MALFORMED_CERTIFICATE` when an extension is malformed or duplicated.
 */
export async function describeCertificate(input: CertificateInput, crypto: Crypto): Promise<CertificateSummary> {
  const certificate = toCertificate(input);
  const cert = certificate.pkijs;
  const key = describePublicKey(cert.subjectPublicKeyInfo);
  const constraints = basicConstraints(certificate);
  const eku = extendedKeyUsage(certificate);
  return {
    subject: formatName(cert.subject),
    issuer: formatName(cert.issuer),
    serialNumberHex: toHex(new Uint8Array(cert.serialNumber.valueBlock.valueHexView)),
    notBefore: cert.notBefore.value.toISOString(),
    notAfter: cert.notAfter.value.toISOString(),
    emailAddresses: certificateEmailAddresses(certificate),
    fingerprintSha256: await certificateFingerprint(certificate, crypto),
    subjectKeyIdentifierHex: subjectKeyIdentifier(certificate),
    der: base64Encode(certificate.der),
    authorityKeyIdentifierHex: authorityKeyIdentifier(certificate),
    signatureAlgorithm: describeOid(cert.signatureAlgorithm.algorithmId),
    publicKeyAlgorithm: key.curve ? `${key.algorithm} ${key.curve}` : key.algorithm,
    publicKeyBits: key.bits,
    keyUsage: keyUsage(certificate),
    extendedKeyUsage: eku ? eku.map(describeOid) : null,
    isCa: constraints?.ca ?? false,
    pathLengthConstraint: constraints?.pathLength ?? null,
    selfIssued: namesMatch(cert.subject, cert.issuer),
    smimeCapabilities: smimeCapabilities(certificate).map((capability) => capability.name),
  };
}
