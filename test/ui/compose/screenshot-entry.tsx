// Renders one compose popup state (named in the URL hash) with a fake background, for the
// screenshot and accessibility test (test/unit/compose/popup-screenshots.test.ts).
import { render } from 'preact';
import { ComposePage } from '../../../src/compose/ComposePage.js';
import type { ComposeOptionsChange, ComposeView } from '../../../src/shared/compose-protocol.js';
import type { Call } from '../../../src/shared/rpc.js';
import { VIEWS, type ViewName } from './compose-views.js';

declare const CATALOGUE: Record<string, { message: string }>;

const t = (name: string, substitutions?: string | string[]): string => {
  const subs = substitutions === undefined ? [] : Array.isArray(substitutions) ? substitutions : [substitutions];
  return (CATALOGUE[name]?.message ?? '').replace(/\$(\d)/g, (_, n: string) => subs[Number(n) - 1] ?? '');
};

const [name, mode] = location.hash.slice(1).split(':') as [string, string | undefined];
let view: ComposeView = VIEWS[name as ViewName];
const call = (async (request: string, req: unknown) => {
  if (request === 'setComposeOptions') view = { ...view, ...(req as ComposeOptionsChange) };
  return view;
}) as unknown as Call;
const root = document.getElementById('root')!;
const route = mode === 'unlock' ? { mode: 'unlock' as const, tabId: 7, promptId: 'p' } : { mode: (mode === 'blocked' ? 'blocked' : 'popup') as 'popup' | 'blocked', tabId: 7 };
render(<ComposePage call={call} t={t} route={route} close={() => {}} />, root);
