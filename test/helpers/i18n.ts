// The real catalogues with WebExtension-style $1 substitution; a missing key is recorded so tests fail on it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export function loadCatalogue(lang: string): Record<string, { message: string }> {
  return JSON.parse(readFileSync(join(__dirname, '../../_locales', lang, 'messages.json'), 'utf8')) as Record<string, { message: string }>;
}

/**
 * A `t()` over one language's catalogue. Keys starting with `optionalPrefix` (the page's `<page>_error_<CODE>`
 * texts, which fall back to a generic text by design) may be missing; every other missing key is recorded.
 */
export function translatorFor(lang: string, optionalPrefix: string): { t: (name: string, substitutions?: string | string[]) => string; missing: string[] } {
  const catalogue = loadCatalogue(lang);
  const missing: string[] = [];
  const t = (name: string, substitutions?: string | string[]): string => {
    const entry = catalogue[name];
    if (!entry) {
      if (!name.startsWith(optionalPrefix)) missing.push(name);
      return '';
    }
    const subs = substitutions === undefined ? [] : Array.isArray(substitutions) ? substitutions : [substitutions];
    return entry.message.replace(/\$VERSION\$/g, '$1').replace(/\$(\d)/g, (_, n: string) => subs[Number(n) - 1] ?? '');
  };
  return { t, missing };
}
