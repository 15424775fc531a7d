// #9: when the organisation's allowed content-encryption algorithms fit no recipient, the compose popup
// says so in the user's language, names the recipients, and offers no "send unencrypted" way around it.
import { cleanup, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ComposePage } from '../../../src/compose/ComposePage.js';
import type { ComposeView } from '../../../src/shared/compose-protocol.js';
import type { Call } from '../../../src/shared/rpc.js';
import { VIEWS } from './compose-views.js';
import { translator } from './i18n.js';

const refused: ComposeView = { ...VIEWS.off, sign: true, encrypt: true, blockers: [{ code: 'CONTENT_ENCRYPTION_NOT_ALLOWED', addresses: ['bob@example.com'] }] };

async function renderIn(lang: string) {
  const i18n = translator(lang);
  const call = vi.fn(async () => refused) as unknown as Call;
  render(<ComposePage call={call} t={i18n.t} route={{ mode: 'popup', tabId: 7 }} close={() => {}} />);
  await waitFor(() => expect(screen.getByTestId('compose-page').dataset.ready).toBe('true'));
  return i18n;
}

describe('allowed algorithms in the compose popup (#9)', () => {
  afterEach(cleanup);

  it.each([
    ['en', 'none of them can be read by: bob@example.com'],
    ['de', 'keines davon kann gelesen werden von: bob@example.com'],
    ['nl', 'geen daarvan kan worden gelezen door: bob@example.com'],
  ])('%s: the refusal names the organisation and the recipient', async (lang, expected) => {
    const i18n = await renderIn(lang);
    const item = screen.getByTestId('blocker-CONTENT_ENCRYPTION_NOT_ALLOWED');
    expect(item.textContent).toContain(expected);
    expect(screen.getByTestId('compose-blockers').getAttribute('role')).toBe('alert');
    expect(screen.getByTestId('compose-status').dataset.state).toBe('blocked');
    expect(i18n.missing).toEqual([]);
  });

  it('offers no "send unencrypted" for an algorithm refusal', async () => {
    await renderIn('en');
    expect(screen.queryByTestId('send-unencrypted')).toBeNull();
  });
});
