import { useEffect, useState } from 'preact/hooks';
import type { Call } from './rpc.js';

export interface PlaceholderPageProps {
  /** Which page this is; used in test ids. */
  page: 'options' | 'compose' | 'display';
  title: string;
  text: string;
  call: Call;
  t: (name: string, substitutions?: string | string[]) => string;
}

/**
 * A page that only says what will be there and shows the background's version. It sets
 * `data-ready` once the background answered (STYLE §7), so tests can wait for it.
 */
export function PlaceholderPage({ page, title, text, call, t }: PlaceholderPageProps) {
  const [version, setVersion] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    call('ping', {}).then(
      (res) => setVersion(res.version),
      () => setFailed(true),
    );
  }, [call]);
  const ready = version !== null || failed;
  return (
    <main data-testid={`${page}-page`} data-ready={ready ? 'true' : 'false'}>
      <h1>{title}</h1>
      <p>{text}</p>
      {version !== null && <p class="waxseal-version" data-testid="version">{t('versionLabel', version)}</p>}
      {failed && <p role="alert">{t('backgroundUnavailable')}</p>}
    </main>
  );
}
