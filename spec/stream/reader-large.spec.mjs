// Large messages and fragment floods through MessageReader: 16 MiB binary and
// text, compared byte for byte with what was sent, whatever the chunking;
// the limits against declared lengths and fragment floods (RFC 6455 §10.4).
// Pushing 16 MiB one byte at a time took 2.6 s on the development machine,
// so the 1-byte case uses the whole 16 MiB.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_MAX_FRAGMENTS, DEFAULT_MAX_MESSAGE_SIZE, MessageReader } from '../../dist/index.js';
import { assertFails, be, concat, feed, frame, header, prng, randomCuts, sameBytes } from '../_frames.mjs';

const MiB = 1024 * 1024;
// Kept small at module level (workerd isolates have 128 MB): the frames and the text are made per test.
const DATA = prng(0x16).bytes(16 * MiB);

/** A 16 MiB string of 1- to 4-byte UTF-8 characters (RFC 3629), drawn from a seeded PRNG. */
function bigText(bytes) {
  const r = prng(0x7e);
  const parts = [];
  let n = 0;
  const picks = [
    () => 0x20 + r.int(0, 0x5e),
    () => r.int(0x80, 0x7ff),
    () => { const c = r.int(0x800, 0xfffd); return c >= 0xd800 && c <= 0xdfff ? 0x20ac : c; },
    () => r.int(0x10000, 0x10ffff),
  ];
  let chunk = [];
  while (n < bytes) {
    const kind = r.int(0, 3);
    chunk.push(picks[kind]());
    n += kind + 1;
    if (chunk.length === 4096) { parts.push(String.fromCodePoint(...chunk)); chunk = []; }
  }
  parts.push(String.fromCodePoint(...chunk));
  return parts.join('');
}

const big = suite('16 MiB messages');

big('the constants are the documented defaults', () => {
  assert.is(DEFAULT_MAX_MESSAGE_SIZE, 64 * MiB);
  assert.is(DEFAULT_MAX_FRAGMENTS, 131072);
});

big('16 MiB binary, masked, one byte a push', () => {
  const DATA_FRAME = frame(0x2, DATA);
  const reader = new MessageReader();
  const out = [];
  for (let i = 0; i < DATA_FRAME.length; i++) {
    const got = reader.push(DATA_FRAME.subarray(i, i + 1));
    if (got.length !== 0) out.push(...got, i);
  }
  assert.is(out.length, 2, 'one message');
  assert.is(out[1], DATA_FRAME.length - 1, 'completed by the last byte');
  assert.is(out[0].type, 'binary');
  assert.ok(sameBytes(out[0].data, DATA), 'byte-exact');
});

big('16 MiB binary in random chunks of 1-4096 bytes, then in chunks of up to 1 MiB', () => {
  const DATA_FRAME = frame(0x2, DATA);
  for (const [lo, hi] of [[1, 4096], [1, MiB]]) {
    const r = feed(new MessageReader(), DATA_FRAME, randomCuts(DATA_FRAME.length, prng(hi), lo, hi));
    assert.is(r.error, null);
    assert.is(r.messages.length, 1);
    assert.ok(sameBytes(r.messages[0].data, DATA), `chunks of ${lo}-${hi}`);
  }
});

big('16 MiB binary in 256 fragments of 64 KiB with a ping between each, in random chunks', () => {
  const frames = [];
  for (let at = 0, i = 0; at < DATA.length; at += 65536, i++) {
    frames.push(frame(i === 0 ? 0x2 : 0x0, DATA.subarray(at, at + 65536), { fin: at + 65536 >= DATA.length }));
    if (at + 65536 < DATA.length) frames.push(frame(0x9, Uint8Array.of(i)));
  }
  const r = feed(new MessageReader(), concat(...frames), randomCuts(DATA.length + 256 * 20, prng(3), 1, 65536));
  assert.is(r.error, null);
  assert.is(r.messages.length, 256);
  assert.equal(r.messages.slice(0, 255).map((m) => m.type + m.data[0]), Array.from({ length: 255 }, (_, i) => `ping${i}`));
  assert.ok(sameBytes(r.messages[255].data, DATA));
});

big('16 MiB of multi-byte UTF-8 text in random chunks, whole and in fragments cut inside code points', () => {
  const TEXT = bigText(16 * MiB);
  const TEXT_BYTES = new TextEncoder().encode(TEXT);
  assert.ok(TEXT_BYTES.length >= 16 * MiB && TEXT_BYTES.length < 16 * MiB + 4);
  const whole = frame(0x1, TEXT_BYTES);
  const r = feed(new MessageReader(), whole, randomCuts(whole.length, prng(5), 1, 4096));
  assert.is(r.error, null, r.error?.message);
  assert.is(r.messages.length, 1);
  assert.is(r.messages[0].type, 'text');
  assert.ok(r.messages[0].data === TEXT, 'the same string');
  // Fragments of 1 B to 1 MiB: most cuts fall inside a multi-byte character.
  const frames = [];
  const fr = prng(6);
  for (let at = 0; at < TEXT_BYTES.length;) {
    const n = Math.min(TEXT_BYTES.length - at, fr.next() % 4 === 0 ? fr.int(1, 3) : fr.int(1, MiB));
    frames.push(frame(at === 0 ? 0x1 : 0x0, TEXT_BYTES.subarray(at, at + n), { fin: at + n === TEXT_BYTES.length }));
    at += n;
  }
  const all = concat(...frames);
  const r2 = feed(new MessageReader(), all, randomCuts(all.length, prng(7), 1, 65536));
  assert.is(r2.error, null, r2.error?.message);
  assert.ok(r2.messages.length === 1 && r2.messages[0].data === TEXT, `the same string from ${frames.length} fragments`);
});

