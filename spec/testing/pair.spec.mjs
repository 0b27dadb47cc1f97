// createWebSocketPair (lib/testing/pair.ts): two WebSockets joined in memory
// by real RFC 6455 bytes. The opening handshake as it is on the wire (the
// client's GET, the server's 101, the subprotocol the server selects),
// messages both ways with the client's frames masked and the server's not,
// the closing handshake from either side (and Close frames that cross),
// failures with their close codes (a server's 1002 and 1009, a refused
// request), the tap (see, replace, split, drop a chunk), inject() (raw bytes
// past a connection), asynchronous delivery and the manual mode, drop() and
// terminate() (1006), bufferedAmount and drain, ping, pong and the heartbeat,
// an extension, the timers, and the argument errors. Portable: the same
// tests run in Node, Deno, Bun, workerd and Chromium.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { HandshakeError, decodeFrame, encodeFrame } from '../../dist/index.js';
import { createWebSocketPair } from '../../dist/testing.js';
import { bufferLike, concat, prng, utf8 } from '../_util.mjs';

const test = suite('testing: createWebSocketPair');
const DEC = new TextDecoder();

/** Yields to the event loop once (a task, as the pair's deliveries are). */
const task = () => new Promise((r) => setTimeout(r, 0));

/** Waits until `fn()` is truthy; fails after `tasks` turns or `ms` (a guard against a hang, not a timing check). */
async function until(fn, what, ms = 5000, tasks = 5000) {
  const end = Date.now() + ms;
  for (let i = 0; !fn(); i++) {
    if (i >= tasks || Date.now() > end) throw new Error(`Timed out waiting until ${what}`);
    await task();
  }
}

/** Each event's type in order (with the side's name when two logs share one array), the messages, the close and the error. */
function record(ws, log = { events: [], messages: [], close: null, error: null, drains: 0, pings: [], pongs: [] }) {
  ws.addEventListener('open', () => log.events.push('open'));
  ws.addEventListener('message', (e) => { log.events.push('message'); log.messages.push(e.data); });
  ws.addEventListener('error', (e) => { log.events.push('error'); log.error = e.error; });
  ws.addEventListener('close', (e) => { log.events.push('close'); log.close = { code: e.code, reason: e.reason, wasClean: e.wasClean }; });
  ws.addEventListener('drain', () => log.drains++);
  ws.addEventListener('ping', (e) => log.pings.push(DEC.decode(e.data)));
  ws.addEventListener('pong', (e) => log.pongs.push(DEC.decode(e.data)));
  return log;
}

/** The frames in `bytes`, read with the strict decoder (a client's must be masked, a server's not). */
function frames(bytes, fromClient) {
  const out = [];
  for (let at = 0; at < bytes.length;) {
    const f = decodeFrame(bytes, { requireMask: fromClient }, at);
    assert.ok(f !== null, `a whole frame at ${at} of ${bytes.length}`);
    out.push(f);
    at += f.byteLength;
  }
  return out;
}

/** A pair whose tap records every chunk by direction (as delivered); `tap` may still change them. */
function tapped(options = {}, tap = () => undefined) {
  const wire = { 'client-to-server': [], 'server-to-client': [] };
  const pair = createWebSocketPair({ ...options, tap: (direction, bytes) => { wire[direction].push(bytes.slice()); return tap(direction, bytes); } });
  return { pair, wire };
}

/** A manual pair, flushed through its handshake, with both sides' logs. */
function openManual(options = {}) {
  const pair = createWebSocketPair({ ...options, manual: true });
  const [client, server] = pair;
  const c = record(client), s = record(server);
  pair.flush();
  assert.equal(c.events, ['open'], 'the client opened');
  assert.equal(s.events, ['open'], 'the server opened');
  return { pair, client, server, c, s };
}

