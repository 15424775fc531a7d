/**
 * SEC-31: ASN.1 parsing limits (security.md SEC-31 a, c, d; F9).
 * (a) depth, width, length and nested-string bombs give a LimitError quickly, never a RangeError;
 * (b) a 1 MB OID in a certificate of a signed mail is refused before parsing (see also sec-31b);
 * (c) OID arcs beyond 32 and 53 bits decode exactly through parseBer, so a crafted arc never aliases a known OID;
 * (d) asn1js.fromBER is called in src/crypto/asn1.ts only.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseBer } from '../../src/crypto/asn1.js';
import { LimitError, SmimeError } from '../../src/crypto/errors.js';
import { DEFAULT_LIMITS, DEFAULT_POLICY } from '../../src/crypto/policy.js';
import { OID } from '../../src/crypto/oids.js';
import { openMessage } from '../../src/crypto/index.js';
import { buildSignedCms, message, multipartSignedEntity, textEntity } from '../helpers/fixtures-signed.js';
import { createTestPki, type TestPki } from '../helpers/pki.js';
import { cpuNow } from '../helpers/limits.js';

const crypto = webcrypto as unknown as Crypto;
const NOW = new Date('2026-06-01T00:00:00Z');

function lengthBytes(length: number): number[] {
  if (length < 0x80) return [length];
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
  return [0x80 | bytes.length, ...bytes];
}

function tlv(tag: number, content: Uint8Array): Uint8Array {
  const header = [tag, ...lengthBytes(content.length)];
  const out = new Uint8Array(header.length + content.length);
  out.set(header);
  out.set(content, header.length);
  return out;
}

/** SEQUENCE nested `depth` times around NULL, definite lengths, built without recursion. */
function nestedDefinite(depth: number): Uint8Array {
  const headers: number[][] = [];
  let inner = 2;
  for (let i = 0; i < depth; i++) {
    const header = [0x30, ...lengthBytes(inner)];
    headers.push(header);
    inner += header.length;
  }
  const out = new Uint8Array(inner);
  let offset = 0;
  for (let i = headers.length - 1; i >= 0; i--) {
    out.set(headers[i]!, offset);
    offset += headers[i]!.length;
  }
  out.set([0x05, 0x00], offset);
  return out;
}

/** `depth` indefinite-length constructed headers of `tag` around `core`, each closed by end-of-contents. */
function nestedIndefinite(tag: number, depth: number, core: number[]): Uint8Array {
  const out = new Uint8Array(depth * 4 + core.length);
  for (let i = 0; i < depth; i++) out.set([tag, 0x80], i * 2);
  out.set(core, depth * 2);
  return out; // the trailing zeros are the end-of-contents octets
}

function expectLimitQuickly(input: Uint8Array): LimitError {
  const started = cpuNow();
  let caught: unknown;
  try {
    parseBer(input, DEFAULT_LIMITS, 'bomb');
  } catch (error) {
    caught = error;
  }
  const elapsed = cpuNow() - started;
  expect(caught).not.toBeInstanceOf(RangeError);
  expect(caught, String(caught)).toBeInstanceOf(LimitError);
  expect((caught as LimitError).code).toBe('LIMIT_EXCEEDED');
  // Generous bound for a loaded 2-core machine; the security.md goal is 500 ms.
  expect(elapsed).toBeLessThan(500);
  return caught as LimitError;
}

