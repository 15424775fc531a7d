import { useState } from 'preact/hooks';
import type { BannerContent, Tone } from '../shared/read-protocol.js';
import { continuityText, encryptionHeadline, signatureHeadline } from '../shared/read-text.js';
import { diagnosticsText } from './diagnostics.js';
import { StatusDetails } from './StatusDetails.js';
import { StatusExplainer } from './StatusExplainer.js';

export interface StatusBannerProps {
  content: BannerContent;
  t: (name: string, substitutions?: string | string[]) => string;
  /** Writes the diagnostics to the clipboard. */
  copy: (text: string) => Promise<void>;
  version: string;
}

/** At most this many of the signer's addressees are named in the banner line; the details list them all. */
const BANNER_ADDRESSEES = 3;

/** "bob@example.com, dave@example.com, …" from the protected To and Cc (SEC-22). */
function addresseeList(addressees: BannerContent['status']['protectedAddressees']): string {
  const all = addressees ? [...addressees.to, ...addressees.cc] : [];
  if (all.length === 0) return '?';
  return all.length > BANNER_ADDRESSEES ? `${all.slice(0, BANNER_ADDRESSEES).join(', ')}, …` : all.join(', ');
}

/** A symbol per tone, so the state never depends on colour alone. */
const TONE_SYMBOL: Record<Tone, string> = { ok: '✓', warn: '!', bad: '✕', info: 'i', action: '🔒' };

/**
 * The status of one message: one sentence per layer with an icon and a colour, the per-install
 * security phrase (SEC-15: a page cannot forge a banner that carries it), "What does this mean?",
 * details on demand and "Copy diagnostics". Renders only what the background decided.
 */
export function StatusBanner({ content, t, copy, version }: StatusBannerProps) {
  const { status } = content;
  const [open, setOpen] = useState<'none' | 'explain' | 'details'>('none');
  const [copied, setCopied] = useState(false);
  const toggle = (panel: 'explain' | 'details'): void => setOpen(open === panel ? 'none' : panel);
  return (
    <section class={`waxseal-banner waxseal-tone-${status.tone}`} data-testid="waxseal-banner" data-tone={status.tone} data-signature={status.signature ?? 'none'} data-encryption={status.encryption ?? 'none'} role="status" aria-live="polite">
      <div class="waxseal-headline">
        <span class="waxseal-icon" aria-hidden="true" data-testid="banner-icon">
          {TONE_SYMBOL[status.tone]}
        </span>
        <div class="waxseal-sentences">
          {status.signature && <p data-testid="banner-signature">{t(signatureHeadline(status.signature), [status.signer ?? '?', status.from ?? '?'])}</p>}
          {status.encryption && <p data-testid="banner-encryption">{t(encryptionHeadline(status.encryption))}</p>}
          {status.notAddressedToYou && (
            <p data-testid="banner-not-addressed-to-you">{t('banner_notAddressedToYou', addresseeList(status.protectedAddressees))}</p>
          )}
          {status.continuity && <p data-testid="banner-continuity">{t(continuityText(status.continuity), status.signer ?? '?')}</p>}
        </div>
        <span class="waxseal-phrase" title={t('banner_phraseHelp')} data-testid="banner-phrase">
          {content.securityPhrase}
        </span>
      </div>
      <div class="waxseal-actions">
        <button type="button" aria-expanded={open === 'explain'} data-testid="banner-explain" onClick={() => toggle('explain')}>
          {t('banner_whatDoesThisMean')}
        </button>
        <button type="button" aria-expanded={open === 'details'} data-testid="banner-details-button" onClick={() => toggle('details')}>
          {t('banner_details')}
        </button>
        <button
          type="button"
          data-testid="banner-copy"
          onClick={() => {
            copy(diagnosticsText(status, version)).then(
              () => setCopied(true),
              (error: unknown) => console.error('Waxseal: could not copy the diagnostics', error),
            );
          }}
        >
          {copied ? t('banner_copied') : t('banner_copyDiagnostics')}
        </button>
      </div>
      {open === 'explain' && <StatusExplainer status={status} t={t} />}
      {open === 'details' && <StatusDetails status={status} t={t} />}
    </section>
  );
}
