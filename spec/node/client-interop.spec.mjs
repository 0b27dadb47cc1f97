// Node-only interop of the client handshake (RFC 6455 §4.1) with a peer no
// one here wrote: our buildUpgradeRequest over node:net to a real `ws`
// WebSocketServer, its real 101 parsed and verified (subprotocol and
// permessage-deflate negotiated), then one masked text frame each way through
// our encoder and client-role reader; and the reverse, a `ws` client accepting
// the 101 of our parseUpgradeRequest and buildUpgradeResponse.
import { createServer, connect } from 'node:net';
import { createRequire } from 'node:module';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  HandshakeError, MessageReader, buildUpgradeRequest, buildUpgradeResponse, encodeTextFrame,
  parseUpgradeRequest, parseUpgradeResponse, verifyUpgradeResponse,
} from '../../dist/index.js';

const require = createRequire(import.meta.url);
const { WebSocket, WebSocketServer } = require('ws');

const test = suite('client interop');
const TIMEOUT = 5000;

/** A ws WebSocketServer on 127.0.0.1 and an ephemeral port; resolves with it once listening. */
function wsServer(options = {}) {
  return new Promise((resolve, reject) => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, ...options });
    wss.once('listening', () => resolve(wss));
    wss.once('error', reject);
  });
}

/**
 * Opens a TCP connection, writes `request`, and resolves once the response
 * head is complete: { socket, response, rest } where rest is what came after
 * the head in the same chunks.
 */
function upgrade(port, request) {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let buffered = new Uint8Array(0);
    const timer = setTimeout(() => { socket.destroy(); reject(new Error('No response head in time')); }, TIMEOUT);
    const onData = (chunk) => {
      const joined = new Uint8Array(buffered.length + chunk.length);
      joined.set(buffered);
      joined.set(chunk, buffered.length);
      buffered = joined;
      let response;
      try {
        response = parseUpgradeResponse(buffered);
      } catch (e) {
        clearTimeout(timer); socket.destroy(); reject(e); return;
      }
      if (response === null) return;
      clearTimeout(timer);
      socket.off('data', onData);
      resolve({ socket, response, rest: buffered.subarray(response.headLength) });
    };
    socket.on('data', onData);
    socket.once('error', (e) => { clearTimeout(timer); reject(e); });
    socket.write(request, 'latin1');
  });
}

/** Resolves with the first `n` messages our client-role reader finds in `rest` and what the socket sends next. */
function readMessages(socket, rest, n) {
  const reader = new MessageReader({ role: 'client' });
  const got = [...reader.push(rest)];
  return new Promise((resolve, reject) => {
    if (got.length >= n) { resolve(got); return; }
    const timer = setTimeout(() => reject(new Error(`Only ${got.length} of ${n} messages in time`)), TIMEOUT);
    socket.on('data', (chunk) => {
      try {
        got.push(...reader.push(chunk));
      } catch (e) {
        clearTimeout(timer); reject(e); return;
      }
      if (got.length >= n) { clearTimeout(timer); resolve(got); }
    });
  });
}

test('ws WebSocketServer: its real 101 parses and verifies, a subprotocol selected, and a masked text frame goes both ways', async () => {
  const wss = await wsServer({ handleProtocols: (protocols) => (protocols.has('chat') ? 'chat' : false) });
  let seen;
  wss.on('connection', (ws, req) => {
    seen = req;
    // Sent at once: it may share a chunk with the 101, which headLength must leave intact.
    ws.send('welcome');
    ws.on('message', (data, isBinary) => ws.send(isBinary ? data : `echo: ${data}`));
  });
  try {
    const { port } = wss.address();
    const { request, key } = buildUpgradeRequest(`ws://127.0.0.1:${port}/room?id=7`, {
      protocols: ['superchat', 'chat'], origin: 'http://example.com', headers: { 'X-Trace': 'abc', Cookie: 'a=1' },
    });
    const { socket, response, rest } = await upgrade(port, request);
    try {
      assert.is(response.status, 101);
      assert.equal(verifyUpgradeResponse(response, { key, protocols: ['superchat', 'chat'] }), { protocol: 'chat', extensions: [] });
      // What ws saw of our request.
      assert.is(seen.url, '/room?id=7');
      assert.is(seen.headers.host, `127.0.0.1:${port}`);
      assert.is(seen.headers.origin, 'http://example.com');
      assert.is(seen.headers['x-trace'], 'abc');
      assert.is(seen.headers['sec-websocket-protocol'], 'superchat, chat');
      const pending = readMessages(socket, rest, 2);
      socket.write(encodeTextFrame('h\u00e9llo \u2603', { mask: true }));
      const messages = await pending;
      assert.equal(messages.map((m) => [m.type, m.data]), [['text', 'welcome'], ['text', 'echo: h\u00e9llo \u2603']]);
    } finally {
      socket.destroy();
    }
  } finally {
    wss.close();
  }
});

