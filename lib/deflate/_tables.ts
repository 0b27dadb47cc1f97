// Browser compatible. The constant tables of DEFLATE (RFC 1951 §3.2.5-§3.2.7),
// shared by the compressor and the decompressor so that both read one copy.

/**
 * Base values and extra-bit counts of the length symbols 257-285 (indexed by
 * symbol - 257) and distance symbols 0-29 (RFC 1951 §3.2.5), computed rather
 * than listed (fewer bundle bytes): past the first four symbols, every two
 * (distances) or four (lengths) symbols take one more extra bit, and each base
 * follows the previous one's range. Length symbol 285 is the exception: 258,
 * no extra bits.
 */
function ladder(n: number, first: number, shift: number): [Uint16Array, Uint8Array] {
  const base = new Uint16Array(n), extra = new Uint8Array(n);
  for (let i = 0, b = first; i < n; i++) {
    extra[i] = i < 4 ? 0 : (i >> shift) - 1;
    base[i] = b;
    b += 1 << extra[i];
  }
  return [base, extra];
}

export const [LENGTH_BASE, LENGTH_EXTRA] = /* @__PURE__ */ (() => {
  const t = ladder(29, 3, 2);
  t[0][28] = 258;
  t[1][28] = 0;
  return t;
})();

export const [DIST_BASE, DIST_EXTRA] = /* @__PURE__ */ ladder(30, 1, 1);

/** The order code length code lengths are sent in, in a dynamic block's header (RFC 1951 §3.2.7). */
export const CODE_LENGTH_ORDER = /* @__PURE__ */ Uint8Array.of(16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15);

/** Code lengths of the fixed literal/length code, symbols 0-287 (RFC 1951 §3.2.6). */
export const FIXED_LITERAL_LENGTHS = /* @__PURE__ */ (() => {
  const l = new Uint8Array(288);
  l.fill(8, 0, 144).fill(9, 144, 256).fill(7, 256, 280).fill(8, 280, 288);
  return l;
})();

/** Code lengths of the fixed distance code, symbols 0-31 (RFC 1951 §3.2.6; 30 and 31 never occur in valid data). */
export const FIXED_DIST_LENGTHS = /* @__PURE__ */ new Uint8Array(32).fill(5);

/** The longest match (RFC 1951 §3.2.5). */
export const MAX_MATCH = 258;
/** The shortest match (RFC 1951 §3.2.5). */
export const MIN_MATCH = 3;
/** The end-of-block symbol (RFC 1951 §3.2.5). */
export const END_OF_BLOCK = 256;
/** The longest Huffman code DEFLATE allows (RFC 1951 §3.2.7). */
export const MAX_BITS = 15;

/** 8-bit reversal, so that reversing a code costs two reads instead of a loop over its bits. */
const REV8 = /* @__PURE__ */ (() => {
  const r = new Uint8Array(256);
  for (let i = 0; i < 256; i++) {
    let x = i, y = 0;
    for (let b = 0; b < 8; b++) { y = (y << 1) | (x & 1); x >>= 1; }
    r[i] = y;
  }
  return r;
})();

/**
 * The low `len` bits (1-15) of `code`, in reverse order: Huffman codes are
 * sent most significant bit first (RFC 1951 §3.1.1) into an LSB-first bit
 * buffer, so both the decoder's tables and the encoder's codes are reversed.
 * One copy for both sides.
 */
export function reverse(code: number, len: number): number {
  return ((REV8[code & 255] << 8) | REV8[(code >>> 8) & 255]) >>> (16 - len);
}
