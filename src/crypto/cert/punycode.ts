/**
 * Domain names to A-labels (IDNA ToASCII, RFC 5891 §4.4, with the Punycode of RFC 3492) for address
 * comparison (RFC 5280 §7.5, SEC-27). Mapping is deliberately minimal: NFC and lowercase, no UTS #46
 * transitional processing; a domain that is already ASCII is only lowercased.
 */

const BASE = 36;
const T_MIN = 1;
const T_MAX = 26;
const SKEW = 38;
const DAMP = 700;
const INITIAL_BIAS = 72;
const INITIAL_N = 128;
const MAX_LABEL_CODE_POINTS = 63;

/** RFC 3492 §6.1 bias adaptation. */
function adapt(delta: number, numPoints: number, firstTime: boolean): number {
  let value = firstTime ? Math.floor(delta / DAMP) : delta >> 1;
  value += Math.floor(value / numPoints);
  let k = 0;
  while (value > ((BASE - T_MIN) * T_MAX) >> 1) {
    value = Math.floor(value / (BASE - T_MIN));
    k += BASE;
  }
  return k + Math.floor(((BASE - T_MIN + 1) * value) / (value + SKEW));
}

function digit(value: number): string {
  // 0..25 → a..z, 26..35 → 0..9 (RFC 3492 §5)
  return String.fromCharCode(value < 26 ? value + 97 : value + 22);
}

/**
 * Punycode-encodes one label (RFC 3492 §6.3), without the `xn--` prefix.
 * @throws RangeError on overflow or a label too long to be a DNS label.
 */
export function punycodeEncode(label: string): string {
  const codePoints = Array.from(label, (char) => char.codePointAt(0)!);
  if (codePoints.length > MAX_LABEL_CODE_POINTS) throw new RangeError('label too long');
  let output = codePoints.filter((cp) => cp < 0x80).map((cp) => String.fromCharCode(cp)).join('');
  const basicLength = output.length;
  let handled = basicLength;
  if (basicLength > 0) output += '-';
  let n = INITIAL_N;
  let delta = 0;
  let bias = INITIAL_BIAS;
  while (handled < codePoints.length) {
    const m = Math.min(...codePoints.filter((cp) => cp >= n));
    delta += (m - n) * (handled + 1);
    if (!Number.isSafeInteger(delta)) throw new RangeError('punycode overflow');
    n = m;
    for (const cp of codePoints) {
      if (cp < n) delta++;
      if (cp !== n) continue;
      let q = delta;
      for (let k = BASE; ; k += BASE) {
        const t = k <= bias ? T_MIN : k >= bias + T_MAX ? T_MAX : k - bias;
        if (q < t) break;
        output += digit(t + ((q - t) % (BASE - t)));
        q = Math.floor((q - t) / (BASE - t));
      }
      output += digit(q);
      bias = adapt(delta, handled + 1, handled === basicLength);
      delta = 0;
      handled++;
    }
    delta++;
    n++;
  }
  return output;
}

/**
 * ToASCII for a whole domain: each non-ASCII label becomes `xn--` + Punycode; ASCII labels are lowercased.
 * Ideographic full stops (U+3002, U+FF0E, U+FF61) separate labels as dots do (RFC 3490 §3.1).
 */
export function domainToAscii(domain: string): string {
  return domain
    .normalize('NFC')
    .split(/[.\u3002\uff0e\uff61]/)
    .map((label) => {
      const lower = label.toLowerCase();
      return Array.from(lower).every((char) => char.charCodeAt(0) < 0x80) ? lower : `xn--${punycodeEncode(lower)}`;
    })
    .join('.');
}
