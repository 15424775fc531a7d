// Issue #9 on the options page: settings the administrator locked are shown, disabled, with a note.
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { ManagedSettingName } from '../../../src/shared/keys-protocol.js';
import { identity, STRONG } from './fake-background.js';
import { renderOptions } from './render.js';

afterEach(cleanup);
const unlocked = { passphrase: STRONG, locked: false, identities: [identity({ id: 'cur' })] };

describe('managed settings', () => {
  it('a locked auto-lock is shown disabled with "Set by your organisation"', async () => {
    await renderOptions({ ...unlocked, autoLockMinutes: 5, lockedSettings: ['autoLockMinutes'] }, { view: 'passphrase' });
    const select = screen.getByTestId('auto-lock') as HTMLSelectElement;
    expect(select.disabled).toBe(true);
    expect(select.value).toBe('5');
    expect(screen.getByTestId('auto-lock-managed').textContent).toBe('Set by your organisation');
  });

  it('an unmanaged auto-lock stays changeable and has no note', async () => {
    await renderOptions({ ...unlocked }, { view: 'passphrase' });
    expect((screen.getByTestId('auto-lock') as HTMLSelectElement).disabled).toBe(false);
    expect(screen.queryByTestId('auto-lock-managed')).toBeNull();
  });
});

describe('managed compose defaults and algorithms (#9)', () => {
  const policy = {
    ...unlocked,
    lockedSettings: ['signByDefault', 'requireEncryption', 'allowedContentEncryption'] as ManagedSettingName[],
    managedValues: { signByDefault: true, requireEncryption: true, encryptWhenPossible: false, allowedContentEncryption: ['AES-256-GCM', 'AES-256-CBC'] },
  };

  it('a locked default shows the organisation\'s value, disabled, with "Set by your organisation"; an unlocked one stays changeable', async () => {
    await renderOptions(policy, { view: 'defaults' });
    const box = screen.getByTestId('defaults-address');
    const sign = within(box).getByTestId('defaults-signByDefault') as HTMLInputElement;
    const require = within(box).getByTestId('defaults-requireEncryption') as HTMLInputElement;
    const encrypt = within(box).getByTestId('defaults-encryptWhenPossible') as HTMLInputElement;
    expect([sign.checked, sign.disabled, require.checked, require.disabled]).toEqual([true, true, true, true]);
    expect(within(box).getByTestId('defaults-signByDefault-managed').textContent?.trim()).toBe('Set by your organisation');
    expect(within(box).getByTestId('defaults-requireEncryption-managed').textContent?.trim()).toBe('Set by your organisation');
    // encryptWhenPossible is not in the policy: unmanaged.
    expect(encrypt.disabled).toBe(false);
    expect(within(box).queryByTestId('defaults-encryptWhenPossible-managed')).toBeNull();
  });

  it('changing the unlocked default keeps the locked values (the background accepts it)', async () => {
    const { fake } = await renderOptions(policy, { view: 'defaults' });
    const box = screen.getByTestId('defaults-address');
    fireEvent.click(within(box).getByTestId('defaults-encryptWhenPossible'));
    await waitFor(() => expect(fake.platform.saved['alice@example.com']).toEqual({ signByDefault: true, encryptWhenPossible: true, requireEncryption: true }));
    fireEvent.click(within(box).getByTestId('defaults-encryptWhenPossible'));
    // Unticking "encrypt" would normally clear "require", but that one is locked.
    await waitFor(() => expect(fake.platform.saved['alice@example.com']).toEqual({ signByDefault: true, encryptWhenPossible: false, requireEncryption: true }));
    expect(screen.queryByTestId('defaults-error')).toBeNull();
  });

  it('the allowed algorithms are listed, disabled, with the note; the others unticked', async () => {
    await renderOptions(policy, { view: 'defaults' });
    const list = screen.getByTestId('defaults-algorithms');
    const state = ['AES-256-GCM', 'AES-128-GCM', 'AES-256-CBC', 'AES-128-CBC'].map((a) => {
      const box = within(list).getByTestId(`algorithm-${a}`) as HTMLInputElement;
      return [a, box.checked, box.disabled];
    });
    expect(state).toEqual([['AES-256-GCM', true, true], ['AES-128-GCM', false, true], ['AES-256-CBC', true, true], ['AES-128-CBC', false, true]]);
    expect(within(list).getByTestId('algorithms-managed').textContent).toBe('Set by your organisation');
  });

  it('policy entries Waxseal ignored are shown as an alert naming them', async () => {
    await renderOptions({ ...unlocked, policyProblems: ['autoLockMinutes: invalid value'] }, { view: 'defaults' });
    const alert = screen.getByTestId('policy-problems');
    expect(alert.getAttribute('role')).toBe('alert');
    expect(alert.textContent).toContain('ignored these entries');
    expect(alert.textContent).toContain('autoLockMinutes: invalid value');
  });

  it('German and Dutch name the organisation\'s policy too', async () => {
    await renderOptions({ ...policy, policyProblems: ['x: unknown setting'] }, { view: 'defaults', lang: 'de' });
    expect(screen.getByTestId('defaults-signByDefault-managed').textContent?.trim()).toBe('Von Ihrer Organisation festgelegt');
    expect(screen.getByTestId('policy-problems').textContent).toContain('Richtlinie Ihrer Organisation');
    cleanup();
    await renderOptions({ ...policy }, { view: 'defaults', lang: 'nl' });
    expect(screen.getByTestId('defaults-algorithms').textContent).toContain('Versleutelingsalgoritmen');
  });

  it('without a policy nothing is locked and no policy panel is shown', async () => {
    await renderOptions({ ...unlocked }, { view: 'defaults' });
    expect(screen.queryByTestId('defaults-organisation')).toBeNull();
    expect((screen.getByTestId('defaults-signByDefault') as HTMLInputElement).disabled).toBe(false);
  });
});

describe('the other managed settings on the options page (#9)', () => {
  it('harvesting, address-book search, the policy\'s directories and its root count are shown, disabled, never the bind password', async () => {
    const { fake } = await renderOptions(
      {
        ...unlocked,
        lockedSettings: ['harvestCertificates', 'useAddressBookDirectories'],
        managedValues: { harvestCertificates: false, useAddressBookDirectories: true, directories: [{ name: 'Example Corp directory', server: 'ldaps://ldap.example.com:636/dc=example,dc=com' }], trustAnchorCount: 2 },
      },
      { view: 'defaults' },
    );
    const settings = screen.getByTestId('policy-settings');
    const harvest = within(settings).getByLabelText('Collect certificates from valid signed messages') as HTMLInputElement;
    const books = within(settings).getByLabelText('Also search the LDAP address books set up in Thunderbird') as HTMLInputElement;
    expect([harvest.checked, harvest.disabled, books.checked, books.disabled]).toEqual([false, true, true, true]);
    expect(within(settings).getByTestId('policy-settings-managed').textContent).toBe('Set by your organisation');
    expect(screen.getByTestId('policy-directories').textContent).toContain('Example Corp directory ldaps://ldap.example.com:636/dc=example,dc=com');
    expect(screen.getByTestId('policy-anchors').textContent).toBe('Root certificates your organisation trusts for e-mail: 2');
    expect(fake.calls.some((c) => c.name === 'setComposeDefaults')).toBe(false);
  });
});
