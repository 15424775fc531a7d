/**
 * The banner and the toolbar popup for every state (features.md (d)), with the real catalogues: each
 * state has a sentence, a cause and advice in en/de/nl, an icon as well as a colour, and the per-install
 * security phrase (SEC-15). The popup shows a neutral explanation for unsigned mail and the unlock form
 * for locked encrypted mail.
 */
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StatusBanner } from '../../../src/display/StatusBanner.js';
import { DisplayPage } from '../../../src/display/DisplayPage.js';
import { isBannerContent } from '../../../src/display/banner-content.js';
import type { DisplayStatus, EncryptionState, SignatureState } from '../../../src/shared/read-protocol.js';
import { CONTINUITY_NOTICES, ENCRYPTION_STATES, SIGNATURE_STATES } from '../../../src/shared/read-text.js';
import { RpcCallError, type Call } from '../../../src/shared/rpc.js';
import { translator } from '../compose/i18n.js';

afterEach(cleanup);

function status(overrides: Partial<DisplayStatus> = {}): DisplayStatus {
  return {
    messageId: 9,
    signature: 'valid',
    encryption: null,
    tone: 'ok',
    signer: 'bob@example.com',
    from: 'bob@example.com',
    reasons: [],
    signerCertificate: { subject: 'CN=Bob', issuer: 'CN=CA', serialNumberHex: '0a', notBefore: '2025-01-01T00:00:00Z', notAfter: '2035-01-01T00:00:00Z', fingerprintSha256: 'ab'.repeat(32), emailAddresses: ['bob@example.com'] },
    chain: [
      { subject: 'CN=Bob', issuer: 'CN=CA', serialNumberHex: '0a', notBefore: '2025-01-01T00:00:00Z', notAfter: '2035-01-01T00:00:00Z', fingerprintSha256: 'ab'.repeat(32), emailAddresses: ['bob@example.com'] },
      { subject: 'CN=CA', issuer: 'CN=CA', serialNumberHex: '01', notBefore: '2020-01-01T00:00:00Z', notAfter: '2040-01-01T00:00:00Z', fingerprintSha256: 'cd'.repeat(32), emailAddresses: [] },
    ],
    signingTime: '2026-05-31T12:00:00Z',
    digestAlgorithm: 'SHA-256',
    signatureAlgorithm: 'RSASSA-PKCS1-v1_5',
    contentEncryption: null,
    recipients: [],
    certificateSource: 'message',
    continuity: null,
    checkedAt: '2026-06-01T00:00:00.000Z',
    decryptedViewAvailable: false,
    protectedAddressees: null,
    notAddressedToYou: false,
    ...overrides,
  };
}

const TONE_OF: Record<SignatureState, DisplayStatus['tone']> = {
  valid: 'ok', 'unknown-ca': 'warn', 'not-sender': 'bad', 'expired-since-signing': 'warn', expired: 'bad', revoked: 'bad', modified: 'bad', 'weak-algorithm': 'bad', partial: 'warn', 'not-addressed-to-you': 'warn', invalid: 'bad', warning: 'warn', unreadable: 'bad',
};

describe('banner: every state in every language', () => {
  for (const lang of ['en', 'de', 'nl']) {
    for (const state of SIGNATURE_STATES) {
      it(`${lang}: signature ${state} has a sentence, an icon, the phrase, a cause and advice`, () => {
        const { t, missing } = translator(lang);
        render(<StatusBanner content={{ status: status({ signature: state, tone: TONE_OF[state], continuity: state === 'valid' ? 'first-certificate' : null }), securityPhrase: 'amber birch comet' }} t={t} copy={async () => {}} version="1" />);
        const banner = screen.getByTestId('waxseal-banner');
        expect(banner.dataset.tone).toBe(TONE_OF[state]);
        expect(screen.getByTestId('banner-icon').textContent).not.toBe('');
        expect(screen.getByTestId('banner-signature').textContent!.length).toBeGreaterThan(10);
        expect(screen.getByTestId('banner-phrase').textContent).toBe('amber birch comet');
        fireEvent.click(screen.getByTestId('banner-explain'));
        expect(screen.getByTestId('explainer-signature-cause').textContent!.length).toBeGreaterThan(10);
        expect(screen.getByTestId('explainer-signature-advice').textContent!.length).toBeGreaterThan(10);
        expect(missing).toEqual([]);
      });
    }
    for (const state of ENCRYPTION_STATES) {
      it(`${lang}: encryption ${state} has a sentence, a cause and advice`, () => {
        const { t, missing } = translator(lang);
        render(<StatusBanner content={{ status: status({ signature: null, encryption: state as EncryptionState, tone: 'info' }), securityPhrase: 'p' }} t={t} copy={async () => {}} version="1" />);
        expect(screen.getByTestId('banner-encryption').textContent!.length).toBeGreaterThan(10);
        fireEvent.click(screen.getByTestId('banner-explain'));
        expect(screen.getByTestId('explainer-encryption-cause').textContent!.length).toBeGreaterThan(10);
        expect(missing).toEqual([]);
      });
    }
    it(`${lang}: continuity notices and details texts exist`, () => {
      const { t, missing } = translator(lang);
      for (const notice of CONTINUITY_NOTICES) {
        cleanup();
        render(<StatusBanner content={{ status: status({ continuity: notice }), securityPhrase: 'p' }} t={t} copy={async () => {}} version="1" />);
        expect(screen.getByTestId('banner-continuity').textContent).toContain('bob@example.com');
        fireEvent.click(screen.getByTestId('banner-details-button'));
      }
      expect(missing).toEqual([]);
    });
  }
});

