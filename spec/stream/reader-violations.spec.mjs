// Every protocol violation MessageReader must catch, with its close code
// (RFC 6455 §7.4.1: 1002 protocol error, 1009 message too big), fed whole and
// one byte a push. Fail-fast: the error comes from the push that delivers the
// first byte after which no continuation of the stream could be valid, so a
// bad first byte throws on the first push, a bad length before the mask key.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { MessageReader } from '../../dist/index.js';
import { assertFails, assertMessages, be, concat, everyByte, feed, frame, header, hex } from '../_frames.mjs';

const OK = frame(0x1, 'ok');
const ok = [{ type: 'text', data: 'ok' }];

/**
 * A violation: `bytes` (after `before`, valid frames that come first) must
 * fail with `code` and `rule` (lib/rules.ts), and `at` is the index in `bytes` of the earliest byte
 * that makes the stream invalid, worked out by hand from RFC 6455 §5.2.
 */
const CASES = [];
const add = (name, code, rule, at, bytes, { options, before = [], expected = [] } = {}) => CASES.push({ name, code, rule, at, bytes, options, before: concat(...before), expected });

// RFC 6455 §5.2: RSV1-3 MUST be 0 when no extension is negotiated. Byte 0 holds them.
for (let rsv = 1; rsv <= 7; rsv++) {
  add(`RSV bits ${rsv.toString(2).padStart(3, '0')} on a text frame`, 1002, 'rsv-without-extension', 0, header({ rsv, opcode: 0x1, len: 2 }));
  add(`RSV bits ${rsv.toString(2).padStart(3, '0')} on a ping`, 1002, 'rsv-without-extension', 0, header({ rsv, opcode: 0x9, len: 0 }));
}
add('RSV1 on a continuation', 1002, 'rsv-without-extension', 0, header({ rsv: 4, opcode: 0x0, len: 1 }), { before: [frame(0x1, 'a', { fin: false })] });
// RFC 7692 §6.1: an extension that claims RSV1 (permessage-deflate) allows it on the first
// frame of a data message only: on a continuation or a control frame it is a rule of its own.
const claims = { extension: { rsv: 0x40, decode: (piece) => piece } };
add('RSV1 on a continuation, the extension claiming it', 1002, 'rsv1-not-first-frame', 0, header({ rsv: 4, opcode: 0x0, len: 1 }), { options: claims, before: [frame(0x1, 'a', { fin: false })] });
for (const opcode of [0x8, 0x9, 0xa]) add(`RSV1 on control opcode ${opcode}, the extension claiming it`, 1002, 'rsv1-not-first-frame', 0, header({ rsv: 4, opcode, len: 0 }), { options: claims });
add('RSV2 beside a claimed RSV1 on a text frame', 1002, 'rsv-without-extension', 0, header({ rsv: 6, opcode: 0x1, len: 0 }), { options: claims });

// RFC 6455 §5.2: opcodes 0x3-0x7 and 0xB-0xF are reserved; byte 0 holds the opcode.
for (const opcode of [3, 4, 5, 6, 7, 0xb, 0xc, 0xd, 0xe, 0xf]) {
  add(`reserved opcode ${opcode.toString(16)}`, 1002, 'reserved-opcode', 0, header({ opcode, len: 0 }));
  add(`reserved opcode ${opcode.toString(16)} without FIN, after a message`, 1002, 'reserved-opcode', 0, header({ fin: false, opcode, len: 0 }), { before: [OK], expected: ok });
  add(`reserved opcode ${opcode.toString(16)} between fragments`, 1002, 'reserved-opcode', 0, header({ opcode, len: 0 }), { before: [frame(0x1, 'a', { fin: false })] });
}

