/**
 * Passphrase and locking (issue #8 item 3): the lock state, lock now, unlock, auto-lock minutes and a
 * passphrase change that the key store refuses without the current passphrase.
 */
import { useState } from 'preact/hooks';

import { useOptions } from '../context.js';
import { PassphraseChooser, type PassphraseChoice } from '../PassphraseChooser.js';
import { ErrorMessage, Field, Notice } from '../widgets.js';

const AUTO_LOCK_CHOICES: readonly (number | null)[] = [5, 15, 30, 60, 120, 240, null];

export function PassphraseView() {
  const { store, t } = useOptions();
  const status = store.status.value;
  return (
    <section aria-labelledby="passphrase-title" data-testid="view-passphrase">
      <h2 id="passphrase-title">{t('options_passphraseViewTitle')}</h2>
      {status && !status.initialised && <p data-testid="passphrase-none">{t('options_noPassphraseYet')}</p>}
      {status?.initialised && (
        <>
          <LockState />
          <ChangePassphrase />
          <AutoLock />
        </>
      )}
    </section>
  );
}

function LockState() {
  const { store, t } = useOptions();
  const status = store.status.value!;
  const [passphrase, setPassphrase] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <div class="options-panel" data-testid="lock-state" data-locked={String(status.locked)}>
      <h3>{t('options_lockTitle')}</h3>
      <p data-testid="lock-text">
        <span aria-hidden="true">{status.locked ? '🔒 ' : '🔓 '}</span>
        {status.locked
          ? t('options_locked')
          : status.unlockedUntil
            ? t('options_unlockedUntil', new Date(status.unlockedUntil).toLocaleTimeString())
            : t('options_unlockedUntilClose')}
      </p>
      {status.locked ? (
        <form
          onSubmit={async (event) => {
            event.preventDefault();
            const outcome = await store.run(() => store.call('unlock', { passphrase }));
            setPassphrase('');
            setError(outcome.ok ? null : outcome.code);
          }}
        >
          <Field id="unlock-passphrase" label={t('options_passphrase')} type="password" value={passphrase} onInput={setPassphrase} testid="unlock-passphrase" invalid={error !== null} autoComplete="current-password" />
          <ErrorMessage code={error} testid="unlock-error" />
          <button type="submit" disabled={!passphrase} data-testid="unlock-submit">
            {t('options_unlock')}
          </button>
        </form>
      ) : (
        <button type="button" data-testid="lock-now" onClick={() => void store.run(() => store.call('lock', {}))}>
          {t('options_lockNow')}
        </button>
      )}
    </div>
  );
}

function ChangePassphrase() {
  const { store, t } = useOptions();
  const [current, setCurrent] = useState('');
  const [choice, setChoice] = useState<PassphraseChoice>({ passphrase: '', acceptable: false });
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [generation, setGeneration] = useState(0);
  return (
    <form
      class="options-panel"
      data-testid="change-passphrase"
      onSubmit={async (event) => {
        event.preventDefault();
        if (!current || !choice.acceptable) return;
        const outcome = await store.run(() => store.call('changePassphrase', { currentPassphrase: current, newPassphrase: choice.passphrase }));
        setCurrent('');
        if (outcome.ok) {
          setError(null);
          setDone(true);
          // A fresh chooser, so the new passphrase does not stay in the fields.
          setGeneration(generation + 1);
        } else {
          setError(outcome.code);
          setDone(false);
        }
      }}
    >
      <h3>{t('options_changeTitle')}</h3>
      <Field id="change-current" label={t('options_currentPassphrase')} type="password" value={current} onInput={setCurrent} testid="change-current" invalid={error === 'KEYSTORE_WRONG_PASSPHRASE'} autoComplete="current-password" />
      <PassphraseChooser key={generation} idPrefix="change" onChange={setChoice} />
      <ErrorMessage code={error} testid="change-error" />
      {done && <Notice testid="change-done">{t('options_changeDone')}</Notice>}
      <button type="submit" disabled={!current || !choice.acceptable} data-testid="change-submit">
        {t('options_changeSubmit')}
      </button>
    </form>
  );
}

function AutoLock() {
  const { store, t } = useOptions();
  const status = store.status.value!;
  const [error, setError] = useState<string | null>(null);
  const current = status.autoLockMinutes === null ? 'close' : String(status.autoLockMinutes);
  const choices = AUTO_LOCK_CHOICES.map((m) => (m === null ? 'close' : String(m)));
  if (!choices.includes(current)) choices.unshift(current);
  // #9: a locked managed setting is shown, never changeable (the background refuses it too).
  const lockedByOrganisation = status.organisation?.locked.autoLockMinutes === true;
  return (
    <div class="options-panel">
      <h3>{t('options_autoLockTitle')}</h3>
      <label for="auto-lock">{t('options_autoLockLabel')}</label>{' '}
      <select
        id="auto-lock"
        data-testid="auto-lock"
        value={current}
        disabled={lockedByOrganisation}
        onChange={async (event) => {
          const value = (event.currentTarget as HTMLSelectElement).value;
          const outcome = await store.run(() => store.call('setAutoLock', { minutes: value === 'close' ? null : Number(value) }));
          setError(outcome.ok ? null : outcome.code);
        }}
      >
        {choices.map((choice) => (
          <option key={choice} value={choice}>
            {choice === 'close' ? t('options_autoLockClose') : t('options_autoLockMinutes', choice)}
          </option>
        ))}
      </select>
      {lockedByOrganisation && (
        <p class="options-note" data-testid="auto-lock-managed">
          {t('options_setByOrganisation')}
        </p>
      )}
      <ErrorMessage code={error} testid="auto-lock-error" />
    </div>
  );
}
