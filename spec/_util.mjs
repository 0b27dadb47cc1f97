// Portable spec helpers: no node: modules, no Buffer, no process, so that the
// unit specs run unchanged in Node, Deno, Bun, workerd and Chromium.
import * as assert from 'uvu/assert';

const ENC = new TextEncoder();

/** UTF-8 bytes of a string, from the platform's TextEncoder (the reference). */
export function utf8(text) {
  return ENC.encode(text);
}

/** Bytes from hex text; spaces are ignored ("81 05 48"). */
export function hex(text) {
  const s = text.replace(/\s+/g, '');
  if (s.length % 2 !== 0 || /[^0-9a-f]/i.test(s)) throw new Error(`Bad hex in a spec: ${text}`);
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Lower-case hex of any byte view (compared as strings, so a failure shows a readable diff). */
export function toHex(bytes) {
  const b = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes.buffer ?? bytes, bytes.byteOffset ?? 0, bytes.byteLength);
  let s = '';
  for (let i = 0; i < b.length; i++) s += (b[i] < 16 ? '0' : '') + b[i].toString(16);
  return s;
}

/** Asserts two byte sequences hold the same bytes. */
export function bytesEqual(actual, expected, msg) {
  assert.ok(actual instanceof Uint8Array, `${msg ?? 'bytes'}: expected a Uint8Array, got ${Object.prototype.toString.call(actual)}`);
  assert.is(actual.length, expected.length, `${msg ?? 'bytes'}: length`);
  // Compare first; build the (slow) hex diff only on a mismatch, around the first difference.
  let i = 0;
  while (i < actual.length && actual[i] === expected[i]) i++;
  if (i === actual.length) return;
  const from = Math.max(0, i - 16);
  assert.is(toHex(actual.subarray(from, i + 48)), toHex(expected.subarray(from, i + 48)), `${msg ?? 'bytes'}: first difference at byte ${i}`);
}

/** Joins byte arrays into one new Uint8Array. */
export function concat(...parts) {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

/** Bytes of `n` copies of `byte`. */
export function repeatByte(byte, n) {
  return new Uint8Array(n).fill(byte);
}

/**
 * A copy of `bytes` placed at `offset` inside a larger buffer, with 0xA5
 * filler before and after, returned as a view of exactly `bytes.length`
 * bytes: code that ignores `byteOffset` or reads past the view's end breaks.
 */
export function atOffset(bytes, offset, after = 7) {
  const big = new Uint8Array(offset + bytes.length + after).fill(0xa5);
  big.set(bytes, offset);
  return big.subarray(offset, offset + bytes.length);
}

/** A Uint8Array whose `slice` is a view, as a Node Buffer's is (Buffer.prototype.slice = subarray). */
class ViewSlicing extends Uint8Array {
  slice(start, end) {
    return this.subarray(start, end);
  }
}

/**
 * `bytes` as `atOffset` places them, in a Uint8Array whose `slice()` returns
 * a view as a Node Buffer's does (in every runtime, Buffer or not): code that
 * copies with `slice()` shares the caller's memory and breaks.
 */
export function bufferLike(bytes, offset = 3) {
  const view = atOffset(bytes, offset);
  return new ViewSlicing(view.buffer, view.byteOffset, view.byteLength);
}

/** A small seeded PRNG (mulberry32): repeatable random inputs in every runtime. */
export function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const int = (n) => next() % n;
  const bytes = (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = next() & 255;
    return out;
  };
  /** A string of `n` UTF-16 units mixing ASCII, 2-, 3- and 4-byte characters and lone surrogates. */
  const string = (n) => {
    let s = '';
    while (s.length < n) {
      const k = int(6);
      if (k < 2) s += String.fromCharCode(0x20 + int(95));
      else if (k === 2) s += String.fromCharCode(0x80 + int(0x780));
      else if (k === 3) s += String.fromCharCode(0x800 + int(0xd000 - 0x800));
      else if (k === 4 && s.length + 2 <= n) s += String.fromCodePoint(0x10000 + int(0x100000));
      else s += String.fromCharCode(0xd800 + int(0x800)); // lone surrogate
    }
    return s;
  };
  return { next, int, bytes, string };
}

/**
 * Runs `fn`, asserts it throws exactly `ErrorClass` (not a subclass or a
 * sibling: a RangeError must not pass for a TypeError), that the listed
 * properties (closeCode, status) match, and that the message follows the
 * project style (sentence case, no closing period). Returns the error.
 */
export function expectThrow(fn, ErrorClass, props = {}, label = '') {
  let threw = false;
  let err;
  try {
    fn();
  } catch (e) {
    threw = true;
    err = e;
  }
  const where = label ? `${label}: ` : '';
  assert.ok(threw, `${where}expected ${ErrorClass.name} to be thrown, but nothing was`);
  assert.ok(err instanceof ErrorClass && err.constructor === ErrorClass, `${where}expected ${ErrorClass.name}, got ${err?.constructor?.name}: ${err?.message}`);
  for (const key of Object.keys(props)) assert.is(err[key], props[key], `${where}${ErrorClass.name}.${key} (${err.message})`);
  assert.type(err.message, 'string');
  assert.ok(/^[A-Z]/.test(err.message), `${where}message should start with a capital letter: ${err.message}`);
  assert.ok(!err.message.endsWith('.'), `${where}message should not end with a period: ${err.message}`);
  return err;
}

/** Asserts `fn` does not throw and returns its result. */
export function noThrow(fn, label = '') {
  try {
    return fn();
  } catch (e) {
    assert.unreachable(`${label ? label + ': ' : ''}threw ${e?.constructor?.name}: ${e?.message}`);
  }
}

/**
 * SHA-1 from the platform's WebCrypto, an independent reference present in
 * Node 20, Deno, Bun, workerd and secure browser pages.
 */
export async function referenceSha1(bytes) {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw new Error('WebCrypto (crypto.subtle) is needed as the SHA-1 reference; run the page from a secure context');
  return new Uint8Array(await subtle.digest('SHA-1', bytes));
}

/** Base64 from the platform's btoa (every runtime has it), on a byte array. */
export function referenceBase64(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return btoa(s);
}

/**
 * The header lines `lines` (a request head as an array of lines) with the
 * header `name` replaced by `line`: removed when `line` is null, added at the
 * end when absent. Names compare case-insensitively.
 */
export function replaceHeader(lines, name, line) {
  const out = [];
  let found = false;
  for (const l of lines) {
    if (l.toLowerCase().startsWith(name.toLowerCase() + ':')) { found = true; if (line !== null) out.push(line); }
    else out.push(l);
  }
  if (!found && line !== null) out.push(line);
  return out;
}
