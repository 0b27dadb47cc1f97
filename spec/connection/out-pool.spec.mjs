// The shared pool a server's small frames are written into (lib/connection/_out-pool.ts):
// frames of many connections interleaved stay each connection's own and in order, a
// view once handed out never changes, and `_detach` gives a waiting transport copies.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { prng } from '../_util.mjs';
import { framesOf, openPair } from './_pair.mjs';

const test = suite('connection output pool');

/** A message of `n` UTF-16 units: ASCII, or with 2-, 3- and 4-byte characters mixed in. */
function text(rnd, n, ascii) {
  let s = '';
  while (s.length < n) {
    const r = rnd() % 10;
    s += ascii || r < 6 ? String.fromCharCode(0x20 + (rnd() % 95)) : r < 8 ? 'é' : r < 9 ? '€' : '😀';
  }
  return s.slice(0, n).replace(/[\ud800-\udbff]$/, 'x');
}

/** Sizes around every boundary: the 7-bit and 16-bit lengths, the pooled maximum, the pool's size. */
const SIZES = [0, 1, 17, 125, 126, 127, 1365, 1366, 4095, 4096, 4097, 16380, 70000];

test('frames of connections sending in turn decode, per connection, to exactly what each sent, in order', () => {
  const rnd = prng(7).next;
  const pairs = [openPair(), openPair(), openPair()];
  const sent = pairs.map(() => []);
  const got = pairs.map(() => []);
  const dec = new TextDecoder();
  for (let round = 0; round < 400; round++) {
    const i = rnd() % 3;
    const { s } = pairs[i];
    const n = SIZES[rnd() % SIZES.length];
    const kind = rnd() % 3;
    const msg = kind === 2 ? Uint8Array.from({ length: n }, () => rnd() & 255) : text(rnd, n, kind === 0);
    s.send(msg);
    sent[i].push(msg);
    // Taken now and then, so that runs are cut by other connections' frames, by a take, and by a full pool.
    if (rnd() % 4 === 0) got[i].push(...s.takeOutput());
  }
  pairs.forEach(({ s }, i) => got[i].push(...s.takeOutput()));
  pairs.forEach((_, i) => {
    const frames = framesOf(got[i]);
    assert.is(frames.length, sent[i].length, `connection ${i}: one frame per message`);
    frames.forEach((f, k) => {
      const m = sent[i][k];
      assert.ok(f.fin && !f.masked, 'a whole, unmasked frame');
      if (typeof m === 'string') {
        assert.is(f.opcode, 1);
        assert.is(dec.decode(f.payload), m, `connection ${i}, message ${k} (${m.length} units)`);
      } else {
        assert.is(f.opcode, 2);
        assert.equal(f.payload, m, `connection ${i}, message ${k} (${m.length} bytes)`);
      }
    });
  });
});

test('bufferedAmount counts pooled frames as they are written, and is 0 once taken', () => {
  const { s } = openPair();
  s.send('hello');
  assert.is(s.bufferedAmount, 7);
  s.send(new Uint8Array(300));
  assert.is(s.bufferedAmount, 7 + 4 + 300);
  s.send(new Uint8Array(5000));
  assert.is(s.bufferedAmount, 7 + 304 + 4 + 5000);
  const out = s.takeOutput();
  assert.is(out.reduce((n, c) => n + c.length, 0), 5315);
  assert.is(s.bufferedAmount, 0);
});

test('a view handed out never changes, however much is sent after it', () => {
  const rnd = prng(11).next;
  const pairs = [openPair(), openPair()];
  const kept = [];
  for (let round = 0; round < 3000; round++) {
    const { s } = pairs[round & 1];
    s.send(text(rnd, 1 + (rnd() % 200), true));
    if (round % 3 === 0) for (const c of s.takeOutput()) kept.push([c, c.slice()]);
  }
  for (const [view, copy] of kept) assert.equal(view, copy);
});

test('_detach replaces views into the pool by copies, and leaves the caller\'s own bytes alone', () => {
  const { s } = openPair();
  const big = new Uint8Array(8192).fill(7);
  s.send('small');
  s.send(big);
  const out = s.takeOutput();
  const before = out.slice();
  s._detach(out);
  assert.is(out.length, 2, 'one run (the text frame and the large payload\'s header), then the payload');
  assert.is(out[0].length, 7 + 4);
  assert.ok(out[0] !== before[0] && out[0].byteOffset === 0 && out[0].buffer.byteLength === out[0].length, 'the pooled run is a copy of its own');
  assert.equal(out[0], before[0]);
  assert.ok(out[1] === big, 'a large payload stays the caller\'s bytes');
});

test.run();
