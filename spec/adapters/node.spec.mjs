// websocket-server/node over real loopback sockets (issue 14 §3, §5): both
// roles (acceptSocket, handleUpgrade on node:http, connectSocket; over TLS too), refusals,
// a frame pipelined after the head, faults (a peer that vanishes, one that
// never answers our Close, a slowloris head, no pong), backpressure, interop
// with `ws` both ways, a server that masks its frames, and each wrong 101.
// Timers are small so the specs are quick, but nothing here asserts a time:
// each waits for the event that must come. A Node stage of its own
// (spec/adapters/ holds no unit specs), on dist/node.js as build.mjs makes it:
//   node node_modules/uvu/bin.js spec/adapters '^node\.spec\.mjs$'
import { spawn } from 'node:child_process';
import { inspect } from 'node:util';
import { existsSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { connect, createServer } from 'node:net';
import { connect as connectTls, createServer as createTlsServer } from 'node:tls';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import WebSocket, { WebSocketServer } from 'ws';
import {
  HandshakeError, MessageReader, ProtocolError, broadcastEncode, computeAcceptKey, encodeCloseFrame, encodeFrame, encodePingFrame,
  encodeTextFrame, parseUpgradeResponse,
} from '../../dist/index.js';
import { acceptSocket, connectSocket, handleUpgrade } from '../../dist/node.js';
import { ROOT, startServer, stopServer } from '../conformance/_server.mjs';

// Real timers, saved before any spec replaces the global ones (see trackTimers).
const { setTimeout: later, clearTimeout: unlater } = globalThis;
const sleep = (ms) => new Promise((resolve) => later(resolve, ms));
const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';
const ENC = new TextEncoder();

/** Resolves with the first `type` event of an EventTarget or EventEmitter (and its listener's argument). */
function once(target, type) {
  return new Promise((resolve) => {
    if (typeof target.once === 'function') target.once(type, (...args) => resolve(args.length > 1 ? args : args[0]));
    else target.addEventListener(type, resolve, { once: true });
  });
}

/** Every event of `types` on a WebSocketLike, in order, as `[type, detail]`. */
function record(ws, types = ['open', 'message', 'error', 'close']) {
  const seen = [];
  for (const type of types) {
    ws.addEventListener(type, (e) => {
      seen.push([type, type === 'message' ? e.data : type === 'close' ? { code: e.code, reason: e.reason, wasClean: e.wasClean } : type === 'error' ? e.error : undefined]);
    });
  }
  return seen;
}

/** A net.Server on a free loopback port; `onSocket(socket)` for each connection. */
async function listen(onSocket) {
  const server = createServer(onSocket);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: server.address().port, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** A node:http server on a free loopback port whose `upgrade` event calls `onUpgrade`. */
async function listenHttp(onUpgrade) {
  const server = createHttpServer((req, res) => res.writeHead(404).end());
  server.on('upgrade', onUpgrade);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: server.address().port, close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }) };
}

/** A client's request head, with `extra` header lines. */
const requestHead = (port, { version = '13', extra = '' } = {}) =>
  `GET /chat HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${KEY}\r\nSec-WebSocket-Version: ${version}\r\n${extra}\r\n`;

/**
 * A peer that speaks raw bytes: it collects what it reads, parses a response
 * head and then frames (as a client: `MessageReader` role 'client'), and
 * writes whatever it is told.
 */
class Raw {
  constructor(socket, role = 'client') {
    this.socket = socket;
    this.role = role;
    this.bytes = new Uint8Array(0);
    this.ended = false;
    this.closed = new Promise((resolve) => socket.once('close', resolve));
    this._wake = [];
    socket.on('data', (d) => {
      const b = new Uint8Array(this.bytes.length + d.length);
      b.set(this.bytes);
      b.set(d, this.bytes.length);
      this.bytes = b;
      this._notify();
    });
    socket.on('end', () => { this.ended = true; this._notify(); });
    socket.on('close', () => { this.ended = true; this._notify(); });
    socket.on('error', () => {});
  }

  static async connect(port) {
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    return new Raw(socket);
  }

  _notify() {
    for (const f of this._wake.splice(0)) f();
  }

  /** Waits until `ready()` is true or the socket ended; returns ready()'s last value. */
  async until(ready) {
    for (;;) {
      const v = ready();
      if (v || this.ended) return v;
      await new Promise((resolve) => this._wake.push(resolve));
    }
  }

  write(data) {
    return new Promise((resolve) => this.socket.write(typeof data === 'string' ? ENC.encode(data) : data, resolve));
  }

  /** The response head, once whole, and the frames read after it so far. */
  async response() {
    await this.until(() => parseUpgradeResponse(this.bytes) !== null);
    return parseUpgradeResponse(this.bytes);
  }

  /** The messages (and control frames) after the head, once `n` arrived or the socket ended. */
  async messages(n) {
    const read = () => {
      const res = parseUpgradeResponse(this.bytes);
      if (res === null) return [];
      try {
        return new MessageReader({ role: this.role }).push(this.bytes.subarray(res.headLength));
      } catch (e) {
        return e.messages;
      }
    };
    await this.until(() => read().length >= n);
    return read();
  }
}

const masked = { mask: true };
/** Whether this is Linux with glibc (whose heap trimming the Node adapter's allocator hint is about) and /proc. */
const GLIBC = process.platform === 'linux' && existsSync('/proc/self/stat') && Boolean(process.report?.getReport().header.glibcVersionRuntime);

// ---------------------------------------------------------------------------
const roles = suite('node adapter: both roles over loopback');

