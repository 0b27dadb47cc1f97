// Browser compatible. Masking (RFC 6455 §5.3): byte i of the payload is XORed
// with byte (i mod 4) of the 4-byte masking key; the same operation unmasks.
import { describe } from './_bytes.ts';
import { xorKey, xorKeyCopy } from './_mask.ts';

/**
 * XORs `bytes` with the masking key in place (RFC 6455 §5.3). Byte `i` is
 * XORed with `maskKey[(i + keyOffset) & 3]`, so a payload that arrives in
 * pieces can be unmasked piece by piece: pass the number of payload bytes
 * before this piece as `keyOffset`.
 *
 * @param bytes The bytes to mask or unmask, at any `byteOffset`.
 * @param maskKey The 4-byte masking key.
 * @param keyOffset The position of `bytes[0]` in the payload (default 0).
 * @returns Nothing; `bytes` is modified.
 * @throws {TypeError} When `bytes` is not a Uint8Array or `maskKey` is not array-like.
 * @throws {RangeError} When `maskKey` does not have 4 bytes or `keyOffset` is not a non-negative integer.
 * @example Unmask a payload in two pieces
 * ```ts
 * maskInPlace(first, key);                 // bytes 0..first.length-1
 * maskInPlace(second, key, first.length);  // continues where the first stopped
 * ```
 */
export function maskInPlace(bytes: Uint8Array, maskKey: Uint8Array | ArrayLike<number>, keyOffset = 0): void {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`Cannot mask: Expected a Uint8Array, got ${describe(bytes)}`);
  checkKey(maskKey);
  if (!Number.isSafeInteger(keyOffset) || keyOffset < 0) throw new RangeError(`Cannot mask: keyOffset must be a non-negative integer, got ${keyOffset}`);
  xorKey(bytes, maskKey, keyOffset & 3);
}

/**
 * Returns an unmasked copy of a masked payload (RFC 6455 §5.3); the input is
 * left as it is.
 *
 * @param payload The masked payload.
 * @param maskKey The 4-byte masking key from the frame header.
 * @returns A new Uint8Array with the unmasked bytes.
 * @throws {TypeError} When `payload` is not a Uint8Array or `maskKey` is not array-like.
 * @throws {RangeError} When `maskKey` does not have 4 bytes.
 * @example Unmask the RFC 6455 §5.7 "Hello"
 * ```ts
 * const masked = new Uint8Array([0x7f, 0x9f, 0x4d, 0x51, 0x58]);
 * new TextDecoder().decode(unmaskPayload(masked, [0x37, 0xfa, 0x21, 0x3d])); // 'Hello'
 * ```
 */
export function unmaskPayload(payload: Uint8Array, maskKey: Uint8Array | ArrayLike<number>): Uint8Array {
  if (!(payload instanceof Uint8Array)) throw new TypeError(`Cannot unmask: Expected a Uint8Array, got ${describe(payload)}`);
  checkKey(maskKey);
  return xorKeyCopy(payload, maskKey, 0);
}

function checkKey(key: unknown): asserts key is ArrayLike<number> {
  if (key === null || typeof key !== 'object' || typeof (key as ArrayLike<number>).length !== 'number') {
    throw new TypeError(`Cannot mask: Expected the masking key to be a Uint8Array or array of bytes, got ${describe(key)}`);
  }
  if ((key as ArrayLike<number>).length !== 4) throw new RangeError(`Cannot mask: The masking key must have 4 bytes, got ${(key as ArrayLike<number>).length}`);
}
