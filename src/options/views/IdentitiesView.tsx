/**
 * My identities (issue #8 item 2): every certificate per address with its status, issuer, usages and
 * fingerprint; which one signs and which one decrypts; older keys kept for old mail; backup export
 * (passphrase again, SEC-42a) and deletion with a preview of what becomes unreadable.
 */
import { useEffect, useState } from 'preact/hooks';
import type { DeletionSummary, IdentitySummary } from '../../shared/keys-protocol.js';
import { commonName, daysUntil, formatDate, formatFingerprint, validity } from '../certificates.js';
import { useOptions } from '../context.js';
import { errorCode } from '../options-store.js';
import { PassphraseChooser, type PassphraseChoice } from '../PassphraseChooser.js';
import { ErrorMessage, Field, FileField, MissingIssuers, Notice, type PickedFile } from '../widgets.js';

export function IdentitiesView() {
  const { store, t } = useOptions();
  const identities = store.identities.value;
  const addresses = [...new Set(identities.flatMap((i) => i.addresses.map((a) => a.toLowerCase())))].sort();
  return (
    <section aria-labelledby="identities-title" data-testid="view-identities">
      <h2 id="identities-title">{t('options_identitiesTitle')}</h2>
      {identities.length === 0 && (
        <div data-testid="identities-empty">
          <p>{t('options_identitiesEmpty')}</p>
          <button type="button" data-testid="identities-start-setup" onClick={() => (store.view.value = 'setup')}>
            {t('options_startSetup')}
          </button>
        </div>
      )}
      {addresses.map((address) => (
        <div key={address} class="options-address" data-testid="identity-address" data-address={address}>
          <h3>{address}</h3>
          {identities
            .filter((i) => i.addresses.some((a) => a.toLowerCase() === address))
            .sort((a, b) => Date.parse(b.notAfter) - Date.parse(a.notAfter))
            .map((identity) => (
              <IdentityCard key={identity.id} identity={identity} address={address} />
            ))}
        </div>
      ))}
      {store.status.value?.initialised && <ImportMore />}
    </section>
  );
}

function IdentityCard({ identity, address }: { identity: IdentitySummary; address: string }) {
  const { store, t } = useOptions();
  const now = store.platform.now();
  const state = validity(identity.notBefore, identity.notAfter, now);
  const days = daysUntil(identity.notAfter, now);
  const signs = identity.currentSigningFor.map((a) => a.toLowerCase()).includes(address);
  const decrypts = identity.currentEncryptionFor.map((a) => a.toLowerCase()).includes(address);
  const [panel, setPanel] = useState<'none' | 'export' | 'delete'>('none');
  const [error, setError] = useState<string | null>(null);
  const usages = [identity.usableForSigning ? t('options_usageSigning') : '', identity.usableForEncryption ? t('options_usageEncryption') : ''].filter(Boolean).join(', ');

  async function makeCurrent(purpose: 'signing' | 'encryption') {
    const outcome = await store.run(() => store.call('setCurrentIdentity', { address, purpose, id: identity.id }));
    setError(outcome.ok ? null : outcome.code);
  }

  const label = identity.friendlyName || commonName(identity.subject);
  return (
    <article class="options-card" data-testid="identity" data-id={identity.id} data-state={state} aria-label={label}>
      <h4>{label}</h4>
      <dl class="options-facts">
        <dt>{t('options_status')}</dt>
        <dd data-testid="identity-status">
          {state === 'expired'
            ? t('options_statusExpired', formatDate(identity.notAfter))
            : state === 'not-yet-valid'
              ? t('options_statusNotYetValid', formatDate(identity.notBefore))
              : t('options_statusValidUntil', [formatDate(identity.notAfter), String(days)])}
        </dd>
        <dt>{t('options_issuer')}</dt>
        <dd>{commonName(identity.issuer)}</dd>
        <dt>{t('options_usages')}</dt>
        <dd>{usages || t('options_usageNone')}</dd>
        <dt>{t('options_fingerprint')}</dt>
        <dd class="options-fingerprint" data-testid="identity-fingerprint">
          {formatFingerprint(identity.fingerprintSha256)}
        </dd>
        <dt>{t('options_role')}</dt>
        <dd data-testid="identity-role">
          {[signs ? t('options_roleSigns') : '', decrypts ? t('options_roleDecrypts') : ''].filter(Boolean).join(' · ') || t('options_roleOlder')}
        </dd>
      </dl>
      <div class="options-actions">
        {!signs && identity.usableForSigning && state !== 'expired' && (
          <button type="button" data-testid="identity-use-signing" onClick={() => void makeCurrent('signing')}>
            {t('options_useForSigning')}
          </button>
        )}
        {!decrypts && identity.usableForEncryption && state !== 'expired' && (
          <button type="button" data-testid="identity-use-encryption" onClick={() => void makeCurrent('encryption')}>
            {t('options_useForEncryption')}
          </button>
        )}
        <button type="button" aria-expanded={panel === 'export'} data-testid="identity-export-open" onClick={() => setPanel(panel === 'export' ? 'none' : 'export')}>
          {t('options_exportBackup')}
        </button>
        <button type="button" aria-expanded={panel === 'delete'} data-testid="identity-delete-open" onClick={() => setPanel(panel === 'delete' ? 'none' : 'delete')}>
          {t('options_delete')}
        </button>
      </div>
      <ErrorMessage code={error} testid="identity-error" />
      {panel === 'export' && <ExportForm identity={identity} />}
      {panel === 'delete' && <DeleteForm identity={identity} onCancel={() => setPanel('none')} />}
    </article>
  );
}

