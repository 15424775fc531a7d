import { PlaceholderPage } from '../shared/PlaceholderPage.js';
import type { Call } from '../shared/rpc.js';

export interface OptionsPageProps {
  call: Call;
  t: (name: string, substitutions?: string | string[]) => string;
}

/** Placeholder until the options UI is built. */
export function OptionsPage({ call, t }: OptionsPageProps) {
  return <PlaceholderPage page="options" title={t('optionsTitle')} text={t('optionsPlaceholder')} call={call} t={t} />;
}
