/**
 * Certificates in address-book contacts (#9): a certificate in a contact's vCard KEY property counts
 * as a directory certificate. Thunderbird writes vCard 4.0 (RFC 6350 §6.8.1:
 * `KEY:data:application/x-x509-user-cert;base64,…`); imported cards may be vCard 3.0 (RFC 2426 §3.7.1:
 * `KEY;ENCODING=b;TYPE=X509:…`). OpenPGP keys and URIs are ignored. Values are untrusted: counts and
 * sizes are capped, a malformed value is skipped.
 */
import { DEFAULT_DIRECTORY_POLICY, base64Decode, type DirectoryPolicy } from '../../crypto/index.js';

const X509_MEDIA = /^application\/(x-x509-(user|ca|email)-cert|pkix-cert|pkcs7-mime)$/i;

/** Unfolds content lines (RFC 6350 §3.2: CRLF followed by one space or tab continues the line). */
function unfold(vcard: string): string[] {
  return vcard.replace(/\r?\n[ \t]/g, '').split(/\r?\n/);
}

/** DER (or PKCS#7) bytes of every certificate KEY in `vcard`, at most `policy.maxValuesPerEntry`. */
export function certificatesFromVCard(vcard: string, policy: DirectoryPolicy = DEFAULT_DIRECTORY_POLICY): Uint8Array[] {
  const out: Uint8Array[] = [];
  // base64 grows 4/3; anything longer cannot decode to an allowed value.
  const maxChars = Math.ceil((policy.maxValueBytes * 4) / 3) + 4;
  for (const line of unfold(vcard)) {
    if (out.length >= policy.maxValuesPerEntry) break;
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const [name = '', ...parameters] = line.slice(0, colon).split(';');
    // A group prefix (`item1.KEY`) is allowed by RFC 6350 §3.3.
    if (name.replace(/^[A-Za-z0-9-]+\./, '').toUpperCase() !== 'KEY') continue;
    const value = line.slice(colon + 1).trim();
    let encoded: string | null = null;
    const dataUri = /^data:([^;,]+)(?:;[^,]*)?;base64,(.*)$/i.exec(value);
    if (dataUri) {
      if (X509_MEDIA.test(dataUri[1]!)) encoded = dataUri[2]!;
    } else {
      const params = parameters.map((p) => p.toUpperCase());
      const isBase64 = params.some((p) => p === 'ENCODING=B' || p === 'ENCODING=BASE64');
      const isX509 = params.some((p) => /^TYPE=.*\bX509\b/.test(p) || /^MEDIATYPE=APPLICATION\/(X-X509|PKIX)/.test(p));
      if (isBase64 && isX509) encoded = value;
    }
    if (encoded === null || encoded.length > maxChars) continue;
    // base64Decode never throws; garbage decodes to bytes that fail certificate parsing later.
    const bytes = base64Decode(encoded);
    if (bytes.length > 0 && bytes.length <= policy.maxValueBytes) out.push(bytes);
  }
  return out;
}
