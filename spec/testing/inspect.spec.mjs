// inspectFrame and inspectFrames (issue 16 §1): every field with its byte
// range, every rule broken (not only the first) with its close code, section
// and the byte that breaks it; never a throw for any bytes.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FRAME_RULES } from '../../dist/index.js';
import { encodeRawFrame, inspectFrame, inspectFrames } from '../../dist/testing.js';
import { bufferLike, concat, hex, prng, toHex, utf8 } from '../_util.mjs';

const KEY = [0x37, 0xfa, 0x21, 0x3d];
/** The violations as "rule@byte" strings, in order. */
const found = (r) => r.violations.map((v) => `${v.rule}@${v.byte}`);
/** The fields as [name, start, end, value], values as hex or plain. */
const fieldsOf = (r) => r.fields.map((f) => [f.name, f.start, f.end, f.value instanceof Uint8Array ? toHex(f.value) : f.value]);

const test = suite('inspectFrame');

test('RFC 6455 §5.7: 81 05 48 65 6c 6c 6f is a FIN text frame "Hello", every field annotated', () => {
  const r = inspectFrame(hex('81 05 48 65 6c 6c 6f'), 0, { role: 'client' });
  assert.is(r.complete, true);
  assert.is(r.byteLength, 7);
  assert.equal(r.header, { fin: true, rsv1: false, rsv2: false, rsv3: false, opcode: 1, opcodeName: 'text', masked: false, maskKey: null, lengthEncoding: 7, payloadLength: 5, headerLength: 2 });
  assert.is(new TextDecoder().decode(r.payload), 'Hello');
  assert.equal(fieldsOf(r), [['fin', 0, 1, true], ['rsv1', 0, 1, false], ['rsv2', 0, 1, false], ['rsv3', 0, 1, false], ['opcode', 0, 1, 1], ['mask', 1, 2, false], ['length', 1, 2, 5], ['payload', 2, 7, '48656c6c6f']]);
  assert.equal(r.fields.map((f) => f.bits), [0x80, 0x40, 0x20, 0x10, 0x0f, 0x80, 0x7f, null]);
  assert.equal(r.violations, []);
  // A server receives it: clients must mask (RFC 6455 §5.1).
  assert.equal(inspectFrame(hex('81 05 48 65 6c 6c 6f')).violations, [{ rule: 'client-frame-unmasked', closeCode: 1002, byte: 1, rfc: 'RFC 6455 §5.1', message: 'A client frame is not masked' }]);
});

test('RFC 6455 §5.7: the masked "Hello", the fragments, ping, pong, 256 bytes and 64 KiB', () => {
  const m = inspectFrame(hex('81 85 37 fa 21 3d 7f 9f 4d 51 58'));
  assert.equal(found(m), []);
  assert.equal(fieldsOf(m).slice(5), [['mask', 1, 2, true], ['length', 1, 2, 5], ['maskKey', 2, 6, '37fa213d'], ['payload', 6, 11, '48656c6c6f']]);
  assert.is(toHex(m.header.maskKey), '37fa213d');
  const client = { role: 'client' };
  const first = inspectFrame(hex('01 03 48 65 6c'), 0, client);
  assert.equal([first.header.fin, first.header.opcodeName, found(first)], [false, 'text', []]);
  assert.equal([inspectFrame(hex('80 02 6c 6f'), 0, client).header.opcodeName, inspectFrame(hex('89 05 48 65 6c 6c 6f'), 0, client).header.opcodeName], ['continuation', 'ping']);
  assert.is(inspectFrame(hex('8a 85 37 fa 21 3d 7f 9f 4d 51 58')).header.opcodeName, 'pong');
  const b256 = inspectFrame(concat(hex('82 7e 01 00'), new Uint8Array(256)), 0, client);
  assert.equal([b256.header.lengthEncoding, b256.header.payloadLength, b256.header.headerLength, b256.byteLength, found(b256)], [16, 256, 4, 260, []]);
  assert.equal(fieldsOf(b256)[7], ['extendedLength', 2, 4, 256]);
  const b64k = inspectFrame(concat(hex('82 7f 00 00 00 00 00 01 00 00'), new Uint8Array(65536)), 0, client);
  assert.equal([b64k.header.lengthEncoding, b64k.header.payloadLength, b64k.byteLength, found(b64k)], [64, 65536, 65546, []]);
  assert.equal(fieldsOf(b64k)[7], ['extendedLength', 2, 10, 65536]);
});

