/**
 * The options page's state in signals (STYLE §7). Everything comes from the background (key store
 * status, identities, people's certificates, trust anchors) or from the platform (accounts, compose
 * defaults, bundled roots); the page computes only presentation (days left, sorting, search).
 */
import { signal, type Signal } from '@preact/signals';
import type { ComposeDefaults } from '../shared/compose-protocol.js';
import type { IdentitySummary, KeystoreStatus, PersonCertificateSummary, TrustAnchorSummary } from '../shared/keys-protocol.js';
import type { Call } from '../shared/rpc.js';
import type { AccountAddress, BundledRoot, OptionsPlatform } from './platform.js';

export type OptionsView = 'setup' | 'identities' | 'passphrase' | 'people' | 'trust' | 'defaults';
export const OPTIONS_VIEWS: readonly OptionsView[] = ['setup', 'identities', 'passphrase', 'people', 'trust', 'defaults'];

export type Outcome<T> = { ok: true; value: T } | { ok: false; code: string };

export interface OptionsStore {
  call: Call;
  platform: OptionsPlatform;
  view: Signal<OptionsView>;
  status: Signal<KeystoreStatus | null>;
  identities: Signal<IdentitySummary[]>;
  people: Signal<PersonCertificateSummary[]>;
  anchors: Signal<TrustAnchorSummary[]>;
  accounts: Signal<AccountAddress[]>;
  defaults: Signal<Record<string, ComposeDefaults>>;
  roots: Signal<BundledRoot[]>;
  /** The background's version (from `ping`), shown in the footer. */
  version: Signal<string | null>;
  loadError: Signal<string | null>;
  loaded: Signal<boolean>;
  load(): Promise<void>;
  /** Runs a request, refreshes what it may have changed, and answers a code instead of throwing. */
  run<T>(task: () => Promise<T>): Promise<Outcome<T>>;
  refresh(): Promise<void>;
}

export function errorCode(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : 'INTERNAL_ERROR';
}

export function createOptionsStore(call: Call, platform: OptionsPlatform, initialView?: OptionsView): OptionsStore {
  const view = signal<OptionsView>(initialView ?? 'identities');
  const status = signal<KeystoreStatus | null>(null);
  const identities = signal<IdentitySummary[]>([]);
  const people = signal<PersonCertificateSummary[]>([]);
  const anchors = signal<TrustAnchorSummary[]>([]);
  const accounts = signal<AccountAddress[]>([]);
  const defaults = signal<Record<string, ComposeDefaults>>({});
  const roots = signal<BundledRoot[]>([]);
  const version = signal<string | null>(null);
  const loadError = signal<string | null>(null);
  const loaded = signal(false);

  async function refresh(): Promise<void> {
    const [s, ids, ppl, anc, dft] = await Promise.all([
      call('keystoreStatus', {}),
      call('listIdentities', {}),
      call('listPeopleCertificates', {}),
      call('listTrustAnchors', {}),
      platform.getComposeDefaults(),
    ]);
    status.value = s;
    identities.value = ids;
    people.value = ppl;
    anchors.value = anc;
    defaults.value = dft;
  }

  const store: OptionsStore = {
    call,
    platform,
    view,
    status,
    identities,
    people,
    anchors,
    accounts,
    defaults,
    roots,
    version,
    loadError,
    loaded,
    refresh,
    async load() {
      try {
        version.value = (await call('ping', {})).version;
        await refresh();
        // Accounts and roots are conveniences: the page works without them.
        const [acc, rts] = await Promise.allSettled([platform.listAccountAddresses(), platform.bundledRoots()]);
        accounts.value = acc.status === 'fulfilled' ? acc.value : [];
        roots.value = rts.status === 'fulfilled' ? rts.value : [];
        if (initialView === undefined && status.value && !status.value.initialised) view.value = 'setup';
        loadError.value = null;
      } catch (error) {
        loadError.value = errorCode(error);
      } finally {
        loaded.value = true;
      }
    },
    async run(task) {
      try {
        const value = await task();
        try {
          await refresh();
        } catch (error) {
          loadError.value = errorCode(error);
        }
        return { ok: true, value };
      } catch (error) {
        return { ok: false, code: errorCode(error) };
      }
    },
  };
  return store;
}
