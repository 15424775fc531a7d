/**
 * Synchronous SHA-1, SHA-256, SHA-384 and SHA-512 (FIPS 180-4) for the iterated PKCS#12 KDF only.
 * RFC 7292 Appendix B hashes a 20- or 32-byte value over and over: NSS (and so Thunderbird) writes
 * 600 000 iterations per derivation, and a legacy file needs five or six derivations. One awaited
 * WebCrypto digest per iteration costs ~40 µs (minutes per file); this loop re-hashes the digest
 * in place without allocating. Everything else uses WebCrypto.
 * Checked against WebCrypto in test/unit/pkcs12/sync-digest.test.ts.
 */

export type SyncHash = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

const SHA256_K = Uint32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

const SHA1_IV = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];
const SHA256_IV = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

/** Compresses the 16 words at the start of `w` into `h` (FIPS 180-4 §6.1.2). */
function sha1Compress(h: Uint32Array, w: Uint32Array): void {
  for (let t = 16; t < 80; t++) {
    const x = w[t - 3]! ^ w[t - 8]! ^ w[t - 14]! ^ w[t - 16]!;
    w[t] = (x << 1) | (x >>> 31);
  }
  let a = h[0]!, b = h[1]!, c = h[2]!, d = h[3]!, e = h[4]!;
  // Four loops of 20 rounds, one per round function, keep the hot loop free of branches.
  for (let t = 0; t < 20; t++) {
    const temp = (((a << 5) | (a >>> 27)) + ((b & c) | (~b & d)) + e + 0x5a827999 + w[t]!) | 0;
    e = d; d = c; c = (b << 30) | (b >>> 2); b = a; a = temp;
  }
  for (let t = 20; t < 40; t++) {
    const temp = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + 0x6ed9eba1 + w[t]!) | 0;
    e = d; d = c; c = (b << 30) | (b >>> 2); b = a; a = temp;
  }
  for (let t = 40; t < 60; t++) {
    const temp = (((a << 5) | (a >>> 27)) + ((b & c) | (b & d) | (c & d)) + e + 0x8f1bbcdc + w[t]!) | 0;
    e = d; d = c; c = (b << 30) | (b >>> 2); b = a; a = temp;
  }
  for (let t = 60; t < 80; t++) {
    const temp = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + 0xca62c1d6 + w[t]!) | 0;
    e = d; d = c; c = (b << 30) | (b >>> 2); b = a; a = temp;
  }
  h[0] = h[0]! + a; h[1] = h[1]! + b; h[2] = h[2]! + c; h[3] = h[3]! + d; h[4] = h[4]! + e;
}

/** Compresses the 16 words at the start of `w` into `h` (FIPS 180-4 §6.2.2). */
function sha256Compress(h: Uint32Array, w: Uint32Array): void {
  for (let t = 16; t < 64; t++) {
    const x = w[t - 15]!, y = w[t - 2]!;
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    w[t] = w[t - 16]! + s0 + w[t - 7]! + s1;
  }
  let a = h[0]!, b = h[1]!, c = h[2]!, d = h[3]!, e = h[4]!, f = h[5]!, g = h[6]!, hh = h[7]!;
  for (let t = 0; t < 64; t++) {
    const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (hh + s1 + ((e & f) ^ (~e & g)) + SHA256_K[t]! + w[t]!) | 0;
    const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    hh = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
  }
  h[0] = h[0]! + a; h[1] = h[1]! + b; h[2] = h[2]! + c; h[3] = h[3]! + d;
  h[4] = h[4]! + e; h[5] = h[5]! + f; h[6] = h[6]! + g; h[7] = h[7]! + hh;
}

