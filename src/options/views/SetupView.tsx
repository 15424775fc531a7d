/**
 * First run (issue #8 item 1): the threat-model notice that must be acknowledged (SEC-43), the .p12 and
 * its password, the Waxseal passphrase, then the result matched to Thunderbird's accounts and a prompt to
 * save a backup. A wrong .p12 password returns to the password step and keeps the chosen file.
 */
import { useEffect, useState } from 'preact/hooks';
import type { IdentitySummary, ProvisionedIdentityOffer } from '../../shared/keys-protocol.js';
import { useOptions } from '../context.js';
import { PassphraseChooser, type PassphraseChoice } from '../PassphraseChooser.js';
import { ErrorMessage, Field, FileField, MissingIssuers, type PickedFile } from '../widgets.js';

type Step = 'notice' | 'file' | 'password' | 'passphrase' | 'done';

export function SetupView() {
  const { store, t } = useOptions();
  const [step, setStep] = useState<Step>('notice');
  const [acknowledged, setAcknowledged] = useState(false);
  const [file, setFile] = useState<PickedFile | null>(null);
  const [p12Password, setP12Password] = useState('');
  const [choice, setChoice] = useState<PassphraseChoice>({ passphrase: '', acceptable: false });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [imported, setImported] = useState<IdentitySummary[]>([]);
  const [missingIssuers, setMissingIssuers] = useState<string[]>([]);
  // #9: an identity the organisation prepared; its file stays in the background, only the password is asked.
  const [offer, setOffer] = useState<ProvisionedIdentityOffer | null>(null);
  const [useOffer, setUseOffer] = useState(false);

  useEffect(() => {
    // The offer is a convenience: without it (or when asking fails) the page works as before.
    store.call('getProvisionedIdentity', {}).then(setOffer, () => setOffer(null));
  }, [store]);

  async function runImport() {
    const provisioned = useOffer ? offer : null;
    if (!file && !provisioned) return;
    setBusy(true);
    const outcome = await store.run(() =>
      provisioned
        ? store.call('importProvisionedIdentity', { offerId: provisioned.offerId, p12Password, passphrase: choice.passphrase })
        : store.call('importPkcs12', { p12: file!.bytes, p12Password, passphrase: choice.passphrase }),
    );
    setBusy(false);
    if (outcome.ok) {
      setImported(outcome.value.imported);
      setMissingIssuers(outcome.value.missingIssuers);
      setError(null);
      setStep('done');
      return;
    }
    setError(outcome.code);
    if (outcome.code === 'PKCS12_WRONG_PASSWORD') setStep('password');
    else if (outcome.code.startsWith('PKCS12_') || outcome.code === 'LIMIT_EXCEEDED') setStep('file');
  }

  const stepNumber = ['notice', 'file', 'password', 'passphrase', 'done'].indexOf(step) + 1;
  return (
    <section aria-labelledby="setup-title" data-testid="view-setup" data-step={step}>
      <h2 id="setup-title">{t('options_setupTitle')}</h2>
      <p class="options-hint" data-testid="setup-progress">{t('options_setupStep', [String(stepNumber), '5'])}</p>

      {step === 'notice' && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (acknowledged) setStep('file');
          }}
        >
          <h3>{t('options_noticeTitle')}</h3>
          <ul data-testid="threat-notice">
            <li>{t('options_noticeWhere')}</li>
            <li>{t('options_noticeProtects')}</li>
            <li>{t('options_noticeNotProtects')}</li>
            <li>{t('options_noticeDisk')}</li>
          </ul>
          <div class="options-check">
            <input id="setup-ack" type="checkbox" checked={acknowledged} data-testid="setup-ack" onChange={(event) => setAcknowledged((event.currentTarget as HTMLInputElement).checked)} />
            <label for="setup-ack">{t('options_noticeAck')}</label>
          </div>
          <button type="submit" disabled={!acknowledged} data-testid="setup-continue">
            {t('options_continue')}
          </button>
        </form>
      )}

      {step === 'file' && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (file) setStep('password');
          }}
        >
          <h3>{t('options_fileTitle')}</h3>
          {offer && (
            <div class="options-panel" data-testid="setup-provisioned">
              <p>{t('options_provisionedOffer', offer.label)}</p>
              <button
                type="button"
                data-testid="setup-provisioned-use"
                onClick={() => {
                  setUseOffer(true);
                  setError(null);
                  setStep('password');
                }}
              >
                {t('options_provisionedUse')}
              </button>
            </div>
          )}
          <FileField id="setup-file" label={t('options_p12File')} accept=".p12,.pfx,application/x-pkcs12" testid="setup-file" picked={file?.name ?? null} onFile={(picked) => { setFile(picked); setError(null); }} />
          <ErrorMessage code={error} testid="setup-error" />
          <button type="submit" disabled={!file} data-testid="setup-continue">
            {t('options_continue')}
          </button>
        </form>
      )}

      {step === 'password' && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            setError(null);
            setStep('passphrase');
          }}
        >
          <h3>{t('options_p12PasswordTitle')}</h3>
          <p data-testid="setup-password-text">{useOffer && offer ? t('options_provisionedPassword', offer.label) : t('options_p12PasswordText', file?.name ?? '')}</p>
          <Field id="setup-p12-password" label={t('options_p12Password')} type="password" value={p12Password} onInput={setP12Password} testid="setup-p12-password" invalid={error === 'PKCS12_WRONG_PASSWORD'} autoComplete="off" />
          <ErrorMessage code={error} testid="setup-error" />
          <button
            type="button"
            onClick={() => {
              setUseOffer(false);
              setStep('file');
            }}
            data-testid="setup-back"
          >
            {t('options_back')}
          </button>{' '}
          <button type="submit" data-testid="setup-continue">
            {t('options_continue')}
          </button>
        </form>
      )}

      {step === 'passphrase' && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (choice.acceptable && !busy) void runImport();
          }}
        >
          <h3>{t('options_passphraseTitle')}</h3>
          <p>{t('options_passphraseText')}</p>
          <p class="options-warning" data-testid="setup-loss-warning">
            <strong>{t('options_warningLabel')}</strong> {t('options_lossWarning')}
          </p>
          {store.status.value?.initialised ? (
            <Field id="setup-existing" label={t('options_currentPassphrase')} type="password" value={choice.passphrase} onInput={(value) => setChoice({ passphrase: value, acceptable: value !== '' })} testid="setup-existing" autoComplete="current-password" />
          ) : (
            <PassphraseChooser idPrefix="setup-passphrase" onChange={setChoice} />
          )}
          <ErrorMessage code={error} testid="setup-error" />
          <button type="button" onClick={() => setStep('password')} data-testid="setup-back">
            {t('options_back')}
          </button>{' '}
          <button type="submit" disabled={!choice.acceptable || busy} aria-busy={busy ? 'true' : 'false'} data-testid="setup-import">
            {t('options_import')}
          </button>
        </form>
      )}

      {step === 'done' && <SetupDone imported={imported} missingIssuers={missingIssuers} />}
    </section>
  );
}

