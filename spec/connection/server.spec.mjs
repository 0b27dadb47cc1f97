// ServerConnection's opening handshake (RFC 6455 §4.2): the request read in
// any chunking, bad requests refused with the right status by the connection
// itself, accept and reject, and bytes after the head kept.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ServerConnection, InvalidStateError } from '../../dist/connection.js';
import { MAX_HEAD_BYTES, computeAcceptKey, encodeFrame, parseUpgradeResponse } from '../../dist/index.js';
import { bufferLike, concat, utf8 } from '../_util.mjs';
import { KEY, everyByte } from '../_frames.mjs';
import { brief, drain, framesOf, requestHead } from './_pair.mjs';

const test = suite('ServerConnection handshake');
const text = (bytes) => new TextDecoder().decode(bytes);

test('a request and a pipelined frame, cut at every byte, give one request event and the frame after accept', () => {
  const bytes = concat(utf8(requestHead({ extra: 'Sec-WebSocket-Protocol: a, b\r\n' })), encodeFrame(1, 'early', { mask: KEY }));
  for (const cut of everyByte(bytes.length)) {
    const s = new ServerConnection();
    s.receive(bytes.subarray(0, cut));
    s.receive(bytes.subarray(cut));
    const events = s.takeEvents();
    assert.equal(events.map((e) => e.type), ['request'], `cut ${cut}`);
    assert.equal(events[0].request.protocols, ['a', 'b']);
    assert.is(s.state, 'connecting');
    assert.is(s.deadline, 'handshake');
    assert.is(s.request, events[0].request);
    s.accept({ protocol: 'b' });
    assert.is(s.request, null, 'let go once answered');
    assert.equal(brief(s.takeEvents()), ['open', 'text:early'], `cut ${cut}`);
    const res = parseUpgradeResponse(drain(s));
    assert.is(res.status, 101);
    assert.is(res.headers['sec-websocket-accept'], computeAcceptKey('dGhlIHNhbXBsZSBub25jZQ=='));
    assert.is(res.headers['sec-websocket-protocol'], 'b');
    assert.is(s.protocol, 'b');
    assert.is(s.deadline, null);
  }
});

test('bytes after the head are kept as they came, though the caller reuses its chunk before accept (a Buffer\'s slice is a view)', () => {
  const head = utf8(requestHead());
  const frame = encodeFrame(1, 'early', { mask: KEY });
  for (const cut of [head.length, head.length + 3]) {
    const s = new ServerConnection();
    const chunk = bufferLike(concat(head, frame));
    s.receive(chunk.subarray(0, cut));
    const rest = chunk.subarray(cut);
    s.receive(rest);
    assert.equal(s.takeEvents().map((e) => e.type), ['request']);
    chunk.fill(0); // the transport reads its next chunk into the same memory
    s.accept();
    assert.equal(brief(s.takeEvents()), ['open', 'text:early'], `cut ${cut}`);
  }
});

for (const [name, head, status, header, rule] of [
  ['a POST', requestHead({ method: 'POST' }), 405, ['allow', 'GET'], 'method-not-get'],
  ['version 8', requestHead({ version: '8' }), 426, ['sec-websocket-version', '13'], 'unsupported-version'],
  ['garbage', 'HELLO\r\n\r\n', 400, null, 'malformed-request-line'],
  ['no key', requestHead().replace(/Sec-WebSocket-Key: [^\r]*\r\n/, ''), 400, null, 'invalid-key'],
]) {
  test(`${name} is refused with ${status} by the connection, which then ends`, () => {
    const s = new ServerConnection();
    s.receive(utf8(head));
    const events = s.takeEvents();
    assert.equal(events.map((e) => e.type), ['close']);
    assert.is(events[0].code, 1006);
    assert.is(events[0].wasClean, false);
    assert.is(events[0].error.name, 'HandshakeError');
    assert.is(events[0].error.status, status);
    assert.is(events[0].error.rule, rule);
    const out = drain(s);
    const res = parseUpgradeResponse(out);
    assert.is(res.status, status);
    if (header) assert.is(res.headers[header[0]], header[1]);
    assert.is(res.headers.connection, 'close');
    assert.is(Number(res.headers['content-length']), out.length - res.headLength);
    assert.ok(s.shouldCloseTransport);
    assert.is(s.state, 'closed');
    s.receive(utf8('more'));
    assert.equal(s.takeEvents(), []);
    assert.is(drain(s).length, 0);
  });
}

test('a head that never ends is refused with 431 once over the limit, complete or not (slowloris)', () => {
  const s = new ServerConnection();
  s.receive(utf8('GET / HTTP/1.1\r\nX-Pad: '));
  const pad = utf8('a'.repeat(1024));
  let n = 0;
  while (s.state === 'connecting' && n < 64) { s.receive(pad); n++; }
  assert.ok(n * 1024 <= MAX_HEAD_BYTES + 1024, `refused after ${n} KiB`);
  assert.is(parseUpgradeResponse(drain(s)).status, 431);
  assert.ok(s.shouldCloseTransport);
});

