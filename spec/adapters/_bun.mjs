// The cases of spec/adapters/bun.mjs (run in Bun only): [name, async fn] pairs.
// Every case talks over real loopback sockets, in one Bun process: our server
// or client against a raw peer written here (to misbehave on purpose), against
// the other role, or against Bun's own WebSocket server and client. No case
// asserts on time: timers are set short and the cases wait for outcomes.
import { bunClientHandlers, bunServerHandlers } from '../../dist/bun.js';
import { MessageReader, computeAcceptKey, encodeFrame } from '../../dist/index.js';

const HOST = '127.0.0.1';
const enc = new TextEncoder();
const dec = new TextDecoder();
export const cases = [];
const test = (name, fn) => cases.push([name, fn]);

function check(ok, message) {
  if (!ok) throw new Error(message);
}
const eq = (a, b, what) => check(Object.is(a, b), `${what}: expected ${JSON.stringify(b)}, got ${JSON.stringify(a)}`);
const sameBytes = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
const randomBytes = (n) => {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 65536) crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65536)));
  return out;
};
const concat = (a, b) => {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
};

/** Resolves with the next `type` event of `target`. */
const next = (target, type) => new Promise((resolve) => target.addEventListener(type, resolve, { once: true }));

/** Polls `pred` every few ms until it holds (the case's own 20 s limit bounds it). */
async function until(pred) {
  while (!pred()) await Bun.sleep(2);
}

/** The driver behind a WebSocketLike (private fields, read to check that its timers are cleared). */
const timersOf = (ws) => [ws._d._timer, ws._d._beat, ws._d._pong];

/** A server on the adapter. `accepted()` resolves with the next connection's WebSocketLike. */
function serve(options = {}, setup = () => {}) {
  const queue = [], waiting = [];
  const { socket } = bunServerHandlers({
    ...options,
    onConnection(ws) {
      setup(ws);
      if (waiting.length > 0) waiting.shift()(ws);
      else queue.push(ws);
    },
  });
  const server = Bun.listen({ hostname: HOST, port: 0, socket });
  return {
    port: server.port,
    url: `ws://${HOST}:${server.port}/`,
    accepted: () => (queue.length > 0 ? Promise.resolve(queue.shift()) : new Promise((r) => waiting.push(r))),
    stop: () => server.stop(true),
  };
}

/** An echo server on the adapter, binary as Uint8Array. */
const echo = (options) => serve(options, (ws) => {
  ws.binaryType = 'uint8array';
  ws.onmessage = (e) => ws.send(e.data);
});

/** Our client over Bun.connect. */
function client(port, options, path = '/') {
  const { socket, websocket } = bunClientHandlers(`ws://${HOST}:${port}${path}`, options);
  const connecting = Bun.connect({ hostname: HOST, port, socket });
  connecting.catch(() => {}); // its failure is the websocket's error + close
  return websocket;
}

/** The Sec-WebSocket-Key of a test request, and its head. */
const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';
const upgradeHead = (port, extra = '') => `GET /chat HTTP/1.1\r\nHost: ${HOST}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${KEY}\r\nSec-WebSocket-Version: 13\r\n${extra}\r\n`;
const headEnd = (b) => {
  for (let i = 0; i + 3 < b.length; i++) if (b[i] === 13 && b[i + 1] === 10 && b[i + 2] === 13 && b[i + 3] === 10) return i + 4;
  return -1;
};

/**
 * A raw TCP peer that plays the client by hand: what it reads piles up in
 * `bytes` until `frames()` switches it to reading the server's frames.
 */
