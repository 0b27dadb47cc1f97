// The cases of spec/adapters/deno.mjs that run in Deno itself: [name, async fn]
// pairs over real loopback sockets (Deno.listen, Deno.connect): the interop
// with Deno's own WebSocket server (Deno.serve + Deno.upgradeWebSocket) and
// client (WebSocket), subprotocols included, and the adapter on a real
// Deno.Conn (BYOB reads, closeWrite): a peer that stops reading, the
// half-close. No case asserts on time: they wait for outcomes.
import { MessageReader, buildUpgradeRequest, encodeFrame } from '../../dist/index.js';
import { acceptWebSocket, connectWebSocket } from '../../dist/web.js';
import { record } from './_record.mjs';

const HOST = '127.0.0.1';
const HIGH_WATER = 1024 * 1024; // the adapter's, lib/adapters/web.ts
const enc = new TextEncoder();
const dec = new TextDecoder();
export const cases = [];
const test = (name, fn) => cases.push([name, fn]);

function check(ok, message) {
  if (!ok) throw new Error(message);
}
const eq = (a, b, what) => check(JSON.stringify(a) === JSON.stringify(b), `${what}: expected ${JSON.stringify(b)}, got ${JSON.stringify(a)}`);
const sameBytes = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
async function until(pred) {
  while (!pred()) await new Promise((r) => setTimeout(r, 2));
}
const concat = (a, b) => {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
};


/** An echo server on our adapter over Deno.listen; `servers` collects each connection's socket and log. */
function serveOurs(options) {
  const listener = Deno.listen({ hostname: HOST, port: 0 });
  const servers = [];
  (async () => {
    for await (const conn of listener) {
      const ws = acceptWebSocket(conn, options);
      ws.binaryType = 'uint8array';
      ws.onmessage = (e) => ws.send(e.data);
      servers.push({ ws, log: record(ws) });
    }
  })().catch(() => {});
  return { port: listener.addr.port, servers, stop: () => listener.close() };
}

test('our client against Deno.serve + Deno.upgradeWebSocket: the subprotocol it picks, text and binary echoed, closes from either side', async () => {
  const seen = [];
  const server = Deno.serve({ hostname: HOST, port: 0, onListen() {} }, (req) => {
    const offered = (req.headers.get('sec-websocket-protocol') ?? '').split(',').map((s) => s.trim());
    seen.push(offered);
    const { socket, response } = Deno.upgradeWebSocket(req, offered.includes('b') ? { protocol: 'b' } : {});
    socket.binaryType = 'arraybuffer';
    socket.onmessage = (e) => (e.data === 'close please' ? socket.close(4000, 'as asked') : socket.send(e.data));
    return response;
  });
  const port = server.addr.port;
  try {
    const client = connectWebSocket(await Deno.connect({ hostname: HOST, port }), `ws://${HOST}:${port}/deno`, { protocols: ['a', 'b'] });
    client.binaryType = 'uint8array';
    const c = record(client);
    await until(() => c.events.includes('open') || c.close !== null);
    eq(client.protocol, 'b', 'protocol');
    eq(seen[0], ['a', 'b'], 'offered');
    const big = new Uint8Array(200000).map((_, i) => i % 251);
    client.send('hello deno');
    client.send(big);
    await until(() => c.messages.length === 2);
    eq(c.messages[0], 'hello deno', 'text echo');
    check(sameBytes(c.messages[1], big), 'binary echo');
    client.close(1000, 'bye');
    await until(() => c.close !== null);
    eq(c.close, { code: 1000, reason: 'bye', wasClean: true }, 'client close');
    // The server starts the close: our client answers and sees it clean.
    const again = connectWebSocket(await Deno.connect({ hostname: HOST, port }), `ws://${HOST}:${port}/`);
    const a = record(again);
    again.onopen = () => again.send('close please');
    await until(() => a.close !== null);
    eq(a.close, { code: 4000, reason: 'as asked', wasClean: true }, 'server-started close');
  } finally {
    await server.shutdown();
  }
});

test('Deno\'s WebSocket client against our server: the subprotocol we pick, no extension, echoes, closes from either side', async () => {
  const { port, servers, stop } = serveOurs({ protocols: ['x', 'b'] });
  try {
    const ws = new WebSocket(`ws://${HOST}:${port}/room?id=7`, ['a', 'b']);
    ws.binaryType = 'arraybuffer';
    const c = record(ws);
    await until(() => c.events.includes('open') || c.close !== null);
    eq(ws.protocol, 'b', 'protocol');
    eq(ws.extensions, '', 'extensions');
    const big = new Uint8Array(300000).map((_, i) => i % 7);
    ws.send('hi ours');
    ws.send(big);
    await until(() => c.messages.length === 2);
    eq(c.messages[0], 'hi ours', 'text echo');
    check(sameBytes(new Uint8Array(c.messages[1]), big), 'binary echo');
    ws.close(1000, 'done');
    await until(() => c.close !== null && servers[0]?.log.close !== null);
    eq(c.close, { code: 1000, reason: 'done', wasClean: true }, 'client close');
    eq(servers[0].log.close, { code: 1000, reason: 'done', wasClean: true }, 'server close');
    eq(servers[0].ws.url, '/room?id=7', 'url');
    eq(servers[0].ws.protocol, 'b', 'server protocol');
    // Our server starts the close.
    const ws2 = new WebSocket(`ws://${HOST}:${port}/`);
    const d = record(ws2);
    await until(() => servers.length === 2 && d.events.includes('open'));
    servers[1].ws.close(1001, 'going away');
    await until(() => d.close !== null && servers[1].log.close !== null);
    eq(d.close, { code: 1001, reason: 'going away', wasClean: true }, 'Deno client saw');
    eq(servers[1].log.close, { code: 1001, reason: 'going away', wasClean: true }, 'our server saw');
  } finally {
    stop();
  }
});

