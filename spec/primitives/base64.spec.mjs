// encodeBase64 / decodeBase64 (RFC 4648 §4, standard alphabet with padding):
// the §10 vectors, every length, offsets, and strict decoding (§3.3, §3.5).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeBase64, encodeBase64 } from '../../dist/index.js';
import { atOffset, bytesEqual, expectThrow, prng, referenceBase64, repeatByte, utf8 } from '../_util.mjs';

const test = suite('base64');

// RFC 4648 §10 test vectors.
const RFC4648 = [
  ['', ''],
  ['f', 'Zg=='],
  ['fo', 'Zm8='],
  ['foo', 'Zm9v'],
  ['foob', 'Zm9vYg=='],
  ['fooba', 'Zm9vYmE='],
  ['foobar', 'Zm9vYmFy'],
];

test('RFC 4648 §10 vectors encode', () => {
  for (const [plain, encoded] of RFC4648) assert.is(encodeBase64(utf8(plain)), encoded, JSON.stringify(plain));
});

test('RFC 4648 §10 vectors decode', () => {
  for (const [plain, encoded] of RFC4648) {
    const out = decodeBase64(encoded);
    assert.instance(out, Uint8Array);
    bytesEqual(out, utf8(plain), encoded);
  }
});

test('every length 0..64 matches btoa and round-trips', () => {
  const rnd = prng(10);
  for (let n = 0; n <= 64; n++) {
    for (let k = 0; k < 4; k++) {
      const data = rnd.bytes(n);
      const text = encodeBase64(data);
      assert.is(text, referenceBase64(data), `length ${n}`);
      assert.is(text.length, 4 * Math.ceil(n / 3), `encoded length for ${n}`);
      bytesEqual(decodeBase64(text), data, `round trip of length ${n}`);
    }
  }
});

test('all-0xFF and all-0x00 inputs use the whole alphabet edges', () => {
  assert.is(encodeBase64(repeatByte(0xff, 1)), '/w==');
  assert.is(encodeBase64(repeatByte(0xff, 2)), '//8=');
  assert.is(encodeBase64(repeatByte(0xff, 3)), '////');
  for (let n = 0; n <= 30; n++) {
    for (const b of [0x00, 0xff]) {
      const data = repeatByte(b, n);
      assert.is(encodeBase64(data), referenceBase64(data), `${n} x ${b}`);
      bytesEqual(decodeBase64(encodeBase64(data)), data);
    }
  }
  // Every 6-bit value once: 48 bytes whose sextets run 0..63.
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const all = decodeBase64(alphabet);
  assert.is(all.length, 48);
  assert.is(encodeBase64(all), alphabet);
});

test('subarrays at any offset encode only their window', () => {
  const data = prng(11).bytes(40);
  for (const offset of [1, 2, 3, 5, 7]) {
    for (let n = 0; n <= 40; n += 3) {
      const view = atOffset(data.subarray(0, n), offset);
      assert.is(encodeBase64(view), referenceBase64(data.subarray(0, n)), `length ${n} at offset ${offset}`);
    }
  }
});

test('decoding returns a fresh array each time', () => {
  const a = decodeBase64('Zm9v');
  const b = decodeBase64('Zm9v');
  assert.is.not(a, b);
  a[0] = 0;
  bytesEqual(decodeBase64('Zm9v'), utf8('foo'));
});

test('RFC 4648 §3.3 / §4: a length that is not a multiple of 4 is a TypeError', () => {
  for (const bad of ['Z', 'Zg', 'Zg=', 'Zm9', 'Zm9vY', 'Zm9vYg', 'Zm9vYg=', 'Zm9vYmFy=', 'Zm9vYmFyZ']) {
    expectThrow(() => decodeBase64(bad), TypeError, {}, JSON.stringify(bad));
  }
});

