// MessageReader (RFC 6455 §5, §6.2): the same messages whatever the chunking,
// fragmentation with control frames in between (§5.4), Close frames (§5.5.1,
// §7.4) and what push does after a Close or an error.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { MessageReader, ProtocolError } from '../../dist/index.js';
import { KEY, assertFails, assertMessages, concat, everyByte, feed, frame, fromHex, header, hex, prng } from '../_frames.mjs';

const text = (data) => ({ type: 'text', data });
const bin = (type, data) => ({ type, data: typeof data === 'string' ? new TextEncoder().encode(data) : data });

/**
 * Feeds `bytes` under every single cut, (when short) every pair of cuts, and
 * one byte a push. `edges` limits single cuts to the first and last 1000
 * bytes, for the second pass over the 64 KiB example: each cut costs a 64 KiB
 * compare, and the server-role pass already takes every one.
 */
function everyCut(make, bytes, expected, what, pairs = bytes.length <= 300, edges = false) {
  assertMessages(feed(make(), bytes).messages, expected, `${what} whole`);
  for (let a = 1; a < bytes.length; a++) {
    if (edges && a === 1000) a = bytes.length - 1000;
    const r = feed(make(), bytes, [a]);
    assert.is(r.error, null, `${what} cut at ${a}`);
    assertMessages(r.messages, expected, `${what} cut at ${a}`);
    if (!pairs) continue;
    for (let b = a + 1; b < bytes.length; b++) assertMessages(feed(make(), bytes, [a, b]).messages, expected, `${what} cut at ${a},${b}`);
  }
  assertMessages(feed(make(), bytes, everyByte(bytes.length)).messages, expected, `${what} one byte a push`);
}

const server = () => new MessageReader();
const client = () => new MessageReader({ role: 'client' });

const rng = prng(0x5ec7);
const B256 = rng.bytes(256);
const B64K = rng.bytes(65536);

// RFC 6455 §5.7, as a client sends them (masked) and as the RFC prints them (the unmasked ones are a server's frames).
const EXAMPLES = [
  { name: 'single-frame masked text "Hello"', server: fromHex('81 85 37 fa 21 3d 7f 9f 4d 51 58'), expected: [text('Hello')] },
  {
    name: 'fragmented text "Hel" + "lo"',
    server: concat(frame(0x1, 'Hel', { fin: false }), frame(0x0, 'lo')),
    client: fromHex('01 03 48 65 6c 80 02 6c 6f'),
    expected: [text('Hello')],
  },
  { name: 'ping "Hello"', server: frame(0x9, 'Hello'), client: fromHex('89 05 48 65 6c 6c 6f'), expected: [bin('ping', 'Hello')] },
  { name: 'masked pong "Hello"', server: fromHex('8a 85 37 fa 21 3d 7f 9f 4d 51 58'), expected: [bin('pong', 'Hello')] },
  { name: '256-byte binary', server: frame(0x2, B256), client: concat(fromHex('82 7e 01 00'), B256), expected: [bin('binary', B256)] },
  { name: '64 KiB binary', server: frame(0x2, B64K), client: concat(fromHex('82 7f 00 00 00 00 00 01 00 00'), B64K), expected: [bin('binary', B64K)] },
];

const rfc = suite('rfc 6455 §5.7 examples');

rfc('the masked frames carry the RFC headers', () => {
  assert.is(hex(frame(0x1, 'Hello')), '818537fa213d7f9f4d5158');
  assert.is(hex(frame(0x2, B256).subarray(0, 8)), `82fe0100${hex(KEY)}`);
  assert.is(hex(frame(0x2, B64K).subarray(0, 14)), `82ff0000000000010000${hex(KEY)}`);
});

for (const ex of EXAMPLES) {
  rfc(`${ex.name}: server role, every split point`, () => everyCut(server, ex.server, ex.expected, ex.name));
  if (ex.client) rfc(`${ex.name}: client role (the RFC's unmasked bytes), every split point`, () => everyCut(client, ex.client, ex.expected, ex.name, undefined, ex.client.length > 60000));
}