test('reject answers with the status, reason and headers, then closes', () => {
  const s = new ServerConnection();
  s.receive(utf8(requestHead()));
  s.takeEvents();
  s.reject(401, 'Who are you?', { 'WWW-Authenticate': 'Basic' });
  const out = drain(s);
  const res = parseUpgradeResponse(out);
  assert.is(res.status, 401);
  assert.is(res.headers['www-authenticate'], 'Basic');
  assert.is(text(out.subarray(res.headLength)), 'Who are you?');
  assert.equal(brief(s.takeEvents()), ['close:1006::unclean']);
  assert.ok(s.shouldCloseTransport);
  assert.throws(() => s.accept(), (e) => e instanceof InvalidStateError);
});

test('accept and reject need a request waiting; a protocol must have been offered', () => {
  const s = new ServerConnection();
  assert.throws(() => s.accept(), (e) => e instanceof InvalidStateError && /No upgrade request/.test(e.message));
  s.receive(utf8(requestHead({ extra: 'Sec-WebSocket-Protocol: chat\r\n' })));
  assert.throws(() => s.accept({ protocol: 'other' }), (e) => e instanceof TypeError && /not offered/.test(e.message));
  assert.throws(() => s.accept({ protcol: 'chat' }), (e) => e instanceof TypeError && /did you mean "protocol"/.test(e.message));
  s.accept({ protocol: 'chat' });
  assert.throws(() => s.accept(), (e) => e instanceof InvalidStateError && /answered already/.test(e.message));
  assert.throws(() => s.reject(400), (e) => e instanceof InvalidStateError);
});

test('receiveRequest takes a parsed request (Node\'s IncomingMessage shape); frames after it go to receive', () => {
  const s = new ServerConnection();
  s.receiveRequest({ method: 'GET', url: '/x', headers: { host: 'h', upgrade: 'websocket', connection: 'Upgrade', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-version': '13' } });
  assert.equal(s.takeEvents().map((e) => e.type), ['request']);
  s.receive(encodeFrame(2, new Uint8Array([1, 2]), { mask: KEY }));
  s.accept();
  assert.equal(brief(s.takeEvents()), ['open', 'binary:2']);
  assert.throws(() => s.receiveRequest({ method: 'GET', url: '/', headers: {} }), (e) => e instanceof InvalidStateError);
  const bad = new ServerConnection();
  bad.receiveRequest({ method: 'GET', url: '/', headers: { host: 'h' } });
  assert.equal(brief(bad.takeEvents()), ['close:1006::unclean:missing-upgrade']);
  assert.is(parseUpgradeResponse(drain(bad)).status, 400);
});

test('bytes before the answer are kept up to 1 MiB, then the request is refused', () => {
  const s = new ServerConnection();
  s.receive(utf8(requestHead()));
  assert.equal(brief(s.takeEvents()), ['request']);
  for (let i = 0; i < 16; i++) s.receive(new Uint8Array(64 * 1024));
  assert.is(s.state, 'connecting');
  s.receive(new Uint8Array(1));
  assert.is(s.state, 'closed');
  assert.is(parseUpgradeResponse(drain(s)).status, 400);
  assert.is(s.takeEvents()[0].error.name, 'RangeError');
});

test('options: unknown keys and wrong values are refused', () => {
  assert.throws(() => new ServerConnection({ maxMesageSize: 1 }), (e) => e instanceof TypeError && /did you mean "maxMessageSize"/.test(e.message));
  assert.throws(() => new ServerConnection({ maxMessageSize: -1 }), (e) => e instanceof RangeError);
  assert.throws(() => new ServerConnection({ autoPong: 'yes' }), (e) => e instanceof TypeError);
  assert.throws(() => new ServerConnection({ extensions: {} }), (e) => e instanceof TypeError);
  assert.throws(() => new ServerConnection(null), (e) => e instanceof TypeError);
  assert.throws(() => new ServerConnection().receive('text'), (e) => e instanceof TypeError);
});

test('takeEvents and takeOutput hand out a new array each time, which the connection never touches again', () => {
  const s = new ServerConnection();
  const none = [s.takeEvents(), s.takeEvents(), s.takeOutput(), s.takeOutput()];
  assert.equal(none, [[], [], [], []]);
  assert.ok(none.every((a, i) => none.indexOf(a) === i && !Object.isFrozen(a)), 'distinct, writable empty arrays');
  none.forEach((a) => a.push('junk'));
  s.receive(utf8(requestHead()));
  const events = s.takeEvents();
  assert.equal(events.map((e) => e.type), ['request']);
  s.accept();
  const out = s.takeOutput();
  assert.is(out.length, 1);
  events.push('junk');
  out.push('junk');
  s.receive(encodeFrame(1, 'hi', { mask: KEY }));
  assert.equal(s.takeEvents().map((e) => e.type), ['open', 'message']);
  s.send('a');
  s.send('b');
  const sent = s.takeOutput();
  assert.equal(framesOf(sent).map((f) => new TextDecoder().decode(f.payload)), ['a', 'b']);
  assert.is(s.bufferedAmount, 0);
  assert.equal(events.length, 2, 'an array handed out is not written to later');
  assert.equal(out.length, 2);
  assert.equal(s.takeEvents(), []);
  assert.equal(s.takeOutput(), []);
});

test.run();
