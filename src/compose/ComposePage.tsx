import type { Call } from '../shared/rpc.js';
import { ComposePopup } from './ComposePopup.js';
import { UnlockForm } from './UnlockForm.js';

/** Which of the compose page's uses this is, from its URL (the popup has no query). */
export type ComposeRoute = { mode: 'popup' | 'blocked'; tabId: number } | { mode: 'unlock'; tabId: number; promptId: string } | { mode: 'no-tab' };

export interface ComposePageProps {
  call: Call;
  t: (name: string, substitutions?: string | string[]) => string;
  route: ComposeRoute;
  close: () => void;
}

/** compose/index.html: the compose action popup, the "not sent" window, or the passphrase window. */
export function ComposePage({ call, t, route, close }: ComposePageProps) {
  if (route.mode === 'unlock') return <UnlockForm call={call} t={t} promptId={route.promptId} close={close} />;
  if (route.mode === 'no-tab') {
    return (
      <main data-testid="compose-page" data-ready="true">
        <p role="alert">{t('compose_loadFailed')}</p>
      </main>
    );
  }
  return <ComposePopup call={call} t={t} tabId={route.tabId} mode={route.mode} />;
}

/** Reads the route from the page's query string; the popup itself asks for the active tab. */
export function routeFromQuery(search: string, activeTabId: number | null): ComposeRoute {
  const query = new URLSearchParams(search);
  const tabId = Number(query.get('tabId') ?? activeTabId ?? NaN);
  if (!Number.isInteger(tabId)) return { mode: 'no-tab' };
  const mode = query.get('mode');
  const promptId = query.get('prompt');
  if (mode === 'unlock' && promptId) return { mode: 'unlock', tabId, promptId };
  return { mode: mode === 'blocked' ? 'blocked' : 'popup', tabId };
}
