// The fuzzing server's side of one WebSocket connection with the client under
// test. It writes server frames (unmasked, RFC 6455 §5.1, unless a case asks
// for a mask to see the client refuse it), parses every frame the client
// sends as a strict server would, and records what grading needs: the
// client's messages and pongs (`events`), the ways its frames break RFC 6455
// (`violations`: an unmasked frame, a bad masking key, RSV bits, text that is
// not UTF-8, bytes after its Close, …), its Close, and who closed TCP when.
// Nothing here comes from the library under test.
import { endianness } from 'node:os';
import { frame as anyFrame, closePayload, chop } from '../_client.mjs';
import { ByteQueue } from '../_byte-queue.mjs';

export { closePayload, chop };

/** A server frame (RFC 6455 §5.2): unmasked unless `mask: true`; see _client.mjs's frame for the options. */
export const frame = (opcode, payload, options = {}) => anyFrame(opcode, payload, { mask: false, ...options });

const OPCODES = { 0: 'continuation', 1: 'text', 2: 'binary', 8: 'close', 9: 'ping', 10: 'pong' };
const LE = endianness() === 'LE';
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** RFC 6455 §7.4.1, §7.4.2 and IANA's registry: the codes a Close frame may carry. */
export function isSendableCode(code) {
  return (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999);
}

/** A problem that one named allowance (see _agents.mjs) may excuse; plain strings are never excused. */
export class Rule {
  constructor(rule, text) {
    this.rule = rule;
    this.text = text;
  }

  toString() {
    return this.text;
  }
}

export class Peer extends ByteQueue {
  /**
   * @param {import('node:net').Socket} socket after the server's handshake response
   * @param {{ allow?: Set<string>, applied?: Set<string> }} options the agent's allowances
   *   (helpers consult them) and where a helper notes that it used one
   */
  constructor(socket, { allow = new Set(), applied = new Set() } = {}) {
    super();
    this.socket = socket;
    this.allow = allow;
    this.applied = applied; // the allowances a helper used
    this.events = []; // { type: 'text' | 'binary' | 'ping' | 'pong', data: Buffer }
    this.violations = []; // how the client's frames break RFC 6455
    this.problems = []; // what a case's own checks found
    this.keys = []; // each client frame's masking key, as a 32-bit number
    this.close = null; // the client's Close: { code (null: empty), reason, initiated, at }
    this.sentClose = false; // the server wrote a Close frame (valid or not)
    this.sentCloseCode = undefined; // its code: a number, null for an empty Close, undefined for a malformed one
    this.clientEnded = false; // the client closed TCP (FIN or reset)
    this.serverEnded = false; // the server closed TCP (FIN)
    this.finBeforeServer = false; // the client's FIN came before the server's
    this.closed = false; // the socket is closed both ways
    this.tcpDelay = 0; // ms between the closing handshake and the server's FIN (RFC 6455 §7.1.1 cases)
    this.message = null; // { type, parts, compressed } of a fragmented message in progress
    this.deflate = null; // PeerDeflate (../_deflate.mjs) once permessage-deflate was agreed (RFC 7692)
    this.compressedIn = 0; // the client's compressed messages
    this.waiters = new Set();
    this.timers = new Set();
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('end', () => this.onEnd());
    socket.on('close', () => { this.closed = true; this.onEnd(); });
    socket.on('error', () => {}); // a reset shows as 'close'
  }

  allowed(rule) {
    return this.allow.has(rule);
  }

  start(rest) {
    if (rest.length > 0) this.onData(rest);
    this.socket.resume();
  }

  onEnd() {
    if (!this.clientEnded) {
      this.clientEnded = true;
      this.finBeforeServer = !this.serverEnded;
    }
    this.wake();
  }

  onData(chunk) {
    if (this.close !== null) {
      this.violations.push(`The client sent ${chunk.length} bytes after its Close frame (RFC 6455 §5.5.1)`);
      this.wake();
      return;
    }
    this.append(chunk);
    try {
      while (this.close === null && this.parseFrame());
    } catch (e) {
      // A frame a server cannot read on from: no grading of what follows.
      this.violations.push(e.message);
      this.destroy();
    }
    if (this.close !== null && this.buffered > 0) this.violations.push(`The client sent ${this.buffered} bytes after its Close frame (RFC 6455 §5.5.1)`);
    this.wake();
  }


