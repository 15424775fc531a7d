// The compose action popup's states (issue #6 item 1), driven through a fake RPC client.
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ComposePage, routeFromQuery } from '../../../src/compose/ComposePage.js';
import type { ComposeOptionsChange, ComposeView } from '../../../src/shared/compose-protocol.js';
import { RpcCallError, type Call } from '../../../src/shared/rpc.js';
import { VIEWS } from './compose-views.js';
import { translator } from './i18n.js';

/** A fake background: answers getComposeView with `view`, applies setComposeOptions with `apply`. */
function fakeBackground(view: ComposeView, apply: (view: ComposeView, change: ComposeOptionsChange) => ComposeView = (v, c) => ({ ...v, ...c })) {
  let current = view;
  const requests: { name: string; req: unknown }[] = [];
  const call = vi.fn(async (name: string, req: unknown) => {
    requests.push({ name, req });
    if (name === 'getComposeView') return current;
    if (name === 'setComposeOptions') {
      current = apply(current, req as ComposeOptionsChange);
      return current;
    }
    throw new RpcCallError({ code: 'UNKNOWN_REQUEST', message: name });
  }) as unknown as Call;
  return { call, requests };
}

async function renderPopup(view: ComposeView, apply?: (view: ComposeView, change: ComposeOptionsChange) => ComposeView) {
  const background = fakeBackground(view, apply);
  const i18n = translator('en');
  render(<ComposePage call={background.call} t={i18n.t} route={{ mode: 'popup', tabId: 7 }} close={() => {}} />);
  await waitFor(() => expect(screen.getByTestId('compose-page').dataset.ready).toBe('true'));
  return { ...background, i18n };
}

