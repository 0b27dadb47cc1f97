// maskInPlace / unmaskPayload (RFC 6455 §5.3): byte i XOR key[(i + keyOffset) & 3],
// checked against a naive loop for every length, alignment and key position.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { maskInPlace, setWebAssembly, unmaskPayload } from '../../dist/index.js';
import { atOffset, bytesEqual, expectThrow, hex, prng, utf8 } from '../_util.mjs';

const test = suite('mask');

/** The RFC 6455 §5.3 definition, one byte at a time. */
function naive(bytes, key, keyOffset = 0) {
  const out = bytes.slice();
  for (let i = 0; i < out.length; i++) out[i] ^= key[(i + keyOffset) % 4];
  return out;
}

test('RFC 6455 §5.7: "Hello" with key 37 fa 21 3d', () => {
  const masked = hex('7f 9f 4d 51 58');
  bytesEqual(unmaskPayload(masked, hex('37 fa 21 3d')), utf8('Hello'));
  bytesEqual(unmaskPayload(masked, [0x37, 0xfa, 0x21, 0x3d]), utf8('Hello'), 'key as a plain array');
  const bytes = utf8('Hello');
  maskInPlace(bytes, hex('37 fa 21 3d'));
  bytesEqual(bytes, masked);
});

test('maskInPlace equals the naive loop: every length 0..300, byteOffset 0..7, keyOffset 0..7', () => {
  const rnd = prng(60);
  const backing = new ArrayBuffer(320);
  for (let n = 0; n <= 300; n++) {
    const data = rnd.bytes(n);
    const key = rnd.bytes(4);
    for (let byteOffset = 0; byteOffset <= 7; byteOffset++) {
      for (let keyOffset = 0; keyOffset <= 7; keyOffset++) {
        const all = new Uint8Array(backing).fill(0xa5);
        const view = all.subarray(byteOffset, byteOffset + n);
        view.set(data);
        maskInPlace(view, key, keyOffset);
        const expected = naive(data, key, keyOffset);
        for (let i = 0; i < n; i++) {
          if (view[i] !== expected[i]) assert.unreachable(`length ${n}, byteOffset ${byteOffset}, keyOffset ${keyOffset}: byte ${i} is ${view[i]}, expected ${expected[i]}`);
        }
        // Bytes around the view are untouched.
        for (let i = 0; i < all.length; i++) {
          if ((i < byteOffset || i >= byteOffset + n) && all[i] !== 0xa5) assert.unreachable(`length ${n}, byteOffset ${byteOffset}: wrote outside the view at ${i}`);
        }
      }
    }
  }
});

// Long payloads are masked in passes of 128 KiB - 128 B where WebAssembly runs
// (lib/primitives/_mask-simd.ts): check across those edges too, and the kernel's 64-byte steps.
const PASS = 131072 - 128;
test('long payloads around the SIMD pass boundaries equal the naive loop, at any offset and key position', () => {
  const rnd = prng(65);
  for (const n of [1000, 4095, 8191, 8193, 65535, 65536, 65537, PASS - 1, PASS, PASS + 1, PASS + 63, PASS + 64, 2 * PASS + 3, 300001]) {
    const data = rnd.bytes(n);
    const key = rnd.bytes(4);
    for (const byteOffset of [0, 1, 2, 3]) {
      for (const keyOffset of [0, 1, 2, 3]) {
        const all = new Uint8Array(n + 16).fill(0xa5);
        const view = all.subarray(byteOffset, byteOffset + n);
        view.set(data);
        maskInPlace(view, key, keyOffset);
        bytesEqual(view, naive(data, key, keyOffset), `length ${n}, byteOffset ${byteOffset}, keyOffset ${keyOffset}`);
        assert.ok(all.subarray(0, byteOffset).every((b) => b === 0xa5) && all.subarray(byteOffset + n).every((b) => b === 0xa5), `length ${n}: wrote outside the view`);
      }
    }
    bytesEqual(unmaskPayload(atOffset(data, 3), key), naive(data, key), `unmaskPayload of ${n}`);
  }
});

