/**
 * Handlers for the key-management requests of src/shared/keys-protocol.ts (issue #5 item 7).
 *
 * Every handler first checks its sender (SEC-44c), even though the router checks too: these are the
 * requests that can use or export keys. Private key bytes stay inside this module's calls and the key
 * store, and are zeroed after use; responses carry only public data (SEC-40b).
 */
import {
  DEFAULT_PKCS12_EXPORT_POLICY,
  SmimeError,
  exportPkcs12 as engineExportPkcs12,
  importPkcs12 as engineImportPkcs12,
  requireIdentities,
  type KeystorePolicy,
} from '../../crypto/index.js';
import {
  assessCertificateForEncryption,
  assessCertificateForSigning,
  basicConstraints,
  certificateMatchesAddress,
  describeCertificate,
  parseCertificates,
} from '../../crypto/cert/index.js';
import type { PeopleCertificates, PersonCertificateInput } from '../keystore/people.js';
import type { TrustAnchors } from '../keystore/anchors.js';
import type { IdentityImport, IdentityInfo, Keystore } from '../keystore/keystore.js';
import { assessPassphrase, requireStrongPassphrase } from '../keystore/passphrase.js';
import type { PersonCertificateRecord, TrustAnchorRecord } from '../keystore/records.js';
import type { Clock, KeySession } from '../keystore/session.js';
import type { SettingsStore } from '../keystore/settings.js';
import type { ManagedConfigResult } from '../policy/managed-config.js';
import { managedFlags, saveComposeDefaults } from '../policy/managed-defaults.js';
import { bundledEmailAnchors, missingIssuer, parseAnchors } from '../keystore/missing-issuers.js';
import { pendingProvisionedIdentity, settleProvisionedIdentity } from '../policy/provisioned-identity.js';
import type { SettingsArea } from '../keystore/settings.js';
import { keyRequestAccess, type KeyRequestName, type KeyRequests, type KeystoreStatus, type PersonCertificateSummary, type TrustAnchorSummary } from '../../shared/keys-protocol.js';
import { isAllowedSender, type RpcSender } from '../../shared/rpc.js';

export type KeyHandlers = {
  [K in KeyRequestName]: (req: KeyRequests[K]['req'], sender: RpcSender) => Promise<KeyRequests[K]['res']>;
};

export interface KeyHandlerDeps {
  keystore: Keystore;
  people: PeopleCertificates;
  anchors: TrustAnchors;
  session: KeySession;
  settings: SettingsStore;
  crypto: Crypto;
  clock: Clock;
  policy: KeystorePolicy;
  /** `runtime.id` and `runtime.getURL('/')`, for the sender check. */
  extensionId: string;
  extensionUrl: string;
  /** PKCS#12 functions; the engine's by default (tests may lower the export iterations). */
  importPkcs12?: typeof engineImportPkcs12;
  exportPkcs12?: typeof engineExportPkcs12;
  exportIterations?: number;
  /** The administrator's configuration (#9), for the `managed`/`locked` flags of the status. */
  managed?: () => Promise<ManagedConfigResult>;
  /** Where provisioned-identity offers are remembered, and how a `url` one is fetched (#9). */
  provisioned?: { area: SettingsArea; fetchBytes(url: string, maxBytes: number): Promise<Uint8Array> };
  /** Where per-address compose defaults live (`storage.local`, read by the send path). */
  composeDefaultsArea?: SettingsArea;
}

/** A request from a sender that may not make it (SEC-44c). */
export class ForbiddenSenderError extends Error {
  override readonly name = 'ForbiddenSenderError';
  readonly code = 'FORBIDDEN_SENDER';
}

/**
 * SEC-44c: key-management requests only from our own extension and, for all but status and lock,
 * only from the options page (`sender.url` under `<extension URL>options/`).
 */
export function isKeyManagementSender(name: KeyRequestName, sender: RpcSender, ids: { extensionId: string; extensionUrl: string }): boolean {
  return isAllowedSender(keyRequestAccess[name], sender, ids);
}

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function identitySummary(info: IdentityInfo): KeyRequests['listIdentities']['res'][number] {
  return {
    id: info.id,
    addresses: info.addresses,
    fingerprintSha256: info.fingerprintSha256,
    subject: info.subject,
    issuer: info.issuer,
    serialNumberHex: info.serialNumberHex,
    notBefore: info.notBefore,
    notAfter: info.notAfter,
    friendlyName: info.friendlyName,
    importedAt: info.importedAt,
    usableForSigning: info.usableForSigning,
    usableForEncryption: info.usableForEncryption,
    currentSigningFor: info.currentSigningFor,
    currentEncryptionFor: info.currentEncryptionFor,
    der: base64(info.certificate),
  };
}

