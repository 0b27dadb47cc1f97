// Browser compatible. SHA-1 (FIPS 180-4 §6.1), written by hand so that the
// accept key is computed synchronously and with no dependency in every runtime.
import { toBytes } from './_bytes.ts';
import { SHA1_IV, compress } from './_sha1-compress.ts';

/** Two blocks: the last partial block plus padding never needs more (FIPS 180-4 §5.1.1). */
const TAIL = /* @__PURE__ */ new Uint8Array(128);
const TAIL_VIEW = /* @__PURE__ */ new DataView(TAIL.buffer);
const STATE = /* @__PURE__ */ new Int32Array(5);

/**
 * Computes the SHA-1 digest of `data` (FIPS 180-4). SHA-1 is broken for
 * collision resistance; RFC 6455 §4.2.2 only uses it to prove the server
 * read the handshake, which it still does.
 *
 * @param data The bytes to hash: a Uint8Array (any offset), ArrayBuffer, ArrayBufferView, or a string hashed as UTF-8.
 * @returns The 20-byte digest.
 * @throws {TypeError} When `data` is not bytes or a string.
 * @example Hash a string
 * ```ts
 * sha1('abc'); // Uint8Array(20) a9 99 3e 36 47 06 81 6a ba 3e 25 71 78 50 c2 6c 9c d0 d8 9d
 * ```
 */
export function sha1(data: Uint8Array | ArrayBuffer | ArrayBufferView | string): Uint8Array {
  const bytes = toBytes(data, 'SHA-1 input');
  const len = bytes.length;
  STATE.set(SHA1_IV);
  const full = len >>> 6;
  if (full > 0) {
    // Whole blocks are read straight from the input: no copy into a block buffer.
    compress(STATE, new DataView(bytes.buffer, bytes.byteOffset, full << 6), 0, full);
  }
  const rest = len & 63;
  // TAIL is all zeros here: every call leaves it so.
  TAIL.set(bytes.subarray(full << 6), 0);
  TAIL[rest] = 0x80;
  const blocks = rest < 56 ? 1 : 2;
  // FIPS 180-4 §5.1.1: the message length in bits as a 64-bit big-endian integer.
  const end = blocks * 64;
  TAIL_VIEW.setUint32(end - 8, Math.floor(len / 0x20000000), false);
  TAIL_VIEW.setUint32(end - 4, (len << 3) >>> 0, false);
  compress(STATE, TAIL_VIEW, 0, blocks);
  const out = new Uint8Array(20);
  const view = new DataView(out.buffer);
  for (let i = 0; i < 5; i++) view.setInt32(i * 4, STATE[i], false);
  // The tail held input bytes: do not leave them behind (compress keeps its schedule in locals).
  TAIL.fill(0);
  return out;
}