describe('SEC-31a: ASN.1 bombs give LIMIT_EXCEEDED quickly', () => {
  it('SEQUENCE nested 100 000 deep, definite lengths', () => {
    expectLimitQuickly(nestedDefinite(100_000));
  });

  it('SEQUENCE nested 100 000 deep, indefinite lengths', () => {
    expectLimitQuickly(nestedIndefinite(0x30, 100_000, [0x05, 0x00]));
  });

  it('one SEQUENCE of 1e6 NULLs', () => {
    expectLimitQuickly(tlv(0x30, new Uint8Array(2_000_000).map((_, i) => (i % 2 === 0 ? 0x05 : 0x00))));
  });

  it('a length claim of 2^31 on a short input', () => {
    const error = expectLimitQuickly(new Uint8Array([0x30, 0x84, 0x80, 0x00, 0x00, 0x00, 0x05, 0x00]));
    expect(error.message).toMatch(/length|exceeded/i);
  });

  it('constructed OCTET STRING nested 50 000 deep', () => {
    expectLimitQuickly(nestedIndefinite(0x24, 50_000, [0x04, 0x01, 0x00]));
  });

  it('a 1 MB OID hidden in a primitive OCTET STRING is never decoded: the string stays opaque bytes', () => {
    const oid = tlv(0x06, new Uint8Array(1_000_000).fill(0x01));
    const started = cpuNow();
    const node = parseBer(tlv(0x30, tlv(0x04, tlv(0x30, oid))), DEFAULT_LIMITS, 'hidden');
    expect(cpuNow() - started).toBeLessThan(500);
    const octets = (node as asn1js.Sequence).valueBlock.value[0] as asn1js.OctetString;
    expect(octets.valueBlock.value).toEqual([]);
    // Parsing those bytes on purpose goes through the same cap.
    expect(() => parseBer(octets.valueBlock.valueHexView, DEFAULT_LIMITS, 'inner')).toThrow(LimitError);
  });

  it('random string contents that look like a long OID do not refuse a message (no guessing inside strings)', () => {
    // A signature value whose first bytes read as "OID, 182 bytes" (seen in a signature made with random keys).
    const looksLikeOid = new Uint8Array(256).fill(0xab);
    looksLikeOid.set([0x06, 0x81, 0xb6]);
    expect(() => parseBer(tlv(0x30, tlv(0x04, looksLikeOid)), DEFAULT_LIMITS, 'signature')).not.toThrow();
    const bits = new Uint8Array(257);
    bits.set([0x00, 0x06, 0x81, 0xb6]);
    expect(() => parseBer(tlv(0x30, tlv(0x03, bits)), DEFAULT_LIMITS, 'signature')).not.toThrow();
  });

  it('an OID of exactly maxOidBytes is still parsed (the cap is not off by one)', () => {
    const content = new Uint8Array(DEFAULT_LIMITS.maxOidBytes).fill(0x01);
    content[0] = 0x2a;
    const node = parseBer(tlv(0x06, content), DEFAULT_LIMITS, 'oid');
    expect(node).toBeInstanceOf(asn1js.ObjectIdentifier);
    expect(() => parseBer(tlv(0x06, new Uint8Array(DEFAULT_LIMITS.maxOidBytes + 1).fill(0x01)), DEFAULT_LIMITS, 'oid')).toThrow(LimitError);
  });
});

let pki: TestPki;
beforeAll(async () => {
  pki = await createTestPki(crypto);
});

describe('SEC-31b: a 1 MB OID inside a certificate in a signed mail', () => {
  it('gives LIMIT_EXCEEDED quickly, before asn1js decodes the OID', async () => {
    const oid = tlv(0x06, new Uint8Array(1_000_000).fill(0x01));
    const extension = tlv(0x30, new Uint8Array([...oid, ...tlv(0x04, new Uint8Array([0x05, 0x00]))]));
    const hugeCertificate = tlv(0x30, tlv(0x30, tlv(0xa3, tlv(0x30, extension))));
    const content = textEntity('Hello');
    const alice = pki.users.alice.rsa;
    const cms = buildSignedCms({ content, detached: true, signers: [{ identity: alice }], certificates: [alice.certificate, hugeCertificate] }, pki);
    const raw = message(multipartSignedEntity(content, cms));
    const started = cpuNow();
    const report = await openMessage(raw, { anchors: [pki.root.certificate], now: NOW, crypto, policy: DEFAULT_POLICY });
    const elapsed = cpuNow() - started;
    expect(report.signature.verdict).not.toBe('valid');
    expect(report.signature.reasons).toContain('LIMIT_EXCEEDED');
    expect(elapsed).toBeLessThan(1000);
  });
});

/** Independent DER encoder for OID content (X.690 §8.19), arcs as bigint. */
function encodeOid(arcs: bigint[]): Uint8Array {
  const values = [arcs[0]! * 40n + arcs[1]!, ...arcs.slice(2)];
  const bytes: number[] = [];
  for (const value of values) {
    const group: number[] = [Number(value & 0x7fn)];
    for (let rest = value >> 7n; rest > 0n; rest >>= 7n) group.unshift(Number(rest & 0x7fn) | 0x80);
    bytes.push(...group);
  }
  return tlv(0x06, new Uint8Array(bytes));
}

