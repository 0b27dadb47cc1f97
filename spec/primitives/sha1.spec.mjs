// sha1 (FIPS 180-4 §6.1): known answers from the standards, padding
// boundaries against WebCrypto, every accepted input shape, bad input.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { sha1 } from '../../dist/index.js';
import { atOffset, expectThrow, hex, prng, referenceSha1, repeatByte, toHex, utf8 } from '../_util.mjs';

const test = suite('sha1');

// FIPS 180-2 Appendix A (A.1, A.2, A.3), the FIPS 180-4 example set (empty and
// the 896-bit two-block message), and RFC 3174 §7.3 TEST4.
const VECTORS = [
  ['abc', 'a9993e36 4706816a ba3e2571 7850c26c 9cd0d89d'],
  ['', 'da39a3ee 5e6b4b0d 3255bfef 95601890 afd80709'],
  ['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', '84983e44 1c3bd26e baae4aa1 f95129e5 e54670f1'],
  ['abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu', 'a49b2446 a02c645b f419f995 b6709125 3a04a259'],
  ['01234567'.repeat(80), 'dea356a2 cddd90c7 a7ecedc5 ebb56393 4f460452'],
];

test('FIPS 180 and RFC 3174 known answers, as strings and as bytes', () => {
  for (const [message, digest] of VECTORS) {
    const label = JSON.stringify(message.slice(0, 20)) + ` (${message.length} bytes)`;
    assert.is(toHex(sha1(message)), toHex(hex(digest)), label);
    assert.is(toHex(sha1(utf8(message))), toHex(hex(digest)), label + ' as bytes');
  }
});

test('FIPS 180 A.3: one million "a"', () => {
  const digest = '34aa973c d4c4daa4 f61eeb2b dbad2731 6534016f';
  assert.is(toHex(sha1('a'.repeat(1e6))), toHex(hex(digest)));
  assert.is(toHex(sha1(repeatByte(0x61, 1e6))), toHex(hex(digest)));
});

test('returns a fresh 20-byte Uint8Array each call', () => {
  const a = sha1('abc');
  const b = sha1('abc');
  assert.instance(a, Uint8Array);
  assert.is(a.length, 20);
  assert.is.not(a, b);
  assert.is.not(a.buffer, b.buffer);
  a[0] ^= 0xff; // a caller writing into its digest must not change the next one
  assert.is(toHex(sha1('abc')), toHex(b));
});

// FIPS 180-4 §5.1.1: 55 bytes is the longest one-block message, 56 needs a
// second block for the length; 63/64/119/120 are the same edges one block on.
test('padding boundaries 0-1, 55/56, 63/64/65, 119/120/121, 127/128 match WebCrypto', async () => {
  const rnd = prng(1);
  for (const n of [0, 1, 54, 55, 56, 57, 63, 64, 65, 111, 112, 119, 120, 121, 127, 128, 129, 183, 184]) {
    for (const data of [repeatByte(0x61, n), repeatByte(0x00, n), repeatByte(0xff, n), rnd.bytes(n)]) {
      assert.is(toHex(sha1(data)), toHex(await referenceSha1(data)), `length ${n}`);
    }
  }
});

test('any byteOffset and subarray gives the digest of the view only', async () => {
  const rnd = prng(2);
  for (const n of [0, 3, 55, 56, 64, 100, 129, 200]) {
    const data = rnd.bytes(n);
    const expected = toHex(await referenceSha1(data));
    for (const offset of [1, 2, 3, 5, 7, 64]) {
      assert.is(toHex(sha1(atOffset(data, offset))), expected, `length ${n} at byteOffset ${offset}`);
    }
    // A subarray at the start of a longer buffer: bytes after the view must not be read.
    const longer = new Uint8Array(n + 70).fill(0x5a);
    longer.set(data);
    assert.is(toHex(sha1(longer.subarray(0, n))), expected, `length ${n}, subarray with bytes after it`);
  }
});

test('ArrayBuffer, DataView and other views hash their own window', async () => {
  const data = prng(3).bytes(77);
  const expected = toHex(await referenceSha1(data));
  assert.is(toHex(sha1(data.slice().buffer)), expected, 'ArrayBuffer');
  const inside = atOffset(data, 3, 9);
  assert.is(toHex(sha1(new DataView(inside.buffer, inside.byteOffset, inside.byteLength))), expected, 'DataView at offset 3');
  // 76 of the 77 bytes as 38 Uint16 words, at an even offset: the view's bytes, in memory order.
  const even = atOffset(data.subarray(0, 76), 4, 8);
  const words = new Uint16Array(even.buffer, even.byteOffset, 38);
  assert.is(toHex(sha1(words)), toHex(await referenceSha1(data.subarray(0, 76))), 'Uint16Array window');
});

test('strings are hashed as UTF-8 (lone surrogates as U+FFFD, as TextEncoder does)', async () => {
  for (const s of ['é', '€', '😀', 'aé€😀', '\ud800', 'x\udc00y', '\ufeffBOM', 'é'.repeat(40), prng(4).string(150)]) {
    assert.is(toHex(sha1(s)), toHex(await referenceSha1(utf8(s))), JSON.stringify(s.slice(0, 10)));
  }
});

test('the input is not modified', () => {
  const data = prng(5).bytes(130);
  const copy = data.slice();
  sha1(data);
  assert.is(toHex(data), toHex(copy));
});

test('TypeError for anything that is not bytes or a string', () => {
  for (const bad of [undefined, null, 42, true, {}, [0x61, 0x62, 0x63], () => 1, Symbol('x'), 1n]) {
    expectThrow(() => sha1(bad), TypeError, {}, String(typeof bad));
  }
});

test.run();
