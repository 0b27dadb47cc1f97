// One WebSocket echo connection as a sans-IO state machine: bytes in, callbacks
// out. It owns no socket and imports nothing, so the Node, Deno and Bun echo
// servers share it; each one only wires its own socket to these callbacks.
//
// ## API
//
//   import { Session } from './_session.mjs';
//   import * as lib from 'websocket-server';      // or '../dist/index.js', 'npm:…'
//   const session = new Session({
//     lib,                   // required: the websocket-server module namespace
//     write(bytes) {},       // required: queue bytes; return false when the socket's
//                            //   buffer is full (the session then calls pause())
//     end() {},              // required: flush what was written, then close TCP (FIN)
//     destroy() {},          // required: drop the connection now (timeouts)
//     pause() {},            // required: stop delivering received bytes
//     resume() {},           // required: deliver them again
//     maxMessageSize,        // MessageReader option (default: the library's, 64 MiB)
//     maxFragments,          // MessageReader option (default: the library's, 131,072)
//     handshakeTimeoutMs,    // default 10000: drop a peer whose request head is not complete by then
//     heartbeatMs,           // default 30000, 0 disables: ping every interval, drop a peer
//                            //   that sent nothing (and read nothing) since the previous ping
//     closeTimeoutMs,        // default 5000: after end(), destroy() if the transport is still open
//     page,                  // HTML (string or bytes) served for a plain `GET /`
//     setTimeout, clearTimeout, // default: the globals every runtime has
//     onError(err) {},       // optional: an unexpected error (the connection is destroyed)
//   });
//   socket.on('data', (bytes) => session.receive(bytes));  // Uint8Array, any chunking
//   socket.on('drain', () => session.drain());             // the write buffer emptied
//   socket.on('close', () => session.closed());            // the transport is gone
//
// The constructor arms the handshake timer. `session.state` is 'handshake',
// 'open', 'closing' (the session called end(): it writes nothing more) or 'closed'.
// The library comes in as an argument, not an import, so that this file loads
// unchanged from any runtime and any way of resolving the package.

const enc = new TextEncoder();

export class Session {
  constructor(options) {
    const o = options;
    for (const name of ['write', 'end', 'destroy', 'pause', 'resume']) {
      if (typeof o[name] !== 'function') throw new TypeError(`Cannot create session: ${name} must be a function`);
    }
    if (o.lib === null || typeof o.lib !== 'object' || typeof o.lib.MessageReader !== 'function') {
      throw new TypeError('Cannot create session: lib must be the websocket-server module');
    }
    this.lib = o.lib;
    this.io = o;
    this.readerOptions = { role: 'server', maxMessageSize: o.maxMessageSize, maxFragments: o.maxFragments };
    this.heartbeatMs = o.heartbeatMs ?? 30000;
    this.closeTimeoutMs = o.closeTimeoutMs ?? 5000;
    this.page = typeof o.page === 'string' ? enc.encode(o.page) : o.page;
    this.setTimer = o.setTimeout ?? globalThis.setTimeout;
    this.clearTimer = o.clearTimeout ?? globalThis.clearTimeout;
    this.state = 'handshake';
    this.head = new Uint8Array(0);
    this.reader = null;
    this.paused = false;
    this.alive = true;
    this.timer = this.setTimer(() => this.destroy(), o.handshakeTimeoutMs ?? 10000);
  }

  /** Bytes from the peer, in any chunking. */
  receive(bytes) {
    try {
      if (this.state === 'handshake') this.handshake(bytes);
      else if (this.state === 'open') this.frames(bytes);
      // 'closing': RFC 6455 §5.5.1, nothing is read after a Close frame; discarded.
    } catch (e) {
      this.fault(e);
    }
  }

  /** The transport's write buffer emptied: read again. */
  drain() {
    this.alive = true; // the peer is reading what we send
    if (this.paused && this.state !== 'closed') {
      this.paused = false;
      this.io.resume();
    }
  }

  /** The transport closed (either side, or an error). */
  closed() {
    this.state = 'closed';
    this.clearTimer(this.timer);
    this.reader = null;
    this.head = null;
  }

