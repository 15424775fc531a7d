/**
 * Defaults per identity (issue #8 item 6): sign by default, encrypt when possible, require encryption.
 * Stored per address in `storage.local` where the compose path reads them.
 */
import { useState } from 'preact/hooks';
import type { ComposeDefaults } from '../../shared/compose-protocol.js';
import { useOptions } from '../context.js';
import { normaliseDefaults } from '../platform.js';
import { ErrorMessage } from '../widgets.js';

const KEYS: readonly (keyof ComposeDefaults)[] = ['signByDefault', 'encryptWhenPossible', 'requireEncryption'];

export function DefaultsView() {
  const { store, t } = useOptions();
  const addresses = [...new Set([...store.identities.value.flatMap((i) => i.addresses.map((a) => a.toLowerCase())), ...store.accounts.value.map((a) => a.address)])].sort();
  return (
    <section aria-labelledby="defaults-title" data-testid="view-defaults">
      <h2 id="defaults-title">{t('options_defaultsTitle')}</h2>
      {addresses.length === 0 && <p data-testid="defaults-empty">{t('options_defaultsEmpty')}</p>}
      {addresses.map((address) => (
        <AddressDefaults key={address} address={address} />
      ))}
    </section>
  );
}

function AddressDefaults({ address }: { address: string }) {
  const { store, t } = useOptions();
  const [error, setError] = useState<string | null>(null);
  const current = normaliseDefaults(store.defaults.value[address]);
  const hasIdentity = store.identities.value.some((i) => i.addresses.some((a) => a.toLowerCase() === address));
  async function change(key: keyof ComposeDefaults, on: boolean) {
    const next: ComposeDefaults = { ...current, [key]: on };
    // Requiring encryption implies trying to encrypt.
    if (key === 'requireEncryption' && on) next.encryptWhenPossible = true;
    if (key === 'encryptWhenPossible' && !on) next.requireEncryption = false;
    const outcome = await store.run(() => store.platform.setComposeDefaults(address, next));
    setError(outcome.ok ? null : outcome.code);
  }
  const slug = address.replace(/[^a-z0-9]/gi, '-');
  return (
    <fieldset class="options-panel" data-testid="defaults-address" data-address={address}>
      <legend>{address}</legend>
      {!hasIdentity && <p class="options-hint">{t('options_defaultsNoIdentity')}</p>}
      {KEYS.map((key) => (
        <div class="options-check" key={key}>
          <input id={`defaults-${slug}-${key}`} type="checkbox" checked={current[key]} data-testid={`defaults-${key}`} onChange={(event) => void change(key, (event.currentTarget as HTMLInputElement).checked)} />
          <label for={`defaults-${slug}-${key}`}>{t(`options_default_${key}`)}</label>
        </div>
      ))}
      <ErrorMessage code={error} testid="defaults-error" />
    </fieldset>
  );
}
