// Import with an incomplete chain (#8, #9): the page names the missing intermediate certificate.
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { identity, P12_GOOD, P12_PASSWORD, STRONG } from './fake-background.js';
import { fileOf, renderOptions } from './render.js';

afterEach(cleanup);
const DN = 'C=DE, O=Example, CN=Example Mail Intermediate CA';

async function importMore() {
  const form = screen.getByTestId('import-more');
  fireEvent.change(within(form).getByLabelText('Certificate file (.p12 or .pfx)'), { target: { files: [fileOf(P12_GOOD, 'alice.p12')] } });
  await waitFor(() => expect(within(form).getByText('Chosen: alice.p12')).toBeTruthy());
  fireEvent.input(within(form).getByLabelText('Password of the .p12 file'), { target: { value: P12_PASSWORD } });
  fireEvent.input(within(form).getByLabelText('Current Waxseal passphrase'), { target: { value: STRONG } });
  fireEvent.click(within(form).getByTestId('import-more-submit'));
  await waitFor(() => expect(within(form).getByTestId('import-more-done')).toBeTruthy());
}

describe('missing intermediate on import', () => {
  it('importing another .p12 names the missing intermediate by its DN', async () => {
    await renderOptions({ passphrase: STRONG, locked: false, identities: [identity({ id: 'cur' })], missingIssuers: [DN] }, { view: 'identities' });
    await importMore();
    expect(screen.getAllByTestId('import-more-missing-dn').map((li) => li.textContent)).toEqual([`Missing intermediate certificate: ${DN}`]);
    expect(screen.getByTestId('import-more-missing').textContent).toContain('does not contain the whole certificate chain');
  });

  it('a complete chain shows no warning', async () => {
    await renderOptions({ passphrase: STRONG, locked: false, identities: [identity({ id: 'cur' })] }, { view: 'identities' });
    await importMore();
    expect(screen.queryByTestId('import-more-missing')).toBeNull();
  });

  it('the first run names it on the result page', async () => {
    await renderOptions({ passphrase: null, missingIssuers: [DN] }, { view: 'setup' });
    fireEvent.click(screen.getByLabelText('I have read and understood this.'));
    fireEvent.click(screen.getByTestId('setup-continue'));
    await waitFor(() => expect(screen.getByTestId('view-setup').dataset.step).toBe('file'));
    fireEvent.change(screen.getByLabelText('Certificate file (.p12 or .pfx)'), { target: { files: [fileOf(P12_GOOD, 'alice.p12')] } });
    await waitFor(() => expect(screen.getByText('Chosen: alice.p12')).toBeTruthy());
    fireEvent.click(screen.getByTestId('setup-continue'));
    fireEvent.input(screen.getByLabelText('Password of the .p12 file'), { target: { value: P12_PASSWORD } });
    fireEvent.click(screen.getByTestId('setup-continue'));
    fireEvent.input(screen.getByLabelText('New passphrase'), { target: { value: STRONG } });
    fireEvent.input(screen.getByLabelText('Repeat the new passphrase'), { target: { value: STRONG } });
    await waitFor(() => expect((screen.getByTestId('setup-import') as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(screen.getByTestId('setup-import'));
    await waitFor(() => expect(screen.getByTestId('setup-done')).toBeTruthy());
    expect(screen.getAllByTestId('setup-missing-dn').map((li) => li.textContent)).toEqual([`Missing intermediate certificate: ${DN}`]);
  });
});
