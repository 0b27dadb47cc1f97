// Browser compatible. Reading a caller's arguments: each known option read
// exactly once into a snapshot (a getter cannot answer two different things,
// and a reentrant call cannot change what was read), an unknown key refused
// with the nearest known name, limits checked in one place, and byte inputs
// taken in every form a runtime hands out.
import { describe } from './_bytes.ts';

/**
 * Reads `options` (undefined for none) into a null-prototype snapshot of the
 * `known` keys, each read once. Throws `TypeError` for a non-object or for an
 * own enumerable key that is not known, naming it and the nearest known name.
 */
export function readOptions(options: unknown, known: readonly string[], where: string): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  if (options === undefined) return out;
  checkKeys(options, known, where);
  for (const key of known) out[key] = (options as Record<string, unknown>)[key];
  return out;
}

/**
 * Throws `TypeError` when `options` is not an object or has an own enumerable
 * key that is not `known`, naming it and the nearest known name. Reads no
 * value and allocates nothing when every key is known: the encoders and
 * `decodeFrame` call it per frame, where `Object.keys` cost a fifth of a
 * small frame (bench/encode), then read each option once into a local.
 */
export function checkKeys(options: unknown, known: readonly string[], where: string): asserts options is Record<string, unknown> {
  if (options === null || typeof options !== 'object') throw new TypeError(`${where}: Expected options to be an object, got ${describe(options)}`);
  for (const key in options) {
    if (!known.includes(key) && Object.prototype.hasOwnProperty.call(options, key)) {
      const near = nearest(key, known);
      throw new TypeError(`${where}: Unknown option ${JSON.stringify(key)}${near === undefined ? '' : ` (did you mean ${JSON.stringify(near)}?)`}`);
    }
  }
}

/**
 * Bytes from a `Uint8Array` (as is), an `ArrayBuffer` or any `ArrayBufferView`
 * (a view of its own window only, never a copy). `TypeError` for anything else.
 */
export function readBytes(value: unknown, what: string, where: string): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  throw new TypeError(`${where}: Expected ${what} to be a Uint8Array, ArrayBuffer or ArrayBufferView, got ${describe(value)}`);
}

/**
 * A limit: any non-negative integer, or `Infinity` for none. `undefined`
 * gives `fallback`. TypeError for a non-number, RangeError for NaN, a
 * negative number or a fraction.
 */
export function readLimit(value: unknown, fallback: number, name: string, where: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number') throw new TypeError(`${where}: ${name} must be a number, got ${describe(value)}`);
  if (value !== Infinity && !(Number.isSafeInteger(value) && value >= 0)) {
    throw new RangeError(`${where}: ${name} must be a non-negative integer or Infinity, got ${value}`);
  }
  return value;
}

/** A boolean option; `undefined` gives `fallback`. */
export function readBoolean(value: unknown, fallback: boolean, name: string, where: string): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new TypeError(`${where}: ${name} must be a boolean, got ${describe(value)}`);
  return value;
}

/** The known name closest to `key` (case-insensitive edit distance of at most a third of its length), if any. */
function nearest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestScore = Math.max(2, Math.ceil(key.length / 3)) + 1;
  const k = key.toLowerCase();
  for (const name of known) {
    const d = distance(k, name.toLowerCase());
    if (d < bestScore) { best = name; bestScore = d; }
  }
  return best;
}

/** Levenshtein distance, one row. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j];
      row[j] = Math.min(up + 1, row[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return row[b.length];
}
