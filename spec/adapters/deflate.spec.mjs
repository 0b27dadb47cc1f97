// permessage-deflate with a peer no one here wrote (issue 15 §3): `ws` with
// perMessageDeflate, both ways, over real loopback sockets, the extension
// negotiated (its header asserted on both sides, not just the echo), each
// parameter combination, messages up to 128 KiB, many messages per
// connection with the context kept.
//   node node_modules/uvu/bin.js spec/adapters '^deflate\.spec\.mjs$'
import { createServer } from 'node:http';
import { connect } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import WebSocket, { WebSocketServer } from 'ws';
import { connectSocket, handleUpgrade } from '../../dist/node.js';
import { permessageDeflate } from '../../dist/permessage-deflate.js';

const test = suite('permessage-deflate interop (ws)');
const { setTimeout: later, clearTimeout: unlater } = globalThis;
const TIMEOUT = 20000;

/** Resolves with `promise`, or rejects naming `what` after TIMEOUT: every wait is bounded. */
function bounded(promise, what) {
  let timer;
  return Promise.race([promise, new Promise((_, reject) => { timer = later(() => reject(new Error(`${what}: nothing within ${TIMEOUT} ms`)), TIMEOUT); })]).finally(() => unlater(timer));
}

const SIZES = [0, 1, 200, 1024, 16 * 1024, 65535, 65536, 128 * 1024];
/** Text of `n` characters that compresses as text does (words, JSON, some non-ASCII). */
function text(n, seed) {
  const words = ['{"user":', '"id":', '42,', 'true', 'Grüße', 'message', 'the', 'of', '\n'];
  let s = '', x = seed;
  while (s.length < n) { x = (x * 1103515245 + 12345) >>> 0; s += words[x % words.length] + ' '; }
  return s.slice(0, n);
}
function binary(n, seed) {
  const b = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) { x = (x * 1103515245 + 12345) >>> 0; b[i] = i % 3 === 0 ? x >>> 24 : i & 0xff; }
  return b;
}
const MESSAGES = SIZES.flatMap((n, i) => [text(n, i), binary(n, i)]);

/** Our Node adapter server (node:http + handleUpgrade) echoing every message, with `options` for permessageDeflate. */
async function ourServer(options) {
  const seen = [];
  const server = createServer();
  server.on('upgrade', (req, socket, head) => {
    const ws = handleUpgrade(req, socket, head, { extensions: [permessageDeflate(options)] });
    ws.addEventListener('open', () => seen.push(ws.extensions));
    ws.addEventListener('message', (e) => ws.send(e.data));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `ws://127.0.0.1:${server.address().port}/`, seen, close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(r); }) };
}

/** Sends every message in order and resolves what came back, in order. */
async function echoAll(ws, messages, asBytes) {
  const back = [];
  const done = new Promise((resolve, reject) => {
    const onMessage = (data, isBinary) => { back.push(isBinary ? new Uint8Array(data) : asBytes ? data : data.toString()); if (back.length === messages.length) resolve(); };
    if (typeof ws.on === 'function') { ws.on('message', onMessage); ws.on('close', () => reject(new Error('closed early'))); }
    else { ws.addEventListener('message', (e) => onMessage(typeof e.data === 'string' ? e.data : e.data, typeof e.data !== 'string')); ws.addEventListener('close', (e) => reject(new Error(`closed early: ${e.code}`))); }
  });
  for (const m of messages) ws.send(m);
  if (messages.length > 0) await bounded(done, `${messages.length} echoes`);
  return back;
}

function sameMessages(got, sent) {
  assert.is(got.length, sent.length);
  for (let i = 0; i < sent.length; i++) {
    if (typeof sent[i] === 'string') assert.is(got[i], sent[i], `message ${i}`);
    else assert.equal(new Uint8Array(got[i]), sent[i], `message ${i}`);
  }
}

