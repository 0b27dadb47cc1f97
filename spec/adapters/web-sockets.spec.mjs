// websocket-server/web in Node, over Duplex.toWeb of loopback TCP sockets:
// our client against ws's server and ws's client against our server
// (subprotocols; ws offers permessage-deflate, which our server declines), a
// frame pipelined after the head, a peer that vanishes mid-message (1006, the
// socket destroyed), a peer that stops reading (bufferedAmount grows, reading
// pauses, memory stays bounded, drain after), the close, handshake and
// heartbeat timeouts, masked frames to our client (1002) and each wrong 101
// (1006 with the HandshakeError's rule). The same cases over in-memory
// streams: spec/adapters/web.spec.mjs.
import net from 'node:net';
import { Duplex } from 'node:stream';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import WebSocket, { WebSocketServer } from 'ws';
import { MessageReader, buildUpgradeRequest, buildUpgradeResponse, encodeFrame, parseUpgradeRequest } from '../../dist/index.js';
import { acceptWebSocket, connectWebSocket } from '../../dist/web.js';
import { record } from './_record.mjs';

const test = suite('web adapter over node:net');
const HIGH_WATER = 1024 * 1024; // the adapter's, lib/adapters/web.ts
const KEY = Buffer.from([9, 8, 7, 6]);

async function until(fn, what, ms = 15000) {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`Timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** A TCP server on a free loopback port; `onSocket(socket)` for each connection. */
async function listen(onSocket) {
  const server = net.createServer(onSocket);
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { port: server.address().port, close: () => new Promise((r) => server.close(r)) };
}

function dial(port) {
  const socket = net.connect(port, '127.0.0.1');
  socket.setNoDelay(true);
  return socket;
}


/** Everything a raw socket receives, and whether it ended. */
function collect(socket) {
  const got = { bytes: Buffer.alloc(0), ended: false, closed: false };
  socket.on('data', (d) => { got.bytes = Buffer.concat([got.bytes, d]); });
  socket.on('end', () => { got.ended = true; });
  socket.on('close', () => { got.closed = true; });
  socket.on('error', () => {});
  return got;
}

const headEnd = (bytes) => bytes.indexOf('\r\n\r\n');
const after = (bytes) => bytes.subarray(headEnd(bytes) + 4);
const masked = (opcode, payload) => encodeFrame(opcode, typeof payload === 'string' ? Buffer.from(payload) : payload, { mask: KEY });

test('our client against ws\'s server: the subprotocol it picks, text and a 1 MiB binary echoed, a clean close', async () => {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', handleProtocols: (offered) => (offered.has('b') ? 'b' : false) });
  await new Promise((r) => wss.once('listening', r));
  wss.on('connection', (ws) => ws.on('message', (data, binary) => ws.send(data, { binary })));
  const { port } = wss.address();
  const client = connectWebSocket(Duplex.toWeb(dial(port)), `ws://127.0.0.1:${port}/path?q=1`, { protocols: ['a', 'b'] });
  client.binaryType = 'uint8array';
  const c = record(client);
  await until(() => c.events.includes('open'), 'open');
  assert.is(client.protocol, 'b');
  const big = new Uint8Array(1 << 20).map((_, i) => i % 251);
  client.send('hello ws');
  client.send(big);
  await until(() => c.messages.length === 2, 'two echoes');
  assert.is(c.messages[0], 'hello ws');
  assert.equal(c.messages[1], big);
  client.close(1000, 'bye');
  await until(() => c.close !== null, 'closed');
  assert.equal(c.close, { code: 1000, reason: 'bye', wasClean: true });
  await new Promise((r) => wss.close(r));
});

test('ws\'s client against our server: the subprotocol we pick, no extension (ws offers permessage-deflate), echoes, a clean close', async () => {
  const servers = [];
  const srv = await listen((socket) => {
    const ws = acceptWebSocket(Duplex.toWeb(socket), { protocols: ['x', 'b'] });
    ws.binaryType = 'uint8array';
    ws.onmessage = (e) => ws.send(e.data);
    servers.push({ ws, log: record(ws) });
  });
  const client = new WebSocket(`ws://127.0.0.1:${srv.port}/room`, ['a', 'b']);
  const got = [];
  client.on('message', (data, binary) => got.push(binary ? new Uint8Array(data) : data.toString()));
  await new Promise((r, j) => { client.once('open', r); client.once('error', j); });
  assert.is(client.protocol, 'b');
  assert.is(client.extensions, '');
  const big = new Uint8Array(200000).map((_, i) => i % 13);
  client.send('hi');
  client.send(big);
  await until(() => got.length === 2, 'two echoes');
  assert.is(got[0], 'hi');
  assert.equal(got[1], big);
  const closed = new Promise((r) => client.once('close', (code, reason) => r({ code, reason: reason.toString() })));
  client.close(1000, 'done');
  assert.equal(await closed, { code: 1000, reason: 'done' });
  const [{ ws, log }] = servers;
  await until(() => log.close !== null, 'the server closed');
  assert.equal(log.close, { code: 1000, reason: 'done', wasClean: true });
  assert.is(ws.protocol, 'b');
  assert.is(ws.extensions, '');
  assert.is(ws.url, '/room');
  await srv.close();
});

