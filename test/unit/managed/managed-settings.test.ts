// Issue #9: managed auto-lock and harvesting apply in the key store's settings; locked ones cannot be changed.
import { describe, expect, it } from 'vitest';
import { SmimeError } from '../../../src/crypto/index.js';
import { createKeyHandlers } from '../../../src/background/handlers/keys.js';
import { harvestFromMessage, type HarvestMessage } from '../../../src/background/keystore/harvest-store.js';
import type { PeopleCertificates } from '../../../src/background/keystore/people.js';
import { SettingsStore } from '../../../src/background/keystore/settings.js';
import { parseManagedConfig } from '../../../src/background/policy/managed-config.js';
import { EXTENSION_ID, EXTENSION_URL, OPTIONS, recordingArea } from '../keystore/handler-rig.js';
import { createRig, crypto, FAST_POLICY } from '../keystore/rig.js';

const managedFrom = (raw: unknown) => {
  const result = parseManagedConfig(raw);
  expect(result.problems).toEqual([]);
  return async () => result.config;
};

describe('managed key-store settings', () => {
  it('a locked autoLockMinutes and harvestCertificates override what the user stored', async () => {
    const area = recordingArea();
    area.data.set('settings', { version: 2, autoLock: { mode: 'idle', minutes: 60 }, harvestCertificates: true });
    const store = new SettingsStore(area, FAST_POLICY, managedFrom({ autoLockMinutes: 5, harvestCertificates: false }));
    expect(await store.load()).toEqual({ version: 2, autoLock: { mode: 'idle', minutes: 5 }, harvestCertificates: false });
  });

  it('managed autoLockMinutes 0 means "until Thunderbird closes"', async () => {
    const store = new SettingsStore(recordingArea(), FAST_POLICY, managedFrom({ autoLockMinutes: 0 }));
    expect((await store.load()).autoLock).toEqual({ mode: 'until-close' });
  });

  it('an unlocked managed value is a default: used until the user sets their own', async () => {
    const area = recordingArea();
    const store = new SettingsStore(area, FAST_POLICY, managedFrom({ autoLockMinutes: { value: 30, locked: false } }));
    expect((await store.load()).autoLock).toEqual({ mode: 'idle', minutes: 30 });
    expect((await store.update({ autoLock: { mode: 'idle', minutes: 10 } })).autoLock).toEqual({ mode: 'idle', minutes: 10 });
    expect((await store.load()).autoLock).toEqual({ mode: 'idle', minutes: 10 });
  });

  it("changing one setting keeps an unlocked managed default for the other", async () => {
    const store = new SettingsStore(recordingArea(), FAST_POLICY, managedFrom({ autoLockMinutes: { value: 30, locked: false } }));
    await store.update({ harvestCertificates: false });
    expect(await store.load()).toEqual({ version: 2, autoLock: { mode: 'idle', minutes: 30 }, harvestCertificates: false });
  });

  it('changing a locked setting is refused with SETTING_LOCKED and nothing is stored', async () => {
    const area = recordingArea();
    const store = new SettingsStore(area, FAST_POLICY, managedFrom({ harvestCertificates: true }));
    const refused = await store.update({ harvestCertificates: false }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SmimeError);
    expect((refused as SmimeError).code).toBe('SETTING_LOCKED');
    expect(area.writes).toEqual([]);
  });

  it('SEC-45: harvesting stops when the organisation locks it off, even if the user had it on', async () => {
    const area = recordingArea();
    area.data.set('settings', { version: 2, autoLock: { mode: 'idle', minutes: 15 }, harvestCertificates: true });
    const store = new SettingsStore(area, FAST_POLICY, managedFrom({ harvestCertificates: false }));
    const untouchable = new Proxy({}, { get: () => { throw new Error('people store touched'); } }) as PeopleCertificates;
    const message = { from: 'bob@example.com', messageCertificates: [], messageId: null, seenAt: '2026-06-01T00:00:00.000Z' } as unknown as HarvestMessage;
    expect(await harvestFromMessage(untouchable, store, crypto, message)).toBeNull();
  });
});

describe('settings RPC with a managed configuration', () => {
  async function handlersWith(raw: unknown) {
    const rig = await createRig();
    const config = parseManagedConfig(raw);
    const settings = new SettingsStore(recordingArea(), FAST_POLICY, async () => config.config);
    const handlers = createKeyHandlers({
      keystore: rig.keystore, people: {} as never, anchors: {} as never, session: rig.session, settings,
      crypto, clock: rig.clock, policy: FAST_POLICY, extensionId: EXTENSION_ID, extensionUrl: EXTENSION_URL,
      managed: async () => config,
    });
    return { handlers, rig };
  }

  it('the status carries managed and per-setting locked flags', async () => {
    const { handlers } = await handlersWith({ autoLockMinutes: 5, signByDefault: { value: true, locked: false } });
    const status = await handlers.keystoreStatus({}, OPTIONS);
    expect(status.organisation).toEqual({ managed: true, locked: { autoLockMinutes: true, signByDefault: false }, values: { signByDefault: true }, problems: [] });
  });

  it('without a policy nothing is managed', async () => {
    const { handlers } = await handlersWith({});
    expect((await handlers.keystoreStatus({}, OPTIONS)).organisation).toEqual({ managed: false, locked: {}, values: {}, problems: [] });
  });

  it('setAutoLock on a locked auto-lock is refused and the session keeps the managed value', async () => {
    const { handlers, rig } = await handlersWith({ autoLockMinutes: 5 });
    rig.session.setAutoLock(5);
    const refused = await handlers.setAutoLock({ minutes: 60 }, OPTIONS).catch((e: unknown) => e);
    expect((refused as SmimeError).code).toBe('SETTING_LOCKED');
    expect(rig.session.autoLockMinutes()).toBe(5);
  });
});
