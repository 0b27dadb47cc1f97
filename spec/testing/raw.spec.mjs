// encodeRawFrame (issue 16 §1): writes exactly the bits, length field and
// payload it is told (RFC 6455 §5.2), valid or not; only wrong arguments throw.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeFrame, encodeFrame } from '../../dist/index.js';
import { encodeRawFrame } from '../../dist/testing.js';
import { bytesEqual, concat, hex, prng, toHex, utf8 } from '../_util.mjs';

const test = suite('encodeRawFrame');
const KEY = [0x37, 0xfa, 0x21, 0x3d];

test('the RFC 6455 §5.7 examples, byte for byte', () => {
  assert.is(toHex(encodeRawFrame({ opcode: 1, payload: 'Hello' })), '810548656c6c6f');
  assert.is(toHex(encodeRawFrame({ opcode: 1, payload: 'Hello', mask: KEY })), '818537fa213d7f9f4d5158');
  assert.is(toHex(encodeRawFrame({ opcode: 1, fin: false, payload: 'Hel' })), '010348656c');
  assert.is(toHex(encodeRawFrame({ opcode: 0, payload: 'lo' })), '80026c6f');
  assert.is(toHex(encodeRawFrame({ opcode: 9, payload: 'Hello' })), '890548656c6c6f');
  assert.is(toHex(encodeRawFrame({ opcode: 10, payload: 'Hello', mask: Uint8Array.from(KEY) })), '8a8537fa213d7f9f4d5158');
  const b256 = encodeRawFrame({ opcode: 2, payload: new Uint8Array(256) });
  assert.is(toHex(b256.subarray(0, 4)), '827e0100');
  assert.is(b256.length, 4 + 256);
  const b64k = encodeRawFrame({ opcode: 2, payload: new Uint8Array(65536) });
  assert.is(toHex(b64k.subarray(0, 10)), '827f0000000000010000');
  assert.is(b64k.length, 10 + 65536);
});

test('byte 0 holds exactly the FIN, RSV and opcode bits asked for: every opcode 0-15, every RSV combination', () => {
  for (let opcode = 0; opcode < 16; opcode++) {
    for (let bits = 0; bits < 16; bits++) {
      const fin = (bits & 8) !== 0, rsv1 = (bits & 4) !== 0, rsv2 = (bits & 2) !== 0, rsv3 = (bits & 1) !== 0;
      const out = encodeRawFrame({ opcode, fin, rsv1, rsv2, rsv3 });
      assert.is(out[0], (bits << 4) | opcode, `opcode ${opcode}, bits ${bits}`);
      assert.is(out[1], 0);
      assert.is(out.length, 2);
    }
  }
});

test('lengthEncoding writes non-minimal lengths on request; minimal picks the least bytes at 125/126/65535/65536', () => {
  assert.is(toHex(encodeRawFrame({ opcode: 2, payload: Uint8Array.of(9), lengthEncoding: 16 })), '827e000109');
  assert.is(toHex(encodeRawFrame({ opcode: 2, payload: Uint8Array.of(9), lengthEncoding: 64 })), '827f000000000000000109');
  assert.is(toHex(encodeRawFrame({ opcode: 2, payload: Uint8Array.of(9), lengthEncoding: 7 })), '820109');
  assert.is(toHex(encodeRawFrame({ opcode: 2, payload: new Uint8Array(300), lengthEncoding: 64 }).subarray(0, 10)), '827f000000000000012c');
  for (const [n, head] of [[125, '827d'], [126, '827e007e'], [65535, '827effff'], [65536, '827f0000000000010000']]) {
    const out = encodeRawFrame({ opcode: 2, payload: new Uint8Array(n) });
    assert.is(toHex(out.subarray(0, head.length / 2)), head, `${n} bytes`);
    assert.is(out.length, head.length / 2 + n);
  }
});

