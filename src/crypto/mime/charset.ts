/**
 * Charset decoding for MIME bodies and encoded-words, through the platform `TextDecoder`
 * (present in Node and Gecko). Labels follow the WHATWG Encoding Standard, which is what Thunderbird uses.
 */

/** Text decoded from bytes, and whether the declared charset had to be replaced by UTF-8. */
export interface DecodedText {
  text: string;
  /** The charset label actually used, lower-case. */
  charset: string;
  /** True when the declared charset is unknown and UTF-8 was used instead. */
  fallback: boolean;
}

const decoders = new Map<string, TextDecoder | null>();
const MAX_CACHED_DECODERS = 64;

/** Charset labels are short tokens; anything else is treated as unknown without asking TextDecoder. */
function isPlausibleLabel(label: string): boolean {
  if (label.length === 0 || label.length > 40) return false;
  for (let i = 0; i < label.length; i++) {
    const c = label.charCodeAt(i);
    const ok = (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a) || c === 0x2d || c === 0x5f || c === 0x2e || c === 0x3a;
    if (!ok) return false;
  }
  return true;
}

function decoderFor(label: string): TextDecoder | null {
  const cached = decoders.get(label);
  if (cached !== undefined) return cached;
  let decoder: TextDecoder | null = null;
  if (isPlausibleLabel(label)) {
    try {
      decoder = new TextDecoder(label, { fatal: false });
    } catch (error) {
      // An unknown label is an outcome (fallback to UTF-8), not a failure: RangeError per the Encoding Standard.
      if (!(error instanceof RangeError)) throw error;
      decoder = null;
    }
  }
  // The cache is bounded so that hostile messages with many distinct labels cannot grow it.
  if (decoders.size < MAX_CACHED_DECODERS) decoders.set(label, decoder);
  return decoder;
}

const utf8Decoder = new TextDecoder('utf-8', { fatal: false });

/** WHATWG Encoding labels of windows-1252 (which is also what "iso-8859-1" means in mail, as in browsers). */
const WINDOWS_1252_LABELS = new Set([
  'cp1252', 'cp819', 'csisolatin1', 'ibm819', 'iso-8859-1', 'iso-ir-100', 'iso8859-1', 'iso88591', 'iso_8859-1',
  'iso_8859-1:1987', 'l1', 'latin1', 'windows-1252', 'x-cp1252',
]);

/** windows-1252 code points for bytes 0x80-0x9F (the rest equal their byte value). */
const WINDOWS_1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

/**
 * windows-1252 by table: some TextDecoder implementations (Node 20) decode this label as ISO-8859-1 and lose
 * "€" and the typographic quotes, so the engine does not depend on them.
 */
function decodeWindows1252(bytes: Uint8Array): string {
  const parts: string[] = [];
  const chunk = 0x2000;
  for (let start = 0; start < bytes.length; start += chunk) {
    const end = Math.min(bytes.length, start + chunk);
    const codes = new Array<number>(end - start);
    for (let i = start; i < end; i++) {
      const b = bytes[i]!;
      codes[i - start] = b >= 0x80 && b < 0xa0 ? WINDOWS_1252_HIGH[b - 0x80]! : b;
    }
    parts.push(String.fromCharCode(...codes));
  }
  return parts.join('');
}

/**
 * Decodes `bytes` in `charset` (case-insensitive label). Unknown or missing labels decode as UTF-8 with `fallback: true`
 * (a missing label is not a fallback when `defaultCharset` applies). Invalid sequences become U+FFFD; never throws.
 */
export function decodeCharset(bytes: Uint8Array, charset: string | undefined, defaultCharset = 'us-ascii'): DecodedText {
  const label = (charset ?? defaultCharset).trim().toLowerCase();
  // us-ascii is a subset of windows-1252 in the Encoding Standard; decode it as UTF-8 so stray 8-bit UTF-8 text survives.
  if (label === 'us-ascii' || label === 'ascii' || label === 'utf-8' || label === 'utf8') {
    return { text: utf8Decoder.decode(bytes), charset: label, fallback: false };
  }
  if (WINDOWS_1252_LABELS.has(label)) return { text: decodeWindows1252(bytes), charset: label, fallback: false };
  const decoder = decoderFor(label);
  if (decoder === null) return { text: utf8Decoder.decode(bytes), charset: 'utf-8', fallback: true };
  return { text: decoder.decode(bytes), charset: label, fallback: false };
}