function personSummary(record: PersonCertificateRecord): PersonCertificateSummary {
  return {
    id: record.id,
    address: record.address,
    fingerprintSha256: record.fingerprintSha256,
    subject: record.subject,
    issuer: record.issuer,
    notBefore: record.notBefore,
    notAfter: record.notAfter,
    role: record.role,
    firstSeen: record.firstSeen,
    lastSeen: record.lastSeen,
    provenance: record.provenance.map((p) => ({ ...p })),
    pinned: record.pinned,
    state: record.state,
    supersededByDirectory: record.supersededByDirectory?.fingerprintSha256 ?? null,
    der: base64(record.certificate),
  };
}

function anchorSummary(record: TrustAnchorRecord): TrustAnchorSummary {
  return { fingerprintSha256: record.fingerprintSha256, subject: record.subject, addedBy: record.addedBy, purposes: [...record.purposes], addedAt: record.addedAt };
}

function exportFileName(info: IdentityInfo | undefined): string {
  const base = (info?.friendlyName || info?.addresses[0] || 'waxseal-key').replace(/[^A-Za-z0-9@._-]+/g, '_').slice(0, 80);
  return `${base}.p12`;
}

export function createKeyHandlers(deps: KeyHandlerDeps): KeyHandlers {
  const { keystore, people, anchors, session, settings, crypto, clock } = deps;
  const importP12 = deps.importPkcs12 ?? engineImportPkcs12;
  const exportP12 = deps.exportPkcs12 ?? engineExportPkcs12;
  const nowIso = () => new Date(clock.now()).toISOString();

  async function status(): Promise<KeystoreStatus> {
    const managed = deps.managed ? await deps.managed() : null;
    return {
      initialised: await keystore.isInitialised(),
      locked: !session.isUnlocked(),
      autoLockMinutes: session.autoLockMinutes(),
      unlockedUntil: session.unlockedUntil(),
      identityCount: (await keystore.listIdentities()).length,
      ...(managed ? { organisation: managedFlags(managed.config, managed.managed, managed.problems) } : {}),
    };
  }

  async function pendingOffer() {
    if (!deps.managed || !deps.provisioned) return null;
    const identity = (await deps.managed()).config.provisionedIdentity;
    return pendingProvisionedIdentity(identity, { ...deps.provisioned, crypto });
  }

  /** The pending offer with this id, or SmimeError `MANAGED_CONFIG_INVALID` (the policy changed or it was handled). */
  async function requireOffer(offerId: string) {
    const offer = await pendingOffer();
    if (!offer || offer.offerId !== offerId) throw new SmimeError('MANAGED_CONFIG_INVALID', 'this provisioned identity is no longer offered');
    return offer;
  }

  /** Issuer DNs the imported chains cannot reach (see `ImportResult.missingIssuers`). */
  async function missingIssuers(items: IdentityImport[]): Promise<string[]> {
    const organisation = deps.managed ? (await deps.managed()).config.trustAnchors : [];
    const anchorCertificates = [...bundledEmailAnchors(), ...parseAnchors([...(await anchors.list()).map((a) => a.certificate), ...organisation])];
    const missing = new Set<string>();
    for (const item of items) {
      const dn = missingIssuer(parseCertificates(item.certificate)[0], parseAnchors(item.chain), anchorCertificates);
      if (dn !== null) missing.add(dn);
    }
    return [...missing];
  }

  async function listIdentities() {
    return (await keystore.listIdentities()).map(identitySummary);
  }

  const handlers: KeyHandlers = {
    keystoreStatus: () => status(),
    listIdentities: () => listIdentities(),

    async importPkcs12(req) {
      const contents = await importP12(req.p12, req.p12Password, { crypto });
      const found = requireIdentities(contents);
      const secrets: Uint8Array[] = [...contents.keys.map((k) => k.pkcs8), ...found.map((i) => i.pkcs8)];
      try {
        const items: IdentityImport[] = [];
        for (const identity of found) {
          const certificate = new Uint8Array(identity.certificate);
          const summary = await describeCertificate(certificate, crypto);
          const usableForSigning = assessCertificateForSigning(certificate).usable;
          const usableForEncryption = assessCertificateForEncryption(certificate).usable;
          if (!usableForSigning && !usableForEncryption) {
            throw new SmimeError('PKCS12_CERT_NOT_FOR_EMAIL', 'the certificate in the file cannot sign or receive e-mail', { detail: { fingerprintSha256: summary.fingerprintSha256 } });
          }
          const pkcs8 = new Uint8Array(identity.pkcs8);
          secrets.push(pkcs8);
          items.push({
            pkcs8,
            certificate,
            chain: identity.chain.map((der) => new Uint8Array(der)),
            friendlyName: identity.friendlyName ?? null,
            emailAddresses: summary.emailAddresses,
            subject: summary.subject,
            issuer: summary.issuer,
            serialNumberHex: summary.serialNumberHex,
            notBefore: summary.notBefore,
            notAfter: summary.notAfter,
            usableForSigning,
            usableForEncryption,
          });
        }
        const imported = await keystore.importIdentities(items, req.passphrase);
        return { imported: imported.map(identitySummary), status: await status(), missingIssuers: await missingIssuers(items) };
      } finally {
        for (const secret of secrets) secret.fill(0);
      }
    },

    async exportPkcs12(req) {
      requireStrongPassphrase(req.exportPassword, deps.policy);
      const material = await keystore.unwrapForExport(req.id, req.passphrase);
      try {
        const p12 = await exportP12(
          { pkcs8: material.pkcs8, certificate: material.certificate, chain: material.chain, friendlyName: material.friendlyName ?? undefined },
          req.exportPassword,
          { crypto, iterations: deps.exportIterations ?? DEFAULT_PKCS12_EXPORT_POLICY.pbkdf2Iterations, macIterations: deps.exportIterations ?? DEFAULT_PKCS12_EXPORT_POLICY.macIterations },
        );
        const info = (await keystore.listIdentities()).find((i) => i.id === req.id);
        return { p12, fileName: exportFileName(info) };
      } finally {
        material.pkcs8.fill(0);
      }
    },

    previewDeleteIdentity: (req) => keystore.previewDelete(req.id),
    deleteIdentity: (req) => keystore.deleteIdentity(req.id),

    async unlock(req) {
      const outcome = await keystore.unlock(req.passphrase);
      return { status: await status(), damaged: outcome.damaged, unsupported: outcome.unsupported };
    },

    async lock() {
      session.lock();
      return status();
    },

    async changePassphrase(req) {
      await keystore.changePassphrase(req.currentPassphrase, req.newPassphrase);
      return status();
    },

    async checkPassphraseStrength(req) {
      return assessPassphrase(req.passphrase, deps.policy);
    },

    async setAutoLock(req) {
      const saved = await settings.update({ autoLock: req.minutes === null ? { mode: 'until-close' } : { mode: 'idle', minutes: req.minutes } });
      session.setAutoLock(saved.autoLock.mode === 'until-close' ? null : saved.autoLock.minutes);
      return status();
    },

    async setComposeDefaults(req) {
      // #9: a setting the organisation locked cannot be changed here either (the page shows it disabled).
      const config = deps.managed ? (await deps.managed()).config : null;
      if (!deps.composeDefaultsArea) throw new Error('compose defaults cannot be stored here');
      await saveComposeDefaults(deps.composeDefaultsArea, config, req.address, req.defaults);
      return {};
    },

    async setCurrentIdentity(req) {
      await keystore.setCurrent(req.address, req.purpose, req.id);
      return listIdentities();
    },

    async listPeopleCertificates(req) {
      return (await people.list(req.address)).map(personSummary);
    },

    async importPersonCertificates(req) {
      const certificates = parseCertificates(req.certificates);
      const entries: PersonCertificateInput[] = [];
      for (const certificate of certificates) {
        const summary = await describeCertificate(certificate, crypto);
        const canEncrypt = assessCertificateForEncryption(certificate).usable;
        const canSign = assessCertificateForSigning(certificate).usable;
        if (!canEncrypt && !canSign) throw new SmimeError('CERTIFICATE_NOT_USABLE', `${summary.subject} is not an e-mail certificate`, { detail: { fingerprintSha256: summary.fingerprintSha256 } });
        let addresses = summary.emailAddresses.map((a) => a.toLowerCase());
        if (req.address !== undefined) {
          if (!certificateMatchesAddress(certificate, req.address).matches) {
            throw new SmimeError('CERTIFICATE_NOT_USABLE', `${summary.subject} is not issued to ${req.address}`, { detail: { fingerprintSha256: summary.fingerprintSha256 } });
          }
          addresses = [req.address.trim().toLowerCase()];
        }
        if (addresses.length === 0) throw new SmimeError('CERTIFICATE_NOT_USABLE', `${summary.subject} names no e-mail address`);
        for (const address of addresses) {
          entries.push({
            address,
            fingerprintSha256: summary.fingerprintSha256,
            certificate: new Uint8Array(certificate.der),
            subject: summary.subject,
            issuer: summary.issuer,
            notBefore: summary.notBefore,
            notAfter: summary.notAfter,
            role: canEncrypt && canSign ? 'both' : canEncrypt ? 'encryption' : 'signing',
            state: 'active',
          });
        }
      }
      const stored = await people.add(entries, { source: 'imported', date: nowIso(), fileName: req.fileName ?? null }, req.pin ?? true);
      return stored.map(personSummary);
    },

    async setPersonCertificatePinned(req) {
      return personSummary(await people.setPinned(req.id, req.pinned));
    },

    async removePersonCertificate(req) {
      return { removed: await people.remove(req.id) };
    },

    async listTrustAnchors() {
      return (await anchors.list()).map(anchorSummary);
    },

    async addTrustAnchor(req) {
      const certificates = parseCertificates(req.certificate);
      if (certificates.length !== 1) throw new SmimeError('CERTIFICATE_NOT_USABLE', `expected one certificate, got ${certificates.length}`);
      const [certificate] = certificates;
      if (basicConstraints(certificate)?.ca !== true) throw new SmimeError('CERTIFICATE_NOT_USABLE', 'a trust anchor must be a CA certificate');
      const summary = await describeCertificate(certificate, crypto);
      const record = await anchors.add({
        fingerprintSha256: summary.fingerprintSha256,
        certificate: new Uint8Array(certificate.der),
        subject: summary.subject,
        addedBy: 'user',
        purposes: req.purposes,
        addedAt: nowIso(),
      });
      return anchorSummary(record);
    },

    async removeTrustAnchor(req) {
      return { removed: await anchors.remove(req.fingerprintSha256) };
    },

    async getProvisionedIdentity() {
      const offer = await pendingOffer();
      return offer ? { offerId: offer.offerId, label: offer.label } : null;
    },

    async importProvisionedIdentity(req, sender) {
      const offer = await requireOffer(req.offerId);
      // The same checks and storage as a file the user picked; only the bytes come from the policy.
      const result = await handlers.importPkcs12({ p12: offer.p12, p12Password: req.p12Password, passphrase: req.passphrase }, sender);
      await settleProvisionedIdentity(deps.provisioned!.area, offer.offerId, 'imported');
      return result;
    },

    async declineProvisionedIdentity(req) {
      const offer = await requireOffer(req.offerId);
      await settleProvisionedIdentity(deps.provisioned!.area, offer.offerId, 'declined');
      return { declined: true };
    },
  };

  const guarded = {} as Record<KeyRequestName, (req: unknown, sender: RpcSender) => Promise<unknown>>;
  for (const name of Object.keys(handlers) as KeyRequestName[]) {
    const handler = handlers[name] as (req: unknown, sender: RpcSender) => Promise<unknown>;
    guarded[name] = (req, sender) => {
      if (!isKeyManagementSender(name, sender, deps)) return Promise.reject(new ForbiddenSenderError(`${name} is not accepted from this sender`));
      return handler(req, sender);
    };
  }
  return guarded as KeyHandlers;
}

/** Applies stored settings to a fresh session (on background start). */
export async function applyKeySettings(settings: SettingsStore, session: KeySession): Promise<void> {
  const loaded = await settings.load();
  session.setAutoLock(loaded.autoLock.mode === 'until-close' ? null : loaded.autoLock.minutes);
}
