// MessageReader's UTF-8 validation of text messages (RFC 6455 §5.6, §8.1):
// incremental and fail-fast on Markus Kuhn's decoder stress test. A bad text
// fails with 1007 on the very push that delivers the first byte after which
// no continuation could make it valid UTF-8 (RFC 3629 §4), in whatever frame
// or chunk that byte arrives.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { MessageReader } from '../../dist/index.js';
import { KUHN, referenceCheck } from '../_kuhn.mjs';
import { assertFails, concat, everyByte, feed, frame, hex } from '../_frames.mjs';

const DECODE = new TextDecoder('utf-8', { ignoreBOM: true });
const FATAL = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const isUtf8 = (b) => { try { FATAL.decode(b); return true; } catch { return false; } };

/**
 * A text message whose payload is split into fragments at `cuts` (RFC 6455
 * §5.4), as masked client frames. `where[j]` is the stream index of payload
 * byte j; `end` the index of the stream's last byte, where the message ends.
 */
function textStream(bytes, cuts = []) {
  const bounds = [0, ...cuts, bytes.length];
  const frames = [];
  const where = [];
  let offset = 0;
  for (let f = 0; f + 1 < bounds.length; f++) {
    const part = bytes.subarray(bounds[f], bounds[f + 1]);
    const fr = frame(f === 0 ? 0x1 : 0x0, part, { fin: f + 2 === bounds.length });
    const head = fr.length - part.length;
    for (let j = 0; j < part.length; j++) where.push(offset + head + j);
    frames.push(fr);
    offset += fr.length;
  }
  return { stream: concat(...frames), where, end: offset - 1 };
}

/** The stream index whose push must fail: the bad byte, or the message's end for an unfinished sequence. */
function failIndex(c, s) {
  return c.bad < c.bytes.length ? s.where[c.bad] : s.end;
}

/** Feeds the stream one byte a push and asserts what happens (valid: one text message). */
function check(c, cuts, what) {
  const s = textStream(c.bytes, cuts);
  const r = feed(new MessageReader(), s.stream, everyByte(s.stream.length));
  if (c.valid) {
    assert.is(r.error, null, `${what}: ${r.error?.message}`);
    assert.equal(r.messages, [{ type: 'text', data: DECODE.decode(c.bytes) }], what);
  } else {
    assertFails(r, 1007, 'invalid-utf8', failIndex(c, s), what);
    assert.equal(r.messages, [], what);
  }
}

const table = suite('kuhn table');

table('every case agrees with the reference checker and with a fatal TextDecoder', () => {
  for (const c of KUHN) {
    const ref = referenceCheck(c.bytes);
    assert.is(ref.bad === c.bytes.length && ref.complete, c.valid, `${c.id} validity (reference)`);
    assert.is(isUtf8(c.bytes), c.valid, `${c.id} validity (TextDecoder)`);
    if (!c.valid) assert.is(ref.bad, c.bad, `${c.id} first bad byte`);
  }
});

table('the reference checker agrees with TextDecoder on every 1- and 2-byte string', () => {
  for (let a = 0; a < 256; a++) {
    const one = Uint8Array.of(a);
    assert.is(referenceCheck(one).bad === 1 && referenceCheck(one).complete, isUtf8(one), hex(one));
    for (let b = 0; b < 256; b++) {
      const two = Uint8Array.of(a, b);
      const ref = referenceCheck(two);
      assert.is(ref.bad === 2 && ref.complete, isUtf8(two), hex(two));
    }
  }
});

table('the table covers each kind of case', () => {
  assert.ok(KUHN.filter((c) => c.valid).length >= 15, 'valid cases');
  assert.ok(KUHN.filter((c) => !c.valid && c.bad < c.bytes.length).length >= 100, 'invalid cases');
  assert.ok(KUHN.filter((c) => !c.valid && c.bad === c.bytes.length).length >= 4, 'unfinished sequences');
  // 5.3.4: noncharacters U+nFFFE/U+nFFFF are valid and decode to themselves.
  const cps = [...DECODE.decode(KUHN.find((c) => c.id === '5.3.4').bytes)].map((ch) => ch.codePointAt(0));
  assert.equal(cps, Array.from({ length: 32 }, (_, i) => (((i >> 1) + 1) << 16) + 0xfffe + (i & 1)));
});