// From 256 B, the SIMD path keeps its views of the kernel's memory in 64
// slots picked by (length + phase) & 63, phase = byteOffset & 15
// (lib/primitives/_mask-simd.ts): lengths and offsets that share a slot, interleaved and
// repeated, must each get a view of their own length at their own phase.
test('lengths and offsets that share a cached view slot, interleaved, equal the naive loop', () => {
  const rnd = prng(66);
  const pairs = [[300, 0], [300, 4], [304, 0], [296, 8], [300, 4], [364, 0], [300, 0], [1024, 0], [1024, 1], [1087, 1], [1024, 0], [4096, 15], [4096, 0], [4111, 0]];
  const backing = new ArrayBuffer(4200);
  for (let round = 0; round < 3; round++) {
    for (const [n, byteOffset] of pairs) {
      const data = rnd.bytes(n);
      const key = rnd.bytes(4);
      const all = new Uint8Array(backing).fill(0xa5);
      const view = all.subarray(byteOffset, byteOffset + n);
      view.set(data);
      maskInPlace(view, key);
      bytesEqual(view, naive(data, key), `round ${round}, length ${n}, byteOffset ${byteOffset}`);
      assert.ok(all.subarray(0, byteOffset).every((b) => b === 0xa5) && all.subarray(byteOffset + n).every((b) => b === 0xa5), `length ${n}, byteOffset ${byteOffset}: wrote outside the view`);
      bytesEqual(unmaskPayload(atOffset(data, byteOffset), key), naive(data, key), `unmaskPayload, round ${round}, length ${n}`);
    }
  }
});

test('large keyOffsets act modulo 4', () => {
  const data = prng(61).bytes(100);
  const key = hex('01 23 45 67');
  for (const keyOffset of [4, 5, 1001, 2 ** 31 + 2, 2 ** 32 + 1, 2 ** 40 + 3, Number.MAX_SAFE_INTEGER]) {
    const bytes = data.slice();
    maskInPlace(bytes, key, keyOffset);
    bytesEqual(bytes, naive(data, key, keyOffset % 4), `keyOffset ${keyOffset}`);
  }
});

test('unmasking chunk by chunk with keyOffset equals unmasking the whole', () => {
  const rnd = prng(62);
  for (let round = 0; round < 200; round++) {
    const n = round < 100 ? rnd.int(400) : rnd.int(20000);
    const key = rnd.bytes(4);
    const masked = naive(rnd.bytes(n), key);
    const whole = unmaskPayload(masked, key);
    // Cut the payload at random points into a buffer at a random offset.
    const pieces = new Uint8Array(n + 8);
    const base = rnd.int(8);
    const copy = pieces.subarray(base, base + n);
    copy.set(masked);
    let at = 0;
    while (at < n) {
      const len = Math.min(n - at, 1 + rnd.int(round < 100 ? 70 : 3000));
      maskInPlace(copy.subarray(at, at + len), key, at);
      at += len;
    }
    bytesEqual(copy, whole, `round ${round}, ${n} bytes`);
  }
});

test('masking twice restores the input', () => {
  const data = prng(63).bytes(1000);
  const bytes = data.slice();
  const key = hex('de ad be ef');
  maskInPlace(bytes, key);
  assert.ok(bytes.some((b, i) => b !== data[i]));
  maskInPlace(bytes, key);
  bytesEqual(bytes, data);
});

test('unmaskPayload returns a new array and leaves the input intact', () => {
  for (const n of [0, 1, 5, 31, 32, 33, 100, 4096]) {
    const masked = prng(64 + n).bytes(n);
    const view = masked.subarray(0); // same buffer
    const before = masked.slice();
    const key = hex('aa 55 0f f0');
    const out = unmaskPayload(view, key);
    assert.instance(out, Uint8Array);
    assert.is.not(out.buffer, masked.buffer, `length ${n}: a new buffer`);
    bytesEqual(masked, before, `length ${n}: input unchanged`);
    bytesEqual(out, naive(before, key), `length ${n}: result`);
  }
  // At an odd offset of a larger buffer: only the view is read.
  const big = prng(70).bytes(50);
  const key = hex('01 02 03 04');
  bytesEqual(unmaskPayload(big.subarray(3, 40), key), naive(big.subarray(3, 40), key));
});