async function rawClient(port) {
  const peer = { bytes: new Uint8Array(0), messages: [], closed: false, reader: null, socket: null };
  peer.socket = await Bun.connect({
    hostname: HOST,
    port,
    socket: {
      binaryType: 'uint8array',
      data(_s, d) {
        if (peer.reader !== null) peer.messages.push(...peer.reader.push(d));
        else peer.bytes = concat(peer.bytes, d);
      },
      close() { peer.closed = true; },
      end() {},
      error() {},
    },
  });
  peer.write = (x) => peer.socket.write(typeof x === 'string' ? enc.encode(x) : x);
  /** Sends the upgrade request (and `after` in the same write), waits for the 101, then reads frames. */
  peer.handshake = async (after = new Uint8Array(0)) => {
    peer.write(concat(enc.encode(upgradeHead(port)), after));
    await until(() => headEnd(peer.bytes) >= 0 || peer.closed);
    const end = headEnd(peer.bytes);
    check(end >= 0, 'no response head');
    const head = dec.decode(peer.bytes.subarray(0, end));
    check(head.startsWith('HTTP/1.1 101 '), `expected a 101, got ${JSON.stringify(head.split('\r\n')[0])}`);
    check(head.includes(`Sec-WebSocket-Accept: ${computeAcceptKey(KEY)}`), 'wrong Sec-WebSocket-Accept');
    peer.reader = new MessageReader({ role: 'client' });
    const rest = peer.bytes.subarray(end);
    if (rest.length > 0) peer.messages.push(...peer.reader.push(rest));
  };
  return peer;
}
const masked = (opcode, payload, options = {}) => encodeFrame(opcode, payload, { ...options, mask: true });

/**
 * A raw TCP server that plays a WebSocket server by hand: `answer(key)` gives
 * the response head to the upgrade request, `after` the bytes that follow it.
 */
function rawServer(answer, after = new Uint8Array(0)) {
  const peer = { got: new Uint8Array(0), closed: false, reader: new MessageReader({ role: 'server' }), messages: [] };
  let answered = false;
  const server = Bun.listen({
    hostname: HOST,
    port: 0,
    socket: {
      binaryType: 'uint8array',
      data(s, d) {
        if (answered) {
          try { peer.messages.push(...peer.reader.push(d)); } catch (e) { peer.messages.push({ type: 'error', error: e }); }
          return;
        }
        peer.got = concat(peer.got, d);
        const end = headEnd(peer.got);
        if (end < 0) return;
        answered = true;
        const key = /sec-websocket-key: *(\S+)/i.exec(dec.decode(peer.got.subarray(0, end)))[1];
        s.write(concat(enc.encode(answer(key)), after));
      },
      close() { peer.closed = true; },
      end() {},
      error() {},
    },
  });
  peer.port = server.port;
  peer.stop = () => server.stop(true);
  return peer;
}

// ---------------------------------------------------------------------------
// Bun itself: what the adapter relies on.

test('Bun hands each data chunk in a buffer of its own (so frames may be unmasked in place)', async () => {
  const chunks = [];
  let ended = false;
  const server = Bun.listen({ hostname: HOST, port: 0, socket: { binaryType: 'uint8array', data(_s, d) { chunks.push(d); }, end() { ended = true; }, close() {} } });
  const sent = randomBytes(4 << 20);
  const c = await Bun.connect({ hostname: HOST, port: server.port, socket: { data() {}, close() {}, drain(s) { pump(s); } } });
  let off = 0;
  const pump = (s) => {
    while (off < sent.length) {
      const n = s.write(sent.subarray(off, off + 1 + Math.floor(Math.random() * 100000)));
      if (n <= 0) return;
      off += n;
    }
    s.end();
  };
  pump(c);
  await until(() => ended);
  server.stop(true);
  let at = 0;
  for (const chunk of chunks) {
    check(chunk instanceof Uint8Array, 'a chunk is not a Uint8Array');
    check(sameBytes(chunk, sent.subarray(at, at + chunk.length)), `the chunk at ${at} changed after it was handed over`);
    at += chunk.length;
  }
  eq(at, sent.length, 'bytes received');
  eq(new Set(chunks.map((x) => x.buffer)).size, chunks.length, 'distinct buffers');
});

// ---------------------------------------------------------------------------
// Both roles.

