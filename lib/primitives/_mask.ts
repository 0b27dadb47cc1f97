// Browser compatible. The masking hot loop (RFC 6455 §5.3), for callers that
// have validated their arguments: `maskInPlace`, the encoders and the readers.
import { simdXor, simdXorInto } from './_mask-simd.ts';

/**
 * From this length the WebAssembly SIMD kernel (a copy in, a 16-byte-wide
 * XOR, a copy out) beats the byte loop, where the runtime lets us compile it
 * (measured in bench/mask).
 */
const SIMD_MIN = 64;
/** Below this, building a word view costs more than it saves (measured in bench/mask). */
const WORD_LOOP_MIN = 128;
/**
 * Below this, payloads are copied and masked by a plain loop at an index,
 * never through a view: on a Node Buffer `subarray` runs Buffer's own
 * constructor, and on a small V8 on-heap array it first moves the array off
 * the heap; both cost more than the loop (measured in bench/encode, bench/read).
 */
export const SMALL_COPY = 64;
/** Turns four key bytes into one word in the platform's own byte order. */
const KEY_BYTES = /* @__PURE__ */ new Uint8Array(4);
const KEY_WORD = /* @__PURE__ */ new Int32Array(KEY_BYTES.buffer);

/**
 * The hot loop, for internal callers that have validated their arguments.
 * `rot` is the key position of `bytes[0]` (0-3). Kept small, so that the JIT
 * inlines it and, for short payloads, the loop into the caller.
 */
export function xorKey(bytes: Uint8Array, key: ArrayLike<number>, rot: number): void {
  if (bytes.length < SIMD_MIN) xorShort(bytes, key, rot);
  else xorLong(bytes, key, rot);
}

/** Short payloads: four bytes per turn with the key bytes in registers. */
function xorShort(bytes: Uint8Array, key: ArrayLike<number>, rot: number): void {
  const n = bytes.length;
  const k0 = key[rot & 3] & 255, k1 = key[(rot + 1) & 3] & 255, k2 = key[(rot + 2) & 3] & 255, k3 = key[(rot + 3) & 3] & 255;
  let i = 0;
  for (const end = n - 3; i < end; i += 4) {
    bytes[i] ^= k0; bytes[i + 1] ^= k1; bytes[i + 2] ^= k2; bytes[i + 3] ^= k3;
  }
  if (i < n) { bytes[i++] ^= k0; if (i < n) { bytes[i++] ^= k1; if (i < n) bytes[i] ^= k2; } }
}

/** From SIMD_MIN bytes: the SIMD kernel where it runs, else a loop of 32-bit words. */
function xorLong(bytes: Uint8Array, key: ArrayLike<number>, rot: number): void {
  const n = bytes.length;
  const k0 = key[rot & 3] & 255, k1 = key[(rot + 1) & 3] & 255, k2 = key[(rot + 2) & 3] & 255, k3 = key[(rot + 3) & 3] & 255;
  if (simdXor(bytes, k0 | (k1 << 8) | (k2 << 16) | (k3 << 24))) return;
  if (n < WORD_LOOP_MIN) { xorShort(bytes, key, rot); return; }
  // Bytes up to the first 4-byte-aligned address: a word view must be aligned.
  const head = (4 - (bytes.byteOffset & 3)) & 3;
  let i = 0;
  for (; i < head; i++) bytes[i] ^= i === 0 ? k0 : i === 1 ? k1 : k2;
  // The key as seen from byte `head`, as one word in platform byte order.
  KEY_BYTES[0] = key[(rot + head) & 3]; KEY_BYTES[1] = key[(rot + head + 1) & 3];
  KEY_BYTES[2] = key[(rot + head + 2) & 3]; KEY_BYTES[3] = key[(rot + head + 3) & 3];
  const m = KEY_WORD[0];
  const count = (n - head) >>> 2;
  const words = new Int32Array(bytes.buffer, bytes.byteOffset + head, count);
  let j = 0;
  // Unrolled by eight: fewer bound checks and loop branches per byte
  // (eight beat four by 10-20% in Node and Deno, and tie in Bun: bench/mask).
  for (const end8 = count - 7; j < end8; j += 8) {
    words[j] ^= m; words[j + 1] ^= m; words[j + 2] ^= m; words[j + 3] ^= m;
    words[j + 4] ^= m; words[j + 5] ^= m; words[j + 6] ^= m; words[j + 7] ^= m;
  }
  for (; j < count; j++) words[j] ^= m;
  i = head + count * 4;
  // The last 0-3 bytes are at key positions head..head+2 again.
  for (let r = head; i < n; i++, r++) bytes[i] ^= (r & 3) === 0 ? k0 : (r & 3) === 1 ? k1 : (r & 3) === 2 ? k2 : k3;
}

