// Browser compatible. The commonest message of all, a short text frame that
// arrived whole, read straight from the chunk to a string (MessageReader's
// short-text path). One reader at a time runs `push` to its end, so the
// arrays here are shared by every reader.
import { SMALL_COPY } from '../primitives/_mask.ts';

/**
 * The unmasked character codes of the last short text, one array per length
 * (made as lengths are seen): `String.fromCharCode` on a reused array costs
 * less than a call into TextDecoder. The scratch bytes are over 64, so V8
 * keeps them off its heap, with a view per length made once: decoding a fresh
 * small array costs twice as much, as V8 first moves it off its heap (bench/read).
 */
const CODES: (number[] | undefined)[] = /* @__PURE__ */ new Array<number[] | undefined>(SMALL_COPY).fill(undefined);
const SCRATCH = /* @__PURE__ */ new Uint8Array(256);
const SCRATCH_VIEWS: (Uint8Array | undefined)[] = /* @__PURE__ */ new Array<Uint8Array | undefined>(SMALL_COPY).fill(undefined);

/**
 * Unmasks `take` (< SMALL_COPY) bytes at `chunk[pos]` with `key` (its four
 * bytes as one big-endian word, 0 for an unmasked frame) into the codes of
 * that length, and returns them as a string when they are ASCII (known from
 * the unmasking loop, no validation needed), else null: then
 * `shortBytes(take)` holds them for validation.
 */
export function shortAscii(chunk: Uint8Array, pos: number, take: number, key: number): string | null {
  const a = CODES[take] ??= new Array<number>(take).fill(0);
  const k0 = key >>> 24, k1 = (key >>> 16) & 255, k2 = (key >>> 8) & 255, k3 = key & 255;
  let any = 0;
  let i = 0;
  for (const end = take - 3; i < end; i += 4) {
    const b0 = chunk[pos + i] ^ k0, b1 = chunk[pos + i + 1] ^ k1, b2 = chunk[pos + i + 2] ^ k2, b3 = chunk[pos + i + 3] ^ k3;
    a[i] = b0; a[i + 1] = b1; a[i + 2] = b2; a[i + 3] = b3;
    any |= b0 | b1 | b2 | b3;
  }
  // The last 0-3 bytes, at key positions 0-2: the key's top byte, shifted up each turn.
  for (let k = key; i < take; i++, k <<= 8) { const b = chunk[pos + i] ^ (k >>> 24); a[i] = b; any |= b; }
  return (any & 0x80) === 0 ? String.fromCharCode.apply(null, a) : null;
}

/** The codes `shortAscii` last unmasked for `take`, as bytes in the shared scratch buffer. */
export function shortBytes(take: number): Uint8Array {
  const codes = CODES[take] as number[];
  for (let i = 0; i < take; i++) SCRATCH[i] = codes[i];
  return SCRATCH_VIEWS[take] ??= SCRATCH.subarray(0, take);
}
