#!/usr/bin/env node
// PKCS#12 import/export performance (issue #5; docs/performance.md): a normal import must not take seconds.
//  - OpenSSL 3 default file (PBKDF2 2048, SHA-1 MAC 2048) and legacy 3DES/RC2 files (20 000 KDF iterations);
//  - NSS-style files (600 000 PBKDF2 and 600 000 MAC iterations, as Waxseal and pk12util write them);
//  - the RFC 7292 KDF alone at 600 000 iterations (SHA-1, SHA-256, SHA-512), and 3DES/RC2 throughput.
// Run: `node bench/pkcs12.bench.mjs` (or `npm run bench`). Numbers are printed, never asserted.
import { build } from 'esbuild';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { webcrypto } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURES = path.join(ROOT, 'test/fixtures/pyca-pkcs12-pkcs7/pkcs12');

async function importTs(entry) {
  const result = await build({ entryPoints: [path.join(ROOT, entry)], bundle: true, write: false, format: 'esm', platform: 'node', target: 'es2022', logLevel: 'silent' });
  return import(`data:text/javascript;base64,${Buffer.from(result.outputFiles[0].text).toString('base64')}`);
}

const p12 = await importTs('bench/pkcs12.bench-entry.ts');
const crypto = webcrypto;

async function measure(label, runs, fn) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  console.log(`${label.padEnd(62)} best ${times[0].toFixed(1).padStart(8)} ms   median ${times[Math.floor(times.length / 2)].toFixed(1).padStart(8)} ms   (${runs} runs)`);
}

console.log(`node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
const file = (name) => new Uint8Array(fs.readFileSync(path.join(FIXTURES, name)));

const modern = file('cert-key-aes256cbc.p12');
await measure('import PBES2/AES-256, SHA-1 MAC (pyca cert-key-aes256cbc)', 10, () => p12.importPkcs12(modern, 'cryptography', { crypto }));
const legacy = file('cert-rc2-key-3des.p12');
await measure('import RC2-40 + 3DES legacy (pyca cert-rc2-key-3des)', 10, () => p12.importPkcs12(legacy, 'cryptography', { crypto }));
const legacy20k = file('name-all-pwd.p12');
await measure('import 3DES, 20 000 KDF iterations, 3 certs (pyca name-all-pwd)', 5, () => p12.importPkcs12(legacy20k, 'password', { crypto }));

const identity = (await p12.importPkcs12(modern, 'cryptography', { crypto })).identities[0];
let exported;
await measure('export, 600 000 PBKDF2 + 600 000 MAC iterations (defaults)', 3, async () => {
  exported = await p12.exportPkcs12(identity, 'bench password', { crypto });
});
await measure('import of that export', 3, () => p12.importPkcs12(exported, 'bench password', { crypto }));

for (const hash of ['SHA-1', 'SHA-256', 'SHA-512']) {
  await measure(`RFC 7292 KDF, ${hash}, 600 000 iterations, one block`, 3, () =>
    p12.derivePkcs12Key({ hash, password: p12.pkcs12PasswordBytes('bench'), salt: new Uint8Array(8), iterations: 600_000, purpose: 3, length: 20 }));
}

const data = crypto.getRandomValues(new Uint8Array(64 * 1024));
const iv = new Uint8Array(8);
await measure('3DES-CBC encrypt 64 KiB', 3, () => p12.cbcEncrypt(p12.createTripleDes(crypto.getRandomValues(new Uint8Array(24))), iv, data));
await measure('RC2-40-CBC encrypt 64 KiB', 3, () => p12.cbcEncrypt(p12.createRc2(crypto.getRandomValues(new Uint8Array(5)), 40), iv, data));