test('both roles: url, subprotocol, text, binary (small and 1 MiB), clean close with code and reason', async () => {
  const srv = echo({ protocols: ['chat', 'b'] });
  const accepted = srv.accepted();
  const ws = client(srv.port, { protocols: ['x', 'b'] }, '/room?x=1');
  eq(ws.readyState, 0, 'readyState before open');
  eq(ws.url, `ws://${HOST}:${srv.port}/room?x=1`, 'client url');
  await next(ws, 'open');
  const server = await accepted;
  eq(server.url, '/room?x=1', 'server url: the path asked for');
  eq(ws.protocol, 'b', 'client protocol');
  eq(server.protocol, 'b', 'server protocol');
  const big = randomBytes(1 << 20);
  const got = [];
  ws.binaryType = 'uint8array';
  ws.onmessage = (e) => got.push(e.data);
  ws.send('hello');
  ws.send(new Uint8Array([1, 2, 3]));
  ws.send(big);
  ws.send('é😀');
  await until(() => got.length === 4);
  eq(got[0], 'hello', 'text');
  check(sameBytes(got[1], [1, 2, 3]), 'small binary');
  check(sameBytes(got[2], big), '1 MiB binary');
  eq(got[3], 'é😀', 'UTF-8 text');
  const closing = next(server, 'close');
  ws.close(4001, 'bye');
  const [c, s] = await Promise.all([next(ws, 'close'), closing]);
  for (const [e, who] of [[c, 'client'], [s, 'server']]) {
    eq(e.code, 4001, `${who} code`);
    eq(e.reason, 'bye', `${who} reason`);
    eq(e.wasClean, true, `${who} wasClean`);
  }
  eq(ws.readyState, 3, 'client readyState');
  eq(server.readyState, 3, 'server readyState');
  srv.stop();
});

test('the server closes: its Close, the client echoes, the server ends TCP first', async () => {
  const srv = serve({}, (ws) => { ws.onopen = () => ws.close(1001, 'going away'); });
  const ws = client(srv.port);
  const e = await next(ws, 'close');
  eq(e.code, 1001, 'code');
  eq(e.reason, 'going away', 'reason');
  eq(e.wasClean, true, 'wasClean');
  srv.stop();
});

test('onConnection sees the socket while it connects; binaryType arraybuffer by default; drain only after a queue', async () => {
  let state;
  const srv = serve({}, (ws) => {
    state = ws.readyState;
    ws.onmessage = (e) => ws.send(e.data);
  });
  const ws = client(srv.port);
  await next(ws, 'open');
  eq(state, 0, 'readyState in onConnection');
  ws.send(new Uint8Array([9, 8]));
  const e = await next(ws, 'message');
  check(e.data instanceof ArrayBuffer && sameBytes(new Uint8Array(e.data), [9, 8]), 'an ArrayBuffer echo');
  ws.close();
  const c = await next(ws, 'close');
  eq(c.code, 1005, 'a Close without a code reads as 1005');
  srv.stop();
});

test('frames pipelined in the same write as the request head are kept, in order', async () => {
  const srv = echo();
  const peer = await rawClient(srv.port);
  await peer.handshake(concat(concat(masked(1, 'first'), masked(2, new Uint8Array([1, 2, 3]))), masked(1, 'third')));
  await until(() => peer.messages.length === 3);
  eq(peer.messages[0].data, 'first', 'first');
  check(sameBytes(peer.messages[1].data, [1, 2, 3]), 'second');
  eq(peer.messages[2].data, 'third', 'third');
  peer.socket.terminate();
  srv.stop();
});

// ---------------------------------------------------------------------------
// Faults and timers.

for (const how of ['reset', 'FIN']) {
  test(`a peer that vanishes mid-message (${how}): error, close 1006, timers cleared`, async () => {
    const srv = echo({ heartbeat: { interval: 30, timeout: 10_000 } });
    const accepted = srv.accepted();
    const peer = await rawClient(srv.port);
    await peer.handshake();
    const ws = await accepted;
    const events = [];
    for (const t of ['error', 'close']) ws.addEventListener(t, (e) => events.push(e));
    const frame = masked(2, randomBytes(1000));
    peer.write(frame.subarray(0, 500));
    await Bun.sleep(20);
    if (how === 'reset') peer.socket.terminate();
    else peer.socket.shutdown();
    await until(() => events.length === 2);
    eq(events[0].type, 'error', 'first event');
    eq(events[1].type, 'close', 'second event');
    eq(events[1].code, 1006, 'code');
    eq(events[1].wasClean, false, 'wasClean');
    eq(ws.readyState, 3, 'readyState');
    check(timersOf(ws).every((t) => t === undefined), 'a timer is still armed');
    await Bun.sleep(100); // a heartbeat still running would throw or dispatch now
    eq(events.length, 2, 'events after the close');
    if (how === 'FIN') await until(() => peer.closed);
    peer.socket.terminate();
    srv.stop();
  });
}