table.run();

const kuhn = suite('reader: kuhn cases');

kuhn('valid cases are accepted in one frame, whole and one byte a push', () => {
  for (const c of KUHN.filter((x) => x.valid)) {
    const s = textStream(c.bytes);
    const whole = feed(new MessageReader(), s.stream);
    assert.is(whole.error, null, c.id);
    assert.equal(whole.messages, [{ type: 'text', data: DECODE.decode(c.bytes) }], c.id);
    check(c, [], `${c.id} bytewise`);
  }
});

kuhn('valid cases are accepted when fragmented at every byte boundary', () => {
  for (const c of KUHN.filter((x) => x.valid)) {
    for (let s = 0; s <= c.bytes.length; s++) check(c, [s], `${c.id} cut at ${s}`);
    check(c, everyByte(c.bytes.length), `${c.id} one frame per byte`);
  }
});

kuhn('invalid cases fail with 1007 at their first bad byte in one frame', () => {
  for (const c of KUHN.filter((x) => !x.valid)) {
    const s = textStream(c.bytes);
    assertFails(feed(new MessageReader(), s.stream), 1007, 'invalid-utf8', 0, `${c.id} whole`);
    check(c, [], `${c.id} bytewise`);
  }
});

kuhn('invalid cases fail at their first bad byte whichever fragment it lands in', () => {
  for (const c of KUHN.filter((x) => !x.valid)) {
    for (let s = 0; s <= c.bytes.length; s++) check(c, [s], `${c.id} cut at ${s}`);
    check(c, everyByte(c.bytes.length), `${c.id} one frame per byte`);
  }
});

kuhn('the same after valid multi-byte text: the failure moves with it', () => {
  const kosme = KUHN[0].bytes;
  for (const c of KUHN.filter((x) => !x.valid)) {
    const shifted = { ...c, bytes: concat(kosme, c.bytes), bad: kosme.length + c.bad };
    check(shifted, [], `${c.id} after kosme`);
    check(shifted, [kosme.length - 1], `${c.id} after kosme, cut inside its last code point`);
  }
});

kuhn.run();

const sweep = suite('reader: exhaustive sweeps against the reference');

/** Feeds `bytes` as one text frame a byte at a time; compares with referenceCheck. */
function sweepOne(bytes) {
  const ref = referenceCheck(bytes);
  const valid = ref.bad === bytes.length && ref.complete;
  const c = { id: hex(bytes), bytes, valid, bad: ref.bad };
  check(c, [], hex(bytes));
}

sweep('every 2-byte payload', () => {
  for (let a = 0; a < 256; a++) for (let b = 0; b < 256; b++) sweepOne(Uint8Array.of(a, b));
});

sweep('3- and 4-byte payloads: every lead E0-F4 and second byte, edge third and fourth bytes', () => {
  const edges = [0x20, 0x7f, 0x80, 0xbf, 0xc0];
  for (let a = 0xe0; a <= 0xf4; a++) {
    for (let b = 0; b < 256; b++) {
      for (const c of edges) {
        sweepOne(Uint8Array.of(a, b, c));
        if (a >= 0xf0) for (const d of edges) sweepOne(Uint8Array.of(a, b, c, d));
      }
    }
  }
});

sweep.run();

const ends = suite('reader: sequences that end with the message');