rfc('all examples in one chunk, and under random chunkings', () => {
  const all = concat(...EXAMPLES.map((e) => e.server));
  const expected = EXAMPLES.flatMap((e) => e.expected);
  assertMessages(feed(server(), all).messages, expected, 'one chunk');
  const r = prng(7);
  for (let i = 0; i < 200; i++) {
    const cuts = [];
    for (let at = r.int(1, 3000); at < all.length; at += r.int(1, i < 100 ? 16 : 20000)) cuts.push(at);
    assertMessages(feed(server(), all, cuts).messages, expected, `chunking ${i}`);
  }
});

rfc('many frames in one chunk: 1000 messages in order', () => {
  const frames = [];
  const expected = [];
  for (let i = 0; i < 1000; i++) {
    const kind = i % 4;
    if (kind === 0) { frames.push(frame(0x1, `m${i}`)); expected.push(text(`m${i}`)); }
    if (kind === 1) { frames.push(frame(0x2, Uint8Array.of(i & 255, i >> 8))); expected.push(bin('binary', Uint8Array.of(i & 255, i >> 8))); }
    if (kind === 2) { frames.push(frame(0x9, `p${i}`)); expected.push(bin('ping', `p${i}`)); }
    if (kind === 3) { frames.push(frame(0x1, `f${i}`, { fin: false }), frame(0x0, '!')); expected.push(text(`f${i}!`)); }
  }
  assertMessages(feed(server(), concat(...frames)).messages, expected);
});

rfc.run();

const lengths = suite('length boundaries (RFC 6455 §5.2)');

lengths('payloads of 0, 1, 125, 126, 127, 65535, 65536, 65537 bytes, text and binary', () => {
  for (const n of [0, 1, 125, 126, 127, 65535, 65536, 65537]) {
    const data = prng(n).bytes(n);
    const txt = 'x'.repeat(n);
    for (const [bytes, expected] of [[frame(0x2, data), bin('binary', data)], [frame(0x1, txt), text(txt)]]) {
      const head = bytes.length - n;
      // Every cut through the header and the first payload bytes, the last bytes, and 1-byte chunks for the short ones.
      for (let a = 1; a < bytes.length; a++) {
        if (a > head + 8 && a < bytes.length - 8) continue;
        assertMessages(feed(server(), bytes, [a]).messages, [expected], `${n} bytes cut at ${a}`);
      }
      if (n <= 127) assertMessages(feed(server(), bytes, everyByte(bytes.length)).messages, [expected], `${n} bytes bytewise`);
    }
  }
});

lengths('a header at an odd byte offset of a larger buffer', () => {
  for (const n of [5, 300, 70000]) {
    const data = prng(n).bytes(n);
    for (const skip of [1, 3, 5, 7]) {
      const big = concat(new Uint8Array(skip), frame(0x2, data), new Uint8Array(3));
      const chunk = big.subarray(skip, big.length - 3);
      assertMessages(server().push(chunk), [bin('binary', data)], `${n} bytes at offset ${skip}`);
    }
  }
});

lengths('push neither modifies its chunk nor returns views of it', () => {
  const data = prng(1).bytes(300);
  for (const cuts of [[], [100], [2, 9, 200]]) {
    const bytes = concat(frame(0x2, data), frame(0x9, data.subarray(0, 100)), frame(0x1, 'abc', { fin: false }), frame(0x0, 'def'));
    const copy = bytes.slice();
    const r = feed(server(), bytes, cuts);
    assert.is(hex(bytes), hex(copy), 'the chunk is unchanged');
    bytes.fill(0);
    assertMessages(r.messages, [bin('binary', data), bin('ping', data.subarray(0, 100)), text('abcdef')], `cuts ${cuts}`);
  }
});

