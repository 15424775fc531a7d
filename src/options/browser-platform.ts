/** The options page's platform in Thunderbird: `messenger.accounts`, `storage.local`, blob downloads. */
import browser from 'webextension-polyfill';
import mozillaEmailRoots from '../crypto/trust/mozilla-email-roots.json';
import { COMPOSE_DEFAULTS_KEY, normaliseDefaults, type AccountAddress, type OptionsPlatform } from './platform.js';

interface MailIdentity {
  email?: string;
}
interface MailAccount {
  name?: string;
  identities?: MailIdentity[];
}
declare const messenger: { accounts: { list(includeFolders?: boolean): Promise<MailAccount[]> } };

async function readAll(): Promise<Record<string, unknown>> {
  const stored = (await browser.storage.local.get(COMPOSE_DEFAULTS_KEY))[COMPOSE_DEFAULTS_KEY];
  return typeof stored === 'object' && stored !== null ? { ...(stored as Record<string, unknown>) } : {};
}

export const browserPlatform: OptionsPlatform = {
  async listAccountAddresses() {
    const accounts = await messenger.accounts.list(false);
    const result: AccountAddress[] = [];
    for (const account of accounts) {
      for (const identity of account.identities ?? []) {
        if (identity.email) result.push({ address: identity.email.trim().toLowerCase(), accountName: account.name ?? '' });
      }
    }
    return result;
  },
  async getComposeDefaults() {
    const all = await readAll();
    return Object.fromEntries(Object.entries(all).map(([address, value]) => [address, normaliseDefaults(value)]));
  },
  async bundledRoots() {
    return mozillaEmailRoots.roots.map((root) => ({ label: root.label, der: root.der }));
  },
  download(bytes, fileName, type) {
    const url = URL.createObjectURL(new Blob([bytes.slice()], { type }));
    const link = document.createElement('a');
    link.href = url;
    link.download = fileName;
    link.click();
    // Revoke after the click has started the download; the bytes are not kept anywhere else.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  },
  now: () => Date.now(),
};
