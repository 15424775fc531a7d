import type { DisplayStatus } from '../shared/read-protocol.js';
import { encryptionAdvice, encryptionCause, signatureAdvice, signatureCause } from '../shared/read-text.js';

export interface StatusExplainerProps {
  status: DisplayStatus;
  t: (name: string, substitutions?: string | string[]) => string;
}

/** "What does this mean?": the cause and what to do, for the signature and the encryption (Kopano pattern, features.md). */
export function StatusExplainer({ status, t }: StatusExplainerProps) {
  const signer = status.signer ?? '?';
  const from = status.from ?? '?';
  return (
    <div class="waxseal-explainer" data-testid="banner-explainer">
      {status.signature && (
        <dl>
          <dt>{t('banner_whyTitle')}</dt>
          <dd data-testid="explainer-signature-cause">{t(signatureCause(status.signature), [signer, from])}</dd>
          <dt>{t('banner_doTitle')}</dt>
          <dd data-testid="explainer-signature-advice">{t(signatureAdvice(status.signature), [signer, from])}</dd>
        </dl>
      )}
      {status.notAddressedToYou && status.signature !== 'not-addressed-to-you' && (
        <dl>
          <dt>{t('banner_whyTitle')}</dt>
          <dd data-testid="explainer-addressees-cause">{t(signatureCause('not-addressed-to-you'), [signer, from])}</dd>
          <dt>{t('banner_doTitle')}</dt>
          <dd data-testid="explainer-addressees-advice">{t(signatureAdvice('not-addressed-to-you'), [signer, from])}</dd>
        </dl>
      )}
      {status.encryption && (
        <dl>
          <dt>{t('banner_whyTitle')}</dt>
          <dd data-testid="explainer-encryption-cause">{t(encryptionCause(status.encryption))}</dd>
          <dt>{t('banner_doTitle')}</dt>
          <dd data-testid="explainer-encryption-advice">{t(encryptionAdvice(status.encryption))}</dd>
        </dl>
      )}
    </div>
  );
}