describe('compose popup', () => {
  afterEach(cleanup);

  it('loads the tab\'s state, shows the identity, and every text comes from the catalogue', async () => {
    const { requests, i18n } = await renderPopup(VIEWS.off);
    expect(requests[0]).toEqual({ name: 'getComposeView', req: { tabId: 7 } });
    expect(screen.getByTestId('compose-identity').textContent).toBe('Sending as alice@example.com');
    expect(screen.getByTestId('compose-status').dataset.state).toBe('off');
    expect(i18n.missing).toEqual([]);
  });

  it('toggles are labelled switches operable from the keyboard, and report their state', async () => {
    const { requests } = await renderPopup(VIEWS.off);
    const sign = screen.getByRole('switch', { name: /Sign/ });
    const encrypt = screen.getByRole('switch', { name: /Encrypt/ });
    expect((sign as HTMLInputElement).checked).toBe(false);
    expect(sign.getAttribute('aria-describedby')).toBe('sign-help');
    sign.focus();
    expect(document.activeElement).toBe(sign);
    fireEvent.click(sign);
    await waitFor(() => expect(screen.getByTestId('compose-status').dataset.state).toBe('sign'));
    expect(requests.at(-1)).toEqual({ name: 'setComposeOptions', req: { tabId: 7, sign: true } });
    expect(screen.getByTestId('compose-status').textContent).toBe('This message will be signed.');
    fireEvent.click(encrypt);
    await waitFor(() => expect(screen.getByTestId('compose-status').dataset.state).toBe('sign-encrypt'));
    expect(screen.getByTestId('compose-status').textContent).toBe('This message will be signed and encrypted.');
  });

  it('O5: hints that encryption is possible for every recipient and turns it on', async () => {
    const { requests } = await renderPopup(VIEWS.off);
    const hint = screen.getByTestId('hint-encrypt-possible');
    expect(hint.textContent).toContain('Every recipient has a valid certificate');
    fireEvent.click(within(hint).getByRole('button', { name: 'Encrypt this message' }));
    await waitFor(() => expect(screen.queryByTestId('hint-encrypt-possible')).toBeNull());
    expect(requests.at(-1)).toEqual({ name: 'setComposeOptions', req: { tabId: 7, encrypt: true } });
  });

  it('O4: lists every recipient with status in text, where the certificate came from and why', async () => {
    await renderPopup(VIEWS.missingCertificate);
    const rows = screen.getAllByRole('row').slice(1);
    expect(rows.map((r) => r.dataset.testid)).toEqual(['recipient-bob@example.com', 'recipient-carol@example.com', 'recipient-erin@example.com']);
    const bob = screen.getByTestId('recipient-bob@example.com');
    expect(within(bob).getByTestId('recipient-status').textContent).toBe('✔ Valid');
    // #7: a harvested certificate names the signed message it came from, and shows its fingerprint.
    expect(within(bob).getByTestId('recipient-origin').textContent).toBe('From the signed message “Quarterly figures” from bob@example.com, sent on 2026-05-19');
    expect(within(bob).getByTestId('recipient-fingerprint').textContent).toBe(`Fingerprint (SHA-256): ${'ab'.repeat(32)}`);
    expect(within(screen.getByTestId('recipient-carol@example.com')).queryByTestId('recipient-fingerprint')).toBeNull();
    expect(within(bob).getByTestId('recipient-why').textContent).toBe('The only certificate known for this address.');
    expect(within(screen.getByTestId('recipient-carol@example.com')).getByTestId('recipient-status').textContent).toBe('✖ Missing');
    expect(within(screen.getByTestId('recipient-erin@example.com')).getByTestId('recipient-status').textContent).toBe('✖ Expired');
  });

  it('a certificate harvested before the message subject was recorded still says when its message came', async () => {
    const certificate = { ...VIEWS.missingCertificate.recipients[0]!.certificate!, harvestedFrom: null };
    const recipients = [{ ...VIEWS.missingCertificate.recipients[0]!, certificate }];
    await renderPopup({ ...VIEWS.missingCertificate, recipients });
    expect(within(screen.getByTestId('recipient-bob@example.com')).getByTestId('recipient-origin').textContent).toBe('From a signed message of 2026-05-20');
    cleanup();
    await renderPopup({ ...VIEWS.missingCertificate, recipients: [{ ...recipients[0]!, certificate: { ...certificate, harvestedAt: null } }] });
    expect(within(screen.getByTestId('recipient-bob@example.com')).getByTestId('recipient-origin').textContent).toBe('From a signed message');
  });

  it('SEC-49a: names recipients without a usable certificate and sends unencrypted only after explicit agreement', async () => {
    const { requests } = await renderPopup(VIEWS.missingCertificate, (view, change) =>
      change.allowUnencrypted ? { ...view, allowUnencrypted: true, blockers: [] } : { ...view, allowUnencrypted: false, blockers: VIEWS.missingCertificate.blockers },
    );
    expect(screen.getByTestId('compose-status').dataset.state).toBe('blocked');
    const alerts = screen.getByTestId('compose-blockers');
    expect(alerts.getAttribute('role')).toBe('alert');
    expect(screen.getByTestId('blocker-RECIPIENT_CERTIFICATE_MISSING').textContent).toContain('No certificate for: carol@example.com.');
    expect(screen.getByTestId('blocker-RECIPIENT_CERTIFICATE_EXPIRED').textContent).toContain('erin@example.com');
    expect(requests.some((r) => r.name === 'setComposeOptions')).toBe(false);
    fireEvent.click(screen.getByTestId('send-unencrypted'));
    await waitFor(() => expect(screen.getByTestId('compose-allowed-unencrypted')).toBeTruthy());
    expect(requests.at(-1)).toEqual({ name: 'setComposeOptions', req: { tabId: 7, allowUnencrypted: true } });
    fireEvent.click(screen.getByTestId('undo-unencrypted'));
    await waitFor(() => expect(screen.getByTestId('compose-blockers')).toBeTruthy());
  });

  it('never offers "send unencrypted" when the identity requires encryption; the Encrypt switch is locked on', async () => {
    await renderPopup(VIEWS.requiredEncryption);
    expect(screen.queryByTestId('send-unencrypted')).toBeNull();
    const encrypt = screen.getByRole('switch', { name: /Encrypt/ }) as HTMLInputElement;
    expect(encrypt.checked).toBe(true);
    expect(encrypt.disabled).toBe(true);
    expect(screen.getByText('Encryption is required for this account.')).toBeTruthy();
  });

  it('explains revoked certificates and Bcc with encryption, each with its own text', async () => {
    await renderPopup(VIEWS.revoked);
    expect(screen.getByTestId('blocker-RECIPIENT_CERTIFICATE_REVOKED').textContent).toContain('The certificate was revoked for: mallory@example.com.');
    cleanup();
    await renderPopup(VIEWS.bcc);
    expect(screen.getByTestId('blocker-BCC_WITH_ENCRYPTION').textContent).toContain('cannot have Bcc recipients (secret@example.com)');
    expect(screen.queryByTestId('send-unencrypted')).toBeNull();
  });

  it('O1/O2: the user\'s own missing or expired certificate is an alert', async () => {
    await renderPopup(VIEWS.ownMissing);
    expect(screen.getByTestId('own-missing').getAttribute('role')).toBe('alert');
    expect(screen.getByTestId('blocker-OWN_CERTIFICATE_MISSING').textContent).toContain('Import one in Waxseal\'s settings');
    cleanup();
    await renderPopup(VIEWS.ownExpired);
    expect(screen.getByTestId('own-expired').textContent).toContain('Your certificate has expired.');
  });

  it('O8 and "send my certificate": warns before expiry and turns signing on for a recipient without a certificate', async () => {
    const { requests } = await renderPopup(VIEWS.expiringSendCertificate);
    expect(screen.getByTestId('own-expires-soon').textContent).toContain('Your certificate expires in 12 days.');
    fireEvent.click(screen.getByRole('button', { name: 'Send my certificate' }));
    await waitFor(() => expect(screen.queryByTestId('hint-send-my-certificate')).toBeNull());
    expect(requests.at(-1)).toEqual({ name: 'setComposeOptions', req: { tabId: 7, sign: true } });
  });

  it('tells a locked store and unencrypted drafts before sending', async () => {
    await renderPopup(VIEWS.signedEncrypted);
    expect(screen.getByTestId('compose-locked').textContent).toContain('Waxseal will ask for your passphrase when you send');
    expect(screen.getByTestId('compose-drafts-notice').textContent).toContain('saved unencrypted');
  });

  it('shows why the last send failed in the hook', async () => {
    await renderPopup(VIEWS.hookFailed);
    expect(screen.getByTestId('compose-last-failure').textContent).toContain('Your key was locked before the message was signed.');
    expect(screen.getByTestId('compose-last-failure').getAttribute('role')).toBe('alert');
  });

  it('is ready and says so when the background fails', async () => {
    const call = (async () => {
      throw new RpcCallError({ code: 'INTERNAL_ERROR', message: 'down' });
    }) as Call;
    render(<ComposePage call={call} t={translator().t} route={{ mode: 'popup', tabId: 7 }} close={() => {}} />);
    await waitFor(() => expect(screen.getByTestId('compose-page').dataset.ready).toBe('true'));
    expect(screen.getByTestId('compose-error').textContent).toContain('Waxseal could not read this message\'s state.');
  });

  it('routes the page from its query string', () => {
    expect(routeFromQuery('', 12)).toEqual({ mode: 'popup', tabId: 12 });
    expect(routeFromQuery('?tabId=3&mode=blocked', null)).toEqual({ mode: 'blocked', tabId: 3 });
    expect(routeFromQuery('?tabId=3&mode=unlock&prompt=p1', null)).toEqual({ mode: 'unlock', tabId: 3, promptId: 'p1' });
    expect(routeFromQuery('', null)).toEqual({ mode: 'no-tab' });
  });
});
