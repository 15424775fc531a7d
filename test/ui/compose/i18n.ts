// The real English catalogue, with WebExtension-style $1 substitution, so tests fail on a missing key.
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
      // compose_error_<CODE> falls back to a generic text by design; every other key must exist.
      if (!name.startsWith('compose_error_')) missing.push(name);
      return '';
    }
    const subs = substitutions === undefined ? [] : Array.isArray(substitutions) ? substitutions : [substitutions];
    return entry.message.replace(/\$(\d)/g, (_, n: string) => subs[Number(n) - 1] ?? '');
  };
  return { t, missing };
}
