// decodeFrame (RFC 6455 §5.2): the §5.7 examples, every prefix, odd offsets,
// exact byteLength, no input changes, and every violation with its close code,
// decided as soon as the byte that shows it is there.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FRAME_RULES, ProtocolError, decodeFrame, encodeFrame } from '../../dist/index.js';
import { atOffset, bytesEqual, concat, expectThrow, hex, prng, toHex, utf8 } from '../_util.mjs';

const test = suite('decode');

/** Builds a frame by hand (independent of the encoder): header fields, then payload. */
function frame({ fin = true, rsv = 0, opcode = 2, key = null, payload = new Uint8Array(0), lenForm = null }) {
  const n = payload.length;
  const form = lenForm ?? (n < 126 ? 7 : n < 65536 ? 16 : 64);
  const head = [(fin ? 0x80 : 0) | (rsv << 4) | opcode];
  const m = key ? 0x80 : 0;
  if (form === 7) head.push(m | n);
  else if (form === 16) head.push(m | 126, n >> 8, n & 255);
  else head.push(m | 127, 0, 0, 0, 0, (n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255);
  if (key) head.push(...key);
  const body = key ? payload.map((b, i) => b ^ key[i & 3]) : payload;
  return concat(head, body);
}

/** Asserts a ProtocolError with this close code and rule (never its message text). */
const expectProtocolError = (bytes, closeCode, rule, label, options) => {
  assert.is(FRAME_RULES[rule]?.closeCode, closeCode, `${label}: the rule ${rule} has the code ${closeCode}`);
  const e = expectThrow(() => decodeFrame(bytes, options), ProtocolError, { closeCode, rule }, label);
  assert.is(e.name, 'ProtocolError');
  assert.instance(e, Error);
  assert.equal(e.messages, [], 'decodeFrame completes no messages');
  return e;
};

test('RFC 6455 §5.7 examples decode', () => {
  const hello = decodeFrame(hex('81 05 48 65 6c 6c 6f'));
  assert.equal(
    { fin: hello.fin, rsv1: hello.rsv1, rsv2: hello.rsv2, rsv3: hello.rsv3, opcode: hello.opcode, opcodeName: hello.opcodeName, masked: hello.masked, byteLength: hello.byteLength },
    { fin: true, rsv1: false, rsv2: false, rsv3: false, opcode: 1, opcodeName: 'text', masked: false, byteLength: 7 },
  );
  assert.is(hello.maskKey, undefined);
  bytesEqual(hello.payload, utf8('Hello'));

  const masked = decodeFrame(hex('81 85 37 fa 21 3d 7f 9f 4d 51 58'));
  assert.is(masked.masked, true);
  bytesEqual(masked.maskKey, hex('37 fa 21 3d'));
  bytesEqual(masked.payload, utf8('Hello'));
  assert.is(masked.byteLength, 11);

  const hel = decodeFrame(hex('01 03 48 65 6c'));
  assert.is(hel.fin, false);
  assert.is(hel.opcodeName, 'text');
  bytesEqual(hel.payload, utf8('Hel'));
  const lo = decodeFrame(hex('80 02 6c 6f'));
  assert.is(lo.fin, true);
  assert.is(lo.opcode, 0);
  assert.is(lo.opcodeName, 'continuation');
  bytesEqual(lo.payload, utf8('lo'));

  const ping = decodeFrame(hex('89 05 48 65 6c 6c 6f'));
  assert.is(ping.opcodeName, 'ping');
  bytesEqual(ping.payload, utf8('Hello'));
  const pong = decodeFrame(hex('8a 85 37 fa 21 3d 7f 9f 4d 51 58'));
  assert.is(pong.opcodeName, 'pong');
  bytesEqual(pong.payload, utf8('Hello'));

  const data256 = prng(50).bytes(256);
  const f256 = decodeFrame(concat(hex('82 7e 01 00'), data256));
  assert.is(f256.opcodeName, 'binary');
  assert.is(f256.byteLength, 260);
  bytesEqual(f256.payload, data256);
  const data64k = prng(51).bytes(65536);
  const f64k = decodeFrame(concat(hex('82 7f 00 00 00 00 00 01 00 00'), data64k));
  assert.is(f64k.byteLength, 65546);
  bytesEqual(f64k.payload, data64k);
});

// Valid frames of every length class, masked and not, data and control.
const rnd = prng(52);
const VALID = [];
for (const n of [0, 1, 2, 3, 4, 5, 125, 126, 127, 1000, 65535, 65536, 65537]) {
  for (const key of [null, rnd.bytes(4)]) {
    VALID.push({ opcode: 2, payload: rnd.bytes(n), key, fin: true });
    if (n < 1000) VALID.push({ opcode: 0, payload: rnd.bytes(n), key, fin: false });
  }
}
for (const opcode of [1, 8, 9, 10]) {
  for (const n of [0, 2, 125]) for (const key of [null, rnd.bytes(4)]) VALID.push({ opcode, payload: opcode === 1 ? utf8('é'.repeat(n >> 1)) : rnd.bytes(n), key, fin: true });
}
const NAMES = { 0: 'continuation', 1: 'text', 2: 'binary', 8: 'close', 9: 'ping', 10: 'pong' };

function checkFrame(f, spec, bytes, label) {
  assert.ok(f !== null, `${label}: decoded`);
  assert.is(f.fin, spec.fin, `${label}: fin`);
  assert.is(f.opcode, spec.opcode, `${label}: opcode`);
  assert.is(f.opcodeName, NAMES[spec.opcode], `${label}: opcodeName`);
  assert.is(f.masked, spec.key !== null, `${label}: masked`);
  assert.is(f.rsv1 || f.rsv2 || f.rsv3, false, `${label}: rsv`);
  if (spec.key) bytesEqual(f.maskKey, spec.key, `${label}: maskKey`);
  else assert.is(f.maskKey, undefined, `${label}: no maskKey`);
  assert.is(f.byteLength, bytes.length, `${label}: byteLength`);
  bytesEqual(f.payload, spec.payload, `${label}: payload`);
}

const labelOf = (s) => `opcode ${s.opcode}, ${s.payload.length} bytes, ${s.key ? 'masked' : 'unmasked'}`;

test('every valid frame decodes, with every field right', () => {
  for (const spec of VALID) {
    const bytes = frame(spec);
    checkFrame(decodeFrame(bytes), spec, bytes, labelOf(spec));
  }
});

test('every proper prefix of every valid frame returns null', () => {
  for (const spec of VALID) {
    const bytes = frame(spec);
    for (let n = 0; n < bytes.length; n++) {
      if (decodeFrame(bytes.subarray(0, n)) !== null) assert.unreachable(`${labelOf(spec)}: prefix of ${n} of ${bytes.length} bytes is not null`);
    }
  }
});

test('every valid frame decodes at byteOffsets 1, 2, 3, 5 and 7, reading only its view', () => {
  for (const spec of VALID) {
    const bytes = frame(spec);
    for (const offset of [1, 2, 3, 5, 7]) {
      const view = atOffset(bytes, offset);
      checkFrame(decodeFrame(view), spec, bytes, `${labelOf(spec)} at offset ${offset}`);
      // A proper prefix at an offset still needs more data, even with bytes after the view.
      const header = bytes.length - spec.payload.length;
      assert.is(decodeFrame(view.subarray(0, header - 1)), null, `${labelOf(spec)}: header prefix at offset ${offset}`);
    }
  }
});

test('byteLength is exact; the bytes after the frame are left for the next call', () => {
  const a = frame({ opcode: 1, payload: utf8('first') });
  const b = frame({ opcode: 2, payload: prng(53).bytes(300), key: hex('01 02 03 04') });
  const c = frame({ opcode: 9, payload: utf8('p') });
  let buf = concat(a, b, c, hex('81'));
  const seen = [];
  let f;
  while ((f = decodeFrame(buf)) !== null) {
    seen.push([f.opcode, f.byteLength]);
    buf = buf.subarray(f.byteLength);
  }
  assert.equal(seen, [[1, a.length], [2, b.length], [9, c.length]]);
  bytesEqual(buf, hex('81'), 'the start of the next frame is kept');
});

test('the offset argument: every valid frame at offsets 0-9 of one buffer, with bytes before and after it', () => {
  for (const spec of VALID) {
    const bytes = frame(spec);
    for (let offset = 0; offset < 10; offset++) {
      const junk = prng(offset + 1).bytes(offset); // any bytes: only those from the offset on are read
      const buf = atOffset(concat(junk, bytes, hex('ff ff')), offset & 3);
      checkFrame(decodeFrame(buf, undefined, offset), spec, bytes, `${labelOf(spec)} at offset ${offset}`);
      const header = bytes.length - spec.payload.length;
      // Every proper prefix from the offset still needs more data.
      for (const n of [0, 1, header - 1, bytes.length - 1]) {
        if (n >= 0 && n < bytes.length) assert.is(decodeFrame(buf.subarray(0, offset + n), undefined, offset), null, `${labelOf(spec)}: ${n} bytes at offset ${offset}`);
      }
    }
  }
});

test('the offset argument walks a buffer of frames without views, as subarray does, and errors point at the frame there', () => {
  const frames = [
    frame({ opcode: 1, payload: utf8('first') }),
    frame({ opcode: 2, payload: prng(55).bytes(300), key: hex('01 02 03 04') }),
    frame({ opcode: 9, payload: utf8('p'), key: hex('05 06 07 08') }),
    frame({ opcode: 2, payload: prng(56).bytes(70000) }),
  ];
  const buf = atOffset(concat(...frames, hex('82 7e 00')), 1);
  const seen = [];
  let at = 0;
  let f;
  while ((f = decodeFrame(buf, undefined, at)) !== null) {
    const g = decodeFrame(buf.subarray(at));
    assert.is(f.byteLength, g.byteLength, `frame at ${at}: byteLength`);
    bytesEqual(f.payload, g.payload, `frame at ${at}: payload`);
    seen.push(f.byteLength);
    at += f.byteLength;
  }
  assert.equal(seen, frames.map((x) => x.length));
  assert.is(at, buf.length - 3, 'stops at the partial frame');
  // An unmasked payload is a view at the right place.
  const last = decodeFrame(buf, undefined, at - frames[3].length);
  assert.is(last.payload.byteOffset, buf.byteOffset + at - 70000);
  // An empty rest.
  assert.is(decodeFrame(buf, undefined, buf.length), null, 'offset at the end');
  // Errors come from the frame at the offset: RSV bits, requireMask, a non-minimal length, maxPayload.
  const bad = concat(frames[0], hex('c1 00'), hex('81 05'), hex('82 7e 00 05'), hex('82 7e 01 00'));
  const o = frames[0].length;
  expectThrow(() => decodeFrame(bad, undefined, o), ProtocolError, { closeCode: 1002, rule: 'rsv-without-extension' }, 'RSV1 at the offset');
  expectThrow(() => decodeFrame(bad, { requireMask: true }, o + 2), ProtocolError, { closeCode: 1002, rule: 'client-frame-unmasked' }, 'unmasked at the offset');
  expectThrow(() => decodeFrame(bad, undefined, o + 4), ProtocolError, { closeCode: 1002, rule: 'non-minimal-length' }, '16-bit length 5 at the offset');
  expectThrow(() => decodeFrame(bad, { maxPayload: 255 }, o + 8), ProtocolError, { closeCode: 1009, rule: 'frame-too-big' }, '256 bytes over maxPayload at the offset');
  assert.is(decodeFrame(bad, undefined, 0).byteLength, o, 'the frame before them is fine');
});

test('RangeError for an offset that is not an integer from 0 to the length', () => {
  const bytes = frame({ payload: utf8('abc') });
  for (const bad of [-1, bytes.length + 1, 1.5, NaN, Infinity, '1', null, 2 ** 53]) {
    expectThrow(() => decodeFrame(bytes, undefined, bad), RangeError, {}, `offset ${String(bad)}`);
  }
});

test('the input is never modified', () => {
  for (const spec of VALID) {
    const bytes = frame(spec);
    const copy = bytes.slice();
    const f = decodeFrame(bytes);
    bytesEqual(bytes, copy, labelOf(spec));
    // Writing into a masked frame's payload or key must not reach the input either.
    if (spec.key && f.payload.length) {
      f.payload[0] ^= 0xff;
      f.maskKey[0] ^= 0xff;
      bytesEqual(bytes, copy, `${labelOf(spec)} after writing the result`);
    }
  }
});

test('an unmasked payload is a zero-copy view of the input; a masked one is a new array', () => {
  const data = prng(54).bytes(200);
  const view = atOffset(frame({ payload: data }), 3);
  const f = decodeFrame(view);
  assert.is(f.payload.buffer, view.buffer);
  assert.is(f.payload.byteOffset, view.byteOffset + 4);
  assert.is(f.payload.length, 200);
  const m = decodeFrame(atOffset(frame({ payload: data, key: hex('aa bb cc dd') }), 3));
  assert.is.not(m.payload.buffer, view.buffer);
  bytesEqual(m.payload, data);
});

test('RFC 6455 §5.2: any RSV bit is 1002, from the first byte alone', () => {
  for (let rsv = 1; rsv < 8; rsv++) {
    for (const opcode of [0, 1, 2, 8, 9, 10]) {
      const b0 = 0x80 | (rsv << 4) | opcode;
      expectProtocolError(new Uint8Array([b0]), 1002, 'rsv-without-extension', `RSV ${rsv}, opcode ${opcode}, one byte`);
      expectProtocolError(frame({ rsv, opcode, payload: utf8('x') }), 1002, 'rsv-without-extension', `RSV ${rsv}, whole frame`);
    }
  }
});

test('RFC 6455 §5.2: reserved opcodes 3-7 and 11-15 are 1002, from the first byte alone', () => {
  for (const opcode of [3, 4, 5, 6, 7, 11, 12, 13, 14, 15]) {
    for (const fin of [0x80, 0x00]) {
      expectProtocolError(new Uint8Array([fin | opcode]), 1002, 'reserved-opcode', `opcode ${opcode}, one byte`);
      expectProtocolError(new Uint8Array([fin | opcode, 0x00]), 1002, 'reserved-opcode', `opcode ${opcode}, empty frame`);
    }
  }
});

test('RFC 6455 §5.5: a fragmented control frame is 1002, from the first byte alone', () => {
  for (const opcode of [8, 9, 10]) {
    expectProtocolError(new Uint8Array([opcode]), 1002, 'fragmented-control', `opcode ${opcode}, one byte`);
    expectProtocolError(frame({ fin: false, opcode, payload: utf8('x') }), 1002, 'fragmented-control', `opcode ${opcode}, whole frame`);
  }
});

test('RFC 6455 §5.5: a control frame declaring over 125 bytes is 1002, from the length byte alone', () => {
  for (const opcode of [8, 9, 10]) {
    for (const b1 of [126, 127, 0x80 | 126, 0x80 | 127]) {
      expectProtocolError(new Uint8Array([0x80 | opcode, b1]), 1002, 'control-too-long', `opcode ${opcode}, length byte ${b1}`);
    }
    expectProtocolError(frame({ opcode, payload: new Uint8Array(126) }), 1002, 'control-too-long', `opcode ${opcode}, 126-byte payload`);
  }
});

test('RFC 6455 §5.2: lengths 0..125 in the 16-bit form are 1002, from the header alone', () => {
  for (let n = 0; n <= 125; n++) {
    expectProtocolError(new Uint8Array([0x82, 126, 0, n]), 1002, 'non-minimal-length', `length ${n} in 16 bits`);
    expectProtocolError(new Uint8Array([0x82, 0x80 | 126, 0, n]), 1002, 'non-minimal-length', `length ${n} in 16 bits, masked, no key yet`);
    expectProtocolError(frame({ payload: new Uint8Array(n), lenForm: 16 }), 1002, 'non-minimal-length', `length ${n} in 16 bits, whole frame`);
  }
  assert.ok(decodeFrame(frame({ payload: new Uint8Array(126), lenForm: 16 })) !== null, '126 in 16 bits is minimal');
});

test('RFC 6455 §5.2: lengths under 65536 in the 64-bit form are 1002, from the header alone', () => {
  const head = new Uint8Array([0x82, 127, 0, 0, 0, 0, 0, 0, 0, 0]);
  for (let n = 0; n < 65536; n++) {
    head[8] = n >> 8;
    head[9] = n & 255;
    let threw = false;
    try { decodeFrame(head); } catch (e) { threw = e instanceof ProtocolError && e.closeCode === 1002 && e.rule === 'non-minimal-length'; }
    if (!threw) assert.unreachable(`length ${n} in 64 bits is not a ProtocolError 1002`);
  }
  expectProtocolError(frame({ payload: new Uint8Array(126), lenForm: 64 }), 1002, 'non-minimal-length', '126 in 64 bits, whole frame');
  expectProtocolError(frame({ payload: new Uint8Array(65535), lenForm: 64, key: hex('01 02 03 04') }), 1002, 'non-minimal-length', '65535 in 64 bits, masked');
  assert.is(decodeFrame(hex('82 7f 00 00 00 00 00 01 00 00')), null, '65536 in 64 bits is minimal: waits for the payload');
});

test('RFC 6455 §5.2: a 64-bit length with the most significant bit set is 1002', () => {
  for (const msb of ['80 00 00 00 00 00 00 00', '80 00 00 00 00 01 00 00', 'ff ff ff ff ff ff ff ff', 'c0 00 00 00 00 00 00 05']) {
    expectProtocolError(hex(`82 7f ${msb}`), 1002, 'length-msb-set', msb);
    expectProtocolError(hex(`82 ff ${msb}`), 1002, 'length-msb-set', `${msb} masked`);
    // Even with a huge maxPayload and with default limits, the bit is a protocol error first.
    expectProtocolError(hex(`82 7f ${msb}`), 1002, 'length-msb-set', `${msb} under maxPayload`, { maxPayload: Number.MAX_SAFE_INTEGER });
  }
});

test('RFC 6455 §5.1: requireMask refuses an unmasked frame from its length byte', () => {
  expectProtocolError(hex('81 05'), 1002, 'client-frame-unmasked', 'two bytes', { requireMask: true });
  expectProtocolError(hex('81 05 48 65 6c 6c 6f'), 1002, 'client-frame-unmasked', 'whole frame', { requireMask: true });
  expectProtocolError(hex('89 00'), 1002, 'client-frame-unmasked', 'empty ping', { requireMask: true });
  bytesEqual(decodeFrame(hex('81 85 37 fa 21 3d 7f 9f 4d 51 58'), { requireMask: true }).payload, utf8('Hello'));
  assert.is(decodeFrame(hex('81 85'), { requireMask: true }), null, 'a masked header prefix waits');
  bytesEqual(decodeFrame(hex('81 05 48 65 6c 6c 6f'), { requireMask: false }).payload, utf8('Hello'));
});

test('maxPayload: 1009 decided from the header alone, before the payload or the key', () => {
  // 7-bit, 16-bit and 64-bit lengths, one over the limit; header bytes only.
  expectProtocolError(hex('82 0a'), 1009, 'frame-too-big', '10 > 9', { maxPayload: 9 });
  expectProtocolError(hex('82 8a'), 1009, 'frame-too-big', '10 > 9, masked, no key yet', { maxPayload: 9 });
  expectProtocolError(hex('82 7e 01 00'), 1009, 'frame-too-big', '256 > 255', { maxPayload: 255 });
  expectProtocolError(hex('82 fe 01 00'), 1009, 'frame-too-big', '256 > 255, masked, no key yet', { maxPayload: 255 });
  expectProtocolError(hex('82 7f 00 00 00 00 00 01 00 00'), 1009, 'frame-too-big', '65536 > 65535', { maxPayload: 65535 });
  expectProtocolError(hex('82 ff 00 00 00 00 00 01 00 00'), 1009, 'frame-too-big', '65536 > 65535, masked', { maxPayload: 65535 });
  expectProtocolError(hex('81 01'), 1009, 'frame-too-big', '1 > 0', { maxPayload: 0 });
  // At the limit: no error, just waiting for the payload.
  assert.is(decodeFrame(hex('82 0a'), { maxPayload: 10 }), null);
  assert.is(decodeFrame(hex('82 7e 01 00'), { maxPayload: 256 }), null);
  assert.is(decodeFrame(hex('82 7f 00 00 00 00 00 01 00 00'), { maxPayload: 65536 }), null);
  assert.is(decodeFrame(hex('82 00'), { maxPayload: 0 }).payload.length, 0);
  // The default is 100 MiB.
  assert.is(decodeFrame(hex('82 7f 00 00 00 00 06 40 00 00')), null, '100 MiB is allowed by default');
  expectProtocolError(hex('82 7f 00 00 00 00 06 40 00 01'), 1009, 'frame-too-big', '100 MiB + 1 by default');
  expectProtocolError(hex('82 7f 7f ff ff ff ff ff ff ff'), 1009, 'frame-too-big', '2^63 - 1 by default');
  expectProtocolError(hex('82 7f 00 20 00 00 00 00 00 01'), 1009, 'frame-too-big', 'just over 2^53', { maxPayload: Number.MAX_SAFE_INTEGER });
});

test('fail-fast: an invalid first byte throws even when it is the only byte', () => {
  for (let b0 = 0; b0 < 256; b0++) {
    const opcode = b0 & 15;
    // RFC 6455 §5.2 then §5.5: the first rule broken, in byte order.
    const rule = (b0 & 0x70) !== 0 ? 'rsv-without-extension' : (opcode > 2 && opcode < 8) || opcode > 10 ? 'reserved-opcode' : opcode >= 8 && !(b0 & 0x80) ? 'fragmented-control' : null;
    if (rule) expectProtocolError(new Uint8Array([b0]), 1002, rule, `first byte ${b0.toString(16)}`);
    else assert.is(decodeFrame(new Uint8Array([b0])), null, `first byte ${b0.toString(16)} waits`);
  }
  assert.is(decodeFrame(new Uint8Array(0)), null, 'no bytes at all');
});

// Fail-fast inside the extended length: once the bytes so far leave no
// allowed value, the frame is refused without waiting for the rest.
test('a partial extended length fails as soon as no allowed value is left', () => {
  // 64-bit form: six zero bytes already force a value under 65536 (non-minimal, RFC 6455 §5.2).
  expectProtocolError(hex('82 7f 00 00 00 00 00 00'), 1002, 'non-minimal-length', 'six zero bytes of a 64-bit length');
  assert.is(decodeFrame(hex('82 7f 00 00 00 00 00')), null, 'five zero bytes: 0x10000 is still possible');
  // The most significant bit, from the first length byte alone.
  expectProtocolError(hex('82 7f 80'), 1002, 'length-msb-set', 'MSB in the first length byte');
  // 16-bit form: one zero byte still allows 126..255, so it waits.
  assert.is(decodeFrame(hex('82 7e 00')), null);
  // maxPayload: the smallest value the bytes so far allow is already over the limit.
  expectProtocolError(hex('82 7f 00 00 00 00 01'), 1009, 'frame-too-big', 'at least 2^24 > 1000', { maxPayload: 1000 });
  expectProtocolError(hex('82 7e 02'), 1009, 'frame-too-big', 'at least 512 > 300', { maxPayload: 300 });
  assert.is(decodeFrame(hex('82 7e 01'), { maxPayload: 300 }), null, 'at least 256 <= 300: waits');
  expectProtocolError(hex('82 7f'), 1009, 'frame-too-big', '64-bit form means at least 65536 > 1000', { maxPayload: 1000 });
  expectProtocolError(hex('82 7e'), 1009, 'frame-too-big', '16-bit form means at least 126 > 100', { maxPayload: 100 });
});

test('TypeError for input that is not bytes or for bad option types', () => {
  for (const bad of [undefined, null, 'x', 42, [0x81, 0], { length: 2, 0: 0x81, 1: 0 }]) {
    expectThrow(() => decodeFrame(bad), TypeError, {}, Object.prototype.toString.call(bad));
  }
  const ok = hex('81 00');
  for (const bad of [null, 'x', 42, true]) expectThrow(() => decodeFrame(ok, bad), TypeError, {}, `options ${String(bad)}`);
  for (const bad of ['10', null, true, 10n]) expectThrow(() => decodeFrame(ok, { maxPayload: bad }), TypeError, {}, `maxPayload ${String(bad)}`);
  for (const bad of [1, 'yes', null]) expectThrow(() => decodeFrame(ok, { requireMask: bad }), TypeError, {}, `requireMask ${String(bad)}`);
});

test('issue 13: an ArrayBuffer or any ArrayBufferView is read, its own window only', () => {
  const f = hex('82 85 01 02 03 04 0b 0c 0d 0e 0f');
  const big = new Uint8Array(3 + f.length + 5).fill(0xa5);
  big.set(f, 3);
  for (const input of [f.buffer, new DataView(big.buffer, 3, f.length), new Int8Array(big.buffer, 3, f.length), new Uint8ClampedArray(big.buffer, 3, f.length)]) {
    const got = decodeFrame(input, { requireMask: true });
    assert.is(got.byteLength, f.length, Object.prototype.toString.call(input));
    bytesEqual(got.payload, hex('0a 0e 0e 0a 0e'), Object.prototype.toString.call(input));
  }
  // A Uint16Array of 6 bytes: its bytes, not its elements.
  const u16 = new Uint16Array(new Uint8Array([0x82, 0x04, 1, 2, 3, 4]).buffer);
  bytesEqual(decodeFrame(u16).payload, hex('01 02 03 04'));
  // The view's window ends the input: a frame cut by it waits.
  assert.is(decodeFrame(new DataView(big.buffer, 3, f.length - 1)), null);
  // Errors come from the view's bytes too.
  expectThrow(() => decodeFrame(new Uint8Array([0xc1, 0]).buffer), ProtocolError, { closeCode: 1002, rule: 'rsv-without-extension' });
});

test('issue 13: maxPayload is any non-negative integer or Infinity; NaN, negatives and fractions are a RangeError', () => {
  const ok = hex('81 00');
  for (const bad of [-1, 1.5, NaN, -Infinity, 2 ** 53]) expectThrow(() => decodeFrame(ok, { maxPayload: bad }), RangeError, {}, `maxPayload ${bad}`);
  assert.is(decodeFrame(ok, {}).byteLength, 2);
  assert.is(decodeFrame(ok, { maxPayload: undefined, requireMask: undefined }).byteLength, 2);
  // Infinity: no limit; a 2^40-byte declaration waits for its payload instead of failing.
  assert.is(decodeFrame(hex('82 7f 00 00 01 00 00 00 00 00'), { maxPayload: Infinity }), null);
  assert.is(decodeFrame(hex('82 7f 7f ff ff ff ff ff ff ff'), { maxPayload: Infinity }), null, '2^63 - 1');
  // Still a protocol error, whatever the limit.
  expectProtocolError(hex('82 7f 80'), 1002, 'length-msb-set', 'MSB under no limit', { maxPayload: Infinity });
  // 0 accepts only empty payloads (in ws, maxPayload 0 means no limit).
  assert.is(decodeFrame(hex('82 00'), { maxPayload: 0 }).payload.length, 0);
  expectProtocolError(hex('82 01'), 1009, 'frame-too-big', '1 byte under maxPayload 0', { maxPayload: 0 });
});

test('issue 13: an unknown option is a TypeError naming it and the nearest known name', () => {
  const ok = hex('81 00');
  const cases = [['maxpayload', 'maxPayload'], ['requireMasking', 'requireMask'], ['maxMessageSize', null], ['role', null]];
  for (const [key, near] of cases) {
    const e = expectThrow(() => decodeFrame(ok, { [key]: 1 }), TypeError, {}, key);
    assert.ok(e.message.includes(JSON.stringify(key)), `${key}: named in ${e.message}`);
    if (near) assert.ok(e.message.includes(`did you mean ${JSON.stringify(near)}`), `${key}: ${e.message}`);
    else assert.not.ok(e.message.includes('did you mean'), `${key}: ${e.message}`);
  }
  // Only own keys count: inherited ones are ignored, as on a class instance's prototype.
  assert.is(decodeFrame(ok, Object.create({ junk: 1 })).byteLength, 2);
});

test('issue 13: each option is read once', () => {
  let reads = 0;
  const options = { get maxPayload() { reads++; return reads === 1 ? 0 : 1000; }, get requireMask() { reads++; return false; } };
  expectProtocolError(hex('82 05'), 1009, 'frame-too-big', 'the first value read is the one used', options);
  assert.is(reads, 2);
});

test('issue 13: a 1009 message states the length measured and maxPayload as configured', () => {
  const cases = [
    [hex('82 0a'), 9, '10 bytes or more', 'over maxPayload 9'],
    [hex('82 7e 01 00'), 255, '256 bytes or more', 'over maxPayload 255'],
    [hex('82 7f 00 00 00 00 01'), 100000, '16777216 bytes or more', 'over maxPayload 100000'],
    [hex('82 7e'), 100, '126 bytes or more', 'over maxPayload 100'],
  ];
  for (const [bytes, max, measured, limit] of cases) {
    const e = expectProtocolError(bytes, 1009, 'frame-too-big', `${max}`, { maxPayload: max });
    assert.ok(e.message.includes(measured) && e.message.includes(limit), e.message);
  }
});

test('decodes what encodeFrame produces, for random frames', () => {
  const r = prng(55);
  for (let i = 0; i < 300; i++) {
    const opcode = [0, 1, 2, 8, 9, 10][r.int(6)];
    const n = opcode >= 8 ? r.int(126) : [r.int(126), 126 + r.int(1000), 65536 + r.int(100)][r.int(3)];
    const payload = r.bytes(n);
    const key = r.int(2) ? r.bytes(4) : null;
    const fin = opcode >= 8 ? true : r.int(2) === 1;
    const bytes = encodeFrame(opcode, payload, key ? { fin, mask: key } : { fin });
    assert.is(toHex(bytes.subarray(0, 64)), toHex(frame({ fin, opcode, payload, key }).subarray(0, 64)), `frame ${i} header`);
    checkFrame(decodeFrame(bytes), { fin, opcode, payload, key }, bytes, `random frame ${i}`);
  }
});

test.run();
