/**
 * LDAP search filters for certificate lookup by mail address. Values are escaped as RFC 4515 §3
 * requires, so an address like `a*)(uid=*` can never widen or change the search (SEC-37).
 */

/** Escapes one assertion value (RFC 4515 §3: `*`, `(`, `)`, `\` and NUL as `\XX`; non-ASCII as UTF-8 `\XX`). */
export function escapeFilterValue(value: string): string {
  let out = '';
  for (const byte of new TextEncoder().encode(value)) {
    const ch = String.fromCharCode(byte);
    out += byte < 0x20 || byte > 0x7e || ch === '*' || ch === '(' || ch === ')' || ch === '\\' ? `\\${byte.toString(16).padStart(2, '0')}` : ch;
  }
  return out;
}

/**
 * `(mail=<address>)`, combined with the directory's own filter when it has one, the way Thunderbird's
 * certificate fetching does (certFetchingStatus.js): `(&<urlFilter>(mail=…))`.
 */
export function mailFilter(address: string, directoryFilter?: string): string {
  const mail = `(mail=${escapeFilterValue(address.trim())})`;
  const base = directoryFilter?.trim() ?? '';
  if (base === '' || base.toLowerCase() === '(objectclass=*)') return mail;
  return `(&${base.startsWith('(') ? base : `(${base})`}${mail})`;
}
