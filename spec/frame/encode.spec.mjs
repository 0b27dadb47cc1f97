// Frame encoders (RFC 6455 §5.2-§5.7): the §5.7 examples byte for byte,
// every length boundary, UTF-8, masking, Close/Ping/Pong rules, bad options.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  Opcode, broadcastEncode, encodeBinaryFrame, encodeCloseFrame, encodeFrame, encodeFrameHeader, encodePingFrame, encodePongFrame, encodeTextFrame, maskInPlace,
} from '../../dist/index.js';
import { atOffset, bytesEqual, concat, expectThrow, hex, prng, repeatByte, toHex, utf8 } from '../_util.mjs';

const test = suite('encode');
const KEY = hex('37 fa 21 3d'); // RFC 6455 §5.7's masking key

/** The payload of an unmasked frame, after its header of `headerLength` bytes. */
const payloadOf = (frame, headerLength) => frame.subarray(headerLength);

test('RFC 6455 §5.7: a single-frame unmasked text message', () => {
  bytesEqual(encodeTextFrame('Hello'), hex('81 05 48 65 6c 6c 6f'));
  bytesEqual(encodeFrame(Opcode.Text, 'Hello'), hex('81 05 48 65 6c 6c 6f'));
});

test('RFC 6455 §5.7: a single-frame masked text message', () => {
  bytesEqual(encodeTextFrame('Hello', { mask: KEY }), hex('81 85 37 fa 21 3d 7f 9f 4d 51 58'));
  bytesEqual(encodeFrame(1, utf8('Hello'), { mask: KEY }), hex('81 85 37 fa 21 3d 7f 9f 4d 51 58'));
  bytesEqual(KEY, hex('37 fa 21 3d'), 'the key is not modified');
});

test('RFC 6455 §5.7: a fragmented unmasked text message', () => {
  bytesEqual(encodeTextFrame('Hel', { fin: false }), hex('01 03 48 65 6c'));
  bytesEqual(encodeFrame(Opcode.Text, 'Hel', { fin: false }), hex('01 03 48 65 6c'));
  bytesEqual(encodeFrame(Opcode.Continuation, 'lo'), hex('80 02 6c 6f'));
  bytesEqual(encodeFrame(Opcode.Continuation, 'lo', { fin: true }), hex('80 02 6c 6f'));
  bytesEqual(encodeFrame(Opcode.Continuation, 'l', { fin: false }), hex('00 01 6c'));
});

test('RFC 6455 §5.7: unmasked Ping and masked Pong carrying "Hello"', () => {
  bytesEqual(encodePingFrame('Hello'), hex('89 05 48 65 6c 6c 6f'));
  bytesEqual(encodePingFrame(utf8('Hello')), hex('89 05 48 65 6c 6c 6f'));
  bytesEqual(encodePongFrame('Hello', { mask: KEY }), hex('8a 85 37 fa 21 3d 7f 9f 4d 51 58'));
  bytesEqual(encodePongFrame(utf8('Hello'), { mask: KEY }), hex('8a 85 37 fa 21 3d 7f 9f 4d 51 58'));
});

test('RFC 6455 §5.7: 256 bytes and 64 KiB of binary in one unmasked frame', () => {
  const small = prng(40).bytes(256);
  const f256 = encodeBinaryFrame(small);
  bytesEqual(f256.subarray(0, 4), hex('82 7e 01 00'));
  bytesEqual(payloadOf(f256, 4), small);
  const big = prng(41).bytes(65536);
  const f64k = encodeBinaryFrame(big);
  bytesEqual(f64k.subarray(0, 10), hex('82 7f 00 00 00 00 00 01 00 00'));
  bytesEqual(payloadOf(f64k, 10), big);
});

// RFC 6455 §5.2: 7-bit lengths up to 125, 126 + 16 bits up to 65535, 127 + 64 bits from 65536.
const LENGTH_HEADERS = [
  [0, '00'], [1, '01'], [125, '7d'], [126, '7e 00 7e'], [127, '7e 00 7f'], [65535, '7e ff ff'],
  [65536, '7f 00 00 00 00 00 01 00 00'], [65537, '7f 00 00 00 00 00 01 00 01'],
];

