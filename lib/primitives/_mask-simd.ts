// Browser compatible. The masking loop (RFC 6455 §5.3) as a WebAssembly SIMD
// kernel: 16 bytes per instruction where the pure-TypeScript loop does 4.
// The kernel is embedded as bytes (no file to fetch, no dependency) and
// compiled on first use, never at import: a Content-Security-Policy without
// 'wasm-unsafe-eval' reports every compilation it refuses, so a page that
// masks nothing large reports nothing, and `setWebAssembly(false)` (mask.ts)
// forbids even that. Where a runtime refuses to compile WebAssembly from
// bytes (workerd, such a CSP) or has no WebAssembly, `simdXor` returns false
// and the caller runs the TypeScript loop instead.

/**
 * The kernel, assembled by bench/wasm-mask.mjs from this text:
 *
 *   (module
 *     (memory (export "m") 1)
 *     (func (export "x") (param $p i32) (param $end i32) (param $key i32)
 *       (local $k v128)
 *       (local.set $k (i32x4.splat (local.get $key)))
 *       (block $done
 *         (loop $next
 *           (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
 *           (v128.store offset=0 (local.get $p) (v128.xor (v128.load offset=0 (local.get $p)) (local.get $k)))
 *           (v128.store offset=16 (local.get $p) (v128.xor (v128.load offset=16 (local.get $p)) (local.get $k)))
 *           (v128.store offset=32 (local.get $p) (v128.xor (v128.load offset=32 (local.get $p)) (local.get $k)))
 *           (v128.store offset=48 (local.get $p) (v128.xor (v128.load offset=48 (local.get $p)) (local.get $k)))
 *           (local.set $p (i32.add (local.get $p) (i32.const 64)))
 *           (br $next)))))
 */
export const KERNEL = /* @__PURE__ */ new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x07, 0x01, 0x60, 0x03, 0x7f, 0x7f, 0x7f,
  0x00, 0x03, 0x02, 0x01, 0x00, 0x05, 0x03, 0x01, 0x00, 0x01, 0x07, 0x09, 0x02, 0x01, 0x6d, 0x02,
  0x00, 0x01, 0x78, 0x00, 0x00, 0x0a, 0x63, 0x01, 0x61, 0x01, 0x01, 0x7b, 0x20, 0x02, 0xfd, 0x11,
  0x21, 0x03, 0x02, 0x40, 0x03, 0x40, 0x20, 0x00, 0x20, 0x01, 0x4f, 0x0d, 0x01, 0x20, 0x00, 0x20,
  0x00, 0xfd, 0x00, 0x04, 0x00, 0x20, 0x03, 0xfd, 0x51, 0xfd, 0x0b, 0x04, 0x00, 0x20, 0x00, 0x20,
  0x00, 0xfd, 0x00, 0x04, 0x10, 0x20, 0x03, 0xfd, 0x51, 0xfd, 0x0b, 0x04, 0x10, 0x20, 0x00, 0x20,
  0x00, 0xfd, 0x00, 0x04, 0x20, 0x20, 0x03, 0xfd, 0x51, 0xfd, 0x0b, 0x04, 0x20, 0x20, 0x00, 0x20,
  0x00, 0xfd, 0x00, 0x04, 0x30, 0x20, 0x03, 0xfd, 0x51, 0xfd, 0x0b, 0x04, 0x30, 0x20, 0x00, 0x41,
  0xc0, 0x00, 0x6a, 0x21, 0x00, 0x0c, 0x00, 0x0b, 0x0b, 0x0b,
]);

/**
 * Bytes copied into the kernel's memory per pass. One pass per call up to
 * this size, and few calls above it: each pass costs two views and two calls
 * across the boundary, and at 1-16 MiB 128 KiB passes ran twice as fast as
 * 8 KiB ones (they still sit in L2 between the copy in, the XOR and the copy
 * out: bench/mask). A multiple of 64, and 128 bytes short of the kernel's two
 * pages, for the start offset (below 16) and the kernel's overrun (up to 63).
 */
const CHUNK = 131072 - 128;
/** The kernel's memory in 64 KiB pages: it declares 1 and grows once to hold CHUNK. */
const PAGES = 2;
/**
 * Views of the kernel's memory are kept for copies shorter than this: making
 * one per call costs about as much as masking 100 bytes. At most 256 views,
 * made as lengths are seen.
 */
