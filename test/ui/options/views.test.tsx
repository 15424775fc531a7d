// Issue #8 items 2–6: each view of the options page and its error states, against a fake background.
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { expiryReminders } from '../../../src/options/certificates.js';
import { identity, NOW, person, STRONG } from './fake-background.js';
import { renderOptions } from './render.js';

afterEach(cleanup);
const DAY = 86_400_000;
const unlocked = { passphrase: STRONG, locked: false };

describe('my identities', () => {
  it('an empty store says so and offers the setup', async () => {
    const { missing } = await renderOptions({ passphrase: null }, { view: 'identities' });
    expect(screen.getByTestId('identities-empty').textContent).toContain('no certificate with a private key');
    fireEvent.click(screen.getByTestId('identities-start-setup'));
    expect(screen.getByTestId('options-page').dataset.view).toBe('setup');
    expect(missing).toEqual([]);
  });

  it('lists every certificate per address with status, issuer, usages, fingerprint and role; older keys are marked for old mail', async () => {
    const old = identity({ id: 'old', fingerprintSha256: '01'.repeat(32), notAfter: new Date(NOW - 30 * DAY).toISOString(), currentSigningFor: [], currentEncryptionFor: [], usableForSigning: false });
    await renderOptions({ ...unlocked, identities: [identity({ id: 'cur' }), old] });
    const cards = screen.getAllByTestId('identity');
    expect(cards.map((c) => c.dataset.id)).toEqual(['cur', 'old']);
    const current = within(cards[0]!);
    expect(current.getByTestId('identity-status').textContent).toMatch(/^Valid until .+ \(300 days left\)$/);
    expect(current.getByTestId('identity-role').textContent).toBe('signs your mail · receives encrypted mail');
    expect(current.getByTestId('identity-fingerprint').textContent).toBe(Array(32).fill('AB').join(':'));
    expect(cards[0]!.textContent).toContain('Example Mail CA');
    expect(cards[0]!.textContent).toContain('signing, encryption');
    const older = within(cards[1]!);
    expect(cards[1]!.dataset.state).toBe('expired');
    expect(older.getByTestId('identity-status').textContent).toContain('Expired on');
    expect(older.getByTestId('identity-role').textContent).toBe('older key, kept to read older mail');
    expect(older.queryByTestId('identity-use-signing')).toBeNull();
  });

  it('sets which certificate signs and which decrypts', async () => {
    const next = identity({ id: 'next', fingerprintSha256: '02'.repeat(32), currentSigningFor: [], currentEncryptionFor: [], notAfter: new Date(NOW + 700 * DAY).toISOString() });
    const { fake } = await renderOptions({ ...unlocked, identities: [identity({ id: 'cur' }), next] });
    const card = screen.getAllByTestId('identity').find((c) => c.dataset.id === 'next')!;
    fireEvent.click(within(card).getByTestId('identity-use-signing'));
    await waitFor(() => expect(within(screen.getAllByTestId('identity').find((c) => c.dataset.id === 'next')!).getByTestId('identity-role').textContent).toBe('signs your mail'));
    expect(fake.calls.find((c) => c.name === 'setCurrentIdentity')!.req).toEqual({ address: 'alice@example.com', purpose: 'signing', id: 'next' });
  });

  it('reminds 30, 14 and 7 days before the signing certificate expires', async () => {
    const at = (days: number) => identity({ id: `d${days}`, notAfter: new Date(NOW + days * DAY + 3_600_000).toISOString() });
    expect(expiryReminders([at(31)], NOW)).toEqual([]);
    expect(expiryReminders([at(30)], NOW).map((r) => r.threshold)).toEqual([30]);
    expect(expiryReminders([at(15)], NOW).map((r) => r.threshold)).toEqual([30]);
    expect(expiryReminders([at(14)], NOW).map((r) => r.threshold)).toEqual([14]);
    expect(expiryReminders([at(7)], NOW).map((r) => r.threshold)).toEqual([7]);
    expect(expiryReminders([at(-1)], NOW)).toEqual([]);
    expect(expiryReminders([{ ...at(5), currentSigningFor: [] }], NOW)).toEqual([]);
    await renderOptions({ ...unlocked, identities: [at(12)] });
    const reminder = screen.getByTestId('expiry-reminder');
    expect(reminder.dataset.threshold).toBe('14');
    expect(reminder.textContent).toContain('Your signing certificate for alice@example.com expires in 12 days');
  });

  it('SEC-42a: exports a backup only with the passphrase again: a wrong one is refused, the right one downloads the file', async () => {
    const { fake } = await renderOptions({ ...unlocked, identities: [identity({ id: 'cur' })] });
    fireEvent.click(screen.getByTestId('identity-export-open'));
    const form = screen.getByTestId('export-form');
    fireEvent.input(within(form).getByLabelText('Current Waxseal passphrase'), { target: { value: 'not it' } });
    fireEvent.input(within(form).getByLabelText('New passphrase'), { target: { value: 'backup file password 42' } });
    fireEvent.input(within(form).getByLabelText('Repeat the new passphrase'), { target: { value: 'backup file password 42' } });
    const submit = within(form).getByTestId('export-submit') as HTMLButtonElement;
    await waitFor(() => expect(submit.disabled).toBe(false));
    fireEvent.click(submit);
    await waitFor(() => expect(within(form).getByTestId('export-error').textContent).toContain('Wrong passphrase'));
    expect(fake.platform.downloads).toEqual([]);
    fireEvent.input(within(form).getByLabelText('Current Waxseal passphrase'), { target: { value: STRONG } });
    await waitFor(() => expect(submit.disabled).toBe(false));
    fireEvent.click(submit);
    await waitFor(() => expect(within(form).getByTestId('export-done').textContent).toContain('cur.p12'));
    expect(fake.calls.filter((c) => c.name === 'exportPkcs12').at(-1)!.req).toEqual({ id: 'cur', passphrase: STRONG, exportPassword: 'backup file password 42' });
    expect(fake.platform.downloads).toHaveLength(1);
    expect(fake.platform.downloads[0]!.fileName).toBe('cur.p12');
    expect(fake.platform.downloads[0]!.type).toBe('application/x-pkcs12');
  });

  it('delete first shows what becomes unreadable, then deletes', async () => {
    const { fake } = await renderOptions({ ...unlocked, identities: [identity({ id: 'cur' })] });
    fireEvent.click(screen.getByTestId('identity-delete-open'));
    await waitFor(() => expect(screen.getByTestId('delete-unreadable').textContent).toContain('can no longer be read'));
    expect(screen.getByTestId('delete-no-signing').textContent).toContain('alice@example.com');
    expect(fake.state.identities).toHaveLength(1);
    fireEvent.click(screen.getByTestId('delete-confirm'));
    await waitFor(() => expect(screen.getByTestId('identities-empty')).toBeTruthy());
    expect(fake.state.identities).toEqual([]);
  });

  it('importing another .p12 needs the current passphrase', async () => {
    await renderOptions({ ...unlocked, identities: [identity({ id: 'cur' })] });
    const form = screen.getByTestId('import-more');
    fireEvent.change(within(form).getByLabelText('Certificate file (.p12 or .pfx)'), { target: { files: [new File([new Uint8Array([0x30, 0x82, 0x01])], 'older.p12')] } });
    await waitFor(() => expect(within(form).getByText('Chosen: older.p12')).toBeTruthy());
    fireEvent.input(within(form).getByLabelText('Password of the .p12 file'), { target: { value: 'p12-secret' } });
    fireEvent.input(within(form).getByLabelText('Current Waxseal passphrase'), { target: { value: 'wrong' } });
    fireEvent.click(within(form).getByTestId('import-more-submit'));
    await waitFor(() => expect(within(form).getByTestId('import-more-error').dataset.code).toBe('KEYSTORE_WRONG_PASSPHRASE'));
  });
});

