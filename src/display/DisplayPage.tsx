import { PlaceholderPage } from '../shared/PlaceholderPage.js';
import type { Call } from '../shared/rpc.js';

export interface DisplayPageProps {
  call: Call;
  t: (name: string, substitutions?: string | string[]) => string;
}

/** Placeholder until the display UI is built. */
export function DisplayPage({ call, t }: DisplayPageProps) {
  return <PlaceholderPage page="display" title={t('displayActionTitle')} text={t('displayPlaceholder')} call={call} t={t} />;
}