// Short text messages in one whole frame take their own path (lib/stream/reader.ts,
// _run): every length up to past its bound, ASCII or not, in both roles, many
// per chunk, and each condition that must send a frame back to the general path.
lengths('short whole text frames: every length 0-70, ASCII and not, both roles, many per chunk', () => {
  for (let n = 0; n <= 70; n++) {
    // Every ASCII code (NUL and DEL included) turns up at every position as n varies.
    const ascii = Array.from({ length: n }, (_, i) => String.fromCharCode((i * 37 + n * 11) & 0x7f)).join('');
    for (const s of [ascii, 'é'.repeat(n >> 1) + 'z'.repeat(n & 1), '€'.repeat(Math.floor(n / 3)) + 'y'.repeat(n % 3), ascii.slice(1) + 'ÿ']) {
      const many = concat(frame(0x1, s), frame(0x2, s), frame(0x1, s + '!'));
      const expected = [text(s), bin('binary', s), text(s + '!')];
      assertMessages(server().push(many), expected, `server, ${JSON.stringify(s.slice(0, 8))} (${n})`);
      const unmasked = concat(frame(0x1, s, { mask: false }), frame(0x2, s, { mask: false }), frame(0x1, s + '!', { mask: false }));
      assertMessages(client().push(unmasked), expected, `client, ${JSON.stringify(s.slice(0, 8))} (${n})`);
      // The same frames are refused in the other role (RFC 6455 §5.1), from the first one.
      for (const [r, what] of [[feed(client(), many), 'client given masked'], [feed(server(), unmasked), 'server given unmasked']]) {
        assertFails(r, 1002, what.startsWith('client') ? 'server-frame-masked' : 'client-frame-unmasked', 0, `${what} (${n})`);
        assertMessages(r.messages, [], `${what} (${n}): nothing before the error`);
      }
    }
  }
});

lengths('short whole text frames: bad UTF-8, a fragment open, and a limit under the length fail as on the general path', () => {
  const good = frame(0x1, 'ok');
  // 1007 at the byte that breaks UTF-8, with the earlier message kept on err.messages.
  for (const [bytes, what] of [[fromHex('c3 28'), 'bad continuation'], [fromHex('ff'), 'FF'], [fromHex('61 c3'), 'ends inside a sequence'], [fromHex('ed a0 80'), 'surrogate']]) {
    const r = feed(server(), concat(good, frame(0x1, bytes)));
    assertFails(r, 1007, 'invalid-utf8', 0, what);
    assertMessages(r.messages, [text('ok')], `${what}: the message before it`);
  }
  // RFC 6455 §5.4: a new text frame while a fragmented message is open.
  assertFails(feed(server(), concat(frame(0x1, 'ab', { fin: false }), good)), 1002, 'expected-continuation', 0, 'text inside a fragmented message');
  // maxMessageSize below the length: 1009; at the length: accepted.
  assertFails(feed(new MessageReader({ maxMessageSize: 1 }), good), 1009, 'message-too-big', 0, 'over maxMessageSize');
  assertMessages(new MessageReader({ maxMessageSize: 2 }).push(good), [text('ok')], 'at maxMessageSize');
  assertMessages(new MessageReader({ maxMessageSize: 0 }).push(frame(0x1, '')), [text('')], 'empty at maxMessageSize 0');
});

lengths.run();

const frag = suite('fragmentation (RFC 6455 §5.4)');

frag('control frames between fragments, every split point', () => {
  const bytes = concat(
    frame(0x1, 'Hel', { fin: false }), frame(0x9, 'p1'), frame(0x0, 'l', { fin: false }),
    frame(0xa, 'x'), frame(0x9, ''), frame(0x0, 'o'),
  );
  everyCut(server, bytes, [bin('ping', 'p1'), bin('pong', 'x'), bin('ping', ''), text('Hello')], 'text with pings');
});

frag('a binary message in many fragments with pings, split across chunks', () => {
  const data = prng(3).bytes(1000);
  const frames = [];
  const expected = [];
  for (let i = 0, at = 0; at < data.length; i++) {
    const n = Math.min(data.length - at, 1 + ((i * 37) % 90));
    frames.push(frame(i === 0 ? 0x2 : 0x0, data.subarray(at, at + n), { fin: at + n === data.length }));
    at += n;
    if (i % 3 === 0 && at < data.length) { frames.push(frame(0x9, `ping ${i}`)); expected.push(bin('ping', `ping ${i}`)); }
  }
  expected.push(bin('binary', data));
  const bytes = concat(...frames);
  everyCut(server, bytes, expected, 'binary with pings', false);
});

