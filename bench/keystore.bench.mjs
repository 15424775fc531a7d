#!/usr/bin/env node
// Key store performance (issue #5, docs/performance.md G9):
//  - unlock with PBKDF2-HMAC-SHA256 at 600 000 iterations: target <= 300 ms, and exactly ONE PBKDF2 per unlock
//    whatever the number of keys (counted by wrapping subtle.deriveBits);
//  - 10 000 stored correspondent certificates: listing one address through the index, target <= 5 ms.
// Run: `node bench/keystore.bench.mjs` (or `npm run bench`). Uses fake-indexeddb in Node, so the IndexedDB numbers
// are indicative; Thunderbird's IndexedDB is native code.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { build } from 'esbuild';
import { record } from './results.mjs';
import path from 'node:path';
import { webcrypto } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function importTs(entry) {
  const result = await build({ entryPoints: [path.join(ROOT, entry)], bundle: true, write: false, format: 'esm', platform: 'node', target: 'es2022', logLevel: 'silent' });
  return import(`data:text/javascript;base64,${Buffer.from(result.outputFiles[0].text).toString('base64')}`);
}

const ks = await importTs('bench/keystore.bench-entry.ts');
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

let pbkdf2Calls = 0;
const subtle = webcrypto.subtle;
const countingSubtle = new Proxy(subtle, {
  get(target, prop) {
    const value = Reflect.get(target, prop, target);
    if (prop === 'deriveBits') {
      return (algorithm, key, length) => {
        if (algorithm?.name === 'PBKDF2') pbkdf2Calls++;
        return value.call(target, algorithm, key, length);
      };
    }
    return typeof value === 'function' ? value.bind(target) : value;
  },
});
const crypto = { subtle: countingSubtle, getRandomValues: (a) => webcrypto.getRandomValues(a) };

const clock = { now: () => Date.now(), setTimeout: (f, ms) => setTimeout(f, ms), clearTimeout: (h) => clearTimeout(h) };
const PASSPHRASE = 'correct horse battery staple';

async function storeWithKeys(count) {
  const db = await ks.openKeystoreDb({ factory: new IDBFactory(), name: `bench-${count}` });
  const session = ks.createKeySession(ks.DEFAULT_KEYSTORE_POLICY, clock);
  const keystore = new ks.Keystore({ db, crypto, session, policy: ks.DEFAULT_KEYSTORE_POLICY, clock });
  const items = [];
  for (let i = 0; i < count; i++) {
    const pair = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign']);
    const pkcs8 = new Uint8Array(await webcrypto.subtle.exportKey('pkcs8', pair.privateKey));
    // Unlock never parses the certificate; distinct placeholder bytes give distinct fingerprints.
    const certificate = webcrypto.getRandomValues(new Uint8Array(800));
    items.push({ pkcs8, certificate, chain: [], friendlyName: null, emailAddresses: [`user${i}@example.org`], subject: `CN=user${i}`, issuer: 'CN=CA', serialNumberHex: String(i), notBefore: '2026-01-01T00:00:00.000Z', notAfter: '2028-01-01T00:00:00.000Z', usableForSigning: true, usableForEncryption: true });
  }
  await keystore.importIdentities(items, PASSPHRASE);
  return { keystore, session };
}

for (const keys of [1, 10]) {
  const { keystore, session } = await storeWithKeys(keys);
  const times = [];
  const calls = [];
  for (let i = 0; i < 5; i++) {
    session.lock();
    pbkdf2Calls = 0;
    const start = performance.now();
    await keystore.unlock(PASSPHRASE);
    times.push(performance.now() - start);
    calls.push(pbkdf2Calls);
  }
  session.lock();
  record({ goal: 'G9', what: `key store unlock, ${keys} key(s), PBKDF2-SHA256 600k (median)`, figure: `${median(times).toFixed(0)} ms`, ratio: null, target: '<= 300 ms, 1 PBKDF2', ok: median(times) <= 300 && calls.every((c) => c === 1) });
  console.log(`unlock, ${keys} key(s), PBKDF2-SHA256 600k: median ${median(times).toFixed(1)} ms (target <= 300 ms); PBKDF2 runs per unlock: ${[...new Set(calls)].join(',')} (target 1)`);
}

{
  const db = await ks.openKeystoreDb({ factory: new IDBFactory(), name: 'bench-people' });
  const people = new ks.PeopleCertificates(db, clock);
  const certificate = webcrypto.getRandomValues(new Uint8Array(1200));
  const tx = db.transaction('people', 'readwrite');
  for (let i = 0; i < 10_000; i++) {
    const address = `person${i % 5000}@example.org`;
    const fingerprintSha256 = i.toString(16).padStart(64, '0');
    tx.store.put({ id: `${address} ${fingerprintSha256}`, address, fingerprintSha256, certificate, subject: `CN=${address}`, issuer: 'CN=CA', notBefore: '2026-01-01T00:00:00.000Z', notAfter: '2028-01-01T00:00:00.000Z', role: 'both', firstSeen: '2026-01-01T00:00:00.000Z', lastSeen: '2026-01-01T00:00:00.000Z', provenance: [{ source: 'harvested', sender: address, date: '2026-01-01T00:00:00.000Z', messageId: null }], pinned: false, state: 'active' });
  }
  await tx.done;
  const lookups = [];
  for (let i = 0; i < 50; i++) {
    const start = performance.now();
    const found = await people.list(`person${(i * 97) % 5000}@example.org`);
    lookups.push(performance.now() - start);
    if (found.length !== 2) throw new Error(`expected 2 certificates, got ${found.length}`);
  }
  const start = performance.now();
  const all = await people.list();
  const listAll = performance.now() - start;
  record({ goal: 'store', what: '10 000 certificates: look up one address (median)', figure: `${median(lookups).toFixed(2)} ms`, ratio: null, target: '<= 5 ms', ok: median(lookups) <= 5 });
  console.log(`10 000 certificates: look up one address by index: median ${median(lookups).toFixed(2)} ms (target <= 5 ms); list all ${all.length}: ${listAll.toFixed(0)} ms`);
}
