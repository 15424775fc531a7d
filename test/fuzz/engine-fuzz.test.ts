/**
 * SEC-37 fuzz gates: a seeded mutation fuzzer (security.md Appendix C: bit flips, interesting length bytes,
 * truncation, splicing, random bytes) over the engine's parser entry points:
 * raw MIME → openMessage; DER → ContentInfo/SignedData → verifySignedData; DER certificate and an LDAP
 * userSMIMECertificate / userCertificate;binary value → parseCertificates; DER EnvelopedData (AES-CBC) and
 * AuthEnvelopedData (AES-GCM) made by `openssl cms -encrypt` → decryptEnvelope (needs openssl: the test fails
 * with the install command when it is missing). A fast-check property also flips single bits of the signed
 * mail, which reaches deeper than the multi-edit mutator. (PKCS#12 → importPkcs12 is fuzzed in
 * test/security/sec-38-fuzz.test.ts.)
 *
 * Properties: (i) nothing but SmimeError/LimitError escapes; (ii) each input finishes quickly (the distribution is
 * printed; the assertion is a generous 2 s for a loaded machine, the goal is 250 ms); (iii) a signature is never
 * 'valid' unless the mutated input still holds the signed bytes and the signature value unchanged, and a mutated
 * AES-GCM envelope never decrypts to anything but the original plaintext.
 *
 * Environment: FUZZ_RUNS (cases per entry point, default 2 000), FUZZ_MS (time budget per entry point, default
 * 12 000 ms), FUZZ_SEED (default 37). The seed is printed so a failure reproduces: FUZZ_SEED=<n> npx vitest run
 * --project unit test/fuzz.
 */
import { webcrypto } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { LimitError, SmimeError } from '../../src/crypto/errors.js';
import { DEFAULT_LIMITS, DEFAULT_POLICY } from '../../src/crypto/policy.js';
import { decryptEnvelope, openMessage, verifySignedData } from '../../src/crypto/index.js';
import { parseCertificates } from '../../src/crypto/cert/index.js';
import { buildSignedCms, message, multipartSignedEntity, opaqueSignedEntity, textEntity } from '../helpers/fixtures-signed.js';
import { createTestPki, type TestPki } from '../helpers/pki.js';
import { openssl, scratchDir, toPemText } from '../helpers/encryption.js';
import { cpuNow } from '../helpers/limits.js';

const crypto = webcrypto as unknown as Crypto;
const NOW = new Date('2026-06-01T00:00:00Z');
const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);
const BUDGET_MS = Number(process.env.FUZZ_MS ?? 12_000);
const SEED = Number(process.env.FUZZ_SEED ?? 37);
const PER_INPUT_BOUND_MS = 2000;

/** mulberry32: small, seedable, good enough to spread mutations. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INTERESTING = [0x00, 0x80, 0x81, 0x82, 0x84, 0xff, 0x7f];

/** Appendix C mutator: 1-8 edits; never returns the input unchanged. */
export function mutate(seed: Uint8Array, random: () => number, donor?: Uint8Array): Uint8Array {
  // Uint8Array.from copies: a Buffer's slice() would be a view and the seeds would decay as the run goes on.
  let bytes = Uint8Array.from(seed);
  const edits = 1 + Math.floor(random() * 8);
  for (let i = 0; i < edits && bytes.length > 0; i++) {
    const op = Math.floor(random() * 6);
    const position = Math.floor(random() * bytes.length);
    if (op === 0) bytes[position]! ^= 1 << Math.floor(random() * 8);
    else if (op === 1) bytes[position] = INTERESTING[Math.floor(random() * INTERESTING.length)]!;
    else if (op === 2) bytes = bytes.slice(0, position);
    else if (op === 3) bytes.copyWithin(position, Math.floor(random() * bytes.length));
    else if (op === 4 && donor) {
      // Splice: a run of another seed's bytes over this one.
      const from = Math.floor(random() * donor.length);
      bytes.set(donor.subarray(from, from + Math.min(64, bytes.length - position)), position);
    } else bytes[position] = Math.floor(random() * 256);
  }
  if (bytes.length === seed.length && bytes.every((b, i) => b === seed[i])) bytes = bytes.slice(0, -1);
  return bytes;
}

