import { useEffect, useMemo } from 'preact/hooks';
import type { Call } from '../shared/rpc.js';
import { BlockerList } from './BlockerList.js';
import { createComposeStore } from './compose-store.js';
import { RecipientTable } from './RecipientTable.js';
import { StatusLine } from './StatusLine.js';
import { Toggle } from './Toggle.js';

export interface ComposePopupProps {
  call: Call;
  t: (name: string, substitutions?: string | string[]) => string;
  tabId: number;
  /** `blocked`: opened by the background after it stopped a send; shows why first. */
  mode: 'popup' | 'blocked';
}

/** The compose action popup (issue #6 item 1): Sign/Encrypt, recipients, hints and blockers. */
export function ComposePopup({ call, t, tabId, mode }: ComposePopupProps) {
  const store = useMemo(() => createComposeStore(call, tabId), [call, tabId]);
  useEffect(() => {
    void store.load();
  }, [store]);
  const view = store.view.value;
  const busy = store.busy.value;
  const error = store.error.value;
  const ready = view !== null || error !== null;
  const missing = view?.recipients.some((r) => r.problems.includes('missing')) ?? false;
  const onlyRecipientBlockers = view?.blockers.every((b) => b.code.startsWith('RECIPIENT_CERTIFICATE_')) ?? false;

  return (
    <main data-testid="compose-page" data-ready={ready ? 'true' : 'false'} data-mode={mode} aria-busy={busy ? 'true' : 'false'}>
      <h1>{mode === 'blocked' ? t('compose_blockedTitle') : t('compose_title')}</h1>
      {mode === 'blocked' && <p>{t('compose_blockedText')}</p>}
      {error && (
        <p role="alert" data-testid="compose-error">
          {t('compose_loadFailed')} {t(`compose_error_${error}`) || t('compose_error_generic', error)}
        </p>
      )}
      {view && (
        <>
          <p data-testid="compose-identity">{view.identity ? t('compose_identity', view.identity.address) : t('compose_noIdentity')}</p>
          {view.identity?.problems.map((problem) => (
            <p key={problem} role="alert" data-testid={`own-${problem}`}>
              <span aria-hidden="true">⚠ </span>
              {t(`compose_own_${problem}`)}
            </p>
          ))}
          {view.identity?.expiresInDays !== null && view.identity?.expiresInDays !== undefined && (
            <p data-testid="own-expires-soon">
              <span aria-hidden="true">⏳ </span>
              {t('compose_ownExpiresSoon', String(view.identity.expiresInDays))}
            </p>
          )}
          <fieldset>
            <legend class="visually-hidden">{t('compose_title')}</legend>
            <Toggle id="sign" label={t('compose_sign')} help={t('compose_signHelp')} checked={view.sign} disabled={busy} onChange={(sign) => void store.change({ sign })} />
            <Toggle
              id="encrypt"
              label={t('compose_encrypt')}
              help={view.requireEncryption ? t('compose_encryptRequired') : t('compose_encryptHelp')}
              checked={view.encrypt}
              disabled={busy || view.requireEncryption}
              onChange={(encrypt) => void store.change({ encrypt })}
            />
          </fieldset>
          {view.lastFailure && (
            <p role="alert" data-testid="compose-last-failure">
              <span aria-hidden="true">✖ </span>
              {view.lastFailure}
            </p>
          )}
          <StatusLine view={view} t={t} />
          {view.replyToEncrypted && (
            <p data-testid="compose-reply-to-encrypted">
              <span aria-hidden="true">🔒 </span>
              {t('compose_replyToEncrypted')}
            </p>
          )}
          {view.allowUnencrypted ? (
            <p data-testid="compose-allowed-unencrypted">
              <span aria-hidden="true">🔓 </span>
              {t('compose_allowedUnencrypted')}{' '}
              <button type="button" data-testid="undo-unencrypted" disabled={busy} onClick={() => void store.change({ allowUnencrypted: false })}>
                {t('compose_undo')}
              </button>
            </p>
          ) : (
            <BlockerList blockers={view.blockers} t={t} />
          )}
          {!view.allowUnencrypted && view.encrypt && !view.requireEncryption && view.blockers.length > 0 && onlyRecipientBlockers && (
            <button type="button" data-testid="send-unencrypted" disabled={busy} onClick={() => void store.change({ allowUnencrypted: true })}>
              {t('compose_sendUnencrypted')}
            </button>
          )}
          {view.encryptionPossible && !view.encrypt && (
            <p data-testid="hint-encrypt-possible">
              <span aria-hidden="true">🔒 </span>
              {t('compose_hintEncryptPossible')}{' '}
              <button type="button" data-testid="action-encrypt" disabled={busy} onClick={() => void store.change({ encrypt: true })}>
                {t('compose_actionEncrypt')}
              </button>
            </p>
          )}
          {missing && !view.sign && view.identity !== null && !view.identity.problems.includes('missing') && (
            <p data-testid="hint-send-my-certificate">
              <button type="button" data-testid="send-my-certificate" disabled={busy} aria-describedby="send-my-certificate-help" onClick={() => void store.change({ sign: true })}>
                {t('compose_sendMyCertificate')}
              </button>{' '}
              <span id="send-my-certificate-help">{t('compose_sendMyCertificateHelp')}</span>
            </p>
          )}
          {view.locked && (view.sign || view.encrypt) && (
            <p data-testid="compose-locked">
              <span aria-hidden="true">🔑 </span>
              {t('compose_locked')}
            </p>
          )}
          {view.encrypt && (
            <p data-testid="compose-drafts-notice" class="compose-help">
              <span aria-hidden="true">ℹ </span>
              {t('compose_draftsNotice')}
            </p>
          )}
          <RecipientTable recipients={view.recipients} t={t} />
        </>
      )}
    </main>
  );
}