roles('acceptSocket and connectSocket: protocol selected, text and binary (small and large) echoed, a clean close on both sides', async () => {
  const served = [];
  const { port, close } = await listen((socket) => {
    const ws = acceptSocket(socket, { protocols: ['b', 'a'] });
    ws.binaryType = 'uint8array';
    served.push(record(ws));
    ws.onmessage = (e) => ws.send(e.data);
  });
  const socket = connect(port, '127.0.0.1');
  assert.ok(socket.connecting, 'the socket is still connecting when connectSocket gets it');
  const ws = connectSocket(socket, `ws://127.0.0.1:${port}/path?q=1`, { protocols: ['a', 'b'] });
  ws.binaryType = 'uint8array';
  const seen = record(ws);
  assert.is(ws.readyState, 0);
  await once(ws, 'open');
  assert.is(ws.protocol, 'b', "the server's first choice among those offered (selectProtocol)");
  const big = new Uint8Array(1 << 20).map((_, i) => i * 7);
  ws.send('hello');
  ws.send(new Uint8Array([1, 2, 3]));
  ws.send(big);
  await new Promise((resolve) => ws.addEventListener('message', () => seen.filter(([t]) => t === 'message').length === 3 && resolve()));
  ws.close(1000, 'done');
  const closed = await once(ws, 'close');
  assert.equal([closed.code, closed.reason, closed.wasClean], [1000, 'done', true]);
  const messages = seen.filter(([t]) => t === 'message').map(([, d]) => d);
  assert.is(messages[0], 'hello');
  assert.equal([...messages[1]], [1, 2, 3]);
  assert.ok(messages[2].length === big.length && messages[2].every((b, i) => b === big[i]), 'the 1 MiB message echoed intact');
  await sleep(0);
  assert.equal(served[0].map(([t]) => t), ['open', 'message', 'message', 'message', 'close']);
  assert.equal(served[0].at(-1)[1], { code: 1000, reason: 'done', wasClean: true });
  assert.is(ws.readyState, 3);
  await close();
});

roles('binaryType arraybuffer (the default), both roles: each message exactly its own bytes, though it arrived as a view into a socket chunk with others', async () => {
  const sizes = [5, 200, 16384, 1, 70000];
  const payloads = sizes.map((n, k) => new Uint8Array(n).map((_, i) => (i * 13 + k) & 255));
  const got = [];
  const { port, close } = await listen((socket) => {
    const ws = acceptSocket(socket);
    ws.onmessage = (e) => {
      got.push(e.data);
      ws.send(e.data);
    };
  });
  // Our client, default binaryType too, over one write of every frame after the head.
  const raw = await Raw.connect(port);
  await raw.write(Uint8Array.from([...ENC.encode(requestHead(port)), ...payloads.flatMap((p) => [...encodeFrame(2, p, masked)])]));
  const echoes = await raw.messages(sizes.length);
  assert.equal(got.map((d) => [d instanceof ArrayBuffer, d.byteLength]), sizes.map((n) => [true, n]), 'the server saw ArrayBuffers of exactly each size');
  got.forEach((d, k) => assert.ok(new Uint8Array(d).every((b, i) => b === payloads[k][i]), `message ${k}'s bytes`));
  assert.equal(echoes.map((m) => m.data.length), sizes);
  echoes.forEach((m, k) => assert.ok(m.data.every((b, i) => b === payloads[k][i]), `echo ${k}'s bytes`));
  raw.socket.destroy();
  const seen = [];
  const { port: port2, close: close2 } = await listen((socket) => {
    const server = acceptSocket(socket);
    server.onopen = () => { for (const p of payloads) server.send(p); };
  });
  const client = connectSocket(connect(port2, '127.0.0.1'), `ws://127.0.0.1:${port2}/`);
  client.onmessage = (e) => seen.push(e.data);
  await new Promise((resolve) => client.addEventListener('message', () => seen.length === sizes.length && resolve()));
  assert.equal(seen.map((d) => [d instanceof ArrayBuffer, d.byteLength]), sizes.map((n) => [true, n]), 'the client saw ArrayBuffers of exactly each size');
  seen.forEach((d, k) => assert.ok(new Uint8Array(d).every((b, i) => b === payloads[k][i]), `client message ${k}'s bytes`));
  client.close();
  await once(client, 'close');
  await close();
  await close2();
});

roles('a message event is a MessageEvent to every check: each member of Event and MessageEvent answers as a real one does (Node\'s constructor is not run for it)', async () => {
  const seen = [];
  const { port, close } = await listen((socket) => {
    const ws = acceptSocket(socket);
    ws.addEventListener('message', (e) => {
      seen.push({
        during: { target: e.target === ws, currentTarget: e.currentTarget === ws, srcElement: e.srcElement === ws, eventPhase: e.eventPhase, path: e.composedPath().length === 1 && e.composedPath()[0] === ws },
        event: e,
      });
      e.stopImmediatePropagation();
    });
    ws.addEventListener('message', () => seen.push('not after stopImmediatePropagation'));
  });
  const before = performance.now();
  const raw = await Raw.connect(port);
  await raw.write(Uint8Array.from([...ENC.encode(requestHead(port)), ...encodeTextFrame('hi', masked), ...encodeTextFrame('again', masked)]));
  await raw.until(() => seen.length === 2);
  raw.socket.destroy();
  await close();
  assert.equal(seen.map((s) => s.during), [1, 2].map(() => ({ target: true, currentTarget: true, srcElement: true, eventPhase: 2, path: true })));
  const [q, q2] = seen.map((s) => s.event);
  const r = new MessageEvent('message', { data: 'hi' });
  assert.ok(q instanceof MessageEvent && q instanceof Event);
  assert.is(Object.prototype.toString.call(q), Object.prototype.toString.call(r));
  // Every member of the runtime's prototypes is answered by ours (a member Node adds would brand-check and throw).
  const own = Object.getPrototypeOf(q);
  for (const proto of [Event.prototype, MessageEvent.prototype]) {
    for (const key of Reflect.ownKeys(proto)) {
      if (key === 'constructor' || key === Symbol.toStringTag) continue;
      assert.ok(Object.getOwnPropertyDescriptor(own, key) !== undefined, `${String(key)} is answered by the event's own prototype`);
    }
  }
  const fields = (e) => ({
    type: e.type, data: e.data, origin: e.origin, lastEventId: e.lastEventId, source: e.source, ports: [...e.ports], bubbles: e.bubbles,
    cancelable: e.cancelable, composed: e.composed, isTrusted: e.isTrusted, defaultPrevented: e.defaultPrevented, returnValue: e.returnValue,
    eventPhase: e.eventPhase, currentTarget: e.currentTarget, path: e.composedPath(), timeStamp: typeof e.timeStamp,
  });
  // After the dispatch the event is as a fresh one is, for a target with no parent (DOM §2.9).
  assert.equal({ ...fields(q), cancelBubble: q.cancelBubble }, { ...fields(r), cancelBubble: true }, 'stopImmediatePropagation left cancelBubble set');
  assert.is(q2.data, 'again');
  assert.ok(q.timeStamp >= before && q.timeStamp <= performance.now() && q2.timeStamp >= q.timeStamp, 'timeStamp: when the chunk was read');
  // The same calls on both give the same answers. (Not preventDefault() on a non-cancelable event
  // and then initEvent() on it: Node remembers that call and cancels the event once it is made
  // cancelable, where DOM §2.2 ignores it; ours does as the DOM says.)
  for (const e of [q, r]) {
    e.preventDefault(); // not cancelable: nothing
    const set = (() => { try { e.returnValue = false; return 'set'; } catch (error) { return error.constructor.name; } })();
    assert.is(set, Object.getOwnPropertyDescriptor(Event.prototype, 'returnValue')?.set ? 'set' : 'TypeError');
  }
  assert.equal(fields(q), fields(r));
  const r2 = new MessageEvent('message', { data: 'again' });
  for (const e of [q2, r2]) e.initEvent('other', true, true);
  assert.equal(fields(q2), fields(r2));
  for (const e of [q2, r2]) e.preventDefault();
  assert.equal(fields(q2), fields(r2));
  assert.equal([q2.defaultPrevented, q2.returnValue], [true, false]);
  for (const e of [q2, r2]) e.cancelBubble = true;
  assert.equal([q2.cancelBubble, r2.cancelBubble], [true, true]);
  const shown = inspect(q);
  assert.match(shown, /MessageEvent/);
  assert.match(shown, /'hi'/);
});

