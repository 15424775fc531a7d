// The passphrase window a send opens while the key store is locked (issue #6 items 2 and 5).
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ComposePage } from '../../../src/compose/ComposePage.js';
import { RpcCallError, type Call } from '../../../src/shared/rpc.js';
import { translator } from './i18n.js';

function renderUnlock(answer: (req: { promptId: string; passphrase: string | null }) => Promise<{ unlocked: boolean }>) {
  const call = vi.fn(async (_name: string, req: { promptId: string; passphrase: string | null }) => answer(req)) as unknown as Call;
  const close = vi.fn();
  render(<ComposePage call={call} t={translator().t} route={{ mode: 'unlock', tabId: 7, promptId: 'p-1' }} close={close} />);
  return { call, close };
}

describe('unlock window', () => {
  afterEach(cleanup);

  it('sends the passphrase for the prompt and closes once unlocked', async () => {
    const { call, close } = renderUnlock(async () => ({ unlocked: true }));
    const input = screen.getByLabelText('Passphrase') as HTMLInputElement;
    expect(input.type).toBe('password');
    fireEvent.input(input, { target: { value: 'correct horse battery staple' } });
    fireEvent.submit(input.form!);
    await waitFor(() => expect(close).toHaveBeenCalled());
    expect(call).toHaveBeenCalledWith('answerUnlockPrompt', { promptId: 'p-1', passphrase: 'correct horse battery staple' });
    expect(screen.getByTestId('unlock-page').dataset.outcome).toBe('unlocked');
  });

  it('a wrong passphrase shows its own error and keeps the window open for another try', async () => {
    const { close } = renderUnlock(async () => {
      throw new RpcCallError({ code: 'KEYSTORE_WRONG_PASSPHRASE', message: 'wrong' });
    });
    fireEvent.input(screen.getByLabelText('Passphrase'), { target: { value: 'nope' } });
    fireEvent.click(screen.getByRole('button', { name: 'Unlock and send' }));
    await waitFor(() => expect(screen.getByTestId('unlock-error').textContent).toContain('Wrong passphrase. Try again.'));
    expect(screen.getByLabelText('Passphrase').getAttribute('aria-invalid')).toBe('true');
    expect(close).not.toHaveBeenCalled();
  });

  it('Cancel answers null (the send is cancelled, the compose window stays) and closes', async () => {
    const { call, close } = renderUnlock(async () => ({ unlocked: false }));
    fireEvent.click(screen.getByRole('button', { name: 'Cancel sending' }));
    await waitFor(() => expect(close).toHaveBeenCalled());
    expect(call).toHaveBeenCalledWith('answerUnlockPrompt', { promptId: 'p-1', passphrase: null });
  });
});
