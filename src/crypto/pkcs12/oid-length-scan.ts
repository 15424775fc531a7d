/**
 * PKCS#12's tighter OID cap on top of the one `parseBer` applies to every caller (SEC-31, F9): PKCS#12 OIDs are
 * at most a dozen bytes, so `maxPkcs12OidBytes` is smaller than the engine-wide `maxOidBytes`. The scan itself
 * lives in `../asn1.ts`.
 */
import { refuseLongOids as refuseLongOidsIn } from '../asn1.js';

/**
 * Throws when any OBJECT IDENTIFIER or RELATIVE-OID in `bytes` is longer than `maxOidBytes`.
 * @throws LimitError `maxPkcs12OidBytes`.
 */
export function refuseLongOids(bytes: Uint8Array, maxOidBytes: number, maxDepth: number, what: string): void {
  refuseLongOidsIn(bytes, maxOidBytes, maxDepth, what, 'maxPkcs12OidBytes');
}
