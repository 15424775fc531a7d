/**
 * RC4 stream cipher, only to read legacy PKCS#12 files protected with pbeWithSHAAnd128BitRC4 or
 * pbeWithSHAAnd40BitRC4 (RFC 7292 Appendix C). Never used to write anything.
 */

/** Encrypts or decrypts (the same operation) `data` with an RC4 key of 1..256 bytes. */
export function rc4(key: Uint8Array, data: Uint8Array): Uint8Array {
  if (key.length < 1 || key.length > 256) throw new RangeError(`RC4 key must be 1..256 bytes, got ${key.length}`);
  const s = new Uint8Array(256);
  for (let i = 0; i < 256; i++) s[i] = i;
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i]! + key[i % key.length]!) & 0xff;
    const swap = s[i]!;
    s[i] = s[j]!;
    s[j] = swap;
  }
  const out = new Uint8Array(data.length);
  for (let n = 0, i = 0, j = 0; n < data.length; n++) {
    i = (i + 1) & 0xff;
    j = (j + s[i]!) & 0xff;
    const swap = s[i]!;
    s[i] = s[j]!;
    s[j] = swap;
    out[n] = data[n]! ^ s[(s[i]! + s[j]!) & 0xff]!;
  }
  return out;
}
