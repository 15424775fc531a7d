// Issue #9 on the first run: the identity the organisation prepared is offered and imported with only its password.
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { P12_PASSWORD, STRONG } from './fake-background.js';
import { renderOptions } from './render.js';

afterEach(cleanup);
const OFFER = { offerId: 'ab'.repeat(32), label: 'Example Corp mail certificate' };

async function toFileStep() {
  fireEvent.click(screen.getByTestId('setup-ack'));
  fireEvent.click(screen.getByTestId('setup-continue'));
  await waitFor(() => expect(screen.getByTestId('view-setup').dataset.step).toBe('file'));
}

async function choosePassphrase() {
  fireEvent.input(screen.getByLabelText('New passphrase'), { target: { value: STRONG } });
  fireEvent.input(screen.getByLabelText('Repeat the new passphrase'), { target: { value: STRONG } });
  await waitFor(() => expect((screen.getByTestId('setup-import') as HTMLButtonElement).disabled).toBe(false));
}

describe('provisioned identity on the first run', () => {
  it('offers the prepared identity, asks only for its password and the passphrase, and imports it', async () => {
    const { fake } = await renderOptions({ passphrase: null, provisioned: OFFER }, { view: 'setup' });
    await toFileStep();
    await waitFor(() => expect(screen.getByTestId('setup-provisioned').textContent).toContain('Your organisation has prepared your identity (Example Corp mail certificate)'));
    fireEvent.click(screen.getByTestId('setup-provisioned-use'));
    expect(screen.getByTestId('setup-password-text').textContent).toBe('Your organisation has prepared your identity (Example Corp mail certificate) — enter the password you received.');
    fireEvent.input(screen.getByTestId('setup-p12-password'), { target: { value: 'wrong' } });
    fireEvent.click(screen.getByTestId('setup-continue'));
    await choosePassphrase();
    fireEvent.click(screen.getByTestId('setup-import'));
    // A wrong password returns to the password step, still for the prepared identity.
    await waitFor(() => expect(screen.getByTestId('view-setup').dataset.step).toBe('password'));
    expect(screen.getByTestId('setup-password-text').textContent).toContain('enter the password you received');
    fireEvent.input(screen.getByTestId('setup-p12-password'), { target: { value: P12_PASSWORD } });
    fireEvent.click(screen.getByTestId('setup-continue'));
    await choosePassphrase();
    fireEvent.click(screen.getByTestId('setup-import'));
    await waitFor(() => expect(screen.getByTestId('setup-done')).toBeTruthy());
    const imports = fake.calls.filter((c) => c.name === 'importProvisionedIdentity');
    expect(imports.at(-1)!.req).toEqual({ offerId: OFFER.offerId, p12Password: P12_PASSWORD, passphrase: STRONG });
    // The file never passes through the page: no importPkcs12 with bytes from here.
    expect(fake.calls.filter((c) => c.name === 'importPkcs12')).toEqual([]);
    expect(fake.state.identities).toHaveLength(1);
  });

  it('without an offer the file step shows no prepared identity', async () => {
    await renderOptions({ passphrase: null }, { view: 'setup' });
    await toFileStep();
    expect(screen.queryByTestId('setup-provisioned')).toBeNull();
  });
});