test('every length class boundary, binary and text, unmasked and masked', () => {
  const rnd = prng(42);
  for (const [n, lenHex] of LENGTH_HEADERS) {
    const data = rnd.bytes(n);
    const len = hex(lenHex);
    const b = encodeBinaryFrame(data);
    bytesEqual(b.subarray(0, 1 + len.length), concat([0x82], len), `binary header for ${n}`);
    assert.is(b.length, 1 + len.length + n, `binary frame size for ${n}`);
    bytesEqual(payloadOf(b, 1 + len.length), data, `binary payload for ${n}`);

    const text = 'x'.repeat(n);
    const t = encodeTextFrame(text);
    bytesEqual(t.subarray(0, 1 + len.length), concat([0x81], len), `text header for ${n}`);
    bytesEqual(payloadOf(t, 1 + len.length), utf8(text), `text payload for ${n}`);

    // Masked: MASK bit on the length byte, then the key, then payload XOR key (RFC 6455 §5.3).
    const key = rnd.bytes(4);
    const m = encodeBinaryFrame(data, { mask: key });
    const maskedLen = len.slice();
    maskedLen[0] |= 0x80;
    const h = 1 + len.length;
    bytesEqual(m.subarray(0, h + 4), concat([0x82], maskedLen, key), `masked header for ${n}`);
    const expected = data.map((x, i) => x ^ key[i & 3]);
    bytesEqual(m.subarray(h + 4), expected, `masked payload for ${n}`);
  }
});

test('multi-byte UTF-8 text matches TextEncoder, on the short and the long path', () => {
  bytesEqual(encodeTextFrame('é€😀'), hex('81 09 c3 a9 e2 82 ac f0 9f 98 80'));
  const rnd = prng(43);
  for (let n = 0; n <= 200; n++) {
    const s = rnd.string(n);
    const frame = encodeTextFrame(s);
    const bytes = utf8(s);
    const h = bytes.length < 126 ? 2 : 4;
    assert.is(frame.length, h + bytes.length, `frame size for a string of ${n} units`);
    bytesEqual(frame.subarray(h), bytes, `payload of ${JSON.stringify(s.slice(0, 12))}`);
  }
});

// Short strings are written in one pass that assumes ASCII and starts over on
// the first other character: put that character at every position, masked and not.
test('short strings with one non-ASCII character at any position, masked and unmasked, equal TextEncoder', () => {
  for (const ch of ['\u0080', 'é', '€', '😀', '\ud800']) {
    for (let n = 1; n <= 66; n++) {
      for (let at = 0; at < n; at++) {
        const s = 'a'.repeat(at) + ch + 'b'.repeat(n - at - 1);
        const bytes = utf8(s);
        const h = bytes.length < 126 ? 2 : 4;
        const plain = encodeTextFrame(s, { fin: at % 2 === 0 });
        assert.is(plain[0], at % 2 === 0 ? 0x81 : 0x01, `FIN of ${n} units, non-ASCII at ${at}`);
        bytesEqual(plain.subarray(h), bytes, `unmasked ${n} units, non-ASCII at ${at}`);
        const masked = encodeTextFrame(s, { mask: KEY });
        assert.is(masked[1] & 0x7f, h === 2 ? bytes.length : 126, `masked length of ${n} units`);
        const payload = masked.slice(h + 4);
        maskInPlace(payload, masked.subarray(h, h + 4));
        bytesEqual(payload, bytes, `masked ${n} units, non-ASCII at ${at}`);
      }
    }
  }
});

test('lone surrogates are sent as U+FFFD (EF BF BD), as TextEncoder does', () => {
  const cases = [
    ['\ud800', 'ef bf bd'], ['\udfff', 'ef bf bd'], ['a\ud800', '61 ef bf bd'], ['\udc00a', 'ef bf bd 61'],
    ['\ud800\ud800', 'ef bf bd ef bf bd'], ['\udc00\ud800', 'ef bf bd ef bf bd'], ['\ud83d\ude00', 'f0 9f 98 80'],
    ['\ud83d\ud83d\ude00', 'ef bf bd f0 9f 98 80'], ['\ud83d', 'ef bf bd'],
  ];
  for (const [s, bytes] of cases) {
    bytesEqual(payloadOf(encodeTextFrame(s), 2), hex(bytes), JSON.stringify(s));
    const long = 'y'.repeat(70) + s; // the TextEncoder.encodeInto path
    bytesEqual(payloadOf(encodeTextFrame(long), 2), concat(repeatByte(0x79, 70), hex(bytes)), `long ${JSON.stringify(s)}`);
  }
});

