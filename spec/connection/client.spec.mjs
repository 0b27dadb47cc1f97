// ClientConnection's opening handshake (RFC 6455 §4.1) and its role's rules:
// the request it writes, each wrong 101 failing with the check that broke,
// frames after the 101 kept, every frame masked with a fresh key (§5.3), and
// a masked frame from the server failing with 1002 (§5.1).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ClientConnection, InvalidStateError } from '../../dist/connection.js';
import { buildUpgradeResponse, decodeFrame, encodeFrame, parseUpgradeRequest, validateUpgradeRequest } from '../../dist/index.js';
import { concat, utf8 } from '../_util.mjs';
import { KEY, everyByte } from '../_frames.mjs';
import { brief, drain, URL } from './_pair.mjs';

const test = suite('ClientConnection');

/** A client and the request it wrote. */
function start(options) {
  const c = new ClientConnection(URL, options);
  const req = parseUpgradeRequest(drain(c));
  return { c, req };
}

test('the first output is a valid upgrade request with the options, and a fresh key each time', () => {
  const { c, req } = start({ protocols: ['a', 'b'], origin: 'https://example.com', headers: { Cookie: 'x=1' } });
  assert.ok(validateUpgradeRequest({ method: req.method, url: req.path, headers: req.headers }));
  assert.equal(req.protocols, ['a', 'b']);
  assert.is(req.origin, 'https://example.com');
  assert.is(req.headers.cookie, 'x=1');
  assert.is(req.path, '/chat');
  assert.is(c.state, 'connecting');
  assert.is(c.deadline, 'handshake');
  assert.is.not(start().req.key, req.key);
  assert.throws(() => c.send('x'), (e) => e instanceof InvalidStateError && /connecting/.test(e.message));
});

test('a 101 and the server\'s first frames in the same bytes, cut at every byte: open, then the frames', () => {
  const { req } = start({ protocols: ['chat'] });
  const bytes = concat(utf8(buildUpgradeResponse(req.key, { protocol: 'chat' })), encodeFrame(1, 'hi'), encodeFrame(9, 'p'));
  for (const cut of everyByte(bytes.length)) {
    const c = new ClientConnection(URL, { protocols: ['chat'], key: req.key });
    drain(c);
    c.receive(bytes.subarray(0, cut));
    c.receive(bytes.subarray(cut));
    assert.equal(brief(c.takeEvents()), ['open', 'text:hi', 'ping:1'], `cut ${cut}`);
    assert.is(c.protocol, 'chat');
    assert.is(c.response.status, 101);
    // The automatic Pong, masked (RFC 6455 §5.3).
    const pong = decodeFrame(drain(c), { requireMask: true });
    assert.is(pong.opcode, 0xa);
  }
});

const ok = (key, extra = '') => `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${key}\r\n${extra}\r\n`;
for (const [rule, response] of [
  ['status-not-101', () => 'HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n'],
  ['upgrade-not-websocket', (k) => ok(k).replace('Upgrade: websocket', 'Upgrade: h2c')],
  ['connection-not-upgrade', (k) => ok(k).replace('Connection: Upgrade', 'Connection: keep-alive')],
  ['accept-mismatch', () => ok('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=')],
  ['protocol-not-offered', (k) => ok(k, 'Sec-WebSocket-Protocol: other\r\n')],
  ['extension-not-offered', (k) => ok(k, 'Sec-WebSocket-Extensions: permessage-deflate\r\n')],
  ['malformed-status-line', () => 'HTTP/1.1 1O1 Switching\r\n\r\n'],
]) {
  test(`a response failing ${rule} ends the connection with 1006 and the HandshakeError`, () => {
    const { c, req } = start({ protocols: ['chat'] });
    let accept = '';
    // The right Accept for this key, from a real 101.
    accept = buildUpgradeResponse(req.key).match(/Sec-WebSocket-Accept: (.*)\r/)[1];
    c.receive(utf8(response(accept)));
    const events = c.takeEvents();
    assert.equal(brief(events), [`close:1006::unclean:${rule}`]);
    assert.is(events[0].error.name, 'HandshakeError');
    assert.ok(c.shouldCloseTransport);
    assert.is(drain(c).length, 0, 'nothing is sent after a bad 101');
  });
}

/** An open client, and what its server side would send. */
function openClient(options) {
  const { c, req } = start(options);
  c.receive(utf8(buildUpgradeResponse(req.key)));
  c.takeEvents();
  return c;
}

test('every frame the client sends is masked, with a fresh key per frame', () => {
  const c = openClient();
  c.send('one');
  c.send(new Uint8Array(70000));
  c.send('a', { fin: false });
  c.ping('p');
  c.send('b');
  c.pong();
  c.close(1000);
  const out = drain(c);
  const keys = new Set();
  let at = 0, n = 0;
  while (at < out.length) {
    const f = decodeFrame(out, { requireMask: true, maxPayload: Infinity }, at);
    assert.ok(f !== null);
    assert.ok(f.masked, `frame ${n} masked`);
    keys.add(Array.from(f.maskKey).join(','));
    at += f.byteLength;
    n++;
  }
  assert.is(n, 7);
  assert.is(keys.size, 7, 'a fresh key per frame');
});

test('a masked frame from the server fails the connection with 1002 (RFC 6455 §5.1)', () => {
  const c = openClient();
  c.receive(concat(encodeFrame(1, 'ok'), encodeFrame(1, 'masked', { mask: KEY })));
  assert.equal(brief(c.takeEvents()), ['text:ok', 'close:1002::unclean:server-frame-masked']);
  const close = decodeFrame(drain(c), { requireMask: true });
  assert.is(close.opcode, 8);
  assert.ok(c.shouldCloseTransport);
});

test('options: unknown keys, a bad URL and a second extension are refused', () => {
  assert.throws(() => new ClientConnection(URL, { protocol: 'a' }), (e) => e instanceof TypeError && /did you mean "protocols"/.test(e.message));
  assert.throws(() => new ClientConnection('ftp://x/'), (e) => e instanceof TypeError);
  assert.throws(() => new ClientConnection(URL, { protocols: ['a b'] }), (e) => e instanceof TypeError);
  const ext = (name) => ({ name, offer: () => [{}], accept() {}, negotiate() {} });
  assert.throws(() => new ClientConnection(URL, { extensions: [ext('x-a'), ext('x-b')] }), (e) => e instanceof TypeError && /one extension/.test(e.message));
  assert.throws(() => new ClientConnection(URL, { extensions: [ext('x-a'), ext('x-a')] }), (e) => e instanceof TypeError && /twice/.test(e.message));
});

test.run();