test('ws WebSocketServer with permessage-deflate: the extension it accepts is returned with its parameters', async () => {
  const wss = await wsServer({ perMessageDeflate: true });
  try {
    const { port } = wss.address();
    const extensions = ['permessage-deflate; client_max_window_bits'];
    const { request, key } = buildUpgradeRequest(`ws://127.0.0.1:${port}/`, { extensions });
    const { socket, response } = await upgrade(port, request);
    socket.destroy();
    const agreed = verifyUpgradeResponse(response, { key, extensions });
    assert.is(agreed.protocol, undefined);
    assert.is(agreed.extensions.length, 1);
    assert.is(agreed.extensions[0].name, 'permessage-deflate');
    // Offered nothing, the same response is refused.
    assert.throws(() => verifyUpgradeResponse(response, { key }), (err) => err instanceof HandshakeError && err.rule === 'extension-not-offered');
  } finally {
    wss.close();
  }
});

test('ws WebSocketServer refusing the client: the 401 parses, and verify names its status', async () => {
  const wss = await wsServer({ verifyClient: (_info, done) => done(false, 401, 'Unauthorized') });
  try {
    const { port } = wss.address();
    const { request, key } = buildUpgradeRequest(`ws://127.0.0.1:${port}/`);
    const { socket, response } = await upgrade(port, request);
    socket.destroy();
    assert.is(response.status, 401);
    try {
      verifyUpgradeResponse(response, { key });
      assert.unreachable('a 401 verified');
    } catch (err) {
      assert.instance(err, HandshakeError);
      assert.is(err.rule, 'status-not-101');
      assert.is(err.status, 0);
      assert.match(err.message, /401/);
    }
  } finally {
    wss.close();
  }
});

/** A node:net server answering each upgrade with `answer(request)`, then sending one text frame. */
function ourServer(answer) {
  return new Promise((resolve) => {
    const server = createServer((socket) => {
      let buffered = Buffer.alloc(0);
      socket.on('data', (chunk) => {
        buffered = Buffer.concat([buffered, chunk]);
        const req = parseUpgradeRequest(buffered);
        if (req === null) return;
        socket.removeAllListeners('data');
        socket.write(answer(req), 'latin1');
        socket.write(encodeTextFrame('from our server'));
      });
      socket.on('error', () => {});
    });
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

/** A ws client's outcome against `port`: { protocol, message } or { error }. */
function wsClient(port, protocols) {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/x`, protocols);
    const timer = setTimeout(() => { ws.terminate(); resolve({ error: 'timeout' }); }, TIMEOUT);
    ws.once('message', (data) => { clearTimeout(timer); resolve({ protocol: ws.protocol, message: String(data) }); ws.terminate(); });
    ws.once('error', (e) => { clearTimeout(timer); resolve({ error: e.message }); });
  });
}

test('reverse: a ws client accepts the 101 of buildUpgradeResponse, subprotocol included, and refuses a wrong accept', async () => {
  const good = await ourServer((req) => buildUpgradeResponse(req.key, { protocol: req.protocols.includes('chat') ? 'chat' : undefined }));
  const bad = await ourServer(() => buildUpgradeResponse('AAAAAAAAAAAAAAAAAAAAAA=='));
  try {
    assert.equal(await wsClient(good.address().port, ['superchat', 'chat']), { protocol: 'chat', message: 'from our server' });
    const refused = await wsClient(bad.address().port);
    assert.match(refused.error ?? '', /Sec-WebSocket-Accept/);
  } finally {
    good.close();
    bad.close();
  }
});

test.run();