test('the length comes from UTF-8 bytes, not UTF-16 units, at 125/126 and 65535/65536', () => {
  const cases = [
    ['é'.repeat(62) + 'a', 125, '7d'], ['é'.repeat(63), 126, '7e 00 7e'],
    ['\ud800'.repeat(41) + 'ab', 125, '7d'], ['\ud800'.repeat(42), 126, '7e 00 7e'],
    ['😀'.repeat(31) + 'a', 125, '7d'], ['😀'.repeat(31) + 'ab', 126, '7e 00 7e'],
    ['é'.repeat(32767) + 'a', 65535, '7e ff ff'], ['é'.repeat(32768), 65536, '7f 00 00 00 00 00 01 00 00'],
    ['€'.repeat(21845), 65535, '7e ff ff'], ['€'.repeat(21845) + 'a', 65536, '7f 00 00 00 00 00 01 00 00'],
  ];
  for (const [s, n, lenHex] of cases) {
    const frame = encodeTextFrame(s);
    const len = hex(lenHex);
    bytesEqual(frame.subarray(0, 1 + len.length), concat([0x81], len), `header for ${n} bytes`);
    bytesEqual(frame.subarray(1 + len.length), utf8(s), `payload for ${n} bytes`);
  }
});

test('mask: true draws a fresh 4-byte key and the payload unmasks back', () => {
  const keys = new Set();
  for (let i = 0; i < 8; i++) {
    const frame = encodeTextFrame('Hello, world', { mask: true });
    assert.is(frame[0], 0x81);
    assert.is(frame[1], 0x80 | 12, 'MASK bit and length');
    assert.is(frame.length, 2 + 4 + 12);
    const key = frame.subarray(2, 6);
    keys.add(toHex(key));
    bytesEqual(frame.subarray(6).map((x, j) => x ^ key[j & 3]), utf8('Hello, world'));
  }
  // 8 keys of 32 random bits are all equal with probability 2^-224: a constant key fails this.
  assert.ok(keys.size > 1, 'keys differ between frames');
  const empty = encodeBinaryFrame(new Uint8Array(0), { mask: true });
  assert.is(empty.length, 6);
  assert.is(empty[1], 0x80);
});

test('mask: false and an all-zero key', () => {
  bytesEqual(encodeTextFrame('Hi', { mask: false }), hex('81 02 48 69'));
  bytesEqual(encodeTextFrame('Hi', { mask: new Uint8Array(4) }), hex('81 82 00 00 00 00 48 69'));
});

test('rsv1 and fin options set their bits', () => {
  bytesEqual(encodeTextFrame('a', { rsv1: true }), hex('c1 01 61'));
  bytesEqual(encodeBinaryFrame('a', { rsv1: true, fin: false }), hex('42 01 61'));
  bytesEqual(encodeBinaryFrame('a', { rsv1: false, fin: true }), hex('82 01 61'));
});

test('encoders do not modify their input', () => {
  const data = prng(44).bytes(300);
  const copy = data.slice();
  encodeBinaryFrame(data, { mask: true });
  encodeBinaryFrame(data, { mask: KEY });
  encodeFrame(Opcode.Ping, data.subarray(0, 125), { mask: true });
  bytesEqual(data, copy);
});

test('encodeBinaryFrame accepts ArrayBuffer, DataView, Uint16Array (view window only), string and offsets', () => {
  const data = prng(45).bytes(24);
  const expected = concat([0x82, 24], data);
  bytesEqual(encodeBinaryFrame(data.slice().buffer), expected, 'ArrayBuffer');
  const inside = atOffset(data, 6, 10);
  bytesEqual(encodeBinaryFrame(inside), expected, 'Uint8Array at byteOffset 6');
  bytesEqual(encodeBinaryFrame(atOffset(data, 3)), expected, 'Uint8Array at byteOffset 3');
  bytesEqual(encodeBinaryFrame(new DataView(inside.buffer, inside.byteOffset, 24)), expected, 'DataView window');
  bytesEqual(encodeBinaryFrame(new Uint16Array(inside.buffer, inside.byteOffset, 12)), expected, 'Uint16Array window');
  bytesEqual(encodeBinaryFrame(new Uint32Array(inside.buffer, 8, 4)), concat([0x82, 16], data.subarray(2, 18)), 'Uint32Array window');
  bytesEqual(encodeBinaryFrame('héllo'), concat([0x82, 6], utf8('héllo')), 'string as UTF-8');
  bytesEqual(encodePingFrame(new Uint16Array(inside.buffer, inside.byteOffset, 2)), concat([0x89, 4], data.subarray(0, 4)), 'ping from a view');
});

