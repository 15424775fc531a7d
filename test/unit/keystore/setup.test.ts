import { describe, expect, it } from 'vitest';
import { IDBFactory } from 'fake-indexeddb';
import { createKeystoreBackground } from '../../../src/background/keystore/setup.js';
import { keyRequestAccess } from '../../../src/shared/keys-protocol.js';
import { ForbiddenSenderError } from '../../../src/background/handlers/keys.js';
import { EXTENSION_ID, EXTENSION_URL, OPTIONS, recordingArea } from './handler-rig.js';
import { crypto, manualClock } from './rig.js';

describe('key store assembly for the background page', () => {
  it('handlers exist for every request before the database opens, and answer once it has', async () => {
    const area = recordingArea();
    area.data.set('settings', { version: 2, autoLock: { mode: 'idle', minutes: 45 }, harvestCertificates: true });
    const background = createKeystoreBackground({ factory: new IDBFactory(), settingsArea: area, crypto, extensionId: EXTENSION_ID, extensionUrl: EXTENSION_URL, clock: manualClock() });
    expect(Object.keys(background.handlers).sort()).toEqual(Object.keys(keyRequestAccess).sort());
    expect(background.session.isUnlocked()).toBe(false);
    expect(await background.handlers.keystoreStatus({}, OPTIONS)).toEqual({ initialised: false, locked: true, autoLockMinutes: 45, unlockedUntil: null, identityCount: 0 });
    await expect(background.handlers.unlock({ passphrase: 'x' }, { id: 'other', url: OPTIONS.url })).rejects.toBeInstanceOf(ForbiddenSenderError);
    const parts = await background.ready;
    expect(parts.db.name).toBe('waxseal-keystore');
  });
});
