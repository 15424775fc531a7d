import { useEffect, useRef, useState } from 'preact/hooks';

export interface UnlockForReadingProps {
  t: (name: string, substitutions?: string | string[]) => string;
  /** Resolves when unlocked; rejects with a localised message. */
  unlock: (passphrase: string) => Promise<void>;
}

/** Passphrase field for reading encrypted mail; the passphrase goes to the background only. */
export function UnlockForReading({ t, unlock }: UnlockForReadingProps) {
  const [passphrase, setPassphrase] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const field = useRef<HTMLInputElement>(null);
  // The form appears only when the passphrase is needed, so it takes the focus at once.
  useEffect(() => field.current?.focus(), []);
  return (
    <form
      data-testid="read-unlock"
      onSubmit={(event) => {
        event.preventDefault();
        setBusy(true);
        setError(null);
        unlock(passphrase).then(
          () => setPassphrase(''),
          (failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)),
        ).finally(() => setBusy(false));
      }}
    >
      <label>
        {t('read_unlockLabel')}
        <input ref={field} type="password" autocomplete="current-password" value={passphrase} data-testid="read-unlock-passphrase" onInput={(e) => setPassphrase((e.target as HTMLInputElement).value)} />
      </label>
      <button type="submit" disabled={busy || passphrase === ''} data-testid="read-unlock-submit">
        {t('read_unlockButton')}
      </button>
      {error && (
        <p role="alert" data-testid="read-unlock-error">
          {error}
        </p>
      )}
    </form>
  );
}
