/**
 * Reads one DER/BER tag-and-length header without decoding content (X.690 §8.1.2-§8.1.3). Used to check
 * object sizes *before* handing bytes to the parser (SEC-31b): it never recurses and never allocates.
 */
export interface DerHeader {
  /** The identifier octet (low-tag-number form only; high tag numbers give `tag` 0x1f | class bits). */
  tag: number;
  headerLength: number;
  /** Content length, or -1 for the indefinite form. */
  length: number;
}

/** The header at `offset`, or null when it is truncated, uses more than 4 length octets, or overruns the input. */
export function readDerHeader(bytes: Uint8Array, offset: number): DerHeader | null {
  if (offset >= bytes.length) return null;
  const tag = bytes[offset]!;
  let position = offset + 1;
  if ((tag & 0x1f) === 0x1f) {
    while (position < bytes.length && (bytes[position]! & 0x80) !== 0) position++;
    position++;
  }
  if (position >= bytes.length) return null;
  const first = bytes[position++]!;
  let length: number;
  if (first < 0x80) length = first;
  else if (first === 0x80) length = -1;
  else {
    const count = first & 0x7f;
    if (count > 4 || position + count > bytes.length) return null;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[position++]!;
  }
  const headerLength = position - offset;
  if (length >= 0 && offset + headerLength + length > bytes.length) return null;
  return { tag, headerLength, length };
}