ends('an unfinished sequence fails only when the final fragment ends', () => {
  // DF is a valid prefix; the message ends there: 1007 at the last byte of the empty final frame.
  const s = concat(frame(0x1, Uint8Array.of(0x61, 0xdf), { fin: false }), frame(0x9, 'ping'), frame(0x0, new Uint8Array(0)));
  const r = feed(new MessageReader(), s, everyByte(s.length));
  assertFails(r, 1007, 'invalid-utf8', s.length - 1, 'empty final fragment');
  assert.equal(r.messages.map((m) => m.type), ['ping'], 'the ping between the fragments was delivered');
  // The same message finished by the final fragment is fine.
  const ok = concat(frame(0x1, Uint8Array.of(0x61, 0xdf), { fin: false }), frame(0x9, 'ping'), frame(0x0, Uint8Array.of(0xbf)));
  const r2 = feed(new MessageReader(), ok, everyByte(ok.length));
  assert.is(r2.error, null);
  assert.equal(r2.messages.map((m) => m.type === 'text' ? m.data : m.type), ['ping', 'a\u07ff']);
});

ends('a final fragment ending inside a 4-byte sequence fails at its last byte', () => {
  const s = concat(frame(0x1, Uint8Array.of(0xf0, 0x9f), { fin: false }), frame(0x0, Uint8Array.of(0x98)));
  assertFails(feed(new MessageReader(), s, everyByte(s.length)), 1007, 'invalid-utf8', s.length - 1);
  assertFails(feed(new MessageReader(), s), 1007, 'invalid-utf8', 0, 'whole');
});

ends('a code point split across fragments and chunks is reassembled', () => {
  // U+20AC EURO SIGN is E2 82 AC; U+1F600 is F0 9F 98 80.
  const bytes = Uint8Array.of(0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80);
  for (let a = 0; a <= bytes.length; a++) {
    for (let b = a; b <= bytes.length; b++) {
      const s = textStream(bytes, [a, b]);
      for (let cut = 1; cut < s.stream.length; cut++) {
        const r = feed(new MessageReader(), s.stream, [cut]);
        assert.is(r.error, null, `${a},${b} cut ${cut}`);
        assert.equal(r.messages, [{ type: 'text', data: '\u20ac\u{1f600}' }], `${a},${b} cut ${cut}`);
      }
    }
  }
});

ends('a BOM at the start of a text message is kept as U+FEFF', () => {
  for (const cuts of [[], [1], [2], [3]]) {
    const s = textStream(Uint8Array.of(0xef, 0xbb, 0xbf, 0x41), cuts);
    const r = feed(new MessageReader(), s.stream, everyByte(s.stream.length));
    assert.equal(r.messages, [{ type: 'text', data: '\ufeffA' }], `fragments cut at ${cuts}`);
    assert.is(r.messages[0].data.length, 2);
  }
  // Two BOMs: both are content.
  const r = feed(new MessageReader(), frame(0x1, Uint8Array.of(0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf)));
  assert.equal(r.messages, [{ type: 'text', data: '\ufeff\ufeff' }]);
});

ends('binary messages are not checked as UTF-8', () => {
  const bytes = Uint8Array.of(0xff, 0xc0, 0xed, 0xa0, 0x80, 0xdf);
  const s = concat(frame(0x2, bytes.subarray(0, 3), { fin: false }), frame(0x0, bytes.subarray(3)));
  const r = feed(new MessageReader(), s, everyByte(s.length));
  assert.is(r.error, null);
  assert.equal(r.messages.map((m) => [m.type, hex(m.data)]), [['binary', hex(bytes)]]);
});

ends('the validator starts fresh for each message', () => {
  // A text message, then a binary one ending mid-sequence, then text starting with a continuation byte.
  const s = concat(frame(0x1, 'é'), frame(0x2, Uint8Array.of(0xc3)), frame(0x1, Uint8Array.of(0xa9)));
  const r = feed(new MessageReader(), s, everyByte(s.length));
  assertFails(r, 1007, 'invalid-utf8', s.length - 1, 'a continuation byte at the start of a message');
  assert.equal(r.messages.map((m) => m.type), ['text', 'binary']);
});

ends.run();
