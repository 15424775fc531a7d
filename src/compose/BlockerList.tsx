import type { SendBlocker } from '../shared/compose-protocol.js';

export interface BlockerListProps {
  blockers: SendBlocker[];
  t: (name: string, substitutions?: string | string[]) => string;
}

/** Why the send would stop, each with its own localised text naming the recipients. */
export function BlockerList({ blockers, t }: BlockerListProps) {
  if (blockers.length === 0) return null;
  return (
    <div role="alert" data-testid="compose-blockers">
      <ul class="compose-blockers">
        {blockers.map((blocker) => (
          <li key={blocker.code} data-testid={`blocker-${blocker.code}`}>
            <span aria-hidden="true">⚠ </span>
            {t(`compose_blocker_${blocker.code}`, 'addresses' in blocker ? [blocker.addresses.join(', ')] : undefined)}
          </li>
        ))}
      </ul>
    </div>
  );
}
