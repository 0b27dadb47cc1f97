// The closing handshake (RFC 6455 §7): either side starts it, the code is
// echoed (an empty Close for none, reported as 1005), the server closes the
// transport first and the client waits for it (§7.1.1), a transport that ends
// without a Close is 1006, failures send their code, and nothing is delivered
// after a Close.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeFrame, encodeFrame } from '../../dist/index.js';
import { concat } from '../_util.mjs';
import { KEY } from '../_frames.mjs';
import { brief, drain, framesOf, openPair, pump } from './_pair.mjs';

const test = suite('connection close');

/** The code and reason of the Close frame in `bytes`. */
function closeOf(bytes) {
  const f = decodeFrame(bytes);
  assert.is(f.opcode, 8);
  return f.payload.length === 0 ? [] : [(f.payload[0] << 8) | f.payload[1], new TextDecoder().decode(f.payload.subarray(2))];
}

test('the client closes: the server echoes and closes the transport; the client then waits for it', () => {
  const { s, c } = openPair();
  c.close(4000, 'bye');
  assert.is(c.state, 'closing');
  assert.is(c.deadline, 'close');
  pump(c, s);
  assert.equal(brief(s.takeEvents()), ['close:4000:bye:clean']);
  assert.is(s.state, 'closing', 'the answer waits for the next takeOutput');
  assert.not.ok(s.shouldCloseTransport);
  const echo = drain(s);
  assert.is(s.state, 'closed');
  assert.ok(s.shouldCloseTransport);
  assert.equal(closeOf(echo), [4000, 'bye']);
  c.receive(echo);
  assert.equal(brief(c.takeEvents()), ['close:4000:bye:clean']);
  assert.is(c.state, 'closed');
  assert.not.ok(c.shouldCloseTransport, 'a client waits for the server to close TCP');
  assert.is(c.deadline, 'close');
  c.receiveEnd();
  assert.ok(c.shouldCloseTransport);
  assert.equal(c.takeEvents(), []);
  assert.is(c.deadline, null);
});

test('the server closes: the client echoes; the server closes the transport when the echo arrives', () => {
  const { s, c } = openPair();
  s.close(1001);
  pump(s, c);
  assert.equal(brief(c.takeEvents()), ['close:1001::clean']);
  assert.not.ok(s.shouldCloseTransport);
  pump(c, s);
  assert.equal(brief(s.takeEvents()), ['close:1001::clean']);
  assert.ok(s.shouldCloseTransport);
});

test('messages that came before the peer\'s Close can still be answered, before the answering Close', () => {
  const { s, c } = openPair();
  c.send('one');
  c.send('two');
  c.close(1000);
  pump(c, s);
  const events = s.takeEvents();
  assert.equal(brief(events), ['text:one', 'text:two', 'close:1000::clean']);
  assert.ok(s.writable);
  for (const e of events) if (e.type === 'message') s.send(e.data);
  const out = s.takeOutput();
  assert.equal(framesOf(out).map((f) => f.opcode), [1, 1, 8], 'the echoes, then the Close');
  assert.not.ok(s.writable);
  assert.throws(() => s.send('late'), (e) => e.name === 'InvalidStateError');
  c.receive(concat(...out));
  assert.equal(brief(c.takeEvents()), ['text:one', 'text:two', 'close:1000::clean']);
});

test('a Close with no code is answered with an empty Close and reported as 1005', () => {
  const { s, c } = openPair();
  c.close();
  pump(c, s);
  assert.equal(brief(s.takeEvents()), ['close:1005::clean']);
  assert.equal(closeOf(drain(s)), []);
});

test('nothing after a Close is delivered, in its chunk or later', () => {
  const { s } = openPair();
  s.receive(concat(encodeFrame(8, new Uint8Array([3, 232]), { mask: KEY }), encodeFrame(1, 'after', { mask: KEY })));
  s.receive(encodeFrame(1, 'later', { mask: KEY }));
  assert.equal(brief(s.takeEvents()), ['close:1000::clean']);
});

test('messages keep arriving while our Close waits for the answer; no Pong is sent after our Close', () => {
  const { s, c } = openPair();
  s.close(1000);
  drain(s);
  c.send('still');
  c.ping();
  pump(c, s);
  assert.equal(brief(s.takeEvents()), ['text:still', 'ping:0']);
  assert.is(drain(s).length, 0);
});

test('a transport that ends before a Close is 1006, in every state', () => {
  for (const at of ['open', 'closing']) {
    const { s } = openPair();
    if (at === 'closing') { s.close(); drain(s); }
    s.receive(encodeFrame(2, new Uint8Array(10), { mask: KEY }).subarray(0, 8)); // half a message
    s.receiveEnd();
    assert.equal(brief(s.takeEvents()), ['close:1006::unclean']);
    assert.ok(s.shouldCloseTransport);
    assert.is(drain(s).length, 0, '1006 is never sent (RFC 6455 §7.4.1)');
  }
});

test('failures close with their code: 1002, 1007, 1009', () => {
  for (const [bytes, code, rule, options] of [
    [Uint8Array.of(0xc1, 0x80, 1, 2, 3, 4), 1002, 'rsv-without-extension'],
    [encodeFrame(1, new Uint8Array([0xff]), { mask: KEY }), 1007, 'invalid-utf8'],
    [encodeFrame(2, new Uint8Array(11), { mask: KEY }), 1009, 'message-too-big', { maxMessageSize: 10 }],
    [encodeFrame(8, new Uint8Array([3, 237]), { mask: KEY }), 1002, 'invalid-close-code'],
  ]) {
    const { s } = openPair({ server: options });
    s.receive(bytes);
    const [ev] = s.takeEvents();
    assert.is(ev.code, code, rule);
    assert.is(ev.wasClean, false);
    assert.is(ev.error.rule, rule);
    assert.equal(closeOf(drain(s)), [code, rule]);
    assert.ok(s.shouldCloseTransport);
  }
});

test('close validates its arguments; closing twice does nothing; before open it drops the connection', () => {
  const { c } = openPair();
  assert.throws(() => c.close(1005), (e) => e instanceof RangeError);
  assert.throws(() => c.close(1006), (e) => e instanceof RangeError);
  assert.throws(() => c.close(999), (e) => e instanceof RangeError);
  assert.throws(() => c.close('1000'), (e) => e instanceof TypeError);
  assert.throws(() => c.close(undefined, 'why'), (e) => e instanceof TypeError);
  assert.throws(() => c.close(1000, 'x'.repeat(124)), (e) => e instanceof RangeError);
  assert.is(c.state, 'open');
  c.close(1000);
  c.close(1000);
  assert.is(c.takeOutput().length, 1);
  const { ClientConnection } = c.constructor === undefined ? {} : { ClientConnection: c.constructor };
  const early = new ClientConnection('ws://x/');
  early.close();
  assert.equal(brief(early.takeEvents()), ['close:1006::unclean']);
  assert.ok(early.shouldCloseTransport);
});

test('abort ends the connection at once with 1006 and the error', () => {
  const { s } = openPair();
  const why = new Error('close timeout');
  s.abort(why);
  const [ev] = s.takeEvents();
  assert.is(ev.code, 1006);
  assert.is(ev.error, why);
  s.abort();
  assert.equal(s.takeEvents(), []);
});

test.run();