test('close timeout: a peer that never answers our Close is dropped (1006)', async () => {
  const srv = serve({ closeTimeout: 150 });
  const accepted = srv.accepted();
  const peer = await rawClient(srv.port);
  await peer.handshake();
  const ws = await accepted;
  ws.close(1000, 'bye');
  await until(() => peer.messages.some((m) => m.type === 'close'));
  const e = await next(ws, 'close');
  eq(e.code, 1006, 'code');
  eq(e.wasClean, false, 'wasClean');
  await until(() => peer.closed);
  check(timersOf(ws).every((t) => t === undefined), 'a timer is still armed');
  srv.stop();
});

test('handshake timeout: a slowloris head (a header byte at a time) is dropped', async () => {
  const srv = serve({ handshakeTimeout: 200 });
  const accepted = srv.accepted();
  const peer = await rawClient(srv.port);
  const ws = await accepted;
  const errored = next(ws, 'error');
  const closing = next(ws, 'close');
  peer.write(`GET / HTTP/1.1\r\nHost: ${HOST}\r\n`);
  const trickle = setInterval(() => { if (!peer.closed) peer.write('X'); }, 20);
  const [err, e] = await Promise.all([errored, closing]);
  clearInterval(trickle);
  check(/opening handshake/.test(err.message), `error: ${err.message}`);
  eq(e.code, 1006, 'code');
  await until(() => peer.closed);
  srv.stop();
});

test('heartbeat: pings go out, and a peer that never answers is dropped (1006)', async () => {
  const srv = serve({ heartbeat: { interval: 30, timeout: 100 } });
  const accepted = srv.accepted();
  const peer = await rawClient(srv.port);
  await peer.handshake();
  const ws = await accepted;
  const err = await next(ws, 'error');
  check(/pong/i.test(err.message), `error: ${err.message}`);
  check(peer.messages.some((m) => m.type === 'ping'), 'no ping reached the peer');
  await until(() => peer.closed);
  eq(ws.readyState, 3, 'readyState');
  srv.stop();
});

test('heartbeat: a client that answers (auto-pong) stays open', async () => {
  let pongs = 0;
  const srv = serve({ heartbeat: { interval: 20, timeout: 5000 } }, (ws) => ws.addEventListener('pong', () => pongs++));
  const accepted = srv.accepted();
  const ws = client(srv.port);
  let pings = 0;
  ws.addEventListener('ping', () => pings++);
  await next(ws, 'open');
  const server = await accepted;
  await until(() => pongs >= 3);
  check(pings >= 3, `the client saw ${pings} pings`);
  eq(server.readyState, 1, 'server readyState');
  ws.close(1000);
  await next(ws, 'close');
  srv.stop();
});

// ---------------------------------------------------------------------------
// Backpressure: Bun's write takes part of the bytes; the rest waits for drain.

test('backpressure: a peer that stops reading; the queue grows, bufferedAmount shows it, drain after it reads again', async () => {
  const MESSAGE = 256 * 1024, LIMIT = 8 << 20;
  let sent = 0, peak = 0;
  const drained = Promise.withResolvers();
  const srv = serve({}, (ws) => {
    ws.onopen = () => {
      // The application's rule: send while under the limit, then wait for drain.
      while (ws.bufferedAmount < LIMIT) {
        ws.send(new Uint8Array(MESSAGE).fill(sent & 255));
        sent++;
      }
      peak = ws.bufferedAmount;
      ws.addEventListener('drain', () => drained.resolve(ws.bufferedAmount), { once: true });
    };
  });
  const peer = await rawClient(srv.port);
  peer.socket.pause();
  // The 101 was written before the queue grew: read it, then stop reading again.
  peer.socket.resume();
  await peer.handshake();
  peer.socket.pause();
  await until(() => sent > 0);
  check(peak >= LIMIT && peak < LIMIT + MESSAGE + 64, `bufferedAmount at the limit: ${peak}`);
  await Bun.sleep(50);
  peer.socket.resume();
  eq(await drained.promise, 0, 'bufferedAmount at drain');
  await until(() => peer.messages.length === sent);
  peer.messages.forEach((m, i) => check(m.data.length === MESSAGE && m.data[0] === (i & 255) && m.data[MESSAGE - 1] === (i & 255), `message ${i}`));
  peer.socket.terminate();
  srv.stop();
});