// RFC 6455 §5.1: a server MUST fail an unmasked frame, a client a masked one. Byte 1 holds MASK.
for (const opcode of [0x1, 0x2, 0x8, 0x9, 0xa]) {
  add(`unmasked opcode ${opcode} in the server role`, 1002, 'client-frame-unmasked', 1, header({ opcode, masked: false, len: 0 }));
  add(`masked opcode ${opcode} in the client role`, 1002, 'server-frame-masked', 1, header({ opcode, len: 0 }), { options: { role: 'client' } });
}
add('an unmasked continuation in the server role', 1002, 'client-frame-unmasked', 1, concat(header({ opcode: 0x0, masked: false, len: 1 }), [0x62]), { before: [frame(0x1, 'a', { fin: false })] });
add('a masked frame in the client role after an unmasked one', 1002, 'server-frame-masked', 1, frame(0x1, 'x'), { options: { role: 'client' }, before: [frame(0x1, 'ok', { mask: false })], expected: ok });

// RFC 6455 §5.5: control frames MUST NOT be fragmented (byte 0) and carry at most 125 bytes (byte 1).
for (const opcode of [0x8, 0x9, 0xa]) {
  add(`fragmented control opcode ${opcode}`, 1002, 'fragmented-control', 0, header({ fin: false, opcode, len: 0 }));
  add(`control opcode ${opcode} of 126 bytes`, 1002, 'control-too-long', 1, header({ opcode, len: 126, ext: be(126, 2) }));
  add(`control opcode ${opcode} with a 64-bit length`, 1002, 'control-too-long', 1, header({ opcode, len: 127, ext: be(65536, 8) }));
}

// RFC 6455 §5.4: a continuation needs an open message; a new message needs the last one finished.
add('a continuation with nothing to continue', 1002, 'unexpected-continuation', 0, frame(0x0, 'x'));
add('a continuation after a finished message', 1002, 'unexpected-continuation', 0, frame(0x0, 'x', { fin: false }), { before: [OK], expected: ok });
add('text while a text message is open', 1002, 'expected-continuation', 0, frame(0x1, 'b'), { before: [frame(0x1, 'a', { fin: false })] });
add('binary while a text message is open', 1002, 'expected-continuation', 0, frame(0x2, 'b'), { before: [frame(0x1, 'a', { fin: false }), frame(0x9, '')], expected: [{ type: 'ping', data: new Uint8Array(0) }] });
add('text while a binary message is open', 1002, 'expected-continuation', 0, frame(0x1, 'b', { fin: false }), { before: [frame(0x2, 'a', { fin: false }), frame(0x0, 'a', { fin: false })] });

// RFC 6455 §5.2: "the minimal number of bytes MUST be used to encode the length".
// A 16-bit length is known to be under 126 only from its second byte (00 7e is fine).
add('125 in a 16-bit length', 1002, 'non-minimal-length', 3, header({ opcode: 0x2, len: 126, ext: be(125, 2) }));
add('0 in a 16-bit length', 1002, 'non-minimal-length', 3, header({ opcode: 0x2, len: 126, ext: be(0, 2) }));
// A 64-bit length whose first six bytes are 0 is at most 65535: invalid at its sixth byte (index 7).
add('65535 in a 64-bit length', 1002, 'non-minimal-length', 7, header({ opcode: 0x2, len: 127, ext: be(65535, 8) }));
add('125 in a 64-bit length', 1002, 'non-minimal-length', 7, header({ opcode: 0x1, len: 127, ext: be(125, 8) }));
// RFC 6455 §5.2: "the most significant bit MUST be 0": known from the first length byte (index 2).
add('a 64-bit length with the MSB set', 1002, 'length-msb-set', 2, header({ opcode: 0x2, len: 127, ext: [0x80, 0, 0, 0, 0, 0, 0, 1] }), { options: { maxMessageSize: Number.MAX_SAFE_INTEGER } });
add('a 64-bit length of all ones', 1002, 'length-msb-set', 2, header({ opcode: 0x2, len: 127, ext: [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff] }));