describe('banner details and diagnostics', () => {
  it('shows signer, chain with validity and fingerprints, source; the signer and sender are named in not-sender', () => {
    const { t } = translator('en');
    render(<StatusBanner content={{ status: status({ signature: 'not-sender', tone: 'bad', signer: 'eve@example.com', from: 'manager@example.com', reasons: ['FROM_MISMATCH'] }), securityPhrase: 'p' }} t={t} copy={async () => {}} version="1" />);
    expect(screen.getByTestId('banner-signature').textContent).toBe('Signed by eve@example.com, who is not the sender manager@example.com.');
    fireEvent.click(screen.getByTestId('banner-details-button'));
    expect(screen.getByTestId('detail-signer').textContent).toBe('eve@example.com');
    expect(screen.getByTestId('detail-chain').textContent).toContain('ab'.repeat(32));
    expect(screen.getByTestId('detail-chain').textContent).toContain('2035-01-01');
    expect(screen.getByTestId('detail-source').textContent).toBe('Carried in this message');
    // Honest about what was not checked (features.md C11): no revocation source on the reading side.
    expect(screen.getByTestId('detail-revocation').textContent).toContain('not checked');
  });

  it('copies diagnostics with reasons and fingerprints but without the security phrase', async () => {
    const copy = vi.fn(async () => {});
    render(<StatusBanner content={{ status: status({ reasons: ['UNTRUSTED'], signature: 'unknown-ca', tone: 'warn' }), securityPhrase: 'secret words here' }} t={translator().t} copy={copy} version="0.1.0" />);
    fireEvent.click(screen.getByTestId('banner-copy'));
    await waitFor(() => expect(copy).toHaveBeenCalledTimes(1));
    const text = (copy.mock.calls[0] as unknown as [string])[0];
    expect(text).toContain('signature: unknown-ca');
    expect(text).toContain('UNTRUSTED');
    expect(text).toContain('cd'.repeat(32));
    expect(text).not.toContain('secret words here');
    expect(screen.getByTestId('banner-copy').textContent).toBe('Copied');
  });

  it('cannot decrypt names the certificate it was encrypted to and that an older key of the user\'s matches', () => {
    render(<StatusBanner content={{ status: status({ signature: null, encryption: 'cannot-decrypt', tone: 'bad', recipients: [{ description: 'CN=CA, serial 0b', matchingIdentity: { fingerprintSha256: 'ff', subject: 'CN=Me 2024', current: false } }] }), securityPhrase: 'p' }} t={translator().t} copy={async () => {}} version="1" />);
    fireEvent.click(screen.getByTestId('banner-details-button'));
    expect(screen.getByTestId('detail-recipients').textContent).toBe('Encrypted to CN=CA, serial 0b. That is your older certificate CN=Me 2024; keep its key to read old mail.');
  });
});

describe('SEC-15: the display script accepts only well-formed content', () => {
  it('rejects forged or malformed verdicts', () => {
    const good = { status: status(), securityPhrase: 'p' };
    expect(isBannerContent(good)).toBe(true);
    expect(isBannerContent({ ...good, status: { ...good.status, signature: 'trusted-by-attacker' } })).toBe(false);
    expect(isBannerContent({ ...good, status: { ...good.status, tone: 'green' } })).toBe(false);
    expect(isBannerContent({ status: good.status })).toBe(false);
    expect(isBannerContent('valid')).toBe(false);
  });
});

