import { useCallback, useEffect, useState } from 'preact/hooks';
import type { DecryptedView } from '../shared/read-protocol.js';
import { RpcCallError, type Call } from '../shared/rpc.js';
import { HtmlBody } from './HtmlBody.js';
import { StatusBanner } from './StatusBanner.js';
import { UnlockForReading } from './UnlockForReading.js';

export interface DecryptedPageProps {
  call: Call;
  t: (name: string, substitutions?: string | string[]) => string;
  messageId: number;
  copy: (text: string) => Promise<void>;
  /** Offers bytes as a download (a blob URL in the product; never a temporary file). */
  download: (fileName: string, contentType: string, bytes: Uint8Array) => void;
  version: string;
}

/**
 * Waxseal's view of a decrypted message: the same banner, the outer headers marked as sent in the clear,
 * the decrypted body (sanitised HTML in a sandboxed frame, with the text view one click away; or
 * text) and the decrypted attachments. Nothing
 * from outside the encryption is mixed into the body (SEC-19, SEC-21).
 */
export function DecryptedPage({ call, t, messageId, copy, download, version }: DecryptedPageProps) {
  const [view, setView] = useState<DecryptedView | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [showHtml, setShowHtml] = useState(true);
  const load = useCallback(() => {
    call('getDecryptedView', { messageId }).then(setView, (error: unknown) => setFailure(error instanceof RpcCallError ? error.code : 'INTERNAL_ERROR'));
  }, [call, messageId]);
  useEffect(load, [load]);
  const ready = view !== null || failure !== null;
  const status = view?.status;
  return (
    <main data-testid="decrypted-page" data-ready={ready ? 'true' : 'false'} data-encryption={status?.encryption ?? 'none'}>
      {failure && (
        <p role="alert" data-testid="decrypted-failure">
          {t(`error_${failure}`) || failure}
        </p>
      )}
      {view && status && (status.signature || status.encryption) && <StatusBanner content={{ status, securityPhrase: view.securityPhrase }} t={t} copy={copy} version={version} />}
      {view && (
        <section class="waxseal-outer-headers" aria-label={t('read_outerHeaders')}>
          <p class="waxseal-note">{t('read_outerHeaders')}</p>
          <dl>
            <dt>{t('read_headerFrom')}</dt>
            <dd data-testid="decrypted-from">{view.from}</dd>
            <dt>{t('read_headerSubject')}</dt>
            <dd data-testid="decrypted-subject">{view.subject}</dd>
            {view.date && (
              <>
                <dt>{t('read_headerDate')}</dt>
                <dd>{view.date}</dd>
              </>
            )}
          </dl>
        </section>
      )}
      {status?.encryption === 'locked' && (
        <UnlockForReading
          t={t}
          unlock={async (passphrase) => {
            try {
              await call('unlockForReading', { passphrase, messageId });
            } catch (error) {
              throw new Error(error instanceof RpcCallError ? t(`error_${error.code}`) || error.message : String(error));
            }
            load();
          }}
        />
      )}
      {view?.html && showHtml && (
        <section aria-label={t('read_decryptedBody')}>
          <p class="waxseal-note">
            {t('read_htmlSanitized')}{' '}
            <button type="button" data-testid="decrypted-show-text" onClick={() => setShowHtml(false)}>
              {t('read_showText')}
            </button>
          </p>
          <HtmlBody html={view.html} title={t('read_decryptedBody')} />
        </section>
      )}
      {view?.text !== null && view?.text !== undefined && !(view.html && showHtml) && (
        <section aria-label={t('read_decryptedBody')}>
          {view.convertedFromHtml && <p class="waxseal-note">{t('read_htmlAsText')}</p>}
          {view.html && (
            <button type="button" data-testid="decrypted-show-html" onClick={() => setShowHtml(true)}>
              {t('read_showFormatted')}
            </button>
          )}
          <pre class="waxseal-body" data-testid="decrypted-text">
            {view.text}
          </pre>
        </section>
      )}
      {view && view.attachments.length > 0 && (
        <section aria-label={t('read_attachments')}>
          <h2>{t('read_attachments')}</h2>
          <ul data-testid="decrypted-attachments">
            {view.attachments.map((attachment) => (
              <li key={attachment.index}>
                <button
                  type="button"
                  data-testid={`decrypted-attachment-${attachment.index}`}
                  onClick={() => {
                    call('getDecryptedAttachment', { messageId, index: attachment.index }).then(
                      (file) => download(file.fileName, file.contentType, file.bytes),
                      (error: unknown) => setFailure(error instanceof RpcCallError ? error.code : 'INTERNAL_ERROR'),
                    );
                  }}
                >
                  {t('read_saveAttachment', [attachment.fileName, String(attachment.size)])}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </main>
  );
}