const COMBOS = [
  // [our server's options, ws client's perMessageDeflate, the agreed header]
  [{ threshold: 0 }, { threshold: 0 }, 'permessage-deflate'],
  [{ threshold: 0, serverNoContextTakeover: true }, { threshold: 0 }, 'permessage-deflate; server_no_context_takeover'],
  [{ threshold: 0, clientNoContextTakeover: true }, { threshold: 0 }, 'permessage-deflate; client_no_context_takeover'],
  [{ threshold: 0 }, { threshold: 0, serverMaxWindowBits: 9, clientMaxWindowBits: 10 }, 'permessage-deflate; server_max_window_bits=9; client_max_window_bits=10'],
  [{ threshold: 0, serverMaxWindowBits: 10, clientMaxWindowBits: 11, level: 9 }, { threshold: 0 }, 'permessage-deflate; server_max_window_bits=10; client_max_window_bits=11'],
  [{ threshold: 0, level: 1 }, { threshold: 0, serverNoContextTakeover: true, clientNoContextTakeover: true }, 'permessage-deflate; server_no_context_takeover; client_no_context_takeover'],
];

test('our server, a ws client: every parameter combination negotiated and every message echoed, context kept across them', async () => {
  for (const [ours, theirs, header] of COMBOS) {
    const server = await ourServer(ours);
    try {
      const ws = new WebSocket(server.url, { perMessageDeflate: theirs });
      await bounded(new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); }), 'ws open');
      assert.ok(ws.extensions.includes('permessage-deflate'), `ws sees ${ws.extensions}`);
      assert.is(server.seen[0], header, 'the header we answered');
      // Twice through, so the second round refers back into the first.
      const sent = [...MESSAGES, ...MESSAGES];
      sameMessages(await echoAll(ws, sent), sent);
      ws.close();
      await bounded(new Promise((r) => ws.once('close', r)), 'ws close');
    } finally {
      await server.close();
    }
  }
});

test('a ws server, our client: every parameter combination negotiated and every message echoed', async () => {
  const OFFERS = [
    // [our client's options, ws server's perMessageDeflate]
    [{ threshold: 0 }, { threshold: 0 }],
    [{ threshold: 0, serverNoContextTakeover: true, clientNoContextTakeover: true }, { threshold: 0 }],
    [{ threshold: 0, serverMaxWindowBits: 9, clientMaxWindowBits: 10 }, { threshold: 0 }],
    [{ threshold: 0 }, { threshold: 0, serverNoContextTakeover: true, serverMaxWindowBits: 10, clientMaxWindowBits: 12 }],
  ];
  for (const [ours, theirs] of OFFERS) {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: theirs });
    await bounded(new Promise((r) => wss.once('listening', r)), 'ws listening');
    let answered = '';
    wss.on('headers', (headers) => { answered = headers.find((h) => /^sec-websocket-extensions:/i.test(h)) ?? '(none)'; });
    wss.on('connection', (peer) => peer.on('message', (data, isBinary) => peer.send(data, { binary: isBinary })));
    try {
      const socket = connect(wss.address().port, '127.0.0.1');
      const ws = connectSocket(socket, `ws://127.0.0.1:${wss.address().port}/`, { extensions: [permessageDeflate(ours)] });
      await bounded(new Promise((resolve, reject) => { ws.addEventListener('open', resolve); ws.addEventListener('close', () => reject(new Error('closed before open'))); }), 'our client open');
      assert.match(ws.extensions, /^permessage-deflate/);
      assert.is(`Sec-WebSocket-Extensions: ${ws.extensions}`.toLowerCase(), answered.toLowerCase(), 'we use what ws answered');
      ws.binaryType = 'arraybuffer';
      const sent = [...MESSAGES, ...MESSAGES];
      sameMessages(await echoAll(ws, sent), sent);
      ws.close(1000);
      await bounded(new Promise((r) => ws.addEventListener('close', r)), 'our client close');
    } finally {
      await new Promise((r) => wss.close(r));
    }
  }
});

test('1000 small JSON messages each way on one connection, context kept (the chat case)', async () => {
  const server = await ourServer({ threshold: 0 });
  try {
    const ws = new WebSocket(server.url, { perMessageDeflate: { threshold: 0 } });
    await bounded(new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); }), 'ws open');
    const sent = Array.from({ length: 1000 }, (_, i) => JSON.stringify({ id: i, user: `user${i % 17}`, text: text(150 + (i % 50), i), at: 1700000000000 + i }));
    sameMessages(await echoAll(ws, sent), sent);
    ws.close();
  } finally {
    await server.close();
  }
});

test.run();
