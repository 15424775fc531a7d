/**
 * Which directories Waxseal asks for certificates (#9): Thunderbird's LDAP address books and the
 * directories the administrator lists in the managed policy. Both become `DirectoryServer`s.
 */
import { SmimeError } from '../../crypto/index.js';

export interface DirectoryServer {
  /** Stable id: the address book's pref branch (`ldap_2.servers.x`) or `policy:<n>`. */
  id: string;
  /** Shown in the recipient status ("certificate from directory <name>"). */
  name: string;
  /** `ldap://host:port` or `ldaps://host:port`. */
  url: string;
  baseDn: string;
  scope: 'base' | 'one' | 'sub';
  /** Extra filter from the directory's URL, ANDed with the mail filter. */
  filter?: string;
  /** Simple bind DN; anonymous when absent. */
  bindDn?: string;
  /** Simple bind password (policy directories only; address books use Thunderbird's saved login). */
  bindPassword?: string;
  /** For address books: the configured URI, under which Thunderbird saved the bind password. */
  addressBookUri?: string;
  source: 'address-book' | 'policy';
}

const SCOPES = new Set(['base', 'one', 'sub']);

/**
 * Parses an LDAP URL (RFC 4516 §2: `ldap://host:port/dn?attributes?scope?filter`) into the parts a
 * search needs. Only ldap and ldaps; anything else is refused.
 * @throws SmimeError `DIRECTORY_CONFIG_INVALID` for another scheme, no host, or a bad scope.
 */
export function parseLdapUrl(url: string): { url: string; baseDn: string; scope: DirectoryServer['scope']; filter?: string } {
  const match = /^(ldaps?):\/\/([^/?#]+)(?:\/([^?#]*)(?:\?([^?#]*)(?:\?([^?#]*)(?:\?([^?#]*))?)?)?)?$/i.exec(url.trim());
  if (!match) throw new SmimeError('DIRECTORY_CONFIG_INVALID', `not an ldap:// or ldaps:// URL: ${url}`);
  const scheme = match[1]!.toLowerCase();
  const hostPort = match[2]!;
  const scope = (match[5] ?? '').toLowerCase() || 'sub';
  if (!SCOPES.has(scope)) throw new SmimeError('DIRECTORY_CONFIG_INVALID', `unknown LDAP search scope "${scope}" in ${url}`);
  const filter = match[6] ? decodeURIComponent(match[6]) : undefined;
  return {
    url: `${scheme}://${hostPort}`,
    baseDn: decodeURIComponent(match[3] ?? ''),
    scope: scope as DirectoryServer['scope'],
    ...(filter ? { filter } : {}),
  };
}