// RFC 6455 §10.4: a message over maxMessageSize fails with 1009 from its length, before its payload.
// The earliest byte is the first one after which every length still possible is over the limit.
add('11 bytes over a limit of 10 (7-bit length)', 1009, 'message-too-big', 1, header({ opcode: 0x1, len: 11 }), { options: { maxMessageSize: 10 } });
add('1 byte over a limit of 0', 1009, 'message-too-big', 1, header({ opcode: 0x2, len: 1 }), { options: { maxMessageSize: 0 } });
add('1001 bytes over a limit of 1000 (16-bit length: 03 xx may be 768-1023)', 1009, 'message-too-big', 3, header({ opcode: 0x2, len: 126, ext: be(1001, 2) }), { options: { maxMessageSize: 1000 } });
add('1024 bytes over a limit of 1000 (16-bit length: 04 xx is at least 1024)', 1009, 'message-too-big', 2, header({ opcode: 0x2, len: 126, ext: be(1024, 2) }), { options: { maxMessageSize: 1000 } });
add('a 16-bit length under a limit of 100 (at least 126)', 1009, 'message-too-big', 1, header({ opcode: 0x2, len: 126, ext: be(200, 2) }), { options: { maxMessageSize: 100 } });
add('a 64-bit length under a limit of 1000 (at least 65536)', 1009, 'message-too-big', 1, header({ opcode: 0x2, len: 127, ext: be(65536, 8) }), { options: { maxMessageSize: 1000 } });
add('64 MiB + 1 under the default limit', 1009, 'message-too-big', 9, header({ opcode: 0x2, len: 127, ext: be(64 * 1024 * 1024 + 1, 8) }));
add('2^40 bytes under the default limit (00 00 01 ... is at least 2^40)', 1009, 'message-too-big', 4, header({ opcode: 0x2, len: 127, ext: be(2 ** 40, 8) }));
add('2^53 bytes under the default limit', 1009, 'message-too-big', 3, header({ opcode: 0x2, len: 127, ext: be(2 ** 53, 8) }));
// Counted across fragments (RFC 6455 §5.4): 60 bytes, then a fragment of 41 under a limit of 100.
add('a fragment that takes the message over the limit', 1009, 'message-too-big', 1, header({ opcode: 0x0, len: 41 }), { options: { maxMessageSize: 100 }, before: [frame(0x1, 'x'.repeat(60), { fin: false })] });
add('a third fragment over the limit, with a ping between', 1009, 'message-too-big', 1, header({ opcode: 0x0, len: 2 }), {
  options: { maxMessageSize: 100 },
  before: [frame(0x2, new Uint8Array(50), { fin: false }), frame(0x9, new Uint8Array(125)), frame(0x0, new Uint8Array(49), { fin: false })],
  expected: [{ type: 'ping', data: new Uint8Array(125) }],
});

// maxFragments: a budget against floods of empty fragments; the excess continuation fails at its byte 0.
const empties = (n) => Array.from({ length: n }, () => frame(0x0, '', { fin: false }));
add('a 5th fragment under maxFragments 4', 1009, 'too-many-fragments', 0, frame(0x0, 'e'), { options: { maxFragments: 4 }, before: [frame(0x1, 'a', { fin: false }), ...empties(3)] });
add('a 2nd fragment under maxFragments 1', 1009, 'too-many-fragments', 0, frame(0x0, ''), { options: { maxFragments: 1 }, before: [frame(0x2, 'a', { fin: false })] });

const v = suite('violations');

v('the table is complete', () => {
  assert.ok(CASES.length >= 80, `${CASES.length} cases`);
  for (const c of CASES) assert.ok(c.at < c.bytes.length, `${c.name}: at ${c.at} is inside the bad frame`);
});

/** Runs `check` on every case and reports every case that fails, not only the first. */
function eachCase(check) {
  const failures = [];
  for (const c of CASES) {
    try { check(c); } catch (e) { failures.push(`${c.name}: ${e.message.split('\n')[0]}`); }
  }
  assert.ok(failures.length === 0, `${failures.length} of ${CASES.length} cases fail:\n      ${failures.join('\n      ')}`);
}

