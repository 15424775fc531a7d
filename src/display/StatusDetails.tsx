import type { CertificateView, DisplayStatus } from '../shared/read-protocol.js';

export interface StatusDetailsProps {
  status: DisplayStatus;
  t: (name: string, substitutions?: string | string[]) => string;
}

/** Details on demand: signer, issuer chain, validity, fingerprints, certificate source, recipients. */
export function StatusDetails({ status, t }: StatusDetailsProps) {
  const chain = status.chain.length > 0 ? status.chain : status.signerCertificate ? [status.signerCertificate] : [];
  return (
    <div class="waxseal-details" data-testid="banner-details">
      {status.signature && (
        <dl>
          <dt>{t('read_detailSigner')}</dt>
          <dd data-testid="detail-signer">{status.signer ?? '—'}</dd>
          <dt>{t('read_detailFrom')}</dt>
          <dd>{status.from ?? '—'}</dd>
          <dt>{t('read_detailSigningTime')}</dt>
          <dd>{status.signingTime ?? '—'}</dd>
          <dt>{t('read_detailAlgorithms')}</dt>
          <dd>{[status.digestAlgorithm, status.signatureAlgorithm].filter(Boolean).join(', ') || '—'}</dd>
          {status.protectedAddressees && (
            <>
              <dt>{t('read_detailProtectedTo')}</dt>
              <dd data-testid="detail-protected-to">{status.protectedAddressees.to.join(', ') || '—'}</dd>
              <dt>{t('read_detailProtectedCc')}</dt>
              <dd data-testid="detail-protected-cc">{status.protectedAddressees.cc.join(', ') || '—'}</dd>
            </>
          )}
          <dt>{t('read_detailSource')}</dt>
          <dd data-testid="detail-source">{status.certificateSource ? t(status.certificateSource === 'message' ? 'read_sourceMessage' : 'read_sourceMessageAndStore') : '—'}</dd>
          {status.signature !== 'revoked' && (
            <>
              {/* Reading asks no CA whether a certificate was revoked (no OCSP or CRL fetching): say so (features.md C11). */}
              <dt>{t('read_detailRevocation')}</dt>
              <dd data-testid="detail-revocation">{t('read_revocationNotChecked')}</dd>
            </>
          )}
        </dl>
      )}
      {chain.length > 0 && (
        <ol class="waxseal-chain" data-testid="detail-chain">
          {chain.map((certificate) => (
            <CertificateItem key={certificate.fingerprintSha256} certificate={certificate} t={t} />
          ))}
        </ol>
      )}
      {status.contentEncryption && (
        <p>
          {t('read_detailContentEncryption')} {status.contentEncryption}
        </p>
      )}
      {status.recipients.length > 0 && (
        <ul data-testid="detail-recipients">
          {status.recipients.map((recipient) => (
            <li key={recipient.description}>
              {t('read_encryptedTo', recipient.description)}{' '}
              {recipient.matchingIdentity
                ? t(recipient.matchingIdentity.current ? 'read_recipientYours' : 'read_recipientYoursOld', recipient.matchingIdentity.subject)
                : t('read_recipientNotYours')}
            </li>
          ))}
        </ul>
      )}
      <p class="waxseal-reasons">
        {t('read_detailReasons')} <code>{status.reasons.join(', ') || '—'}</code>
      </p>
    </div>
  );
}

function CertificateItem({ certificate, t }: { certificate: CertificateView; t: StatusDetailsProps['t'] }) {
  return (
    <li>
      <div>{certificate.subject}</div>
      <div>
        {t('read_detailIssuer')} {certificate.issuer}
      </div>
      <div>
        {t('read_detailValidity')} {certificate.notBefore} – {certificate.notAfter}
      </div>
      <div class="waxseal-fingerprint">SHA-256 {certificate.fingerprintSha256}</div>
    </li>
  );
}