test('declaredLength states a length apart from the payload: truncated, overlong, the 64-bit MSB, up to 2^64 - 1', () => {
  // Truncated: 10 declared, 3 sent.
  assert.is(toHex(encodeRawFrame({ opcode: 2, payload: Uint8Array.of(1, 2, 3), declaredLength: 10 })), '820a010203');
  // Overlong: 1 declared, 3 sent (the rest reads as the next frame).
  assert.is(toHex(encodeRawFrame({ opcode: 2, payload: Uint8Array.of(1, 2, 3), declaredLength: 1 })), '8201010203');
  assert.is(toHex(encodeRawFrame({ opcode: 2, declaredLength: 2n ** 63n, lengthEncoding: 64 })), '827f8000000000000000');
  assert.is(toHex(encodeRawFrame({ opcode: 2, declaredLength: 2n ** 64n - 1n })), '827fffffffffffffffff');
  assert.is(toHex(encodeRawFrame({ opcode: 2, declaredLength: Number.MAX_SAFE_INTEGER })), '827f001fffffffffffff');
  assert.is(toHex(encodeRawFrame({ opcode: 2, declaredLength: 70000, lengthEncoding: 64 })), '827f0000000000011170');
  // A stated 126 or 127 in the 7-bit field: an extended length announced and not written.
  assert.is(toHex(encodeRawFrame({ opcode: 2, declaredLength: 127, lengthEncoding: 7 })), '827f');
  // The masked payload is masked whatever the declared length.
  assert.is(toHex(encodeRawFrame({ opcode: 1, payload: 'Hello', mask: KEY, declaredLength: 200 })), '81fe00c837fa213d7f9f4d5158');
});

test('any Close payload: codes out of range, a 1-byte body, invalid UTF-8, a string as UTF-8', () => {
  assert.is(toHex(encodeRawFrame({ opcode: 8, payload: Uint8Array.of(0x03, 0xed) })), '880203ed');
  assert.is(toHex(encodeRawFrame({ opcode: 8, payload: Uint8Array.of(7) })), '880107');
  assert.is(toHex(encodeRawFrame({ opcode: 8, payload: Uint8Array.of(0x03, 0xe8, 0xff, 0xfe) })), '880403e8fffe');
  assert.is(toHex(encodeRawFrame({ opcode: 8, payload: '\u03e8é' })), '8804cfa8c3a9');
  assert.is(toHex(encodeRawFrame({ opcode: 9, fin: false, payload: new Uint8Array(126) }).subarray(0, 4)), '097e007e');
});

test('payload views: any ArrayBufferView or ArrayBuffer, its own window only, never modified', () => {
  const big = Uint8Array.of(0xaa, 1, 2, 3, 0xbb);
  const view = big.subarray(1, 4);
  assert.is(toHex(encodeRawFrame({ opcode: 2, payload: view, mask: KEY })), '828337fa213d36f822');
  assert.is(toHex(big), 'aa010203bb');
  assert.is(toHex(encodeRawFrame({ opcode: 2, payload: new DataView(big.buffer, 1, 2) })), '82020102');
  assert.is(toHex(encodeRawFrame({ opcode: 2, payload: big.buffer })), '8205aa010203bb');
  const key = Uint8Array.from(KEY);
  encodeRawFrame({ opcode: 1, payload: 'x', mask: key });
  assert.is(toHex(key), '37fa213d');
});

test('valid frames are what encodeFrame writes and decodeFrame reads back (seeded random)', () => {
  const r = prng(7);
  for (let i = 0; i < 300; i++) {
    const opcode = [0, 1, 2, 8, 9, 10][r.int(6)];
    const control = opcode >= 8;
    const n = control ? r.int(126) : [0, 1, 125, 126, 127, 65535, 65536, r.int(1000)][r.int(8)];
    const payload = r.bytes(n);
    const fin = control || r.int(2) === 0, rsv1 = !control && r.int(4) === 0;
    const key = r.int(2) ? [r.int(256), r.int(256), r.int(256), r.int(256)] : undefined;
    const raw = encodeRawFrame({ opcode, fin, rsv1, payload, mask: key });
    bytesEqual(raw, encodeFrame(opcode, payload, { fin, rsv1, mask: key ? Uint8Array.from(key) : false }), `frame ${i}`);
    if (rsv1) continue; // decodeFrame negotiates no extension
    const back = decodeFrame(raw, { requireMask: key !== undefined });
    assert.is(back.byteLength, raw.length);
    bytesEqual(back.payload, payload, `frame ${i} payload`);
    assert.is(back.fin, fin);
    assert.is(back.opcode, opcode);
  }
});

test('two raw frames concatenate into a stream', () => {
  const s = concat(encodeRawFrame({ opcode: 1, fin: false, payload: 'Hel' }), encodeRawFrame({ opcode: 0, payload: 'lo' }));
  bytesEqual(s, hex('01 03 48 65 6c 80 02 6c 6f'));
  bytesEqual(encodeRawFrame({ opcode: 1, payload: utf8('é') }), hex('81 02 c3 a9'));
});