describe('passphrase and locking', () => {
  it('SEC-41: a wrong current passphrase is refused with its own message; the right one changes it', async () => {
    const { fake } = await renderOptions({ ...unlocked, identities: [identity({ id: 'cur' })] }, { view: 'passphrase' });
    const form = screen.getByTestId('change-passphrase');
    const submit = within(form).getByTestId('change-submit') as HTMLButtonElement;
    fireEvent.input(within(form).getByLabelText('New passphrase'), { target: { value: 'a whole new passphrase 7' } });
    fireEvent.input(within(form).getByLabelText('Repeat the new passphrase'), { target: { value: 'a whole new passphrase 7' } });
    await waitFor(() => expect(within(form).getByTestId('change-strength').dataset.ok).toBe('true'));
    expect(submit.disabled).toBe(true);
    fireEvent.input(within(form).getByLabelText('Current Waxseal passphrase'), { target: { value: 'guess' } });
    await waitFor(() => expect(submit.disabled).toBe(false));
    fireEvent.click(submit);
    await waitFor(() => expect(within(form).getByTestId('change-error').textContent).toBe('⚠ Wrong passphrase. Nothing was changed.'));
    expect(within(form).getByLabelText('Current Waxseal passphrase').getAttribute('aria-invalid')).toBe('true');
    expect(fake.state.passphrase).toBe(STRONG);
    fireEvent.input(within(form).getByLabelText('Current Waxseal passphrase'), { target: { value: STRONG } });
    fireEvent.input(within(form).getByLabelText('New passphrase'), { target: { value: 'a whole new passphrase 7' } });
    fireEvent.input(within(form).getByLabelText('Repeat the new passphrase'), { target: { value: 'a whole new passphrase 7' } });
    await waitFor(() => expect(submit.disabled).toBe(false));
    fireEvent.click(submit);
    await waitFor(() => expect(within(form).getByTestId('change-done')).toBeTruthy());
    expect(fake.state.passphrase).toBe('a whole new passphrase 7');
  });

  it('shows the lock state in words, locks now, unlocks (wrong passphrase refused) and sets auto-lock', async () => {
    const { fake } = await renderOptions({ ...unlocked, identities: [identity({ id: 'cur' })] }, { view: 'passphrase' });
    expect(screen.getByTestId('lock-state').dataset.locked).toBe('false');
    expect(screen.getByTestId('lock-text').textContent).toContain('Unlocked; locks automatically');
    fireEvent.click(screen.getByTestId('lock-now'));
    await waitFor(() => expect(screen.getByTestId('lock-state').dataset.locked).toBe('true'));
    expect(screen.getByTestId('lock-text').textContent).toContain('Locked');
    fireEvent.input(screen.getByLabelText('Waxseal passphrase'), { target: { value: 'nope' } });
    fireEvent.click(screen.getByTestId('unlock-submit'));
    await waitFor(() => expect(screen.getByTestId('unlock-error').dataset.code).toBe('KEYSTORE_WRONG_PASSPHRASE'));
    fireEvent.input(screen.getByLabelText('Waxseal passphrase'), { target: { value: STRONG } });
    fireEvent.click(screen.getByTestId('unlock-submit'));
    await waitFor(() => expect(screen.getByTestId('lock-state').dataset.locked).toBe('false'));
    const select = screen.getByLabelText('Lock when idle for') as HTMLSelectElement;
    expect(select.value).toBe('15');
    fireEvent.change(select, { target: { value: 'close' } });
    await waitFor(() => expect(fake.state.autoLockMinutes).toBeNull());
    await waitFor(() => expect(screen.getByTestId('lock-text').textContent).toContain('Unlocked until Thunderbird closes.'));
  });
});