test('inspecting leaves the caller\'s bytes as they were, from a Buffer-like view too (whose slice is not a copy)', () => {
  const frame = hex('81 85 37 fa 21 3d 7f 9f 4d 51 58');
  const input = bufferLike(frame);
  const r = inspectFrame(input, 0, { role: 'client' });
  assert.is(toHex(r.payload), '48656c6c6f');
  assert.is(toHex(input), toHex(frame), 'the input is unchanged');
  input.fill(0);
  assert.is(toHex(r.payload), '48656c6c6f', 'the payload is the report\'s own');
  assert.is(toHex(r.header.maskKey), '37fa213d', 'so is the key');
});

test('each rule, with its close code, section and the byte that breaks it', () => {
  const S = { role: 'server' }, C = { role: 'client' };
  const cases = [
    [{ opcode: 1, rsv2: true, mask: KEY }, S, ['rsv-without-extension@0']],
    [{ opcode: 3, mask: KEY }, S, ['reserved-opcode@0']],
    [{ opcode: 0xb }, C, ['reserved-opcode@0']],
    [{ opcode: 9, fin: false }, C, ['fragmented-control@0']],
    [{ opcode: 9, payload: new Uint8Array(126) }, C, ['control-too-long@1']],
    [{ opcode: 2, payload: Uint8Array.of(5), lengthEncoding: 16 }, C, ['non-minimal-length@3']],
    [{ opcode: 2, payload: Uint8Array.of(5), lengthEncoding: 64 }, C, ['non-minimal-length@7']],
    [{ opcode: 2, payload: new Uint8Array(300), lengthEncoding: 64 }, C, ['non-minimal-length@7']],
    [{ opcode: 2, declaredLength: 2n ** 63n }, C, ['length-msb-set@2']],
    [{ opcode: 2, declaredLength: 2n ** 64n - 1n }, C, ['length-msb-set@2']],
    [{ opcode: 1, payload: 'hi' }, S, ['client-frame-unmasked@1']],
    [{ opcode: 1, payload: 'hi', mask: KEY }, C, ['server-frame-masked@1']],
    [{ opcode: 2, payload: new Uint8Array(11) }, { role: 'client', maxPayload: 10 }, ['frame-too-big@1']],
    [{ opcode: 2, payload: new Uint8Array(1001) }, { role: 'client', maxPayload: 1000 }, ['frame-too-big@3']],
    [{ opcode: 2, payload: new Uint8Array(1024) }, { role: 'client', maxPayload: 1000 }, ['frame-too-big@2']],
    [{ opcode: 8, payload: Uint8Array.of(3) }, C, ['close-body-one-byte@1']],
    [{ opcode: 8, payload: Uint8Array.of(0x03, 0xed) }, C, ['invalid-close-code@3']],
    [{ opcode: 8, payload: Uint8Array.of(0x03, 0xe8, 0x61, 0xc0, 0x80), mask: KEY }, S, ['close-reason-invalid-utf8@9']],
    [{ opcode: 8, payload: Uint8Array.of(0x03, 0xe8, 0x61, 0xe2, 0x82) }, C, ['close-reason-invalid-utf8@6']],
    [{ opcode: 1, payload: Uint8Array.of(0x61, 0x62, 0xed, 0xa0, 0x80), mask: KEY }, S, ['invalid-utf8@9']],
    [{ opcode: 1, payload: Uint8Array.of(0x61, 0xf0, 0x9f, 0x98) }, C, ['invalid-utf8@5']],
    [{ opcode: 9, rsv1: true, mask: KEY }, { extensions: ['permessage-deflate'] }, ['rsv1-not-first-frame@0']],
  ];
  for (const [spec, options, want] of cases) {
    const bytes = encodeRawFrame(spec);
    const r = inspectFrame(bytes, 0, options);
    const label = `${toHex(bytes.subarray(0, 12))} ${JSON.stringify(options)}`;
    assert.equal(found(r), want, label);
    for (const v of r.violations) {
      assert.is(v.closeCode, FRAME_RULES[v.rule].closeCode, label);
      assert.is(v.rfc, FRAME_RULES[v.rule].rfc, label);
      assert.ok(/^[A-Z0-9]/.test(v.message) && !v.message.endsWith('.'), `${label}: ${v.message}`);
    }
  }
});

