// The extension hook (RFC 6455 §9, RFC 7692 §6): negotiation in both roles
// and a per-message transform with RSV1, through a toy extension that
// inverts every byte and streams (its decode may return less than it got).
// permessage-deflate plugs into the same hook.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ClientConnection, ServerConnection } from '../../dist/connection.js';
import { encodeFrame, parseUpgradeResponse } from '../../dist/index.js';
import { concat, utf8 } from '../_util.mjs';
import { KEY } from '../_frames.mjs';
import { brief, drain, openPair, pump, requestHead, URL } from './_pair.mjs';

const test = suite('connection extension hook');
const invert = (bytes) => bytes.map((b) => b ^ 0xff);

/** Masked frames with RSV bits, which decodeFrame refuses: read by hand (RFC 6455 §5.2). */
function rawFrames(bytes) {
  const out = [];
  for (let at = 0; at < bytes.length;) {
    const b0 = bytes[at], len = bytes[at + 1] & 0x7f;
    assert.ok(len < 126 && bytes[at + 1] & 0x80, 'short masked frames only');
    const key = bytes.subarray(at + 2, at + 6);
    const payload = bytes.slice(at + 6, at + 6 + len).map((b, i) => b ^ key[i & 3]);
    out.push({ opcode: b0 & 0x0f, rsv1: (b0 & 0x40) !== 0, payload });
    at += 6 + len;
  }
  return out;
}

/** A session that inverts bytes, holding back the last byte of every piece until the message ends. */
function session(log = []) {
  let held = new Uint8Array(0);
  return {
    rsv: 0x40,
    wants: (first) => first.length >= 2,
    encode: (data) => invert(data),
    decode(piece, fin, room) {
      log.push([piece.length, fin, room]);
      const all = concat(held, invert(piece));
      const keep = fin ? 0 : Math.min(1, all.length);
      held = all.slice(all.length - keep);
      return all.subarray(0, all.length - keep);
    },
    close() { log.push('closed'); },
  };
}

/** The toy extension; `params` is the server's answer. */
function invertExtension({ params = { bits: '8' }, decline = false, log = [] } = {}) {
  return {
    name: 'x-invert',
    offer: () => [{ bits: '8' }, {}],
    accept(p) { log.push(['accept', { ...p }]); return session(log); },
    negotiate(offers) { log.push(['offers', offers.map((o) => ({ ...o }))]); return decline ? undefined : { params, session: session(log) }; },
  };
}

test('negotiated in both roles: the offer, the answer, and the agreed value on both sides', () => {
  const slog = [], clog = [];
  const { s, c } = openPair({ server: { extensions: [invertExtension({ log: slog })] }, client: { extensions: [invertExtension({ log: clog })] } });
  assert.equal(slog[0], ['offers', [{ bits: '8' }, {}]]);
  assert.equal(clog[0], ['accept', { bits: '8' }]);
  assert.is(s.extensions, 'x-invert; bits=8');
  assert.is(c.extensions, 'x-invert; bits=8');
});

test('messages the session wants go through it with RSV1 on the first frame only; others are sent as they are', () => {
  const { s, c } = openPair({ server: { extensions: [invertExtension()] }, client: { extensions: [invertExtension()] } });
  c.send('hello');
  c.send('x');
  c.send(new Uint8Array([1, 2, 3]), { fin: false });
  c.send(new Uint8Array([4]));
  const out = drain(c);
  const frames = rawFrames(out);
  assert.equal(frames.map((f) => [f.opcode, f.rsv1]), [[1, true], [1, false], [2, true], [0, false]]);
  assert.equal(Array.from(frames[0].payload), Array.from(invert(utf8('hello'))));
  s.receive(out);
  assert.equal(brief(s.takeEvents()), ['text:hello', 'text:x', 'binary:4']);
  s.send('back');
  pump(s, c);
  assert.equal(brief(c.takeEvents()), ['text:back']);
});