const VIEW_CACHE = 256;
/**
 * Longer copies keep their view in one of SLOTS slots picked by length and
 * phase, as a direct-mapped cache: a view costs 30-40 ns in Deno and Bun,
 * a third of masking 1 KiB there (bench/mask), and payload sizes repeat. A
 * miss costs one comparison. Only views of our own memory are kept.
 */
const SLOTS = 64;

/** 0: not tried yet, 1: ready, -1: unavailable in this runtime, -2: forbidden by `allowSimd(false)`. */
let state = 0;
let mem: Uint8Array | null = null;
let run: ((p: number, end: number, key: number) => void) | null = null;
/** Indexed by length; filled with null at first so that it stays a dense array. */
let views: (Uint8Array | null)[] = [];
/** Slot i holds the view `slotView[i]`, made for the key `slotKey[i]` (length * 16 + phase). */
const slotKey = /* @__PURE__ */ new Int32Array(SLOTS).fill(-1);
let slotView: Uint8Array[] = [];

function init(): boolean {
  state = -1;
  try {
    const exports = new WebAssembly.Instance(new WebAssembly.Module(KERNEL), {}).exports;
    const memory = exports.m as WebAssembly.Memory;
    memory.grow(PAGES - 1);
    mem = new Uint8Array(memory.buffer);
    run = exports.x as (p: number, end: number, key: number) => void;
    views = new Array<Uint8Array | null>(VIEW_CACHE).fill(null);
    slotView = new Array<Uint8Array>(SLOTS).fill(mem);
    // A kernel compiled again (after allowSimd(false), then true) must not find a key of the old one's slots.
    slotKey.fill(-1);
    state = 1;
  } catch {
    // Compilation refused (workerd: "Wasm code generation disallowed by embedder"): keep the TS loop.
  }
  return state === 1;
}

/**
 * Forbids (false) or allows (true) the kernel. Forbidding drops a compiled
 * kernel and its memory; allowing undoes only a forbid, never a refusal by
 * the runtime, which would be refused (and reported by a CSP) again.
 */
export function allowSimd(on: boolean): void {
  if (!on) {
    // A runtime's refusal (-1) is kept: allowing again must not retry it.
    if (state >= 0) state = -2;
    mem = null; run = null; views = []; slotView = [];
  } else if (state === -2) {
    state = 0;
  }
}

/**
 * Copies `src` into the kernel's memory, XORs it, and copies it to `dst[at]`.
 * From VIEW_CACHE bytes up the copy lands at the same address mod 16 as its
 * destination: JavaScriptCore copies between buffers out of phase at a tenth
 * of the speed. Below, reading `byteOffset` (about 10 ns on a Node Buffer)
 * would cost more than it saves.
 */
function pass(src: Uint8Array, dst: Uint8Array, at: number, key: number): void {
  const m = mem as Uint8Array, x = run as (p: number, end: number, key: number) => void;
  const n = src.length;
  if (n < VIEW_CACHE) {
    m.set(src);
    x(0, n, key);
    dst.set(views[n] ??= m.subarray(0, n), at);
    return;
  }
  const p = (dst.byteOffset + at) & 15;
  m.set(src, p);
  x(p, p + n, key);
  const k = n * 16 + p, slot = (n + p) & (SLOTS - 1);
  let view = slotView[slot];
  if (slotKey[slot] !== k) { view = slotView[slot] = m.subarray(p, p + n); slotKey[slot] = k; }
  dst.set(view, at);
}

/**
 * XORs `bytes` in place with `key`, the four key bytes as seen from
 * `bytes[0]` packed little-endian (byte 0 in the low 8 bits), as WebAssembly
 * memory always is. Returns false, leaving `bytes` untouched, when
 * WebAssembly cannot be used here.
 */
export function simdXor(bytes: Uint8Array, key: number): boolean {
  return simdXorInto(bytes, bytes, 0, key);
}

/**
 * Writes `src` XORed with `key` (packed as for `simdXor`) into `dst` at
 * `offset` (`dst` may be `src` itself, at offset 0). One copy fewer than
 * copying, then XORing in place. Returns false, writing nothing, when
 * WebAssembly cannot be used here.
 */
export function simdXorInto(src: Uint8Array, dst: Uint8Array, offset: number, key: number): boolean {
  // init() fails (and pins the TypeScript loop) where WebAssembly is absent or refuses bytes.
  if (state !== 1 && (state < 0 || !init())) return false;
  const n = src.length;
  if (n <= CHUNK) {
    pass(src, dst, offset, key);
    return true;
  }
  for (let off = 0; off < n; off += CHUNK) pass(src.subarray(off, Math.min(off + CHUNK, n)), dst, offset + off, key);
  return true;
}
