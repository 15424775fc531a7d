import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Every SmimeErrorCode reaches the user as the message `error_<CODE>` (src/crypto/errors.ts),
 * so each locale must carry one; a missing key would show a bare code instead of a sentence.
 */
const ROOT = path.resolve(__dirname, '../../..');
const LOCALES = ['en', 'de', 'nl'] as const;

function errorCodes(): string[] {
  const source = fs.readFileSync(path.join(ROOT, 'src/crypto/errors.ts'), 'utf8');
  const union = /export type SmimeErrorCode =([\s\S]*?);/.exec(source);
  if (!union?.[1]) throw new Error('SmimeErrorCode union not found in src/crypto/errors.ts');
  return [...union[1].matchAll(/\|\s*'([A-Z0-9_]+)'/g)].map((m) => m[1] as string);
}

function messages(locale: string): Record<string, { message: string }> {
  return JSON.parse(fs.readFileSync(path.join(ROOT, '_locales', locale, 'messages.json'), 'utf8')) as Record<string, { message: string }>;
}

describe('error messages', () => {
  const codes = errorCodes();

  it('finds the error codes, including the directory and managed-configuration ones', () => {
    expect(codes.length).toBeGreaterThan(20);
    expect(codes).toEqual(expect.arrayContaining(['DIRECTORY_CONFIG_INVALID', 'DIRECTORY_UNREACHABLE', 'MANAGED_CONFIG_INVALID', 'LIMIT_EXCEEDED']));
  });

  for (const locale of LOCALES) {
    it(`${locale} has a non-empty error_<CODE> message for every SmimeErrorCode`, () => {
      const catalog = messages(locale);
      const missing = codes.filter((code) => !catalog[`error_${code}`]?.message?.trim());
      expect(missing).toEqual([]);
    });
  }

  it('de and nl translate the messages rather than copying English', () => {
    const en = messages('en');
    for (const locale of ['de', 'nl']) {
      const catalog = messages(locale);
      const copied = codes.filter((code) => catalog[`error_${code}`]?.message === en[`error_${code}`]?.message);
      expect(copied, locale).toEqual([]);
    }
  });
});