function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  return Buffer.from(haystack.buffer, haystack.byteOffset, haystack.byteLength).indexOf(Buffer.from(needle)) !== -1;
}

interface Seed {
  name: string;
  bytes: Uint8Array;
  /** Byte runs that must all survive for a 'valid' signature to be acceptable. */
  signed: Uint8Array[];
  /**
   * Base64 text (no line breaks) that must survive in the input once every character outside the base64 alphabet
   * is dropped, as RFC 2045 §6.8 has decoders do: a changed line break does not change the signature.
   */
  signedBase64?: string;
}

function stillSigned(input: Uint8Array, seed: Seed): boolean {
  if (!seed.signed.every((run) => contains(input, run))) return false;
  if (seed.signedBase64 === undefined) return true;
  return Buffer.from(input).toString('latin1').replace(/[^A-Za-z0-9+/=]/g, '').includes(seed.signedBase64);
}

interface Outcome {
  valid: boolean;
}

async function fuzz(name: string, seeds: Seed[], entry: (input: Uint8Array, seed: Seed) => Promise<Outcome>): Promise<void> {
  const random = seededRandom(SEED);
  const times: number[] = [];
  const started = performance.now();
  let typed = 0;
  for (let n = 0; n < RUNS && performance.now() - started < BUDGET_MS; n++) {
    const seed = seeds[n % seeds.length]!;
    const input = mutate(seed.bytes, random, seeds[(n + 1) % seeds.length]!.bytes);
    const t0 = cpuNow(); // CPU time, so a busy machine does not count against the per-input bound
    let outcome: Outcome | null = null;
    try {
      outcome = await entry(input, seed);
    } catch (error) {
      if (!(error instanceof SmimeError)) {
        throw new Error(`${name} case ${n} (FUZZ_SEED=${SEED}, seed ${seed.name}): untyped ${String(error)}; input base64 ${Buffer.from(input).toString('base64').slice(0, 4000)}`, { cause: error });
      }
      expect(error.code, `case ${n}`).toMatch(/^[A-Z][A-Z0-9_]*$/);
      if (error instanceof LimitError) expect(error.code).toBe('LIMIT_EXCEEDED');
      typed++;
    }
    const elapsed = cpuNow() - t0;
    times.push(elapsed);
    expect(elapsed, `${name} case ${n} (FUZZ_SEED=${SEED}) took ${elapsed.toFixed(0)} ms`).toBeLessThan(PER_INPUT_BOUND_MS);
    if (outcome?.valid) {
      const intact = stillSigned(input, seed);
      const first = input.findIndex((b, i) => b !== seed.bytes[i]);
      const where = `first change at ${first} of ${seed.bytes.length} (now ${input.length} bytes): ${JSON.stringify(Buffer.from(input.subarray(Math.max(0, first - 40), first + 40)).toString('latin1'))}`;
      expect(intact, `${name} case ${n} (FUZZ_SEED=${SEED}, seed ${seed.name}): 'valid' after a mutation of the signed bytes; ${where}`).toBe(true);
    }
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(1);
  console.log(`[fuzz] ${name}: FUZZ_SEED=${SEED} cases=${times.length} typed-errors=${typed} ms p50=${at(0.5)} p90=${at(0.9)} p99=${at(0.99)} max=${at(1)}`);
  expect(times.length).toBeGreaterThan(Math.min(RUNS, 50));
}

let pki: TestPki;
let mailSeeds: Seed[];
let cmsSeeds: Seed[];
let certificateSeeds: Seed[];
let envelopeSeeds: Seed[];
const ENVELOPE_PLAINTEXT = textEntity('Encrypted for fuzzing.');

beforeAll(async () => {
  pki = await createTestPki(crypto);
  const alice = pki.users.alice;
  const content = textEntity('Fuzzing keeps the parser honest.');
  const rsaDetached = buildSignedCms({ content, detached: true, signers: [{ identity: alice.rsa }] }, pki);
  const ecDetached = buildSignedCms({ content, detached: true, signers: [{ identity: alice.ec }] }, pki);
  const rsaOpaque = buildSignedCms({ content, detached: false, signers: [{ identity: alice.rsa }] }, pki);
  // The end of a CMS carries the SignerInfo's signature value (no unsigned attributes follow). Not the start: it
  // holds the digestAlgorithms SET, which RFC 5652 §5.1 leaves unauthenticated (a hint only).
  const signatureBase64 = (der: Uint8Array) => Buffer.from(der).toString('base64').slice(-340);
  const tail = (der: Uint8Array) => der.slice(-64);
  mailSeeds = [
    { name: 'multipart/signed RSA', bytes: message(multipartSignedEntity(content, rsaDetached)), signed: [content], signedBase64: signatureBase64(rsaDetached) },
    { name: 'multipart/signed EC', bytes: message(multipartSignedEntity(content, ecDetached)), signed: [content], signedBase64: signatureBase64(ecDetached) },
    { name: 'opaque RSA', bytes: message(opaqueSignedEntity(rsaOpaque)), signed: [], signedBase64: signatureBase64(rsaOpaque) },
  ];
  cmsSeeds = [
    { name: 'opaque RSA', bytes: rsaOpaque, signed: [content, tail(rsaOpaque)] },
    { name: 'opaque EC', bytes: buildSignedCms({ content, detached: false, signers: [{ identity: alice.ec }] }, pki), signed: [content] },
  ];
  cmsSeeds[1]!.signed.push(tail(cmsSeeds[1]!.bytes));
  certificateSeeds = [
    { name: 'RSA leaf', bytes: alice.rsa.certificate, signed: [] },
    { name: 'EC leaf', bytes: alice.ec.certificate, signed: [] },
    { name: 'CA', bytes: pki.emailCa.certificate, signed: [] },
  ];
  const scratch = scratchDir();
  try {
    const recipient = join(scratch.dir, 'bob.pem');
    const input = join(scratch.dir, 'entity.txt');
    writeFileSync(recipient, toPemText(pki.users.bob.rsa.certificate, 'CERTIFICATE'));
    writeFileSync(input, ENVELOPE_PLAINTEXT);
    const encrypt = (cipher: string) => new Uint8Array(openssl(['cms', '-encrypt', '-binary', '-outform', 'DER', `-${cipher}`, '-in', input, recipient]));
    envelopeSeeds = [
      { name: 'openssl aes-256-cbc', bytes: encrypt('aes-256-cbc'), signed: [] },
      { name: 'openssl aes-256-gcm', bytes: encrypt('aes-256-gcm'), signed: [] },
    ];
  } finally {
    scratch.cleanup();
  }
  for (const seed of envelopeSeeds) {
    const result = await decryptEnvelope(seed.bytes, { identities: [{ certificate: pki.users.bob.rsa.certificate, pkcs8: pki.users.bob.rsa.pkcs8 }], crypto, policy: DEFAULT_POLICY });
    expect(Buffer.from(result.plaintext ?? []).equals(Buffer.from(ENVELOPE_PLAINTEXT)), seed.name).toBe(true);
  }
  // The seeds themselves must pass, or the 'valid' property would test nothing.
  for (const seed of mailSeeds) {
    const report = await openMessage(seed.bytes, { anchors: [pki.root.certificate], now: NOW, crypto, policy: DEFAULT_POLICY });
    expect(report.signature.verdict, seed.name).toBe('valid');
  }
  for (const seed of cmsSeeds) {
    expect((await verifySignedData(seed.bytes, { crypto, policy: DEFAULT_POLICY, detachedContent: null })).reasons, seed.name).toEqual([]);
  }
});

describe('SEC-37 fuzz gates', () => {
  it('raw MIME → openMessage: typed errors only, bounded time, no false valid', async () => {
    await fuzz('openMessage', mailSeeds, async (input) => {
      const report = await openMessage(input, { anchors: [pki.root.certificate], now: NOW, crypto, policy: DEFAULT_POLICY });
      return { valid: report.signature.verdict === 'valid' };
    });
  }, 120_000);

  it('DER ContentInfo/SignedData → verifySignedData: typed errors only, bounded time, no false valid', async () => {
    await fuzz('verifySignedData', cmsSeeds, async (input) => {
      const result = await verifySignedData(input, { crypto, policy: DEFAULT_POLICY, detachedContent: null });
      return { valid: result.reasons.length === 0 && result.signerCount > 0 };
    });
  }, 120_000);

  it('DER certificate → parseCertificates: typed errors only, bounded time; an unmutated parse round-trips', async () => {
    for (const seed of certificateSeeds) {
      const [parsed] = parseCertificates(seed.bytes, DEFAULT_LIMITS);
      expect(parsed).toBeDefined();
    }
    await fuzz('parseCertificates', certificateSeeds, async (input) => {
      parseCertificates(input, DEFAULT_LIMITS);
      return { valid: false };
    });
  }, 120_000);

  it('LDAP userSMIMECertificate (PKCS#7 certs-only) and userCertificate;binary values → parseCertificates', async () => {
    const certsOnly = buildSignedCms({ content: new Uint8Array(0), detached: true, signers: [], certificates: [pki.users.bob.rsa.certificate, pki.emailCa.certificate] }, pki);
    expect(parseCertificates(certsOnly, DEFAULT_LIMITS).length).toBe(2);
    const seeds: Seed[] = [
      { name: 'userSMIMECertificate', bytes: certsOnly, signed: [] },
      { name: 'userCertificate;binary', bytes: pki.users.bob.ec.certificate, signed: [] },
    ];
    await fuzz('ldap values', seeds, async (input) => {
      parseCertificates(input, DEFAULT_LIMITS);
      return { valid: false };
    });
  }, 120_000);

  it('DER EnvelopedData/AuthEnvelopedData (openssl) → decryptEnvelope: typed errors only, bounded time, GCM never yields altered plaintext', async () => {
    const identities = [{ certificate: pki.users.bob.rsa.certificate, pkcs8: pki.users.bob.rsa.pkcs8 }];
    await fuzz('decryptEnvelope', envelopeSeeds, async (input, seed) => {
      const gcm = seed.name.endsWith('gcm');
      const result = await decryptEnvelope(input, { identities, crypto, policy: DEFAULT_POLICY });
      if (gcm && result.plaintext !== null && result.report.verdict !== 'failed' && !Buffer.from(result.plaintext).equals(Buffer.from(ENVELOPE_PLAINTEXT))) {
        throw new Error(`a mutated AES-GCM envelope decrypted to different plaintext (FUZZ_SEED=${SEED})`);
      }
      return { valid: false };
    });
  }, 120_000);

  it('fast-check: a single bit flip inside the signed entity or the signature never verifies', async () => {
    const seed = mailSeeds[0]!;
    const signedStart = Buffer.from(seed.bytes).indexOf(Buffer.from(seed.signed[0]!));
    expect(signedStart).toBeGreaterThan(0);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: signedStart, max: seed.bytes.length - 1 }), fc.integer({ min: 0, max: 7 }), async (position, bit) => {
        const input = Uint8Array.from(seed.bytes);
        input[position]! ^= 1 << bit;
        const report = await openMessage(input, { anchors: [pki.root.certificate], now: NOW, crypto, policy: DEFAULT_POLICY });
        if (report.signature.verdict === 'valid') {
          expect(stillSigned(input, seed), `bit ${bit} at ${position} left the signature valid`).toBe(true);
        }
      }),
      { numRuns: Math.max(50, Math.floor(RUNS / 4)), seed: SEED },
    );
  }, 120_000);
});