test('the opening handshake is the real one: a GET with a key and the offered subprotocols, a 101 with the selected one', async () => {
  const { pair, wire } = tapped({ url: 'ws://example.test/chat?room=1', client: { protocols: ['v1', 'v2'], headers: { 'X-Test': 'yes' } }, server: { protocols: ['v2', 'v1'] } });
  const [client, server] = pair;
  assert.is(client.readyState, 0);
  assert.is(server.readyState, 0);
  assert.is(client.url, 'ws://example.test/chat?room=1');
  const c = record(client), s = record(server);
  await until(() => c.events.includes('open') && s.events.includes('open'), 'both open');
  const request = DEC.decode(wire['client-to-server'][0]);
  assert.match(request, /^GET \/chat\?room=1 HTTP\/1\.1\r\n/);
  assert.match(request, /\r\nhost: example\.test\r\n/i);
  assert.match(request, /\r\nsec-websocket-key: [A-Za-z0-9+/]{22}==\r\n/i);
  assert.match(request, /\r\nsec-websocket-protocol: v1, v2\r\n/i);
  assert.match(request, /\r\nx-test: yes\r\n/i);
  const response = DEC.decode(wire['server-to-client'][0]);
  assert.match(response, /^HTTP\/1\.1 101 /);
  assert.match(response, /\r\nsec-websocket-accept: [A-Za-z0-9+/]{27}=\r\n/i);
  // RFC 6455 §4.2.2: the server picks one the client offered, by its own preference.
  assert.match(response, /\r\nsec-websocket-protocol: v2\r\n/i);
  assert.is(client.protocol, 'v2');
  assert.is(server.protocol, 'v2');
  assert.is(client.extensions, '');
  assert.is(server.url, '/chat?room=1', 'the server socket\'s url is the path asked for');
  assert.is(client.readyState, 1);
  assert.is(server.readyState, 1);
  // The server opens as it answers, the client when the answer arrives: one task later.
  assert.equal([c.events, s.events], [['open'], ['open']]);
});

test('messages both ways: the client masks every frame, the server none, and each side gets what the other sent', async () => {
  const { pair, wire } = tapped();
  const [client, server] = pair;
  const c = record(client), s = record(server);
  server.binaryType = 'uint8array';
  client.binaryType = 'arraybuffer';
  const big = prng(7).bytes(70000);
  server.onmessage = (e) => server.send(typeof e.data === 'string' ? e.data.toUpperCase() : e.data);
  client.onopen = () => {
    client.send('hello');
    client.send(big);
    client.send(new Uint16Array([1, 2]));
  };
  await until(() => c.messages.length === 3, 'three echoes');
  assert.is(c.messages[0], 'HELLO');
  assert.ok(c.messages[1] instanceof ArrayBuffer);
  assert.equal(new Uint8Array(c.messages[1]), big);
  assert.equal(new Uint8Array(c.messages[2]), new Uint8Array(new Uint16Array([1, 2]).buffer));
  assert.ok(s.messages[1] instanceof Uint8Array, 'binaryType uint8array on the server');
  const up = frames(concat(...wire['client-to-server'].slice(1)), true);
  const down = frames(concat(...wire['server-to-client'].slice(1)), false);
  assert.equal(up.map((f) => [f.opcodeName, f.masked, f.payload.length]), [['text', true, 5], ['binary', true, 70000], ['binary', true, 4]]);
  assert.equal(down.map((f) => [f.opcodeName, f.masked, f.payload.length]), [['text', false, 5], ['binary', false, 70000], ['binary', false, 4]]);
  assert.is(DEC.decode(up[0].payload), 'hello');
  assert.is(DEC.decode(down[0].payload), 'HELLO');
});

test('delivery is asynchronous and in order: nothing fires inside send(), and 200 messages arrive as sent', async () => {
  const pair = createWebSocketPair();
  const [client, server] = pair;
  const s = record(server), c = record(client);
  let inside = false;
  const seen = [];
  server.addEventListener('message', () => seen.push(inside));
  client.addEventListener('message', () => seen.push(inside));
  server.onmessage = (e) => { inside = true; server.send(e.data); inside = false; };
  await until(() => c.events.includes('open'), 'open');
  inside = true;
  for (let i = 0; i < 200; i++) client.send(`m${i}`);
  inside = false;
  assert.is(s.messages.length, 0, 'nothing delivered during the sends');
  await task();
  await until(() => c.messages.length === 200, '200 echoes');
  assert.equal(s.messages, Array.from({ length: 200 }, (_, i) => `m${i}`));
  assert.equal(c.messages, s.messages);
  assert.ok(seen.every((x) => x === false), 'no message event fired inside a send()');
});

