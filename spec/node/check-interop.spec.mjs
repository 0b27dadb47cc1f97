// checkUpgradeRequest against a real client: ws's request head, captured
// from a raw TCP server, passes as bytes at every split point and as Node's
// IncomingMessage, with the same request; the handshake then completes with
// selectProtocol's choice; and ws (through Node's strict HTTP parser) reads
// every refusal buildRejectResponse writes, with its status and headers.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { once } from 'node:events';
import { createServer as createHttpServer, request } from 'node:http';
import { createServer } from 'node:net';
import WebSocket from 'ws';
import { buildRejectResponse, buildUpgradeResponse, checkUpgradeRequest, selectProtocol, validateUpgradeRequest } from '../../dist/index.js';

const test = suite('check interop');

/** The first request head a ws client sends, read from a raw TCP socket. */
async function captureHead(options) {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const chunks = [];
  const got = new Promise((resolve) => server.on('connection', (socket) => {
    socket.on('data', (c) => {
      chunks.push(c);
      const all = Buffer.concat(chunks);
      if (all.includes('\r\n\r\n')) { resolve(all); socket.destroy(); }
    });
  }));
  const ws = new WebSocket(`ws://127.0.0.1:${server.address().port}/chat?room=1`, ['superchat', 'chat'], options);
  ws.on('error', () => {});
  const head = await got;
  server.close();
  return head;
}

/** A Node HTTP server that answers each upgrade with `answer(req)` and records the request. */
async function upgradeServer(answer) {
  const seen = [];
  const server = createHttpServer();
  server.on('upgrade', (req, socket) => { seen.push(req); socket.end(answer(req)); });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, seen, url: `ws://127.0.0.1:${server.address().port}/chat?room=1` };
}

const comparable = ({ headLength, rawHeaders, ...rest }) => ({ ...rest, headers: { ...rest.headers }, raw: rawHeaders.map(([n, v]) => [n.toLowerCase(), v]) });

test("ws's request head passes, at every split point", async () => {
  for (const options of [{}, { perMessageDeflate: false }, { origin: 'http://example.com', headers: { Cookie: 'a=1' } }]) {
    const head = await captureHead(options);
    const r = checkUpgradeRequest(head);
    assert.is(r?.ok, true, `${JSON.stringify(options)}: ${r?.reason}`);
    assert.is(r.request.path, '/chat?room=1');
    assert.equal(r.request.protocols, ['superchat', 'chat']);
    assert.is(r.request.headLength, head.length);
    assert.is(selectProtocol(r.request.protocols, ['chat', 'superchat']), 'chat');
    for (let n = 0; n < head.length; n++) assert.is(checkUpgradeRequest(head.subarray(0, n)), null, `prefix of ${n}`);
  }
});

test("Node's IncomingMessage gives the request its head gives; ws opens with the protocol selected", async () => {
  let fromHead;
  const raw = await captureHead({});
  fromHead = checkUpgradeRequest(raw).request;
  const { server, seen, url } = await upgradeServer((req) => {
    const r = checkUpgradeRequest(req);
    if (!r.ok) return buildRejectResponse(r.status, r.reason, r.headers);
    return buildUpgradeResponse(r.request.key, { protocol: selectProtocol(r.request.protocols, ['chat']) });
  });
  const ws = new WebSocket(url, ['superchat', 'chat']);
  await once(ws, 'open');
  assert.is(ws.protocol, 'chat');
  ws.terminate();
  server.close();
  const fromNode = checkUpgradeRequest(seen[0]);
  assert.is(fromNode.ok, true);
  assert.is(fromNode.request.headLength, 0);
  assert.is(validateUpgradeRequest(seen[0]), true);
  // The same request but its key and (per connection) Host port.
  const a = comparable(fromNode.request), b = comparable(fromHead);
  for (const x of [a, b]) { delete x.key; delete x.host; delete x.headers['sec-websocket-key']; delete x.headers.host; x.raw = x.raw.filter(([n]) => n !== 'sec-websocket-key' && n !== 'host'); }
  assert.equal(a, b);
});

test('ws reads every refusal: status, Allow, Sec-WebSocket-Version, Content-Length body', async () => {
  const CASES = [
    // [client options, the status, the header that must come with it]
    [{ protocolVersion: 8 }, 426, ['sec-websocket-version', '13']],
  ];
  const { server, url } = await upgradeServer((req) => {
    const r = checkUpgradeRequest(req);
    return r.ok ? buildRejectResponse(403, 'Forbidden here ☕', { 'X-Why': 'test' }) : buildRejectResponse(r.status, r.reason, r.headers);
  });
  for (const [options, status, header] of [...CASES, [{}, 403, ['x-why', 'test']]]) {
    const ws = new WebSocket(url, options);
    ws.on('error', () => {});
    const [, res] = await once(ws, 'unexpected-response');
    assert.is(res.statusCode, status, JSON.stringify(options));
    if (header !== null) assert.is(res.headers[header[0]], header[1]);
    assert.is(res.headers.connection, 'close');
    const chunks = [];
    for await (const c of res) chunks.push(c);
    const body = Buffer.concat(chunks);
    assert.is(body.length, Number(res.headers['content-length']));
    assert.ok(body.toString().length > 0);
    ws.terminate();
  }
  // What ws never sends, through Node's own client and its strict parser.
  const key = 'dGhlIHNhbXBsZSBub25jZQ==';
  const RAW = [
    ['POST', { Upgrade: 'websocket', Connection: 'Upgrade', 'Sec-WebSocket-Key': key, 'Sec-WebSocket-Version': '13' }, 405, ['allow', 'GET'], 'method-not-get'],
    ['GET', { Upgrade: 'websocket', Connection: 'Upgrade', 'Sec-WebSocket-Key': 'short', 'Sec-WebSocket-Version': '13' }, 400, null, 'invalid-key'],
    ['GET', { Upgrade: 'websocket', Connection: 'Upgrade', 'Sec-WebSocket-Key': key }, 426, ['sec-websocket-version', '13'], 'unsupported-version'],
  ];
  for (const [method, headers, status, header, rule] of RAW) {
    const req = request(url.replace('ws:', 'http:'), { method, headers });
    req.end();
    const [res] = await once(req, 'response');
    assert.is(res.statusCode, status, rule);
    if (header !== null) assert.is(res.headers[header[0]], header[1]);
    const chunks = [];
    for await (const c of res) chunks.push(c);
    assert.is(Buffer.concat(chunks).toString(), rule);
  }
  server.close();
});

test.run();
