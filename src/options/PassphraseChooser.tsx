/**
 * New passphrase + confirmation with a strength indicator. Strength is judged by the background
 * (checkPassphraseStrength), the same rule the key store enforces, so the page never disagrees with it.
 * The state is shown as text and a meter, never by colour alone.
 */
import { useEffect, useState } from 'preact/hooks';
import type { PassphraseStrength } from '../shared/keys-protocol.js';
import { useOptions } from './context.js';
import { Field } from './widgets.js';

export interface PassphraseChoice {
  passphrase: string;
  /** Strong enough and confirmed. */
  acceptable: boolean;
}

export function PassphraseChooser({ idPrefix, onChange }: { idPrefix: string; onChange: (choice: PassphraseChoice) => void }) {
  const { store, t } = useOptions();
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [strength, setStrength] = useState<PassphraseStrength | null>(null);

  useEffect(() => {
    let current = true;
    if (!passphrase) {
      setStrength(null);
      return;
    }
    store.call('checkPassphraseStrength', { passphrase }).then(
      (result) => current && setStrength(result),
      () => current && setStrength(null),
    );
    return () => {
      current = false;
    };
  }, [passphrase, store]);

  const mismatch = confirm !== '' && confirm !== passphrase;
  useEffect(() => {
    onChange({ passphrase, acceptable: strength?.ok === true && confirm === passphrase });
  }, [passphrase, confirm, strength]);

  const bits = strength ? Math.round(strength.estimatedBits) : 0;
  return (
    <div class="options-passphrase-chooser">
      <Field id={`${idPrefix}-new`} label={t('options_newPassphrase')} type="password" value={passphrase} onInput={setPassphrase} testid={`${idPrefix}-new`} describedBy={`${idPrefix}-strength`} autoComplete="new-password" />
      <div id={`${idPrefix}-strength`} class="options-strength" data-testid={`${idPrefix}-strength`} data-ok={strength ? String(strength.ok) : 'unknown'} aria-live="polite">
        <meter min={0} max={100} low={50} high={80} optimum={100} value={Math.min(bits, 100)} aria-label={t('options_strengthLabel')} />
        <span>
          {strength === null
            ? t('options_strengthEmpty')
            : strength.ok
              ? t('options_strengthOk', String(bits))
              : [t('options_strengthWeak'), ...strength.reasons.map((r) => t(`options_strength_${r.replace(/-/g, '_')}`))].join(' ')}
        </span>
      </div>
      <Field id={`${idPrefix}-confirm`} label={t('options_confirmPassphrase')} type="password" value={confirm} onInput={setConfirm} testid={`${idPrefix}-confirm`} invalid={mismatch} describedBy={mismatch ? `${idPrefix}-mismatch` : undefined} autoComplete="new-password" />
      {mismatch && (
        <p id={`${idPrefix}-mismatch`} class="options-error" data-testid={`${idPrefix}-mismatch`}>
          <span aria-hidden="true">⚠ </span>
          {t('options_passphraseMismatch')}
        </p>
      )}
    </div>
  );
}
