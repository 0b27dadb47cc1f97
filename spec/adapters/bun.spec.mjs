// websocket-server/bun's handlers over a fake Bun socket: the write queue
// (Bun's write takes part of the bytes; the rest waits for drain), one write
// per batch, the order of FIN after the queue, pause and resume, errors, and
// the handlers' own checks. The adapter imports no Bun module, so this runs
// in Node (a stage of its own: spec/adapters/ holds no unit specs):
//   node node_modules/uvu/bin.js spec/adapters 'bun\.spec\.mjs$'
// spec/adapters/bun.mjs runs the adapter over real Bun sockets.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { bunClientHandlers, bunServerHandlers } from '../../dist/bun.js';
import { MessageReader, computeAcceptKey, encodeFrame } from '../../dist/index.js';
import { bytesEqual, concat, expectThrow, utf8 } from '../_util.mjs';

const test = suite('bun adapter');
const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';
const REQUEST = utf8(`GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${KEY}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
const masked = (opcode, payload) => encodeFrame(opcode, payload, { mask: true });

/**
 * A Bun socket stand-in: `write` takes at most `budget` bytes (Infinity:
 * all) and records what it took; the other calls are recorded by name.
 */
function fakeSocket() {
  const s = {
    data: undefined,
    budget: Infinity,
    writes: [], // { arg, took: a copy of what was taken }
    calls: [],
    write(bytes) {
      assert.ok(bytes instanceof Uint8Array, 'write takes a Uint8Array');
      if (s.calls.includes('end') || s.calls.includes('terminate')) return -1;
      const n = Math.min(bytes.length, s.budget);
      s.budget -= n;
      s.writes.push({ arg: bytes, took: bytes.slice(0, n) });
      s.calls.push('write');
      return n;
    },
    end() { s.calls.push('end'); },
    shutdown() { s.calls.push('shutdown'); },
    terminate() { s.calls.push('terminate'); },
    pause() { s.calls.push('pause'); },
    resume() { s.calls.push('resume'); },
    setNoDelay() {},
    /** Everything written so far, in one array. */
    written() { return concat(...s.writes.map((w) => w.took)); },
  };
  return s;
}

/** Server handlers with one connection opened and its handshake done; returns { h, s, ws, events, frames() }. */
function openServer(options = {}, setup = () => {}) {
  let ws;
  const h = bunServerHandlers({ ...options, onConnection(w) { ws = w; setup(w); } }).socket;
  const s = fakeSocket();
  h.open(s);
  const events = [];
  for (const t of ['open', 'message', 'error', 'close', 'drain']) ws.addEventListener(t, (e) => events.push(e));
  h.data(s, REQUEST);
  const head = new TextDecoder().decode(s.written());
  assert.ok(head.startsWith('HTTP/1.1 101 ') && head.includes(computeAcceptKey(KEY)), head);
  const headLength = s.written().length;
  /** The frames the server wrote after its 101. */
  const frames = () => new MessageReader({ role: 'client' }).push(s.written().subarray(headLength));
  return { h, s, ws, events, frames };
}

test('the 101 is one write; three frames read in one chunk are echoed in one write', () => {
  const { h, s, frames } = openServer({}, (ws) => { ws.onmessage = (e) => ws.send(e.data); });
  assert.is(s.writes.length, 1, 'the 101');
  h.data(s, concat(masked(1, 'a'), masked(1, 'bb'), masked(2, new Uint8Array([1, 2, 3]))));
  assert.is(s.writes.length, 2, 'one write for the three echoes');
  const m = frames();
  assert.equal(m.map((x) => x.type), ['text', 'text', 'binary']);
  assert.equal([m[0].data, m[1].data], ['a', 'bb']);
  bytesEqual(m[2].data, new Uint8Array([1, 2, 3]));
});

test('a payload from 64 KiB is written as it is, not copied', () => {
  const big = new Uint8Array(100_000).fill(7);
  const { s, ws } = openServer();
  ws.send(big);
  const last = s.writes.at(-1);
  assert.is(last.arg.buffer, big.buffer, 'the caller\'s bytes');
  assert.is(s.writes.length, 3, 'the 101, the header, the payload');
});

test('a partial write: the rest is queued and counted, written on drain in order, then a drain event', () => {
  const { h, s, ws, events, frames } = openServer();
  s.budget = 10;
  const sent = [];
  for (let i = 0; i < 5; i++) {
    const b = new Uint8Array(3000 + i).fill(i);
    sent.push(b);
    ws.send(b);
  }
  const total = sent.reduce((n, b) => n + 4 + b.length, 0);
  assert.is(ws.bufferedAmount, total - 10, 'bufferedAmount');
  assert.not.ok(events.some((e) => e.type === 'drain'), 'no drain yet');
  s.budget = 5000;
  h.drain(s);
  assert.is(ws.bufferedAmount, total - 5010, 'after a partial drain');
  s.budget = Infinity;
  h.drain(s);
  assert.is(ws.bufferedAmount, 0);
  assert.equal(events.filter((e) => e.type === 'drain').length, 1, 'one drain event');
  const m = frames();
  assert.is(m.length, 5);
  m.forEach((x, i) => bytesEqual(x.data, sent[i], `message ${i}`));
});

test('what Bun did not take of a coalesced batch is copied out (the scratch buffer is shared)', () => {
  const { h, s, frames } = openServer({}, (ws) => { ws.onmessage = (e) => ws.send(e.data); });
  s.budget = 3;
  h.data(s, concat(masked(1, 'one'), masked(1, 'two')));
  // Another connection's batch goes through the same scratch buffer.
  const other = openServer({}, (ws) => { ws.onmessage = (e) => ws.send(e.data); });
  other.h.data(other.s, concat(masked(1, 'XXX'), masked(1, 'YYY')));
  s.budget = Infinity;
  h.drain(s);
  assert.equal(frames().map((x) => x.data), ['one', 'two']);
});

test('over the high-water mark reading pauses; it resumes once the queue is written', () => {
  const { h, s, ws } = openServer();
  s.budget = 0;
  ws.send(new Uint8Array(70_000));
  assert.ok(s.calls.includes('pause'), s.calls.join());
  assert.not.ok(s.calls.includes('resume'));
  s.budget = Infinity;
  h.drain(s);
  assert.is(s.calls.at(-1), 'resume');
});

test('the closing handshake: the FIN (shutdown, still reading) only after the queue is written', () => {
  const { h, s, ws, events } = openServer();
  s.budget = 0;
  ws.send(new Uint8Array(5000));
  h.data(s, masked(8, new Uint8Array([0x03, 0xe8])));
  assert.is(events.at(-1).type, 'close');
  assert.is(events.at(-1).code, 1000);
  assert.not.ok(s.calls.includes('shutdown'), 'no FIN before the queue is written');
  s.budget = Infinity;
  h.drain(s);
  assert.is(s.calls.at(-1), 'shutdown');
  h.close(s);
  assert.is(ws.readyState, 3);
});

test("the peer's FIN: close 1006, then end() (both halves)", () => {
  const { h, s, ws, events } = openServer();
  h.end(s);
  assert.equal(events.map((e) => e.type), ['open', 'error', 'close']);
  assert.is(events.at(-1).code, 1006);
  assert.is(s.calls.at(-1), 'end');
  h.close(s);
  assert.is(ws.readyState, 3);
});

test('a socket error (a reset) is the error event\'s error; close 1006', () => {
  const { h, s, events } = openServer();
  const reset = new Error('ECONNRESET');
  h.close(s, reset);
  assert.equal(events.map((e) => e.type), ['open', 'error', 'close']);
  assert.is(events[1].error, reset);
  assert.is(events[2].code, 1006);
  assert.not.ok(s.calls.includes('terminate'), 'a closed socket is not terminated again');
});

test('a handler that threw (Bun calls error): the connection is dropped', () => {
  const { h, s, ws, events } = openServer();
  h.error(s, new Error('boom'));
  assert.ok(s.calls.includes('terminate'));
  assert.is(events.at(-1).code, 1006);
  assert.is(ws.readyState, 3);
});

test('terminate() drops the connection and its queue', () => {
  const { s, ws, events } = openServer();
  s.budget = 0;
  ws.send(new Uint8Array(1000));
  ws.terminate();
  assert.ok(s.calls.includes('terminate'));
  assert.is(ws.bufferedAmount, 0);
  assert.is(events.at(-1).code, 1006);
});

test('a socket the handlers did not open is ignored', () => {
  const h = bunServerHandlers({ onConnection() {} }).socket;
  const s = fakeSocket();
  h.data(s, REQUEST);
  h.drain(s);
  h.end(s);
  h.close(s);
  assert.is(s.writes.length, 0);
});

test('client: the request is written when the socket opens, in one write; a 101 opens', () => {
  const { socket: h, websocket: ws } = bunClientHandlers('ws://example.com/chat', { protocols: ['chat'], key: KEY });
  const events = [];
  for (const t of ['open', 'message', 'error', 'close']) ws.addEventListener(t, (e) => events.push(e));
  assert.is(ws.readyState, 0);
  assert.is(ws.url, 'ws://example.com/chat');
  const s = fakeSocket();
  h.open(s);
  assert.is(s.writes.length, 1);
  const request = new TextDecoder().decode(s.written());
  assert.ok(request.startsWith('GET /chat HTTP/1.1\r\n') && request.includes('Sec-WebSocket-Protocol: chat'), request);
  h.data(s, utf8(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${computeAcceptKey(KEY)}\r\nSec-WebSocket-Protocol: chat\r\n\r\n`));
  assert.equal(events.map((e) => e.type), ['open']);
  assert.is(ws.protocol, 'chat');
  ws.send('hi');
  const [m] = new MessageReader({ role: 'server' }).push(s.written().subarray(s.writes[0].took.length));
  assert.is(m.data, 'hi');
});

