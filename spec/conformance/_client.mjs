// The suite's own raw WebSocket client: TCP from node:net, the opening
// handshake checked with node:crypto, frames encoded and parsed here. Nothing
// comes from the library under test, so the library never grades itself.
import net from 'node:net';
import { createHash, randomBytes } from 'node:crypto';
import { ByteQueue } from './_byte-queue.mjs';
import { judgeAnswer, offerHeader, PeerDeflate } from './_deflate.mjs';

export const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11'; // RFC 6455 §1.3
const OPCODES = { 0: 'continuation', 1: 'text', 2: 'binary', 8: 'close', 9: 'ping', 10: 'pong' };

/** RFC 6455 §4.2.2 step 5.4, computed with node:crypto. */
export function acceptFor(key) {
  return createHash('sha1').update(key + GUID).digest('base64');
}

/**
 * Encodes one client frame (RFC 6455 §5.2), masked with a random key unless
 * `mask: false`. `rsv` is the 3-bit RSV field (4 = RSV1 … 1 = RSV3). `lenBytes`
 * forces a length encoding (0, 2 or 8 extra bytes) even when not minimal;
 * `declare` writes a length other than the payload's.
 */
export function frame(opcode, payload = Buffer.alloc(0), { fin = true, rsv = 0, mask = true, lenBytes, declare } = {}) {
  const data = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
  const len = declare ?? data.length;
  const ext = lenBytes ?? (len < 126 ? 0 : len < 65536 ? 2 : 8);
  const head = Buffer.alloc(2 + ext + (mask ? 4 : 0));
  head[0] = (fin ? 0x80 : 0) | (rsv << 4) | opcode;
  head[1] = (mask ? 0x80 : 0) | (ext === 0 ? len : ext === 2 ? 126 : 127);
  if (ext === 2) head.writeUInt16BE(len, 2);
  if (ext === 8) head.writeBigUInt64BE(BigInt(len), 2);
  if (!mask) return Buffer.concat([head, data]);
  const key = randomBytes(4);
  key.copy(head, 2 + ext);
  const body = Buffer.allocUnsafe(data.length);
  for (let i = 0; i < data.length; i++) body[i] = data[i] ^ key[i & 3];
  return Buffer.concat([head, body]);
}

/** A Close frame payload: code (2 bytes, big-endian) then the reason. */
export function closePayload(code, reason = Buffer.alloc(0)) {
  if (code === undefined) return Buffer.alloc(0);
  const c = Buffer.alloc(2);
  c.writeUInt16BE(code);
  return Buffer.concat([c, Buffer.isBuffer(reason) ? reason : Buffer.from(reason)]);
}

/** Splits `bytes` into pieces of `size` bytes (the last may be shorter). */
export function chop(bytes, size) {
  const out = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

/** The request head a well-behaved client sends (RFC 6455 §4.1). */
export function requestHead(host, key, extra = '') {
  return `GET / HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n${extra}\r\n`;
}

/** Opens TCP to `url` (ws://host:port), resolving with the socket. */
export function dial(url, timeoutMs = 10000) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    socket.setNoDelay(true);
    const timer = setTimeout(() => { socket.destroy(); reject(new Error('TCP connect timed out')); }, timeoutMs);
    socket.once('connect', () => { clearTimeout(timer); resolve(socket); });
    socket.once('error', (e) => { clearTimeout(timer); reject(e); });
  });
}

/** Reads an HTTP response head from `socket`; resolves { status, headers, rest, raw } or rejects. */
export function readResponseHead(socket, timeoutMs = 10000) {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    const done = (err, value) => {
      clearTimeout(timer);
      socket.pause(); // Conn resumes it: no chunk is emitted with no listener
      socket.off('data', onData);
      socket.off('end', onEnd);
      if (err) reject(err); else resolve(value);
    };
    const timer = setTimeout(() => done(new Error('No HTTP response head in time')), timeoutMs);
    const onEnd = () => done(new Error(`Connection ended before the response head (got ${JSON.stringify(buf.toString('latin1').slice(0, 80))})`));
    const onData = (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const raw = buf.subarray(0, end).toString('latin1');
      const [statusLine, ...lines] = raw.split('\r\n');
      const m = /^HTTP\/1\.1 (\d{3}) /.exec(statusLine + ' ');
      const headers = {};
      for (const line of lines) {
        const i = line.indexOf(':');
        const name = line.slice(0, i).toLowerCase();
        headers[name] = headers[name] === undefined ? line.slice(i + 1).trim() : `${headers[name]}, ${line.slice(i + 1).trim()}`;
      }
      done(null, { status: m ? Number(m[1]) : 0, statusLine, headers, rest: buf.subarray(end + 4), raw });
    };
    socket.on('data', onData);
    socket.once('end', onEnd);
  });
}