/** SHA-512 round constants as (high, low) 32-bit pairs (FIPS 180-4 §4.2.3). */
const SHA512_K = Uint32Array.from([
  0x428a2f98, 0xd728ae22, 0x71374491, 0x23ef65cd, 0xb5c0fbcf, 0xec4d3b2f, 0xe9b5dba5, 0x8189dbbc,
  0x3956c25b, 0xf348b538, 0x59f111f1, 0xb605d019, 0x923f82a4, 0xaf194f9b, 0xab1c5ed5, 0xda6d8118,
  0xd807aa98, 0xa3030242, 0x12835b01, 0x45706fbe, 0x243185be, 0x4ee4b28c, 0x550c7dc3, 0xd5ffb4e2,
  0x72be5d74, 0xf27b896f, 0x80deb1fe, 0x3b1696b1, 0x9bdc06a7, 0x25c71235, 0xc19bf174, 0xcf692694,
  0xe49b69c1, 0x9ef14ad2, 0xefbe4786, 0x384f25e3, 0x0fc19dc6, 0x8b8cd5b5, 0x240ca1cc, 0x77ac9c65,
  0x2de92c6f, 0x592b0275, 0x4a7484aa, 0x6ea6e483, 0x5cb0a9dc, 0xbd41fbd4, 0x76f988da, 0x831153b5,
  0x983e5152, 0xee66dfab, 0xa831c66d, 0x2db43210, 0xb00327c8, 0x98fb213f, 0xbf597fc7, 0xbeef0ee4,
  0xc6e00bf3, 0x3da88fc2, 0xd5a79147, 0x930aa725, 0x06ca6351, 0xe003826f, 0x14292967, 0x0a0e6e70,
  0x27b70a85, 0x46d22ffc, 0x2e1b2138, 0x5c26c926, 0x4d2c6dfc, 0x5ac42aed, 0x53380d13, 0x9d95b3df,
  0x650a7354, 0x8baf63de, 0x766a0abb, 0x3c77b2a8, 0x81c2c92e, 0x47edaee6, 0x92722c85, 0x1482353b,
  0xa2bfe8a1, 0x4cf10364, 0xa81a664b, 0xbc423001, 0xc24b8b70, 0xd0f89791, 0xc76c51a3, 0x0654be30,
  0xd192e819, 0xd6ef5218, 0xd6990624, 0x5565a910, 0xf40e3585, 0x5771202a, 0x106aa070, 0x32bbd1b8,
  0x19a4c116, 0xb8d2d0c8, 0x1e376c08, 0x5141ab53, 0x2748774c, 0xdf8eeb99, 0x34b0bcb5, 0xe19b48a8,
  0x391c0cb3, 0xc5c95a63, 0x4ed8aa4a, 0xe3418acb, 0x5b9cca4f, 0x7763e373, 0x682e6ff3, 0xd6b2b8a3,
  0x748f82ee, 0x5defb2fc, 0x78a5636f, 0x43172f60, 0x84c87814, 0xa1f0ab72, 0x8cc70208, 0x1a6439ec,
  0x90befffa, 0x23631e28, 0xa4506ceb, 0xde82bde9, 0xbef9a3f7, 0xb2c67915, 0xc67178f2, 0xe372532b,
  0xca273ece, 0xea26619c, 0xd186b8c7, 0x21c0c207, 0xeada7dd6, 0xcde0eb1e, 0xf57d4f7f, 0xee6ed178,
  0x06f067aa, 0x72176fba, 0x0a637dc5, 0xa2c898a6, 0x113f9804, 0xbef90dae, 0x1b710b35, 0x131c471b,
  0x28db77f5, 0x23047d84, 0x32caab7b, 0x40c72493, 0x3c9ebe0a, 0x15c9bebc, 0x431d67c4, 0x9c100d4c,
  0x4cc5d4be, 0xcb3e42b6, 0x597f299c, 0xfc657e2a, 0x5fcb6fab, 0x3ad6faec, 0x6c44198c, 0x4a475817,
]);
const SHA512_IV = [
  0x6a09e667, 0xf3bcc908, 0xbb67ae85, 0x84caa73b, 0x3c6ef372, 0xfe94f82b, 0xa54ff53a, 0x5f1d36f1,
  0x510e527f, 0xade682d1, 0x9b05688c, 0x2b3e6c1f, 0x1f83d9ab, 0xfb41bd6b, 0x5be0cd19, 0x137e2179,
];
const SHA384_IV = [
  0xcbbb9d5d, 0xc1059ed8, 0x629a292a, 0x367cd507, 0x9159015a, 0x3070dd17, 0x152fecd8, 0xf70e5939,
  0x67332667, 0xffc00b31, 0x8eb44a87, 0x68581511, 0xdb0c2e0d, 0x64f98fa7, 0x47b5481d, 0xbefa4fa4,
];

