// Issue #9: compose defaults the organisation locked cannot be changed through the options page's request
// (the background refuses with SETTING_LOCKED and stores nothing); the send path reads the locked value
// whatever is stored. The status tells the page the values and the ignored policy entries.
import { describe, expect, it } from 'vitest';
import { isSmimeError } from '../../../src/crypto/index.js';
import { parseManagedConfig } from '../../../src/background/policy/managed-config.js';
import { hasOwnComposeDefaults, managedFlags, saveComposeDefaults, withManagedComposeDefaults } from '../../../src/background/policy/managed-defaults.js';
import { COMPOSE_DEFAULTS_KEY, composeDefaultsFrom } from '../../../src/background/send/key-access.js';
import { recordingArea } from '../keystore/handler-rig.js';

const ADDRESS = 'alice@example.com';
const OFF = { signByDefault: false, encryptWhenPossible: false, requireEncryption: false };

function setup(raw: unknown) {
  const area = recordingArea();
  const { config, problems, managed } = parseManagedConfig(raw);
  const read = withManagedComposeDefaults(
    composeDefaultsFrom((key) => area.get(key)),
    async (address) => hasOwnComposeDefaults(await area.get(COMPOSE_DEFAULTS_KEY), address),
    async () => config,
  );
  return { area, config, problems, managed, read };
}

describe('compose defaults under a policy', () => {
  it('refuses turning a locked default off and stores nothing', async () => {
    const { area, config, read } = setup({ signByDefault: true, requireEncryption: true });
    const refused = await saveComposeDefaults(area, config, ADDRESS, { ...OFF, encryptWhenPossible: true, requireEncryption: true }).catch((error: unknown) => error);
    expect(isSmimeError(refused) && refused.code).toBe('SETTING_LOCKED');
    expect(isSmimeError(refused) && refused.message).toContain('signByDefault');
    expect(area.writes).toEqual([]);
    expect(await read(ADDRESS)).toEqual({ signByDefault: true, encryptWhenPossible: false, requireEncryption: true });
  });

  it('accepts a change of an unlocked setting that repeats the locked values', async () => {
    const { area, config, read } = setup({ signByDefault: true });
    await saveComposeDefaults(area, config, 'Alice@Example.com ', { ...OFF, signByDefault: true, encryptWhenPossible: true });
    expect(area.data.get(COMPOSE_DEFAULTS_KEY)).toEqual({ [ADDRESS]: { signByDefault: true, encryptWhenPossible: true, requireEncryption: false } });
    expect(await read(ADDRESS)).toEqual({ signByDefault: true, encryptWhenPossible: true, requireEncryption: false });
  });

  it('a locked value wins over what is stored (written before the policy arrived)', async () => {
    const { area, read } = setup({ requireEncryption: true });
    await area.set({ [COMPOSE_DEFAULTS_KEY]: { [ADDRESS]: OFF } });
    expect((await read(ADDRESS)).requireEncryption).toBe(true);
  });

  it('an unlocked managed default may be changed by the user', async () => {
    const { area, config, read } = setup({ signByDefault: { value: true, locked: false } });
    expect((await read(ADDRESS)).signByDefault).toBe(true);
    await saveComposeDefaults(area, config, ADDRESS, OFF);
    expect((await read(ADDRESS)).signByDefault).toBe(false);
  });

  it('the status flags carry the managed values and the ignored entries for the options page', () => {
    const { config, problems, managed } = setup({ signByDefault: true, allowedContentEncryption: ['AES-128-GCM'], autoLockMinutes: 'soon' });
    expect(problems).toEqual(['autoLockMinutes: invalid value']);
    expect(managedFlags(config, managed, problems)).toEqual({
      managed: true,
      locked: { signByDefault: true, allowedContentEncryption: true },
      values: { signByDefault: true, allowedContentEncryption: ['AES-128-GCM'] },
      problems: ['autoLockMinutes: invalid value'],
    });
  });

  it('directories reach the options page by name and server only, never with their bind password', () => {
    const { config, managed } = setup({
      directories: [{ name: 'Partner', url: 'ldap://ldap.partner.example:389/dc=partner,dc=example??one', bindDn: 'cn=waxseal,dc=partner,dc=example', bindPassword: 'read-only-directory-password' }],
      harvestCertificates: false,
      trustAnchors: ['MIIB'],
    });
    const flags = managedFlags(config, managed);
    expect(flags.values).toEqual({ harvestCertificates: false, directories: [{ name: 'Partner', server: 'ldap://ldap.partner.example:389/dc=partner,dc=example' }], trustAnchorCount: 1 });
    expect(JSON.stringify(flags)).not.toContain('read-only-directory-password');
  });
});
