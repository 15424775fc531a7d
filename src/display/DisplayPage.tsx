import { useEffect, useState } from 'preact/hooks';
import type { DisplayStatus } from '../shared/read-protocol.js';
import { headlineOf } from '../shared/read-text.js';
import { RpcCallError, type Call } from '../shared/rpc.js';
import { StatusBanner } from './StatusBanner.js';
import { UnlockForReading } from './UnlockForReading.js';

export interface DisplayPageProps {
  call: Call;
  t: (name: string, substitutions?: string | string[]) => string;
  /** The message tab the toolbar button belongs to. */
  tabId: number | null;
  copy: (text: string) => Promise<void>;
  version: string;
}

/**
 * The message toolbar popup: the authoritative status of the displayed message (the same words as the
 * banner), an unlock form for encrypted mail, and the way to Waxseal's decrypted view. Unsigned mail
 * gets a neutral explanation.
 */
export function DisplayPage({ call, t, tabId, copy, version }: DisplayPageProps) {
  const [status, setStatus] = useState<DisplayStatus | null>(null);
  const [phrase, setPhrase] = useState('');
  const [ready, setReady] = useState(false);
  useEffect(() => {
    if (tabId === null) {
      setReady(true);
      return;
    }
    Promise.all([call('getDisplayStatus', { tabId }), call('getSecurityPhrase', {})])
      .then(([res, p]) => {
        setStatus(res);
        setPhrase(p.phrase);
      })
      .catch((error: unknown) => console.error('Waxseal: no status for this message', error))
      .finally(() => setReady(true));
  }, [call, tabId]);
  const judged = status !== null && (status.signature !== null || status.encryption !== null);
  return (
    <main data-testid="display-page" data-ready={ready ? 'true' : 'false'} data-state={status?.signature ?? status?.encryption ?? 'none'}>
      <h1>{t('displayActionTitle')}</h1>
      {!judged && (
        <div data-testid="read-neutral">
          <p>{t(headlineOf(null))}</p>
          <p>{t('read_notSignedHelp')}</p>
        </div>
      )}
      {judged && <StatusBanner content={{ status, securityPhrase: phrase }} t={t} copy={copy} version={version} />}
      {status?.encryption === 'locked' && (
        <UnlockForReading
          t={t}
          unlock={async (passphrase) => {
            try {
              setStatus(await call('unlockForReading', { passphrase, messageId: status.messageId }));
            } catch (error) {
              throw new Error(error instanceof RpcCallError ? t(`error_${error.code}`) || error.message : String(error));
            }
          }}
        />
      )}
      {status?.decryptedViewAvailable && (
        <button type="button" data-testid="read-open-decrypted" onClick={() => void call('openDecryptedView', { messageId: status.messageId })}>
          {t('read_openDecrypted')}
        </button>
      )}
    </main>
  );
}