test('every rule a frame breaks is listed, in byte order, not only the first', () => {
  const bytes = encodeRawFrame({ opcode: 9, fin: false, rsv2: true, payload: new Uint8Array(126), lengthEncoding: 64 });
  const r = inspectFrame(bytes, 0, { maxPayload: 10 });
  assert.equal(found(r), ['rsv-without-extension@0', 'fragmented-control@0', 'client-frame-unmasked@1', 'control-too-long@1', 'frame-too-big@1', 'non-minimal-length@7']);
  assert.equal(r.violations.map((v) => v.closeCode), [1002, 1002, 1002, 1002, 1009, 1002]);
  // A Close that breaks everything it can: reserved bits, masked toward a client, too long, a bad code, a bad reason.
  const close = encodeRawFrame({ opcode: 8, rsv3: true, mask: KEY, payload: concat(Uint8Array.of(0x03, 0xee), new Uint8Array(130).fill(0x61), Uint8Array.of(0xff)) });
  assert.equal(found(inspectFrame(close, 0, { role: 'client' })), ['rsv-without-extension@0', 'server-frame-masked@1', 'control-too-long@1', 'invalid-close-code@9', 'close-reason-invalid-utf8@140']);
  // A reserved opcode with every RSV bit; a text frame with bad UTF-8 and a non-minimal length.
  assert.equal(found(inspectFrame(encodeRawFrame({ opcode: 7, rsv1: true, rsv2: true, rsv3: true }), 0, { role: 'client' })), ['rsv-without-extension@0', 'reserved-opcode@0']);
  assert.equal(found(inspectFrame(encodeRawFrame({ opcode: 1, payload: Uint8Array.of(0xff), lengthEncoding: 16, mask: KEY }))), ['non-minimal-length@3', 'invalid-utf8@8']);
});

test('an incomplete frame reports what its bytes decide: every prefix, complete false, never a throw', () => {
  const bytes = encodeRawFrame({ opcode: 8, payload: concat(Uint8Array.of(0x03, 0xed), utf8('bye')), mask: KEY, lengthEncoding: 16, rsv2: true });
  const whole = inspectFrame(bytes);
  assert.equal(found(whole), ['rsv-without-extension@0', 'control-too-long@1', 'non-minimal-length@3', 'invalid-close-code@9']);
  for (let n = 0; n < bytes.length; n++) {
    const r = inspectFrame(bytes.subarray(0, n));
    assert.is(r.complete, false, `${n} bytes`);
    assert.is(r.byteLength, n);
    assert.equal(found(r), found(whole).filter((_, i) => whole.violations[i].byte < n), `${n} bytes`);
    assert.is(r.header.opcode, n >= 1 ? 8 : null);
    assert.is(r.header.masked, n >= 2 ? true : null);
    assert.is(r.header.payloadLength, n >= 4 ? 5 : null);
    assert.is(r.header.maskKey === null, n < 8, `${n} bytes: the key`);
    assert.is(r.payload === null ? -1 : r.payload.length, n < 8 ? -1 : n - 8, `${n} bytes: the payload present`);
  }
  assert.equal(inspectFrame(new Uint8Array(0)), { offset: 0, complete: false, byteLength: 0, header: { fin: null, rsv1: null, rsv2: null, rsv3: null, opcode: null, opcodeName: null, masked: null, maskKey: null, lengthEncoding: null, payloadLength: null, headerLength: null }, payload: null, fields: [], violations: [] });
  // Cut inside the extended length: the field is there, cut short, with no value yet.
  const cut = inspectFrame(hex('82 7f 00 00 00'), 0, { role: 'client' });
  assert.equal(fieldsOf(cut).slice(7), [['extendedLength', 2, 5, null]]);
  // A text frame cut inside a character: not a violation yet.
  assert.equal(found(inspectFrame(encodeRawFrame({ opcode: 1, payload: utf8('aé') }).subarray(0, 4), 0, { role: 'client' })), []);
});

