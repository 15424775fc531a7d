/**
 * Waxseal's S/MIME engine: the only public surface of `src/crypto` (STYLE §1).
 * Pure: bytes, certificates and a WebCrypto instance in; reports out.
 */
export { SmimeError, LimitError, isSmimeError, type SmimeErrorCode } from './errors.js';
export { OID, describeOid, type OidName } from './oids.js';
export { DEFAULT_POLICY, DEFAULT_LIMITS, DEFAULT_SIGNATURE_POLICY, makePolicy, type Policy, type ParserLimits, type SignaturePolicy, type HashName } from './policy.js';
export { DEFAULT_KEYSTORE_POLICY, DEFAULT_HARVEST_POLICY, type KeystorePolicy, type HarvestPolicy } from './policy.js';
export type * from './types.js';
export * from './pkcs12/index.js';
export * from './mime/index.js';
