/**
 * SEC-39f: nothing key-related in storage.local/sync/session or in logs. The key store code never
 * touches extension storage or the console; settings, the one thing it writes to storage.local, are
 * checked after a full run of every key operation.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createTestPki } from '../helpers/pki.js';
import { createHandlerRig, OPTIONS, p12Of } from '../unit/keystore/handler-rig.js';
import { crypto, OTHER_PASSPHRASE, PASSPHRASE } from '../unit/keystore/rig.js';

const pki = await createTestPki(crypto);
const root = join(import.meta.dirname, '..', '..');
const keyFiles = [
  ...readdirSync(join(root, 'src/background/keystore')).map((f) => join('src/background/keystore', f)),
  'src/background/handlers/keys.ts',
  'src/crypto/harvest.ts',
];

describe('SEC-39f nothing key-related in extension storage or logs', () => {
  it('key store code uses no extension storage API and no console', () => {
    expect(keyFiles.length).toBeGreaterThan(8);
    for (const file of keyFiles) {
      // Code only: comments may name the APIs to explain why they are not used.
      const source = readFileSync(join(root, file), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
      expect(source, file).not.toMatch(/storage\.(local|sync|session)|\bconsole\.|localStorage|sessionStorage/);
    }
  });

  it('after import, unlock, change, export and delete, storage.local holds only settings; nothing was logged', async () => {
    const logged = [vi.spyOn(console, 'log'), vi.spyOn(console, 'error'), vi.spyOn(console, 'warn'), vi.spyOn(console, 'info'), vi.spyOn(console, 'debug')];
    const rig = await createHandlerRig();
    const alice = pki.users.alice;
    const { imported } = await rig.handlers.importPkcs12({ p12: await p12Of(alice.rsa, 'pw'), p12Password: 'pw', passphrase: PASSPHRASE }, OPTIONS);
    await rig.handlers.unlock({ passphrase: PASSPHRASE }, OPTIONS);
    await rig.handlers.setAutoLock({ minutes: 20 }, OPTIONS);
    await rig.handlers.changePassphrase({ currentPassphrase: PASSPHRASE, newPassphrase: OTHER_PASSPHRASE }, OPTIONS);
    await rig.handlers.exportPkcs12({ id: imported[0].id, passphrase: OTHER_PASSPHRASE, exportPassword: 'export password 2026' }, OPTIONS);
    await rig.handlers.unlock({ passphrase: 'wrong passphrase here' }, OPTIONS).catch(() => 'expected');
    await rig.handlers.deleteIdentity({ id: imported[0].id }, OPTIONS);

    expect(rig.area.writes.length).toBeGreaterThan(0);
    for (const write of rig.area.writes) {
      expect(Object.keys(write)).toEqual(['settings']);
      const text = JSON.stringify(write);
      expect(text).not.toContain(PASSPHRASE);
      expect(text).not.toContain(OTHER_PASSPHRASE);
      expect(text).not.toMatch(/pkcs8|kdf|salt|PRIVATE|BEGIN|"ct"/i);
      // Only what the user chose (here: the auto-lock time) and the schema version; defaults are not written.
      expect(Object.keys((write as { settings: object }).settings).sort()).toEqual(['autoLock', 'version']);
    }
    for (const spy of logged) {
      expect(spy).not.toHaveBeenCalled();
      spy.mockRestore();
    }
  });
});