test('offsets: a frame inside a larger buffer, every range and byte absolute', () => {
  const frame = encodeRawFrame({ opcode: 1, payload: 'Hello', mask: KEY, rsv3: true });
  const buf = concat(hex('de ad be'), frame, hex('81 00'));
  const r = inspectFrame(buf, 3);
  assert.is(r.offset, 3);
  assert.is(r.byteLength, frame.length);
  assert.equal(found(r), ['rsv-without-extension@3']);
  assert.equal(fieldsOf(r).slice(5), [['mask', 4, 5, true], ['length', 4, 5, 5], ['maskKey', 5, 9, '37fa213d'], ['payload', 9, 14, '48656c6c6f']]);
  assert.is(inspectFrame(buf, buf.length).byteLength, 0);
  // An ArrayBuffer or another view; never modified.
  const copy = buf.slice();
  assert.equal(found(inspectFrame(buf.buffer, 3)), ['rsv-without-extension@3']);
  assert.equal(found(inspectFrame(new DataView(buf.buffer, 3))), ['rsv-without-extension@0']);
  assert.is(toHex(buf), toHex(copy));
});

test('Close fields: the code and the reason, inside the payload', () => {
  const r = inspectFrame(encodeRawFrame({ opcode: 8, payload: concat(Uint8Array.of(0x03, 0xe8), utf8('bye')), mask: KEY }));
  assert.equal(fieldsOf(r).slice(8), [['payload', 6, 11, '03e8627965'], ['closeCode', 6, 8, 1000], ['closeReason', 8, 11, 'bye']]);
  assert.equal(found(r), []);
  const bad = inspectFrame(encodeRawFrame({ opcode: 8, payload: Uint8Array.of(0x0f, 0xa0, 0x61, 0xff) }), 0, { role: 'client' });
  assert.equal(fieldsOf(bad).slice(8), [['closeCode', 2, 4, 4000], ['closeReason', 4, 6, 'a\ufffd']]);
});

test('lengths past 2^53 - 1 are exact bigints; no limit unless maxPayload is given', () => {
  assert.is(inspectFrame(encodeRawFrame({ opcode: 2, declaredLength: 2 ** 53 - 1 }), 0, { role: 'client' }).header.payloadLength, 2 ** 53 - 1);
  const big = inspectFrame(encodeRawFrame({ opcode: 2, declaredLength: 2n ** 62n + 1n }), 0, { role: 'client' });
  assert.is(big.header.payloadLength, 2n ** 62n + 1n);
  assert.equal([big.complete, found(big)], [false, []]);
  assert.equal(found(inspectFrame(encodeRawFrame({ opcode: 2, declaredLength: 2n ** 62n + 1n }), 0, { role: 'client', maxPayload: 2 ** 40 })), ['frame-too-big@2']);
  assert.equal(found(inspectFrame(encodeRawFrame({ opcode: 2, declaredLength: 2n ** 64n - 1n }), 0, { role: 'client', maxPayload: 0 })), ['frame-too-big@1', 'length-msb-set@2']);
});

test('permessage-deflate: RSV1 starts a compressed message (its UTF-8 not judged); anywhere else it is rsv1-not-first-frame', () => {
  const ext = { role: 'client', extensions: ['permessage-deflate'] };
  assert.equal(found(inspectFrame(encodeRawFrame({ opcode: 1, rsv1: true, payload: Uint8Array.of(0xf2, 0x48, 0xcd) }), 0, ext)), []);
  assert.equal(found(inspectFrame(encodeRawFrame({ opcode: 1, rsv1: true, payload: Uint8Array.of(0xff) }), 0, { role: 'client' })), ['rsv-without-extension@0', 'invalid-utf8@2']);
  assert.equal(found(inspectFrame(encodeRawFrame({ opcode: 0, rsv1: true }), 0, ext)), ['rsv1-not-first-frame@0']);
  assert.equal(found(inspectFrame(encodeRawFrame({ opcode: 8, rsv1: true, rsv2: true }), 0, ext)), ['rsv1-not-first-frame@0', 'rsv-without-extension@0']);
  assert.equal(found(inspectFrame(encodeRawFrame({ opcode: 2, rsv1: true, rsv3: true }), 0, ext)), ['rsv-without-extension@0']);
  // Parameters after ';' and case are ignored; other extensions claim no bit.
  assert.equal(found(inspectFrame(encodeRawFrame({ opcode: 2, rsv1: true }), 0, { role: 'client', extensions: ['x-other', 'PerMessage-Deflate; client_max_window_bits'] })), []);
  assert.equal(found(inspectFrame(encodeRawFrame({ opcode: 2, rsv1: true }), 0, { role: 'client', extensions: ['x-other'] })), ['rsv-without-extension@0']);
  const v = inspectFrame(encodeRawFrame({ opcode: 10, rsv1: true }), 0, ext).violations[0];
  assert.equal([v.closeCode, v.rfc], [1002, 'RFC 7692 §6.1']);
});