test('backpressure: a peer that floods pings and never reads the pongs is no longer read (memory bounded)', async () => {
  let peak = 0;
  const srv = serve();
  const accepted = srv.accepted();
  const peer = await rawClient(srv.port);
  await peer.handshake();
  const ws = await accepted;
  peer.socket.pause();
  const PING = masked(9, new Uint8Array(125)).length;
  const batch = new Uint8Array(500 * PING);
  for (let i = 0; i < batch.length; i += PING) batch.set(masked(9, new Uint8Array(125)), i);
  let stalled = 0, total = 0;
  // Each round writes what the kernel takes; 20 rounds in a row that take nothing: the server stopped reading.
  while (stalled < 20) {
    const n = peer.socket.write(batch.subarray(total % batch.length));
    total += Math.max(0, n);
    stalled = n > 0 ? 0 : stalled + 1;
    await Bun.sleep(5);
    peak = Math.max(peak, ws.bufferedAmount);
    check(total < 256 << 20, `the server read ${total} bytes of pings without stopping`);
  }
  check(peak > 0, 'the pongs never queued');
  check(peak < 4 << 20, `the server queued ${peak} bytes of pongs`);
  eq(ws.readyState, 1, 'still open');
  console.log(`     (the server stopped reading after ${(total / 2 ** 20).toFixed(1)} MiB of pings, at ${(peak / 1024).toFixed(0)} KiB of pongs queued)`);
  peer.socket.terminate();
  await next(ws, 'close');
  srv.stop();
});

// ---------------------------------------------------------------------------
// Interop with Bun's own WebSocket server and client.

test("interop: our client against Bun.serve's WebSocket server (subprotocol, text, binary, close)", async () => {
  const closes = [];
  const server = Bun.serve({
    hostname: HOST,
    port: 0,
    fetch(req, srv) {
      const offered = (req.headers.get('sec-websocket-protocol') ?? '').split(',').map((p) => p.trim());
      if (srv.upgrade(req, { headers: offered.includes('chat') ? { 'Sec-WebSocket-Protocol': 'chat' } : {} })) return undefined;
      return new Response('Upgrade required', { status: 426 });
    },
    websocket: {
      message(ws, m) { ws.send(m); },
      close(_ws, code, reason) { closes.push([code, reason]); },
    },
  });
  const ws = client(server.port, { protocols: ['other', 'chat'] });
  ws.binaryType = 'uint8array';
  await next(ws, 'open');
  eq(ws.protocol, 'chat', 'protocol');
  const got = [];
  ws.onmessage = (e) => got.push(e.data);
  const big = randomBytes(200_000);
  ws.send('hi Bun');
  ws.send(big);
  await until(() => got.length === 2);
  eq(got[0], 'hi Bun', 'text');
  check(sameBytes(got[1], big), 'binary');
  ws.close(4000, 'done');
  const e = await next(ws, 'close');
  eq(e.code, 4000, 'code');
  eq(e.wasClean, true, 'wasClean');
  await until(() => closes.length === 1);
  eq(closes[0][0], 4000, "Bun's close code");
  eq(closes[0][1], 'done', "Bun's close reason");
  server.stop(true);
});

test("interop: Bun's built-in WebSocket client against our server (subprotocol, text, binary, close)", async () => {
  const srv = echo({ protocols: ['chat'] });
  const accepted = srv.accepted();
  const ws = new WebSocket(srv.url, ['x', 'chat']);
  ws.binaryType = 'arraybuffer';
  await next(ws, 'open');
  const server = await accepted;
  eq(ws.protocol, 'chat', "Bun client's protocol");
  eq(server.protocol, 'chat', "our server's protocol");
  const got = [];
  ws.onmessage = (e) => got.push(e.data);
  const big = randomBytes(300_000);
  ws.send('hello from Bun');
  ws.send(big);
  await until(() => got.length === 2);
  eq(got[0], 'hello from Bun', 'text');
  check(sameBytes(new Uint8Array(got[1]), big), 'binary');
  const closing = next(server, 'close');
  ws.close(1000, 'bye');
  const [c, s] = await Promise.all([next(ws, 'close'), closing]);
  eq(c.code, 1000, "Bun client's code");
  eq(s.code, 1000, "our server's code");
  eq(s.reason, 'bye', "our server's reason");
  eq(s.wasClean, true, "our server's wasClean");
  srv.stop();
});

// ---------------------------------------------------------------------------
// A wrong server, seen from our client.