const KNOWN_OIDS = new Set<string>(Object.values(OID));

function decodeThroughParseBer(der: Uint8Array): string {
  const node = parseBer(der, DEFAULT_LIMITS, 'oid');
  if (!(node instanceof asn1js.ObjectIdentifier)) throw new Error('not an OBJECT IDENTIFIER');
  return node.getValue();
}

describe('SEC-31c: OID arcs decode exactly, never aliasing', () => {
  it('an arc over 2^53 is not rounded onto a neighbour', () => {
    const a = decodeThroughParseBer(encodeOid([1n, 2n, 2n ** 60n]));
    const b = decodeThroughParseBer(encodeOid([1n, 2n, 2n ** 60n + 1n]));
    expect(a).not.toBe(b);
  });

  it('decode(encode(oid)) === oid for random arcs up to 2^64', () => {
    const arc = fc.bigInt({ min: 0n, max: 2n ** 64n });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 }), fc.bigInt({ min: 0n, max: 39n }), fc.array(arc, { minLength: 0, maxLength: 8 }), (first, second, rest) => {
        const arcs = [BigInt(first), second, ...rest];
        const decoded = decodeThroughParseBer(encodeOid(arcs));
        if (rest.every((value) => value <= BigInt(Number.MAX_SAFE_INTEGER))) {
          expect(decoded).toBe(arcs.join('.'));
        } else {
          // asn1js keeps arcs over 2^53 as "{hex}" rather than a rounded number: not decimal, so it can never
          // equal a named OID, and each arc's exact bytes survive in the string.
          expect(decoded).toMatch(/\{[0-9a-f]+\}/i);
          expect(KNOWN_OIDS.has(decoded)).toBe(false);
        }
      }),
      { numRuns: 2000, seed: 31 },
    );
  });

  it('an arc of 2^32 + n next to a known OID stays distinct from it', () => {
    const known = OID.messageDigest.split('.').map(BigInt);
    for (const index of [2, known.length - 1]) {
      const crafted = known.slice();
      crafted[index] = crafted[index]! + 2n ** 32n;
      const decoded = decodeThroughParseBer(encodeOid(crafted));
      expect(decoded).toBe(crafted.join('.'));
      expect(decoded).not.toBe(OID.messageDigest);
    }
  });
});

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|tsx|js|mjs)$/.test(name)) out.push(path);
  }
  return out;
}

describe('SEC-31d: asn1js.fromBER lives in one wrapper', () => {
  const root = new URL('../../', import.meta.url).pathname;
  const files = sourceFiles(join(root, 'src'));

  it('finds the source tree (the check can fail)', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(files.map((f) => relative(root, f))).toContain('src/crypto/asn1.ts');
  });

  it('no file but src/crypto/asn1.ts calls asn1js fromBER or imports it by name', () => {
    const offenders = files
      .filter((file) => relative(root, file) !== 'src/crypto/asn1.ts')
      .filter((file) => {
        const text = readFileSync(file, 'utf8');
        return /\basn1js\s*\.\s*fromBER\b/.test(text) || /import\s*\{[^}]*\bfromBER\b[^}]*\}\s*from\s*['"]asn1js['"]/.test(text);
      })
      .map((file) => relative(root, file));
    expect(offenders).toEqual([]);
  });

  it('the engine (src/crypto) never calls a PKI.js fromBER, which would parse with asn1js defaults', () => {
    const offenders = files
      .filter((file) => relative(root, file).startsWith('src/crypto/'))
      .filter((file) => /\bpkijs\s*\.\s*\w+\s*\.\s*fromBER\b/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(root, file));
    expect(offenders).toEqual([]);
  });

  it('parseBer turns malformed input into SmimeError MALFORMED_ASN1', () => {
    expect(() => parseBer(new Uint8Array([0x30, 0x05, 0x05]), DEFAULT_LIMITS)).toThrow(SmimeError);
  });
});
