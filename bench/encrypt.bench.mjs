#!/usr/bin/env node
// Encryption performance (issue #4; docs/performance.md G1, G4), measured against OpenSSL in the same run:
//  - G1 sign + encrypt a 25 MiB message: Waxseal signEntity + encryptEntity (warm, in process) against the
//    `openssl cms -sign -outform SMIME | openssl cms -encrypt -outform SMIME` pipeline (wall time);
//  - G4 extra peak memory of encryptEntity, in a child process (VmHWM above the RSS with the message loaded).
// Run: `node bench/encrypt.bench.mjs [--quick]` (or `npm run bench`). Numbers are printed, never asserted.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { webcrypto } from 'node:crypto';
import { record } from './results.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const QUICK = process.argv.includes('--quick');
const RUNS = QUICK ? 2 : 5;
const crypto = webcrypto;
const dir = mkdtempSync(path.join(tmpdir(), 'waxseal-enc-bench-'));
const file = (name) => path.join(dir, name);

function openssl(args, options = {}) {
  const r = spawnSync('openssl', args, { maxBuffer: 1 << 30, ...options });
  if (r.error?.code === 'ENOENT') throw new Error('openssl is not installed; install it with: apt-get install -y openssl libnss3-tools');
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

// TEST KEYS — NOT SECRET: a CA, a signer (alice) and a recipient (bob), generated per run.
function makePki() {
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('ca.key'), '-out', file('ca.pem'), '-subj', '/CN=Bench CA', '-days', '3650', '-addext', 'basicConstraints=critical,CA:true', '-addext', 'keyUsage=critical,keyCertSign']);
  for (const [name, usage] of [['alice', 'digitalSignature'], ['bob', 'keyEncipherment']]) {
    openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', file(`${name}.key`), '-out', file(`${name}.csr`), '-subj', `/CN=${name}`]);
    writeFileSync(file(`${name}.ext`), `subjectAltName=email:${name}@example.com\nkeyUsage=critical,${usage}\nextendedKeyUsage=emailProtection\n`);
    openssl(['x509', '-req', '-in', file(`${name}.csr`), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-CAcreateserial', '-out', file(`${name}.pem`), '-days', '3000', '-extfile', file(`${name}.ext`)]);
    openssl(['pkcs8', '-topk8', '-nocrypt', '-in', file(`${name}.key`), '-out', file(`${name}.p8`)]);
  }
  const der = (name, label) => new Uint8Array(Buffer.from(readFileSync(file(name), 'latin1').split(`-----BEGIN ${label}-----`)[1].split('-----END')[0].replace(/\s+/g, ''), 'base64'));
  return { alice: { certificate: der('alice.pem', 'CERTIFICATE'), pkcs8: der('alice.p8', 'PRIVATE KEY') }, bob: { certificate: der('bob.pem', 'CERTIFICATE'), pkcs8: der('bob.p8', 'PRIVATE KEY') } };
}

/** multipart/mixed: a short text part and a base64 (76 columns, CRLF) attachment, `size` bytes in all. */
export function makeMessage(size) {
  const head = 'Content-Type: multipart/mixed; boundary="bench"\r\n\r\n--bench\r\nContent-Type: text/plain\r\n\r\nSee the attachment.\r\n--bench\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n';
  const tail = '\r\n--bench--\r\n';
  const rawLength = Math.floor(((size - head.length - tail.length) / 78) * 57);
  const raw = new Uint8Array(rawLength);
  for (let i = 0; i < raw.length; i += 65536) crypto.getRandomValues(raw.subarray(i, Math.min(raw.length, i + 65536)));
  const b64 = Buffer.from(raw).toString('base64').replace(/.{76}/g, '$&\r\n');
  return new Uint8Array(Buffer.from(head + b64 + tail, 'latin1'));
}

async function bundleEngine() {
  const result = await build({ entryPoints: [path.join(ROOT, 'src/crypto/index.ts')], bundle: true, write: false, format: 'esm', platform: 'neutral', target: 'es2022', logLevel: 'silent', mainFields: ['module', 'main'] });
  const out = file('engine.mjs');
  writeFileSync(out, result.outputFiles[0].text);
  return out;
}

async function median(runs, fn) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

function line(label, ours, theirs, goal, stretch) {
  const ratio = ours / theirs;
  const id = /^G\d/.test(label) ? label.slice(0, 2) : label.trim().startsWith('sign') ? 'G1' : '';
  record({ goal: id, what: label.replace(/^G\d+ /, '').trim(), figure: `${ours.toFixed(0)} ms vs ${theirs.toFixed(0)} ms (median)`, ratio, target: `<= ${goal}x${stretch ? ` (aim ${stretch}x)` : ''}`, ok: ratio <= goal });
  const verdict = ratio <= goal ? 'meets' : 'MISSES';
  console.log(`${label.padEnd(44)} waxseal ${ours.toFixed(0).padStart(6)} ms  openssl ${theirs.toFixed(0).padStart(6)} ms  ratio ${ratio.toFixed(2)}x  goal <= ${goal}x${stretch ? ` (aim ${stretch}x)` : ''}: ${verdict}`);
}

console.log(`node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}${QUICK ? ', quick' : ''}`);
const pki = makePki();
const enginePath = await bundleEngine();
const engine = await import(enginePath);
const policy = engine.DEFAULT_POLICY;
const SIZE = 25 * 1024 * 1024;
const message = makeMessage(SIZE);
writeFileSync(file('message.mime'), message);

const signerKey = await crypto.subtle.importKey('pkcs8', pki.alice.pkcs8, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
const signAndEncrypt = async (cipher) => {
  const signed = await engine.signEntity({ entity: message, signer: { certificate: pki.alice.certificate, privateKey: signerKey, chain: [] }, crypto, policy, form: 'detached' });
  return engine.encryptEntity({ entity: signed, recipients: [{ certificate: pki.bob.certificate }], self: { certificate: pki.alice.certificate }, crypto, options: { cipher } });
};
await signAndEncrypt('AES-256-CBC');
const pipeline = () => {
  const start = performance.now();
  const r = spawnSync('sh', ['-c', `openssl cms -sign -in ${file('message.mime')} -signer ${file('alice.pem')} -inkey ${file('alice.key')} -md sha256 -outform SMIME | openssl cms -encrypt -aes-256-cbc -recip ${file('bob.pem')} -outform SMIME > ${file('pipeline.out')}`]);
  if (r.status !== 0) throw new Error(`openssl pipeline failed: ${r.stderr}`);
  return performance.now() - start;
};
const opensslTimes = [];
for (let i = 0; i < RUNS; i++) opensslTimes.push(pipeline());
opensslTimes.sort((a, b) => a - b);
const opensslPipeline = opensslTimes[Math.floor(RUNS / 2)];
line('G1 sign + encrypt 25 MiB, AES-256-CBC', await median(RUNS, () => signAndEncrypt('AES-256-CBC')), opensslPipeline, 1.5, 1.2);
line('   sign + encrypt 25 MiB, AES-256-GCM', await median(RUNS, () => signAndEncrypt('AES-256-GCM')), opensslPipeline, 1.5, 1.2);
const encryptOnly = await median(RUNS, () => engine.encryptEntity({ entity: message, recipients: [{ certificate: pki.bob.certificate }], self: { certificate: pki.alice.certificate }, crypto }));
const opensslEncrypt = await median(RUNS, () => openssl(['cms', '-encrypt', '-aes-256-cbc', '-in', file('message.mime'), '-binary', '-recip', file('bob.pem'), '-outform', 'SMIME', '-out', file('enc.out')]));
line('   encrypt only 25 MiB (cms -encrypt SMIME)', encryptOnly, opensslEncrypt, 1.5);

// G4: extra peak memory in a fresh process.
const child = `
import { readFileSync } from 'node:fs';
import { webcrypto as crypto } from 'node:crypto';
const engine = await import(${JSON.stringify(enginePath)});
const message = new Uint8Array(readFileSync(${JSON.stringify(file('message.mime'))}));
const der = (f) => new Uint8Array(readFileSync(f));
const certificate = der(${JSON.stringify(file('bob.der'))});
const hwm = () => Number(/VmHWM:\\s+(\\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]) * 1024;
const rss = () => Number(/VmRSS:\\s+(\\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]) * 1024;
globalThis.gc?.();
const base = Math.max(rss(), hwm());
const result = await engine.encryptEntity({ entity: message, recipients: [{ certificate }], self: { certificate }, crypto, options: { cipher: process.argv[2] } });
console.log(JSON.stringify({ base, peak: hwm(), out: result.entity.length }));
`;
writeFileSync(file('bob.der'), pki.bob.certificate);
writeFileSync(file('child.mjs'), child);
for (const cipher of ['AES-256-CBC', 'AES-256-GCM']) {
  const r = spawnSync(process.execPath, ['--expose-gc', file('child.mjs'), cipher], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  const { base, peak } = JSON.parse(r.stdout);
  const extra = (peak - base) / SIZE;
  record({ goal: 'G4', what: `extra peak memory, encrypt 25 MiB ${cipher}`, figure: `${((peak - base) / 1048576).toFixed(0)} MiB`, ratio: extra, target: '<= 3x message', ok: extra <= 3 });
  console.log(`G4 extra peak memory, encryptEntity ${cipher}, 25 MiB: ${((peak - base) / 1048576).toFixed(0)} MiB = ${extra.toFixed(2)}x message  goal <= 3x: ${extra <= 3 ? 'meets' : 'MISSES'}`);
}
rmSync(dir, { recursive: true, force: true });
