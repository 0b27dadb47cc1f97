// Helpers for the connection specs: a server and a client wired back to back
// in memory, bytes moved by hand in any chunking. Portable (no node: imports).
import * as assert from 'uvu/assert';
import { ClientConnection, ServerConnection } from '../../dist/connection.js';
import { decodeFrame } from '../../dist/index.js';
import { concat } from '../_util.mjs';

export const URL = 'ws://example.com/chat';

/** Everything `from` has to write, as one array (the chunks joined). */
export function drain(from) {
  return concat(...from.takeOutput());
}

/** Moves `from`'s output to `to`, cut at `cuts` (offsets) or in one piece. */
export function pump(from, to, cuts = []) {
  const bytes = drain(from);
  let at = 0;
  for (const c of [...cuts.filter((c) => c > 0 && c < bytes.length), bytes.length]) {
    if (c > at) to.receive(bytes.subarray(at, c));
    at = c;
  }
  return bytes;
}

/** A server and a client, handshake done (both open); the events it made are taken. */
export function openPair({ server = {}, client = {}, accept = {} } = {}) {
  const s = new ServerConnection(server);
  const c = new ClientConnection(URL, client);
  pump(c, s);
  const [req] = s.takeEvents();
  assert.is(req?.type, 'request');
  s.accept(accept);
  pump(s, c);
  const so = s.takeEvents(), co = c.takeEvents();
  assert.equal(so.map((e) => e.type), ['open']);
  assert.equal(co.map((e) => e.type), ['open']);
  return { s, c };
}

/** A short description of events, for equality checks. */
export function brief(events) {
  return events.map((e) => {
    if (e.type === 'message') return typeof e.data === 'string' ? `text:${e.data}` : `binary:${e.data.length}`;
    if (e.type === 'close') return `close:${e.code}:${e.reason}:${e.wasClean ? 'clean' : 'unclean'}${e.error ? ':' + (e.error.rule ?? e.error.name) : ''}`;
    if (e.type === 'ping' || e.type === 'pong') return `${e.type}:${e.data.length}`;
    return e.type;
  });
}

/** The request head a browser would send, as text. */
export function requestHead({ path = '/chat', version = '13', method = 'GET', extra = '' } = {}) {
  return `${method} ${path} HTTP/1.1\r\nHost: example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: ${version}\r\n${extra}\r\n`;
}

/** The frames in `chunks` (what takeOutput handed out: frames in a row may share a chunk), decoded in order. */
export function framesOf(chunks) {
  const bytes = concat(...chunks);
  const frames = [];
  for (let at = 0; at < bytes.length;) {
    const f = decodeFrame(bytes, undefined, at);
    if (f === null) throw new Error(`a frame is cut off at byte ${at} of ${bytes.length}`);
    frames.push(f);
    at += f.byteLength;
  }
  return frames;
}