  // Parses one client frame if it is all here (RFC 6455 §5.2), as a strict server would.
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
      if (big > 2n ** 32n) throw new Error(`The client sent a ${big}-byte frame length (RFC 6455 §5.2)`);
      len = Number(big);
    }
    if (this.buffered < headLen + len) return false;
    const key = masked ? hd.readUInt32BE(2 + ext) : null;
    this.take(headLen);
    const payload = Buffer.from(this.take(len)); // a copy: unmasked in place
    const opcode = b0 & 0x0f;
    const fin = (b0 & 0x80) !== 0;
    const name = OPCODES[opcode];
    if (masked) {
      this.keys.push(key);
      unmask(payload, key);
    } else {
      this.violations.push(`The client sent an unmasked ${name ?? `opcode ${opcode}`} frame (RFC 6455 §5.3: a client MUST mask every frame)`);
    }
    // RFC 7692 §6.1: with permessage-deflate agreed, RSV1 marks a compressed message, on its first frame only.
    const rsv1 = (b0 & 0x40) !== 0 && this.deflate !== null;
    if (rsv1 && opcode !== 1 && opcode !== 2) throw new Error(`The client set RSV1 on a ${name ?? 'reserved'} frame (RFC 7692 §6.1: first frames of data messages only)`);
    if (b0 & (rsv1 ? 0x30 : 0x70)) this.violations.push(`The client set RSV bits 0x${(b0 & 0x70).toString(16)} without an extension (RFC 6455 §5.2)`);
    if (name === undefined) throw new Error(`The client sent reserved opcode ${opcode} (RFC 6455 §5.2)`);
    if ((ext === 2 && len < 126) || (ext === 8 && len < 65536)) this.violations.push(`The client encoded length ${len} in ${ext} bytes: not minimal (RFC 6455 §5.2)`);
    if (opcode >= 8) {
      if (!fin || len > 125) throw new Error(`The client sent a fragmented or ${len}-byte ${name} frame (RFC 6455 §5.5)`);
      if (opcode === 8) this.onClose(payload);
      else this.onControl(name, payload);
      return true;
    }
    if (opcode === 0 && this.message === null) throw new Error('The client sent a continuation frame with no message open (RFC 6455 §5.4)');
    if (opcode !== 0 && this.message !== null) throw new Error('The client started a new message inside a fragmented one (RFC 6455 §5.4)');
    if (opcode !== 0) this.message = { type: name, parts: [], compressed: rsv1 };
    this.message.parts.push(payload);
    if (fin) {
      let data = this.message.parts.length === 1 ? this.message.parts[0] : Buffer.concat(this.message.parts);
      const type = this.message.type;
      if (this.message.compressed) {
        try { data = this.deflate.inflate(data); } catch (e) { throw new Error(`The client sent a compressed message zlib cannot inflate: ${e.message} (RFC 7692 §7.2.2)`); }
        this.compressedIn++;
      }
      this.message = null;
      if (type === 'text') {
        try { strictUtf8.decode(data); } catch { this.violations.push('The client sent a text message that is not UTF-8 (RFC 6455 §5.6, §8.1)'); }
      }
      this.events.push({ type, data });
    }
    return true;
  }

  onControl(name, payload) {
    this.events.push({ type: name, data: payload });
    // A server answers a client's Ping (RFC 6455 §5.5.2); the event still counts against the case.
    if (name === 'ping' && !this.sentClose) this.write(frame(10, payload));
  }

  onClose(payload) {
    let code = null;
    let reason = '';
    if (payload.length === 1) this.violations.push('The client sent a 1-byte Close payload (RFC 6455 §5.5.1)');
    if (payload.length >= 2) {
      code = payload.readUInt16BE(0);
      if (!isSendableCode(code)) this.violations.push(`The client sent Close code ${code}, which no endpoint may send (RFC 6455 §7.4)`);
      try { reason = strictUtf8.decode(payload.subarray(2)); } catch { this.violations.push('The client sent a Close reason that is not UTF-8 (RFC 6455 §5.5.1)'); }
    }
    if (this.message !== null) this.message = null; // RFC 6455 §5.5.1 lets it close inside a message of its own
    this.close = { code, reason, initiated: !this.sentClose };
    if (this.close.initiated) {
      // The client started the close (it failed the connection): a server
      // echoes the code (RFC 6455 §5.5.1) and closes TCP (§7.1.1) at once.
      this.sentClose = true;
      this.write(frame(8, payload.subarray(0, 2)));
      this.endTcp(0);
    } else {
      this.endTcp(this.tcpDelay);
    }
  }

  /**
   * A message compressed with the agreed permessage-deflate (RFC 7692 §7.2.1)
   * as unmasked server frames: RSV1 on the first, in pieces of `fragment` bytes (0: one frame).
   */
  compressed(opcode, data, { fragment = 0, level } = {}) {
    const payload = this.deflate.deflate(Buffer.from(data), level);
    const pieces = fragment > 0 && payload.length > 0 ? chop(payload, fragment) : [payload];
    return Buffer.concat(pieces.map((p, i) => frame(i === 0 ? opcode : 0, p, { fin: i === pieces.length - 1, rsv: i === 0 ? 4 : 0 })));
  }

  /** The server closes TCP (FIN) after `ms`: the client must not close first (RFC 6455 §7.1.1). */
  endTcp(ms) {
    const end = () => {
      if (this.serverEnded) return;
      this.serverEnded = true;
      if (!this.socket.destroyed) this.socket.end();
      this.wake();
    };
    if (ms > 0) this.later(ms, end); else end();
  }

  later(ms, fn) {
    const t = setTimeout(() => { this.timers.delete(t); fn(); }, ms);
    this.timers.add(t);
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

  /** Writes a Close frame: the server starts the closing handshake (RFC 6455 §5.5.1). */
  sendClose(code, reason) {
    return this.sendCloseFrame(frame(8, closePayload(code, reason)), code ?? null);
  }

  /** Writes `bytes`, a Close frame that may be malformed; `code` is what it carries (undefined: no valid code). */
  sendCloseFrame(bytes, code) {
    this.sentClose = true;
    this.sentCloseCode = code;
    return this.write(bytes);
  }

  /**
   * Fail-fast check (RFC 6455 §8.1), as in the server suite: writes `valid`
   * (everything before the first invalid byte), checks the client is still
   * quiet, writes `bad` (which holds that byte), requires the client's Close
   * within `ms` before `rest` is written, then writes `rest`. Under the
   * `late-utf8` allowance the Close may come once the frame or message is
   * whole: after `rest`, unless `rest` is empty.
   */
  async failFast(valid, bad, rest, ms = 2000) {
    await this.write(valid);
    await this.sleep(20);
    if (this.close !== null || this.clientEnded) this.problems.push('The client closed before the first invalid byte arrived');
    await this.write(bad);
    // Once `bad` ends the frame (nothing is left to write), even a late validator must close now.
    if (this.allowed('late-utf8') && rest.length > 0) this.applied.add('late-utf8');
    else if (!(await this.waitClose(ms))) {
      this.problems.push(new Rule('late-utf8', `No Close within ${ms} ms of the first invalid byte: the client did not fail fast (RFC 6455 §8.1)`));
    }
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
      const check = () => { if (pred()) finish(true); };
      const finish = (v) => { clearTimeout(timer); this.waiters.delete(check); resolve(v); };
      const timer = setTimeout(() => finish(pred()), ms);
      this.waiters.add(check);
    });
  }

  /** Until `n` events arrived, or the client closed. */
  waitEvents(n, ms = 3000) {
    return this.until(() => this.events.length >= n || this.close !== null || this.clientEnded, ms);
  }

  /** Until the client's Close or its TCP close; resolves whether a Close came. */
  waitClose(ms = 3000) {
    return this.until(() => this.close !== null || this.clientEnded, ms).then(() => this.close !== null);
  }

  destroy() {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.socket.destroy();
  }
}

/** XORs `data` in place with the 4-byte `key` (RFC 6455 §5.3). */
function unmask(data, key) {
  const k = [key >>> 24, (key >>> 16) & 255, (key >>> 8) & 255, key & 255];
  const n = data.length;
  let i = 0;
  if (n >= 64 && (data.byteOffset & 3) === 0 && LE) {
    // A word at a time, the key's bytes in little-endian order.
    const w = new Uint32Array(data.buffer, data.byteOffset, n >>> 2);
    const kw = (k[0] | (k[1] << 8) | (k[2] << 16) | (k[3] << 24)) >>> 0;
    for (let j = 0; j < w.length; j++) w[j] ^= kw;
    i = w.length << 2;
  }
  for (; i < n; i++) data[i] ^= k[i & 3];
}