test('broadcastEncode gives the same bytes as encodeTextFrame', () => {
  const rnd = prng(46);
  for (const s of ['', 'tick', 'é€😀\ud800', 'x'.repeat(125), 'x'.repeat(126), 'x'.repeat(70000), rnd.string(300)]) {
    bytesEqual(broadcastEncode(s), encodeTextFrame(s), `${s.length} units`);
  }
  for (const bad of [undefined, null, 42, utf8('x')]) expectThrow(() => broadcastEncode(bad), TypeError);
});

// RFC 6455 §7.4: codes a Close frame may carry.
const sendable = (c) => (c >= 1000 && c <= 1003) || (c >= 1007 && c <= 1014) || (c >= 3000 && c <= 4999);

test('encodeCloseFrame: no code, a code, a code with a reason', () => {
  bytesEqual(encodeCloseFrame(), hex('88 00'));
  bytesEqual(encodeCloseFrame(1000), hex('88 02 03 e8'));
  bytesEqual(encodeCloseFrame(1000, ''), hex('88 02 03 e8'));
  bytesEqual(encodeCloseFrame(1000, 'bye'), hex('88 05 03 e8 62 79 65'));
  bytesEqual(encodeCloseFrame(4999, 'é'), hex('88 04 13 87 c3 a9'));
  // Masked: payload 03 e9 78 XOR 37 fa 21.
  bytesEqual(encodeCloseFrame(1001, 'x', { mask: KEY }), concat(hex('88 83 37 fa 21 3d'), [0x03 ^ 0x37, 0xe9 ^ 0xfa, 0x78 ^ 0x21]));
  bytesEqual(encodeCloseFrame(undefined, undefined, { mask: KEY }), hex('88 80 37 fa 21 3d'));
});

test('RFC 6455 §7.4: every code 0..5100 is sent exactly when it may be', () => {
  for (let c = 0; c <= 5100; c++) {
    if (sendable(c)) {
      const f = encodeCloseFrame(c);
      bytesEqual(f, new Uint8Array([0x88, 2, c >> 8, c & 255]), `code ${c}`);
    } else {
      expectThrow(() => encodeCloseFrame(c), RangeError, {}, `code ${c}`);
    }
  }
  for (const c of [0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535, 65536, -1, 1000.5, NaN, Infinity, -Infinity]) {
    expectThrow(() => encodeCloseFrame(c), RangeError, {}, `code ${c}`);
    expectThrow(() => encodeCloseFrame(c, 'why'), RangeError, {}, `code ${c} with a reason`);
  }
});

test('RFC 6455 §5.5: a reason over 123 UTF-8 bytes is a RangeError, also with multi-byte characters', () => {
  const fits = ['a'.repeat(123), 'é'.repeat(61) + 'a', '€'.repeat(41), '😀'.repeat(30) + 'abc', '\ud800'.repeat(41)];
  for (const r of fits) {
    const f = encodeCloseFrame(1000, r);
    assert.is(f[1], 125, `${JSON.stringify(r.slice(0, 4))}: 125-byte payload`);
    bytesEqual(f.subarray(4), utf8(r));
  }
  const over = ['a'.repeat(124), 'é'.repeat(62), '€'.repeat(41) + 'a', '😀'.repeat(30) + 'abcd', '😀'.repeat(31), '\ud800'.repeat(41) + 'a', 'a'.repeat(1000)];
  for (const r of over) expectThrow(() => encodeCloseFrame(1000, r), RangeError, {}, JSON.stringify(r.slice(0, 4)) + ` (${utf8(r).length} bytes)`);
});

