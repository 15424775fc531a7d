import type { RecipientCertificateView, RecipientView } from '../shared/compose-protocol.js';

export interface RecipientTableProps {
  recipients: RecipientView[];
  t: (name: string, substitutions?: string | string[]) => string;
}

function dateOnly(iso: string): string {
  return iso.slice(0, 10);
}

/**
 * Where the certificate came from, in words: for a harvested one, the signed message it was taken from
 * (subject, sender and date, #7), so the user can tell which mail taught Waxseal this key.
 */
function originText(certificate: RecipientCertificateView, t: RecipientTableProps['t']): string {
  if (certificate.origin !== 'harvested') return t(`compose_origin_${certificate.origin}`, '');
  const from = certificate.harvestedFrom;
  const date = from?.messageDate ?? certificate.harvestedAt;
  if (from && from.subject !== null && date) return t('compose_origin_harvestedMessage', [from.subject, from.sender, dateOnly(date)]);
  return date ? t('compose_origin_harvested', dateOnly(date)) : t('compose_origin_harvestedUndated');
}

/** One row per recipient: field, status (icon and text), where the certificate came from, and why it was chosen. */
export function RecipientTable({ recipients, t }: RecipientTableProps) {
  if (recipients.length === 0) return <p data-testid="compose-no-recipients">{t('compose_noRecipients')}</p>;
  return (
    <table class="compose-recipients" data-testid="compose-recipients">
      <caption>{t('compose_recipients')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('compose_colRecipient')}</th>
          <th scope="col">{t('compose_colStatus')}</th>
          <th scope="col">{t('compose_colSource')}</th>
          <th scope="col">{t('compose_colWhy')}</th>
        </tr>
      </thead>
      <tbody>
        {recipients.map((r) => {
          const certificate = r.certificate;
          return (
            <tr key={`${r.field} ${r.address}`} data-testid={`recipient-${r.address}`} data-status={r.status}>
              <th scope="row">
                <span class="compose-field">{t(`compose_field_${r.field}`)}: </span>
                {r.name ? `${r.name} <${r.address}>` : r.address}
              </th>
              <td data-testid="recipient-status">
                <span aria-hidden="true">{r.status === 'ok' ? '✔ ' : '✖ '}</span>
                {r.status === 'ok' ? t('compose_status_ok') : r.problems.map((p) => t(`compose_problem_${p}`)).join(', ')}
              </td>
              <td data-testid="recipient-source" data-origin={certificate?.origin ?? 'none'}>
                <span data-testid="recipient-origin">{certificate ? originText(certificate, t) : '—'}</span>
                {certificate && (
                  <div class="compose-fingerprint" data-testid="recipient-fingerprint" data-fingerprint={certificate.fingerprintSha256}>
                    {t('compose_fingerprint', certificate.fingerprintSha256)}
                  </div>
                )}
              </td>
              <td data-testid="recipient-why">{r.reasons.map((reason) => t(`compose_reason_${reason}`)).join(' ')}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
