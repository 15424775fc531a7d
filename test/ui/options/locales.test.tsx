// Issue #8 item 7: every options text exists in en, de and nl, and each view renders in each language
// without a missing key.
import { cleanup, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { OPTIONS_VIEWS } from '../../../src/options/options-store.js';
import { identity, person, STRONG } from './fake-background.js';
import { loadCatalogue } from './i18n.js';
import { renderOptions } from './render.js';

afterEach(cleanup);

describe('options texts', () => {
  const en = Object.keys(loadCatalogue('en')).filter((k) => k.startsWith('options_'));

  it.each(['de', 'nl'])('%s has every options_ key of en, each with its own non-empty text', (lang) => {
    const catalogue = loadCatalogue(lang);
    expect(en.length).toBeGreaterThan(150);
    expect(en.filter((k) => !catalogue[k]?.message)).toEqual([]);
    const english = loadCatalogue('en');
    const untranslated = en.filter((k) => catalogue[k]!.message === english[k]!.message && !/^(Status|Details|Name)$/.test(english[k]!.message));
    expect(untranslated).toEqual([]);
  });

  it.each(['en', 'de', 'nl'])('every view renders in %s without a missing key', async (lang) => {
    for (const view of OPTIONS_VIEWS) {
      const { missing } = await renderOptions(
        { passphrase: STRONG, locked: false, identities: [identity({ id: 'cur' })], people: [person({ id: 'p1', address: 'bob@example.org' })] },
        { view, lang },
      );
      expect(screen.getByTestId(`view-${view}`)).toBeTruthy();
      expect(missing).toEqual([]);
      cleanup();
    }
  });
});
