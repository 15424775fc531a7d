/**
 * The addressees a signer put inside the signature (header protection), for SEC-22 "surreptitious
 * forwarding": a message Alice signed for Bob still verifies when Bob re-sends it to Carol, and only
 * the protected To/Cc show who Alice wrote to.
 *
 * Recognised forms, all only on the content the signature covers:
 * - RFC 9788 §2: the signed entity's header block carries the protected header fields, its Content-Type
 *   may have `hp="clear"` or `hp="cipher"` (https://www.rfc-editor.org/rfc/rfc9788#section-2);
 * - draft-autocrypt-protected-headers: the same with `protected-headers="v1"`;
 * - the older wrapper style (RFC 8551 §3.1 "message/rfc822 wrapping"): the signed entity is a
 *   message/rfc822 whose embedded message has its own To/Cc.
 * A signed entity that names no addressee at all (no To/Cc/Bcc) gives nothing to judge.
 */
import { isSmimeError } from '../errors.js';
import { parseAddressList } from '../mime/address.js';
import type { MimeEntity } from '../mime/parse.js';
import type { Policy } from '../policy.js';
import type { ProtectedAddressees } from '../types.js';

/** At most this many addresses are kept per header (a signed header is still attacker-sized input, SEC-33). */
export const MAX_PROTECTED_ADDRESSES = 50;

const ADDRESS_HEADERS = ['to', 'cc', 'bcc'] as const;

/**
 * The protected To/Cc/Bcc of the signed content, or null when the signed content carries none.
 * `content` must be the entity the (whole-message) signature covers; the caller checks that.
 * Never throws for malformed input: unparsable values are reported through `complete: false`.
 */
export function readProtectedAddressees(content: MimeEntity, policy: Policy): ProtectedAddressees | null {
  const style = protectionStyle(content);
  let headerEntity: MimeEntity = content;
  if (style === 'rfc822-wrapper') {
    try {
      headerEntity = content.parseEmbeddedMessage(policy.limits);
    } catch (error) {
      if (!isSmimeError(error)) throw error;
      return null;
    }
  }
  const headers = headerEntity.headers;
  if (!ADDRESS_HEADERS.some((name) => headers.has(name))) return null;
  let complete = true;
  const read = (name: (typeof ADDRESS_HEADERS)[number]): string[] => {
    const out: string[] = [];
    for (const value of headers.getAll(name)) {
      let result;
      try {
        result = parseAddressList(value, policy.limits);
      } catch (error) {
        if (!isSmimeError(error)) throw error;
        complete = false;
        continue;
      }
      if (!result.valid) complete = false;
      for (const mailbox of result.mailboxes) {
        if (out.length >= MAX_PROTECTED_ADDRESSES) {
          complete = false;
          break;
        }
        const address = mailbox.address.toLowerCase();
        if (!out.includes(address)) out.push(address);
      }
    }
    return out;
  };
  const to = read('to');
  const cc = read('cc');
  const bcc = read('bcc');
  return { style, to, cc, bcc, complete };
}

function protectionStyle(content: MimeEntity): ProtectedAddressees['style'] {
  const type = content.contentType;
  if (type.mediaType === 'message/rfc822') return 'rfc822-wrapper';
  const hp = type.params.get('hp')?.toLowerCase();
  if (hp === 'clear' || hp === 'cipher') return 'hp';
  if (type.params.has('protected-headers')) return 'protected-headers-v1';
  return 'header-fields';
}