test('many connections echoing 16 KiB messages at once: every echo whole and in order (joined writes reuse pooled buffers once written)', async () => {
  const srv = await listen((socket) => {
    const ws = acceptWebSocket(Duplex.toWeb(socket));
    ws.binaryType = 'uint8array';
    ws.onmessage = (e) => ws.send(e.data);
  });
  const N = 8, COUNT = 40, SIZE = 16 * 1024;
  const payload = (c, i) => new Uint8Array(SIZE).map((_, k) => (c * 31 + i * 7 + k) & 255);
  await Promise.all(Array.from({ length: N }, async (_, c) => {
    const client = connectWebSocket(Duplex.toWeb(dial(srv.port)), `ws://127.0.0.1:${srv.port}/`);
    client.binaryType = 'uint8array';
    const log = record(client);
    await until(() => log.events.includes('open'), 'open');
    for (let i = 0; i < COUNT; i++) client.send(payload(c, i));
    await until(() => log.messages.length === COUNT, `${COUNT} echoes`);
    log.messages.forEach((m, i) => assert.equal(m, payload(c, i), `connection ${c}, echo ${i}`));
    client.close();
    await until(() => log.close !== null, 'closed');
  }));
  await srv.close();
});

test('a frame in the same write as the request head is kept and answered', async () => {
  let log;
  const srv = await listen((socket) => {
    const ws = acceptWebSocket(Duplex.toWeb(socket));
    ws.onmessage = (e) => ws.send(`echo ${e.data}`);
    log = record(ws);
  });
  const socket = dial(srv.port);
  const got = collect(socket);
  const { request } = buildUpgradeRequest(`ws://127.0.0.1:${srv.port}/`);
  socket.write(Buffer.concat([Buffer.from(request), masked(0x1, 'pipelined')]));
  await until(() => headEnd(got.bytes) >= 0 && new MessageReader({ role: 'client' }).push(after(got.bytes)).length === 1, 'the echo');
  const [m] = new MessageReader({ role: 'client' }).push(after(got.bytes));
  assert.is(m.data, 'echo pipelined');
  assert.equal(log.messages, ['pipelined']);
  socket.destroy();
  await until(() => log.close !== null, 'closed');
  await srv.close();
});

test('a peer that vanishes mid-message: error, close 1006, the server\'s socket closed', async () => {
  let log, serverSocket;
  const srv = await listen((socket) => {
    serverSocket = socket;
    log = record(acceptWebSocket(Duplex.toWeb(socket)));
  });
  const socket = dial(srv.port);
  const got = collect(socket);
  socket.write(buildUpgradeRequest(`ws://127.0.0.1:${srv.port}/`).request);
  await until(() => headEnd(got.bytes) >= 0, 'the 101');
  socket.write(masked(0x2, Buffer.alloc(5000)).subarray(0, 2000));
  await new Promise((r) => setTimeout(r, 10));
  socket.resetAndDestroy();
  await until(() => log.close !== null && serverSocket.destroyed, 'closed and destroyed');
  assert.equal(log.close, { code: 1006, reason: '', wasClean: false });
  assert.equal(log.events, ['open', 'error', 'close']);
  await srv.close();
});

test('a peer that stops reading: bufferedAmount grows, reading pauses (memory bounded), then drain and every echo in order', async () => {
  let server, log;
  const srv = await listen((socket) => {
    server = acceptWebSocket(Duplex.toWeb(socket));
    server.binaryType = 'uint8array';
    server.onmessage = (e) => server.send(e.data);
    log = record(server);
  });
  const socket = dial(srv.port);
  const got = collect(socket);
  socket.write(buildUpgradeRequest(`ws://127.0.0.1:${srv.port}/`).request);
  await until(() => headEnd(got.bytes) >= 0, 'the 101');
  const head = headEnd(got.bytes) + 4;
  socket.pause();
  // Far more than the kernel's buffers both ways and the high-water mark.
  const SIZE = 64 * 1024, COUNT = 640;
  for (let i = 0; i < COUNT; i++) socket.write(masked(0x2, Buffer.alloc(SIZE, i % 256)));
  let most = 0;
  await until(() => { most = Math.max(most, server.bufferedAmount); return server.bufferedAmount > HIGH_WATER; }, 'bufferedAmount over the high-water mark');
  let last = -1, still = 0;
  await until(() => {
    most = Math.max(most, server.bufferedAmount);
    still = socket.writableLength === last ? still + 1 : 0;
    last = socket.writableLength;
    return still >= 100;
  }, 'the client\'s writes stall');
  assert.ok(socket.writableLength > 0, 'the client could not write all of it: the server stopped reading');
  // Node's readable adapter reads ahead a little: the bound allows that, and is far under the 40 MiB sent.
  assert.ok(most < HIGH_WATER + 2 * 1024 * 1024, `bufferedAmount stayed bounded (${most})`);
  const drains = log.drains;
  const reader = new MessageReader({ role: 'client', maxMessageSize: Infinity });
  let echoes = 0, inOrder = true;
  got.bytes = got.bytes.subarray(head);
  socket.removeAllListeners('data');
  socket.on('data', (d) => {
    for (const m of reader.push(d)) {
      if (m.data.length !== SIZE || m.data[0] !== echoes % 256 || m.data[SIZE - 1] !== echoes % 256) inOrder = false;
      echoes++;
    }
  });
  if (got.bytes.length > 0) socket.emit('data', got.bytes);
  socket.resume();
  await until(() => echoes === COUNT, `every echo (${echoes})`, 60000);
  assert.ok(inOrder, 'the echoes came whole and in order');
  await until(() => log.drains > drains && server.bufferedAmount === 0, 'drain');
  socket.destroy();
  await srv.close();
});