frag('empty fragments and empty messages', () => {
  const bytes = concat(
    frame(0x1, ''), frame(0x2, new Uint8Array(0)),
    frame(0x1, '', { fin: false }), frame(0x0, '', { fin: false }), frame(0x0, 'abc'),
    frame(0x2, new Uint8Array(0), { fin: false }), frame(0x0, new Uint8Array(0)),
  );
  everyCut(server, bytes, [text(''), bin('binary', new Uint8Array(0)), text('abc'), bin('binary', new Uint8Array(0))], 'empty');
});

frag('a Close between fragments ends the stream', () => {
  const bytes = concat(frame(0x1, 'Hel', { fin: false }), frame(0x8, Uint8Array.of(0x03, 0xe8)));
  everyCut(server, bytes, [{ type: 'close', code: 1000, reason: '' }], 'close mid-message');
});

frag.run();

const close = suite('close frames (RFC 6455 §5.5.1, §7.4)');

const closeFrame = (payload) => frame(0x8, Uint8Array.from(payload));
const codeBytes = (code) => [code >> 8, code & 255];

close('an empty Close gives code 1005 and no reason', () => {
  everyCut(server, closeFrame([]), [{ type: 'close', code: 1005, reason: '' }], 'empty close');
  everyCut(client, fromHex('88 00'), [{ type: 'close', code: 1005, reason: '' }], 'empty close, client role');
});

close('a code and a UTF-8 reason', () => {
  const reason = 'bye \u00e9\u20ac\u{1d11e}';
  const payload = [...codeBytes(1000), ...new TextEncoder().encode(reason)];
  everyCut(server, closeFrame(payload), [{ type: 'close', code: 1000, reason }], 'code and reason');
  const longest = 'r'.repeat(123);
  everyCut(server, closeFrame([...codeBytes(4999), ...new TextEncoder().encode(longest)]), [{ type: 'close', code: 4999, reason: longest }], '123-byte reason');
});

close('every code 0-65535: 1000-1003, 1007-1014 and 3000-4999 accepted, the others 1002', () => {
  // RFC 6455 §7.4.1 defines 1000-1011 (1004-1006 reserved, never sent); IANA registered 1012-1014;
  // 1015 is never sent; §7.4.2: 0-999 unused, 1016-2999 reserved, 3000-4999 for libraries and applications.
  const valid = (c) => (c >= 1000 && c <= 1003) || (c >= 1007 && c <= 1014) || (c >= 3000 && c <= 4999);
  let accepted = 0;
  for (let code = 0; code < 65536; code++) {
    const r = feed(server(), closeFrame(codeBytes(code)));
    if (valid(code)) {
      assert.is(r.error, null, `code ${code}: ${r.error?.message}`);
      assert.equal(r.messages, [{ type: 'close', code, reason: '' }], `code ${code}`);
      accepted++;
    } else {
      assertFails(r, 1002, 'invalid-close-code', 0, `code ${code}`);
    }
  }
  assert.is(accepted, 4 + 8 + 2000);
});

close('the invalid codes of the issue fail with 1002, whole and one byte a push', () => {
  for (const code of [0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535]) {
    const bytes = closeFrame([...codeBytes(code), 0x61]);
    assertFails(feed(server(), bytes), 1002, 'invalid-close-code', 0, `code ${code}`);
    const r = feed(server(), bytes, everyByte(bytes.length));
    assertFails(r, 1002, 'invalid-close-code', undefined, `code ${code} bytewise`);
    assert.ok(r.at <= bytes.length - 1, 'by the end of the frame');
  }
});