/**
 * Writes `src[start..start + len)` XORed with `key` from key position `rot`
 * to `dst[at..]` (`dst` may be `src` at the same place): the loop for short
 * payloads on the internal paths, four bytes a turn with the key in
 * registers. Apart from `xorShort`, so that `maskInPlace`'s loop only ever
 * sees its callers' arrays, and stays specialised for them.
 */
function xorCopyShort(src: Uint8Array, start: number, dst: Uint8Array, at: number, len: number, key: ArrayLike<number>, rot: number): void {
  const k0 = key[rot & 3], k1 = key[(rot + 1) & 3], k2 = key[(rot + 2) & 3], k3 = key[(rot + 3) & 3];
  let i = 0;
  for (const end = len - 3; i < end; i += 4) {
    dst[at + i] = src[start + i] ^ k0; dst[at + i + 1] = src[start + i + 1] ^ k1;
    dst[at + i + 2] = src[start + i + 2] ^ k2; dst[at + i + 3] = src[start + i + 3] ^ k3;
  }
  for (; i < len; i++) dst[at + i] = src[start + i] ^ key[(rot + i) & 3];
}

/**
 * Writes `src` masked with `key` from key position `rot` into `dst` at
 * `offset`, leaving `src` as it is. With the SIMD kernel this copies once
 * instead of twice (`set` then `xorKey`): what the encoders need.
 */
export function xorKeyInto(src: Uint8Array, dst: Uint8Array, offset: number, key: ArrayLike<number>, rot: number): void {
  const n = src.length;
  if (n < SIMD_MIN) { xorCopyShort(src, 0, dst, offset, n, key, rot); return; }
  const k0 = key[rot & 3] & 255, k1 = key[(rot + 1) & 3] & 255, k2 = key[(rot + 2) & 3] & 255, k3 = key[(rot + 3) & 3] & 255;
  if (simdXorInto(src, dst, offset, k0 | (k1 << 8) | (k2 << 16) | (k3 << 24))) return;
  dst.set(src, offset);
  xorLong(offset === 0 && n === dst.length ? dst : dst.subarray(offset, offset + n), key, rot);
}

/**
 * Returns a new array holding `src` masked with `key` from key position
 * `rot`, leaving `src` as it is: what the readers need (one copy with the
 * SIMD kernel, where `slice` then `xorKey` makes two).
 */
export function xorKeyCopy(src: Uint8Array, key: ArrayLike<number>, rot: number): Uint8Array {
  const out = new Uint8Array(src.length);
  xorKeyInto(src, out, 0, key, rot);
  return out;
}

/**
 * A new array holding `src[start..start + len)` XORed with `key` from key
 * position 0, or a plain copy when `key` is null. `src` is left as it is.
 */
export function copyMasked(src: Uint8Array, start: number, len: number, key: ArrayLike<number> | null): Uint8Array {
  if (len < SMALL_COPY) {
    const out = new Uint8Array(len);
    if (key === null) for (let i = 0; i < len; i++) out[i] = src[start + i];
    else xorCopyShort(src, start, out, 0, len, key, 0);
    return out;
  }
  const view = src.subarray(start, start + len);
  if (key !== null) return xorKeyCopy(view, key, 0);
  const out = new Uint8Array(len);
  out.set(view);
  return out;
}

/** XORs `bytes[start..start + len)` in place with `key` from key position 0. */
export function xorKeyAt(bytes: Uint8Array, start: number, len: number, key: ArrayLike<number>): void {
  if (len < SMALL_COPY) xorCopyShort(bytes, start, bytes, start, len, key, 0);
  else xorLong(start === 0 && len === bytes.length ? bytes : bytes.subarray(start, start + len), key, 0);
}
