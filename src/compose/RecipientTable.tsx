import type { RecipientView } from '../shared/compose-protocol.js';

export interface RecipientTableProps {
  recipients: RecipientView[];
  t: (name: string, substitutions?: string | string[]) => string;
}

function dateOnly(iso: string): string {
  return iso.slice(0, 10);
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
          const origin = certificate
            ? certificate.origin === 'harvested' && certificate.harvestedAt
              ? t('compose_origin_harvested', dateOnly(certificate.harvestedAt))
              : t(`compose_origin_${certificate.origin}`, '')
            : '—';
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
              <td data-testid="recipient-source">{origin}</td>
              <td data-testid="recipient-why">{r.reasons.map((reason) => t(`compose_reason_${reason}`)).join(' ')}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
