/**
 * Reading-side test keys for messages signed under the RFC 9216 sample PKI (test/fixtures/rfc9216-examples-cms):
 * a key store with nothing unlocked, nothing harvested, and the sample RSA root as the user's only anchor.
 */
import { readFileSync } from 'node:fs';
import { parseCertificates, type HarvestDecision } from '../../src/crypto/index.js';
import type { ReaderKeys } from '../../src/background/read/message-reader.js';

/** A file under test/fixtures, as bytes. */
export function fixtureBytes(path: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`../fixtures/${path}`, import.meta.url)));
}

export const RFC9216_RSA_ROOT = parseCertificates(fixtureBytes('rfc9216-examples-cms/certs/Sample_LAMPS_RSA_Certification_Authority.selfsigned.pem'))[0]!.der;

export const publicReaderKeys: ReaderKeys = {
  isUnlocked: () => false,
  decryptionIdentities: () => [],
  ownIdentities: async () => [],
  userAnchors: async () => [{ der: RFC9216_RSA_ROOT, source: 'user', purposes: ['email'] }],
  isKnownCertificate: async () => false,
  harvest: async () => null as HarvestDecision | null,
};