test('never throws for any bytes (seeded random buffers, every option); results stay consistent', () => {
  const r = prng(16);
  const options = [undefined, { role: 'client' }, { maxPayload: 0 }, { role: 'client', extensions: ['permessage-deflate'], maxPayload: 100 }];
  for (let i = 0; i < 3000; i++) {
    const bytes = r.bytes(r.int(3) === 0 ? r.int(4) : r.int(40));
    // Bias the length byte toward 126/127 and the MSB toward set, now and then.
    if (bytes.length > 1 && r.int(3) === 0) bytes[1] = (bytes[1] & 0x80) | (126 + r.int(2));
    const offset = r.int(bytes.length + 1);
    const o = options[r.int(options.length)];
    const one = inspectFrame(bytes, offset, o);
    assert.ok(one.byteLength <= bytes.length - offset, 'byteLength within the bytes');
    for (let k = 1; k < one.violations.length; k++) assert.ok(one.violations[k - 1].byte <= one.violations[k].byte, 'in byte order');
    for (const v of one.violations) assert.ok(v.byte >= offset && v.byte < bytes.length && FRAME_RULES[v.rule].closeCode === v.closeCode, `${v.rule}@${v.byte}`);
    const all = inspectFrames(bytes, o);
    let at = 0;
    for (const f of all) { assert.is(f.offset, at); at += f.byteLength; }
    assert.is(at, bytes.length, 'the frames cover the bytes');
  }
});

const errors = suite('inspectFrame: wrong arguments');
const typeError = (re) => (e) => e instanceof TypeError && re.test(e.message);
const rangeError = (re) => (e) => e instanceof RangeError && re.test(e.message);

errors('TypeError for what is not bytes and for wrong option types or keys; RangeError for a bad offset or limit', () => {
  assert.throws(() => inspectFrame('81 00'), typeError(/bytes to be a Uint8Array/));
  assert.throws(() => inspectFrame([0x81, 0]), typeError(/bytes to be a Uint8Array/));
  assert.throws(() => inspectFrame(new Uint8Array(2), '0'), typeError(/offset to be a number/));
  assert.throws(() => inspectFrame(new Uint8Array(2), 0, { role: 'peer' }), typeError(/role must be 'server' or 'client'/));
  assert.throws(() => inspectFrame(new Uint8Array(2), 0, { extensions: 'permessage-deflate' }), typeError(/extensions/));
  assert.throws(() => inspectFrame(new Uint8Array(2), 0, { extensions: [1] }), typeError(/extensions/));
  assert.throws(() => inspectFrame(new Uint8Array(2), 0, { maxPayload: '1' }), typeError(/maxPayload/));
  assert.throws(() => inspectFrame(new Uint8Array(2), 0, { maxPayLoad: 1 }), typeError(/Unknown option "maxPayLoad" \(did you mean "maxPayload"\?\)/));
  assert.throws(() => inspectFrames(new Uint8Array(2), { rol: 'client' }), typeError(/Unknown option "rol"/));
  assert.throws(() => inspectFrames(null), typeError(/bytes/));
  for (const offset of [-1, 3, 1.5, NaN]) assert.throws(() => inspectFrame(new Uint8Array(2), offset), rangeError(/offset must be an integer from 0 to 2/), String(offset));
  assert.throws(() => inspectFrame(new Uint8Array(2), 0, { maxPayload: -1 }), rangeError(/maxPayload/));
});