test('maskInPlace accepts array-like keys and returns nothing', () => {
  const bytes = new Uint8Array([0, 0, 0, 0, 0]);
  assert.is(maskInPlace(bytes, { 0: 1, 1: 2, 2: 3, 3: 4, length: 4 }), undefined);
  bytesEqual(bytes, hex('01 02 03 04 01'));
  maskInPlace(bytes, [1, 2, 3, 4]);
  bytesEqual(bytes, hex('00 00 00 00 00'));
});

test('argument errors: TypeError for bad types, RangeError for bad sizes and offsets', () => {
  const key = hex('01 02 03 04');
  for (const bad of [undefined, null, 'abcd', 42, [1, 2, 3], { buffer: new ArrayBuffer(4), byteOffset: 0, byteLength: 4 }]) {
    expectThrow(() => maskInPlace(bad, key), TypeError, {}, `maskInPlace bytes ${Object.prototype.toString.call(bad)}`);
    expectThrow(() => unmaskPayload(bad, key), TypeError, {}, `unmaskPayload payload ${Object.prototype.toString.call(bad)}`);
  }
  for (const bad of [undefined, null, 'abcd', 1234, true, {}]) {
    expectThrow(() => maskInPlace(new Uint8Array(4), bad), TypeError, {}, `maskInPlace key ${String(bad)}`);
    expectThrow(() => unmaskPayload(new Uint8Array(4), bad), TypeError, {}, `unmaskPayload key ${String(bad)}`);
  }
  for (const bad of [new Uint8Array(0), new Uint8Array(3), new Uint8Array(5), [1, 2, 3], [1, 2, 3, 4, 5]]) {
    expectThrow(() => maskInPlace(new Uint8Array(4), bad), RangeError, {}, `maskInPlace key of ${bad.length}`);
    expectThrow(() => unmaskPayload(new Uint8Array(4), bad), RangeError, {}, `unmaskPayload key of ${bad.length}`);
  }
  for (const bad of [-1, 1.5, NaN, Infinity, 2 ** 53, '1', null]) {
    expectThrow(() => maskInPlace(new Uint8Array(4), key, bad), RangeError, {}, `keyOffset ${String(bad)}`);
  }
  // A failed call leaves the bytes alone.
  const bytes = hex('10 20 30 40');
  try { maskInPlace(bytes, key, -1); } catch { /* expected */ }
  bytesEqual(bytes, hex('10 20 30 40'));
});

/** Every kind of view over `n` bytes at `byteOffset` of a buffer filled with 0xA5 (offsets aligned for the element size). */
function views(n, byteOffset) {
  const out = [];
  const kinds = [
    ['DataView', 1, (b, o, len) => new DataView(b, o, len)],
    ['Int8Array', 1, (b, o, len) => new Int8Array(b, o, len)],
    ['Uint8ClampedArray', 1, (b, o, len) => new Uint8ClampedArray(b, o, len)],
    ['Uint16Array', 2, (b, o, len) => new Uint16Array(b, o, len / 2)],
    ['Int32Array', 4, (b, o, len) => new Int32Array(b, o, len / 4)],
    ['Float32Array', 4, (b, o, len) => new Float32Array(b, o, len / 4)],
    ['Float64Array', 8, (b, o, len) => new Float64Array(b, o, len / 8)],
    ['BigUint64Array', 8, (b, o, len) => new BigUint64Array(b, o, len / 8)],
  ];
  for (const [name, size, make] of kinds) {
    if (n % size !== 0) continue;
    const o = byteOffset - (byteOffset % size);
    const buffer = new ArrayBuffer(o + n + 16);
    new Uint8Array(buffer).fill(0xa5);
    out.push({ name, o, buffer, view: make(buffer, o, n) });
  }
  return out;
}

// Short (under 64 bytes: the byte loop), long (the SIMD kernel or the word
// loop) and over one SIMD pass: every path must take the view's own window.
const VIEW_LENGTHS = [0, 8, 16, 24, 56, 64, 128, 1000, 4096, 65536, PASS + 8];

