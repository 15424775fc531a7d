// Issue #9 on the options page: settings the administrator locked are shown, disabled, with a note.
import { cleanup, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { identity, STRONG } from './fake-background.js';
import { renderOptions } from './render.js';

afterEach(cleanup);
const unlocked = { passphrase: STRONG, locked: false, identities: [identity({ id: 'cur' })] };

describe('managed settings', () => {
  it('a locked auto-lock is shown disabled with "Set by your organisation"', async () => {
    await renderOptions({ ...unlocked, autoLockMinutes: 5, lockedSettings: ['autoLockMinutes'] }, { view: 'passphrase' });
    const select = screen.getByTestId('auto-lock') as HTMLSelectElement;
    expect(select.disabled).toBe(true);
    expect(select.value).toBe('5');
    expect(screen.getByTestId('auto-lock-managed').textContent).toBe('Set by your organisation');
  });

  it('an unmanaged auto-lock stays changeable and has no note', async () => {
    await renderOptions({ ...unlocked }, { view: 'passphrase' });
    expect((screen.getByTestId('auto-lock') as HTMLSelectElement).disabled).toBe(false);
    expect(screen.queryByTestId('auto-lock-managed')).toBeNull();
  });
});
