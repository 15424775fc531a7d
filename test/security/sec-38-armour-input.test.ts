// SEC-38 (and the SEC-31 "no hang" rule): text input to the PKCS#12 importer (PEM armour, bare base64) is
// scanned linearly; crafted near-misses of 1 MiB are refused as PKCS12_DAMAGED without a long backtracking scan.
import { webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PKCS12_LIMITS, importPkcs12, SmimeError } from '../../src/crypto/index.js';
import { cpuNow } from '../helpers/limits.js';

const crypto = webcrypto as unknown as Crypto;
const size = DEFAULT_PKCS12_LIMITS.maxPkcs12Bytes;

function repeat(text: string, length: number): string {
  return text.repeat(Math.floor(length / text.length));
}

describe('PKCS#12 text input near-misses', () => {
  const inputs: [name: string, text: string][] = [
    ['whitespace then one invalid character', `${repeat(' \r\n', size - 1)}!`],
    ['many BEGIN lines and no END line', repeat('-----BEGIN PKCS12-----\n', size)],
    ['base64 letters then one invalid character', `${repeat('QUJD', size - 1)}!`],
  ];
  for (const [name, text] of inputs) {
    it(name, async () => {
      const bytes = new TextEncoder().encode(text);
      expect(bytes.length).toBeLessThanOrEqual(size);
      const started = cpuNow();
      const error = await importPkcs12(bytes, 'pw', { crypto }).catch((e: unknown) => e);
      // Generous bound for a loaded machine; a quadratic scan of 1 MiB would take minutes.
      expect(cpuNow() - started).toBeLessThan(5000);
      expect(error).toBeInstanceOf(SmimeError);
      expect((error as SmimeError).code).toBe('PKCS12_DAMAGED');
    });
  }
});