test('a decoded message is streamed through decode piece by piece, and its decoded size is held to maxMessageSize', () => {
  const log = [];
  const { s, c } = openPair({ server: { extensions: [invertExtension({ log })], maxMessageSize: 5 }, client: { extensions: [invertExtension()] } });
  log.length = 0;
  c.send('abcde');
  const bytes = drain(c);
  for (let i = 0; i < bytes.length; i++) s.receive(bytes.subarray(i, i + 1));
  assert.equal(brief(s.takeEvents()), ['text:abcde']);
  assert.equal(log.map((l) => l[1]), [false, false, false, false, false, true]);
  c.send('abcdef');
  pump(c, s);
  assert.equal(brief(s.takeEvents()), ['close:1009::unclean:message-too-big']);
});

test('RSV1 on a continuation or control frame fails with 1002 even when the extension is in use (RFC 7692 §6.1)', () => {
  for (const bytes of [
    concat(encodeFrame(1, 'a', { mask: KEY, fin: false }), encodeFrame(0, 'b', { mask: KEY, rsv1: true })),
    Uint8Array.of(0xc9, 0x80, 1, 2, 3, 4),
  ]) {
    const { s } = openPair({ server: { extensions: [invertExtension()] }, client: { extensions: [invertExtension()] } });
    s.receive(bytes);
    assert.equal(brief(s.takeEvents()), ['close:1002::unclean:rsv1-not-first-frame']);
  }
});

test('without an agreed extension, RSV1 fails with 1002; a declined offer sends no header', () => {
  const s = new ServerConnection({ extensions: [invertExtension({ decline: true })] });
  s.receive(utf8(requestHead({ extra: 'Sec-WebSocket-Extensions: x-invert\r\n' })));
  s.takeEvents();
  s.accept();
  assert.is(parseUpgradeResponse(drain(s)).headers['sec-websocket-extensions'], undefined);
  assert.is(s.extensions, '');
  s.takeEvents();
  s.receive(encodeFrame(1, 'a', { mask: KEY, rsv1: true }));
  assert.equal(brief(s.takeEvents()), ['close:1002::unclean:rsv-without-extension']);
});

test('the session is released when the connection ends', () => {
  const log = [];
  const { s } = openPair({ server: { extensions: [invertExtension({ log })] }, client: { extensions: [invertExtension()] } });
  s.receiveEnd();
  assert.is(log.at(-1), 'closed');
});

test('a server answer the client did not offer, or a bad session, fails the handshake', () => {
  const c = new ClientConnection(URL);
  drain(c);
  const s = new ServerConnection({ extensions: [invertExtension()] });
  s.receive(utf8(requestHead({ extra: 'Sec-WebSocket-Extensions: x-invert\r\n' })));
  s.takeEvents();
  s.accept();
  const res = new TextDecoder().decode(drain(s));
  const key = c.constructor.name && /Sec-WebSocket-Accept/.test(res);
  assert.ok(key);
  const bad = { name: 'x-bad', offer: () => [{}], accept: () => ({ rsv: 0x20, decode() {}, encode() {}, wants() {} }), negotiate: () => ({ params: {}, session: {} }) };
  const s2 = new ServerConnection({ extensions: [bad] });
  s2.receive(utf8(requestHead({ extra: 'Sec-WebSocket-Extensions: x-bad\r\n' })));
  s2.takeEvents();
  assert.throws(() => s2.accept(), (e) => e instanceof TypeError && /rsv 0x40/.test(e.message));
});

test('each connection keeps the extension list it was made with, though the caller changes the array later', () => {
  const head = utf8(requestHead({ extra: 'Sec-WebSocket-Extensions: x-invert; bits=8\r\n' }));
  const open = (list) => {
    const s = new ServerConnection({ extensions: list });
    s.receive(head);
    s.takeEvents();
    return s;
  };
  const list = [invertExtension()];
  const first = open(list), second = open(list);
  list[0] = invertExtension({ decline: true });
  const third = open(list);
  list.length = 0;
  const fourth = open(list);
  for (const [s, agreed] of [[first, 'x-invert; bits=8'], [second, 'x-invert; bits=8'], [third, ''], [fourth, '']]) {
    s.accept();
    assert.is(s.extensions, agreed);
  }
});

test.run();
