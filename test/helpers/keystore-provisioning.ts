/**
 * Builds the records of a provisioned Waxseal key store (the user's identity under a passphrase,
 * correspondents' certificates, the test root as a trust anchor) with the real key store code over
 * fake IndexedDB, and returns them as plain JSON (bytes as `{ $bytes: base64 }`). The end-to-end rig
 * writes them into Thunderbird's copy of Waxseal's database (test/e2e/scenarios/compose-provision.mjs),
 * so every scenario that needs keys starts from the same, real record format.
 *
 * TEST KEYS AND PASSPHRASE — NOT SECRET. Certificates are made at run time, so nothing expires.
 */
import 'reflect-metadata';
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { webcrypto } from 'node:crypto';
import { DEFAULT_KEYSTORE_POLICY, describeCertificate } from '../../src/crypto/index.js';
import { TrustAnchors } from '../../src/background/keystore/anchors.js';
import { openKeystoreDb } from '../../src/background/keystore/db.js';
import { Keystore } from '../../src/background/keystore/keystore.js';
import { PeopleCertificates } from '../../src/background/keystore/people.js';
import { createKeySession, systemClock } from '../../src/background/keystore/session.js';
import { createTestPki, toPem, type TestIdentity } from './pki.js';

const crypto = webcrypto as unknown as Crypto;

/** TEST PASSPHRASE — NOT SECRET. */
export const PROVISIONED_PASSPHRASE = 'correct horse battery staple';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function toJson(value: unknown): Json {
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString('base64') };
  if (Array.isArray(value)) return value.map(toJson);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]));
  return value as Json;
}

export interface ProvisionedKeystore {
  passphrase: string;
  /** Object store name → records, as put() takes them. */
  stores: Record<string, Json[]>;
  /** PEM material for the runner's own checks (openssl, cmsutil). TEST KEYS — NOT SECRET. */
  pem: { root: string; emailCa: string; alice: { certificate: string; key: string }; bob: { certificate: string; key: string }; dave: { certificate: string; key: string } };
}

function pemPair(identity: TestIdentity): { certificate: string; key: string } {
  return { certificate: toPem(identity.certificate), key: toPem(identity.pkcs8, 'PRIVATE KEY') };
}

/**
 * alice@example.com is the user (RSA, current for signing and encryption); bob@example.com and
 * dave@example.com are correspondents with certificates (imported); anyone else has none.
 */
export async function provisionKeystore(): Promise<ProvisionedKeystore> {
  const pki = await createTestPki(crypto);
  const db = await openKeystoreDb({ factory: new IDBFactory(), name: `provision-${Date.now()}` });
  const session = createKeySession(DEFAULT_KEYSTORE_POLICY);
  const keystore = new Keystore({ db, crypto, session, policy: DEFAULT_KEYSTORE_POLICY, clock: systemClock });
  const alice = pki.users.alice.rsa;
  const summary = await describeCertificate(alice.certificate, crypto);
  await keystore.importIdentities(
    [
      {
        pkcs8: new Uint8Array(alice.pkcs8),
        certificate: new Uint8Array(alice.certificate),
        chain: [new Uint8Array(pki.emailCa.certificate)],
        friendlyName: 'Alice (test)',
        emailAddresses: summary.emailAddresses,
        subject: summary.subject,
        issuer: summary.issuer,
        serialNumberHex: summary.serialNumberHex,
        notBefore: summary.notBefore,
        notAfter: summary.notAfter,
        usableForSigning: true,
        usableForEncryption: true,
      },
    ],
    PROVISIONED_PASSPHRASE,
  );
  session.lock();
  const people = new PeopleCertificates(db, systemClock);
  const date = new Date().toISOString();
  for (const who of [pki.users.bob, pki.users.dave]) {
    const s = await describeCertificate(who.rsa.certificate, crypto);
    await people.add(
      [{ address: who.email, fingerprintSha256: s.fingerprintSha256, certificate: new Uint8Array(who.rsa.certificate), subject: s.subject, issuer: s.issuer, notBefore: s.notBefore, notAfter: s.notAfter, role: 'both', state: 'active' }],
      { source: 'imported', date, fileName: `${who.email}.pem` },
      false,
    );
  }
  const root = await describeCertificate(pki.root.certificate, crypto);
  await new TrustAnchors(db).add({ fingerprintSha256: root.fingerprintSha256, certificate: new Uint8Array(pki.root.certificate), subject: root.subject, addedBy: 'user', purposes: ['emailSigning', 'emailEncryption'], addedAt: date });
  const stores: Record<string, Json[]> = {};
  for (const name of db.objectStoreNames) stores[name] = (await db.getAll(name)).map(toJson);
  db.close();
  return {
    passphrase: PROVISIONED_PASSPHRASE,
    stores,
    pem: { root: toPem(pki.root.certificate), emailCa: toPem(pki.emailCa.certificate), alice: pemPair(alice), bob: pemPair(pki.users.bob.rsa), dave: pemPair(pki.users.dave.rsa) },
  };
}