test('maskInPlace writes through any ArrayBufferView: exactly its own bytes, in memory order', () => {
  const rnd = prng(67);
  for (const n of VIEW_LENGTHS) {
    for (const byteOffset of [0, 8, 13]) {
      const data = rnd.bytes(n);
      const key = rnd.bytes(4);
      const keyOffset = rnd.int(4);
      for (const { name, o, buffer, view } of views(n, byteOffset)) {
        const all = new Uint8Array(buffer);
        all.set(data, o);
        maskInPlace(view, key, keyOffset);
        const label = `${name} of ${n} bytes at byteOffset ${o}`;
        bytesEqual(all.subarray(o, o + n), naive(data, key, keyOffset), label);
        assert.ok(all.subarray(0, o).every((b) => b === 0xa5) && all.subarray(o + n).every((b) => b === 0xa5), `${label}: wrote outside the view`);
      }
    }
  }
});

test('unmaskPayload reads any ArrayBufferView or ArrayBuffer: exactly its own bytes, left as they were', () => {
  const rnd = prng(68);
  for (const n of VIEW_LENGTHS) {
    const data = rnd.bytes(n);
    const key = rnd.bytes(4);
    const expected = naive(data, key);
    for (const { name, o, buffer, view } of views(n, 13)) {
      const all = new Uint8Array(buffer);
      all.set(data, o);
      const before = all.slice();
      const out = unmaskPayload(view, key);
      assert.ok(out instanceof Uint8Array && out.buffer !== buffer, `${name}: a new Uint8Array`);
      bytesEqual(out, expected, `${name} of ${n} bytes at byteOffset ${o}`);
      bytesEqual(all, before, `${name}: the buffer is left as it was`);
    }
    bytesEqual(unmaskPayload(data.slice().buffer, key), expected, `ArrayBuffer of ${n} bytes`);
  }
});

test('maskInPlace refuses a bare ArrayBuffer (TypeError saying how to wrap it), touching nothing', () => {
  const buffer = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]).buffer;
  const e = expectThrow(() => maskInPlace(buffer, [1, 2, 3, 4]), TypeError);
  assert.ok(e.message.includes('new Uint8Array(buffer)'), e.message);
  bytesEqual(new Uint8Array(buffer), hex('01 02 03 04 05 06 07 08'));
  // Wrapped, all of it is masked.
  maskInPlace(new Uint8Array(buffer), [1, 2, 3, 4]);
  bytesEqual(new Uint8Array(buffer), hex('00 00 00 00 04 04 04 0c'));
});

test('setWebAssembly: masking gives the same bytes with the kernel forbidden, allowed again, and toggled between calls', () => {
  const rnd = prng(69);
  // Lengths that reuse the kernel's cached views (300 at phase 0, 100 under 256)
  // before and after a toggle: a kernel compiled again must not find stale ones.
  const lengths = [300, 100, 4096, 300, 100, PASS + 5, 64, 63];
  try {
    for (let round = 0; round < 4; round++) {
      for (const n of lengths) {
        const data = rnd.bytes(n);
        const key = rnd.bytes(4);
        const bytes = data.slice();
        maskInPlace(bytes, key, round);
        bytesEqual(bytes, naive(data, key, round), `round ${round}, ${n} bytes in place`);
        bytesEqual(unmaskPayload(atOffset(data, round), key), naive(data, key), `round ${round}, ${n} bytes copied`);
        setWebAssembly(round % 2 === 1);
      }
      setWebAssembly(round % 2 === 0);
    }
  } finally {
    setWebAssembly(true);
  }
});

test('setWebAssembly: TypeError for anything but a boolean, the setting unchanged', () => {
  for (const bad of [undefined, null, 0, 1, 'false', 'true', {}, [false]]) {
    expectThrow(() => setWebAssembly(bad), TypeError, {}, String(bad));
  }
  assert.is(setWebAssembly(true), undefined);
  const data = prng(70).bytes(1000);
  bytesEqual(unmaskPayload(data, [9, 8, 7, 6]), naive(data, [9, 8, 7, 6]));
});

test.run();