describe("people's certificates", () => {
  const people = [
    person({ id: 'b1', address: 'bob@example.org', firstSeen: '2025-01-01T00:00:00Z', state: 'superseded', notAfter: '2026-03-01T00:00:00Z' }),
    person({ id: 'b2', address: 'bob@example.org', firstSeen: '2026-04-01T00:00:00Z', issuer: 'CN=Other CA', notAfter: '2027-09-01T00:00:00Z' }),
    person({ id: 'z1', address: 'zoe@example.net', provenance: [{ source: 'directory', directory: 'ldap.example.net', date: '2026-05-20T00:00:00Z' }], notAfter: '2026-12-01T00:00:00Z' }),
  ];

  it('an empty list says where certificates come from', async () => {
    await renderOptions(unlocked, { view: 'people' });
    expect(screen.getByTestId('people-empty').textContent).toContain('collects them from signed mail');
  });

  it('lists, searches, sorts, shows details with the history and continuity notice, and removes', async () => {
    const { fake } = await renderOptions({ ...unlocked, people: structuredClone(people) }, { view: 'people' });
    const rows = () => screen.getAllByTestId('person-row').map((r) => r.dataset.id);
    expect(rows()).toEqual(['b1', 'b2', 'z1']);
    expect(screen.getAllByTestId('person-row')[0]!.textContent).toContain('from a signed message of');
    expect(screen.getAllByTestId('person-row')[2]!.textContent).toContain('from the directory ldap.example.net');
    expect(screen.getAllByTestId('person-status').map((s) => s.textContent)).toEqual(['expired', 'in use', 'in use']);
    fireEvent.change(screen.getByLabelText('Sort by'), { target: { value: 'validUntil' } });
    expect(rows()).toEqual(['b1', 'z1', 'b2']);
    fireEvent.input(screen.getByLabelText('Search'), { target: { value: 'zoe' } });
    expect(rows()).toEqual(['z1']);
    fireEvent.input(screen.getByLabelText('Search'), { target: { value: 'nobody' } });
    expect(screen.getByTestId('people-no-match')).toBeTruthy();
    fireEvent.input(screen.getByLabelText('Search'), { target: { value: '' } });
    const b2 = screen.getAllByTestId('person-row').find((r) => r.dataset.id === 'b2')!;
    fireEvent.click(within(b2).getByTestId('person-details-toggle'));
    expect(within(b2).getByTestId('person-details-toggle').getAttribute('aria-expanded')).toBe('true');
    const details = screen.getByTestId('person-details');
    expect(within(details).getAllByRole('listitem').length).toBeGreaterThanOrEqual(2);
    expect(within(details).getByTestId('person-continuity').textContent).toContain('Changed issuer: Example Mail CA → Other CA');
    fireEvent.click(within(screen.getAllByTestId('person-row').find((r) => r.dataset.id === 'z1')!).getByTestId('person-remove'));
    await waitFor(() => expect(rows()).toEqual(['b1', 'b2']));
    expect(fake.state.people.map((p) => p.id)).toEqual(['b1', 'b2']);
  });

  it('imports a certificate file by hand, and a malformed one gets its own message', async () => {
    const { fake } = await renderOptions(unlocked, { view: 'people' });
    const form = screen.getByTestId('people-import');
    const input = within(form).getByLabelText('Certificate file (.cer, .crt, .pem, .p7c)');
    fireEvent.change(input, { target: { files: [new File(['not a cert'], 'junk.cer')] } });
    await waitFor(() => expect(within(form).getByText('Chosen: junk.cer')).toBeTruthy());
    fireEvent.click(within(form).getByTestId('people-import-submit'));
    await waitFor(() => expect(within(form).getByTestId('people-import-error').textContent).toContain('could not be read as a certificate'));
    fireEvent.change(input, { target: { files: [new File([new Uint8Array([0x30, 0x03])], 'carol.cer')] } });
    await waitFor(() => expect(within(form).getByText('Chosen: carol.cer')).toBeTruthy());
    fireEvent.input(within(form).getByLabelText('Only for this address (optional)'), { target: { value: 'carol@example.org' } });
    fireEvent.click(within(form).getByTestId('people-import-submit'));
    await waitFor(() => expect(screen.getAllByTestId('person-row')).toHaveLength(1));
    expect(fake.calls.find((c) => c.name === 'importPersonCertificates' && (c.req as { fileName: string }).fileName === 'carol.cer')!.req).toMatchObject({ address: 'carol@example.org' });
    expect(screen.getByTestId('person-row').textContent).toContain('imported on');
  });
});