big('a bad byte at the end of 16 MiB of text fails with 1007 at that byte', () => {
  const bytes = new TextEncoder().encode(bigText(16 * MiB));
  bytes[bytes.length - 1] = 0xff;
  const f = frame(0x1, bytes);
  const r = new MessageReader();
  r.push(f.subarray(0, f.length - 1));
  assert.throws(() => r.push(f.subarray(f.length - 1)), (e) => e.closeCode === 1007 && e.rule === 'invalid-utf8');
});

big('the reader reads on normally after a large message: nothing of it is left behind', () => {
  const reader = new MessageReader();
  const f = concat(frame(0x2, DATA.subarray(0, 4 * MiB), { fin: false }), frame(0x0, DATA.subarray(4 * MiB, 8 * MiB)));
  const first = feed(reader, f, randomCuts(f.length, prng(8), 1, MiB));
  assert.ok(sameBytes(first.messages[0].data, DATA.subarray(0, 8 * MiB)));
  // A shorter message next: if the old buffer leaked into it, its length or bytes would differ.
  const next = feed(reader, concat(frame(0x2, DATA.subarray(100, 1100), { fin: false }), frame(0x0, DATA.subarray(1100, 1200)), frame(0x1, 'ok')), [7]);
  assert.is(next.error, null);
  assert.is(next.messages.length, 2);
  assert.ok(sameBytes(next.messages[0].data, DATA.subarray(100, 1200)));
  assert.is(next.messages[1].data, 'ok');
  // The first message's bytes are its own: reading more did not overwrite them.
  assert.ok(sameBytes(first.messages[0].data, DATA.subarray(0, 8 * MiB)));
});

big.run();

const limits = suite('declared lengths and floods');

limits('a frame declaring 2^40 bytes fails with 1009 from its header alone, with the default limits', () => {
  const h = header({ opcode: 0x2, len: 127, ext: be(2 ** 40, 8) });
  assertFails(feed(new MessageReader(), h), 1009, 'message-too-big', 0);
  assertFails(feed(new MessageReader(), concat(frame(0x1, 'a', { fin: false }), header({ opcode: 0x0, len: 127, ext: be(2 ** 40, 8) }))), 1009, 'message-too-big', 0, 'as a continuation');
});

limits('a frame declaring 50 MiB under a 64 MiB limit waits for its bytes', () => {
  const h = header({ opcode: 0x2, len: 127, ext: be(50 * MiB, 8) });
  const reader = new MessageReader();
  assert.equal(reader.push(h), []);
  assert.equal(reader.push(DATA.subarray(0, 1024)), []);
  assert.is(reader.closed, false);
  // 8 MiB more is still not the message; the rest of the 50 MiB would complete it (spec/node/reader-memory.spec.mjs).
  for (let at = 1024; at < 8 * MiB; at += MiB) assert.equal(reader.push(DATA.subarray(at, at + MiB)), []);
  assert.is(reader.closed, false);
});

limits('a 4 MiB message in 65,537 frames of 64 bytes passes with the default options (Autobahn 9.3.1)', () => {
  const piece = (i) => DATA.subarray(i * 64, i * 64 + 64);
  const frames = [frame(0x2, piece(0), { fin: false })];
  for (let i = 1; i <= 65536; i++) frames.push(frame(0x0, piece(i), { fin: i === 65536 }));
  const all = concat(...frames);
  const r = feed(new MessageReader(), all, randomCuts(all.length, prng(9), 1, 65536));
  assert.is(r.error, null, r.error?.message);
  assert.is(r.messages.length, 1);
  assert.ok(sameBytes(r.messages[0].data, DATA.subarray(0, 65537 * 64)));
});

limits('DEFAULT_MAX_FRAGMENTS fragments pass; one more fails with 1009 (131,073 empty continuations)', () => {
  const empty = frame(0x0, '', { fin: false });
  const build = (continuations, finLast) => {
    const out = new Uint8Array(6 + continuations * 6);
    out.set(header({ fin: false, opcode: 0x1, len: 0 }));
    for (let i = 0; i < continuations; i++) out.set(empty, 6 + i * 6);
    if (finLast) out[out.length - 6] |= 0x80;
    return out;
  };
  const ok = feed(new MessageReader(), build(DEFAULT_MAX_FRAGMENTS - 1, true), [65536 * 6]);
  assert.is(ok.error, null, ok.error?.message);
  assert.equal(ok.messages, [{ type: 'text', data: '' }]);
  const flood = build(131073, false);
  const r = feed(new MessageReader(), flood);
  // The first frame and DEFAULT_MAX_FRAGMENTS - 1 continuations are fine; the next one fails at its byte 0.
  assertFails(r, 1009, 'too-many-fragments', 0);
  const at = 6 * DEFAULT_MAX_FRAGMENTS;
  const r2 = feed(new MessageReader(), flood, [at, at + 1]);
  assertFails(r2, 1009, 'too-many-fragments', at, 'at the first byte of the fragment over the budget');
});

limits.run();