const stream = suite('inspectFrames');

stream('RFC 6455 §5.7: a fragmented "Hello" is two frames and no violation', () => {
  const all = inspectFrames(hex('01 03 48 65 6c 80 02 6c 6f'), { role: 'client' });
  assert.equal(all.map((f) => [f.offset, f.byteLength, f.header.opcodeName, f.complete, found(f)]), [[0, 5, 'text', true, []], [5, 4, 'continuation', true, []]]);
});

stream('the order rules: a continuation with nothing to continue, a new message while one is open; a control frame between fragments is fine', () => {
  const c = { role: 'client' };
  const s = concat(encodeRawFrame({ opcode: 0, payload: 'x' }), encodeRawFrame({ opcode: 2, fin: false, payload: 'a' }), encodeRawFrame({ opcode: 9 }), encodeRawFrame({ opcode: 1, payload: 'b' }), encodeRawFrame({ opcode: 0, payload: 'c' }));
  assert.equal(inspectFrames(s, c).map(found), [['unexpected-continuation@0'], [], [], ['expected-continuation@8'], ['unexpected-continuation@11']]);
  // inspectFrame judges a frame alone: no order rule.
  assert.equal(found(inspectFrame(s, 0, c)), []);
});

stream('UTF-8 across the frames of a text message: a character split between frames is fine, a bad byte is named where it is', () => {
  const c = { role: 'client' };
  const split = concat(encodeRawFrame({ opcode: 1, fin: false, payload: Uint8Array.of(0x61, 0xe2, 0x82) }), encodeRawFrame({ opcode: 9 }), encodeRawFrame({ opcode: 0, payload: Uint8Array.of(0xac) }));
  assert.equal(inspectFrames(split, c).map(found), [[], [], []]);
  const bad = concat(encodeRawFrame({ opcode: 1, fin: false, payload: Uint8Array.of(0x61, 0xe2) }), encodeRawFrame({ opcode: 0, payload: Uint8Array.of(0x41, 0xff) }));
  assert.equal(inspectFrames(bad, c).map(found), [[], ['invalid-utf8@6']]);
  // Ends inside a character: at the last byte of the final frame; once failed, the rest of the message is not judged again.
  const ends = concat(encodeRawFrame({ opcode: 1, fin: false, payload: 'a' }), encodeRawFrame({ opcode: 0, payload: Uint8Array.of(0xf0, 0x9f) }));
  assert.equal(inspectFrames(ends, c).map(found), [[], ['invalid-utf8@6']]);
  const twice = concat(encodeRawFrame({ opcode: 1, fin: false, payload: Uint8Array.of(0xff) }), encodeRawFrame({ opcode: 0, payload: Uint8Array.of(0xff) }));
  assert.equal(inspectFrames(twice, c).map(found), [['invalid-utf8@2'], []]);
  // Binary and compressed messages are not text.
  const compressed = concat(encodeRawFrame({ opcode: 1, rsv1: true, fin: false, payload: Uint8Array.of(0xff) }), encodeRawFrame({ opcode: 0, payload: Uint8Array.of(0xff) }));
  assert.equal(inspectFrames(compressed, { ...c, extensions: ['permessage-deflate'] }).map(found), [[], []]);
  assert.equal(inspectFrames(concat(encodeRawFrame({ opcode: 2, fin: false, payload: Uint8Array.of(0xff) }), encodeRawFrame({ opcode: 0, payload: Uint8Array.of(0xff) })), c).map(found), [[], []]);
});

stream('a frame cut short by the end of the bytes is the last result; frames after a Close are still inspected', () => {
  const s = concat(encodeRawFrame({ opcode: 8, payload: Uint8Array.of(0x03, 0xe8) }), encodeRawFrame({ opcode: 1, payload: 'after' }), hex('82 7e 01'));
  const all = inspectFrames(s, { role: 'client' });
  assert.equal(all.map((f) => [f.offset, f.complete, f.header.opcodeName, f.byteLength]), [[0, true, 'close', 4], [4, true, 'text', 7], [11, false, 'binary', 3]]);
  assert.equal(inspectFrames(new Uint8Array(0)), []);
});

test.run();
errors.run();
stream.run();