v('fed whole: the close code, and the messages before the bad frame', () => {
  eachCase((c) => {
    const r = feed(new MessageReader(c.options), concat(c.before, c.bytes));
    assertFails(r, c.code, c.rule, 0, 'whole');
    assertMessages(r.error.messages, c.expected, 'err.messages');
  });
});

v('fed one byte a push: the error comes at the earliest byte', () => {
  eachCase((c) => {
    const bytes = concat(c.before, c.bytes);
    const r = feed(new MessageReader(c.options), bytes, everyByte(bytes.length));
    assertFails(r, c.code, c.rule, c.before.length + c.at, 'bytewise');
    assertMessages(r.messages, c.expected, 'bytewise');
  });
});

v('fed in two chunks cut anywhere: the same code, from the chunk holding the earliest byte', () => {
  eachCase((c) => {
    const bytes = concat(c.before, c.bytes);
    for (let cut = 1; cut < bytes.length; cut++) {
      const r = feed(new MessageReader(c.options), bytes, [cut]);
      assertFails(r, c.code, c.rule, cut <= c.before.length + c.at ? cut : 0, `cut at ${cut}`);
      assertMessages(r.messages, c.expected, `cut at ${cut}`);
    }
  });
});

v('the bytes before the earliest byte are accepted', () => {
  eachCase((c) => {
    const bytes = concat(c.before, c.bytes).subarray(0, c.before.length + c.at);
    const r = feed(new MessageReader(c.options), bytes);
    assert.is(r.error, null, r.error?.message);
  });
});

v.run();

const limits = suite('limits at their boundaries');

limits('maxMessageSize: exactly the limit passes, in one frame and across fragments', () => {
  const r = feed(new MessageReader({ maxMessageSize: 10 }), concat(frame(0x1, 'x'.repeat(10)), frame(0x2, new Uint8Array(6), { fin: false }), frame(0x9, new Uint8Array(125)), frame(0x0, new Uint8Array(4))));
  assert.is(r.error, null);
  assert.equal(r.messages.map((m) => [m.type, m.data.length]), [['text', 10], ['ping', 125], ['binary', 10]]);
  const zero = feed(new MessageReader({ maxMessageSize: 0 }), concat(frame(0x1, ''), frame(0x2, '', { fin: false }), frame(0x0, '')));
  assert.equal(zero.messages.map((m) => m.type), ['text', 'binary']);
  // 65536 in 64 bits is valid, and within a limit of 65536.
  const big = new Uint8Array(65536);
  assert.equal(feed(new MessageReader({ maxMessageSize: 65536 }), frame(0x2, big)).messages.map((m) => m.data.length), [65536]);
});

limits('maxMessageSize: feeding only the header of an oversized frame fails with 1009', () => {
  for (const [options, bytes] of [
    [{ maxMessageSize: 10 }, header({ opcode: 0x1, len: 11 })],
    [{ maxMessageSize: 1000 }, header({ opcode: 0x2, len: 126, ext: be(1001, 2) })],
    [{}, header({ opcode: 0x2, len: 127, ext: be(2 ** 40, 8) })],
    [{ maxMessageSize: 100 }, concat(frame(0x1, 'x'.repeat(60), { fin: false }), header({ opcode: 0x0, len: 41 }))],
  ]) {
    assertFails(feed(new MessageReader(options), bytes), 1009, 'message-too-big', 0, JSON.stringify(options));
  }
});

limits('maxFragments: exactly maxFragments fragments pass, pings do not count, each message has its own budget', () => {
  const reader = new MessageReader({ maxFragments: 4 });
  const message = (last) => [frame(0x1, 'a', { fin: false }), frame(0x9, '1'), frame(0x0, 'b', { fin: false }), frame(0x9, '2'), frame(0x0, '', { fin: false }), frame(0x0, last)];
  const r = feed(reader, concat(...message('c'), ...message('d'), frame(0x2, 'e'), frame(0x2, 'f')));
  assert.is(r.error, null, r.error?.message);
  assert.equal(r.messages.filter((m) => m.type !== 'ping').map((m) => m.type === 'text' ? m.data : m.type), ['abc', 'abd', 'binary', 'binary']);
  const one = feed(new MessageReader({ maxFragments: 1 }), concat(frame(0x1, 'a'), frame(0x1, 'b'), frame(0x2, 'c')));
  assert.is(one.messages.length, 3, 'unfragmented messages use one fragment each');
});