test('manual mode: nothing moves until flush(), which steps chunk by chunk or runs until nothing is left', async () => {
  const pair = createWebSocketPair({ manual: true });
  const [client, server] = pair;
  const c = record(client), s = record(server);
  assert.is(pair.pending, 1, 'the request waits');
  await task();
  await task();
  assert.equal([c.events, s.events, client.readyState, server.readyState], [[], [], 0, 0], 'nothing moved by itself');
  assert.is(pair.flush(1), 1);
  assert.equal([c.events, s.events], [[], ['open']], 'the request reached the server, which answered');
  assert.is(pair.pending, 1, 'the 101 waits');
  assert.is(pair.flush(), 1);
  assert.equal(c.events, ['open']);
  assert.is(pair.flush(), 0, 'nothing left');
  server.onmessage = (e) => server.send(`${e.data}!`);
  client.send('a');
  client.send('b');
  assert.is(pair.pending, 2);
  await task();
  assert.is(s.messages.length, 0, 'still nothing without flush()');
  // Two chunks up, then the two echoes they caused.
  assert.is(pair.flush(), 4);
  assert.equal(s.messages, ['a', 'b']);
  assert.equal(c.messages, ['a!', 'b!']);
});

test('flush() inside an event handler does nothing; in the default mode it delivers at once', async () => {
  const pair = createWebSocketPair();
  const [client, server] = pair;
  const c = record(client), s = record(server);
  let nested = -1;
  server.onopen = () => { nested = pair.flush(); };
  assert.is(pair.flush(), 2, 'the request and the 101, now');
  assert.is(nested, 0);
  assert.equal([c.events, s.events], [['open'], ['open']]);
});

test('close() from the client: the closing handshake, both close events with the code and reason, wasClean', async () => {
  const { pair, client, server, c, s } = openManual();
  const states = [];
  server.onclose = () => states.push(['server closed; client', client.readyState]);
  client.close(4000, 'done');
  assert.is(client.readyState, 2, 'closing once its Close is sent');
  assert.equal(c.events, ['open'], 'no close event before the peer answers');
  pair.flush();
  assert.equal(s.close, { code: 4000, reason: 'done', wasClean: true });
  assert.equal(c.close, { code: 4000, reason: 'done', wasClean: true });
  assert.equal([client.readyState, server.readyState], [3, 3]);
  assert.equal(states, [['server closed; client', 2]]);
  assert.equal([c.events, s.events], [['open', 'close'], ['open', 'close']], 'no error event on a clean close');
  assert.is(pair.pending, 0);
});

test('close() from the server, and a Close without a code (1005)', async () => {
  const a = openManual();
  a.server.close(1001, 'going away');
  a.pair.flush();
  assert.equal(a.c.close, { code: 1001, reason: 'going away', wasClean: true });
  assert.equal(a.s.close, { code: 1001, reason: 'going away', wasClean: true });
  const b = openManual();
  b.client.close();
  b.pair.flush();
  // RFC 6455 §7.1.5: a Close with no status code is reported as 1005.
  assert.equal(b.c.close, { code: 1005, reason: '', wasClean: true });
  assert.equal(b.s.close, { code: 1005, reason: '', wasClean: true });
});

test('both sides close at once: the Close frames cross, each reports the code it received, both clean', async () => {
  const { pair, client, server, c, s } = openManual();
  client.close(4001, 'from client');
  server.close(4002, 'from server');
  pair.flush();
  // RFC 6455 §7.1.5: the close code is that of the first Close received.
  assert.equal(c.close, { code: 4002, reason: 'from server', wasClean: true });
  assert.equal(s.close, { code: 4001, reason: 'from client', wasClean: true });
  assert.equal([client.readyState, server.readyState], [3, 3]);
  assert.is(pair.pending, 0);
});

test('the heartbeat runs over the pair: the server pings, the client answers by itself', async () => {
  const pair = createWebSocketPair({ server: { heartbeat: { interval: 5, timeout: 1000 } } });
  const [client, server] = pair;
  const c = record(client), s = record(server);
  await until(() => s.pongs.length >= 2, 'two pongs');
  assert.ok(c.pings.length >= 2);
  client.close(1000);
  await until(() => s.close && c.close, 'both closed');
  assert.equal(s.close, { code: 1000, reason: '', wasClean: true });
});