close('a 1-byte payload fails with 1002', () => {
  for (const b of [0x03, 0x00]) {
    const bytes = closeFrame([b]);
    assertFails(feed(server(), bytes), 1002, 'close-body-one-byte', 0, 'whole');
    assertFails(feed(server(), bytes, everyByte(bytes.length)), 1002, 'close-body-one-byte', undefined, 'bytewise');
  }
});

close('a reason that is not UTF-8 fails with 1007', () => {
  for (const bad of [[0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0x61, 0xdf], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82]]) {
    const bytes = closeFrame([...codeBytes(1000), ...bad]);
    assertFails(feed(server(), bytes), 1007, 'close-reason-invalid-utf8', 0, `${hex(bad)} whole`);
    assertFails(feed(server(), bytes, everyByte(bytes.length)), 1007, 'close-reason-invalid-utf8', undefined, `${hex(bad)} bytewise`);
  }
});

close('issue 13: after a Close, every byte is discarded and push returns [], in the same chunk or later', () => {
  const reader = server();
  const out = reader.push(concat(frame(0x1, 'a'), closeFrame(codeBytes(1001)), frame(0x1, 'after'), Uint8Array.of(0xff, 0xff)));
  assert.equal(out, [text('a'), { type: 'close', code: 1001, reason: '' }]);
  assert.is(reader.closed, true);
  assert.is(reader.error, null, 'closed by a Close frame, not by an error');
  // Later chunks: a valid frame, nothing, bytes that would break every rule, in every byte form.
  for (const chunk of [frame(0x1, 'more'), new Uint8Array(0), Uint8Array.of(0xff, 0xff, 0xff), closeFrame([0x03]), new ArrayBuffer(3), new DataView(new ArrayBuffer(2))]) {
    assert.equal(reader.push(chunk), [], Object.prototype.toString.call(chunk));
  }
  assert.is(reader.closed, true);
  assert.is(reader.error, null);
  // A Close read one byte a push: bytes after it in its last chunk are dropped too.
  const r2 = server();
  const bytes = closeFrame(codeBytes(1000));
  for (let i = 0; i < bytes.length - 1; i++) assert.equal(r2.push(bytes.subarray(i, i + 1)), []);
  assert.equal(r2.push(concat(bytes.subarray(bytes.length - 1), frame(0x9, 'p'))), [{ type: 'close', code: 1000, reason: '' }]);
  assert.equal(r2.push(frame(0x9, 'p')), []);
  // Still a TypeError for what is not bytes: that is the caller's mistake, whatever the state.
  assert.throws(() => reader.push('x'), (e) => e instanceof TypeError);
});

close.run();

const errors = suite('after an error');

errors('issue 13: once push threw a ProtocolError, every later push throws that same error, an empty one too', () => {
  const reader = server();
  assert.is(reader.closed, false);
  assert.is(reader.error, null);
  let first;
  try { reader.push(concat(frame(0x1, 'ok'), header({ rsv: 4, opcode: 1, len: 0 }))); } catch (e) { first = e; }
  assert.instance(first, ProtocolError);
  assert.is(first.rule, 'rsv-without-extension');
  assert.equal(first.messages, [text('ok')]);
  assert.is(reader.closed, true);
  assert.is(reader.error, first);
  for (const chunk of [frame(0x1, 'ok'), new Uint8Array(0), closeFrame(codeBytes(1000)), new ArrayBuffer(1)]) {
    let again;
    try { reader.push(chunk); } catch (e) { again = e; }
    assert.ok(again === first, `the same error object, for ${hex(new Uint8Array(chunk.buffer ?? chunk))}`);
    // The messages were handed out with the first throw; a later push completes none.
    assert.equal(again.messages, [], 'no message is handed out twice');
  }
  assert.is(reader.error, first);
});

