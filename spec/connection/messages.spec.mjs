// Messages between the two roles in memory (RFC 6455 §5-§6): every type and
// length boundary, streamed fragments with control frames between them, any
// chunking of the transport, auto-pong, bufferedAmount and the send rules.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidStateError } from '../../dist/connection.js';
import { decodeFrame } from '../../dist/index.js';
import { concat } from '../_util.mjs';
import { prng, randomCuts, sameBytes } from '../_frames.mjs';
import { brief, drain, openPair, pump } from './_pair.mjs';

const test = suite('connection messages');
const rng = prng(0x14);

test('binary and text at the length boundaries arrive intact, both ways', () => {
  const { s, c } = openPair();
  for (const n of [0, 1, 125, 126, 4095, 4096, 65535, 65536, 70000]) {
    const data = rng.bytes(n);
    const text = 'é'.repeat(n >> 1) + (n & 1 ? 'x' : '');
    for (const [from, to] of [[c, s], [s, c]]) {
      from.send(data);
      from.send(text);
      pump(from, to);
      const got = to.takeEvents();
      assert.is(got.length, 2, `${n} bytes`);
      assert.ok(sameBytes(got[0].data, data), `binary ${n}`);
      assert.is(got[1].data, text, `text ${n}`);
    }
  }
});

test('any chunking of the transport gives the same events', () => {
  const { s, c } = openPair();
  for (let round = 0; round < 50; round++) {
    const sent = [];
    for (let i = 0; i < 5; i++) {
      const d = rng.int(0, 1) ? rng.bytes(rng.int(0, 300)) : 'x'.repeat(rng.int(0, 300));
      sent.push(d);
      c.send(d);
    }
    const bytes = drain(c);
    let at = 0;
    for (const cut of [...randomCuts(bytes.length, rng, 1, 40), bytes.length]) { s.receive(bytes.subarray(at, cut)); at = cut; }
    const got = s.takeEvents();
    assert.is(got.length, 5);
    got.forEach((e, i) => (typeof sent[i] === 'string' ? assert.is(e.data, sent[i]) : assert.ok(sameBytes(e.data, sent[i]))));
  }
});

test('a streamed message (fin: false) arrives whole, with pings between its fragments answered first', () => {
  const { s, c } = openPair();
  c.send('Hel', { fin: false });
  c.ping('1');
  c.send('', { fin: false });
  c.send('lo');
  c.send(new Uint8Array([1]), { fin: false });
  c.send(new Uint8Array([2, 3]));
  pump(c, s);
  assert.equal(brief(s.takeEvents()), ['ping:1', 'text:Hello', 'binary:3']);
  pump(s, c);
  assert.equal(brief(c.takeEvents()), ['pong:1']);
  c.send('a', { fin: false });
  assert.throws(() => c.send(new Uint8Array(1)), (e) => e instanceof TypeError && /must be a string/.test(e.message));
  assert.throws(() => c.send('x', { fn: true }), (e) => e instanceof TypeError && /did you mean "fin"/.test(e.message));
});

test('a server sends large binary as a header and the caller\'s own bytes (no copy); small ones in one frame', () => {
  const { s } = openPair();
  const big = rng.bytes(5000);
  s.send(big);
  const out = s.takeOutput();
  assert.is(out.length, 2);
  assert.is(out[1], big);
  s.send(rng.bytes(100));
  assert.is(s.takeOutput().length, 1);
});

test('autoPong answers pings with their payload; autoPong: false leaves it to the application', () => {
  for (const autoPong of [true, false]) {
    const { s, c } = openPair({ server: { autoPong } });
    c.ping(new Uint8Array([7, 8, 9]));
    pump(c, s);
    assert.equal(brief(s.takeEvents()), ['ping:3']);
    const out = drain(s);
    if (!autoPong) { assert.is(out.length, 0); continue; }
    const f = decodeFrame(out);
    assert.is(f.opcode, 0xa);
    assert.equal(Array.from(f.payload), [7, 8, 9]);
  }
});

test('bufferedAmount counts what was produced and not yet taken', () => {
  const { s } = openPair();
  assert.is(s.bufferedAmount, 0);
  s.send('abc');
  s.send(new Uint8Array(10000));
  assert.is(s.bufferedAmount, 5 + 4 + 10000);
  s.takeOutput();
  assert.is(s.bufferedAmount, 0);
});

test('control frames: over 125 bytes is a RangeError, and nothing is sent before open', () => {
  const { s, c } = openPair();
  assert.throws(() => s.ping(new Uint8Array(126)), (e) => e instanceof RangeError);
  assert.throws(() => c.pong('x'.repeat(126)), (e) => e instanceof RangeError);
  assert.throws(() => s.send(42), (e) => e instanceof TypeError);
  assert.is(s.bufferedAmount, 0);
  c.close();
  assert.throws(() => c.send('late'), (e) => e instanceof InvalidStateError && /closing/.test(e.message));
  assert.throws(() => c.ping(), (e) => e instanceof InvalidStateError);
});

test('messages before a bad frame in the same chunk are delivered, then the connection fails', () => {
  const { s, c } = openPair();
  c.send('one');
  c.send('two');
  const good = drain(c);
  // An unmasked frame from a client (RFC 6455 §5.1): 1002.
  s.receive(concat(good, Uint8Array.of(0x81, 0x01, 0x41)));
  assert.not.ok(s.shouldCloseTransport, 'the failing Close waits until the events before it were taken');
  const events = s.takeEvents();
  assert.equal(brief(events), ['text:one', 'text:two', 'close:1002::unclean:client-frame-unmasked']);
  // They can still be answered: the answers go out before the failing Close.
  s.send(events[0].data);
  const out = s.takeOutput();
  assert.is(out.length, 2);
  assert.is(decodeFrame(out[0]).opcode, 1);
  assert.ok(s.shouldCloseTransport);
  assert.not.ok(s.writable);
  const close = decodeFrame(out[1]);
  assert.is(close.opcode, 8);
  assert.is((close.payload[0] << 8) | close.payload[1], 1002);
  assert.is(new TextDecoder().decode(close.payload.subarray(2)), 'client-frame-unmasked');
});

test.run();