test('a flipped mask bit (tap) makes the server fail with 1002; the client sees the Close code', async () => {
  const pair = createWebSocketPair({
    manual: true,
    // RFC 6455 §5.1: a server must close the connection on an unmasked client frame.
    tap: (direction, bytes) => { if (direction === 'client-to-server' && bytes[0] === 0x81) bytes[1] &= 0x7f; },
  });
  const [client, server] = pair;
  const c = record(client), s = record(server);
  pair.flush();
  client.send('hi');
  pair.flush();
  assert.equal(s.messages, []);
  assert.is(s.close.code, 1002);
  assert.is(s.close.wasClean, false, 'the server failed the connection');
  assert.ok(s.events.includes('error'));
  assert.is(c.close.code, 1002, 'the client reports the code of the Close it received');
  assert.is(c.close.wasClean, true, 'the client answered the Close: clean on its side');
  assert.equal(c.events, ['open', 'close'], 'no error event on the client');
  assert.equal([client.readyState, server.readyState], [3, 3]);
});

test('a server limit: a message over maxMessageSize fails it with 1009, which the client sees; the options reach each side', async () => {
  const { pair, c, s, client } = openManual({ server: { maxMessageSize: 10 } });
  client.send('0123456789');
  client.send('0123456789A');
  pair.flush();
  assert.equal(s.messages, ['0123456789']);
  assert.is(s.close.code, 1009);
  assert.is(c.close.code, 1009);
});

test('the tap replaces a chunk, or drops it (null or [])', async () => {
  let replace = true;
  const pair = createWebSocketPair({
    manual: true,
    tap: (direction, bytes) => {
      if (direction !== 'server-to-client' || bytes[0] !== 0x81) return undefined;
      if (replace) { replace = false; return encodeFrame(1, 'replaced'); }
      return DEC.decode(bytes.subarray(2)) === 'drop me' ? null : DEC.decode(bytes.subarray(2)) === 'me too' ? [] : undefined;
    },
  });
  const [client, server] = pair;
  const c = record(client);
  pair.flush();
  for (const text of ['original', 'drop me', 'me too', 'kept']) server.send(text);
  pair.flush();
  assert.equal(c.messages, ['replaced', 'kept']);
});

test('the tap splits: every chunk cut into 1-byte pieces, each its own receive, and the connection still works', async () => {
  const pieces = { 'client-to-server': 0, 'server-to-client': 0 };
  const pair = createWebSocketPair({
    client: { protocols: ['p'] },
    server: { protocols: ['p'] },
    tap: (direction, bytes) => { pieces[direction] += bytes.length; return Array.from(bytes, (b) => new Uint8Array([b])); },
  });
  const [client, server] = pair;
  const c = record(client), s = record(server);
  server.onmessage = (e) => server.send(e.data);
  client.onopen = () => client.send('split');
  await until(() => c.messages.length === 1, 'the echo');
  assert.equal(c.messages, ['split']);
  assert.is(client.protocol, 'p');
  client.close(1000);
  await until(() => c.close && s.close, 'both closed');
  assert.equal(c.close, { code: 1000, reason: '', wasClean: true });
  assert.ok(pieces['client-to-server'] > 100 && pieces['server-to-client'] > 100, 'the handshake went through the tap too');
});

test('a split inside a frame header and a chunk that carries two frames are read right (the chunking is the tap\'s)', async () => {
  let held = null;
  const pair = createWebSocketPair({
    manual: true,
    tap: (direction, bytes) => {
      if (direction !== 'server-to-client' || bytes[0] !== 0x82) return undefined;
      // Holds the first frame back, then sends it with the second, cut after one byte.
      if (held === null) { held = bytes.slice(); return null; }
      const both = concat(held, bytes);
      return [both.subarray(0, 1), both.subarray(1)];
    },
  });
  const [client, server] = pair;
  client.binaryType = 'uint8array';
  const c = record(client);
  pair.flush();
  server.send(new Uint8Array([1, 2, 3]));
  server.send(new Uint8Array(300).fill(9));
  pair.flush();
  assert.equal(c.messages.map((m) => m.length), [3, 300]);
  assert.equal(c.messages[0], new Uint8Array([1, 2, 3]));
});

test('a tap that throws or returns something else drops the pair: both sides see error, then close 1006', async () => {
  for (const bad of [() => { throw new RangeError('tap broke'); }, () => 42, () => ['x']]) {
    let armed = false;
    const pair = createWebSocketPair({ manual: true, tap: (d, b) => (armed ? bad(d, b) : undefined) });
    const [client, server] = pair;
    const c = record(client), s = record(server);
    pair.flush();
    armed = true;
    client.send('x');
    pair.flush();
    assert.equal(c.events, ['open', 'error', 'close'], String(bad));
    assert.equal(s.events, ['open', 'error', 'close']);
    assert.equal(c.close, { code: 1006, reason: '', wasClean: false });
    assert.equal(s.close, { code: 1006, reason: '', wasClean: false });
    assert.ok(c.error === s.error && (c.error instanceof RangeError || c.error instanceof TypeError), String(c.error));
  }
});