test('RFC 4648 §3.3: characters outside the alphabet are a TypeError', () => {
  const bad = [
    'Zm9-', 'Zm9_', // base64url (§5) is not the standard alphabet
    'Zm9.', 'Zm9!', 'Zm9\u0000', 'Zm9\u00ff', 'Zm9\u0100', 'Zm9\u2028', '\ud83d\ude00AA',
    'Zm9vYmF\u00e9', 'Zm-vYmFy',
  ];
  for (const s of bad) expectThrow(() => decodeBase64(s), TypeError, {}, JSON.stringify(s));
});

test('RFC 4648 §3.3: padding anywhere but the end is a TypeError', () => {
  for (const s of ['====', '=AAA', 'A===', 'Z===', 'AB=C', 'Zg==Zm9v', 'Zm8=Zm9v', 'Zm=vZm9v', 'Zm9v=m9v', 'Z=g=', 'Zg=A']) {
    expectThrow(() => decodeBase64(s), TypeError, {}, s);
  }
});

test('RFC 4648 §3.5: non-zero pad bits are a TypeError (one canonical encoding)', () => {
  // 'Zg==' is "f"; 'Zh==' .. 'Zv==' carry the same byte with stray low bits.
  for (const c of 'hijklmnopqrstuv') expectThrow(() => decodeBase64(`Z${c}==`), TypeError, {}, `Z${c}==`);
  // 'Zm8=' is "fo"; 'Zm9=', 'Zm+=' and '/Af=' set the low 2 bits of the last sextet.
  for (const s of ['Zm9=', 'Zm+=', 'Zm/=', 'AAB=', 'AAC=', 'AAD=']) expectThrow(() => decodeBase64(s), TypeError, {}, s);
  bytesEqual(decodeBase64('AAA='), new Uint8Array(2));
  bytesEqual(decodeBase64('AAE='), new Uint8Array([0, 1]));
});

test('whitespace is not skipped: a TypeError', () => {
  for (const s of ['Zm9v\n', 'Zm9v\r\n', ' Zm9v', 'Zm9v ', 'Zm 9', 'Zm\t9', 'Zm9v\nYmFy', 'Zm9v YmFy   ']) {
    expectThrow(() => decodeBase64(s), TypeError, {}, JSON.stringify(s));
  }
});

test('non-string input to decodeBase64 is a TypeError', () => {
  for (const bad of [undefined, null, 42, {}, ['Zm9v'], utf8('Zm9v'), new String('Zm9v'), Symbol('x')]) {
    expectThrow(() => decodeBase64(bad), TypeError);
  }
});

test('encodeBase64 reads an ArrayBuffer or any ArrayBufferView: its own window, in memory order', () => {
  const data = prng(12).bytes(48);
  for (const n of [0, 1, 2, 3, 8, 16, 24, 48]) {
    const want = referenceBase64(data.subarray(0, n));
    const inside = atOffset(data.subarray(0, n), 8, 9);
    const { buffer, byteOffset } = inside;
    assert.is(encodeBase64(data.slice(0, n).buffer), want, `ArrayBuffer of ${n}`);
    assert.is(encodeBase64(new DataView(buffer, byteOffset, n)), want, `DataView of ${n} at offset 8`);
    assert.is(encodeBase64(new Int8Array(buffer, byteOffset, n)), want, `Int8Array of ${n}`);
    if (n % 2 === 0) assert.is(encodeBase64(new Uint16Array(buffer, byteOffset, n / 2)), want, `Uint16Array of ${n}`);
    if (n % 8 === 0) assert.is(encodeBase64(new Float64Array(buffer, byteOffset, n / 8)), want, `Float64Array of ${n}`);
  }
});

test('anything but bytes to encodeBase64 is a TypeError (a string too: encode it first)', () => {
  for (const bad of [undefined, null, 'foo', 42, [102, 111, 111], {}, { buffer: new ArrayBuffer(3), byteOffset: 0, byteLength: 3 }]) {
    expectThrow(() => encodeBase64(bad), TypeError, {}, Object.prototype.toString.call(bad));
  }
});

test.run();