test('encodeCloseFrame: TypeError for a reason without a code, or wrong types', () => {
  expectThrow(() => encodeCloseFrame(undefined, 'why'), TypeError);
  expectThrow(() => encodeCloseFrame(undefined, 'x', { mask: KEY }), TypeError);
  for (const bad of ['1000', null, true, {}, 1000n]) expectThrow(() => encodeCloseFrame(bad), TypeError, {}, `code ${String(bad)}`);
  for (const bad of [42, null, utf8('x'), {}]) expectThrow(() => encodeCloseFrame(1000, bad), TypeError, {}, `reason ${String(bad)}`);
});

test('RFC 6455 §5.5: a Close frame cannot be fragmented or carry RSV1', () => {
  expectThrow(() => encodeCloseFrame(1000, '', { fin: false }), RangeError);
  expectThrow(() => encodeCloseFrame(undefined, undefined, { fin: false }), RangeError);
  expectThrow(() => encodeCloseFrame(1000, '', { rsv1: true }), RangeError);
});

test('RFC 6455 §5.5: Ping and Pong payloads over 125 bytes are a RangeError', () => {
  for (const encode of [encodePingFrame, encodePongFrame]) {
    const op = encode === encodePingFrame ? 0x89 : 0x8a;
    bytesEqual(encode(), new Uint8Array([op, 0]), 'no payload');
    bytesEqual(encode(''), new Uint8Array([op, 0]), 'empty string');
    const max = prng(47).bytes(125);
    bytesEqual(encode(max), concat([op, 125], max), '125 bytes');
    bytesEqual(encode('é'.repeat(62) + 'a'), concat([op, 125], utf8('é'.repeat(62) + 'a')), '125 UTF-8 bytes');
    for (const bad of [new Uint8Array(126), new Uint8Array(65536), 'x'.repeat(126), 'é'.repeat(63), new ArrayBuffer(126)]) {
      expectThrow(() => encode(bad), RangeError, {}, `${encode.name} of ${bad.length ?? bad.byteLength}`);
    }
    expectThrow(() => encode('a', { fin: false }), RangeError, {}, `${encode.name} fragmented`);
    expectThrow(() => encode('a', { rsv1: true }), RangeError, {}, `${encode.name} with RSV1`);
    for (const bad of [42, true, {}, [1, 2]]) expectThrow(() => encode(bad), TypeError, {}, `${encode.name} of ${String(bad)}`);
  }
});

test('encodeFrame: reserved or out-of-range opcodes are a RangeError', () => {
  for (const op of [3, 4, 5, 6, 7, 11, 12, 13, 14, 15, -1, 16, 255, 1.5, NaN, Infinity]) {
    expectThrow(() => encodeFrame(op, 'x'), RangeError, {}, `opcode ${String(op)}`);
  }
});

test('encodeFrame: every valid opcode, and control frame rules (RFC 6455 §5.5)', () => {
  for (const op of [0, 1, 2, 8, 9, 10]) bytesEqual(encodeFrame(op, 'ab'), new Uint8Array([0x80 | op, 2, 0x61, 0x62]), `opcode ${op}`);
  for (const op of [8, 9, 10]) {
    expectThrow(() => encodeFrame(op, new Uint8Array(126)), RangeError, {}, `control ${op} of 126 bytes`);
    expectThrow(() => encodeFrame(op, 'x'.repeat(126)), RangeError, {}, `control ${op} of 126 chars`);
    expectThrow(() => encodeFrame(op, 'x', { fin: false }), RangeError, {}, `control ${op} fragmented`);
    expectThrow(() => encodeFrame(op, 'x', { rsv1: true }), RangeError, {}, `control ${op} with RSV1`);
    bytesEqual(encodeFrame(op, new Uint8Array(125)).subarray(0, 2), new Uint8Array([0x80 | op, 125]));
  }
  // Data frames may be long; the same 126 bytes are fine with opcode 2.
  bytesEqual(encodeFrame(2, new Uint8Array(126)).subarray(0, 4), hex('82 7e 00 7e'));
});

