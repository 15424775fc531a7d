/**
 * Thunderbird's `messages.getRaw` output for local folders can start with an mbox-style block of
 * `X-Mozilla-Status`, `X-Mozilla-Status2` and `X-Mozilla-Keys` lines, LF-terminated, that are not part
 * of the message as sent (docs/thunderbird.md). They are removed before parsing so that the From, the
 * root entity and the signed bytes are the sender's.
 */

const PREFIX = 'X-Mozilla-';

/**
 * Removes a leading run of bare-LF-terminated `X-Mozilla-*: ...` lines. Returns a subarray: nothing is
 * copied. A CRLF-terminated line (as a sender writes them) or any other field stops the run.
 */
export function stripMozillaHeaders(raw: Uint8Array): Uint8Array {
  let offset = 0;
  while (startsWithPrefix(raw, offset)) {
    const end = raw.indexOf(0x0a, offset);
    if (end < 0 || raw[end - 1] === 0x0d) break;
    offset = end + 1;
  }
  return offset === 0 ? raw : raw.subarray(offset);
}

function startsWithPrefix(raw: Uint8Array, offset: number): boolean {
  if (raw.length - offset < PREFIX.length) return false;
  for (let i = 0; i < PREFIX.length; i++) {
    const byte = raw[offset + i]!;
    const wanted = PREFIX.charCodeAt(i);
    // Header names are case-insensitive (RFC 5322 §1.2.2).
    if (byte !== wanted && (byte | 0x20) !== (wanted | 0x20)) return false;
  }
  return true;
}