/**
 * RFC 6455 §4.1 (the client's checks of the server's handshake); returns a
 * problem or null. `offers`: the permessage-deflate offers sent, if any; the
 * answer to them is judged by RFC 7692 §7.1 and kept in `res.agreement`.
 */
export function checkHandshake(res, key, offers) {
  if (res.status !== 101) return `Expected 101 Switching Protocols, got ${JSON.stringify(res.statusLine)}`;
  const h = res.headers;
  if ((h.upgrade ?? '').toLowerCase() !== 'websocket') return `Upgrade header is ${JSON.stringify(h.upgrade)} (RFC 6455 §4.1 step 2)`;
  if (!(h.connection ?? '').toLowerCase().split(',').some((t) => t.trim() === 'upgrade')) return `Connection header is ${JSON.stringify(h.connection)} (RFC 6455 §4.1 step 3)`;
  if (h['sec-websocket-accept'] !== acceptFor(key)) return `Sec-WebSocket-Accept is ${JSON.stringify(h['sec-websocket-accept'])}, expected ${acceptFor(key)} (RFC 6455 §4.1 step 4)`;
  if (h['sec-websocket-extensions'] !== undefined && offers === undefined) return 'The server selected an extension that was not offered (RFC 6455 §4.1 step 5)';
  if (offers !== undefined) {
    const agreement = judgeAnswer(h['sec-websocket-extensions'], offers);
    if (typeof agreement === 'string') return agreement;
    res.agreement = agreement;
  }
  if (h['sec-websocket-protocol'] !== undefined) return 'The server selected a subprotocol that was not offered (RFC 6455 §4.1 step 6)';
  return null;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * One client connection after a successful handshake. It parses every frame
 * the server sends, records messages and control frames as `events`, and
 * records any way the server's frames break RFC 6455 in `violations`.
 */
export class Conn extends ByteQueue {
  constructor(socket) {
    super();
    this.socket = socket;
    this.events = []; // { type: 'text' | 'binary' | 'ping' | 'pong', data: Buffer }
    this.violations = [];
    this.close = null; // the server's Close: { code (null when empty), reason, byServer }
    this.sentClose = false;
    this.ended = false; // the server closed TCP (FIN or reset)
    this.message = null; // { type, parts, length } of a fragmented message in progress
    this.waiters = new Set();
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('end', () => this.onEnd());
    socket.on('close', () => this.onEnd());
    socket.on('error', () => {}); // a reset shows as 'close'
    this.problems = []; // what a case's own checks found
    this.deflate = null; // PeerDeflate once permessage-deflate was agreed (RFC 7692)
    this.agreement = null;
  }

  start(rest) {
    if (rest.length > 0) this.onData(rest);
    this.socket.resume();
  }

  onEnd() {
    this.ended = true;
    this.wake();
  }

  onData(chunk) {
    if (this.close !== null) {
      this.violations.push(`The server sent ${chunk.length} bytes after its Close frame (RFC 6455 §5.5.1)`);
      return;
    }
    this.append(chunk);
    try {
      while (this.close === null && this.parseFrame());
    } catch (e) {
      this.violations.push(e.message);
      this.socket.destroy();
    }
    if (this.close !== null && this.buffered > 0) this.violations.push(`The server sent ${this.buffered} bytes after its Close frame (RFC 6455 §5.5.1)`);
    this.wake();
  }


  // Parses one frame if it is all here (RFC 6455 §5.2), as a strict client would.
  parseFrame() {
    if (this.buffered < 2) return false;
    const h = this.peek(2);
    const b0 = h[0], b1 = h[1];
    const code = b1 & 0x7f;
    const ext = code === 126 ? 2 : code === 127 ? 8 : 0;
    const masked = (b1 & 0x80) !== 0;
    const headLen = 2 + ext + (masked ? 4 : 0);
    if (this.buffered < headLen) return false;
    const hd = this.peek(headLen);
    let len = code;
    if (ext === 2) len = hd.readUInt16BE(2);
    if (ext === 8) {
      const big = hd.readBigUInt64BE(2);
      if (big > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error('The server sent a 64-bit length over 2^53 (RFC 6455 §5.2)');
      len = Number(big);
    }
    if (this.buffered < headLen + len) return false;
    this.take(headLen);
    const payload = Buffer.from(this.take(len)); // a copy: chunks may be pooled
    const opcode = b0 & 0x0f;
    const fin = (b0 & 0x80) !== 0;
    const name = OPCODES[opcode];
    if (masked) throw new Error('The server sent a masked frame (RFC 6455 §5.1)');
    // RFC 7692 §6.1: RSV1 marks a compressed message, on its first frame only.
    const rsv1 = (b0 & 0x40) !== 0 && this.deflate !== null;
    if (rsv1 && !((b0 & 0x0f) === 1 || (b0 & 0x0f) === 2)) throw new Error(`The server set RSV1 on a ${OPCODES[b0 & 0x0f] ?? 'reserved'} frame (RFC 7692 §6.1: first frames of data messages only)`);
    if (b0 & (rsv1 ? 0x30 : 0x70)) throw new Error(`The server set RSV bits 0x${(b0 & 0x70).toString(16)} without an extension (RFC 6455 §5.2)`);
    if (name === undefined) throw new Error(`The server sent reserved opcode ${opcode} (RFC 6455 §5.2)`);
    if ((ext === 2 && len < 126) || (ext === 8 && len < 65536)) throw new Error(`The server encoded length ${len} in ${ext} bytes: not minimal (RFC 6455 §5.2)`);
    if (opcode >= 8) {
      if (!fin || len > 125) throw new Error(`The server sent a fragmented or ${len}-byte ${name} frame (RFC 6455 §5.5)`);
      if (opcode === 8) this.onClose(payload);
      else this.events.push({ type: name, data: payload });
      return true;
    }
    if (opcode === 0 && this.message === null) throw new Error('The server sent a continuation frame with no message open (RFC 6455 §5.4)');
    if (opcode !== 0 && this.message !== null) throw new Error('The server started a new message inside a fragmented one (RFC 6455 §5.4)');
    if (opcode !== 0) this.message = { type: name, parts: [], compressed: rsv1 };
    this.message.parts.push(payload);
    if (fin) {
      let data = Buffer.concat(this.message.parts);
      const type = this.message.type;
      if (this.message.compressed) {
        try { data = this.deflate.inflate(data); } catch (e) { throw new Error(`The server sent a compressed message zlib cannot inflate: ${e.message} (RFC 7692 §7.2.2)`); }
        this.compressedIn = (this.compressedIn ?? 0) + 1;
      }
      this.message = null;
      if (type === 'text') {
        try { strictUtf8.decode(data); } catch { throw new Error('The server sent a text message that is not UTF-8 (RFC 6455 §5.6)'); }
      }
      this.events.push({ type, data });
    }
    return true;
  }

  onClose(payload) {
    let code = null;
    let reason = '';
    if (payload.length === 1) this.violations.push('The server sent a 1-byte Close payload (RFC 6455 §5.5.1)');
    if (payload.length >= 2) {
      code = payload.readUInt16BE(0);
      try { reason = strictUtf8.decode(payload.subarray(2)); } catch { this.violations.push('The server sent a Close reason that is not UTF-8 (RFC 6455 §5.5.1)'); }
    }
    this.close = { code, reason, byServer: !this.sentClose };
    // RFC 6455 §5.5.1: a Close that answers none of ours gets one back.
    if (!this.sentClose) this.write(frame(8, payload.subarray(0, 2)));
  }

  write(bytes) {
    if (this.socket.destroyed || this.socket.writableEnded) return Promise.resolve();
    return new Promise((resolve) => this.socket.write(bytes, () => resolve()));
  }

  /** Writes `bytes` at once. */
  send(bytes) {
    return this.write(bytes);
  }

  /** Writes each piece separately, waiting until each is handed to the kernel. */
  async sendEach(pieces) {
    for (const p of pieces) await this.write(p);
  }

  /** Writes `bytes` in `size`-byte pieces, each separately. */
  sendChopped(bytes, size) {
    return this.sendEach(chop(bytes, size));
  }

  /**
   * A message compressed with the agreed permessage-deflate (RFC 7692 §7.2.1)
   * as frames: RSV1 on the first, in pieces of `fragment` bytes (0: one frame).
   */
  compressed(opcode, data, { fragment = 0, level } = {}) {
    const payload = this.deflate.deflate(Buffer.from(data), level);
    const pieces = fragment > 0 && payload.length > 0 ? chop(payload, fragment) : [payload];
    return Buffer.concat(pieces.map((p, i) => frame(i === 0 ? opcode : 0, p, { fin: i === pieces.length - 1, rsv: i === 0 ? 4 : 0 })));
  }

  /** Sends a Close frame (masked), as the closing handshake's initiator. */
  sendClose(code, reason) {
    this.sentClose = true;
    return this.write(frame(8, closePayload(code, reason)));
  }

  /**
   * Fail-fast check (RFC 6455 §8.1): sends `valid` (everything before the
   * first invalid byte), checks the server is still quiet, sends `bad` (which
   * holds that byte), requires the server's Close before `rest` is sent, and
   * then sends `rest` as a slower server would have received it.
   */
  async failFast(valid, bad, rest, ms = 3000) {
    await this.write(valid);
    await this.sleep(20);
    if (this.close !== null) this.problems.push('The server closed before the first invalid byte arrived');
    await this.write(bad);
    if (!(await this.waitClose(ms))) this.problems.push(`No Close within ${ms} ms of the first invalid byte: the server did not fail fast (RFC 6455 §8.1)`);
    await this.write(rest);
  }

  sleep(ms) {
    return new Promise((r) => setTimeout(r, ms));
  }

  wake() {
    for (const w of this.waiters) w();
  }

  /** Resolves true as soon as `pred()` holds, false after `ms`. */
  until(pred, ms) {
    if (pred()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const check = () => {
        if (!pred()) return;
        finish(true);
      };
      const finish = (v) => { clearTimeout(timer); this.waiters.delete(check); resolve(v); };
      const timer = setTimeout(() => finish(pred()), ms);
      this.waiters.add(check);
    });
  }

  waitEvents(n, ms = 3000) {
    return this.until(() => this.events.length >= n || this.close !== null || this.ended, ms);
  }

  waitClose(ms = 3000) {
    return this.until(() => this.close !== null || this.ended, ms).then(() => this.close !== null);
  }

  waitEnd(ms = 3000) {
    return this.until(() => this.ended, ms);
  }

  destroy() {
    this.socket.destroy();
  }
}

/** Connects and completes the opening handshake; `first` is sent in the same write as the head. */
export async function connect(url, { first, deflate, extensions } = {}) {
  const socket = await dial(url);
  const key = randomBytes(16).toString('base64');
  // `deflate`: permessage-deflate offers ({ name: value | true }), most preferred first;
  // `extensions`: a raw header value to send instead (malformed offers).
  const offer = extensions ?? (deflate === undefined ? undefined : offerHeader(deflate));
  const head = Buffer.from(requestHead(new URL(url).host, key, offer === undefined ? '' : `Sec-WebSocket-Extensions: ${offer}\r\n`), 'latin1');
  const reading = readResponseHead(socket);
  socket.write(first === undefined ? head : Buffer.concat([head, first]));
  let res;
  try {
    res = await reading;
  } catch (e) {
    socket.destroy();
    throw e;
  }
  const problem = checkHandshake(res, key, offer === undefined ? undefined : deflate ?? []);
  if (problem !== null) {
    socket.destroy();
    throw new Error(problem);
  }
  const conn = new Conn(socket);
  if (res.agreement) {
    conn.agreement = res.agreement;
    conn.deflate = new PeerDeflate(res.agreement, 'client');
  }
  conn.start(res.rest);
  return conn;
}
