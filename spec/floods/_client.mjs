// A raw WebSocket client over node:net for the flood specs: it does the
// opening handshake (RFC 6455 §4.1) and reads the server's frames with our own
// MessageReader in the client role, so the specs see exactly what came back.
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { MessageReader, ProtocolError } from '../../dist/index.js';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Opens a TCP connection to 127.0.0.1:port; resolves on 'connect'. */
export function connect(port, allowHalfOpen = false) {
  return new Promise((ok, fail) => {
    const socket = net.connect({ port, host: '127.0.0.1', allowHalfOpen });
    socket.once('connect', () => ok(socket));
    socket.once('error', fail);
  });
}

export function requestHead(port) {
  const key = randomBytes(16).toString('base64');
  return `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`;
}

/**
 * Connects and completes the handshake. Returns { socket, messages, closed }:
 * `messages` fills with what the server sends (text, binary, ping, pong,
 * close); `closed` resolves with the time TCP closed. With `read: false` the
 * client stops reading right after the 101, like a peer that never reads;
 * with `allowHalfOpen` it keeps its side open after the server's FIN.
 */
export async function open(port, { read = true, allowHalfOpen = false } = {}) {
  const socket = await connect(port, allowHalfOpen);
  socket.setNoDelay(true);
  const reader = new MessageReader({ role: 'client' });
  const messages = [];
  let head = Buffer.alloc(0);
  let upgraded = false;
  const closed = new Promise((r) => socket.once('close', () => r(Date.now())));
  socket.on('error', () => {});
  await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error('No 101 response in 5 s')), 5000);
    socket.on('data', (d) => {
      if (!upgraded) {
        head = Buffer.concat([head, d]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        clearTimeout(timer);
        if (!head.subarray(0, 12).toString().startsWith('HTTP/1.1 101')) return fail(new Error(`Handshake refused: ${head.subarray(0, end)}`));
        upgraded = true;
        if (!read) socket.pause();
        ok();
        d = head.subarray(end + 4);
        if (d.length === 0) return;
      }
      if (reader.closed) return;
      try { messages.push(...reader.push(d)); } catch (e) { if (e instanceof ProtocolError) messages.push({ type: 'error', code: e.closeCode }); }
    });
    socket.write(requestHead(port));
  });
  return { socket, messages, closed };
}

/** Resolves when `pred()` holds (polled), or rejects after `ms`. */
export async function until(pred, ms, what) {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`Timed out after ${ms} ms waiting for ${what}`);
    await sleep(10);
  }
}

/** Writes `bytes` honouring backpressure; resolves false if the peer stops draining for `stallMs`. */
export function writeAll(socket, bytes, stallMs = 2000) {
  return new Promise((ok) => {
    if (socket.write(bytes)) return ok(true);
    const timer = setTimeout(() => { socket.off('drain', done); ok(false); }, stallMs);
    function done() { clearTimeout(timer); ok(true); }
    socket.once('drain', done);
  });
}