roles('acceptSocket: a frame pipelined in the same write as the head is kept, and answered in order with a Ping after it', async () => {
  const { port, close } = await listen((socket) => {
    const ws = acceptSocket(socket);
    ws.onmessage = (e) => ws.send(e.data);
  });
  const raw = await Raw.connect(port);
  const head = ENC.encode(requestHead(port));
  const frames = [encodeTextFrame('first', masked), encodePingFrame('p', masked), encodeTextFrame('second', masked)];
  await raw.write(Uint8Array.from([...head, ...frames.flatMap((f) => [...f])]));
  const res = await raw.response();
  assert.is(res.status, 101);
  const got = await raw.messages(3);
  assert.equal(got.map((m) => [m.type, m.type === 'pong' ? new TextDecoder().decode(m.data) : m.data]), [['text', 'first'], ['pong', 'p'], ['text', 'second']]);
  raw.socket.destroy();
  await close();
});

roles('sendFrame: one broadcastEncode frame to many; a client, a masked frame or a part of a frame is refused', async () => {
  const sockets = [];
  const { port, close } = await listen((socket) => sockets.push(acceptSocket(socket)));
  const clients = [0, 1, 2].map(() => connectSocket(connect(port, '127.0.0.1'), `ws://127.0.0.1:${port}/`));
  await Promise.all(clients.map((ws) => once(ws, 'open')));
  while (sockets.filter((ws) => ws.readyState === 1).length < 3) await sleep(1);
  const frame = broadcastEncode('to all');
  const got = clients.map((ws) => once(ws, 'message'));
  for (const ws of sockets) ws.sendFrame(frame);
  assert.equal((await Promise.all(got)).map((e) => e.data), ['to all', 'to all', 'to all']);
  assert.throws(() => clients[0].sendFrame(frame), (e) => e instanceof TypeError && /client/.test(e.message));
  assert.throws(() => sockets[0].sendFrame(encodeTextFrame('x', masked)), TypeError);
  assert.throws(() => sockets[0].sendFrame(frame.subarray(0, frame.length - 1)), TypeError);
  assert.throws(() => sockets[0].sendFrame(encodeFrame(0x1, 'x', { fin: false })), TypeError);
  assert.throws(() => sockets[0].sendFrame(encodePingFrame()), TypeError);
  for (const ws of clients) ws.close();
  await Promise.all(clients.map((ws) => once(ws, 'close')));
  await close();
});

// A test-only self-signed certificate for 127.0.0.1 and localhost (EC P-256, valid until 2126) and its key.
const TLS_CERT = `-----BEGIN CERTIFICATE-----
MIIBmjCCAUGgAwIBAgIUM9ivzIV+V9eg2HYBSoA8W2vLZ3IwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTIwNjIzNTQyNFoYDzIxMjYxMTEy
MjM1NDI0WjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAARNr66BQTET3Q4+fL5jTPZ8O9xZi8bUiP8q4XLLRB6xQbiRTurRowBX
HWWlzqbCixy+YZr7vrFQxmDSy7wp6cPAo28wbTAdBgNVHQ4EFgQUHkM7E5FBzPwo
3dAWDkGahJsR448wHwYDVR0jBBgwFoAUHkM7E5FBzPwo3dAWDkGahJsR448wDwYD
VR0TAQH/BAUwAwEB/zAaBgNVHREEEzARhwR/AAABgglsb2NhbGhvc3QwCgYIKoZI
zj0EAwIDRwAwRAIgOeCnWaUlHcHjXUxFSuWn3iJlBFazNv3CXNzLBHxievcCIGV7
RpUfBh5vOdEoWac/I7PPCgmD5Yu1j5dNj8TYM+L+
-----END CERTIFICATE-----
`;
const TLS_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgdfjzFei1HdtTFQvv
GnrZTp1vQvV4tzbMMhvLqTRa8U2hRANCAARNr66BQTET3Q4+fL5jTPZ8O9xZi8bU
iP8q4XLLRB6xQbiRTurRowBXHWWlzqbCixy+YZr7vrFQxmDSy7wp6cPA
-----END PRIVATE KEY-----
`;

roles('over node:tls (wss:): connectSocket on a TLSSocket still handshaking, acceptSocket on the server\'s; a 1 MiB echo and a clean close', async () => {
  const server = createTlsServer({ key: TLS_KEY, cert: TLS_CERT }, (socket) => {
    const ws = acceptSocket(socket);
    ws.binaryType = 'uint8array';
    ws.onmessage = (e) => ws.send(e.data);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  const ws = connectSocket(connectTls({ host: '127.0.0.1', port, ca: TLS_CERT }), `wss://127.0.0.1:${port}/`);
  ws.binaryType = 'uint8array';
  await once(ws, 'open');
  const big = new Uint8Array(1 << 20).map((_, i) => i);
  ws.send('over tls');
  ws.send(big);
  const got = [];
  await new Promise((resolve) => ws.addEventListener('message', (e) => got.push(e.data) === 2 && resolve()));
  assert.is(got[0], 'over tls');
  assert.ok(got[1].length === big.length && got[1].every((b, i) => b === big[i]));
  ws.close(1000);
  assert.ok((await once(ws, 'close')).wasClean);
  await new Promise((resolve) => server.close(resolve));
});