/**
 * SHA-512 compression on (high, low) 32-bit word pairs: `h` holds 8 and `w` 80 interleaved pairs,
 * the first 16 loaded from the block (FIPS 180-4 §6.4.2). Sums of unsigned low halves stay below 2^35,
 * exact in a double, so the carry is the integer quotient by 2^32.
 */
function sha512Compress(h: Uint32Array, w: Uint32Array): void {
  for (let t = 16; t < 80; t++) {
    const xh = w[2 * (t - 15)]!, xl = w[2 * (t - 15) + 1]!;
    const yh = w[2 * (t - 2)]!, yl = w[2 * (t - 2) + 1]!;
    // σ0 = ROTR1 ^ ROTR8 ^ SHR7; σ1 = ROTR19 ^ ROTR61 ^ SHR6
    const s0h = ((xh >>> 1) | (xl << 31)) ^ ((xh >>> 8) | (xl << 24)) ^ (xh >>> 7);
    const s0l = ((xl >>> 1) | (xh << 31)) ^ ((xl >>> 8) | (xh << 24)) ^ ((xl >>> 7) | (xh << 25));
    const s1h = ((yh >>> 19) | (yl << 13)) ^ ((yl >>> 29) | (yh << 3)) ^ (yh >>> 6);
    const s1l = ((yl >>> 19) | (yh << 13)) ^ ((yh >>> 29) | (yl << 3)) ^ ((yl >>> 6) | (yh << 26));
    const lo = (s0l >>> 0) + (s1l >>> 0) + w[2 * (t - 16) + 1]! + w[2 * (t - 7) + 1]!;
    w[2 * t] = s0h + s1h + w[2 * (t - 16)]! + w[2 * (t - 7)]! + ((lo / 0x100000000) | 0);
    w[2 * t + 1] = lo;
  }
  let ah = h[0]!, al = h[1]!, bh = h[2]!, bl = h[3]!, ch = h[4]!, cl = h[5]!, dh = h[6]!, dl = h[7]!;
  let eh = h[8]!, el = h[9]!, fh = h[10]!, fl = h[11]!, gh = h[12]!, gl = h[13]!, hh = h[14]!, hl = h[15]!;
  for (let t = 0; t < 80; t++) {
    // Σ1(e) = ROTR14 ^ ROTR18 ^ ROTR41; Ch(e, f, g) = (e & f) ^ (~e & g)
    const sigma1h = ((eh >>> 14) | (el << 18)) ^ ((eh >>> 18) | (el << 14)) ^ ((el >>> 9) | (eh << 23));
    const sigma1l = ((el >>> 14) | (eh << 18)) ^ ((el >>> 18) | (eh << 14)) ^ ((eh >>> 9) | (el << 23));
    const chooseH = (eh & fh) ^ (~eh & gh);
    const chooseL = (el & fl) ^ (~el & gl);
    const t1l = (hl >>> 0) + (sigma1l >>> 0) + (chooseL >>> 0) + SHA512_K[2 * t + 1]! + w[2 * t + 1]!;
    const t1h = (hh + sigma1h + chooseH + SHA512_K[2 * t]! + w[2 * t]! + ((t1l / 0x100000000) | 0)) | 0;
    // Σ0(a) = ROTR28 ^ ROTR34 ^ ROTR39; Maj(a, b, c)
    const sigma0h = ((ah >>> 28) | (al << 4)) ^ ((al >>> 2) | (ah << 30)) ^ ((al >>> 7) | (ah << 25));
    const sigma0l = ((al >>> 28) | (ah << 4)) ^ ((ah >>> 2) | (al << 30)) ^ ((ah >>> 7) | (al << 25));
    const majorityH = (ah & bh) ^ (ah & ch) ^ (bh & ch);
    const majorityL = (al & bl) ^ (al & cl) ^ (bl & cl);
    const t2l = (sigma0l >>> 0) + (majorityL >>> 0);
    const t2h = (sigma0h + majorityH + ((t2l / 0x100000000) | 0)) | 0;
    hh = gh; hl = gl; gh = fh; gl = fl; fh = eh; fl = el;
    const newEl = (dl >>> 0) + (t1l >>> 0);
    eh = (dh + t1h + ((newEl / 0x100000000) | 0)) | 0; el = newEl >>> 0;
    dh = ch; dl = cl; ch = bh; cl = bl; bh = ah; bl = al;
    const newAl = (t1l >>> 0) + (t2l >>> 0);
    ah = (t1h + t2h + ((newAl / 0x100000000) | 0)) | 0; al = newAl >>> 0;
  }
  const add = (index: number, high: number, low: number): void => {
    const lo = h[index + 1]! + (low >>> 0);
    h[index] = h[index]! + high + ((lo / 0x100000000) | 0);
    h[index + 1] = lo;
  };
  add(0, ah, al); add(2, bh, bl); add(4, ch, cl); add(6, dh, dl);
  add(8, eh, el); add(10, fh, fl); add(12, gh, gl); add(14, hh, hl);
}

