/**
 * An in-memory stand-in for the background's key requests, with the same error codes the key store
 * and the PKCS#12 importer give (wrong .p12 password, unsupported .p12, wrong passphrase, weak
 * passphrase). It records every call so tests can check what the page sent.
 */
import type { ComposeDefaults } from '../../../src/shared/compose-protocol.js';
import type { IdentitySummary, KeystoreStatus, ManagedSettingName, ManagedValues, PersonCertificateSummary, TrustAnchorSummary } from '../../../src/shared/keys-protocol.js';
import type { RequestName, Requests } from '../../../src/shared/protocol.js';
import { RpcCallError, type Call } from '../../../src/shared/rpc.js';
import type { AccountAddress, BundledRoot, OptionsPlatform } from '../../../src/options/platform.js';

/** The corpus's recommended verification time; never the wall clock. */
export const NOW = Date.parse('2026-06-01T00:00:00Z');
const DAY = 86_400_000;

export const P12_GOOD = new Uint8Array([0x30, 0x82, 0x01]);
export const P12_UNSUPPORTED = new Uint8Array([0x30, 0x82, 0x02]);
export const P12_PASSWORD = 'p12-secret';
export const STRONG = 'correct horse battery staple';

export function identity(over: Partial<IdentitySummary> & { id: string }): IdentitySummary {
  return {
    addresses: ['alice@example.com'],
    fingerprintSha256: 'ab'.repeat(32),
    subject: 'CN=Alice Example, O=Example',
    issuer: 'CN=Example Mail CA, O=Example',
    serialNumberHex: '01',
    notBefore: new Date(NOW - 100 * DAY).toISOString(),
    notAfter: new Date(NOW + 300 * DAY).toISOString(),
    friendlyName: null,
    importedAt: new Date(NOW - 10 * DAY).toISOString(),
    usableForSigning: true,
    usableForEncryption: true,
    currentSigningFor: ['alice@example.com'],
    currentEncryptionFor: ['alice@example.com'],
    der: 'MA==',
    ...over,
  };
}

export function person(over: Partial<PersonCertificateSummary> & { id: string; address: string }): PersonCertificateSummary {
  return {
    fingerprintSha256: over.id.padEnd(64, '0'),
    subject: `CN=${over.address.split('@')[0]}`,
    issuer: 'CN=Example Mail CA',
    notBefore: new Date(NOW - 200 * DAY).toISOString(),
    notAfter: new Date(NOW + 200 * DAY).toISOString(),
    role: 'both',
    firstSeen: new Date(NOW - 50 * DAY).toISOString(),
    lastSeen: new Date(NOW - 5 * DAY).toISOString(),
    provenance: [{ source: 'harvested', sender: over.address, date: '2026-05-01T10:00:00Z', messageId: '<m@example.com>' }],
    pinned: false,
    state: 'active',
    supersededByDirectory: null,
    der: 'MA==',
    ...over,
  };
}

export interface FakeState {
  passphrase: string | null;
  locked: boolean;
  autoLockMinutes: number | null;
  identities: IdentitySummary[];
  people: PersonCertificateSummary[];
  anchors: TrustAnchorSummary[];
  /** What importing P12_GOOD adds. */
  p12Identities: IdentitySummary[];
  failStatus?: boolean;
  /** Issuer DNs the imported file's chain lacks (see ImportResult.missingIssuers). */
  missingIssuers?: string[];
  /** Managed configuration (#9): settings the administrator locked. */
  lockedSettings?: ManagedSettingName[];
  /** Managed configuration (#9): the values the administrator set, and the entries Waxseal ignored. */
  managedValues?: ManagedValues;
  policyProblems?: string[];
  /** Managed configuration (#9): an identity the organisation prepared; its file is P12_GOOD. */
  provisioned?: { offerId: string; label: string } | null;
}

export interface Fake {
  call: Call;
  calls: { name: RequestName; req: unknown }[];
  state: FakeState;
  platform: OptionsPlatform & { downloads: { bytes: Uint8Array; fileName: string; type: string }[]; saved: Record<string, ComposeDefaults> };
}

function fail(code: string): never {
  throw new RpcCallError({ code: code as never, message: code });
}