roles.run();

// ---------------------------------------------------------------------------
const upgrade = suite('node adapter: handleUpgrade on node:http');

upgrade('listeners added after the call see open, the protocol and a frame pipelined after the head (node:http hands it over as head)', async () => {
  let ws, state, events;
  const { port, close } = await listenHttp((req, socket, head) => {
    ws = handleUpgrade(req, socket, head, { protocols: ['b', 'a'] });
    // Added after handleUpgrade returned: nothing may have been dispatched yet.
    state = ws.readyState;
    events = record(ws);
    ws.onmessage = (e) => ws.send(e.data);
  });
  const raw = await Raw.connect(port);
  await raw.write(Uint8Array.from([...ENC.encode(requestHead(port, { extra: 'Sec-WebSocket-Protocol: a, b\r\n' })), ...encodeTextFrame('early', masked)]));
  const res = await raw.response();
  assert.is(res.status, 101);
  assert.is(res.headers['sec-websocket-protocol'], 'b');
  const got = await raw.messages(1);
  assert.equal(got.map((m) => m.data), ['early']);
  assert.is(state, 0, 'CONNECTING when handleUpgrade returns');
  assert.is(ws.url, '/chat');
  assert.is(ws.protocol, 'b');
  assert.equal(events.map(([t, d]) => (t === 'message' ? d : t)), ['open', 'early']);
  await raw.write(encodeCloseFrame(1000, '', masked));
  await raw.closed;
  assert.equal(events.at(-1), ['close', { code: 1000, reason: '', wasClean: true }]);
  await close();
});

upgrade('a bad version is refused with 426 and Sec-WebSocket-Version: 13; the socket is closed; error (HandshakeError) and close 1006', async () => {
  let events;
  const { port, close } = await listenHttp((req, socket, head) => {
    events = record(handleUpgrade(req, socket, head));
  });
  const raw = await Raw.connect(port);
  await raw.write(requestHead(port, { version: '8' }));
  const res = await raw.response();
  assert.is(res.status, 426);
  assert.is(res.headers['sec-websocket-version'], '13');
  await raw.closed;
  await sleep(0);
  assert.equal(events.map(([t]) => t), ['error', 'close']);
  assert.ok(events[0][1] instanceof HandshakeError && events[0][1].rule === 'unsupported-version', String(events[0][1]));
  assert.equal(events[1][1], { code: 1006, reason: '', wasClean: false });
  await close();
});

upgrade('a non-GET is refused with 405 and Allow: GET', async () => {
  const { port, close } = await listenHttp((req, socket, head) => handleUpgrade(req, socket, head));
  const raw = await Raw.connect(port);
  await raw.write(requestHead(port).replace('GET', 'POST'));
  const res = await raw.response();
  assert.is(res.status, 405);
  assert.is(res.headers.allow, 'GET');
  await raw.closed;
  await close();
});

upgrade.run();

// ---------------------------------------------------------------------------
const faults = suite('node adapter: faults and timers');

/** Replaces the global setTimeout/clearTimeout while `fn` runs to list the timers left: the adapter must leave none. */
async function timersLeftBy(fn) {
  const live = new Set();
  const { setTimeout: st, clearTimeout: ct } = globalThis;
  globalThis.setTimeout = (f, ms, ...args) => {
    const t = st(() => { live.delete(t); f(...args); }, ms);
    live.add(t);
    return t;
  };
  globalThis.clearTimeout = (t) => { live.delete(t); ct(t); };
  try {
    await fn();
  } finally {
    globalThis.setTimeout = st;
    globalThis.clearTimeout = ct;
  }
  const left = live.size;
  for (const t of live) ct(t);
  return left;
}

faults('a peer that vanishes mid-message: error and close 1006, both sockets closed, no timer left', async () => {
  let events, serverSocket;
  const left = await timersLeftBy(async () => {
    const { port, close } = await listen((socket) => {
      serverSocket = socket;
      // The default timers (10 s, 5 s): one left armed would still be there.
      events = record(acceptSocket(socket, { heartbeat: { interval: 60000, timeout: 60000 } }));
    });
    const raw = await Raw.connect(port);
    await raw.write(requestHead(port));
    await raw.response();
    const frame = encodeTextFrame('x'.repeat(1000), masked);
    await raw.write(frame.subarray(0, 500));
    raw.socket.destroy();
    await once(serverSocket, 'close');
    await close();
  });
  assert.is(left, 0, 'timers left armed');
  assert.equal(events.map(([t]) => t), ['open', 'error', 'close']);
  assert.equal(events[2][1], { code: 1006, reason: '', wasClean: false });
});

faults('our Close never answered: the close timeout drops the socket (1006), no timer left', async () => {
  let ws, serverSocket;
  const left = await timersLeftBy(async () => {
    const { port, close } = await listen((socket) => {
      serverSocket = socket;
      ws = acceptSocket(socket, { closeTimeout: 30 });
    });
    const raw = await Raw.connect(port);
    await raw.write(requestHead(port));
    await raw.response();
    while (ws.readyState !== 1) await sleep(1);
    const events = record(ws);
    ws.close(1000, 'bye');
    assert.is(ws.readyState, 2);
    const got = await raw.messages(1);
    assert.equal(got.map((m) => [m.type, m.code]), [['close', 1000]], 'our Close was sent');
    // The raw peer neither answers nor closes.
    await once(serverSocket, 'close');
    assert.equal(events.map(([t]) => t), ['error', 'close']);
    assert.match(events[0][1].message, /closing handshake/);
    assert.equal(events[1][1], { code: 1006, reason: '', wasClean: false });
    await raw.closed;
    await close();
  });
  assert.is(left, 0, 'timers left armed');
});