const errors = suite('encodeRawFrame: wrong arguments');
const typeError = (re) => (e) => e instanceof TypeError && re.test(e.message) && /^[A-Z]/.test(e.message) && !e.message.endsWith('.');
const rangeError = (re) => (e) => e instanceof RangeError && re.test(e.message) && /^[A-Z]/.test(e.message) && !e.message.endsWith('.');

errors('TypeError: not an object, no opcode, a field of the wrong type, an unknown key (with the nearest name)', () => {
  assert.throws(() => encodeRawFrame(), typeError(/opcode/));
  assert.throws(() => encodeRawFrame(null), typeError(/options/));
  assert.throws(() => encodeRawFrame(1), typeError(/options/));
  assert.throws(() => encodeRawFrame({}), typeError(/opcode to be a number/));
  assert.throws(() => encodeRawFrame({ opcode: '1' }), typeError(/opcode to be a number/));
  assert.throws(() => encodeRawFrame({ opcode: 1, fin: 1 }), typeError(/fin to be a boolean/));
  assert.throws(() => encodeRawFrame({ opcode: 1, rsv2: 'yes' }), typeError(/rsv2 to be a boolean/));
  assert.throws(() => encodeRawFrame({ opcode: 1, payload: 5 }), typeError(/Uint8Array/));
  assert.throws(() => encodeRawFrame({ opcode: 1, mask: true }), typeError(/mask/));
  assert.throws(() => encodeRawFrame({ opcode: 1, mask: new Uint16Array(4) }), typeError(/mask/));
  assert.throws(() => encodeRawFrame({ opcode: 1, mask: [1, 2, '3', 4] }), typeError(/mask\[2\]/));
  assert.throws(() => encodeRawFrame({ opcode: 1, declaredLength: '5' }), typeError(/declaredLength/));
  assert.throws(() => encodeRawFrame({ opcode: 1, lengthEncoding: '16' }), typeError(/lengthEncoding/));
  assert.throws(() => encodeRawFrame({ opcode: 1, rsv: true }), typeError(/Unknown option "rsv" \(did you mean "rsv1"\?\)/));
  assert.throws(() => encodeRawFrame({ opcode: 1, lengthEncodin: 7 }), typeError(/"lengthEncoding"/));
});

errors('RangeError: impossible values (opcode 16, a 3-byte mask, a byte over 255, lengths that do not fit)', () => {
  for (const opcode of [16, -1, 1.5, NaN, Infinity]) assert.throws(() => encodeRawFrame({ opcode }), rangeError(/opcode to be an integer from 0 to 15/), String(opcode));
  assert.throws(() => encodeRawFrame({ opcode: 1, mask: [1, 2, 3] }), rangeError(/4 bytes, got 3/));
  assert.throws(() => encodeRawFrame({ opcode: 1, mask: new Uint8Array(5) }), rangeError(/4 bytes, got 5/));
  assert.throws(() => encodeRawFrame({ opcode: 1, mask: [1, 2, 3, 256] }), rangeError(/mask\[3\]/));
  assert.throws(() => encodeRawFrame({ opcode: 1, mask: [1, 2, -1, 0] }), rangeError(/mask\[2\]/));
  assert.throws(() => encodeRawFrame({ opcode: 2, payload: new Uint8Array(126), lengthEncoding: 7 }), rangeError(/7/));
  assert.throws(() => encodeRawFrame({ opcode: 2, declaredLength: 128, lengthEncoding: 7 }), rangeError(/128/));
  assert.throws(() => encodeRawFrame({ opcode: 2, payload: new Uint8Array(65536), lengthEncoding: 16 }), rangeError(/65536/));
  assert.throws(() => encodeRawFrame({ opcode: 2, declaredLength: 2n ** 64n }), rangeError(/2\^64 - 1/));
  assert.throws(() => encodeRawFrame({ opcode: 2, declaredLength: -1n }), rangeError(/declaredLength/));
  for (const d of [-1, 1.5, 2 ** 53, NaN]) assert.throws(() => encodeRawFrame({ opcode: 2, declaredLength: d }), rangeError(/declaredLength/), String(d));
  for (const e of [8, 32, 0]) assert.throws(() => encodeRawFrame({ opcode: 2, lengthEncoding: e }), rangeError(/lengthEncoding/), String(e));
});

test.run();
errors.run();