function SetupDone({ imported, missingIssuers }: { imported: IdentitySummary[]; missingIssuers: string[] }) {
  const { store, t } = useOptions();
  const accounts = store.accounts.value;
  return (
    <div data-testid="setup-done">
      <h3>{t('options_doneTitle')}</h3>
      <ul data-testid="setup-imported">
        {imported.map((identity) =>
          identity.addresses.map((address) => {
            const account = accounts.find((a) => a.address === address.toLowerCase());
            return (
              <li key={`${identity.id}-${address}`} data-testid="setup-match" data-matched={account ? 'true' : 'false'}>
                {account ? t('options_matchedAccount', [address, account.accountName]) : t('options_noAccount', address)}
              </li>
            );
          }),
        )}
      </ul>
      <MissingIssuers issuers={missingIssuers} testid="setup-missing" />
      <p class="options-warning">
        <strong>{t('options_warningLabel')}</strong> {t('options_backupPrompt')}
      </p>
      <button type="button" data-testid="setup-backup" onClick={() => (store.view.value = 'identities')}>
        {t('options_saveBackupNow')}
      </button>{' '}
      <button type="button" data-testid="setup-finish" onClick={() => (store.view.value = 'identities')}>
        {t('options_finish')}
      </button>
    </div>
  );
}