const accept101 = (key, extra = '') => `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${computeAcceptKey(key)}\r\n${extra}\r\n`;

test('a server that masks its frames fails our client with 1002', async () => {
  const peer = rawServer((key) => accept101(key), masked(1, 'masked!'));
  const ws = client(peer.port);
  const events = [];
  for (const t of ['open', 'message', 'error', 'close']) ws.addEventListener(t, (e) => events.push(e));
  await until(() => events.some((e) => e.type === 'close'));
  eq(events.map((e) => e.type).join(), 'open,error,close', 'events');
  eq(events[2].code, 1002, 'code');
  eq(events[2].wasClean, false, 'wasClean');
  await until(() => peer.messages.length > 0);
  eq(peer.messages[0].type, 'close', 'what the client sent');
  eq(peer.messages[0].code, 1002, 'the Close it sent');
  await until(() => peer.closed);
  peer.stop();
});

const WRONG = [
  ['status-not-101', () => 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'],
  ['upgrade-not-websocket', (key) => accept101(key).replace('Upgrade: websocket', 'Upgrade: h2c')],
  ['connection-not-upgrade', (key) => accept101(key).replace('Connection: Upgrade', 'Connection: keep-alive')],
  ['accept-mismatch', () => accept101('AAAAAAAAAAAAAAAAAAAAAA==')],
  ['protocol-not-offered', (key) => accept101(key, 'Sec-WebSocket-Protocol: other\r\n')],
  ['extension-not-offered', (key) => accept101(key, 'Sec-WebSocket-Extensions: permessage-deflate\r\n')],
];
for (const [rule, answer] of WRONG) {
  test(`a wrong 101 (${rule}): error with the HandshakeError, close 1006, TCP closed`, async () => {
    const peer = rawServer(answer);
    const ws = client(peer.port, { protocols: ['chat'] });
    const events = [];
    for (const t of ['open', 'error', 'close']) ws.addEventListener(t, (e) => events.push(e));
    await until(() => events.some((e) => e.type === 'close'));
    eq(events.map((e) => e.type).join(), 'error,close', 'events');
    eq(events[0].error?.name, 'HandshakeError', 'error name');
    eq(events[0].error?.rule, rule, 'rule');
    eq(events[1].code, 1006, 'code');
    eq(ws.readyState, 3, 'readyState');
    await until(() => peer.closed);
    peer.stop();
  });
}

test('a connect that fails: error and close 1006, no unhandled rejection', async () => {
  const srv = serve();
  const port = srv.port;
  srv.stop();
  let unhandled = null;
  const onUnhandled = (e) => { unhandled = e; };
  process.on('unhandledRejection', onUnhandled);
  const { socket, websocket } = bunClientHandlers(`ws://${HOST}:${port}/`);
  const events = [];
  for (const t of ['open', 'error', 'close']) websocket.addEventListener(t, (e) => events.push(e));
  Bun.connect({ hostname: HOST, port, socket }); // not awaited: connectError handles the failure
  await until(() => events.length === 2);
  await Bun.sleep(20);
  process.off('unhandledRejection', onUnhandled);
  eq(events.map((e) => e.type).join(), 'error,close', 'events');
  eq(events[1].code, 1006, 'code');
  eq(unhandled, null, 'unhandled rejection');
});

test('a connect that never completes the handshake: the handshake timeout covers it', async () => {
  // A server that accepts TCP and never answers.
  const server = Bun.listen({ hostname: HOST, port: 0, socket: { data() {}, close() {} } });
  const ws = client(server.port, { handshakeTimeout: 100 });
  const [err, e] = await Promise.all([next(ws, 'error'), next(ws, 'close')]);
  check(/opening handshake/.test(err.message), `error: ${err.message}`);
  eq(e.code, 1006, 'code');
  server.stop(true);
});

// ---------------------------------------------------------------------------
// Options.

test('options: unknown keys and wrong values throw at creation', () => {
  const throws = (f, type, re) => {
    try { f(); } catch (e) {
      check(e instanceof type, `${e} is not a ${type.name}`);
      check(re.test(e.message), `message: ${e.message}`);
      return;
    }
    throw new Error(`no ${type.name} for ${f}`);
  };
  const on = () => {};
  throws(() => bunServerHandlers(), TypeError, /onConnection/);
  throws(() => bunServerHandlers({}), TypeError, /onConnection/);
  throws(() => bunServerHandlers({ onConnection: on, maxMesageSize: 1 }), TypeError, /maxMessageSize/);
  throws(() => bunServerHandlers({ onConnection: on, unmaskInPlace: true }), TypeError, /unmaskInPlace/);
  throws(() => bunServerHandlers({ onConnection: on, closeTimeout: -1 }), RangeError, /closeTimeout/);
  throws(() => bunServerHandlers({ onConnection: on, protocols: 'chat' }), TypeError, /protocols/);
  throws(() => bunServerHandlers({ onConnection: on, heartbeat: { interval: 10 } }), TypeError, /heartbeat/);
  throws(() => bunServerHandlers({ onConnection: on, maxMessageSize: -1 }), RangeError, /maxMessageSize/);
  throws(() => bunClientHandlers('ws://x/', { origin: 1 }), TypeError, /origin/i);
  throws(() => bunClientHandlers('ws://x/', { protocol: ['a'] }), TypeError, /protocols/);
  throws(() => bunClientHandlers('nope'), TypeError, /URL|url/);
  const ok = bunServerHandlers({ onConnection: on, protocols: ['a'], maxMessageSize: 10, maxFragments: 2, autoPong: false, handshakeTimeout: 1, closeTimeout: 1, heartbeat: { interval: 1, timeout: 1 } });
  eq(typeof ok.socket.open, 'function', 'handlers');
  eq(bunClientHandlers('ws://x/', { protocols: 'chat', headers: { 'X-A': '1' }, origin: 'http://o' }).websocket.readyState, 0, 'client readyState');
});

// ---------------------------------------------------------------------------
// The examples.

/** Starts `bun examples/bun/<file> --port 0`; resolves { url, port, stop } once it printed its ws:// line. */
async function example(file, ...args) {
  const child = Bun.spawn([process.execPath, new URL(`../../examples/bun/${file}`, import.meta.url).pathname, '--port', '0', ...args], { stdout: 'pipe', stderr: 'inherit' });
  const reader = child.stdout.getReader();
  let out = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`${file} exited before listening: ${out}`);
    out += dec.decode(value);
    const m = /ws:\/\/[\d.]+:(\d+)/.exec(out);
    if (m) return { url: m[0], port: Number(m[1]), stop: () => child.kill('SIGKILL') };
  }
}

