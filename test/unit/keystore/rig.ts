/**
 * Key store test rig: a fresh fake IndexedDB per test, a manual clock, and import items built from
 * the test PKI (TEST KEYS — NOT SECRET).
 */
import { webcrypto } from 'node:crypto';
// idb recognises requests by the global IDB classes, so the fake installs them; each rig still gets its own factory.
import 'reflect-metadata';
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import * as x509 from '@peculiar/x509';
import { DEFAULT_KEYSTORE_POLICY, type KeystorePolicy } from '../../../src/crypto/index.js';
import { openKeystoreDb, type KeystoreDb } from '../../../src/background/keystore/db.js';
import { Keystore, type FaultInjector, type IdentityImport } from '../../../src/background/keystore/keystore.js';
import { createKeySession, type Clock, type KeySession } from '../../../src/background/keystore/session.js';
import type { TestIdentity } from '../../helpers/pki.js';

export const crypto = webcrypto as unknown as Crypto;

/** A strong passphrase for tests. TEST PASSPHRASE — NOT SECRET. */
export const PASSPHRASE = 'correct horse battery staple';
export const OTHER_PASSPHRASE = 'purple monkey dishwasher 42';

/** Fast PBKDF2 for tests that are not about the iteration count; those use the real default. */
export const FAST_POLICY: KeystorePolicy = { ...DEFAULT_KEYSTORE_POLICY, pbkdf2Iterations: 1000 };

export interface ManualClock extends Clock {
  advance(ms: number): void;
  pending(): number;
}

export function manualClock(start = Date.parse('2026-06-01T00:00:00Z')): ManualClock {
  let now = start;
  let nextId = 1;
  const timers = new Map<number, { at: number; callback: () => void }>();
  return {
    now: () => now,
    setTimeout(callback, ms) {
      const id = nextId++;
      timers.set(id, { at: now + ms, callback });
      return id;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    advance(ms) {
      const target = now + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.at <= target).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].callback();
      }
      now = target;
    },
    pending: () => timers.size,
  };
}

export interface Rig {
  factory: IDBFactory;
  db: KeystoreDb;
  clock: ManualClock;
  session: KeySession;
  keystore: Keystore;
  faults: { fail: ((operation: string, step: number) => boolean) | null };
  /** A second Keystore on the same database, as after a background restart. */
  restart(): Promise<Rig>;
}

export async function createRig(policy: KeystorePolicy = FAST_POLICY, factory = new IDBFactory(), name = 'waxseal-keystore'): Promise<Rig> {
  const db = await openKeystoreDb({ factory, name });
  const clock = manualClock();
  const session = createKeySession(policy, clock);
  const faults: Rig['faults'] = { fail: null };
  const injector: FaultInjector = {
    beforeWrite(operation, step) {
      if (faults.fail?.(operation, step)) throw new Error(`injected failure in ${operation} at write ${step}`);
    },
  };
  const keystore = new Keystore({ db, crypto, session, policy, clock, faults: injector });
  return {
    factory, db, clock, session, keystore, faults,
    restart: async () => {
      db.close();
      return createRig(policy, factory, name);
    },
  };
}

function emailsOf(certificate: x509.X509Certificate): string[] {
  const san = certificate.getExtension(x509.SubjectAlternativeNameExtension);
  return san ? san.names.items.filter((n) => n.type === 'email').map((n) => n.value) : [];
}

/** An import item as the handler builds it from a PKCS#12 entry. */
export function importItem(identity: TestIdentity, chain: TestIdentity[] = []): IdentityImport {
  const cert = identity.x509;
  return {
    pkcs8: new Uint8Array(identity.pkcs8),
    certificate: new Uint8Array(identity.certificate),
    chain: chain.map((c) => new Uint8Array(c.certificate)),
    friendlyName: identity.label,
    emailAddresses: emailsOf(cert),
    subject: cert.subject,
    issuer: cert.issuer,
    serialNumberHex: cert.serialNumber,
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
    usableForSigning: true,
    usableForEncryption: true,
  };
}

/** Every value of every object store, as structured clones (for snapshots and raw scans). */
export async function snapshot(db: KeystoreDb): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const name of db.objectStoreNames) out[name] = await db.getAll(name);
  return out;
}

export function sha256Hex(bytes: Uint8Array): Promise<string> {
  return crypto.subtle.digest('SHA-256', new Uint8Array(bytes)).then((d) => Buffer.from(d).toString('hex'));
}
