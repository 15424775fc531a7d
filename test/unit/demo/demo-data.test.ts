/**
 * Smoke test of `npm start`'s demo content (issue #2), without Thunderbird: the demo setup runs into a
 * temp dir, and independent tools judge it — openssl verifies the signed sample against the demo root
 * and rejects the tampered one, openssl decrypts the encrypted sample with alice's key — and the key
 * store records open with the printed passphrase in the real key store code.
 * Fixed verification time 2026-06-01T00:00:00Z (the demo PKI is valid 2025–2035).
 */
import 'reflect-metadata';
import 'fake-indexeddb/auto';
import { execFileSync } from 'node:child_process';
import { createHash, webcrypto } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_KEYSTORE_POLICY } from '../../../src/crypto/index.js';
import { openKeystoreDb } from '../../../src/background/keystore/db.js';
import { Keystore } from '../../../src/background/keystore/keystore.js';
import { createKeySession, systemClock } from '../../../src/background/keystore/session.js';
import {
  DEMO_FOLDER,
  ENCRYPTED_LINE,
  SIGNED_LINE,
  TAMPERED_LINE,
  prepareDemo,
  writeDemoFolder,
  type Demo,
  type Json,
} from '../../../scripts/demo/demo-data.mjs';

const AT_TIME = String(Date.parse('2026-06-01T00:00:00Z') / 1000);
const crypto = webcrypto as unknown as Crypto;

function openssl(args: string[], input?: Buffer): { status: number; out: string; err: string } {
  try {
    const out = execFileSync('openssl', args, { input, stdio: ['pipe', 'pipe', 'pipe'] });
    return { status: 0, out: out.toString('latin1'), err: '' };
  } catch (error) {
    const e = error as { code?: string; status?: number; stdout?: Buffer; stderr?: Buffer };
    if (e.code === 'ENOENT') throw new Error('openssl is missing: apt-get install -y openssl libnss3-tools');
    return { status: e.status ?? 1, out: e.stdout?.toString('latin1') ?? '', err: e.stderr?.toString() ?? '' };
  }
}

function decode(value: Json): unknown {
  if (Array.isArray(value)) return value.map(decode);
  if (value && typeof value === 'object') {
    if (typeof value.$bytes === 'string') return new Uint8Array(Buffer.from(value.$bytes, 'base64'));
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decode(v)]));
  }
  return value;
}

const derOf = (pem: string): Buffer => Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');

describe('npm start demo content (issue #2)', () => {
  let dir: string;
  let demo: Demo;
  const sample = (name: string): Buffer => {
    const found = demo.messages.find((m) => m.name === name);
    if (!found) throw new Error(`no ${name} sample`);
    return found.bytes;
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'waxseal-demo-test-'));
    demo = await prepareDemo(path.join(dir, 'demo'));
  }, 120_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes the three samples into a Local Folders mbox in the profile, byte for byte', () => {
    const file = writeDemoFolder(path.join(dir, 'profile'), demo.messages);
    expect(file).toBe(path.join(dir, 'profile', 'Mail', 'Local Folders', DEMO_FOLDER));
    const mbox = fs.readFileSync(file).toString('latin1');
    const parts = mbox.split(/^From - [^\r\n]*\r\n/m).slice(1).map((p) => p.replace(/\r\n$/, ''));
    expect(parts).toHaveLength(3);
    expect(parts).toEqual(demo.messages.map((m) => m.bytes.toString('latin1')));
    expect(demo.messages.map((m) => m.name)).toEqual(['signed', 'encrypted', 'tampered']);
  });

  it('openssl verifies the signed sample from bob against the demo root', () => {
    const result = openssl(['cms', '-verify', '-CAfile', demo.files.rootPem, '-attime', AT_TIME], sample('signed'));
    expect(result.err).not.toMatch(/failure/i);
    expect(result.status).toBe(0);
    expect(result.out).toContain(SIGNED_LINE);
  });

  it('openssl rejects the tampered sample: only the signed line differs and its digest no longer matches', () => {
    const withoutOwnHeaders = (name: string): string => sample(name).toString('latin1').replace(/^(Subject|Date|Message-ID): .*\r\n/gm, '');
    expect(withoutOwnHeaders('tampered')).not.toBe(withoutOwnHeaders('signed'));
    expect(withoutOwnHeaders('tampered').replace(TAMPERED_LINE, SIGNED_LINE)).toBe(withoutOwnHeaders('signed'));
    const result = openssl(['cms', '-verify', '-CAfile', demo.files.rootPem, '-attime', AT_TIME], sample('tampered'));
    expect(result.status).not.toBe(0);
    expect(result.err).toMatch(/digest failure|verification failure/i);
  });

  it('openssl decrypts the encrypted sample with alice\'s key', () => {
    const keyFile = path.join(dir, 'alice.key');
    fs.writeFileSync(keyFile, demo.pem.alice.key);
    const result = openssl(['cms', '-decrypt', '-recip', demo.files.aliceCert, '-inkey', keyFile], sample('encrypted'));
    expect(result.status).toBe(0);
    expect(result.out).toContain(ENCRYPTED_LINE);
  });

  it('the key store records hold alice\'s identity, bob\'s certificate and the demo root as a user anchor, and the printed passphrase unlocks alice\'s key', async () => {
    const rootFingerprint = createHash('sha256').update(derOf(demo.pem.root)).digest('hex');
    const anchors = demo.stores.anchors as { fingerprintSha256: string; addedBy: string }[];
    expect(anchors.map((a) => [a.fingerprintSha256.toLowerCase().replace(/:/g, ''), a.addedBy])).toContainEqual([rootFingerprint, 'user']);
    const people = demo.stores.people as { address: string }[];
    expect(people.map((p) => p.address)).toContain('bob@example.com');

    // The demo's records come from a bundled copy of the provisioning helper, whose fake IndexedDB
    // installed the global IDB classes last; idb recognises requests by those, so use that factory.
    const db = await openKeystoreDb({ factory: globalThis.indexedDB, name: `demo-smoke-${Date.now()}` });
    for (const [name, records] of Object.entries(demo.stores)) {
      for (const record of records) await db.put(name as 'meta', decode(record) as never);
    }
    const session = createKeySession(DEFAULT_KEYSTORE_POLICY);
    const keystore = new Keystore({ db, crypto, session, policy: DEFAULT_KEYSTORE_POLICY, clock: systemClock });
    const outcome = await keystore.unlock(demo.passphrase);
    expect(outcome.damaged).toEqual([]);
    const identities = await keystore.listIdentities();
    expect(identities).toHaveLength(1);
    expect(Buffer.from(identities[0]!.certificate).equals(derOf(demo.pem.alice.certificate))).toBe(true);
    expect(session.isUnlocked()).toBe(true);
    db.close();
  }, 60_000);
});
