/**
 * PKCS#12 import and export (RFC 7292), re-exported by `src/crypto/index.ts`.
 */
export { importPkcs12, requireIdentities, type ImportPkcs12Options } from './import-pkcs12.js';
export type { Pkcs12Contents, Pkcs12Key, Pkcs12Certificate, Pkcs12Identity } from './types.js';
export { DEFAULT_PKCS12_LIMITS, DEFAULT_PKCS12_EXPORT_POLICY, type Pkcs12Limits, type Pkcs12ExportPolicy } from '../policy.js';
export { exportPkcs12, type Pkcs12ExportInput, type ExportPkcs12Options } from './export-pkcs12.js';
export {
  assessImportedIdentity, type ImportedIdentityAssessment, type ImportWarning, type ImportWarningCode, type AssessImportedIdentityOptions,
} from './assess-imported-identity.js';