faults('the client side: a server that never answers our Close is dropped after the close timeout', async () => {
  const { port, close } = await listen((socket) => {
    const raw = new Raw(socket, 'server');
    raw.until(() => raw.bytes.includes(0x0a) && new TextDecoder().decode(raw.bytes).includes('\r\n\r\n')).then(() => {
      const key = /sec-websocket-key: *(\S+)/i.exec(new TextDecoder().decode(raw.bytes))[1];
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${computeAcceptKey(key)}\r\n\r\n`);
    });
  });
  const ws = connectSocket(connect(port, '127.0.0.1'), `ws://127.0.0.1:${port}/`, { closeTimeout: 30 });
  await once(ws, 'open');
  const events = record(ws);
  ws.close(1000);
  await once(ws, 'close');
  assert.equal(events.map(([t]) => t), ['error', 'close']);
  assert.equal(events[1][1], { code: 1006, reason: '', wasClean: false });
  await close();
});

faults('a slowloris head: dropped when the handshake timeout passes (1006), the trickle notwithstanding', async () => {
  let events, serverSocket;
  const { port, close } = await listen((socket) => {
    serverSocket = socket;
    events = record(acceptSocket(socket, { handshakeTimeout: 50 }));
  });
  const raw = await Raw.connect(port);
  await raw.write('GET / HTTP/1.1\r\n');
  const gone = once(serverSocket, 'close');
  let dropped = false;
  gone.then(() => { dropped = true; });
  // One byte at a time, never the blank line that ends the head.
  for (let i = 0; !dropped && i < 10000; i++) {
    raw.socket.write(i === 0 ? 'X-Slow: ' : 'z');
    await sleep(5);
  }
  await gone;
  assert.ok(dropped);
  assert.equal(events.map(([t]) => t), ['error', 'close']);
  assert.match(events[0][1].message, /opening handshake/);
  assert.equal(events[1][1], { code: 1006, reason: '', wasClean: false });
  await raw.closed;
  await close();
});

faults('heartbeat: a peer that never answers the ping is dropped (1006, never sent on the wire)', async () => {
  let ws;
  const { port, close } = await listen((socket) => { ws = acceptSocket(socket, { heartbeat: { interval: 20, timeout: 20 } }); });
  const raw = await Raw.connect(port);
  await raw.write(requestHead(port));
  await raw.response();
  while (ws === undefined || ws.readyState !== 1) await sleep(1);
  const events = record(ws);
  await raw.closed;
  const got = await raw.messages(1);
  assert.ok(got.length >= 1 && got.every((m) => m.type === 'ping'), 'pings, and no Close frame');
  assert.equal(events.map(([t]) => t), ['error', 'close']);
  assert.match(events[0][1].message, /No pong/);
  assert.equal(events[1][1], { code: 1006, reason: '', wasClean: false });
  await close();
});

faults('heartbeat: a peer that answers stays open over many intervals', async () => {
  let server;
  const { port, close } = await listen((socket) => { server = acceptSocket(socket, { heartbeat: { interval: 5, timeout: 10000 } }); });
  const ws = connectSocket(connect(port, '127.0.0.1'), `ws://127.0.0.1:${port}/`);
  let pings = 0;
  ws.addEventListener('ping', () => pings++);
  await once(ws, 'open');
  while (server === undefined) await sleep(1);
  let pongs = 0;
  await new Promise((resolve) => server.addEventListener('pong', () => ++pongs === 5 && resolve()));
  assert.is(server.readyState, 1);
  assert.ok(pings >= 5);
  ws.close(1000);
  const closed = await once(ws, 'close');
  assert.ok(closed.wasClean);
  await close();
});

faults('a socket error (connection refused) ends as error and close 1006, never an exception', async () => {
  const { port, close } = await listen(() => {});
  await close();
  const ws = connectSocket(connect(port, '127.0.0.1'), `ws://127.0.0.1:${port}/`);
  const events = record(ws);
  await once(ws, 'close');
  assert.equal(events.map(([t]) => t), ['error', 'close']);
  assert.is(events[0][1].code, 'ECONNREFUSED');
  assert.equal(events[1][1], { code: 1006, reason: '', wasClean: false });
});

faults('a server that masks its frames: the client fails the connection with 1002 (server-frame-masked)', async () => {
  const { port, close } = await listen((socket) => {
    const raw = new Raw(socket, 'server');
    raw.until(() => new TextDecoder().decode(raw.bytes).includes('\r\n\r\n')).then(() => {
      const key = /sec-websocket-key: *(\S+)/i.exec(new TextDecoder().decode(raw.bytes))[1];
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${computeAcceptKey(key)}\r\n\r\n`);
      socket.write(encodeTextFrame('masked', masked));
    });
  });
  const ws = connectSocket(connect(port, '127.0.0.1'), `ws://127.0.0.1:${port}/`);
  const events = record(ws);
  await once(ws, 'close');
  assert.equal(events.map(([t]) => t), ['open', 'error', 'close']);
  assert.ok(events[1][1] instanceof ProtocolError && events[1][1].rule === 'server-frame-masked', String(events[1][1]));
  assert.is(events[2][1].code, 1002);
  assert.is(events[2][1].wasClean, false);
  await close();
});

faults.run();

// ---------------------------------------------------------------------------
const responses = suite('node adapter: each wrong 101 fails the client (close 1006, HandshakeError naming the rule)');

const WRONG = [
  ['status-not-101', (accept) => `HTTP/1.1 200 OK\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`],
  ['upgrade-not-websocket', (accept) => `HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`],
  ['connection-not-upgrade', (accept) => `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: keep-alive\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`],
  ['accept-mismatch', () => `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${computeAcceptKey(KEY)}\r\n\r\n`],
  ['protocol-not-offered', (accept) => `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\nSec-WebSocket-Protocol: other\r\n\r\n`],
  ['extension-not-offered', (accept) => `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n`],
];

for (const [rule, response] of WRONG) {
  responses(rule, async () => {
    const { port, close } = await listen((socket) => {
      const raw = new Raw(socket, 'server');
      raw.until(() => new TextDecoder().decode(raw.bytes).includes('\r\n\r\n')).then(() => {
        const key = /sec-websocket-key: *(\S+)/i.exec(new TextDecoder().decode(raw.bytes))[1];
        socket.write(response(computeAcceptKey(key)));
      });
    });
    const ws = connectSocket(connect(port, '127.0.0.1'), `ws://127.0.0.1:${port}/`, { protocols: ['chat'] });
    const events = record(ws);
    await once(ws, 'close');
    assert.equal(events.map(([t]) => t), ['error', 'close']);
    assert.ok(events[0][1] instanceof HandshakeError, String(events[0][1]));
    assert.is(events[0][1].rule, rule);
    assert.equal(events[1][1], { code: 1006, reason: '', wasClean: false });
    assert.is(ws.readyState, 3);
    await close();
  });
}

responses.run();

// ---------------------------------------------------------------------------
const pressure = suite('node adapter: backpressure');

pressure('a client that stops reading: bufferedAmount grows, reading pauses, drain fires once it reads again, then its message is read', async () => {
  let ws, serverSocket;
  const { port, close } = await listen((socket) => {
    serverSocket = socket;
    ws = acceptSocket(socket);
  });
  const raw = await Raw.connect(port);
  await raw.write(requestHead(port));
  await raw.response();
  while (ws === undefined || ws.readyState !== 1) await sleep(1);
  raw.socket.pause(); // the client stops reading
  const chunk = new Uint8Array(1 << 20);
  let sent = 0;
  // Send, letting the socket write between sends, until the kernel's buffers
  // are full and what is sent stays in the socket's own (Node reports a big
  // write over the high-water mark even when the kernel took it all, and
  // 'drain' follows at once: only a buffer that stays full keeps reading paused).
  while (ws.bufferedAmount <= 4 << 20 && sent < 1024) {
    ws.send(chunk);
    sent++;
    await sleep(0);
  }
  assert.ok(ws.bufferedAmount > 4 << 20, `bufferedAmount grew (${ws.bufferedAmount} after ${sent} MiB)`);
  assert.ok(serverSocket.isPaused(), 'reading paused');
  const events = record(ws, ['message', 'drain']);
  assert.is(ws.bufferedAmount, serverSocket.writableLength, 'what is buffered is the socket\'s: the connection holds nothing more');
  // What the client sends now is not delivered while paused, and no more than
  // the socket's read buffer is taken from the kernel: memory stays bounded.
  raw.socket.write(encodeTextFrame('after', masked));
  raw.socket.write(encodeFrame(0x2, new Uint8Array(4 << 20), { mask: true }));
  await sleep(50);
  assert.equal(events, [], 'nothing delivered while paused');
  assert.ok(serverSocket.readableLength <= 1 << 20, `${serverSocket.readableLength} bytes read ahead while paused`);
  const drained = once(ws, 'drain');
  raw.socket.resume();
  await drained;
  assert.is(ws.bufferedAmount, 0);
  await new Promise((resolve) => ws.addEventListener('message', () => events.length === 3 && resolve()));
  assert.equal(events.map(([t, d]) => (t === 'message' ? (typeof d === 'string' ? d : d.byteLength) : t)), ['drain', 'after', 4 << 20]);
  raw.socket.destroy();
  await close();
});

pressure('drain: fires when bufferedAmount falls back to 0, below the high-water mark too (Node emits drain only after write said false)', async () => {
  // A Duplex whose writes complete 20 ms later: the bytes of a small send wait, under the 16 KiB mark.
  const { Duplex } = await import('node:stream');
  const duplex = new Duplex({ read() {}, write(_chunk, _enc, cb) { setTimeout(cb, 20); } });
  const ws = acceptSocket(duplex);
  duplex.push(new TextEncoder().encode('GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n'));
  await new Promise((resolve) => ws.addEventListener('open', resolve, { once: true }));
  await new Promise((resolve) => setTimeout(resolve, 60)); // the 101 is written, and its drain is past
  let drains = 0;
  ws.addEventListener('drain', () => drains++);
  ws.send('hello');
  assert.ok(ws.bufferedAmount > 0 && ws.bufferedAmount < 16384, `bufferedAmount ${ws.bufferedAmount}`);
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no drain within 2 s (bufferedAmount ${ws.bufferedAmount})`)), 2000);
    ws.addEventListener('drain', () => { clearTimeout(timer); resolve(); }, { once: true });
  });
  assert.is(ws.bufferedAmount, 0);
  await new Promise((resolve) => setTimeout(resolve, 60));
  assert.is(drains, 1, 'one drain per time bytes waited');
  ws.terminate();
});

pressure('16 KiB echoes to a peer that reads: reading is never paused (Node answers write() false for any chunk from its 16 KiB mark up, even one the kernel takes at once)', async () => {
  let serverSocket, pauses = 0;
  const { port, close } = await listen((socket) => {
    serverSocket = socket;
    const pause = socket.pause;
    socket.pause = function () { pauses++; return pause.call(this); };
    const ws = acceptSocket(socket);
    ws.binaryType = 'uint8array';
    ws.onmessage = (e) => ws.send(e.data);
  });
  const client = new WebSocket(`ws://127.0.0.1:${port}/`);
  await once(client, 'open');
  // One at a time: at most one echo in flight, so no buffer anywhere fills.
  for (let i = 0; i < 32; i++) {
    const payload = new Uint8Array(16384).fill(i);
    client.send(payload);
    const data = await Promise.race([once(client, 'message').then(([d]) => d), sleep(5000).then(() => null)]);
    assert.ok(data !== null, `echo ${i} came within 5 s`);
    assert.ok(data.length === 16384 && data[0] === i && data[16383] === i, `echo ${i}`);
  }
  assert.is(serverSocket.writableLength, 0);
  assert.is(pauses, 0, 'reading was paused for bytes that had already left');
  client.close();
  await close();
});

pressure('16 KiB echoes do not page-fault the read buffers in again: glibc keeps its freed heap (one 8 MiB hint, see node.ts)', async () => {
  // A fresh server process each time (whether glibc trims depends on the process's history),
  // 16 connections x 2 in flight as in bench/servers.mjs, 10,000 echoes to warm up (V8's young
  // generation grows meanwhile), then 5,000 counted. Counts, not times. Without the hint 1 to 2
  // of 3 processes took 0.7-1.4 faults an echo; with it 0-0.07.
  if (!GLIBC) {
    console.log('  (the page-fault check needs Linux with glibc and /proc; not so here: not run)');
    return;
  }
  for (let run = 0; run < 3; run++) {
    const child = spawn(process.execPath, ['spec/adapters/_node-faults.mjs'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    const port = Number(await new Promise((resolve) => child.stdout.once('data', (d) => resolve(String(d).trim()))));
    const minorFaults = () => Number(readFileSync(`/proc/${child.pid}/stat`, 'latin1').split(') ')[1].split(' ')[7]);
    const SIZE = 16384, WARM = 10000, COUNTED = 5000;
    const payload = new Uint8Array(SIZE).map((_, i) => (i * 31 + run) & 255);
    const frame = encodeFrame(2, payload, { mask: new Uint8Array([0x37, 0xfa, 0x21, 0x3d]) });
    const echo = encodeFrame(2, payload);
    let echoes = 0, faultsAtWarm = 0, wrong = 0;
    let finished;
    const done = new Promise((resolve) => { finished = resolve; });
    const sockets = [];
    for (let c = 0; c < 16; c++) {
      const raw = await Raw.connect(port);
      sockets.push(raw.socket);
      await raw.write(requestHead(port));
      assert.is((await raw.response()).status, 101);
      raw.bytes = new Uint8Array(0);
      raw.socket.removeAllListeners('data');
      let pending = Buffer.alloc(0);
      raw.socket.on('data', (chunk) => {
        pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
        while (pending.length >= echo.length) {
          if (Buffer.compare(pending.subarray(0, echo.length), echo) !== 0) {
            wrong++;
            finished();
            return;
          }
          pending = pending.subarray(echo.length);
          if (++echoes === WARM) faultsAtWarm = minorFaults();
          if (echoes === WARM + COUNTED) finished();
          if (echoes < WARM + COUNTED) raw.socket.write(frame);
        }
      });
      raw.socket.write(frame);
      raw.socket.write(frame);
    }
    await done;
    const faults = minorFaults() - faultsAtWarm;
    for (const s of sockets) s.destroy();
    child.kill();
    assert.is(wrong, 0, 'every echo exact');
    assert.ok(faults / COUNTED < 0.25, `run ${run}: ${faults} minor faults over ${COUNTED} echoes`);
  }
});

pressure.run();

// ---------------------------------------------------------------------------
const interop = suite('node adapter: interop with ws');

interop('our client against ws\'s server: subprotocol, text, binary, close code and reason', async () => {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', handleProtocols: (offered) => (offered.has('v2') ? 'v2' : false) });
  await once(wss, 'listening');
  wss.on('connection', (peer) => peer.on('message', (data, binary) => peer.send(binary ? data : String(data))));
  const { port } = wss.address();
  const ws = connectSocket(connect(port, '127.0.0.1'), `ws://127.0.0.1:${port}/`, { protocols: ['v1', 'v2'] });
  ws.binaryType = 'uint8array';
  await once(ws, 'open');
  assert.is(ws.protocol, 'v2');
  const got = [];
  const done = new Promise((resolve) => ws.addEventListener('message', (e) => got.push(e.data) === 3 && resolve()));
  ws.send('héllo');
  ws.send(new Uint8Array([0, 255]));
  ws.send('x'.repeat(70000));
  await done;
  assert.is(got[0], 'héllo');
  assert.equal([...got[1]], [0, 255]);
  assert.is(got[2].length, 70000);
  const closing = once([...wss.clients][0], 'close');
  ws.close(4000, 'bye');
  const closed = await once(ws, 'close');
  assert.equal([closed.code, closed.reason, closed.wasClean], [4000, 'bye', true]);
  const [code, reason] = await closing;
  assert.equal([code, String(reason)], [4000, 'bye']);
  await new Promise((resolve) => wss.close(resolve));
});

interop('ws\'s client against our servers (handleUpgrade and acceptSocket): subprotocol, echo, close', async () => {
  const onWs = (ws) => {
    ws.binaryType = 'uint8array';
    ws.onmessage = (e) => ws.send(e.data);
  };
  const http = await listenHttp((req, socket, head) => onWs(handleUpgrade(req, socket, head, { protocols: ['v2', 'v1'] })));
  const net = await listen((socket) => onWs(acceptSocket(socket, { protocols: ['v2', 'v1'] })));
  for (const port of [http.port, net.port]) {
    const peer = new WebSocket(`ws://127.0.0.1:${port}/`, ['v1', 'v2']);
    await once(peer, 'open');
    assert.is(peer.protocol, 'v2');
    const got = [];
    const done = new Promise((resolve) => peer.on('message', (data, binary) => got.push([binary, binary ? [...data] : String(data)]) === 2 && resolve()));
    peer.send('text');
    peer.send(new Uint8Array([9, 8]));
    await done;
    assert.equal(got, [[false, 'text'], [true, [9, 8]]]);
    peer.close(1001, 'going');
    const [code, reason] = await once(peer, 'close');
    assert.equal([code, String(reason)], [1001, 'going']);
  }
  await http.close();
  await net.close();
});

interop.run();

// ---------------------------------------------------------------------------
const misuse = suite('node adapter: arguments and options');

misuse('unknown options, unmaskInPlace, bad timers and bad sockets are refused', async () => {
  const socket = connect(1, '127.0.0.1');
  socket.on('error', () => {});
  assert.throws(() => acceptSocket(socket, { maxMesageSize: 1 }), (e) => e instanceof TypeError && /maxMessageSize/.test(e.message));
  assert.throws(() => acceptSocket(socket, { unmaskInPlace: true }), TypeError);
  assert.throws(() => acceptSocket(socket, { handshakeTimeout: -1 }), RangeError);
  assert.throws(() => acceptSocket(socket, { heartbeat: { interval: 10 } }), TypeError);
  assert.throws(() => acceptSocket(socket, { protocols: 'chat' }), TypeError);
  assert.throws(() => acceptSocket({}), TypeError);
  assert.throws(() => connectSocket(socket, 'ftp://x/'), TypeError);
  assert.throws(() => connectSocket(socket, 'ws://x/', { selectProtocol: true }), TypeError);
  assert.throws(() => handleUpgrade({ method: 'GET', url: '/', headers: {} }, socket, 'head'), TypeError);
  assert.throws(() => handleUpgrade(null, socket, new Uint8Array(0)), TypeError);
  socket.destroy();
  // A client's protocols may be one string (the connection's option).
  const { port, close } = await listen((s) => acceptSocket(s, { protocols: ['only'] }));
  const ws = connectSocket(connect(port, '127.0.0.1'), `ws://127.0.0.1:${port}/`, { protocols: 'only' });
  await once(ws, 'open');
  assert.is(ws.protocol, 'only');
  assert.throws(() => ws.send(undefined), TypeError);
  ws.close();
  await once(ws, 'close');
  await close();
});

misuse.run();

// ---------------------------------------------------------------------------
const examples = suite('node adapter: the examples (examples/node/)');

/** The next message of a `ws` client, as text. */
const nextText = async (peer) => String((await once(peer, 'message'))[0]);

/** Runs an example server with `args`; resolves { url, stop }. */
async function example(file, args = []) {
  const server = await startServer({ label: file, file, cmd: () => [process.execPath, [file, '--port', '0', ...args]] });
  return { url: server.url, stop: () => stopServer(server.child) };
}

/** Runs a program to its end with `input` on stdin; resolves { code, stdout, stderr }. */
function runToEnd(args, input) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

examples('echo-server.mjs: --protocols selects, --max-message-size refuses (1009), GET / serves the page; echo-client.mjs echoes stdin', async () => {
  const { url, stop } = await example('examples/node/echo-server.mjs', ['--protocols', 'a,b', '--max-message-size', '10']);
  try {
    assert.match(url, /^ws:\/\/127\.0\.0\.1:\d+$/);
    const peer = new WebSocket(url, ['b', 'c']);
    await once(peer, 'open');
    assert.is(peer.protocol, 'b');
    peer.send('0123456789');
    assert.is(await nextText(peer), '0123456789');
    peer.send('0123456789A');
    const [code] = await once(peer, 'close');
    assert.is(code, 1009);
    const page = await fetch(url.replace('ws:', 'http:') + '/');
    assert.is(page.status, 200);
    assert.match(await page.text(), /new WebSocket\(/);
    const client = await runToEnd(['examples/node/echo-client.mjs', '--url', url], 'hello\nworld\n');
    assert.equal([client.code, client.stdout, client.stderr], [0, 'hello\nworld\n', '']);
  } finally {
    await stop();
  }
});

examples('echo-server.mjs: node:http\'s timeouts drop a socket that sends no head, never a quiet WebSocket (handleUpgrade lifts them)', async () => {
  const { url, stop } = await example('examples/node/echo-server.mjs', ['--handshake-timeout', '500']);
  try {
    const { port } = new URL(url);
    // Each wait is bounded: a step that never comes fails with its name instead of hanging the stage.
    const within = (p, ms, what) => Promise.race([p, new Promise((_, no) => setTimeout(() => no(new Error(`${what}: nothing within ${ms} ms`)), ms))]);
    const silent = connect(Number(port), '127.0.0.1');
    const started = Date.now();
    // Bounds far above the 500 ms timeout: on a loaded machine (a full `npm test` beside other
    // work) the server's timer was seen to fire seconds late; what matters is that it fires.
    await within(once(silent, 'close'), 20000, 'a silent socket dropped');
    assert.ok(Date.now() - started < 15000, `a silent socket was dropped after ${Date.now() - started} ms`);
    const peer = new WebSocket(url);
    const closed = new Promise((resolve) => peer.on('close', (code) => resolve(code)));
    await within(once(peer, 'open'), 20000, 'the WebSocket opens');
    await new Promise((resolve) => setTimeout(resolve, 1500)); // three handshake timeouts of silence
    peer.send('still here');
    const echo = await within(Promise.race([nextText(peer), closed.then((code) => `closed ${code}`)]), 20000, 'the echo after 1.5 s of silence');
    assert.is(echo, 'still here');
    peer.close(1000);
    await within(closed, 20000, 'the close');
  } finally {
    await stop();
  }
});

examples('subprotocol-server.mjs: json.v1 answered in JSON, a client without it closed with 1008, a message over 64 KiB with 1009', async () => {
  const { url, stop } = await example('examples/node/subprotocol-server.mjs');
  try {
    const peer = new WebSocket(url, ['json.v1']);
    await once(peer, 'open');
    assert.is(peer.protocol, 'json.v1');
    peer.send(JSON.stringify({ n: 1 }));
    assert.equal(JSON.parse(await nextText(peer)), { ok: true, echo: { n: 1 } });
    peer.send('x'.repeat(65537));
    assert.is((await once(peer, 'close'))[0], 1009);
    const none = new WebSocket(url);
    assert.is((await once(none, 'close'))[0], 1008);
  } finally {
    await stop();
  }
});

examples('chat.mjs: a message goes to every client, the sender too', async () => {
  const { url, stop } = await example('examples/node/chat.mjs');
  try {
    const peers = [new WebSocket(url), new WebSocket(url), new WebSocket(url)];
    const logs = peers.map((p) => {
      const log = [];
      p.on('message', (d) => { log.push(String(d)); p.emit('logged'); });
      return log;
    });
    const until = async (p, ok) => { while (!ok()) await once(p, 'logged'); };
    await Promise.all(peers.map((p) => once(p, 'open')));
    // A client is in the server's list once its own message comes back to it.
    await Promise.all(peers.map((p, i) => (p.send(`hi from ${i}`), until(p, () => logs[i].includes(`hi from ${i}`)))));
    peers[1].send('to all');
    await Promise.all(peers.map((p, i) => until(p, () => logs[i].includes('to all'))));
    assert.equal(logs.map((log) => log.filter((m) => m === 'to all').length), [1, 1, 1]);
    for (const p of peers) p.close();
  } finally {
    await stop();
  }
});

examples.run();
