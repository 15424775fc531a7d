/**
 * Defaults per identity (issue #8 item 6): sign by default, encrypt when possible, require encryption.
 * The background stores them per address in `storage.local`, where the compose path reads them.
 *
 * #9: what the organisation's policy sets is shown here too. A locked default is a disabled checkbox
 * with "Set by your organisation" (the background refuses the change as well, `SETTING_LOCKED`); the
 * allowed encryption algorithms are shown the same way; policy entries Waxseal ignored are listed so
 * a typo in policies.json is visible instead of silently not applying.
 */
import { useState } from 'preact/hooks';
import type { ComposeDefaults } from '../../shared/compose-protocol.js';
import type { KeystoreStatus } from '../../shared/keys-protocol.js';
import { useOptions } from '../context.js';
import { normaliseDefaults } from '../platform.js';
import { ErrorMessage } from '../widgets.js';

const KEYS: readonly (keyof ComposeDefaults)[] = ['signByDefault', 'encryptWhenPossible', 'requireEncryption'];
/** The content-encryption algorithms a policy may allow (README "Managed deployment"). */
const ALGORITHMS = ['AES-256-GCM', 'AES-128-GCM', 'AES-256-CBC', 'AES-128-CBC'] as const;

type Organisation = NonNullable<KeystoreStatus['organisation']>;

export function DefaultsView() {
  const { store, t } = useOptions();
  const addresses = [...new Set([...store.identities.value.flatMap((i) => i.addresses.map((a) => a.toLowerCase())), ...store.accounts.value.map((a) => a.address)])].sort();
  const organisation = store.status.value?.organisation;
  return (
    <section aria-labelledby="defaults-title" data-testid="view-defaults">
      <h2 id="defaults-title">{t('options_defaultsTitle')}</h2>
      {organisation?.managed === true && <OrganisationPolicy organisation={organisation} />}
      {addresses.length === 0 && <p data-testid="defaults-empty">{t('options_defaultsEmpty')}</p>}
      {addresses.map((address) => (
        <AddressDefaults key={address} address={address} />
      ))}
    </section>
  );
}

function OrganisationPolicy({ organisation }: { organisation: Organisation }) {
  const { t } = useOptions();
  const values = organisation.values ?? {};
  const allowed = values.allowedContentEncryption;
  const problems = organisation.problems ?? [];
  const switches = (['harvestCertificates', 'useAddressBookDirectories'] as const).filter((key) => values[key] !== undefined);
  return (
    <div class="options-panel" data-testid="defaults-organisation">
      <h3>{t('options_policyTitle')}</h3>
      {allowed && (
        <fieldset data-testid="defaults-algorithms">
          <legend>{t('options_policyAlgorithms')}</legend>
          {ALGORITHMS.map((algorithm) => (
            <div class="options-check" key={algorithm}>
              {/* Only the organisation chooses algorithms: there is no user setting to fall back to. */}
              <input id={`algorithm-${algorithm}`} type="checkbox" checked={allowed.includes(algorithm)} disabled data-testid={`algorithm-${algorithm}`} aria-describedby="algorithms-managed" />
              <label for={`algorithm-${algorithm}`}>{algorithm}</label>
            </div>
          ))}
          <p class="options-note" id="algorithms-managed" data-testid="algorithms-managed">
            {t('options_setByOrganisation')}
          </p>
        </fieldset>
      )}
      {switches.length > 0 && (
        <fieldset data-testid="policy-settings">
          <legend>{t('options_policySettings')}</legend>
          {switches.map((key) => (
            <div class="options-check" key={key}>
              {/* The options page has no control for these: what the policy says is what applies. */}
              <input id={`policy-${key}`} type="checkbox" checked={values[key]} disabled data-testid={`policy-${key}`} aria-describedby="policy-settings-managed" />
              <label for={`policy-${key}`}>{t(`options_policy_${key}`)}</label>
            </div>
          ))}
          <p class="options-note" id="policy-settings-managed" data-testid="policy-settings-managed">
            {t('options_setByOrganisation')}
          </p>
        </fieldset>
      )}
      {values.directories && (
        <div data-testid="policy-directories">
          <p>{t('options_policyDirectories')}</p>
          <ul>
            {values.directories.map((directory, index) => (
              <li key={index}>
                {directory.name} <code>{directory.server}</code>
              </li>
            ))}
          </ul>
        </div>
      )}
      {values.trustAnchorCount !== undefined && <p data-testid="policy-anchors">{t('options_policyAnchors', String(values.trustAnchorCount))}</p>}
      {problems.length > 0 && (
        <div role="alert" data-testid="policy-problems">
          <p>{t('options_policyProblems')}</p>
          <ul>
            {problems.map((problem) => (
              <li key={problem}>
                <code>{problem}</code>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

function AddressDefaults({ address }: { address: string }) {
  const { store, t } = useOptions();
  const [error, setError] = useState<string | null>(null);
  const organisation = store.status.value?.organisation;
  const own = store.defaults.value[address];
  const isLocked = (key: keyof ComposeDefaults) => organisation?.locked[key] === true && organisation.values?.[key] !== undefined;
  // What the send path uses: a locked value always, an unlocked managed one until the user stores their own.
  const current = normaliseDefaults(own);
  for (const key of KEYS) {
    const value = organisation?.values?.[key];
    if (value !== undefined && (isLocked(key) || own === undefined)) current[key] = value;
  }
  const hasIdentity = store.identities.value.some((i) => i.addresses.some((a) => a.toLowerCase() === address));
  async function change(key: keyof ComposeDefaults, on: boolean) {
    const next: ComposeDefaults = { ...current, [key]: on };
    // Requiring encryption implies trying to encrypt.
    if (key === 'requireEncryption' && on) next.encryptWhenPossible = true;
    if (key === 'encryptWhenPossible' && !on) next.requireEncryption = false;
    // A locked setting keeps the organisation's value whatever the other boxes imply.
    for (const k of KEYS) if (isLocked(k)) next[k] = current[k];
    const outcome = await store.run(() => store.call('setComposeDefaults', { address, defaults: next }));
    setError(outcome.ok ? null : outcome.code);
  }
  const slug = address.replace(/[^a-z0-9]/gi, '-');
  return (
    <fieldset class="options-panel" data-testid="defaults-address" data-address={address}>
      <legend>{address}</legend>
      {!hasIdentity && <p class="options-hint">{t('options_defaultsNoIdentity')}</p>}
      {KEYS.map((key) => {
        const locked = isLocked(key);
        const id = `defaults-${slug}-${key}`;
        return (
          <div class="options-check" key={key}>
            <input
              id={id}
              type="checkbox"
              checked={current[key]}
              disabled={locked}
              aria-describedby={locked ? `${id}-managed` : undefined}
              data-testid={`defaults-${key}`}
              onChange={(event) => void change(key, (event.currentTarget as HTMLInputElement).checked)}
            />
            <label for={id}>{t(`options_default_${key}`)}</label>
            {locked && (
              <span class="options-note" id={`${id}-managed`} data-testid={`defaults-${key}-managed`}>
                {' '}
                {t('options_setByOrganisation')}
              </span>
            )}
          </div>
        );
      })}
      <ErrorMessage code={error} testid="defaults-error" />
    </fieldset>
  );
}