test('drop(): what is in flight is lost, both sides see error then close 1006 (asynchronously), later sends go nowhere', async () => {
  const pair = createWebSocketPair();
  const [client, server] = pair;
  const c = record(client), s = record(server);
  await until(() => c.events.includes('open'), 'open');
  client.send('lost');
  const why = new Error('cable cut');
  pair.drop(why);
  assert.equal(c.events, ['open'], 'nothing fires inside drop()');
  await until(() => c.close && s.close, 'both closed');
  assert.equal(s.messages, []);
  assert.equal(c.events, ['open', 'error', 'close']);
  assert.equal(s.events, ['open', 'error', 'close']);
  assert.equal([c.close, s.close], [{ code: 1006, reason: '', wasClean: false }, { code: 1006, reason: '', wasClean: false }]);
  assert.is(c.error, why);
  assert.is(s.error, why);
  assert.equal([client.readyState, server.readyState], [3, 3]);
  client.send('after');
  assert.is(pair.flush(), 0);
  assert.is(client.bufferedAmount, 0);
});

test('drop() in manual mode waits for flush(); its default error says the transport was dropped', async () => {
  const { pair, c, s } = openManual();
  pair.drop();
  assert.equal(c.events, ['open']);
  assert.is(pair.flush(), 2, 'one reset to each side');
  assert.equal([c.close.code, s.close.code], [1006, 1006]);
  assert.match(c.error.message, /dropped/);
});

test('terminate() on the server: 1006 there at once; the client gets what was in flight, then 1006', async () => {
  const { pair, client, server, c, s } = openManual();
  server.send('last words');
  server.terminate();
  assert.equal(s.events, ['open', 'error', 'close']);
  assert.is(s.close.code, 1006);
  assert.equal(c.events, ['open']);
  pair.flush();
  assert.equal(c.messages, ['last words']);
  assert.equal(c.events, ['open', 'message', 'error', 'close']);
  assert.equal(c.close, { code: 1006, reason: '', wasClean: false });
  assert.equal([client.readyState, server.readyState], [3, 3]);
  assert.is(pair.pending, 0);
});

test('bufferedAmount counts bytes sent and not yet delivered; drain follows the delivery that empties it', async () => {
  const { pair, client, server, c } = openManual();
  c.drains = 0;
  client.send(new Uint8Array(1000));
  // RFC 6455 §5.2: 2 header bytes, 126 and a 16-bit length, a 4-byte mask key.
  assert.is(client.bufferedAmount, 1000 + 4 + 4);
  client.send('ab');
  assert.is(client.bufferedAmount, 1008 + 8);
  assert.is(server.bufferedAmount, 0);
  pair.flush(1);
  assert.is(client.bufferedAmount, 8);
  assert.is(c.drains, 0);
  pair.flush(1);
  assert.is(client.bufferedAmount, 0);
  assert.is(c.drains, 1);
});

test('the link copies what a side writes: changing a buffer after send(), or a message received, touches nothing on the other side', async () => {
  const { pair, client, server, c, s } = openManual();
  client.binaryType = 'uint8array';
  server.binaryType = 'uint8array';
  const big = new Uint8Array(100000).fill(7); // large binary payloads leave a server connection uncopied
  server.send(big);
  big.fill(0);
  pair.flush();
  assert.ok(c.messages[0].every((b) => b === 7), 'the client got the bytes as they were sent');
  const frame = encodeFrame(2, new Uint8Array([1, 2, 3])); // sendFrame writes the caller's own frame
  server.sendFrame(frame);
  frame.fill(0x82, 2);
  pair.flush();
  assert.equal(c.messages[1], new Uint8Array([1, 2, 3]));
  server.onmessage = (e) => { e.data.fill(0); };
  const mine = new Uint8Array([5, 6, 7]);
  client.send(mine);
  pair.flush();
  assert.equal(mine, new Uint8Array([5, 6, 7]));
  assert.equal(s.messages[0], new Uint8Array([0, 0, 0]));
});

