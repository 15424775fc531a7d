// Issue #8 item 1: the first-run flow against a fake background (SEC-43 threat-model notice).
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { P12_GOOD, P12_PASSWORD, P12_UNSUPPORTED, STRONG } from './fake-background.js';
import { fileOf, renderOptions } from './render.js';

afterEach(cleanup);

async function pickFile(bytes: Uint8Array, name = 'alice.p12') {
  const input = screen.getByLabelText('Certificate file (.p12 or .pfx)');
  fireEvent.change(input, { target: { files: [fileOf(bytes, name)] } });
  await waitFor(() => expect(screen.getByText(`Chosen: ${name}`)).toBeTruthy());
  fireEvent.click(screen.getByTestId('setup-continue'));
}

async function acknowledge() {
  expect(screen.getByTestId('view-setup').dataset.step).toBe('notice');
  fireEvent.click(screen.getByLabelText('I have read and understood this.'));
  fireEvent.click(screen.getByTestId('setup-continue'));
  await waitFor(() => expect(screen.getByTestId('view-setup').dataset.step).toBe('file'));
}

async function choosePassphrase(passphrase: string) {
  fireEvent.input(screen.getByLabelText('New passphrase'), { target: { value: passphrase } });
  fireEvent.input(screen.getByLabelText('Repeat the new passphrase'), { target: { value: passphrase } });
  await waitFor(() => expect(screen.getByTestId('setup-passphrase-strength').dataset.ok).toBe('true'));
  await waitFor(() => expect((screen.getByTestId('setup-import') as HTMLButtonElement).disabled).toBe(false));
}

