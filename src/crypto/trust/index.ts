/** Trust: anchors, path validation and revocation. Re-exported by `src/crypto/index.ts`. */
export { validatePath, type ValidatePathOptions, type PathResult, type PathCode, type PathPurpose, type RevocationChecker, type RevocationContext, type RevocationStatus, type PathRevocation } from './validate-path.js';
export { createCrlRevocationChecker, parseCrl, type CrlCheckerOptions } from './crl.js';
export { mozillaEmailAnchors, mozillaRootsSource, anchorAllowsEmail, anchorCertificate, type TrustAnchor, type AnchorSource, type AnchorPurpose } from './anchors.js';
