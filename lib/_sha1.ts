// Browser compatible. The SHA-1 compression function (FIPS 180-4 §6.1.2),
// shared by `sha1` and the allocation-free accept-key path.

/** FIPS 180-4 §5.3.1: the initial hash value H(0). */
export const SHA1_IV = /* @__PURE__ */ Int32Array.from([0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0]);

/** FIPS 180-4 §4.2.1: one constant per group of 20 rounds. */
const K0 = 0x5a827999;
const K1 = 0x6ed9eba1;
const K2 = 0x8f1bbcdc | 0;
const K3 = 0xca62c1d6 | 0;

/**
 * The 80-word message schedule, reused across calls so that hashing
 * allocates nothing per block (what @noble/hashes does too).
 */
export const W = /* @__PURE__ */ new Int32Array(80);

/**
 * Compresses `blocks` 64-byte blocks read from `view` at `offset` into the
 * state `h` (five 32-bit words, updated in place).
 */
export function compress(h: Int32Array, view: DataView, offset: number, blocks: number): void {
  let h0 = h[0], h1 = h[1], h2 = h[2], h3 = h[3], h4 = h[4];
  for (let b = 0; b < blocks; b++, offset += 64) {
    for (let i = 0; i < 16; i++) W[i] = view.getInt32(offset + i * 4, false);
    for (let i = 16; i < 80; i++) {
      const x = W[i - 3] ^ W[i - 8] ^ W[i - 14] ^ W[i - 16];
      W[i] = (x << 1) | (x >>> 31);
    }
    let a = h0, bb = h1, c = h2, d = h3, e = h4;
    // Four loops instead of one with a branch per round: the round function
    // and constant stay fixed inside each loop, which V8 compiles tighter.
    for (let i = 0; i < 20; i++) {
      const t = (((a << 5) | (a >>> 27)) + ((bb & c) | (~bb & d)) + e + K0 + W[i]) | 0;
      e = d; d = c; c = (bb << 30) | (bb >>> 2); bb = a; a = t;
    }
    for (let i = 20; i < 40; i++) {
      const t = (((a << 5) | (a >>> 27)) + (bb ^ c ^ d) + e + K1 + W[i]) | 0;
      e = d; d = c; c = (bb << 30) | (bb >>> 2); bb = a; a = t;
    }
    for (let i = 40; i < 60; i++) {
      const t = (((a << 5) | (a >>> 27)) + ((bb & c) | (bb & d) | (c & d)) + e + K2 + W[i]) | 0;
      e = d; d = c; c = (bb << 30) | (bb >>> 2); bb = a; a = t;
    }
    for (let i = 60; i < 80; i++) {
      const t = (((a << 5) | (a >>> 27)) + (bb ^ c ^ d) + e + K3 + W[i]) | 0;
      e = d; d = c; c = (bb << 30) | (bb >>> 2); bb = a; a = t;
    }
    h0 = (h0 + a) | 0; h1 = (h1 + bb) | 0; h2 = (h2 + c) | 0; h3 = (h3 + d) | 0; h4 = (h4 + e) | 0;
  }
  h[0] = h0; h[1] = h1; h[2] = h2; h[3] = h3; h[4] = h4;
}
