import { PlaceholderPage } from '../shared/PlaceholderPage.js';
import type { Call } from '../shared/rpc.js';

export interface ComposePageProps {
  call: Call;
  t: (name: string, substitutions?: string | string[]) => string;
}

/** Placeholder until the compose UI is built. */
export function ComposePage({ call, t }: ComposePageProps) {
  return <PlaceholderPage page="compose" title={t('composeActionTitle')} text={t('composePlaceholder')} call={call} t={t} />;
}