test('bad payload and option types are a TypeError; a key that is not 4 bytes a RangeError; an unknown option a TypeError', () => {
  for (const bad of [42, null, undefined, true, {}, [1, 2, 3]]) {
    expectThrow(() => encodeFrame(2, bad), TypeError, {}, `payload ${String(bad)}`);
    expectThrow(() => encodeBinaryFrame(bad), TypeError, {}, `binary ${String(bad)}`);
  }
  for (const bad of [42, null, utf8('x'), {}, ['x']]) expectThrow(() => encodeTextFrame(bad), TypeError, {}, `text ${String(bad)}`);
  const encoders = [(o) => encodeTextFrame('x', o), (o) => encodeBinaryFrame('x', o), (o) => encodeFrame(2, 'x', o), (o) => encodePingFrame('x', o), (o) => encodeCloseFrame(1000, 'x', o)];
  for (const encode of encoders) {
    for (const bad of [null, 'mask', 42, true]) expectThrow(() => encode(bad), TypeError, {}, `options ${String(bad)}`);
    for (const bad of ['true', 1, 0, null]) {
      expectThrow(() => encode({ fin: bad }), TypeError, {}, `fin ${String(bad)}`);
      expectThrow(() => encode({ rsv1: bad }), TypeError, {}, `rsv1 ${String(bad)}`);
    }
    for (const bad of ['abcd', 1, null, [1, 2, 3, 4], { length: 4 }]) {
      expectThrow(() => encode({ mask: bad }), TypeError, {}, `mask ${Object.prototype.toString.call(bad)}`);
    }
    for (const n of [0, 3, 5, 8]) expectThrow(() => encode({ mask: new Uint8Array(n) }), RangeError, {}, `mask of ${n} bytes`);
    // Issue 13: a key is bytes in any form, 4 of them: a Uint16Array of 4 elements has 8.
    expectThrow(() => encode({ mask: new Uint16Array(4) }), RangeError, {}, 'mask Uint16Array(4)');
    // Issue 13: an unknown option names itself and the nearest known name.
    for (const [key, near] of [['masked', 'mask'], ['FIN', 'fin'], ['rsv2', 'rsv1'], ['compress', null]]) {
      const e = expectThrow(() => encode({ [key]: true }), TypeError, {}, key);
      assert.ok(e.message.includes(JSON.stringify(key)), e.message);
      assert.is(e.message.includes(`did you mean ${JSON.stringify(near)}`), near !== null, e.message);
    }
  }
});

test('issue 13: a mask key in any byte form; a copy is used, so a later change to it changes no frame', () => {
  const want = encodeTextFrame('Hello', { mask: KEY });
  const big = new Uint8Array(10).fill(0xee);
  big.set(KEY, 3);
  for (const key of [KEY.slice().buffer, new DataView(big.buffer, 3, 4), new Int8Array(big.buffer, 3, 4), new Uint16Array(KEY.slice().buffer)]) {
    bytesEqual(encodeTextFrame('Hello', { mask: key }), want, Object.prototype.toString.call(key));
  }
  const key = KEY.slice();
  const header = encodeFrameHeader(Opcode.Text, 5, { mask: key });
  key.fill(0);
  bytesEqual(header.subarray(2), KEY, 'the header holds the key as it was');
});

test('issue 13: no module state: an option getter that encodes another frame does not change this one', () => {
  // Reentrancy from each option, on every encoder path: short ASCII, short non-ASCII, long, bytes, header only.
  const reenter = () => { encodeTextFrame('y'); encodeBinaryFrame(new Uint8Array(200), { mask: true, rsv1: true }); encodeFrame(0x0, 'z', { fin: true }); };
  const options = () => ({ fin: false, get rsv1() { reenter(); return false; }, get mask() { reenter(); return KEY; } });
  const cases = [
    ['short ASCII', () => encodeTextFrame('x', options()), 0x01],
    ['short non-ASCII', () => encodeTextFrame('\u00e9', options()), 0x01],
    ['long text', () => encodeFrame(0x1, 'x'.repeat(300), options()), 0x01],
    ['bytes', () => encodeBinaryFrame(new Uint8Array(3), options()), 0x02],
    ['header', () => encodeFrameHeader(Opcode.Binary, 3, options()), 0x02],
  ];
  for (const [what, make, b0] of cases) {
    const frame = make();
    assert.is(frame[0], b0, `${what}: FIN clear, RSV1 clear, opcode`);
    assert.is(frame[1] & 0x80, 0x80, `${what}: masked`);
  }
  // The example.
  assert.is(encodeTextFrame('x', { fin: false, get rsv1() { encodeTextFrame('y'); return false; } })[0], 0x01);
});

