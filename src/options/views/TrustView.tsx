/**
 * Trust (issue #8 item 5): the bundled Mozilla e-mail roots (count, search, view), organisation roots
 * from policy and roots the user added; only the user's own can be removed here.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { TrustPurposeName } from '../../shared/keys-protocol.js';
import { base64ToBytes, commonName, formatDate, formatFingerprint, sha256Hex } from '../certificates.js';
import { useOptions } from '../context.js';
import { ErrorMessage, Field, FileField, Notice, type PickedFile } from '../widgets.js';

export function TrustView() {
  const { store, t } = useOptions();
  const anchors = store.anchors.value;
  const [error, setError] = useState<string | null>(null);
  return (
    <section aria-labelledby="trust-title" data-testid="view-trust">
      <h2 id="trust-title">{t('options_trustTitle')}</h2>
      <h3>{t('options_addedRootsTitle')}</h3>
      {anchors.length === 0 ? (
        <p data-testid="anchors-empty">{t('options_anchorsEmpty')}</p>
      ) : (
        <ul class="options-list" data-testid="anchors">
          {anchors.map((anchor) => (
            <li key={anchor.fingerprintSha256} data-testid="anchor" data-added-by={anchor.addedBy}>
              <strong>{commonName(anchor.subject)}</strong> — {anchor.addedBy === 'user' ? t('options_addedByUser', formatDate(anchor.addedAt)) : t('options_addedByOrganisation')}
              <br />
              <span class="options-hint">{anchor.purposes.map((p) => t(`options_purpose_${p}`)).join(', ')}</span>
              <br />
              <span class="options-fingerprint">{formatFingerprint(anchor.fingerprintSha256)}</span>
              {anchor.addedBy === 'user' && (
                <>
                  {' '}
                  <button
                    type="button"
                    data-testid="anchor-remove"
                    onClick={async () => {
                      const outcome = await store.run(() => store.call('removeTrustAnchor', { fingerprintSha256: anchor.fingerprintSha256 }));
                      setError(outcome.ok ? null : outcome.code);
                    }}
                  >
                    {t('options_remove')}
                    <span class="visually-hidden"> {commonName(anchor.subject)}</span>
                  </button>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      <ErrorMessage code={error} testid="anchor-error" />
      <AddAnchor />
      <BundledRoots />
    </section>
  );
}

function AddAnchor() {
  const { store, t } = useOptions();
  const [file, setFile] = useState<PickedFile | null>(null);
  const [purposes, setPurposes] = useState<TrustPurposeName[]>(['emailSigning', 'emailEncryption']);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const toggle = (purpose: TrustPurposeName, on: boolean) => setPurposes(on ? [...new Set([...purposes, purpose])] : purposes.filter((p) => p !== purpose));
  return (
    <form
      class="options-panel"
      data-testid="anchor-add"
      onSubmit={async (event) => {
        event.preventDefault();
        if (!file || purposes.length === 0) return;
        const outcome = await store.run(() => store.call('addTrustAnchor', { certificate: file.bytes, purposes }));
        setDone(outcome.ok);
        setError(outcome.ok ? null : outcome.code);
      }}
    >
      <h3>{t('options_addRootTitle')}</h3>
      <p class="options-hint">{t('options_addRootText')}</p>
      <FileField id="anchor-file" label={t('options_certificateFile')} accept=".cer,.crt,.pem,.der" testid="anchor-file" picked={file?.name ?? null} onFile={setFile} />
      <fieldset>
        <legend>{t('options_purposes')}</legend>
        {(['emailSigning', 'emailEncryption'] as const).map((purpose) => (
          <div class="options-check" key={purpose}>
            <input id={`anchor-${purpose}`} type="checkbox" checked={purposes.includes(purpose)} onChange={(event) => toggle(purpose, (event.currentTarget as HTMLInputElement).checked)} />
            <label for={`anchor-${purpose}`}>{t(`options_purpose_${purpose}`)}</label>
          </div>
        ))}
      </fieldset>
      <ErrorMessage code={error} testid="anchor-add-error" />
      {done && <Notice testid="anchor-add-done">{t('options_rootAdded')}</Notice>}
      <button type="submit" disabled={!file || purposes.length === 0} data-testid="anchor-add-submit">
        {t('options_addRoot')}
      </button>
    </form>
  );
}

function BundledRoots() {
  const { store, t } = useOptions();
  const roots = store.roots.value;
  const [query, setQuery] = useState('');
  const [viewing, setViewing] = useState<string | null>(null);
  const [fingerprint, setFingerprint] = useState<string | null>(null);
  const matches = useMemo(() => {
    const q = query.trim().toLowerCase();
    return roots.filter((r) => !q || r.label.toLowerCase().includes(q));
  }, [roots, query]);
  useEffect(() => {
    setFingerprint(null);
    const root = roots.find((r) => r.label === viewing);
    if (root) void sha256Hex(base64ToBytes(root.der)).then(setFingerprint, () => setFingerprint(null));
  }, [viewing, roots]);
  return (
    <div class="options-panel" data-testid="bundled-roots">
      <h3>{t('options_bundledTitle')}</h3>
      <p data-testid="bundled-count">{t('options_bundledCount', String(roots.length))}</p>
      <Field id="roots-search" label={t('options_search')} type="search" value={query} onInput={setQuery} testid="roots-search" />
      <p class="options-hint" aria-live="polite" data-testid="roots-match-count">
        {t('options_matchCount', String(matches.length))}
      </p>
      <ul class="options-list options-scroll" data-testid="roots-list" tabIndex={0} aria-label={t('options_bundledTitle')}>
        {matches.slice(0, 200).map((root) => (
          <li key={root.label} data-testid="root">
            {root.label}{' '}
            <button type="button" aria-expanded={viewing === root.label} data-testid="root-view" onClick={() => setViewing(viewing === root.label ? null : root.label)}>
              {t('options_view')}
              <span class="visually-hidden"> {root.label}</span>
            </button>
            {viewing === root.label && (
              <p class="options-fingerprint" data-testid="root-fingerprint">
                {t('options_fingerprint')}: {fingerprint ? formatFingerprint(fingerprint) : '…'}
              </p>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
