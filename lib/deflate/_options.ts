// Browser compatible. The integer option reader of deflate.ts, inflate.ts and
// the permessage-deflate extension: one copy of its checks and messages in the
// bundle instead of three.
import { describe } from '../primitives/_bytes.ts';

/**
 * `value` if it is an integer from `min` to `max`, `fallback` if undefined.
 *
 * @param value The option as given.
 * @param fallback What undefined stands for.
 * @param min The least value allowed.
 * @param max The greatest value allowed.
 * @param name The option's name, for the message.
 * @param where The message's prefix ("Cannot deflate").
 * @returns The integer, or `fallback`.
 * @throws {TypeError} When `value` is neither undefined nor a number.
 * @throws {RangeError} When it is not an integer from `min` to `max`.
 * @example Reading a level
 * ```ts
 * readInteger(undefined, 6, 0, 9, 'level', 'Cannot deflate'); // 6
 * ```
 */
export function readInteger<F extends number | undefined>(value: unknown, fallback: F, min: number, max: number, name: string, where: string): number | F {
  if (value === undefined) return fallback;
  if (typeof value !== 'number') throw new TypeError(`${where}: Expected ${name} to be a number, got ${describe(value)}`);
  if (!Number.isInteger(value) || value < min || value > max) throw new RangeError(`${where}: Expected ${name} to be an integer from ${min} to ${max}, got ${value}`);
  return value;
}