test('timeouts over a socket: no head (handshake), no answer to our Close (close), no Pong (heartbeat): 1006 each, the socket closed', async () => {
  const logs = [];
  const options = [{ handshakeTimeout: 40 }, { closeTimeout: 40 }, { heartbeat: { interval: 20, timeout: 20 } }];
  let n = 0;
  const srv = await listen((socket) => {
    const ws = acceptWebSocket(Duplex.toWeb(socket), options[n++]);
    if (n === 2) ws.onopen = () => ws.close(1000);
    logs.push({ log: record(ws), socket });
  });
  const sockets = [];
  for (let i = 0; i < 3; i++) {
    const socket = dial(srv.port);
    collect(socket); // reads (so the peer's buffer never fills) and answers nothing
    if (i > 0) socket.write(buildUpgradeRequest(`ws://127.0.0.1:${srv.port}/`).request);
    sockets.push(socket);
    await until(() => logs.length === i + 1, 'accepted');
  }
  await until(() => logs.every(({ log, socket }) => log.close !== null && socket.destroyed), 'all three dropped');
  assert.match(logs[0].log.error.message, /opening handshake/);
  assert.match(logs[1].log.error.message, /closing handshake/);
  assert.match(logs[2].log.error.message, /No pong/);
  for (const { log } of logs) assert.equal(log.close, { code: 1006, reason: '', wasClean: false });
  for (const s of sockets) s.destroy();
  await srv.close();
});

test('a masked frame from the server: our client fails with 1002, sends its Close, and the server sees its end', async () => {
  let got;
  const srv = await listen((socket) => {
    got = collect(socket);
    socket.once('data', (d) => {
      const req = parseUpgradeRequest(d);
      got.bytes = Buffer.alloc(0);
      socket.write(Buffer.concat([Buffer.from(buildUpgradeResponse(req.key)), encodeFrame(0x1, Buffer.from('masked'), { mask: KEY })]));
    });
  });
  const client = connectWebSocket(Duplex.toWeb(dial(srv.port)), `ws://127.0.0.1:${srv.port}/`);
  const c = record(client);
  await until(() => c.close !== null && got.ended, 'closed and ended');
  assert.equal(c.close, { code: 1002, reason: '', wasClean: false });
  assert.is(c.error.rule, 'server-frame-masked');
  const frames = new MessageReader({ role: 'server' }).push(got.bytes);
  assert.is(frames.length, 1);
  assert.is(frames[0].code, 1002);
  await srv.close();
});

const WRONG = [
  ['status-not-101', () => 'HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n'],
  ['upgrade-not-websocket', (key) => buildUpgradeResponse(key).replace('Upgrade: websocket', 'Upgrade: h2c')],
  ['connection-not-upgrade', (key) => buildUpgradeResponse(key).replace('Connection: Upgrade', 'Connection: close')],
  ['accept-mismatch', () => buildUpgradeResponse('AAAAAAAAAAAAAAAAAAAAAA==')],
  ['protocol-not-offered', (key) => buildUpgradeResponse(key, { protocol: 'z' })],
  ['extension-not-offered', (key) => buildUpgradeResponse(key).replace('\r\n\r\n', '\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n')],
];

test('each wrong 101: error with the HandshakeError naming the check, close 1006, nothing more sent', async () => {
  let respond;
  const gots = [];
  const srv = await listen((socket) => {
    const got = collect(socket);
    gots.push(got);
    socket.once('data', (d) => { got.bytes = Buffer.alloc(0); socket.end(respond(parseUpgradeRequest(d).key)); });
  });
  for (const [rule, response] of WRONG) {
    respond = response;
    const client = connectWebSocket(Duplex.toWeb(dial(srv.port)), `ws://127.0.0.1:${srv.port}/`, { protocols: 'a' });
    const c = record(client);
    await until(() => c.close !== null, `${rule}: closed`);
    assert.equal(c.close, { code: 1006, reason: '', wasClean: false }, rule);
    assert.equal(c.events, ['error', 'close'], rule);
    assert.is(c.error.rule, rule);
    await until(() => gots.at(-1).closed, `${rule}: the socket closed`);
    assert.is(gots.at(-1).bytes.length, 0, `${rule}: nothing sent after the request`);
  }
  await srv.close();
});

test.run();