test('ping and pong: the server answers a Ping by itself, unless autoPong is false', async () => {
  const a = openManual();
  a.client.ping('probe');
  a.pair.flush();
  assert.equal(a.s.pings, ['probe']);
  assert.equal(a.c.pongs, ['probe']);
  const b = openManual({ server: { autoPong: false } });
  b.client.ping('probe');
  b.pair.flush();
  assert.equal(b.s.pings, ['probe']);
  assert.equal(b.c.pongs, []);
});

test('a message sent in fragments arrives whole', async () => {
  const { pair, client, s } = openManual();
  client.send('frag', { fin: false });
  client.send('men', { fin: false });
  client.send('ted');
  assert.is(pair.flush(), 3, 'three frames, three chunks');
  assert.equal(s.messages, ['fragmented']);
});

test('an extension passes through: negotiated in the handshake, its RSV1 frames on the wire, messages intact', async () => {
  const invert = (bytes) => bytes.map((b) => b ^ 0xff);
  const session = () => ({ rsv: 0x40, wants: () => true, encode: (d) => invert(d), decode: (p) => invert(p) });
  const ext = { name: 'x-invert', offer: () => [{}], accept: () => session(), negotiate: () => ({ params: {}, session: session() }) };
  const { pair, wire } = tapped({ manual: true, client: { extensions: [ext] }, server: { extensions: [ext] } });
  const [client, server] = pair;
  const c = record(client), s = record(server);
  pair.flush();
  assert.is(client.extensions, 'x-invert');
  assert.is(server.extensions, 'x-invert');
  server.onmessage = (e) => server.send(e.data);
  client.send('abc');
  pair.flush();
  assert.equal(s.messages, ['abc']);
  assert.equal(c.messages, ['abc']);
  const last = wire['server-to-client'].at(-1);
  // FIN, RSV1 (RFC 6455 §5.2: the extension's bit), text; the payload inverted.
  assert.is(last[0], 0xc1);
  assert.equal([...last.subarray(2)], [...invert(utf8('abc'))]);
});

test('the handshake timeout still runs: a manual pair never flushed ends with 1006 on the client', async () => {
  const pair = createWebSocketPair({ manual: true, client: { handshakeTimeout: 20 } });
  const c = record(pair[0]);
  await until(() => c.close !== null, 'the timeout', 5000, 1e9);
  assert.equal(c.events, ['error', 'close']);
  assert.is(c.close.code, 1006);
  assert.match(c.error.message, /opening handshake/);
  // The server's deadline runs from its creation too: what the client wrote, then its drop, end it.
  pair.flush();
  assert.is(pair[1].readyState, 3);
});

test('inject(): raw bytes from either side, past its connection; a reserved opcode to the server fails it with 1002', async () => {
  const { pair, client, server, c, s } = openManual();
  // A masked binary frame the client's connection never wrote, then one with opcode 3 (RFC 6455 §5.2: reserved).
  pair.inject('client-to-server', encodeFrame(2, new Uint8Array([9, 8]), { mask: true }));
  const injected = bufferLike(encodeFrame(1, 'from nowhere'));
  pair.inject('server-to-client', injected);
  injected.fill(0); // the caller's memory, reused: what was injected is a copy (not a Buffer's slice, a view)
  assert.is(client.bufferedAmount, 0, 'injected bytes are not the side\'s own');
  assert.is(pair.flush(), 2);
  assert.equal(new Uint8Array(s.messages[0]), new Uint8Array([9, 8]));
  assert.equal(c.messages, ['from nowhere']);
  const reserved = encodeFrame(2, new Uint8Array(0), { mask: true });
  reserved[0] = 0x83;
  pair.inject('client-to-server', reserved.buffer);
  pair.flush();
  assert.is(s.close.code, 1002);
  assert.is(c.close.code, 1002);
  assert.equal([client.readyState, server.readyState], [3, 3]);
  pair.inject('client-to-server', new Uint8Array([1]));
  assert.is(pair.pending, 0, 'nothing once the side is closed');
  assert.throws(() => pair.inject('up', new Uint8Array(1)), (e) => e instanceof TypeError && /direction/.test(e.message));
  assert.throws(() => pair.inject('client-to-server', 'text'), (e) => e instanceof TypeError && /bytes/.test(e.message));
});

