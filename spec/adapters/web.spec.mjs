// websocket-server/web (lib/adapters/web.ts) over in-memory WHATWG stream
// pairs: both roles, a pipelined frame after the head, a peer that vanishes
// mid-message (1006), the close, handshake and heartbeat timeouts, a peer
// that stops reading (bufferedAmount grows, reading pauses, memory stays
// bounded, drain after resume), masked frames to the client (1002), each
// wrong 101 (1006 with the HandshakeError's rule), the stream's close() and
// closeWrite(), and argument errors. Every case runs over a plain stream
// pair (Node's Duplex.toWeb kind: chunks handed out), over byte streams
// (workerd's kind: BYOB reads into the adapter's buffer) and over a pair
// with a read(buffer) method (Deno.Conn's, which the adapter prefers).
// Portable (no node: modules), though it runs in Node (spec/adapters/ is a
// Node stage); the real sockets and the interop with ws are in
// spec/adapters/web-sockets.spec.mjs, Deno's in deno.mjs, workerd's in workerd.mjs.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { MessageReader, buildUpgradeRequest, buildUpgradeResponse, computeAcceptKey, encodeFrame, parseUpgradeRequest } from '../../dist/index.js';
import { acceptWebSocket, connectWebSocket } from '../../dist/web.js';
import { concat, utf8 } from '../_util.mjs';
import { record } from './_record.mjs';

const test = suite('web adapter');
const DEC = new TextDecoder();
const HIGH_WATER = 1024 * 1024; // the adapter's, lib/adapters/web.ts
const CLIENT_KEY = new Uint8Array([1, 2, 3, 4]);