test('issue 13: each option is read once, and the mask key validated is the key used', () => {
  for (const text of ['x', '\u00e9', 'x'.repeat(100)]) {
    const reads = { fin: 0, rsv1: 0, mask: 0 };
    const o = { get fin() { reads.fin++; return true; }, get rsv1() { reads.rsv1++; return false; }, get mask() { reads.mask++; return reads.mask === 1 ? hex('01 02 03 04') : hex('01 02 03'); } };
    const frame = encodeTextFrame(text, o);
    assert.equal(reads, { fin: 1, rsv1: 1, mask: 1 }, `${text.length} characters`);
    const at = frame.length - utf8(text).length;
    bytesEqual(frame.subarray(at - 4, at), hex('01 02 03 04'), 'the key given first');
  }
  // The other way round: a bad key first is refused, whatever comes after.
  let n = 0;
  expectThrow(() => encodeTextFrame('x', { get mask() { return ++n === 1 ? hex('01 02 03') : hex('01 02 03 04'); } }), RangeError);
});

test('issue 13: a random key is drawn per frame and never shared with another frame', () => {
  // A frame masked with a fresh key while another one's options are read: both unmask back.
  const inner = [];
  const outer = encodeTextFrame('outer text', { get mask() { inner.push(encodeTextFrame('inner', { mask: true })); return true; } });
  const unmask = (f) => { const key = f.subarray(2, 6); return new TextDecoder().decode(f.subarray(6).map((b, i) => b ^ key[i & 3])); };
  assert.is(unmask(outer), 'outer text');
  assert.is(unmask(inner[0]), 'inner');
  // Keys of consecutive frames differ (the 4 KiB pool is read on, never reused).
  const keys = new Set(Array.from({ length: 2000 }, () => toHex(encodeFrameHeader(Opcode.Binary, 0, { mask: true }).subarray(2))));
  assert.ok(keys.size > 1990, `${keys.size} distinct keys in 2000`);
});

test('encodeFrameHeader + payload gives the bytes of the whole frame, at every length boundary', () => {
  for (const n of [0, 1, 125, 126, 127, 65535, 65536, 65537]) {
    const payload = repeatByte(0x5a, n);
    for (const opts of [undefined, { fin: false }, { rsv1: true }, { mask: KEY }]) {
      const header = encodeFrameHeader(Opcode.Binary, n, opts);
      const body = payload.slice();
      if (opts?.mask) maskInPlace(body, header.subarray(-4));
      bytesEqual(concat(header, body), encodeFrame(Opcode.Binary, payload, opts), `length ${n}, ${JSON.stringify(opts)}`);
    }
  }
});

test('encodeFrameHeader: RFC 6455 §5.7 masked "Hello" from a header and maskInPlace', () => {
  const header = encodeFrameHeader(Opcode.Text, 5, { mask: KEY });
  const body = utf8('Hello');
  maskInPlace(body, header.subarray(-4));
  bytesEqual(concat(header, body), hex('81 85 37 fa 21 3d 7f 9f 4d 51 58'));
  const drawn = encodeFrameHeader(Opcode.Text, 5, { mask: true });
  assert.is(drawn.length, 6);
  assert.is(drawn[1], 0x85);
});

test('encodeFrameHeader: the same rules as encodeFrame, and a length that is not a non-negative integer', () => {
  for (const len of [-1, 1.5, NaN, Infinity, 2 ** 53]) expectThrow(() => encodeFrameHeader(Opcode.Binary, len), RangeError, {}, `length ${len}`);
  for (const op of [3, 7, 11, 15, 16, -1]) expectThrow(() => encodeFrameHeader(op, 0), RangeError, {}, `opcode ${op}`);
  expectThrow(() => encodeFrameHeader(Opcode.Ping, 126), RangeError);
  expectThrow(() => encodeFrameHeader(Opcode.Close, 0, { fin: false }), RangeError);
  expectThrow(() => encodeFrameHeader(Opcode.Pong, 0, { rsv1: true }), RangeError);
  expectThrow(() => encodeFrameHeader(Opcode.Text, 1, { mask: new Uint8Array(3) }), RangeError);
  expectThrow(() => encodeFrameHeader(Opcode.Text, 1, { fin: 1 }), TypeError);
});

test('Ping and Pong: null is not an absent payload', () => {
  expectThrow(() => encodePingFrame(null), TypeError);
  expectThrow(() => encodePongFrame(null), TypeError);
  bytesEqual(encodePingFrame(), hex('89 00'));
});

test.run();
