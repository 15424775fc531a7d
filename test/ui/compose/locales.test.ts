// Every compose_ text exists in English, German and Dutch, with the same $n substitutions.
import { describe, expect, it } from 'vitest';
import { loadCatalogue } from './i18n.js';

describe('compose locales', () => {
  const en = loadCatalogue('en');
  const keys = Object.keys(en).filter((k) => k.startsWith('compose_'));

  it('has the compose texts', () => {
    expect(keys.length).toBeGreaterThan(50);
  });

  for (const lang of ['de', 'nl']) {
    it(`${lang} has every compose_ key with the same placeholders`, () => {
      const other = loadCatalogue(lang);
      for (const key of keys) {
        expect(other[key]?.message, `${lang}:${key}`).toBeTruthy();
        expect(other[key]!.message.match(/\$\d/g)?.sort() ?? [], `${lang}:${key}`).toEqual(en[key]!.message.match(/\$\d/g)?.sort() ?? []);
      }
    });
  }
});