limits.run();

const options = suite('options');

options('accepted options', () => {
  for (const o of [undefined, {}, { role: 'server' }, { role: 'client' }, { maxMessageSize: 0 }, { maxFragments: 1 }, { maxFragments: 0 }, { maxMessageSize: Infinity, maxFragments: Infinity }, { maxMessageSize: Number.MAX_SAFE_INTEGER, maxFragments: 2 ** 40 }, { unmaskInPlace: false }]) {
    assert.ok(new MessageReader(o) instanceof MessageReader, JSON.stringify(o));
  }
});

options('a wrong type or an unknown role is a TypeError', () => {
  for (const o of [null, { role: 'foo' }, { role: 'Server' }, { role: 1 }, { maxMessageSize: '10' }, { maxMessageSize: 10n }, { maxMessageSize: null }, { maxFragments: '4' }, { maxFragments: true }, 5, 'server']) {
    assert.throws(() => new MessageReader(o), (e) => e instanceof TypeError, JSON.stringify(o, (k, x) => typeof x === 'bigint' ? `${x}n` : x));
  }
});

options('issue 13: a limit is any non-negative integer or Infinity; NaN, negatives and fractions are a RangeError', () => {
  for (const o of [{ maxMessageSize: -1 }, { maxMessageSize: 1.5 }, { maxMessageSize: NaN }, { maxMessageSize: -Infinity }, { maxMessageSize: 2 ** 53 }, { maxFragments: -1 }, { maxFragments: 2.5 }, { maxFragments: NaN }, { maxFragments: -Infinity }]) {
    assert.throws(() => new MessageReader(o), (e) => e instanceof RangeError, String(Object.entries(o)));
  }
});

options('issue 13: an unknown option is a TypeError naming it and the nearest known name', () => {
  const cases = [['maxPayload', null], ['maxMessage', 'maxMessageSize'], ['maxFragment', 'maxFragments'], ['Role', 'role'], ['unmaskInplace', 'unmaskInPlace'], ['requireMask', null]];
  for (const [key, near] of cases) {
    let err;
    try { new MessageReader({ [key]: 10 }); } catch (e) { err = e; }
    assert.ok(err instanceof TypeError, `${key}: ${err}`);
    assert.ok(err.message.includes(JSON.stringify(key)), err.message);
    assert.is(err.message.includes(`did you mean ${JSON.stringify(near)}`), near !== null, err.message);
    if (near === null) assert.not.ok(err.message.includes('did you mean'), err.message);
  }
});

options('issue 13: each option is read once', () => {
  const reads = {};
  const o = {};
  for (const [k, v] of [['role', 'client'], ['maxMessageSize', 4], ['maxFragments', 2], ['unmaskInPlace', false]]) {
    Object.defineProperty(o, k, { enumerable: true, get() { reads[k] = (reads[k] ?? 0) + 1; return reads[k] === 1 ? v : undefined; } });
  }
  const r = new MessageReader(o);
  assert.equal(reads, { role: 1, maxMessageSize: 1, maxFragments: 1, unmaskInPlace: 1 });
  // The values read are the ones in force: a client, 4 bytes at most.
  assertFails(feed(r, frame(0x2, new Uint8Array(5), { mask: false })), 1009, 'message-too-big', 0, 'maxMessageSize 4');
});