/** Waits until `fn()` is truthy; fails after `ms` (a guard against a hang, not a timing check). */
async function until(fn, what, ms = 10000) {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`Timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/**
 * One direction of an in-memory pipe: what is written to `writable` comes out
 * of `readable`, at most `capacity` bytes held unread (then writes wait).
 * `bytes`: a byte stream (BYOB reads), as Deno's and workerd's sockets are.
 */
function channel(bytes, capacity) {
  let ctl;
  let wake = null;
  let gone = false;
  const poke = () => { const w = wake; wake = null; if (w) w(); };
  const readable = new ReadableStream({
    type: bytes ? 'bytes' : undefined,
    start(c) { ctl = c; },
    pull: poke,
    cancel() { gone = true; poke(); },
  }, bytes ? { highWaterMark: capacity } : { highWaterMark: capacity, size: (c) => c.byteLength });
  const writable = new WritableStream({
    async write(chunk) {
      if (gone) throw new Error('The reading side is gone');
      ctl.enqueue(chunk.slice()); // a byte stream takes the buffer it is given: the writer's stays its own
      while (ctl.desiredSize <= 0 && !gone) await new Promise((r) => { wake = r; });
    },
    // A byte source answers a pending BYOB read with 0 bytes at its end (as Deno's does): close() alone leaves it waiting.
    close() { if (!gone) { ctl.close(); ctl.byobRequest?.respond(0); } },
    abort(e) { if (!gone) ctl.error(e); },
  });
  return { readable, writable };
}

/**
 * A connected pair: `side` for the adapter (with close() counted, and
 * closeWrite() if asked), `peer` for the other end. `read`: the side reads
 * with a read(buffer) method as a Deno.Conn does (its readable left unused).
 */
function pipe({ bytes = false, read = false, capacity = 64 * 1024, halfClose = false } = {}) {
  const up = channel(bytes, capacity), down = channel(bytes, capacity);
  const calls = { close: 0, closeWrite: 0 };
  const side = { readable: up.readable, writable: down.writable, close() { calls.close++; } };
  if (read) {
    const reader = up.readable.getReader();
    let rest = new Uint8Array(0);
    side.readable = new ReadableStream();
    side.read = async (buffer) => {
      if (rest.length === 0) {
        const r = await reader.read();
        if (r.done) return null;
        rest = r.value;
      }
      const n = Math.min(buffer.length, rest.length);
      buffer.set(rest.subarray(0, n));
      rest = rest.subarray(n);
      return n;
    };
    // As Deno.Conn.close() does, closing ends a pending read.
    side.close = () => { calls.close++; reader.cancel().catch(() => {}); };
  }
  if (halfClose) {
    // Deno.Conn's shape: closeWrite() ends the sending side (a FIN) while the writable stays open.
    const w = down.writable.getWriter();
    side.writable = new WritableStream({ write: (c) => w.write(c), abort: (e) => w.abort(e) });
    side.closeWrite = async () => { calls.closeWrite++; await w.close(); };
  }
  return { side, peer: { readable: down.readable, writable: up.writable }, calls };
}

/** The raw other end: reads everything into `bytes` (unless paused), writes what it is told. */
class Peer {
  constructor({ readable, writable }) {
    this.reader = readable.getReader();
    this.writer = writable.getWriter();
    this.writer.closed.catch(() => {});
    this.bytes = new Uint8Array(0);
    this.ended = false;
    this.paused = false;
    this.autoEnd = true;
    this._resume = null;
    this._loop();
  }

  async _loop() {
    try {
      for (;;) {
        if (this.paused) await new Promise((r) => { this._resume = r; });
        const { value, done } = await this.reader.read();
        if (done) {
          // As a TCP peer does by default (Node's allowHalfOpen: false): its end answers ours.
          if (this.autoEnd) this.end();
          break;
        }
        this.bytes = concat(this.bytes, value);
      }
    } catch {
      // the adapter dropped the stream
    }
    this.ended = true;
  }

  write(bytes) { return this.writer.write(typeof bytes === 'string' ? utf8(bytes) : bytes).catch(() => {}); }
  end() { return this.writer.close().catch(() => {}); }
  pause() { this.paused = true; }
  resume() { this.paused = false; const r = this._resume; this._resume = null; if (r) r(); }

  /** The HTTP head received, once whole, and the bytes after it. */
  head() {
    const text = DEC.decode(this.bytes);
    const at = text.indexOf('\r\n\r\n');
    return at < 0 ? null : { head: text.slice(0, at + 4), rest: this.bytes.subarray(utf8(text.slice(0, at + 4)).length) };
  }

  /** The frames after the head, read as `role` reads them (complete ones). */
  frames(role) {
    const h = this.head();
    return h === null ? [] : new MessageReader({ role, maxMessageSize: Infinity }).push(h.rest);
  }
}


/** A raw client's opening: the request (with `more` bytes after its head in the same write). */
function requestBytes(protocols, more = new Uint8Array(0)) {
  const { request } = buildUpgradeRequest('ws://example.test/room?x=1', protocols ? { protocols } : undefined);
  return concat(utf8(request), more);
}

const masked = (opcode, payload, fin = true) => encodeFrame(opcode, typeof payload === 'string' ? utf8(payload) : payload, { fin, mask: CLIENT_KEY });

for (const [kind, bytes, read] of [['plain streams', false, false], ['byte streams', true, false], ['read() (Deno.Conn\'s)', true, true]]) {

  test(`${kind}: our client and our server: subprotocol, url, text and binary echo, clean close, both streams released`, async () => {
    const { side, peer, calls } = pipe({ bytes, read });
    const server = acceptWebSocket(side, { protocols: ['b', 'c'] });
    server.binaryType = 'uint8array';
    server.onmessage = (e) => server.send(e.data);
    const s = record(server);
    const p = { ...peer, close() { calls.peerClose = (calls.peerClose ?? 0) + 1; } };
    const client = connectWebSocket(p, 'ws://example.test/chat?room=1', { protocols: ['a', 'b'] });
    client.binaryType = 'uint8array';
    const c = record(client);
    await until(() => c.events.includes('open'), 'the client opens');
    assert.is(client.protocol, 'b');
    assert.is(server.protocol, 'b');
    assert.is(server.url, '/chat?room=1');
    assert.is(client.url, 'ws://example.test/chat?room=1');
    const big = new Uint8Array(300 * 1024).map((_, i) => i * 7);
    const drains = c.drains;
    client.send('hello');
    client.send(big);
    client.send('');
    assert.ok(client.bufferedAmount > big.length, 'bufferedAmount counts what is not yet written');
    await until(() => c.messages.length === 3, 'three echoes');
    await until(() => c.drains > drains && client.bufferedAmount === 0, 'drain once all is written');
    assert.is(c.messages[0], 'hello');
    assert.equal(c.messages[1], big);
    assert.is(c.messages[2], '');
    client.close(1000, 'done');
    await until(() => c.close !== null && s.close !== null && calls.close === 1 && calls.peerClose === 1, 'both closed and released');
    assert.equal(c.close, { code: 1000, reason: 'done', wasClean: true });
    assert.equal(s.close, { code: 1000, reason: 'done', wasClean: true });
    assert.equal(s.events, ['open', 'message', 'message', 'message', 'close']);
    assert.is(client.readyState, 3);
  });

  test(`${kind}: a frame pipelined after the request head is kept`, async () => {
    const { side, peer } = pipe({ bytes, read });
    const server = acceptWebSocket(side);
    const s = record(server);
    const raw = new Peer(peer);
    await raw.write(requestBytes(undefined, concat(masked(0x1, 'early'), masked(0x9, 'p'))));
    await until(() => s.messages.length === 1, 'the early message');
    assert.is(s.messages[0], 'early');
    await until(() => raw.frames('client').length === 1, 'the pong');
    const [pong] = raw.frames('client');
    assert.is(pong.type, 'pong');
    assert.is(DEC.decode(pong.data), 'p');
    assert.ok(raw.head().head.startsWith('HTTP/1.1 101 '));
    server.terminate();
  });

  test(`${kind}: a peer that vanishes mid-message: error, close 1006, the stream released`, async () => {
    const { side, peer, calls } = pipe({ bytes, read });
    const server = acceptWebSocket(side);
    const s = record(server);
    const raw = new Peer(peer);
    await raw.write(requestBytes());
    await until(() => s.events.includes('open'), 'open');
    await raw.write(masked(0x2, new Uint8Array(1000)).subarray(0, 500));
    await raw.end();
    await until(() => s.close !== null && calls.close === 1, 'closed and released');
    assert.equal(s.close, { code: 1006, reason: '', wasClean: false });
    assert.equal(s.events, ['open', 'error', 'close']);
    assert.is(s.messages.length, 0);
    assert.is(server.readyState, 3);
  });

  test(`${kind}: a peer that never answers our Close is dropped after closeTimeout (1006)`, async () => {
    const { side, peer, calls } = pipe({ bytes, read });
    const server = acceptWebSocket(side, { closeTimeout: 30 });
    const s = record(server);
    const raw = new Peer(peer);
    server.onopen = () => server.close(1000, 'bye');
    await raw.write(requestBytes());
    await until(() => s.close !== null && calls.close === 1, 'dropped');
    assert.equal(s.close, { code: 1006, reason: '', wasClean: false });
    assert.match(s.error.message, /closing handshake/);
    const frames = raw.frames('client');
    assert.is(frames[0].type, 'close');
    assert.is(frames[0].code, 1000);
  });

  test(`${kind}: a peer that never finishes its head is dropped after handshakeTimeout (1006)`, async () => {
    const { side, peer, calls } = pipe({ bytes, read });
    const server = acceptWebSocket(side, { handshakeTimeout: 30 });
    const s = record(server);
    const raw = new Peer(peer);
    await raw.write('GET / HTTP/1.1\r\nHost: x\r\n');
    await until(() => s.close !== null && calls.close === 1, 'dropped');
    assert.equal(s.close, { code: 1006, reason: '', wasClean: false });
    assert.match(s.error.message, /opening handshake/);
    assert.equal(s.events, ['error', 'close']);
  });

  test(`${kind}: heartbeat: a peer that answers no Ping is dropped (1006); one that does stays open`, async () => {
    // Our client answers pings by itself: several pings, still open.
    const a = pipe({ bytes, read });
    const server = acceptWebSocket(a.side, { heartbeat: { interval: 10, timeout: 200 } });
    const client = connectWebSocket(a.peer, 'ws://x/');
    const c = record(client);
    const s = record(server);
    await until(() => c.pings >= 3, 'three pings answered');
    assert.is(server.readyState, 1);
    assert.is(s.close, null);
    client.close();
    await until(() => s.close !== null, 'closed');
    assert.is(s.close.code, 1005);
    // A raw peer reads the pings and answers none.
    const b = pipe({ bytes, read });
    const dropped = acceptWebSocket(b.side, { heartbeat: { interval: 10, timeout: 10 } });
    const d = record(dropped);
    const raw = new Peer(b.peer);
    await raw.write(requestBytes());
    await until(() => d.close !== null && b.calls.close === 1, 'dropped');
    assert.equal(d.close, { code: 1006, reason: '', wasClean: false });
    assert.match(d.error.message, /No pong/);
    assert.ok(raw.frames('client').some((f) => f.type === 'ping'), 'pings were sent');
  });

  test(`${kind}: a peer that stops reading: bufferedAmount grows, reading pauses (memory bounded), drain and every echo after it resumes`, async () => {
    const { side, peer } = pipe({ bytes, read });
    const server = acceptWebSocket(side);
    server.binaryType = 'uint8array';
    server.onmessage = (e) => server.send(e.data);
    const s = record(server);
    const raw = new Peer(peer);
    await raw.write(requestBytes());
    await until(() => raw.head() !== null, 'the 101');
    raw.pause();
    const SIZE = 60 * 1024, COUNT = 64; // 3.75 MiB sent, far over what can be held
    let accepted = 0, most = 0;
    const writes = [];
    for (let i = 0; i < COUNT; i++) writes.push(raw.writer.write(masked(0x2, new Uint8Array(SIZE).fill(i))).then(() => { accepted++; }, () => {}));
    // The server writes until its unacknowledged bytes pass the high-water mark, then stops reading.
    await until(() => { most = Math.max(most, server.bufferedAmount); return server.bufferedAmount > HIGH_WATER; }, 'bufferedAmount over the high-water mark');
    let last = -1, still = 0;
    await until(() => {
      most = Math.max(most, server.bufferedAmount);
      still = accepted === last ? still + 1 : 0;
      last = accepted;
      return still >= 50;
    }, 'the peer\'s writes stall');
    // Bounded: what was accepted is the pipe's capacity, the high-water mark and one read's echoes, not all of it.
    assert.ok(accepted < COUNT / 2, `only part of the flood was read (${accepted} of ${COUNT})`);
    assert.ok(most < HIGH_WATER + 4 * SIZE + 64 * 1024, `bufferedAmount stayed bounded (${most})`);
    assert.ok(server.bufferedAmount > 0);
    const drains = s.drains;
    raw.resume();
    await Promise.all(writes);
    await until(() => raw.frames('client').length === COUNT, 'every echo');
    const frames = raw.frames('client');
    for (let i = 0; i < COUNT; i++) assert.ok(frames[i].data.length === SIZE && frames[i].data[0] === i && frames[i].data[SIZE - 1] === i, `echo ${i} in order`);
    await until(() => s.drains > drains && server.bufferedAmount === 0, 'drain');
    server.terminate();
  });

  test(`${kind}: a masked frame from the server fails our client with 1002`, async () => {
    const { side, peer } = pipe({ bytes, read });
    const client = connectWebSocket(side, 'ws://example.test/');
    const c = record(client);
    const raw = new Peer(peer);
    await until(() => raw.head() !== null, 'the request');
    const req = parseUpgradeRequest(raw.head().head);
    raw.bytes = new Uint8Array(0);
    await raw.write(concat(utf8(buildUpgradeResponse(req.key)), encodeFrame(0x1, utf8('masked'), { mask: CLIENT_KEY })));
    await until(() => c.close !== null, 'closed');
    assert.is(c.close.code, 1002);
    assert.is(c.close.wasClean, false);
    assert.is(c.error.rule, 'server-frame-masked');
    assert.equal(c.messages, []);
    // What the client sent after its request: one masked Close 1002.
    await until(() => new MessageReader({ role: 'server' }).push(raw.bytes).length === 1, 'its Close');
    const [close] = new MessageReader({ role: 'server' }).push(raw.bytes);
    assert.is(close.type, 'close');
    assert.is(close.code, 1002);
  });

  const WRONG = [
    ['status-not-101', () => 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'],
    ['upgrade-not-websocket', (key) => buildUpgradeResponse(key).replace('Upgrade: websocket', 'Upgrade: h2c')],
    ['connection-not-upgrade', (key) => buildUpgradeResponse(key).replace('Connection: Upgrade', 'Connection: keep-alive')],
    ['accept-mismatch', () => buildUpgradeResponse('AAAAAAAAAAAAAAAAAAAAAA==')],
    ['protocol-not-offered', (key) => buildUpgradeResponse(key, { protocol: 'z' })],
    ['extension-not-offered', (key) => buildUpgradeResponse(key).replace('\r\n\r\n', '\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n')],
  ];
  for (const [rule, response] of WRONG) {
    test(`${kind}: a wrong 101 (${rule}): error with the HandshakeError, close 1006, nothing sent`, async () => {
      const { side, peer, calls } = pipe({ bytes, read });
      const client = connectWebSocket(side, 'ws://example.test/', { protocols: ['a'] });
      const c = record(client);
      const raw = new Peer(peer);
      await until(() => raw.head() !== null, 'the request');
      const req = parseUpgradeRequest(raw.head().head);
      assert.is(computeAcceptKey(req.key).length, 28);
      raw.bytes = new Uint8Array(0);
      await raw.write(response(req.key));
      await until(() => c.close !== null && calls.close === 1, 'closed and released');
      assert.equal(c.close, { code: 1006, reason: '', wasClean: false });
      assert.equal(c.events, ['error', 'close']);
      assert.is(c.error.name, 'HandshakeError');
      assert.is(c.error.rule, rule);
      assert.is(raw.bytes.length, 0, 'nothing sent after the request');
    });
  }

  test(`${kind}: a stream with closeWrite (Deno.Conn's shape): the server half-closes, then close() once the peer's end came`, async () => {
    const { side, peer, calls } = pipe({ bytes, read, halfClose: true });
    const server = acceptWebSocket(side);
    const s = record(server);
    const raw = new Peer(peer);
    raw.autoEnd = false;
    await raw.write(requestBytes());
    await until(() => s.events.includes('open'), 'open');
    await raw.write(masked(0x8, concat(new Uint8Array([0x03, 0xe8]), utf8('bye'))));
    await until(() => raw.ended, 'the server\'s end (FIN)');
    assert.is(calls.closeWrite, 1);
    assert.is(calls.close, 0, 'the socket is kept until the peer ends too');
    assert.equal(s.close, { code: 1000, reason: 'bye', wasClean: true });
    await raw.end();
    await until(() => calls.close === 1, 'released');
  });
}

test('autoPong: a Ping answered after the replies to the messages before it, before those after it; with autoPong: false, by the application', async () => {
  for (const autoPong of [true, false]) {
    const { side, peer } = pipe();
    const server = acceptWebSocket(side, autoPong ? undefined : { autoPong });
    server.onmessage = (e) => server.send(`echo ${e.data}`);
    const pings = [];
    server.addEventListener('ping', (e) => { pings.push(DEC.decode(e.data)); if (!autoPong) server.pong('mine'); });
    const raw = new Peer(peer);
    await raw.write(requestBytes(undefined, concat(masked(0x1, 'a'), masked(0x9, 'p'), masked(0x1, 'b'))));
    await until(() => raw.frames('client').length === 3, 'three frames');
    const frames = raw.frames('client').map((f) => `${f.type}:${typeof f.data === 'string' ? f.data : DEC.decode(f.data)}`);
    assert.equal(frames, ['text:echo a', `pong:${autoPong ? 'p' : 'mine'}`, 'text:echo b'], `autoPong ${autoPong}`);
    assert.equal(pings, ['p']);
    server.terminate();
  }
  assert.throws(() => acceptWebSocket(pipe().side, { autoPong: 'yes' }), (e) => e instanceof TypeError && /autoPong/.test(e.message));
});

test('on-handlers run once per event, beside listeners, and can be replaced or cleared (workerd also calls on<type> by itself)', async () => {
  const { side, peer } = pipe();
  const server = acceptWebSocket(side);
  server.onmessage = (e) => server.send(e.data);
  const client = connectWebSocket(peer, 'ws://x/');
  const seen = { first: 0, second: 0, listener: 0, opens: 0 };
  client.onopen = () => { seen.opens++; client.send('1'); };
  client.onmessage = () => { seen.first++; client.onmessage = () => { seen.second++; client.onmessage = null; client.send('3'); }; client.send('2'); };
  client.addEventListener('message', () => { seen.listener++; if (seen.listener === 3) client.close(); });
  const closed = new Promise((r) => { client.onclose = r; });
  await closed;
  assert.equal(seen, { first: 1, second: 1, listener: 3, opens: 1 });
  assert.is(client.onmessage, null);
  assert.is(typeof client.onclose, 'function');
});

test('a write that fails: error and close 1006, never an unhandled rejection', async () => {
  const up = channel(false, 1024);
  let closed = 0;
  const side = {
    readable: up.readable,
    writable: new WritableStream({ write() { throw new Error('EPIPE'); } }),
    close() { closed++; },
  };
  const client = connectWebSocket(side, 'ws://example.test/');
  const c = record(client);
  await until(() => c.close !== null && closed === 1, 'closed');
  assert.equal(c.close, { code: 1006, reason: '', wasClean: false });
  assert.is(c.error.message, 'EPIPE');
});

test('a read that fails: error and close 1006', async () => {
  let closed = 0;
  const side = {
    readable: new ReadableStream({ pull(c) { c.error(new Error('ECONNRESET')); } }),
    writable: new WritableStream(),
    close() { closed++; },
  };
  const server = acceptWebSocket(side);
  const s = record(server);
  await until(() => s.close !== null && closed === 1, 'closed');
  assert.equal(s.close, { code: 1006, reason: '', wasClean: false });
  assert.is(s.error.message, 'ECONNRESET');
});

test('arguments: a stream pair, unlocked; options known and in range', () => {
  const fresh = () => pipe().side;
  for (const bad of [undefined, null, 1, {}, { readable: {}, writable: {} }, new ReadableStream()]) {
    assert.throws(() => acceptWebSocket(bad), (e) => e instanceof TypeError && /stream pair/.test(e.message), String(bad));
    assert.throws(() => connectWebSocket(bad, 'ws://x/'), (e) => e instanceof TypeError && /stream pair/.test(e.message), String(bad));
  }
  const locked = fresh();
  locked.readable.getReader();
  assert.throws(() => acceptWebSocket(locked), (e) => e instanceof TypeError && /readable is locked/.test(e.message));
  assert.throws(() => acceptWebSocket(fresh(), { protocol: ['a'] }), (e) => e instanceof TypeError && /protocol/.test(e.message));
  assert.throws(() => acceptWebSocket(fresh(), { protocols: 'a' }), TypeError);
  assert.throws(() => acceptWebSocket(fresh(), { closeTimeout: 0 }), RangeError);
  assert.throws(() => connectWebSocket(fresh(), 'ws://x/', { heartbeat: { interval: 10 } }), TypeError);
  assert.throws(() => connectWebSocket(fresh(), 'ftp://x/'), TypeError);
  assert.throws(() => connectWebSocket(fresh(), 'ws://x/', { maxMessageSize: -1 }), RangeError);
  // A refusal leaves the stream unlocked, for another use.
  const s = fresh();
  assert.throws(() => acceptWebSocket(s, { bogus: 1 }), TypeError);
  assert.is(s.readable.locked, false);
  assert.is(s.writable.locked, false);
  // A client's protocols may be one string (the connection's offer).
  const ws = connectWebSocket(fresh(), 'ws://x/', { protocols: 'chat' });
  assert.is(ws.readyState, 0);
  ws.terminate();
});

test.run();
