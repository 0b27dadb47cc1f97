// Portable helpers for the MessageReader specs: client frames, raw headers for
// frames the encoder refuses to build, chunked feeding and message comparison.
// No node: imports, no Buffer, no process: these also run in Deno, Bun, workerd and Chromium.
import * as assert from 'uvu/assert';
import { encodeFrame, FRAME_RULES, ProtocolError } from '../dist/index.js';
import { concat, prng as basePrng } from './_util.mjs';

export { concat };

/** The masking key of RFC 6455 §5.7's masked examples. */
export const KEY = new Uint8Array([0x37, 0xfa, 0x21, 0x3d]);

/** A frame as a client sends it (masked, RFC 6455 §5.3); `mask: false` for a server's frame. */
export function frame(opcode, payload, { fin = true, mask = KEY } = {}) {
  return encodeFrame(opcode, payload ?? new Uint8Array(0), { fin, mask });
}

/**
 * A header built bit by bit (RFC 6455 §5.2), for frames the encoder refuses:
 * RSV bits, reserved opcodes, fragmented or oversized control frames,
 * non-minimal lengths. `len` is the 7-bit field and `ext` the extended length bytes.
 */
export function header({ fin = true, rsv = 0, opcode, masked = true, len, ext = [], key = KEY }) {
  const b0 = (fin ? 0x80 : 0) | (rsv << 4) | opcode;
  const b1 = (masked ? 0x80 : 0) | len;
  return Uint8Array.from([b0, b1, ...ext, ...(masked ? key : [])]);
}

/** Big-endian bytes of `value` in `n` bytes (for 16- and 64-bit lengths). */
export function be(value, n) {
  const out = [];
  for (let i = n - 1; i >= 0; i--) out.push(Math.floor(value / 2 ** (8 * i)) % 256);
  return out;
}

export function hex(bytes) {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

export function fromHex(text) {
  const clean = text.replace(/[^0-9a-f]/gi, '');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** The seeded PRNG of _util.mjs (the same bytes on every runtime), with `int(lo, hi)` over an inclusive range. */
export function prng(seed) {
  const base = basePrng(seed);
  return { next: base.next, bytes: base.bytes, int: (lo, hi) => lo + (base.next() % (hi - lo + 1)) };
}

/** Cut points 1..n-1: every byte in its own chunk. */
export function everyByte(n) {
  return Array.from({ length: Math.max(0, n - 1) }, (_, i) => i + 1);
}

/** Random cut points with chunks of lo..hi bytes. */
export function randomCuts(n, rng, lo, hi) {
  const cuts = [];
  for (let at = rng.int(lo, hi); at < n; at += rng.int(lo, hi)) cuts.push(at);
  return cuts;
}

/**
 * Pushes `bytes` split at the ascending `cuts` and collects every message.
 * A ProtocolError stops the feed: its `messages` are collected too, and the
 * result tells which chunk threw and where that chunk starts. Any other
 * error is a bug in the reader and is rethrown.
 */
export function feed(reader, bytes, cuts = []) {
  const messages = [];
  let start = 0;
  const bounds = [...cuts, bytes.length];
  for (let i = 0; i < bounds.length; i++) {
    const end = bounds[i];
    if (end < start || end > bytes.length) throw new RangeError(`Bad cut ${end}`);
    try {
      messages.push(...reader.push(bytes.subarray(start, end)));
    } catch (e) {
      if (!(e instanceof ProtocolError)) throw e;
      messages.push(...e.messages);
      return { messages, error: e, chunk: i, at: start };
    }
    start = end;
  }
  return { messages, error: null, chunk: -1, at: -1 };
}

/** Byte equality, a word at a time when aligned: the large specs compare megabytes. */
export function sameBytes(a, b) {
  if (!(a instanceof Uint8Array) || !(b instanceof Uint8Array) || a.length !== b.length) return false;
  const n = a.length;
  let i = 0;
  if ((a.byteOffset & 3) === 0 && (b.byteOffset & 3) === 0 && n >= 64) {
    const w = n >>> 2;
    const x = new Uint32Array(a.buffer, a.byteOffset, w), y = new Uint32Array(b.buffer, b.byteOffset, w);
    for (let j = 0; j < w; j++) if (x[j] !== y[j]) return false;
    i = w << 2;
  }
  for (; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A readable form of a message for assert.equal: bytes as hex (short ones only). */
export function show(m) {
  if (m.type === 'close') return { type: 'close', code: m.code, reason: m.reason };
  if (m.type === 'text') return { type: 'text', data: m.data };
  assert.instance(m.data, Uint8Array, `${m.type} data is a Uint8Array`);
  return { type: m.type, data: m.data.length <= 4096 ? hex(m.data) : `${m.data.length} bytes` };
}

/** Asserts two message lists are identical, bytes included. */
export function assertMessages(actual, expected, what = '') {
  if (actual.length === expected.length && actual.every((m, i) => sameMessage(m, expected[i]))) return;
  // Only on failure: a readable diff (or, for long payloads that differ, a plain message).
  assert.equal(actual.map(show), expected.map(show), what);
  assert.unreachable(`${what}: the message bytes differ`);
}

function sameMessage(a, b) {
  if (a === null || typeof a !== 'object' || a.type !== b.type || Object.keys(a).length !== Object.keys(b).length) return false;
  if (b.type === 'close') return a.code === b.code && a.reason === b.reason;
  if (b.type === 'text') return a.data === b.data;
  return a.data instanceof Uint8Array && a.data.constructor === Uint8Array && sameBytes(a.data, b.data);
}

/**
 * Asserts a feed failed with close code `code` and the rule `rule` (an id of
 * FRAME_RULES, never the message text), thrown by the chunk starting at byte
 * `at` (when given).
 */
export function assertFails(result, code, rule, at, what = '') {
  assert.is(FRAME_RULES[rule]?.closeCode, code, `${what}: the rule ${rule} has the close code ${code}`);
  assert.ok(result.error, `${what}: expected ProtocolError ${code} ${rule}, got none`);
  assert.is(result.error.closeCode, code, `${what}: close code (${result.error.message})`);
  assert.is(result.error.rule, rule, `${what}: rule (${result.error.message})`);
  if (at !== undefined) assert.is(result.at, at, `${what}: thrown by the push starting at byte ${result.at}, expected ${at} (${result.error.message})`);
}