errors('messages completed before a bad frame in the same chunk are on err.messages', () => {
  const good = [frame(0x1, 'a'), frame(0x9, 'p'), frame(0x2, Uint8Array.of(1, 2)), frame(0x1, 'b', { fin: false }), frame(0x0, 'c')];
  const expected = [text('a'), bin('ping', 'p'), bin('binary', Uint8Array.of(1, 2)), text('bc')];
  const bads = [
    [header({ rsv: 4, opcode: 1, len: 0 }), 1002, 'rsv-without-extension'],
    [frame(0x1, Uint8Array.of(0xff)), 1007, 'invalid-utf8'],
    [frame(0x0, 'x'), 1002, 'unexpected-continuation'],
    [closeFrame([0x03]), 1002, 'close-body-one-byte'],
  ];
  for (const [bad, code, rule] of bads) {
    const bytes = concat(...good, bad);
    const r = feed(server(), bytes);
    assertFails(r, code, rule, 0, hex(bad));
    assertMessages(r.error.messages, expected, `${hex(bad)}: err.messages`);
    // Split before the bad frame: the first push returns the messages, the second throws with none.
    const at = bytes.length - bad.length;
    const r2 = feed(server(), bytes, [at]);
    assertFails(r2, code, rule, at, `${hex(bad)} split`);
    assert.equal(r2.error.messages, []);
    assertMessages(r2.messages, expected);
  }
  // A message completed in the same chunk as the start of the bad frame but split from its end.
  const bytes = concat(frame(0x1, 'x'), frame(0x1, 'y', { fin: false }), frame(0x2, 'z'));
  const cut = frame(0x1, 'x').length + 3;
  const r3 = feed(server(), bytes, [cut]);
  assertFails(r3, 1002, 'expected-continuation', cut);
  assert.equal(r3.messages, [text('x')], 'the first push returned x; the second push completed nothing');
});

errors('push refuses anything but bytes with a TypeError', () => {
  for (const bad of ['ab', null, undefined, [0x81, 0x80], { length: 2, 0: 0x81, 1: 0x80 }, 42]) {
    assert.throws(() => server().push(bad), (e) => e instanceof TypeError, String(bad));
  }
});

errors('issue 13: push reads an ArrayBuffer or any ArrayBufferView, its own window only', () => {
  const bytes = concat(frame(0x1, 'hello'), frame(0x2, Uint8Array.of(1, 2, 3)));
  const big = new Uint8Array(bytes.length + 8).fill(0xff); // 0xff after the window would be a bad frame
  big.set(bytes, 4);
  const expected = [text('hello'), bin('binary', Uint8Array.of(1, 2, 3))];
  for (const chunk of [bytes.slice().buffer, new DataView(big.buffer, 4, bytes.length), new Int8Array(big.buffer, 4, bytes.length), new Uint8ClampedArray(big.buffer, 4, bytes.length)]) {
    assertMessages(server().push(chunk), expected, Object.prototype.toString.call(chunk));
  }
  // Split across views of different kinds.
  const r = server();
  const got = [...r.push(new DataView(big.buffer, 4, 5)), ...r.push(new Uint8Array(big.buffer, 9, bytes.length - 5).slice().buffer)];
  assertMessages(got, expected, 'split');
});

errors.run();

const inPlace = suite('unmaskInPlace');

inPlace('gives the same messages as the copying reader, whatever the chunking', () => {
  const rng = prng(7);
  const payload = Uint8Array.from({ length: 70000 }, (_, i) => (i * 31) & 255);
  const stream = concat(
    frame(2, payload), frame(9, 'ping'), frame(1, 'héllo', { fin: false }), frame(10, 'pong'), frame(0, ' wörld'),
    frame(2, new Uint8Array(0)), frame(1, 'x'.repeat(300)), frame(8, concat(new Uint8Array([0x03, 0xe8]), new TextEncoder().encode('bye'))),
  );
  const expected = feed(new MessageReader(), stream.slice()).messages;
  assert.is(expected.length, 7);
  for (let round = 0; round < 50; round++) {
    const cuts = [];
    for (let at = rng.int(1, 9000); at < stream.length; at += rng.int(1, 9000)) cuts.push(at);
    assertMessages(feed(new MessageReader({ unmaskInPlace: true }), stream.slice(), cuts).messages, expected, `round ${round}`);
  }
});