describe('trust', () => {
  it('counts and searches the bundled roots, shows a fingerprint, and removes only roots the user added', async () => {
    const anchors = [
      { fingerprintSha256: 'aa'.repeat(32), subject: 'CN=Policy Root', addedBy: 'organisation' as const, purposes: ['emailSigning' as const], addedAt: '2026-01-01T00:00:00Z' },
      { fingerprintSha256: 'bb'.repeat(32), subject: 'CN=My Root', addedBy: 'user' as const, purposes: ['emailSigning' as const, 'emailEncryption' as const], addedAt: '2026-02-01T00:00:00Z' },
    ];
    const { fake } = await renderOptions({ ...unlocked, anchors }, { view: 'trust' });
    expect(screen.getByTestId('bundled-count').textContent).toBe('Waxseal trusts 3 roots of Mozilla\'s root store for e-mail.');
    fireEvent.input(screen.getByLabelText('Search'), { target: { value: 'certum' } });
    expect(screen.getAllByTestId('root').map((r) => r.textContent)).toEqual([expect.stringContaining('Certum Trusted Network CA')]);
    fireEvent.click(screen.getByTestId('root-view'));
    // SHA-256 of the two bytes 30 01, computed independently of the page.
    const expected = Buffer.from(await crypto.subtle.digest('SHA-256', new Uint8Array([0x30, 0x01]))).toString('hex').toUpperCase().match(/../g)!.join(':');
    await waitFor(() => expect(screen.getByTestId('root-fingerprint').textContent).toContain(expected));
    const items = screen.getAllByTestId('anchor');
    expect(within(items[0]!).queryByTestId('anchor-remove')).toBeNull();
    expect(items[0]!.textContent).toContain('set by your organisation');
    fireEvent.click(within(items[1]!).getByTestId('anchor-remove'));
    await waitFor(() => expect(screen.getAllByTestId('anchor')).toHaveLength(1));
    expect(fake.state.anchors.map((a) => a.subject)).toEqual(['CN=Policy Root']);
  });

  it('adds an organisation root from a file for the chosen purposes', async () => {
    const { fake } = await renderOptions(unlocked, { view: 'trust' });
    expect(screen.getByTestId('anchors-empty')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Certificate file (.cer, .crt, .pem, .p7c)'), { target: { files: [new File([new Uint8Array([0x30])], 'root.cer')] } });
    await waitFor(() => expect(screen.getByText('Chosen: root.cer')).toBeTruthy());
    fireEvent.click(screen.getByLabelText('encrypting to people'));
    fireEvent.click(screen.getByTestId('anchor-add-submit'));
    await waitFor(() => expect(screen.getAllByTestId('anchor')).toHaveLength(1));
    expect(fake.calls.find((c) => c.name === 'addTrustAnchor')!.req).toMatchObject({ purposes: ['emailSigning'] });
  });
});

describe('defaults', () => {
  it('per address: sign by default, encrypt when possible, require encryption (which implies encrypting)', async () => {
    const { fake } = await renderOptions({ ...unlocked, identities: [identity({ id: 'cur' })] }, { view: 'defaults' });
    const box = screen.getByTestId('defaults-address');
    expect(box.dataset.address).toBe('alice@example.com');
    fireEvent.click(within(box).getByLabelText('Sign every message'));
    await waitFor(() => expect(fake.platform.saved['alice@example.com']).toEqual({ signByDefault: true, encryptWhenPossible: false, requireEncryption: false }));
    await waitFor(() => expect((within(box).getByLabelText('Sign every message') as HTMLInputElement).checked).toBe(true));
    fireEvent.click(within(box).getByLabelText('Require encryption (never send unencrypted)'));
    await waitFor(() => expect(fake.platform.saved['alice@example.com']).toEqual({ signByDefault: true, encryptWhenPossible: true, requireEncryption: true }));
    await waitFor(() => expect((within(box).getByLabelText('Encrypt when every recipient has a certificate') as HTMLInputElement).checked).toBe(true));
    fireEvent.click(within(box).getByLabelText('Encrypt when every recipient has a certificate'));
    await waitFor(() => expect(fake.platform.saved['alice@example.com']).toEqual({ signByDefault: true, encryptWhenPossible: false, requireEncryption: false }));
  });
});
