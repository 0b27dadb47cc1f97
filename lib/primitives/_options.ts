// Browser compatible. Reading a caller's arguments: each known option read
// exactly once into a snapshot (a getter cannot answer two different things,
// and a reentrant call cannot change what was read), an unknown key refused
// with the nearest known name, and limits checked in one place. (Byte inputs:
// asBytes in _bytes.ts.)
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
 * `decodeFrame` call it per frame, then read each option once into a local.
 * Every throw is built in a function of its own, so that these helpers stay
 * small enough for V8 to inline into the per-frame functions (a larger
 * `decodeFrame` stopped inlining its unmasking loop: 20% slower, bench/read).
 */
export function checkKeys(options: unknown, known: readonly string[], where: string): asserts options is Record<string, unknown> {
  if (options === null || typeof options !== 'object') throw typeError(where, 'options', 'an object', options);
  next: for (const key in options) {
    for (let i = 0; i < known.length; i++) if (key === known[i]) continue next;
    unknownKey(options, key, known, where);
  }
}

function unknownKey(options: object, key: string, known: readonly string[], where: string): void {
  // for-in also lists inherited keys: only the object's own count.
  if (!Object.prototype.hasOwnProperty.call(options, key)) return;
  const near = nearest(key, known);
  throw new TypeError(`${where}: Unknown option ${JSON.stringify(key)}${near === undefined ? '' : ` (did you mean ${JSON.stringify(near)}?)`}`);
}

function typeError(where: string, name: string, what: string, value: unknown): TypeError {
  return new TypeError(`${where}: Expected ${name} to be ${what}, got ${describe(value)}`);
}

/**
 * A limit: any non-negative integer, or `Infinity` for none. `undefined`
 * gives `fallback`. TypeError for a non-number, RangeError for NaN, a
 * negative number or a fraction.
 */
export function readLimit(value: unknown, fallback: number, name: string, where: string): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && (value === Infinity || (Number.isSafeInteger(value) && value >= 0))) return value;
  throw typeof value === 'number' ? new RangeError(`${where}: Expected ${name} to be a non-negative integer or Infinity, got ${value}`) : typeError(where, name, 'a number', value);
}

/** A boolean option; `undefined` gives `fallback`. */
export function readBoolean(value: unknown, fallback: boolean, name: string, where: string): boolean {
  if (value === undefined) return fallback;
  if (typeof value === 'boolean') return value;
  throw typeError(where, name, 'a boolean', value);
}

/**
 * The known name closest to `key`: the least case-insensitive Levenshtein
 * distance, if it is at most a third of the key's length (at least 2).
 */
function nearest(key: string, known: readonly string[]): string | undefined {
  const k = key.toLowerCase();
  let best: string | undefined;
  let least = Math.max(2, Math.ceil(k.length / 3)) + 1;
  for (const name of known) {
    const n = name.toLowerCase();
    // One row of the distance table, updated in place.
    const row = Array.from({ length: n.length + 1 }, (_, j) => j);
    for (let i = 0; i < k.length; i++) {
      let diag = row[0]++;
      for (let j = 1; j <= n.length; j++) {
        const up = row[j];
        row[j] = Math.min(up + 1, row[j - 1] + 1, diag + (k[i] === n[j - 1] ? 0 : 1));
        diag = up;
      }
    }
    if (row[n.length] < least) { best = name; least = row[n.length]; }
  }
  return best;
}
