/**
 * Waxseal's options page (issue #8): first run, my identities, passphrase and locking, people's
 * certificates, trust and defaults. Opened from Thunderbird's add-on options and from Waxseal's own
 * buttons, which may name a view in the URL fragment (`options/index.html#people`).
 */
import { useEffect, useMemo } from 'preact/hooks';
import type { Call } from '../shared/rpc.js';
import { expiryReminders, formatDate } from './certificates.js';
import { OptionsContext, type Translate } from './context.js';
import { createOptionsStore, OPTIONS_VIEWS, type OptionsView } from './options-store.js';
import type { OptionsPlatform } from './platform.js';
import { DefaultsView } from './views/DefaultsView.js';
import { IdentitiesView } from './views/IdentitiesView.js';
import { PassphraseView } from './views/PassphraseView.js';
import { PeopleView } from './views/PeopleView.js';
import { SetupView } from './views/SetupView.js';
import { TrustView } from './views/TrustView.js';
import { errorText } from './widgets.js';

export interface OptionsPageProps {
  call: Call;
  t: Translate;
  platform: OptionsPlatform;
  /** The view to open first; without it, first run for a new key store, otherwise My identities. */
  initialView?: OptionsView;
}

/** Reads a view name from a URL fragment such as `#people`; anything else is ignored. */
export function viewFromHash(hash: string): OptionsView | undefined {
  const name = hash.replace(/^#/, '');
  return (OPTIONS_VIEWS as readonly string[]).includes(name) ? (name as OptionsView) : undefined;
}

const VIEW_LABEL: Record<OptionsView, string> = {
  setup: 'options_navSetup',
  identities: 'options_navIdentities',
  passphrase: 'options_navPassphrase',
  people: 'options_navPeople',
  trust: 'options_navTrust',
  defaults: 'options_navDefaults',
};

export function OptionsPage({ call, t, platform, initialView }: OptionsPageProps) {
  const store = useMemo(() => createOptionsStore(call, platform, initialView), [call, platform, initialView]);
  useEffect(() => {
    void store.load();
  }, [store]);
  const context = useMemo(() => ({ store, t }), [store, t]);
  const view = store.view.value;
  const status = store.status.value;
  const loaded = store.loaded.value;
  const reminders = expiryReminders(store.identities.value, platform.now());

  return (
    <OptionsContext.Provider value={context}>
      <div class="options-page" data-testid="options-page" data-ready={loaded ? 'true' : 'false'} data-view={view}>
        <header>
          <h1>{t('options_title')}</h1>
          {status && (
            <p class="options-hint" data-testid="options-status" data-locked={String(status.locked)}>
              <span aria-hidden="true">{status.locked ? '🔒 ' : '🔓 '}</span>
              {!status.initialised ? t('options_statusNew') : status.locked ? t('options_locked') : t('options_unlocked')}
            </p>
          )}
        </header>
        <nav aria-label={t('options_navLabel')}>
          <ul class="options-nav">
            {OPTIONS_VIEWS.map((name) => (
              <li key={name}>
                <button type="button" aria-current={view === name ? 'page' : undefined} data-testid={`nav-${name}`} onClick={() => (store.view.value = name)}>
                  {t(VIEW_LABEL[name])}
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <main>
          {reminders.map((r) => (
            <p key={`${r.identity.id}-${r.address}`} role="status" class="options-warning" data-testid="expiry-reminder" data-threshold={String(r.threshold)}>
              <strong>{t('options_warningLabel')}</strong> {t('options_expiryReminder', [r.address, String(r.daysLeft), formatDate(r.identity.notAfter)])}
            </p>
          ))}
          {store.loadError.value && (
            <p role="alert" class="options-error" data-testid="options-load-error">
              <span aria-hidden="true">⚠ </span>
              {t('options_loadFailed')} {errorText(t, store.loadError.value)}
            </p>
          )}
          {loaded && view === 'setup' && <SetupView />}
          {loaded && view === 'identities' && <IdentitiesView />}
          {loaded && view === 'passphrase' && <PassphraseView />}
          {loaded && view === 'people' && <PeopleView />}
          {loaded && view === 'trust' && <TrustView />}
          {loaded && view === 'defaults' && <DefaultsView />}
        </main>
        <footer>{store.version.value && <p class="waxseal-version" data-testid="version">{t('versionLabel', store.version.value)}</p>}</footer>
      </div>
    </OptionsContext.Provider>
  );
}