inPlace('a frame that arrives whole is unmasked inside the chunk and handed out as a view of it', () => {
  // From 64 bytes: smaller payloads are copied, which is cheaper than a view.
  const payload = Uint8Array.from({ length: 200 }, (_, i) => i);
  const chunk = frame(2, payload);
  const [m] = new MessageReader({ unmaskInPlace: true }).push(chunk);
  assert.is(m.data.buffer, chunk.buffer);
  assert.equal([...chunk.subarray(8)], [...payload]);
  const copy = frame(2, payload);
  const before = copy.slice();
  const [c] = new MessageReader().push(copy);
  assert.is.not(c.data.buffer, copy.buffer);
  assert.equal([...copy], [...before], 'without the option the chunk is left as it is');
});

inPlace('the option must be a boolean', () => {
  for (const v of [1, 'yes', null]) assert.throws(() => new MessageReader({ unmaskInPlace: v }), (e) => e instanceof TypeError);
});

inPlace.run();

// Readers share scratch state (the masking key the XOR loops read, the
// validator of a message in one frame): one reader's frame that spans pushes
// must not see another's key or UTF-8 state in between.
const interleaved = suite('MessageReader: readers interleaved');

interleaved('two readers, each in the middle of frames and messages, keep their own key and UTF-8 state', () => {
  const keyA = Uint8Array.of(0x01, 0x02, 0x03, 0x04), keyB = Uint8Array.of(0xf0, 0x0f, 0xaa, 0x55);
  const big = Uint8Array.from({ length: 300 }, (_, i) => (i * 7) & 255);
  const euro = new TextEncoder().encode('a€b'); // € is 3 bytes: cut inside it
  const streams = [keyA, keyB].map((mask) => concat(
    frame(0x1, euro.subarray(0, 2), { fin: false, mask }), frame(0x0, euro.subarray(2), { mask }),
    frame(0x2, big, { mask }), frame(0x9, 'ping', { mask }), frame(0x1, 'é'.repeat(40), { mask })));
  const readers = [new MessageReader(), new MessageReader()];
  const got = [[], []];
  // Cut both streams at the same places (inside the first fragment's text,
  // the binary payload, the ping), and push the pieces turn about.
  const cuts = [0, 9, 30, 200, 320, 330, streams[0].length];
  for (let i = 0; i + 1 < cuts.length; i++) {
    for (const r of [0, 1]) got[r].push(...readers[r].push(streams[r].subarray(cuts[i], cuts[i + 1])));
  }
  for (const r of [0, 1]) {
    assert.is(got[r].length, 4, `reader ${r}: messages`);
    assert.equal(got[r][0], { type: 'text', data: 'a€b' }, `reader ${r}: fragmented text`);
    assert.equal([...got[r][1].data], [...big], `reader ${r}: binary`);
    assert.equal(new TextDecoder().decode(got[r][2].data), 'ping', `reader ${r}: ping`);
    assert.equal(got[r][3], { type: 'text', data: 'é'.repeat(40) }, `reader ${r}: text`);
  }
});

interleaved('a message in one frame that ends inside a UTF-8 sequence does not taint the next reader\'s text', () => {
  const bad = new MessageReader();
  assert.throws(() => bad.push(frame(0x1, Uint8Array.of(0x61, 0xe2, 0x82))), (e) => e instanceof ProtocolError && e.rule === 'invalid-utf8');
  assert.equal(new MessageReader().push(frame(0x1, 'x'.repeat(100))), [{ type: 'text', data: 'x'.repeat(100) }]);
  assert.equal(new MessageReader().push(frame(0x1, 'ü')), [{ type: 'text', data: 'ü' }]);
  assert.throws(() => new MessageReader().push(frame(0x1, Uint8Array.of(0xe2))), (e) => e instanceof ProtocolError && e.rule === 'invalid-utf8');
  const empty = concat(frame(0x1, '', { fin: false }), frame(0x0, '', { fin: false }), frame(0x0, ''));
  assert.equal(new MessageReader().push(empty), [{ type: 'text', data: '' }], 'an empty text message in fragments');
});

interleaved.run();
