// Browser compatible. Masking (RFC 6455 §5.3): byte i of the payload is XORed
// with byte (i mod 4) of the 4-byte masking key; the same operation unmasks.
import { asBytes, describe } from './_bytes.ts';
import { xorKey, xorKeyCopy } from './_mask.ts';
import { allowSimd } from './_mask-simd.ts';

/**
 * XORs `bytes` with the masking key in place (RFC 6455 §5.3). Byte `i` is
 * XORed with `maskKey[(i + keyOffset) & 3]`, so a payload that arrives in
 * pieces can be unmasked piece by piece: pass the number of payload bytes
 * before this piece as `keyOffset`.
 *
 * @param bytes The bytes to mask or unmask: a Uint8Array or any other ArrayBufferView (a DataView, a Uint16Array, a Node Buffer), at any `byteOffset`; exactly the view's own bytes are written, in memory order. Not a bare ArrayBuffer: wrap it (`new Uint8Array(buffer)`) to say that all of it is meant, as the `.buffer` of a pooled Node Buffer or of a subarray holds other data too.
 * @param maskKey The 4-byte masking key.
 * @param keyOffset The position of `bytes[0]` in the payload (default 0).
 * @returns Nothing; `bytes` is modified.
 * @throws {TypeError} When `bytes` is not an ArrayBufferView or `maskKey` is not array-like.
 * @throws {RangeError} When `maskKey` does not have 4 bytes or `keyOffset` is not a non-negative integer.
 * @example Unmask a payload in two pieces
 * ```ts
 * maskInPlace(first, key);                 // bytes 0..first.length-1
 * maskInPlace(second, key, first.length);  // continues where the first stopped
 * ```
 */
export function maskInPlace(bytes: ArrayBufferView, maskKey: Uint8Array | ArrayLike<number>, keyOffset = 0): void {
  // A bare ArrayBuffer is refused: it has no window, and the `.buffer` of a
  // pooled Node Buffer or of a subarray holds other data that masking would
  // corrupt. `new Uint8Array(buffer)` says that all of it is meant.
  const view = bytes instanceof Uint8Array ? bytes : ArrayBuffer.isView(bytes) ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : null;
  if (view === null) throw new TypeError(`Cannot mask: Expected an ArrayBufferView (wrap an ArrayBuffer: new Uint8Array(buffer)), got ${describe(bytes)}`);
  checkKey(maskKey);
  if (!Number.isSafeInteger(keyOffset) || keyOffset < 0) throw new RangeError(`Cannot mask: keyOffset must be a non-negative integer, got ${keyOffset}`);
  xorKey(view, maskKey, keyOffset & 3);
}

/**
 * Returns an unmasked copy of a masked payload (RFC 6455 §5.3); the input is
 * left as it is.
 *
 * @param payload The masked payload: a Uint8Array, an ArrayBuffer or any other ArrayBufferView (only its own window is read).
 * @param maskKey The 4-byte masking key from the frame header.
 * @returns A new Uint8Array with the unmasked bytes.
 * @throws {TypeError} When `payload` is not an ArrayBuffer or ArrayBufferView, or `maskKey` is not array-like.
 * @throws {RangeError} When `maskKey` does not have 4 bytes.
 * @example Unmask the RFC 6455 §5.7 "Hello"
 * ```ts
 * const masked = new Uint8Array([0x7f, 0x9f, 0x4d, 0x51, 0x58]);
 * new TextDecoder().decode(unmaskPayload(masked, [0x37, 0xfa, 0x21, 0x3d])); // 'Hello'
 * ```
 */
export function unmaskPayload(payload: ArrayBuffer | ArrayBufferView, maskKey: Uint8Array | ArrayLike<number>): Uint8Array {
  const bytes = asBytes(payload, 'Cannot unmask');
  checkKey(maskKey);
  return xorKeyCopy(bytes, maskKey, 0);
}

/**
 * Allows or forbids the WebAssembly SIMD masking kernel. By default it is
 * allowed, and compiled from bytes embedded in the bundle the first time a
 * payload of 64 bytes or more is masked (never at import). Compiling
 * WebAssembly from bytes is what a Content-Security-Policy without
 * `'wasm-unsafe-eval'` forbids: masking still works there (the pure
 * TypeScript loop takes over), but the refused compilation fires a
 * `securitypolicyviolation` event and a violation report on every page load.
 * Call `setWebAssembly(false)` before the first large mask on such pages to
 * never try. Forbidding it after the kernel ran drops the kernel and its
 * 128 KiB of memory. Allowing it again lets the next large mask compile it,
 * unless the runtime already refused once. It is a setting of the whole
 * module, for every connection; results are the same bytes either way.
 *
 * @param enabled False to never compile WebAssembly (the TypeScript loop masks every payload); true to allow it, the default.
 * @returns Nothing.
 * @throws {TypeError} When `enabled` is not a boolean.
 * @example A page served with `Content-Security-Policy: script-src 'self'`
 * ```ts
 * import { setWebAssembly } from 'websocket-server';
 * setWebAssembly(false); // before anything is masked: no CSP violation report
 * ```
 */
export function setWebAssembly(enabled: boolean): void {
  if (typeof enabled !== 'boolean') throw new TypeError(`Cannot set WebAssembly: Expected a boolean, got ${describe(enabled)}`);
  allowSimd(enabled);
}

function checkKey(key: unknown): asserts key is ArrayLike<number> {
  if (key === null || typeof key !== 'object' || typeof (key as ArrayLike<number>).length !== 'number') {
    throw new TypeError(`Cannot mask: Expected the masking key to be a Uint8Array or array of bytes, got ${describe(key)}`);
  }
  if ((key as ArrayLike<number>).length !== 4) throw new RangeError(`Cannot mask: The masking key must have 4 bytes, got ${(key as ArrayLike<number>).length}`);
}
