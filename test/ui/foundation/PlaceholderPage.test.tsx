import { cleanup, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PlaceholderPage } from '../../../src/shared/PlaceholderPage.js';
import { RpcCallError, type Call } from '../../../src/shared/rpc.js';

const t = (name: string, substitutions?: string | string[]) => (substitutions === undefined ? name : `${name}:${String(substitutions)}`);

describe('PlaceholderPage', () => {
  afterEach(cleanup);

  it('asks the background for its version and marks itself ready', async () => {
    const call = vi.fn(async () => ({ version: '0.1.0' })) as unknown as Call;
    render(<PlaceholderPage page="options" title="Settings" text="Soon" call={call} t={t} />);
    expect(screen.getByTestId('options-page').dataset.ready).toBe('false');
    await waitFor(() => expect(screen.getByTestId('options-page').dataset.ready).toBe('true'));
    expect(screen.getByTestId('version').textContent).toBe('versionLabel:0.1.0');
    expect(call).toHaveBeenCalledWith('ping', {});
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('says so when the background does not answer, and is still ready', async () => {
    const call = (async () => {
      throw new RpcCallError({ code: 'INTERNAL_ERROR', message: 'down' });
    }) as Call;
    render(<PlaceholderPage page="display" title="Status" text="Soon" call={call} t={t} />);
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('backgroundUnavailable'));
    expect(screen.getByTestId('display-page').dataset.ready).toBe('true');
    expect(screen.queryByTestId('version')).toBeNull();
  });
});