function ExportForm({ identity }: { identity: IdentitySummary }) {
  const { store, t } = useOptions();
  const [passphrase, setPassphrase] = useState('');
  const [choice, setChoice] = useState<PassphraseChoice>({ passphrase: '', acceptable: false });
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const prefix = `export-${identity.id}`;
  return (
    <form
      class="options-panel"
      data-testid="export-form"
      onSubmit={async (event) => {
        event.preventDefault();
        if (!choice.acceptable || !passphrase || busy) return;
        setBusy(true);
        const outcome = await store.run(() => store.call('exportPkcs12', { id: identity.id, passphrase, exportPassword: choice.passphrase }));
        setBusy(false);
        if (outcome.ok) {
          store.platform.download(outcome.value.p12, outcome.value.fileName, 'application/x-pkcs12');
          setSaved(outcome.value.fileName);
          setError(null);
          setPassphrase('');
        } else {
          setError(outcome.code);
        }
      }}
    >
      <h5>{t('options_exportTitle')}</h5>
      <p>{t('options_exportText')}</p>
      <Field id={`${prefix}-passphrase`} label={t('options_currentPassphrase')} type="password" value={passphrase} onInput={setPassphrase} testid="export-passphrase" invalid={error === 'KEYSTORE_WRONG_PASSPHRASE'} autoComplete="current-password" />
      <p class="options-hint">{t('options_exportPasswordHint')}</p>
      <PassphraseChooser idPrefix={`${prefix}-password`} onChange={setChoice} />
      <ErrorMessage code={error} testid="export-error" />
      {saved && <Notice testid="export-done">{t('options_exportDone', saved)}</Notice>}
      <button type="submit" disabled={!choice.acceptable || !passphrase || busy} data-testid="export-submit">
        {t('options_exportSubmit')}
      </button>
    </form>
  );
}

function DeleteForm({ identity, onCancel }: { identity: IdentitySummary; onCancel: () => void }) {
  const { store, t } = useOptions();
  const [preview, setPreview] = useState<DeletionSummary | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    store.call('previewDeleteIdentity', { id: identity.id }).then(setPreview, (failure: unknown) => setError(errorCode(failure)));
  }, [identity.id, store]);
  return (
    <div class="options-panel" role="group" aria-labelledby={`delete-${identity.id}`} data-testid="delete-panel">
      <h5 id={`delete-${identity.id}`}>{t('options_deleteTitle')}</h5>
      {preview && (
        <ul class="options-warning" data-testid="delete-preview">
          {preview.encryptedMailBecomesUnreadable && <li data-testid="delete-unreadable">{t('options_deleteUnreadable', preview.addresses.join(', '))}</li>}
          {preview.addressesWithoutSigningIdentity.length > 0 && <li data-testid="delete-no-signing">{t('options_deleteNoSigning', preview.addressesWithoutSigningIdentity.join(', '))}</li>}
          {!preview.encryptedMailBecomesUnreadable && preview.addressesWithoutSigningIdentity.length === 0 && <li>{t('options_deleteHarmless')}</li>}
        </ul>
      )}
      <ErrorMessage code={error} testid="delete-error" />
      <button
        type="button"
        disabled={!preview}
        data-testid="delete-confirm"
        onClick={async () => {
          const outcome = await store.run(() => store.call('deleteIdentity', { id: identity.id }));
          if (!outcome.ok) setError(outcome.code);
        }}
      >
        {t('options_deleteConfirm')}
      </button>{' '}
      <button type="button" data-testid="delete-cancel" onClick={onCancel}>
        {t('options_cancel')}
      </button>
    </div>
  );
}

function ImportMore() {
  const { store, t } = useOptions();
  const [file, setFile] = useState<PickedFile | null>(null);
  const [p12Password, setP12Password] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<number | null>(null);
  const [missing, setMissing] = useState<string[]>([]);
  return (
    <form
      class="options-panel"
      data-testid="import-more"
      onSubmit={async (event) => {
        event.preventDefault();
        if (!file) return;
        const outcome = await store.run(() => store.call('importPkcs12', { p12: file.bytes, p12Password, passphrase }));
        if (outcome.ok) {
          setDone(outcome.value.imported.length);
          setMissing(outcome.value.missingIssuers);
          setError(null);
          setP12Password('');
          setPassphrase('');
        } else {
          setError(outcome.code);
          setDone(null);
          setMissing([]);
        }
      }}
    >
      <h3>{t('options_importMoreTitle')}</h3>
      <p class="options-hint">{t('options_importMoreText')}</p>
      <FileField id="import-more-file" label={t('options_p12File')} accept=".p12,.pfx,application/x-pkcs12" testid="import-more-file" picked={file?.name ?? null} onFile={setFile} />
      <Field id="import-more-password" label={t('options_p12Password')} type="password" value={p12Password} onInput={setP12Password} testid="import-more-password" invalid={error === 'PKCS12_WRONG_PASSWORD'} autoComplete="off" />
      <Field id="import-more-passphrase" label={t('options_currentPassphrase')} type="password" value={passphrase} onInput={setPassphrase} testid="import-more-passphrase" invalid={error === 'KEYSTORE_WRONG_PASSPHRASE'} autoComplete="current-password" />
      <ErrorMessage code={error} testid="import-more-error" />
      {done !== null && <Notice testid="import-more-done">{t('options_importedCount', String(done))}</Notice>}
      <MissingIssuers issuers={missing} testid="import-more-missing" />
      <button type="submit" disabled={!file} data-testid="import-more-submit">
        {t('options_import')}
      </button>
    </form>
  );
}
