// Renders the options page against a fake background and waits for its ready attribute.
import { render, screen, waitFor } from '@testing-library/preact';
import { expect } from 'vitest';
import { OptionsPage } from '../../../src/options/OptionsPage.js';
import type { OptionsView } from '../../../src/options/options-store.js';
import { createFake, type Fake, type FakeState } from './fake-background.js';
import { translator } from './i18n.js';

export async function renderOptions(initial: Partial<FakeState> = {}, options: { view?: OptionsView; lang?: string; fake?: Fake } = {}) {
  const fake = options.fake ?? createFake(initial);
  const { t, missing } = translator(options.lang ?? 'en');
  render(<OptionsPage call={fake.call} t={t} platform={fake.platform} initialView={options.view} />);
  await waitFor(() => expect(screen.getByTestId('options-page').dataset.ready).toBe('true'));
  return { fake, missing };
}

/** A File as the file picker or a drop would give it. */
export function fileOf(bytes: Uint8Array, name: string): File {
  return new File([bytes.slice()], name, { type: 'application/octet-stream' });
}
