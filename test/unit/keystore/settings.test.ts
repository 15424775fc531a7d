import { describe, expect, it } from 'vitest';
import { DEFAULT_KEYSTORE_POLICY } from '../../../src/crypto/index.js';
import { defaultSettings, SETTINGS_VERSION, SettingsStore } from '../../../src/background/keystore/settings.js';
import { recordingArea } from './handler-rig.js';

describe('settings', () => {
  it('defaults when nothing is stored, without writing', async () => {
    const area = recordingArea();
    expect(await new SettingsStore(area).load()).toEqual({ version: 2, autoLock: { mode: 'idle', minutes: 15 }, harvestCertificates: true });
    expect(area.writes).toEqual([]);
  });

  it('migrates every older version, writing the result back once', async () => {
    expect(SETTINGS_VERSION).toBe(2);
    for (const [v1, expected] of [
      [{ version: 1, autoLockMinutes: 30 }, { mode: 'idle', minutes: 30 }],
      [{ version: 1, autoLockMinutes: 0 }, { mode: 'until-close' }],
      [{ autoLockMinutes: 500 }, { mode: 'idle', minutes: 240 }],
    ] as const) {
      const area = recordingArea();
      area.data.set('settings', v1);
      const store = new SettingsStore(area);
      expect((await store.load()).autoLock).toEqual(expected);
      expect(area.writes).toHaveLength(1);
      await store.load();
      expect(area.writes).toHaveLength(1);
    }
  });

  it('clamps and repairs damaged values instead of failing', async () => {
    const area = recordingArea();
    area.data.set('settings', { version: 2, autoLock: { mode: 'idle', minutes: 'soon' }, harvestCertificates: 'yes' });
    expect(await new SettingsStore(area).load()).toEqual(defaultSettings(DEFAULT_KEYSTORE_POLICY));
    const store = new SettingsStore(area);
    expect((await store.update({ autoLock: { mode: 'idle', minutes: 0 } })).autoLock).toEqual({ mode: 'idle', minutes: 1 });
  });

  it('a newer version is read as far as understood, not downgraded', async () => {
    const area = recordingArea();
    area.data.set('settings', { version: 9, autoLock: { mode: 'until-close' }, harvestCertificates: false, future: 1 });
    expect(await new SettingsStore(area).load()).toEqual({ version: 2, autoLock: { mode: 'until-close' }, harvestCertificates: false });
    expect(area.writes).toEqual([]);
  });
});
