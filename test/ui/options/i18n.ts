// The real catalogues with WebExtension-style $1 substitution; a missing key is recorded so tests fail on it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export function loadCatalogue(lang: string): Record<string, { message: string }> {
  return JSON.parse(readFileSync(join(__dirname, '../../../_locales', lang, 'messages.json'), 'utf8')) as Record<string, { message: string }>;
}

export function translator(lang = 'en'): { t: (name: string, substitutions?: string | string[]) => string; missing: string[] } {
  const catalogue = loadCatalogue(lang);
  const missing: string[] = [];
  const t = (name: string, substitutions?: string | string[]): string => {
    const entry = catalogue[name];
    if (!entry) {
      // options_error_<CODE> falls back to a generic text by design; every other key must exist.
      if (!name.startsWith('options_error_')) missing.push(name);
      return '';
    }
    const subs = substitutions === undefined ? [] : Array.isArray(substitutions) ? substitutions : [substitutions];
    return entry.message.replace(/\$VERSION\$/g, '$1').replace(/\$(\d)/g, (_, n: string) => subs[Number(n) - 1] ?? '');
  };
  return { t, missing };
}