  // Reads the request head (RFC 6455 §4.2.1), never more than MAX_HEAD_BYTES.
  handshake(bytes) {
    const { lib } = this;
    const head = new Uint8Array(this.head.length + bytes.length);
    head.set(this.head);
    head.set(bytes, this.head.length);
    this.head = head;
    // Parse only when the head can have ended (a new LF) or grown too big: a
    // head trickled a byte at a time is not re-parsed for every byte.
    if (!bytes.includes(0x0a) && head.length <= lib.MAX_HEAD_BYTES) return;
    let req;
    try {
      req = lib.parseUpgradeRequest(head);
    } catch (e) {
      if (e instanceof lib.HandshakeError) return this.reject(e.status, e.message);
      throw e;
    }
    if (req === null) return;
    this.clearTimer(this.timer);
    this.head = null;
    const upgrade = (req.headers.upgrade ?? '').split(',').some((t) => t.trim().toLowerCase() === 'websocket');
    if (!upgrade) return this.http(req);
    if (!lib.validateUpgradeRequest(head.subarray(0, req.headLength))) {
      // RFC 6455 §4.4: another version gets 426 and the versions we speak.
      if (req.version !== undefined && req.version !== '13') return this.reject(426, 'Unsupported WebSocket version', 'Sec-WebSocket-Version: 13\r\n');
      return this.reject(400, 'Invalid WebSocket upgrade request');
    }
    this.state = 'open';
    this.reader = new lib.MessageReader(this.readerOptions);
    this.send(enc.encode(lib.buildUpgradeResponse(req.key)));
    this.beat();
    // A frame pipelined right after the head, in the same chunk, is not lost.
    if (req.headLength < head.length) this.frames(head.subarray(req.headLength));
  }

  // A plain HTTP request: the demo page at /, nothing else.
  http(req) {
    if ((req.method === 'GET' || req.method === 'HEAD') && req.path === '/' && this.page !== undefined) {
      const hdr = `HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: ${this.page.length}\r\nConnection: close\r\n\r\n`;
      this.send(enc.encode(hdr));
      if (req.method === 'GET') this.send(this.page);
      return this.finish();
    }
    this.reject(404, 'Not found');
  }

  reject(status, text, extra = '') {
    const names = { 400: 'Bad Request', 404: 'Not Found', 426: 'Upgrade Required', 431: 'Request Header Fields Too Large' };
    const body = enc.encode(text + '\n');
    this.send(enc.encode(`HTTP/1.1 ${status} ${names[status] ?? 'Error'}\r\n${extra}Content-Type: text/plain; charset=utf-8\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`));
    this.send(body);
    this.finish();
  }

  frames(bytes) {
    const { lib } = this;
    this.alive = true;
    let messages;
    try {
      messages = this.reader.push(bytes);
    } catch (e) {
      if (!(e instanceof lib.ProtocolError)) throw e;
      // What the chunk completed before the bad frame is answered first, then
      // the connection is failed with the error's code (RFC 6455 §7.1.7).
      this.echo(e.messages);
      if (this.state === 'open') {
        this.send(lib.encodeCloseFrame(e.closeCode));
        this.finish();
      }
      return;
    }
    this.echo(messages);
  }

  echo(messages) {
    const { lib } = this;
    for (const m of messages) {
      if (m.type === 'text') this.send(lib.encodeTextFrame(m.data));
      else if (m.type === 'binary') this.send(lib.encodeBinaryFrame(m.data));
      else if (m.type === 'ping') this.send(lib.encodePongFrame(m.data)); // RFC 6455 §5.5.3: same payload
      else if (m.type === 'close') {
        // RFC 6455 §5.5.1: answer with a Close echoing the code and reason
        // (empty for an empty one), then the server closes TCP first (§7.1.1).
        this.send(m.code === 1005 ? lib.encodeCloseFrame() : lib.encodeCloseFrame(m.code, m.reason));
        this.finish();
      }
      // Unsolicited pongs need no answer (RFC 6455 §5.5.3).
    }
  }

  send(bytes) {
    if (this.state === 'closing' || this.state === 'closed') return; // nothing after our Close
    if (!this.io.write(bytes) && !this.paused) {
      // Backpressure: stop reading until the peer has taken what we wrote.
      this.paused = true;
      this.io.pause();
    }
  }

  // Sends nothing more; closes TCP once written, or drops it if the peer stalls.
  finish() {
    if (this.state === 'closing' || this.state === 'closed') return;
    this.state = 'closing';
    this.reader = null;
    this.head = null;
    this.clearTimer(this.timer);
    this.io.end();
    // Keep reading (and discarding) so the peer's FIN is seen.
    if (this.paused) { this.paused = false; this.io.resume(); }
    this.timer = this.setTimer(() => this.destroy(), this.closeTimeoutMs);
  }

  // Heartbeat: a peer that neither sent nor read anything for a whole interval is gone.
  beat() {
    if (this.heartbeatMs <= 0) return;
    this.timer = this.setTimer(() => {
      if (this.state !== 'open') return;
      if (!this.alive) return this.destroy();
      this.alive = false;
      this.send(this.lib.encodePingFrame());
      this.beat();
    }, this.heartbeatMs);
  }

  destroy() {
    if (this.state === 'closed') return;
    this.closed();
    this.io.destroy();
  }

  fault(e) {
    this.destroy();
    if (typeof this.io.onError === 'function') this.io.onError(e);
    else throw e;
  }
}