options('issue 13: maxFragments 0 refuses every data frame at its first byte; control frames still pass', () => {
  for (const bytes of [frame(0x1, 'a'), frame(0x2, ''), frame(0x1, 'a', { fin: false })]) {
    const r = feed(new MessageReader({ maxFragments: 0 }), concat(frame(0x9, 'p'), bytes), [frame(0x9, 'p').length + 1]);
    // Cut after its first byte: the push holding that byte throws.
    assertFails(r, 1009, 'too-many-fragments', 0, hex(bytes));
    assert.equal(r.messages.map((m) => m.type), ['ping']);
  }
  assert.equal(new MessageReader({ maxFragments: 0 }).push(concat(frame(0xa, 'x'), frame(0x8, Uint8Array.of(3, 232)))).map((m) => m.type), ['pong', 'close']);
  // A message opened before cannot be continued either: the continuation is fragment 2 of 1 at most.
  assertFails(feed(new MessageReader({ maxFragments: 1 }), concat(frame(0x1, 'a', { fin: false }), frame(0x0, 'b'))), 1009, 'too-many-fragments', 0);
});

options('issue 13: Infinity lifts a limit', () => {
  const reader = new MessageReader({ maxMessageSize: Infinity, maxFragments: Infinity });
  // A 2^40-byte declaration waits for its bytes instead of failing (nothing is allocated from it).
  assert.equal(reader.push(header({ opcode: 0x2, len: 127, ext: be(2 ** 40, 8) })), []);
  assert.equal(reader.push(new Uint8Array(1000)), []);
  assert.is(reader.closed, false);
  // Still a protocol error, whatever the limit.
  assertFails(feed(new MessageReader({ maxMessageSize: Infinity }), header({ opcode: 0x2, len: 127, ext: [0x80, 0, 0, 0, 0, 0, 0, 0] })), 1002, 'length-msb-set', 0);
  assertFails(feed(new MessageReader({ maxMessageSize: Infinity }), header({ opcode: 0x2, len: 127, ext: be(65535, 8) })), 1002, 'non-minimal-length', 0);
});

options('issue 13: a 1009 message states what was measured and the limit as configured, never a remainder', () => {
  const cases = [
    // 60 bytes in, then a fragment of 41 under 100: the message is at least 101 bytes; the limit is 100 (not 40).
    [{ maxMessageSize: 100 }, concat(frame(0x1, 'x'.repeat(60), { fin: false }), header({ opcode: 0x0, len: 41 })), ['101 bytes or more', 'over maxMessageSize 100']],
    // The same with a 16-bit length, judged byte by byte: 60 + at least 256.
    [{ maxMessageSize: 300 }, concat(frame(0x2, new Uint8Array(60), { fin: false }), header({ opcode: 0x0, len: 126, ext: be(256, 2) })), ['316 bytes or more', 'over maxMessageSize 300']],
    [{ maxMessageSize: 10 }, header({ opcode: 0x1, len: 11 }), ['11 bytes or more', 'over maxMessageSize 10']],
    [{ maxFragments: 3 }, concat(frame(0x1, 'a', { fin: false }), frame(0x0, 'b', { fin: false }), frame(0x0, 'c', { fin: false }), frame(0x0, 'd')), ['4 fragments or more', 'over maxFragments 3']],
  ];
  const errors = [];
  for (const [options, bytes, parts] of cases) {
    for (const cuts of [[], everyByte(bytes.length)]) {
      const r = feed(new MessageReader(options), bytes, cuts);
      assert.ok(r.error, JSON.stringify(options));
      assert.is(r.error.closeCode, 1009);
      errors.push([r.error.message, parts]);
    }
  }
  // The figures first: the measured size and the limit given, not the room that was left.
  for (const [message, parts] of errors) {
    const figures = message.match(/\d+/g).map(Number);
    for (const part of parts) assert.ok(figures.includes(Number(part.match(/\d+/)[0])), `${message} should give ${part.match(/\d+/)[0]}`);
    assert.not.ok(figures.includes(240), `${message}: 240 is what was left of 300, not a limit`);
  }
  // Then the words: the option's own name.
  for (const [message, parts] of errors) for (const part of parts) assert.ok(message.includes(part), `${message} should say ${part}`);
});

options.run();