test('a request the server refuses: the client fails with a HandshakeError (1006), the server ends too', async () => {
  const pair = createWebSocketPair({
    manual: true,
    tap: (direction, bytes) => (direction === 'client-to-server' ? utf8(DEC.decode(bytes).replace(/\r\nsec-websocket-version: 13/i, '\r\nSec-WebSocket-Version: 8')) : undefined),
  });
  const [client, server] = pair;
  const c = record(client), s = record(server);
  pair.flush();
  assert.equal(c.events, ['error', 'close']);
  assert.is(c.close.code, 1006);
  assert.ok(c.error instanceof HandshakeError, String(c.error));
  assert.equal(s.events, ['error', 'close'], 'the server never opened');
  assert.is(s.close.code, 1006);
  assert.equal([client.readyState, server.readyState], [3, 3]);
  assert.is(pair.pending, 0);
});

test('close() while connecting drops the client; the server, which got the request, ends with 1006 too', async () => {
  const pair = createWebSocketPair({ manual: true });
  const [client, server] = pair;
  const c = record(client), s = record(server);
  client.close();
  assert.is(client.readyState, 3);
  assert.equal(c.events, ['error', 'close']);
  pair.flush();
  assert.is(c.close.code, 1006);
  assert.is(s.close?.code, 1006);
  assert.is(server.readyState, 3);
  assert.is(pair.pending, 0);
});

test('3000 messages and their echoes in flight at once arrive in order (the queue is compacted as it goes)', async () => {
  const { pair, client, server, c, s } = openManual();
  server.onmessage = (e) => server.send(e.data);
  for (let i = 0; i < 3000; i++) client.send(String(i));
  assert.is(pair.flush(), 6000);
  assert.is(s.messages.length, 3000);
  assert.ok(c.messages.every((m, i) => m === String(i)) && c.messages.length === 3000, 'every echo, in order');
});

test('options are checked strictly: unknown keys name themselves, a side\'s option at the top says where it goes', () => {
  const te = (re) => (e) => e instanceof TypeError && re.test(e.message);
  const re = (re) => (e) => e instanceof RangeError && re.test(e.message);
  assert.throws(() => createWebSocketPair(null), te(/Expected options to be an object, got null/));
  assert.throws(() => createWebSocketPair('x'), te(/Expected options to be an object/));
  assert.throws(() => createWebSocketPair({ manul: true }), te(/Unknown option "manul" \(did you mean "manual"\?\)/));
  assert.throws(() => createWebSocketPair({ protocols: ['a'] }), te(/"protocols".*client or server/));
  assert.throws(() => createWebSocketPair({ client: { protocol: 'a' } }), te(/Unknown option "protocol"/));
  assert.throws(() => createWebSocketPair({ server: { origin: 'x' } }), te(/Unknown option "origin"/));
  assert.throws(() => createWebSocketPair({ tap: 'x' }), te(/Expected tap to be a function, got string/));
  assert.throws(() => createWebSocketPair({ manual: 1 }), te(/Expected manual to be a boolean, got number/));
  assert.throws(() => createWebSocketPair({ url: 7 }), te(/Expected url to be a string or a URL, got number/));
  assert.throws(() => createWebSocketPair({ url: {} }), (e) => e instanceof TypeError);
  const fromUrl = createWebSocketPair({ url: new URL('ws://example.test/x'), manual: true });
  assert.is(fromUrl[0].url, 'ws://example.test/x');
  fromUrl.drop(); // ends its handshake deadline's timer with it
  fromUrl.flush();
  assert.throws(() => createWebSocketPair({ url: 'ftp://x/' }), (e) => e instanceof TypeError);
  assert.throws(() => createWebSocketPair({ server: { maxMessageSize: -1 } }), re(/maxMessageSize/));
  assert.throws(() => createWebSocketPair({ client: { closeTimeout: 0 } }), re(/closeTimeout/));
  assert.throws(() => createWebSocketPair({ server: { protocols: 'a' } }), te(/protocols/));
  const pair = createWebSocketPair({ manual: true });
  assert.throws(() => pair.flush(-1), re(/limit/));
  assert.throws(() => pair.flush(1.5), re(/limit/));
  assert.throws(() => pair.flush('1'), te(/limit/));
  assert.is(pair.flush(0), 0);
  assert.is(pair.pending, 1);
  pair.drop();
  pair.flush();
});

test.run();