test('examples/bun/chat.ts: every message reaches every client; a client that stops reading is dropped', async () => {
  const chat = await example('chat.ts');
  try {
    const a = new WebSocket(chat.url), b = new WebSocket(chat.url);
    await Promise.all([next(a, 'open'), next(b, 'open')]);
    const peer = await rawClient(chat.port);
    await peer.handshake();
    const got = { a: [], b: [] };
    a.onmessage = (e) => got.a.push(e.data);
    b.onmessage = (e) => got.b.push(e.data);
    a.send('from a');
    b.send('from b');
    await until(() => got.a.length === 2 && got.b.length === 2 && peer.messages.length === 2);
    eq(got.a.sort().join(), 'from a,from b', "a's messages");
    eq(peer.messages.map((m) => m.data).sort().join(), 'from a,from b', "the raw peer's messages");
    // The raw peer stops reading; a sends 24 MiB, more than the kernel's buffers hold.
    peer.socket.pause();
    const chunk = 'x'.repeat(64 * 1024);
    for (let i = 0; i < 384; i++) a.send(chunk);
    await until(() => peer.closed);
    await until(() => got.b.length === 2 + 384);
    eq(a.readyState, 1, 'a is still open');
    eq(b.readyState, 1, 'b is still open');
    a.close();
    b.close();
  } finally {
    chat.stop();
  }
});

test('examples/bun/echo-server.ts: --protocols selects the first offered, --max-message-size fails a larger message with 1009', async () => {
  const server = await example('echo-server.ts', '--protocols', 'a,b', '--max-message-size', '10');
  try {
    const ws = new WebSocket(server.url, ['b', 'a']);
    await next(ws, 'open');
    eq(ws.protocol, 'a', 'protocol (the server prefers a)');
    ws.send('0123456789');
    eq((await next(ws, 'message')).data, '0123456789', 'echo at the limit');
    ws.send('0123456789!');
    const e = await next(ws, 'close');
    eq(e.code, 1009, 'code over the limit');
  } finally {
    server.stop();
  }
});