describe('first run', () => {
  it('an empty key store opens the guided setup, and the notice must be acknowledged first (SEC-43)', async () => {
    const { fake, missing } = await renderOptions();
    expect(screen.getByTestId('options-page').dataset.view).toBe('setup');
    const notice = screen.getByTestId('threat-notice').textContent!;
    expect(notice).toContain('stored in this Thunderbird profile on this computer');
    expect(notice).toContain('does not protect against malware');
    expect(notice).toContain('a compromised add-on');
    expect(notice).toContain('full-disk encryption');
    const next = screen.getByTestId('setup-continue') as HTMLButtonElement;
    expect(next.disabled).toBe(true);
    fireEvent.submit(next.form!);
    expect(screen.getByTestId('view-setup').dataset.step).toBe('notice');
    await acknowledge();
    expect(fake.calls.some((c) => c.name === 'importPkcs12')).toBe(false);
    expect(missing).toEqual([]);
  });

  it('imports a .p12, chooses the passphrase, matches the identity to the Thunderbird account and prompts for a backup', async () => {
    const { fake, missing } = await renderOptions();
    await acknowledge();
    await pickFile(P12_GOOD);
    fireEvent.input(screen.getByLabelText('Password of the .p12 file'), { target: { value: P12_PASSWORD } });
    fireEvent.click(screen.getByTestId('setup-continue'));
    expect(screen.getByTestId('setup-loss-warning').textContent).toContain('can never be read again');
    const importButton = screen.getByTestId('setup-import') as HTMLButtonElement;
    fireEvent.input(screen.getByLabelText('New passphrase'), { target: { value: 'short' } });
    await waitFor(() => expect(screen.getByTestId('setup-passphrase-strength').textContent).toContain('Too weak: it is too short.'));
    expect(importButton.disabled).toBe(true);
    await choosePassphrase(STRONG);
    fireEvent.input(screen.getByLabelText('Repeat the new passphrase'), { target: { value: STRONG + 'x' } });
    await waitFor(() => expect(screen.getByTestId('setup-passphrase-mismatch')).toBeTruthy());
    expect(importButton.disabled).toBe(true);
    fireEvent.input(screen.getByLabelText('Repeat the new passphrase'), { target: { value: STRONG } });
    await waitFor(() => expect(importButton.disabled).toBe(false));
    fireEvent.click(importButton);
    await waitFor(() => expect(screen.getByTestId('setup-done')).toBeTruthy());
    const sent = fake.calls.find((c) => c.name === 'importPkcs12')!.req as { p12: Uint8Array; p12Password: string; passphrase: string };
    expect([...sent.p12]).toEqual([...P12_GOOD]);
    expect(sent.p12Password).toBe(P12_PASSWORD);
    expect(sent.passphrase).toBe(STRONG);
    const match = screen.getByTestId('setup-match');
    expect(match.dataset.matched).toBe('true');
    expect(match.textContent).toContain('alice@example.com — used for your Thunderbird account Alice at Example.');
    expect(screen.getByTestId('options-status').textContent).toContain('Unlocked');
    fireEvent.click(screen.getByTestId('setup-backup'));
    expect(screen.getByTestId('options-page').dataset.view).toBe('identities');
    expect(screen.getAllByTestId('identity')).toHaveLength(1);
    expect(missing).toEqual([]);
  });

  it('a wrong .p12 password returns to the password step with its own message and keeps the file', async () => {
    const { fake } = await renderOptions();
    await acknowledge();
    await pickFile(P12_GOOD);
    fireEvent.input(screen.getByLabelText('Password of the .p12 file'), { target: { value: 'wrong' } });
    fireEvent.click(screen.getByTestId('setup-continue'));
    await choosePassphrase(STRONG);
    fireEvent.click(screen.getByTestId('setup-import'));
    await waitFor(() => expect(screen.getByTestId('view-setup').dataset.step).toBe('password'));
    expect(screen.getByTestId('setup-error').textContent).toContain('The password of the .p12 file is wrong.');
    expect(screen.getByTestId('setup-error').getAttribute('role')).toBe('alert');
    expect(screen.getByLabelText('Password of the .p12 file').getAttribute('aria-invalid')).toBe('true');
    expect(fake.state.passphrase).toBeNull();
    fireEvent.input(screen.getByLabelText('Password of the .p12 file'), { target: { value: P12_PASSWORD } });
    fireEvent.click(screen.getByTestId('setup-continue'));
    await choosePassphrase(STRONG);
    fireEvent.click(screen.getByTestId('setup-import'));
    await waitFor(() => expect(screen.getByTestId('setup-done')).toBeTruthy());
    expect(fake.calls.filter((c) => c.name === 'importPkcs12')).toHaveLength(2);
  });

  it('an unsupported .p12 returns to the file step and says how to export it again', async () => {
    await renderOptions();
    await acknowledge();
    await pickFile(P12_UNSUPPORTED, 'old.pfx');
    fireEvent.input(screen.getByLabelText('Password of the .p12 file'), { target: { value: P12_PASSWORD } });
    fireEvent.click(screen.getByTestId('setup-continue'));
    await choosePassphrase(STRONG);
    fireEvent.click(screen.getByTestId('setup-import'));
    await waitFor(() => expect(screen.getByTestId('view-setup').dataset.step).toBe('file'));
    const error = screen.getByTestId('setup-error');
    expect(error.dataset.code).toBe('PKCS12_UNSUPPORTED_ALGORITHM');
    expect(error.textContent).toContain('encryption method Waxseal does not support');
  });

  it('a file dropped on the drop area is taken like a picked one', async () => {
    await renderOptions();
    await acknowledge();
    const drop = screen.getByTestId('setup-file-drop');
    fireEvent.dragOver(drop);
    expect(drop.className).toContain('options-drop-over');
    fireEvent.drop(drop, { dataTransfer: { files: [fileOf(P12_GOOD, 'dropped.p12')] } });
    await waitFor(() => expect(screen.getByText('Chosen: dropped.p12')).toBeTruthy());
    expect((screen.getByTestId('setup-continue') as HTMLButtonElement).disabled).toBe(false);
  });

  it('a background that cannot answer shows a load error instead of a blank page', async () => {
    await renderOptions({ failStatus: true });
    expect(screen.getByTestId('options-load-error').textContent).toContain('could not be loaded');
  });
});