describe('toolbar popup', () => {
  function fakeCall(handlers: Partial<Record<string, (req: unknown) => unknown>>): Call {
    return vi.fn(async (name: string, req: unknown) => {
      const handler = handlers[name];
      if (!handler) throw new Error(`unexpected ${name}`);
      return handler(req);
    }) as unknown as Call;
  }

  it('unsigned mail: a neutral explanation, no banner', async () => {
    const call = fakeCall({ getDisplayStatus: () => status({ signature: null, tone: 'info', signer: null, signerCertificate: null, chain: [] }), getSecurityPhrase: () => ({ phrase: 'p' }) });
    render(<DisplayPage call={call} t={translator().t} tabId={4} copy={async () => {}} version="1" />);
    await waitFor(() => expect(screen.getByTestId('display-page').dataset.ready).toBe('true'));
    expect(screen.getByTestId('read-neutral').textContent).toContain('not signed');
    expect(screen.queryByTestId('waxseal-banner')).toBeNull();
  });

  it('a judged message: the same banner as in the message, with the phrase', async () => {
    const call = fakeCall({ getDisplayStatus: () => status({ signature: 'modified', tone: 'bad' }), getSecurityPhrase: () => ({ phrase: 'amber birch comet' }) });
    render(<DisplayPage call={call} t={translator().t} tabId={4} copy={async () => {}} version="1" />);
    await waitFor(() => expect(screen.getByTestId('display-page').dataset.state).toBe('modified'));
    expect(screen.getByTestId('banner-signature').textContent).toBe('This message was changed after it was signed.');
    expect(screen.getByTestId('banner-phrase').textContent).toBe('amber birch comet');
  });

  it('locked encrypted mail: unlock, then the decrypted view is one click away; a wrong passphrase is explained', async () => {
    let attempts = 0;
    const call = fakeCall({
      getDisplayStatus: () => status({ signature: null, encryption: 'locked', tone: 'action' }),
      getSecurityPhrase: () => ({ phrase: 'p' }),
      unlockForReading: (req) => {
        attempts += 1;
        if ((req as { passphrase: string }).passphrase !== 'right') throw new RpcCallError({ code: 'KEYSTORE_WRONG_PASSPHRASE', message: 'wrong' });
        return status({ signature: null, encryption: 'authenticated', tone: 'ok', decryptedViewAvailable: true });
      },
      openDecryptedView: () => ({}),
    });
    render(<DisplayPage call={call} t={translator().t} tabId={4} copy={async () => {}} version="1" />);
    await waitFor(() => expect(screen.getByTestId('read-unlock')).toBeTruthy());
    fireEvent.input(screen.getByTestId('read-unlock-passphrase'), { target: { value: 'wrong' } });
    fireEvent.submit(screen.getByTestId('read-unlock'));
    await waitFor(() => expect(screen.getByTestId('read-unlock-error')).toBeTruthy());
    fireEvent.input(screen.getByTestId('read-unlock-passphrase'), { target: { value: 'right' } });
    fireEvent.submit(screen.getByTestId('read-unlock'));
    await waitFor(() => expect(screen.getByTestId('read-open-decrypted')).toBeTruthy());
    expect(attempts).toBe(2);
    fireEvent.click(screen.getByTestId('read-open-decrypted'));
    expect(call).toHaveBeenCalledWith('openDecryptedView', { messageId: 9 });
  });
});

describe('banner: not addressed to you (SEC-22)', () => {
  it('shows the WARN icon, the line naming the inner addressees, and lists them in the details', () => {
    const { t, missing } = translator('en');
    const forwarded = status({ signature: 'not-addressed-to-you', tone: 'warn', signer: 'alice@example.com', from: 'alice@example.com', notAddressedToYou: true, protectedAddressees: { to: ['bob@example.com'], cc: ['dave@example.com'] } });
    render(<StatusBanner content={{ status: forwarded, securityPhrase: 'amber birch comet' }} t={t} copy={async () => {}} version="1" />);
    expect(screen.getByTestId('waxseal-banner').dataset.tone).toBe('warn');
    expect(screen.getByTestId('banner-icon').textContent).toBe('!');
    expect(screen.getByTestId('banner-not-addressed-to-you').textContent).toBe('This signed message was originally addressed to bob@example.com, dave@example.com (not to you).');
    fireEvent.click(screen.getByTestId('banner-details-button'));
    expect(screen.getByTestId('detail-protected-to').textContent).toBe('bob@example.com');
    expect(screen.getByTestId('detail-protected-cc').textContent).toBe('dave@example.com');
    expect(missing).toEqual([]);
  });

  it('no line when the message was addressed to the user', () => {
    const { t } = translator('en');
    render(<StatusBanner content={{ status: status({ protectedAddressees: { to: ['bob@example.com'], cc: [] } }), securityPhrase: 'amber birch comet' }} t={t} copy={async () => {}} version="1" />);
    expect(screen.queryByTestId('banner-not-addressed-to-you')).toBeNull();
  });
});
