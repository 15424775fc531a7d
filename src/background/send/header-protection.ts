/**
 * Header protection for outgoing mail (RFC 9788; security.md SEC-21): the user-facing header fields
 * Thunderbird writes at the top of the message (outside any signature or encryption) are copied onto
 * the root of the cryptographic payload, marked with the Content-Type parameter `hp`:
 * `hp="clear"` for signed-only mail, `hp="cipher"` for encrypted mail (RFC 9788 §2.1). Waxseal does
 * not obscure any outer field, so for `hp="cipher"` every protected field gets an `HP-Outer` field
 * with the same value, recording what the outer header said (§2.2).
 */

/** The fields protected (RFC 9788 §1.2 "user-facing" plus threading); never Thunderbird's internal X-Mozilla-*, X-Identity-Key or Fcc. */
const PROTECTED = new Set(['from', 'to', 'cc', 'reply-to', 'subject', 'date', 'message-id', 'in-reply-to', 'references', 'followup-to']);

const decoder = new TextDecoder('latin1');

/** Splits a header block (CRLF lines, folded continuation lines kept) into whole fields. */
export function headerFields(block: string): { name: string; raw: string }[] {
  const fields: { name: string; raw: string }[] = [];
  for (const line of block.split('\r\n')) {
    if (line === '') continue;
    const last = fields.at(-1);
    if ((line.startsWith(' ') || line.startsWith('\t')) && last) {
      last.raw += `\r\n${line}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    fields.push({ name: line.slice(0, colon).trim(), raw: line });
  }
  return fields;
}

/**
 * Returns `entity` with the protected fields of `outerHeaders` added to its header and `hp` set on
 * its Content-Type. The entity's own fields and body are unchanged.
 */
export function protectHeaders(entity: Uint8Array, outerHeaders: string, mode: 'clear' | 'cipher'): Uint8Array {
  const text = decoder.decode(entity);
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return entity;
  const ownFields = headerFields(text.slice(0, end));
  const own = new Set(ownFields.map((f) => f.name.toLowerCase()));
  const protectedFields = headerFields(outerHeaders).filter((f) => PROTECTED.has(f.name.toLowerCase()) && !own.has(f.name.toLowerCase()));
  const rewritten = ownFields.map((field) => (field.name.toLowerCase() === 'content-type' ? withHp(field.raw, mode) : field.raw));
  const added = protectedFields.map((f) => f.raw);
  if (mode === 'cipher') added.push(...protectedFields.map((f) => `HP-Outer: ${f.raw}`));
  const head = [...added, ...rewritten].join('\r\n');
  return concat(head, entity.subarray(end));
}

/** The header block as bytes (one char per byte, as Thunderbird wrote it) followed by the rest of the entity. */
function concat(head: string, rest: Uint8Array): Uint8Array {
  const headBytes = new Uint8Array(head.length);
  for (let i = 0; i < head.length; i++) headBytes[i] = head.charCodeAt(i) & 0xff;
  const out = new Uint8Array(headBytes.length + rest.length);
  out.set(headBytes);
  out.set(rest, headBytes.length);
  return out;
}

/** Adds (or replaces) the `hp` parameter of a Content-Type field, keeping any folding. */
function withHp(raw: string, mode: 'clear' | 'cipher'): string {
  const without = raw.replace(/;\s*hp\s*=\s*("[^"]*"|[^;\s]*)/i, '');
  return `${without};\r\n hp="${mode}"`;
}
