// Waxseal's own buttons open the options page at a view named in the URL fragment (issue #8).
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { viewFromHash } from '../../../src/options/OptionsPage.js';
import { identity, P12_GOOD, P12_PASSWORD, STRONG } from './fake-background.js';
import { fileOf, renderOptions } from './render.js';

afterEach(cleanup);

describe('options routing', () => {
  it('reads known view names from the fragment and ignores anything else', () => {
    expect(viewFromHash('#people')).toBe('people');
    expect(viewFromHash('trust')).toBe('trust');
    expect(viewFromHash('#__proto__')).toBeUndefined();
    expect(viewFromHash('')).toBeUndefined();
  });

  it('an initialised store opens My identities; the navigation marks the current view for assistive technology', async () => {
    await renderOptions({ passphrase: STRONG, locked: true, identities: [identity({ id: 'cur' })] });
    expect(screen.getByTestId('options-page').dataset.view).toBe('identities');
    expect(screen.getByTestId('nav-identities').getAttribute('aria-current')).toBe('page');
    expect(screen.getByTestId('options-status').textContent).toContain('Locked');
    fireEvent.click(screen.getByTestId('nav-trust'));
    expect(screen.getByTestId('nav-trust').getAttribute('aria-current')).toBe('page');
    expect(screen.getByTestId('nav-identities').getAttribute('aria-current')).toBeNull();
  });

  it('the setup on an initialised store asks for the existing passphrase instead of choosing one', async () => {
    const { fake } = await renderOptions({ passphrase: STRONG, locked: true, identities: [identity({ id: 'cur' })], p12Identities: [identity({ id: 'second', fingerprintSha256: '03'.repeat(32) })] }, { view: 'setup' });
    fireEvent.click(screen.getByLabelText('I have read and understood this.'));
    fireEvent.click(screen.getByTestId('setup-continue'));
    fireEvent.change(screen.getByLabelText('Certificate file (.p12 or .pfx)'), { target: { files: [fileOf(P12_GOOD, 'second.p12')] } });
    await waitFor(() => expect(screen.getByText('Chosen: second.p12')).toBeTruthy());
    fireEvent.click(screen.getByTestId('setup-continue'));
    fireEvent.input(screen.getByLabelText('Password of the .p12 file'), { target: { value: P12_PASSWORD } });
    fireEvent.click(screen.getByTestId('setup-continue'));
    expect(screen.queryByLabelText('New passphrase')).toBeNull();
    fireEvent.input(screen.getByLabelText('Current Waxseal passphrase'), { target: { value: 'wrong one' } });
    fireEvent.click(screen.getByTestId('setup-import'));
    await waitFor(() => expect(screen.getByTestId('setup-error').dataset.code).toBe('KEYSTORE_WRONG_PASSPHRASE'));
    fireEvent.input(screen.getByLabelText('Current Waxseal passphrase'), { target: { value: STRONG } });
    fireEvent.click(screen.getByTestId('setup-import'));
    await waitFor(() => expect(screen.getByTestId('setup-done')).toBeTruthy());
    expect(fake.state.identities.map((i) => i.id)).toEqual(['cur', 'second']);
  });
});
