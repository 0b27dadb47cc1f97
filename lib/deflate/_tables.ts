// Browser compatible. The constant tables of DEFLATE (RFC 1951 §3.2.5-§3.2.7),
// shared by the compressor and the decompressor so that both read one copy.

/** Base match length of length symbols 257-285 (RFC 1951 §3.2.5), indexed by symbol - 257. */
export const LENGTH_BASE = /* @__PURE__ */ Uint16Array.of(
  3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
  35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258,
);

/** Extra bits after length symbols 257-285 (RFC 1951 §3.2.5), indexed by symbol - 257. */
export const LENGTH_EXTRA = /* @__PURE__ */ Uint8Array.of(
  0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
  3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
);

/** Base distance of distance symbols 0-29 (RFC 1951 §3.2.5). */
export const DIST_BASE = /* @__PURE__ */ Uint16Array.of(
  1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
  257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
);

/** Extra bits after distance symbols 0-29 (RFC 1951 §3.2.5). */
export const DIST_EXTRA = /* @__PURE__ */ Uint8Array.of(
  0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
  7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
);

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
