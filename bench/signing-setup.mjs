// Shared setup of bench/sign.bench.mjs and bench/verify.bench.mjs: a test CA and an RSA-2048 signer made
// with openssl (TEST KEYS — NOT SECRET, generated per run in a temp dir), the engine bundled in memory by
// esbuild, and timing helpers. openssl runs are timed as whole processes, as a user would run them.
import { build } from 'esbuild';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { webcrypto } from 'node:crypto';
import { record } from './results.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const crypto = webcrypto;

export async function importEngine() {
  const result = await build({ entryPoints: [path.join(ROOT, 'src/crypto/index.ts')], bundle: true, write: false, format: 'esm', platform: 'neutral', target: 'es2022', logLevel: 'silent', mainFields: ['module', 'main'] });
  return import(`data:text/javascript;base64,${Buffer.from(result.outputFiles[0].text).toString('base64')}`);
}

export function openssl(args) {
  const result = spawnSync('openssl', args, { maxBuffer: 512 * 1024 * 1024 });
  if (result.error?.code === 'ENOENT') throw new Error('openssl is not installed; install it with: apt-get install -y openssl libnss3-tools');
  if (result.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

export function makePki() {
  const dir = mkdtempSync(path.join(tmpdir(), 'waxseal-bench-'));
  const file = (name) => path.join(dir, name);
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('ca.key'), '-out', file('ca.pem'), '-subj', '/CN=Bench CA', '-days', '3650',
    '-addext', 'basicConstraints=critical,CA:true', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('alice.key'), '-out', file('alice.csr'), '-subj', '/CN=Alice']);
  writeFileSync(file('ext'), 'subjectAltName=email:alice@example.com\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=emailProtection\n');
  openssl(['x509', '-req', '-in', file('alice.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-CAcreateserial', '-out', file('alice.pem'), '-days', '3000', '-extfile', file('ext')]);
  openssl(['pkcs8', '-topk8', '-nocrypt', '-in', file('alice.key'), '-out', file('alice.p8')]);
  const der = (pemFile, label) => Buffer.from(readFileSync(pemFile, 'latin1').split(`-----BEGIN ${label}-----`)[1].split('-----END')[0].replace(/\s+/g, ''), 'base64');
  return {
    dir, file,
    caDer: new Uint8Array(der(file('ca.pem'), 'CERTIFICATE')),
    aliceDer: new Uint8Array(der(file('alice.pem'), 'CERTIFICATE')),
    alicePkcs8: new Uint8Array(der(file('alice.p8'), 'PRIVATE KEY')),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A 7-bit message body of about `size` bytes: text and base64 lines, CRLF. */
export function mailEntity(size) {
  const head = 'Content-Type: multipart/mixed; boundary="bench-b"\r\n\r\n--bench-b\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nHello Bob,\r\nthe figures are attached.\r\n--bench-b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename="figures.bin"\r\n\r\n';
  const tail = '\r\n--bench-b--\r\n';
  const random = new Uint8Array(Math.max(0, Math.floor(((size - head.length - tail.length) * 57) / 78)));
  for (let i = 0, x = 0x9e3779b9; i < random.length; i++) { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; random[i] = x & 0xff; }
  const body = Buffer.from(random).toString('base64').replace(/.{76}(?=.)/g, '$&\r\n');
  return new Uint8Array(Buffer.from(head + body + tail, 'latin1'));
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Median and best wall time of `reps` runs after one warm-up, and the process's CPU time per run (user + system,
 * all threads: WebCrypto's hashing included). On this shared 2-core machine wall time under load depends on how
 * much CPU a run needs, not only on how much of it overlaps.
 */
export async function time(fn, reps) {
  await fn();
  const times = [];
  const cpuStart = process.cpuUsage();
  for (let i = 0; i < reps; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  const cpu = process.cpuUsage(cpuStart);
  return { median: median(times), best: Math.min(...times), cpu: (cpu.user + cpu.system) / 1000 / reps };
}

/** CPU time (ms) of the finished child processes, from /proc (Linux; clock ticks of 10 ms); undefined elsewhere. */
function childrenCpu() {
  if (!existsSync('/proc/self/stat')) return undefined;
  // Fields after the command name: cutime and cstime are the 16th and 17th fields of the line.
  const fields = readFileSync('/proc/self/stat', 'latin1').split(') ')[1].split(' ');
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

export function timeProcess(args, reps) {
  const times = [];
  let cpuStart;
  for (let i = 0; i <= reps; i++) {
    if (i === 1) cpuStart = childrenCpu();
    const start = performance.now();
    openssl(args);
    if (i > 0) times.push(performance.now() - start);
  }
  const cpuEnd = childrenCpu();
  return { median: median(times), best: Math.min(...times), cpu: cpuStart === undefined ? undefined : (cpuEnd - cpuStart) / reps };
}

export function report(label, ours, goal) {
  const cpu = ours.cpu === undefined ? '' : `, cpu ${ours.cpu.toFixed(1).padStart(6)} ms/run`;
  const line = `${label.padEnd(58)} median ${ours.median.toFixed(1).padStart(8)} ms, best ${ours.best.toFixed(1).padStart(8)} ms${cpu}`;
  console.log(goal ? `${line}   ${goal}` : line);
}

export function ratioLine(label, ours, reference, goalRatio, goal = '') {
  const ratio = ours.best / reference.best;
  console.log(`${label.padEnd(58)} ratio ${ratio.toFixed(2)}x (best vs best)   goal <= ${goalRatio}x  ${ratio <= goalRatio ? 'met' : 'NOT met'}`);
  if (goal) record({ goal, what: label.trim(), figure: `${ours.best.toFixed(0)} ms vs ${reference.best.toFixed(0)} ms (best)`, ratio, target: `<= ${goalRatio}x`, ok: ratio <= goalRatio });
}

/** An absolute goal in ms (small messages, where an openssl process is mostly its start-up). */
export function goalLine(goal, what, ms, limit, best) {
  const figure = best === undefined ? `${ms.toFixed(1)} ms` : `${ms.toFixed(1)} ms (best ${best.toFixed(1)})`;
  record({ goal, what, figure, ratio: null, target: `<= ${limit} ms`, ok: ms <= limit });
}

export { record };

export { execFileSync };
