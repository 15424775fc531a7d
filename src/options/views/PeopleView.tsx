/**
 * People's certificates (issue #8 item 4): a searchable, sortable list with where each certificate came
 * from, details and the history per address with continuity notices, removal, and import by hand.
 */
import { useMemo, useState } from 'preact/hooks';
import type { PersonCertificateSummary, ProvenanceSummary } from '../../shared/keys-protocol.js';
import { commonName, formatDate, formatFingerprint, validity } from '../certificates.js';
import { useOptions, type Translate } from '../context.js';
import { ErrorMessage, Field, FileField, Notice, type PickedFile } from '../widgets.js';

type SortKey = 'address' | 'name' | 'validUntil' | 'source' | 'status';

function latestProvenance(cert: PersonCertificateSummary): ProvenanceSummary | undefined {
  return [...cert.provenance].sort((a, b) => Date.parse(b.date) - Date.parse(a.date))[0];
}

export function sourceText(t: Translate, provenance: ProvenanceSummary | undefined): string {
  if (!provenance) return t('options_sourceUnknown');
  if (provenance.source === 'harvested') return t('options_sourceHarvested', formatDate(provenance.date));
  if (provenance.source === 'directory') return t('options_sourceDirectory', [provenance.directory, formatDate(provenance.date)]);
  return t('options_sourceImported', formatDate(provenance.date));
}

function statusText(t: Translate, cert: PersonCertificateSummary, now: number): string {
  if (cert.state === 'revoked') return t('options_personRevoked');
  const v = validity(cert.notBefore, cert.notAfter, now);
  if (v === 'expired') return t('options_personExpired');
  if (cert.state === 'superseded') return t('options_personSuperseded');
  if (cert.state === 'needs-confirmation') return t('options_personNeedsConfirmation');
  if (cert.state === 'unverified-revocation') return t('options_personUnverifiedRevocation');
  if (cert.supersededByDirectory) return t('options_personSupersededByDirectory');
  return t('options_personActive');
}

