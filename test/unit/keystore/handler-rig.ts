/** Key-management handlers over a fake IndexedDB and a fake storage.local (TEST KEYS — NOT SECRET). */
import { exportPkcs12 } from '../../../src/crypto/index.js';
import { createKeyHandlers, type KeyHandlerDeps, type KeyHandlers } from '../../../src/background/handlers/keys.js';
import { TrustAnchors } from '../../../src/background/keystore/anchors.js';
import { PeopleCertificates } from '../../../src/background/keystore/people.js';
import { SettingsStore, type SettingsArea } from '../../../src/background/keystore/settings.js';
import type { RpcSender } from '../../../src/shared/rpc.js';
import type { TestIdentity } from '../../helpers/pki.js';
import { createRig, crypto, FAST_POLICY, type Rig } from './rig.js';

export const EXTENSION_ID = 'waxseal@example.org';
export const EXTENSION_URL = 'moz-extension://0f1e2d3c-aaaa-bbbb-cccc-000000000000/';
export const OPTIONS: RpcSender = { id: EXTENSION_ID, url: `${EXTENSION_URL}options/index.html` };
export const POPUP: RpcSender = { id: EXTENSION_ID, url: `${EXTENSION_URL}popup/index.html` };

/** A storage.local stand-in that records every write. */
export function recordingArea(): SettingsArea & { writes: Record<string, unknown>[]; data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  const writes: Record<string, unknown>[] = [];
  return {
    data,
    writes,
    async get(key) {
      return data.has(key) ? { [key]: structuredClone(data.get(key)) } : {};
    },
    async set(items) {
      writes.push(structuredClone(items));
      for (const [key, value] of Object.entries(items)) data.set(key, structuredClone(value));
    },
  };
}

export interface HandlerRig extends Rig {
  handlers: KeyHandlers;
  area: ReturnType<typeof recordingArea>;
  people: PeopleCertificates;
  anchors: TrustAnchors;
}

/** `extra` adds dependencies, e.g. a managed configuration (#9). */
export async function createHandlerRig(extra: Partial<KeyHandlerDeps> = {}): Promise<HandlerRig> {
  const rig = await createRig();
  const area = recordingArea();
  const people = new PeopleCertificates(rig.db, rig.clock);
  const anchors = new TrustAnchors(rig.db);
  const handlers = createKeyHandlers({
    keystore: rig.keystore, people, anchors, session: rig.session, settings: new SettingsStore(area, FAST_POLICY),
    crypto, clock: rig.clock, policy: FAST_POLICY, extensionId: EXTENSION_ID, extensionUrl: EXTENSION_URL, exportIterations: 2048,
    ...extra,
  });
  return { ...rig, handlers, area, people, anchors };
}

/** A PKCS#12 of a test identity, written by the engine's exporter with few iterations (fast tests). */
export function p12Of(identity: TestIdentity, password: string, chain: TestIdentity[] = []): Promise<Uint8Array> {
  return exportPkcs12({ pkcs8: identity.pkcs8, certificate: identity.certificate, chain: chain.map((c) => c.certificate), friendlyName: identity.label }, password, { crypto, iterations: 2048, macIterations: 2048 });
}
