/**
 * The Thunderbird edge of directory lookup (#9): LDAP searches and the list of LDAP address books
 * through the `waxsealLdap` experiment (src/experiments/ldap/), contact vCards through the
 * `contacts` API. Unit tests replace this module's functions with fakes or a real slapd client.
 */
import { base64Decode } from '../../crypto/index.js';
import { parseLdapUrl, type DirectoryServer } from './directory-config.js';
import type { LdapSearcher } from './directory-lookup.js';
import type { DirectoryEntry } from './entry-certificates.js';

/** The experiment's API (schema: src/experiments/ldap/schema.json). */
interface WaxsealLdapApi {
  listDirectories(): Promise<{ id: string; name: string; uri: string; bindDn?: string }[]>;
  search(request: {
    url: string;
    baseDn: string;
    scope: DirectoryServer['scope'];
    filter: string;
    attributes: string[];
    sizeLimit: number;
    timeoutMs: number;
    bindDn?: string;
    bindPassword?: string;
    addressBookUri?: string;
  }): Promise<{ dn: string; attributes: Record<string, string[]> }[]>;
}

interface ContactsApi {
  quickSearch(queryInfo: { searchString: string; includeRemote: boolean }): Promise<{ properties: Record<string, string | null> }[]>;
}

function ldapApi(): WaxsealLdapApi {
  return (messenger as unknown as { waxsealLdap: WaxsealLdapApi }).waxsealLdap;
}

/** LDAP searches through Thunderbird's own LDAP stack. */
export function experimentSearcher(): LdapSearcher {
  return {
    async search({ server, filter, attributes, sizeLimit, timeoutMs }) {
      const entries = await ldapApi().search({
        url: server.url,
        baseDn: server.baseDn,
        scope: server.scope,
        filter,
        attributes: [...attributes],
        sizeLimit,
        timeoutMs,
        ...(server.bindDn ? { bindDn: server.bindDn } : {}),
        ...(server.bindPassword !== undefined ? { bindPassword: server.bindPassword } : {}),
        ...(server.addressBookUri ? { addressBookUri: server.addressBookUri } : {}),
      });
      return entries.map(
        (e): DirectoryEntry => ({ dn: e.dn, attributes: Object.fromEntries(Object.entries(e.attributes).map(([name, values]) => [name, values.map((v) => base64Decode(v))])) }),
      );
    },
  };
}

/** Thunderbird's LDAP address books as directories; one with an unusable URI is left out and logged. */
export async function addressBookDirectories(): Promise<DirectoryServer[]> {
  const out: DirectoryServer[] = [];
  for (const book of await ldapApi().listDirectories()) {
    try {
      out.push({ id: book.id, name: book.name, ...parseLdapUrl(book.uri), ...(book.bindDn ? { bindDn: book.bindDn } : {}), addressBookUri: book.uri, source: 'address-book' });
    } catch (error) {
      console.warn(`Waxseal: address book ${book.name} skipped`, error);
    }
  }
  return out;
}

/** vCards of local contacts with `address` (the search matches more; the caller checks the address). */
export async function contactVCards(address: string): Promise<{ vCard: string; emails: string[] }[]> {
  const contacts = (messenger as unknown as { contacts: ContactsApi }).contacts;
  // Local books only: remote (LDAP) books are asked through the experiment, with our timeout.
  const nodes = await contacts.quickSearch({ searchString: address, includeRemote: false });
  return nodes.map((n) => ({
    vCard: n.properties.vCard ?? '',
    emails: [n.properties.PrimaryEmail, n.properties.SecondEmail].filter((e): e is string => typeof e === 'string' && e !== ''),
  }));
}