export function PeopleView() {
  const { store, t } = useOptions();
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<SortKey>('address');
  const [open, setOpen] = useState<string | null>(null);
  const now = store.platform.now();
  const all = store.people.value;

  const rows = useMemo(() => {
    const q = query.trim().toLowerCase();
    const filtered = all.filter((c) => !q || c.address.toLowerCase().includes(q) || c.subject.toLowerCase().includes(q) || c.fingerprintSha256.toLowerCase().includes(q.replace(/:/g, '')));
    const key = (c: PersonCertificateSummary): string | number => {
      switch (sort) {
        case 'address':
          return c.address.toLowerCase();
        case 'name':
          return commonName(c.subject).toLowerCase();
        case 'validUntil':
          return Date.parse(c.notAfter);
        case 'source':
          return latestProvenance(c)?.source ?? '';
        case 'status':
          return statusText(t, c, now);
      }
    };
    return [...filtered].sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      return ka < kb ? -1 : ka > kb ? 1 : a.address.localeCompare(b.address);
    });
  }, [all, query, sort, now, t]);

  return (
    <section aria-labelledby="people-title" data-testid="view-people">
      <h2 id="people-title">{t('options_peopleTitle')}</h2>
      <div class="options-toolbar">
        <Field id="people-search" label={t('options_search')} type="search" value={query} onInput={setQuery} testid="people-search" />
        <div class="options-field">
          <label for="people-sort">{t('options_sortBy')}</label>
          <select id="people-sort" data-testid="people-sort" value={sort} onChange={(event) => setSort((event.currentTarget as HTMLSelectElement).value as SortKey)}>
            <option value="address">{t('options_colAddress')}</option>
            <option value="name">{t('options_colName')}</option>
            <option value="validUntil">{t('options_colValidUntil')}</option>
            <option value="source">{t('options_colSource')}</option>
            <option value="status">{t('options_colStatus')}</option>
          </select>
        </div>
      </div>
      {all.length === 0 ? (
        <p data-testid="people-empty">{t('options_peopleEmpty')}</p>
      ) : rows.length === 0 ? (
        <p data-testid="people-no-match">{t('options_noMatch')}</p>
      ) : (
        <table class="options-table" data-testid="people-table">
          <caption class="visually-hidden">{t('options_peopleTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('options_colAddress')}</th>
              <th scope="col">{t('options_colName')}</th>
              <th scope="col">{t('options_colValidUntil')}</th>
              <th scope="col">{t('options_colSource')}</th>
              <th scope="col">{t('options_colStatus')}</th>
              <th scope="col">{t('options_colActions')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((cert) => (
              <PersonRow key={cert.id} cert={cert} now={now} open={open === cert.id} toggle={() => setOpen(open === cert.id ? null : cert.id)} />
            ))}
          </tbody>
        </table>
      )}
      <ImportPeople />
    </section>
  );
}

function PersonRow({ cert, now, open, toggle }: { cert: PersonCertificateSummary; now: number; open: boolean; toggle: () => void }) {
  const { store, t } = useOptions();
  const [error, setError] = useState<string | null>(null);
  const history = store.people.value.filter((c) => c.address === cert.address).sort((a, b) => Date.parse(a.firstSeen) - Date.parse(b.firstSeen));
  const detailsId = `person-details-${cert.id}`;
  return (
    <>
      <tr data-testid="person-row" data-id={cert.id} data-state={cert.state} data-source={latestProvenance(cert)?.source ?? 'unknown'}>
        <td>{cert.address}</td>
        <td>{commonName(cert.subject)}</td>
        <td>{formatDate(cert.notAfter)}</td>
        <td>{sourceText(t, latestProvenance(cert))}</td>
        <td data-testid="person-status">{statusText(t, cert, now)}</td>
        <td>
          <button type="button" aria-expanded={open} aria-controls={detailsId} data-testid="person-details-toggle" onClick={toggle}>
            {t('options_details')}
            <span class="visually-hidden"> {cert.address}</span>
          </button>{' '}
          <button
            type="button"
            data-testid="person-remove"
            onClick={async () => {
              const outcome = await store.run(() => store.call('removePersonCertificate', { id: cert.id }));
              setError(outcome.ok ? null : outcome.code);
            }}
          >
            {t('options_remove')}
            <span class="visually-hidden"> {cert.address}</span>
          </button>
          <ErrorMessage code={error} testid="person-error" />
        </td>
      </tr>
      {open && (
        <tr id={detailsId} data-testid="person-details">
          <td colSpan={6}>
            <dl class="options-facts">
              <dt>{t('options_subject')}</dt>
              <dd>{cert.subject}</dd>
              <dt>{t('options_issuer')}</dt>
              <dd>{cert.issuer}</dd>
              <dt>{t('options_validity')}</dt>
              <dd>{t('options_validFromTo', [formatDate(cert.notBefore), formatDate(cert.notAfter)])}</dd>
              <dt>{t('options_fingerprint')}</dt>
              <dd class="options-fingerprint">{formatFingerprint(cert.fingerprintSha256)}</dd>
              <dt>{t('options_provenance')}</dt>
              <dd>
                <ul>
                  {cert.provenance.map((p, i) => (
                    <li key={i}>{sourceText(t, p)}</li>
                  ))}
                </ul>
              </dd>
            </dl>
            <h3>{t('options_history', cert.address)}</h3>
            <ol data-testid="person-history">
              {history.map((h, i) => (
                <li key={h.id}>
                  {t('options_historyEntry', [formatDate(h.firstSeen), formatDate(h.lastSeen), formatFingerprint(h.fingerprintSha256).slice(0, 23)])}
                  {i > 0 && (
                    <strong class="options-continuity" data-testid="person-continuity">
                      {' '}
                      {h.issuer === history[i - 1]!.issuer ? t('options_continuitySameIssuer') : t('options_continuityNewIssuer', [commonName(history[i - 1]!.issuer), commonName(h.issuer)])}
                    </strong>
                  )}
                </li>
              ))}
            </ol>
          </td>
        </tr>
      )}
    </>
  );
}

function ImportPeople() {
  const { store, t } = useOptions();
  const [file, setFile] = useState<PickedFile | null>(null);
  const [address, setAddress] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<number | null>(null);
  return (
    <form
      class="options-panel"
      data-testid="people-import"
      onSubmit={async (event) => {
        event.preventDefault();
        if (!file) return;
        const trimmed = address.trim();
        const outcome = await store.run(() => store.call('importPersonCertificates', { certificates: file.bytes, fileName: file.name, ...(trimmed ? { address: trimmed } : {}) }));
        if (outcome.ok) {
          setDone(outcome.value.length);
          setError(null);
        } else {
          setError(outcome.code);
          setDone(null);
        }
      }}
    >
      <h3>{t('options_peopleImportTitle')}</h3>
      <FileField id="people-import-file" label={t('options_certificateFile')} accept=".cer,.crt,.pem,.der,.p7c,.p7b" testid="people-import-file" picked={file?.name ?? null} onFile={setFile} />
      <Field id="people-import-address" label={t('options_importForAddress')} type="email" value={address} onInput={setAddress} testid="people-import-address" />
      <ErrorMessage code={error} testid="people-import-error" />
      {done !== null && <Notice testid="people-import-done">{t('options_importedCount', String(done))}</Notice>}
      <button type="submit" disabled={!file} data-testid="people-import-submit">
        {t('options_import')}
      </button>
    </form>
  );
}
