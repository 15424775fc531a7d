import { useState } from 'preact/hooks';
import type { Call } from '../shared/rpc.js';

export interface UnlockFormProps {
  call: Call;
  t: (name: string, substitutions?: string | string[]) => string;
  promptId: string;
  /** Closes the window once answered. */
  close: () => void;
}

type Outcome = 'idle' | 'busy' | 'unlocked' | 'cancelled';

function codeOf(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : 'INTERNAL_ERROR';
}

/**
 * The passphrase window opened by a send while the key store is locked (issue #6 item 2). A wrong
 * passphrase keeps the window open; Cancel (or closing the window) cancels the send, and the
 * compose window stays open.
 */
export function UnlockForm({ call, t, promptId, close }: UnlockFormProps) {
  const [passphrase, setPassphrase] = useState('');
  const [outcome, setOutcome] = useState<Outcome>('idle');
  const [error, setError] = useState<string | null>(null);

  async function answer(value: string | null): Promise<void> {
    setOutcome('busy');
    try {
      const result = await call('answerUnlockPrompt', { promptId, passphrase: value });
      setOutcome(result.unlocked ? 'unlocked' : 'cancelled');
      setPassphrase('');
      close();
    } catch (failure) {
      setError(codeOf(failure));
      setOutcome('idle');
    }
  }

  return (
    <main data-testid="unlock-page" data-ready="true" data-outcome={outcome}>
      <h1>{t('compose_unlockTitle')}</h1>
      <p id="unlock-text">{t('compose_unlockText')}</p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void answer(passphrase);
        }}
      >
        <label for="passphrase">{t('compose_passphrase')}</label>
        <input
          id="passphrase"
          type="password"
          autocomplete="current-password"
          data-testid="unlock-passphrase"
          aria-describedby="unlock-text"
          aria-invalid={error ? 'true' : 'false'}
          value={passphrase}
          disabled={outcome === 'busy'}
          onInput={(event) => setPassphrase((event.currentTarget as HTMLInputElement).value)}
          autofocus
        />
        {error && (
          <p role="alert" data-testid="unlock-error">
            <span aria-hidden="true">⚠ </span>
            {t(`compose_error_${error}`) || t('compose_error_generic', error)}
          </p>
        )}
        <button type="submit" data-testid="unlock-submit" disabled={outcome === 'busy' || passphrase === ''}>
          {t('compose_unlockSubmit')}
        </button>{' '}
        <button type="button" data-testid="unlock-cancel" disabled={outcome === 'busy'} onClick={() => void answer(null)}>
          {t('compose_unlockCancel')}
        </button>
      </form>
      {outcome === 'unlocked' && <p role="status">{t('compose_unlockDone')}</p>}
      {outcome === 'cancelled' && <p role="status">{t('compose_unlockCancelled')}</p>}
    </main>
  );
}