/** A raw client on Deno.connect: its request sent, then what it reads collected (unless paused). */
async function rawClient(port) {
  const conn = await Deno.connect({ hostname: HOST, port });
  const reader = conn.readable.getReader();
  const writer = conn.writable.getWriter();
  const raw = { bytes: new Uint8Array(0), ended: false, paused: false, wake: null, writer, conn };
  (async () => {
    try {
      for (;;) {
        if (raw.paused) await new Promise((r) => { raw.wake = r; });
        const { value, done } = await reader.read();
        if (done) break;
        raw.bytes = concat(raw.bytes, value);
      }
    } catch {
      // dropped
    }
    raw.ended = true;
  })();
  await writer.write(enc.encode(buildUpgradeRequest(`ws://${HOST}:${port}/`).request));
  await until(() => dec.decode(raw.bytes).includes('\r\n\r\n'));
  raw.bytes = raw.bytes.subarray(dec.decode(raw.bytes).indexOf('\r\n\r\n') + 4);
  return raw;
}

const KEY = new Uint8Array([5, 6, 7, 8]);

test('on a Deno.Conn: a client that stops reading: bufferedAmount grows, reading pauses (bounded), drain and every echo after', async () => {
  const { port, servers, stop } = serveOurs();
  try {
    const raw = await rawClient(port);
    const server = servers[0].ws;
    raw.paused = true;
    const SIZE = 64 * 1024, COUNT = 400; // 25 MiB: over the kernel's buffers both ways and the high-water mark
    let written = 0;
    const writing = (async () => {
      for (let i = 0; i < COUNT; i++) {
        await raw.writer.write(encodeFrame(0x2, new Uint8Array(SIZE).fill(i % 256), { mask: KEY }));
        written++;
      }
    })();
    let most = 0;
    await until(() => { most = Math.max(most, server.bufferedAmount); return server.bufferedAmount > HIGH_WATER; });
    let last = -1, still = 0;
    await until(() => {
      most = Math.max(most, server.bufferedAmount);
      still = written === last ? still + 1 : 0;
      last = written;
      return still >= 100;
    });
    check(written < COUNT, `the client could not write it all: the server stopped reading (${written} of ${COUNT})`);
    check(most < HIGH_WATER + 256 * 1024, `bufferedAmount stayed bounded (${most})`);
    const drains = servers[0].log.drains;
    raw.paused = false;
    raw.wake?.();
    await writing;
    const reader = new MessageReader({ role: 'client', maxMessageSize: Infinity });
    let echoes = 0, at = 0;
    await until(() => {
      for (const m of reader.push(raw.bytes.subarray(at))) {
        check(m.data.length === SIZE && m.data[0] === echoes % 256 && m.data[SIZE - 1] === echoes % 256, `echo ${echoes} whole and in order`);
        echoes++;
      }
      at = raw.bytes.length;
      return echoes === COUNT;
    });
    await until(() => servers[0].log.drains > drains && server.bufferedAmount === 0);
    server.terminate();
  } finally {
    stop();
  }
});

test('on a Deno.Conn: after the closing handshake our server half-closes (closeWrite: FIN) and the client still reads to the end', async () => {
  const { port, servers, stop } = serveOurs();
  try {
    const raw = await rawClient(port);
    await until(() => servers.length === 1);
    // A message, then a Close, in one write: its echo, then the Close echoed, then EOF.
    await raw.writer.write(concat(encodeFrame(0x1, enc.encode('last words'), { mask: KEY }), encodeFrame(0x8, new Uint8Array([0x03, 0xe8]), { mask: KEY })));
    await until(() => raw.ended);
    const frames = new MessageReader({ role: 'client' }).push(raw.bytes);
    eq(frames.map((f) => f.type), ['text', 'close'], 'frames');
    eq(frames[0].data, 'last words', 'echo before the Close');
    eq(frames[1].code, 1000, 'close code');
    eq(servers[0].log.close, { code: 1000, reason: '', wasClean: true }, 'server close');
    await raw.writer.close().catch(() => {});
  } finally {
    stop();
  }
});
