/**
 * BigInt arithmetic for RSA (RFC 8017 §4, §5.1). WebCrypto has no RSAES-PKCS1-v1_5 (security.md F6), so the
 * raw RSA operations for that scheme are done here.
 */

/** OS2IP (RFC 8017 §4.2). */
export function bytesToBigInt(bytes: Uint8Array): bigint {
  let hex = '0x0';
  const parts: string[] = new Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) parts[i] = bytes[i]!.toString(16).padStart(2, '0');
  hex += parts.join('');
  return BigInt(hex);
}

/** I2OSP (RFC 8017 §4.1): big-endian, left-padded with zeros to `length` bytes. */
export function bigIntToBytes(value: bigint, length: number): Uint8Array {
  const hex = value.toString(16);
  if (hex.length > length * 2) throw new RangeError('integer too large for the requested length');
  const padded = hex.padStart(length * 2, '0');
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = parseInt(padded.substr(i * 2, 2), 16);
  return out;
}

/** base^exponent mod modulus with a fixed 4-bit window (fewer multiplications than plain square-and-multiply). */
export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  if (modulus === 1n) return 0n;
  const b = ((base % modulus) + modulus) % modulus;
  const table: bigint[] = new Array(16);
  table[0] = 1n;
  for (let i = 1; i < 16; i++) table[i] = (table[i - 1]! * b) % modulus;
  const hex = exponent.toString(16);
  let result = 1n;
  for (let i = 0; i < hex.length; i++) {
    if (i > 0) {
      result = (result * result) % modulus;
      result = (result * result) % modulus;
      result = (result * result) % modulus;
      result = (result * result) % modulus;
    }
    result = (result * table[parseInt(hex[i]!, 16)]!) % modulus;
  }
  return result;
}

/** a^-1 mod m by the extended Euclidean algorithm; throws when a and m share a factor. */
export function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [((a % m) + m) % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  if (oldR !== 1n) throw new RangeError('not invertible');
  return ((oldS % m) + m) % m;
}

/** Number of significant bits. */
export function bitLengthOf(value: bigint): number {
  return value === 0n ? 0 : value.toString(2).length;
}