/**
 * `hash` applied `iterations` times: H(H(...H(data))). The first round takes any length; the later
 * rounds hash the previous digest from a preallocated, already padded block.
 */
export function iteratedDigest(hash: SyncHash, data: Uint8Array, iterations: number): Uint8Array {
  const { compress, iv, blockBytes, outputWords } = ALGORITHMS[hash];
  const h = Uint32Array.from(iv);
  const w = new Uint32Array(160);
  const blockWords = blockBytes / 4;

  // First round, FIPS 180-4 §5.1.1/§5.1.2 padding: the message, 0x80, zeros, the big-endian bit length
  // (64 bits for SHA-1/SHA-256, 128 bits for SHA-384/SHA-512; the top half is always zero here).
  const paddedLength = Math.ceil((data.length + 1 + blockBytes / 8) / blockBytes) * blockBytes;
  const padded = new Uint8Array(paddedLength);
  padded.set(data);
  padded[data.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(paddedLength - 8, Math.floor((data.length * 8) / 0x100000000));
  view.setUint32(paddedLength - 4, (data.length * 8) >>> 0);
  for (let block = 0; block < paddedLength; block += blockBytes) {
    for (let t = 0; t < blockWords; t++) w[t] = view.getUint32(block + t * 4);
    compress(h, w);
  }

  // Later rounds: the digest fills one block with fixed padding.
  for (let n = 1; n < iterations; n++) {
    for (let t = 0; t < outputWords; t++) w[t] = h[t]!;
    w[outputWords] = 0x80000000;
    for (let t = outputWords + 1; t < blockWords - 1; t++) w[t] = 0;
    w[blockWords - 1] = outputWords * 32;
    for (let t = 0; t < iv.length; t++) h[t] = iv[t]!;
    compress(h, w);
  }

  const out = new Uint8Array(outputWords * 4);
  const outView = new DataView(out.buffer);
  for (let t = 0; t < outputWords; t++) outView.setUint32(t * 4, h[t]!);
  return out;
}

const ALGORITHMS: Record<SyncHash, { compress: (h: Uint32Array, w: Uint32Array) => void; iv: readonly number[]; blockBytes: number; outputWords: number }> = {
  'SHA-1': { compress: sha1Compress, iv: SHA1_IV, blockBytes: 64, outputWords: 5 },
  'SHA-256': { compress: sha256Compress, iv: SHA256_IV, blockBytes: 64, outputWords: 8 },
  'SHA-384': { compress: sha512Compress, iv: SHA384_IV, blockBytes: 128, outputWords: 12 },
  'SHA-512': { compress: sha512Compress, iv: SHA512_IV, blockBytes: 128, outputWords: 16 },
};
