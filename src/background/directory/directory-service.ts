/**
 * Directory lookup as the background uses it (#9): LDAP address books (unless the administrator
 * turned them off) plus the policy's directories, asked through one cached `DirectoryLookup`, and
 * certificates in local contacts' vCards, which count as directory certificates.
 */
import { DEFAULT_DIRECTORY_POLICY, type DirectoryPolicy } from '../../crypto/index.js';
import type { ManagedConfig } from '../policy/managed-config.js';
import type { DirectoryServer } from './directory-config.js';
import { DirectoryLookup, type DirectoryAnswer, type LdapSearcher } from './directory-lookup.js';
import { certificatesFromEntries } from './entry-certificates.js';
import { certificatesFromVCard } from './vcard-key.js';

export const ADDRESS_BOOK_DIRECTORY_NAME = 'Address book';

export interface DirectoryServiceDeps {
  searcher: LdapSearcher;
  addressBooks(): Promise<DirectoryServer[]>;
  managed(): Promise<ManagedConfig>;
  contacts(address: string): Promise<{ vCard: string; emails: string[] }[]>;
  now(): Date;
}

export interface DirectoryService {
  /** Directory and contact certificates for `address`; never rejects. */
  lookup(address: string, options?: { refresh?: boolean }): Promise<DirectoryAnswer>;
  /** The cache lifetime in minutes (policy `directoryCacheMinutes`, default 60). */
  cacheMinutes(): Promise<number>;
  /** Forget cached answers and settings (the policy or the address books changed). */
  reset(): void;
}

function policyFrom(config: ManagedConfig): DirectoryPolicy {
  return {
    ...DEFAULT_DIRECTORY_POLICY,
    ...(config.directoryTimeoutMs !== undefined ? { timeoutMs: config.directoryTimeoutMs } : {}),
    ...(config.directoryCacheMinutes !== undefined ? { cacheMinutes: config.directoryCacheMinutes } : {}),
  };
}

async function contactCertificates(deps: DirectoryServiceDeps, address: string, policy: DirectoryPolicy): Promise<{ certificates: Uint8Array[]; intermediates: Uint8Array[] }> {
  const wanted = address.trim().toLowerCase();
  let cards: { vCard: string; emails: string[] }[];
  try {
    cards = await deps.contacts(address);
  } catch (error) {
    console.warn('Waxseal: contacts search failed', error);
    return { certificates: [], intermediates: [] };
  }
  const values = cards.filter((c) => c.emails.some((e) => e.trim().toLowerCase() === wanted)).flatMap((c) => certificatesFromVCard(c.vCard, policy));
  return certificatesFromEntries([{ dn: 'contacts', attributes: { userSMIMECertificate: values } }], { ...policy, maxValuesPerEntry: policy.maxValuesPerEntry * policy.maxEntries });
}

export function createDirectoryService(deps: DirectoryServiceDeps): DirectoryService {
  let state: Promise<{ lookup: DirectoryLookup; policy: DirectoryPolicy }> | null = null;
  const current = (): Promise<{ lookup: DirectoryLookup; policy: DirectoryPolicy }> => {
    state ??= deps.managed().then((config) => {
      const policy = policyFrom(config);
      const useBooks = config.settings.useAddressBookDirectories?.value !== false;
      const servers = async (): Promise<DirectoryServer[]> => [...(useBooks ? await deps.addressBooks() : []), ...config.directories];
      return { lookup: new DirectoryLookup({ searcher: deps.searcher, servers, now: deps.now, policy }), policy };
    });
    return state;
  };
  const lookup = async (address: string, options: { refresh?: boolean } = {}): Promise<DirectoryAnswer> => {
    const { lookup: ldap, policy } = await current();
    const [answer, contacts] = await Promise.all([ldap.lookup(address, options), contactCertificates(deps, address, policy)]);
    if (contacts.certificates.length === 0 && contacts.intermediates.length === 0) return answer;
    return {
      ...answer,
      status: answer.status === 'not-configured' ? 'answered' : answer.status === 'unreachable' && contacts.certificates.length > 0 ? 'answered' : answer.status,
      certificates: [...answer.certificates, ...contacts.certificates.map((certificate) => ({ certificate, directory: ADDRESS_BOOK_DIRECTORY_NAME }))],
      intermediates: [...answer.intermediates, ...contacts.intermediates],
    };
  };
  return {
    lookup: (address, options) =>
      lookup(address, options).catch((error: unknown) => {
        console.warn('Waxseal: directory lookup failed', error);
        return { status: 'unreachable', certificates: [], intermediates: [], unreachable: [], checkedAt: deps.now().toISOString() };
      }),
    cacheMinutes: async () => (await current()).policy.cacheMinutes,
    reset() {
      state = null;
    },
  };
}