test('client: a failed connect is error and close 1006; a later open is refused', () => {
  const { socket: h, websocket: ws } = bunClientHandlers('ws://example.com/');
  const events = [];
  for (const t of ['error', 'close']) ws.addEventListener(t, (e) => events.push(e));
  const refused = new Error('ECONNREFUSED');
  h.connectError(fakeSocket(), refused);
  assert.equal(events.map((e) => e.type), ['error', 'close']);
  assert.is(events[0].error, refused);
  assert.is(events[1].code, 1006);
  const s = fakeSocket();
  h.open(s);
  assert.equal(s.calls, ['terminate']);
});

test('options: checked when the handlers are made', () => {
  const on = () => {};
  expectThrow(() => bunServerHandlers(), TypeError);
  expectThrow(() => bunServerHandlers({ protocols: ['a'] }), TypeError);
  expectThrow(() => bunServerHandlers({ onConnection: on, maxMesageSize: 1 }), TypeError);
  expectThrow(() => bunServerHandlers({ onConnection: on, unmaskInPlace: false }), TypeError);
  expectThrow(() => bunServerHandlers({ onConnection: on, handshakeTimeout: 0 }), RangeError);
  expectThrow(() => bunServerHandlers({ onConnection: on, heartbeat: { interval: 1, timeout: 1, x: 1 } }), TypeError);
  expectThrow(() => bunClientHandlers('ws://x/', { unmaskInPlace: true }), TypeError);
  expectThrow(() => bunClientHandlers('ws://x/', { protocols: ['a'], closeTimeout: NaN }), RangeError);
  expectThrow(() => bunClientHandlers('ftp://x/'), TypeError);
  const h = bunServerHandlers({ onConnection: on }).socket;
  assert.is(h.binaryType, 'uint8array');
});

test.run();