export function createFake(initial: Partial<FakeState> = {}, extra: { accounts?: AccountAddress[]; roots?: BundledRoot[] } = {}): Fake {
  const state: FakeState = {
    passphrase: null,
    locked: true,
    autoLockMinutes: 15,
    identities: [],
    people: [],
    anchors: [],
    p12Identities: [identity({ id: 'new-1' })],
    ...initial,
  };
  const calls: Fake['calls'] = [];
  const status = (): KeystoreStatus => ({
    initialised: state.passphrase !== null,
    locked: state.locked,
    autoLockMinutes: state.autoLockMinutes,
    unlockedUntil: state.locked || state.autoLockMinutes === null ? null : new Date(NOW + state.autoLockMinutes * 60_000).toISOString(),
    identityCount: state.identities.length,
    organisation: {
      managed: (state.lockedSettings ?? []).length > 0 || state.managedValues !== undefined || (state.policyProblems ?? []).length > 0,
      locked: Object.fromEntries((state.lockedSettings ?? []).map((name) => [name, true])),
      values: { ...state.managedValues },
      problems: [...(state.policyProblems ?? [])],
    },
  });
  const requirePassphrase = (given: string) => {
    if (state.passphrase === null) fail('KEYSTORE_NOT_INITIALISED');
    if (given !== state.passphrase) fail('KEYSTORE_WRONG_PASSPHRASE');
  };
  const strength = (p: string) => {
    const reasons: ('too-short' | 'low-entropy')[] = [];
    if (p.length < 12) reasons.push('too-short');
    if (new Set(p).size < 6) reasons.push('low-entropy');
    return { ok: reasons.length === 0, reasons, estimatedBits: Math.min(p.length * 4, 120) };
  };

  const handlers: { [K in RequestName]?: (req: Requests[K]['req']) => Promise<Requests[K]['res']> } = {
    ping: async () => ({ version: '0.1.0' }),
    keystoreStatus: async () => {
      if (state.failStatus) fail('INTERNAL_ERROR');
      return status();
    },
    listIdentities: async () => state.identities.map((i) => ({ ...i })),
    listPeopleCertificates: async () => state.people.map((p) => ({ ...p })),
    listTrustAnchors: async () => state.anchors.map((a) => ({ ...a })),
    checkPassphraseStrength: async ({ passphrase }) => strength(passphrase),
    async importPkcs12({ p12, p12Password, passphrase }) {
      if (p12.length === P12_UNSUPPORTED.length && p12.every((b, i) => b === P12_UNSUPPORTED[i])) fail('PKCS12_UNSUPPORTED_ALGORITHM');
      if (!(p12.length === P12_GOOD.length && p12.every((b, i) => b === P12_GOOD[i]))) fail('PKCS12_DAMAGED');
      if (p12Password !== P12_PASSWORD) fail('PKCS12_WRONG_PASSWORD');
      if (state.passphrase === null) {
        if (!strength(passphrase).ok) fail('KEYSTORE_WEAK_PASSPHRASE');
        state.passphrase = passphrase;
      } else requirePassphrase(passphrase);
      state.locked = false;
      state.identities.push(...state.p12Identities);
      return { imported: state.p12Identities, status: status(), missingIssuers: state.missingIssuers ?? [] };
    },
    async exportPkcs12({ id, passphrase, exportPassword }) {
      requirePassphrase(passphrase);
      if (!strength(exportPassword).ok) fail('KEYSTORE_WEAK_PASSPHRASE');
      if (!state.identities.some((i) => i.id === id)) fail('KEYSTORE_NOT_FOUND');
      return { p12: new Uint8Array([0x30, 0x01, 0x02]), fileName: `${id}.p12` };
    },
    async previewDeleteIdentity({ id }) {
      const target = state.identities.find((i) => i.id === id) ?? fail('KEYSTORE_NOT_FOUND');
      return { id, fingerprintSha256: target.fingerprintSha256, addresses: target.addresses, encryptedMailBecomesUnreadable: true, addressesWithoutSigningIdentity: target.currentSigningFor };
    },
    async deleteIdentity({ id }) {
      const summary = await handlers.previewDeleteIdentity!({ id });
      state.identities = state.identities.filter((i) => i.id !== id);
      return summary;
    },
    async unlock({ passphrase }) {
      requirePassphrase(passphrase);
      state.locked = false;
      return { status: status(), damaged: [], unsupported: [] };
    },
    async lock() {
      state.locked = true;
      return status();
    },
    async changePassphrase({ currentPassphrase, newPassphrase }) {
      requirePassphrase(currentPassphrase);
      if (!strength(newPassphrase).ok) fail('KEYSTORE_WEAK_PASSPHRASE');
      state.passphrase = newPassphrase;
      return status();
    },
    async setAutoLock({ minutes }) {
      if (state.lockedSettings?.includes('autoLockMinutes')) fail('SETTING_LOCKED');
      state.autoLockMinutes = minutes;
      return status();
    },
    async setComposeDefaults({ address, defaults }) {
      const keys = ['signByDefault', 'encryptWhenPossible', 'requireEncryption'] as const;
      if (keys.some((k) => state.lockedSettings?.includes(k) && defaults[k] !== state.managedValues?.[k])) fail('SETTING_LOCKED');
      saved[address] = { ...defaults };
      return {};
    },
    async setCurrentIdentity({ address, purpose, id }) {
      for (const i of state.identities) {
        const list = purpose === 'signing' ? i.currentSigningFor : i.currentEncryptionFor;
        const without = list.filter((a) => a !== address);
        const next = i.id === id ? [...without, address] : without;
        if (purpose === 'signing') i.currentSigningFor = next;
        else i.currentEncryptionFor = next;
      }
      return state.identities;
    },
    async importPersonCertificates({ certificates, address }) {
      if (certificates.length === 0 || certificates[0] !== 0x30) fail('MALFORMED_CERTIFICATE');
      const added = person({ id: `imp${state.people.length}`, address: address ?? 'carol@example.org', provenance: [{ source: 'imported', date: new Date(NOW).toISOString(), fileName: 'carol.pem' }] });
      state.people.push(added);
      return [added];
    },
    async removePersonCertificate({ id }) {
      const before = state.people.length;
      state.people = state.people.filter((p) => p.id !== id);
      return { removed: state.people.length < before };
    },
    async addTrustAnchor({ purposes }) {
      const anchor: TrustAnchorSummary = { fingerprintSha256: 'cd'.repeat(32), subject: 'CN=Example Org Root', addedBy: 'user', purposes, addedAt: new Date(NOW).toISOString() };
      state.anchors.push(anchor);
      return anchor;
    },
    async removeTrustAnchor({ fingerprintSha256 }) {
      const target = state.anchors.find((a) => a.fingerprintSha256 === fingerprintSha256);
      if (target?.addedBy !== 'user') return { removed: false };
      state.anchors = state.anchors.filter((a) => a !== target);
      return { removed: true };
    },
    getProvisionedIdentity: async () => (state.provisioned ? { ...state.provisioned } : null),
    async importProvisionedIdentity({ offerId, p12Password, passphrase }) {
      if (state.provisioned?.offerId !== offerId) fail('MANAGED_CONFIG_INVALID');
      const result = await handlers.importPkcs12!({ p12: P12_GOOD, p12Password, passphrase });
      state.provisioned = null;
      return result;
    },
  };

  const call = (async (name: RequestName, req: unknown) => {
    calls.push({ name, req });
    const handler = handlers[name] as ((req: unknown) => Promise<unknown>) | undefined;
    if (!handler) fail('UNKNOWN_REQUEST');
    return handler(req);
  }) as Call;

  const saved: Record<string, ComposeDefaults> = {};
  const downloads: Fake['platform']['downloads'] = [];
  const platform: Fake['platform'] = {
    saved,
    downloads,
    listAccountAddresses: async () => extra.accounts ?? [{ address: 'alice@example.com', accountName: 'Alice at Example' }],
    getComposeDefaults: async () => ({ ...saved }),
    bundledRoots: async () => extra.roots ?? [{ label: 'ACCVRAIZ1', der: 'MAA=' }, { label: 'Certum Trusted Network CA', der: 'MAE=' }, { label: 'D-TRUST Root Class 3 CA 2 2009', der: 'MAI=' }],
    download: (bytes, fileName, type) => {
      downloads.push({ bytes, fileName, type });
    },
    now: () => NOW,
  };
  return { call, calls, state, platform };
}
