import type { ComposeView } from '../shared/compose-protocol.js';

export interface StatusLineProps {
  view: ComposeView;
  t: (name: string, substitutions?: string | string[]) => string;
}

/** What will happen on send, as icon and text (never colour alone). */
export function StatusLine({ view, t }: StatusLineProps) {
  const blocked = (view.sign || view.encrypt) && view.blockers.length > 0;
  const state = blocked ? 'blocked' : view.sign && view.encrypt ? 'sign-encrypt' : view.encrypt ? 'encrypt' : view.sign ? 'sign' : 'off';
  const message = { blocked: 'compose_stateBlocked', 'sign-encrypt': 'compose_stateSignEncrypt', encrypt: 'compose_stateEncrypt', sign: 'compose_stateSign', off: 'compose_stateOff' }[state];
  return (
    <p class={`compose-status compose-status-${state}`} data-testid="compose-status" data-state={state} role="status">
      <img src={`icons/${state}.svg`} alt="" width={20} height={20} />
      <span>{t(message)}</span>
    </p>
  );
}
