// Test only: the client suite's own strict WebSocket client, written from
// RFC 6455 on node:net alone, as an Autobahn|Testsuite agent:
//
//   node spec/conformance/client/_raw-agent.mjs --url ws://127.0.0.1:9001 --agent raw [--break RULE,…]
//
// Unbroken it must pass every case with no allowance: the proof that each
// case can be passed, fail-fast UTF-8 and the TCP close left to the server
// included. `--break` makes it a mutant that breaks one rule (BREAKS below);
// mutants.mjs proves the suite catches each, and that the legal variations
// still pass.
import net from 'node:net';
import { createHash, randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';

export const BREAKS = {
  // Mutants: each breaks one rule.
  'no-mask': 'its frames are not masked (RFC 6455 §5.3)',
  'zero-mask': 'its frames are masked with the key 00 00 00 00',
  'fixed-mask': 'every frame is masked with the same key',
  'long-length': 'its frame lengths are all in the 64-bit form (RFC 6455 §5.2: minimal)',
  'reuse-key': 'every request carries the same Sec-WebSocket-Key (RFC 6455 §4.1 item 7)',
  'no-accept-check': 'Sec-WebSocket-Accept is not checked (RFC 6455 §4.1)',
  'no-pong': 'Pings are not answered (RFC 6455 §5.5.2)',
  'pong-empty': 'Pings are answered with an empty Pong',
  'answer-pong': 'unsolicited Pongs are answered with a Pong (RFC 6455 §5.5.3)',
  'big-ping': 'control frames over 125 bytes are accepted (RFC 6455 §5.5)',
  'accept-rsv': 'RSV bits are ignored (RFC 6455 §5.2)',
  'accept-opcode': 'frames with reserved opcodes are skipped (RFC 6455 §5.2)',
  'accept-masked': 'masked server frames are unmasked and accepted (RFC 6455 §5.1)',
  'lenient-length': 'non-minimal length encodings are accepted (RFC 6455 §5.2)',
  'binary-as-text': 'binary messages are echoed as text',
  'no-utf8': 'text is never checked for UTF-8 (RFC 6455 §8.1)',
  'late-utf8': 'text is checked for UTF-8 once the message is whole: not fail-fast',
  'fail-1000': 'every failure closes with 1000 (RFC 6455 §7.4.1)',
  'fail-drop': 'a failure closes TCP without a Close frame (RFC 6455 §7.1.7)',
  'echo-1000': 'every Close is answered with code 1000, an empty one too (RFC 6455 §5.5.1)',
  'any-code': 'Close codes are not checked (RFC 6455 §7.4)',
  'after-close': 'frames after the server\'s Close are still read: Pings answered (RFC 6455 §5.5.1)',
  'tcp-first': 'TCP is closed right after the answering Close (RFC 6455 §7.1.1: SHOULD wait)',
  'never-close': 'its side of TCP stays open after the server closed its side',
  // Legal variations: the suite must pass them.
  'fragment-echo': 'LEGAL: echoes are sent in fragments (of 7 bytes, or 64 fragments for a large message)',
  'fail-then-close': 'LEGAL: after failing with a Close it closes TCP at once (RFC 6455 §7.1.7)',
};

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const FIXED_KEY = Buffer.from([0x12, 0x34, 0x56, 0x78]);
const REUSED = randomBytes(16).toString('base64');
const OP = { CONT: 0, TEXT: 1, BINARY: 2, CLOSE: 8, PING: 9, PONG: 10 };

function args(argv) {
  const o = { break: '' };
  for (let i = 0; i < argv.length; i += 2) o[argv[i].replace(/^--/, '')] = argv[i + 1];
  if (!o.url || !o.agent) throw new Error('Usage: _raw-agent.mjs --url ws://HOST:PORT --agent NAME [--break RULE,…]');
  return o;
}

let breaks = new Set();
const is = (b) => breaks.has(b);

/** RFC 6455 §7.4: the codes a received Close may carry. */
const validCode = (c) => (c >= 1000 && c <= 1014 && c !== 1004 && c !== 1005 && c !== 1006) || (c >= 3000 && c <= 4999);

/** One client frame (RFC 6455 §5.2), masked with a fresh key (§5.3). */
function encode(opcode, payload, fin = true) {
  const len = payload.length;
  const ext = is('long-length') ? 8 : len < 126 ? 0 : len < 65536 ? 2 : 8;
  const masked = !is('no-mask');
  const head = Buffer.alloc(2 + ext + (masked ? 4 : 0));
  head[0] = (fin ? 0x80 : 0) | opcode;
  head[1] = (masked ? 0x80 : 0) | (ext === 0 ? len : ext === 2 ? 126 : 127);
  if (ext === 2) head.writeUInt16BE(len, 2);
  if (ext === 8) head.writeBigUInt64BE(BigInt(len), 2);
  if (!masked) return Buffer.concat([head, payload]);
  const key = is('zero-mask') ? Buffer.alloc(4) : is('fixed-mask') ? FIXED_KEY : randomBytes(4);
  key.copy(head, 2 + ext);
  const body = Buffer.allocUnsafe(len);
  for (let i = 0; i < len; i++) body[i] = payload[i] ^ key[i & 3];
  return Buffer.concat([head, body]);
}

/** A message as one frame, or (fragment-echo) in fragments: of 7 bytes, or 64 of them for a message over 448 bytes. */
function encodeMessage(opcode, data) {
  if (!is('fragment-echo') || data.length <= 7) return encode(opcode, data);
  const size = Math.max(7, Math.ceil(data.length / 64));
  const frames = [];
  for (let i = 0; i < data.length; i += size) frames.push(encode(i === 0 ? opcode : OP.CONT, data.subarray(i, i + size), i + size >= data.length));
  return Buffer.concat(frames);
}

class ProtocolError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

/**
 * One connection: the opening handshake (RFC 6455 §4.1), then frames until
 * the close. Resolves when TCP is closed (or, for never-close, when the server
 * closed its side). `onText`/`onBinary` get each whole message.
 */
function session(url, path, onMessage) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    // Half-open allowed: our FIN is ours to send (on the server's, below), not Node's.
    const socket = net.connect({ host: hostname, port: Number(port), allowHalfOpen: true });
    socket.setNoDelay(true);
    const key = is('reuse-key') ? REUSED : randomBytes(16).toString('base64');
    let head = Buffer.alloc(0);
    let open = false;
    let state = 'open'; // 'open' | 'closing' (we sent our Close) | 'done'
    let closeTimer = null;
    const finish = () => { clearTimeout(closeTimer); clearTimeout(idle); resolve(); };
    const idle = setTimeout(() => socket.destroy(), 30000); // a safety net; the server ends every case well before
    socket.on('error', () => {});
    socket.on('close', finish);
    socket.on('end', () => {
      // The server closed TCP: so do we (RFC 6455 §7.1.1).
      if (is('never-close')) { finish(); return; }
      socket.end();
    });
    socket.write(`GET ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`);

    const send = (bytes) => { if (!socket.destroyed && !socket.writableEnded) socket.write(bytes); };
    /** Our Close: answering the server's, or failing the connection. */
    const sendClose = (payload) => {
      send(encode(OP.CLOSE, payload));
      state = 'closing';
      if (is('tcp-first')) socket.end();
      // RFC 6455 §7.1.1: wait for the server's FIN, but not forever.
      closeTimer = setTimeout(() => socket.destroy(), 5000);
    };
    const fail = (code) => {
      if (is('fail-drop')) { state = 'done'; socket.destroy(); return; }
      const c = Buffer.alloc(2);
      c.writeUInt16BE(is('fail-1000') ? 1000 : code);
      sendClose(c);
      state = 'done'; // RFC 6455 §7.1.7: nothing more is read, not even the answering Close
      if (is('fail-then-close')) socket.end();
    };

    // The frame reader: a header, then its payload as it arrives (text is checked byte by byte: fail-fast).
    let buf = Buffer.alloc(0);
    let frame = null; // { fin, opcode, len, mask, got, parts }
    let message = null; // { opcode, parts, decoder }
    const reader = (chunk) => {
      buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
      while (state === 'open' || (state === 'closing' && is('after-close'))) {
        if (frame === null && !readHeader()) return;
        if (!readPayload()) return;
      }
    };
    const readHeader = () => {
      if (buf.length < 2) return false;
      const b0 = buf[0], b1 = buf[1];
      const code = b1 & 0x7f;
      const ext = code === 126 ? 2 : code === 127 ? 8 : 0;
      const masked = (b1 & 0x80) !== 0;
      const n = 2 + ext + (masked ? 4 : 0);
      if (buf.length < n) return false;
      let len = code;
      if (ext === 2) len = buf.readUInt16BE(2);
      if (ext === 8) {
        const big = buf.readBigUInt64BE(2);
        if (big >= 2n ** 63n) throw new ProtocolError(1002, 'a 64-bit length with its most significant bit set');
        if (big > 2n ** 32n) throw new ProtocolError(1009, 'too big');
        len = Number(big);
      }
      const opcode = b0 & 0x0f;
      const fin = (b0 & 0x80) !== 0;
      if (masked && !is('accept-masked')) throw new ProtocolError(1002, 'a masked server frame');
      if ((b0 & 0x70) !== 0 && !is('accept-rsv')) throw new ProtocolError(1002, 'RSV bits');
      if (((ext === 2 && len < 126) || (ext === 8 && len < 65536)) && !is('lenient-length')) throw new ProtocolError(1002, 'a non-minimal length');
      const control = opcode >= 8;
      if (![0, 1, 2, 8, 9, 10].includes(opcode) && !is('accept-opcode')) throw new ProtocolError(1002, 'a reserved opcode');
      if (control && !fin) throw new ProtocolError(1002, 'a fragmented control frame');
      if (control && len > 125 && !is('big-ping')) throw new ProtocolError(1002, 'a control frame over 125 bytes');
      if (opcode === 0 && message === null) throw new ProtocolError(1002, 'a continuation with no message');
      if ((opcode === 1 || opcode === 2) && message !== null) throw new ProtocolError(1002, 'a new message inside a message');
      frame = { fin, opcode, len, mask: masked ? Buffer.from(buf.subarray(2 + ext, n)) : null, got: 0, parts: [] };
      buf = buf.subarray(n);
      if (opcode === 1 || opcode === 2) message = { opcode, parts: [], decoder: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }) };
      return true;
    };
    const readPayload = () => {
      const take = Math.min(buf.length, frame.len - frame.got);
      if (take === 0 && frame.len > 0) return false;
      let part = Buffer.from(buf.subarray(0, take));
      buf = buf.subarray(take);
      if (frame.mask) for (let i = 0; i < part.length; i++) part[i] ^= frame.mask[(frame.got + i) & 3];
      frame.got += take;
      const known = [0, 1, 2, 8, 9, 10].includes(frame.opcode);
      if (frame.opcode < 8 && known) {
        message.parts.push(part);
        // Fail-fast (RFC 6455 §8.1): each byte of text as it arrives.
        if (message.opcode === 1 && !is('no-utf8') && !is('late-utf8')) {
          try { message.decoder.decode(part, { stream: true }); } catch { throw new ProtocolError(1007, 'invalid UTF-8'); }
        }
      } else {
        frame.parts.push(part);
      }
      if (frame.got < frame.len) return false;
      const f = frame;
      frame = null;
      if (!known) return true; // accept-opcode: skipped
      if (f.opcode >= 8) return control(f.opcode, Buffer.concat(f.parts));
      if (!f.fin) return true;
      const m = message;
      message = null;
      const data = Buffer.concat(m.parts);
      if (m.opcode === 1 && !is('no-utf8')) {
        try { (is('late-utf8') ? new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(data) : m.decoder.decode()); } catch { throw new ProtocolError(1007, 'invalid UTF-8'); }
      }
      onMessage(m.opcode === 2 && !is('binary-as-text') ? 'binary' : 'text', data, (op, d) => send(encodeMessage(op, d)));
      return true;
    };
    const control = (opcode, payload) => {
      if (opcode === OP.PING) {
        if (!is('no-pong')) send(encode(OP.PONG, is('pong-empty') ? Buffer.alloc(0) : payload));
      } else if (opcode === OP.PONG) {
        if (is('answer-pong')) send(encode(OP.PONG, payload));
      } else if (state === 'open') {
        if (payload.length === 1) throw new ProtocolError(1002, 'a 1-byte Close');
        if (payload.length >= 2) {
          if (!validCode(payload.readUInt16BE(0)) && !is('any-code')) throw new ProtocolError(1002, 'an invalid close code');
          try { new TextDecoder('utf-8', { fatal: true }).decode(payload.subarray(2)); } catch { throw new ProtocolError(1007, 'a close reason that is not UTF-8'); }
        }
        // RFC 6455 §5.5.1: echo the code (an empty Close for an empty one).
        sendClose(is('echo-1000') ? Buffer.from([0x03, 0xe8]) : payload.subarray(0, 2));
      }
      return true;
    };

    socket.on('data', (chunk) => {
      if (!open) {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        const problem = checkResponse(head.subarray(0, end).toString('latin1'), key);
        if (problem !== null) { state = 'done'; socket.destroy(); return; }
        open = true;
        chunk = head.subarray(end + 4);
        if (chunk.length === 0) return;
      }
      if (state === 'done') return;
      try {
        reader(chunk);
      } catch (e) {
        if (!(e instanceof ProtocolError)) throw e;
        fail(e.code);
      }
    });
  });
}

/** RFC 6455 §4.1: the client's checks of the server's response; a problem or null. */
function checkResponse(head, key) {
  const [status, ...lines] = head.split('\r\n');
  if (!/^HTTP\/1\.1 101 /.test(`${status} `)) return 'not 101';
  const h = {};
  for (const l of lines) {
    const i = l.indexOf(':');
    const name = l.slice(0, i).trim().toLowerCase();
    h[name] = h[name] === undefined ? l.slice(i + 1).trim() : `${h[name]}, ${l.slice(i + 1).trim()}`;
  }
  const tokens = (v) => (v ?? '').split(',').map((t) => t.trim().toLowerCase());
  if ((h.upgrade ?? '').toLowerCase() !== 'websocket') return 'Upgrade';
  if (!tokens(h.connection).includes('upgrade')) return 'Connection';
  const accept = createHash('sha1').update(key + GUID).digest('base64');
  if (h['sec-websocket-accept'] !== accept && !is('no-accept-check')) return 'Sec-WebSocket-Accept';
  if (h['sec-websocket-extensions'] !== undefined) return 'an extension not offered';
  if (h['sec-websocket-protocol'] !== undefined) return 'a subprotocol not offered';
  return null;
}

async function main() {
  const o = args(process.argv.slice(2));
  breaks = new Set(o.break.split(',').filter(Boolean));
  for (const b of breaks) if (!(b in BREAKS)) throw new Error(`Unknown --break ${b} (known: ${Object.keys(BREAKS).join(', ')})`);
  const agent = encodeURIComponent(o.agent);
  let count = 0;
  await session(o.url, '/getCaseCount', (_, data) => { count = Number(data.toString()); });
  if (!(count > 0)) throw new Error(`getCaseCount gave ${count}`);
  for (let n = 1; n <= count; n++) {
    await session(o.url, `/runCase?case=${n}&agent=${agent}`, (type, data, reply) => reply(type === 'text' ? OP.TEXT : OP.BINARY, data));
  }
  await session(o.url, `/updateReports?agent=${agent}`, () => {});
  // A long-lived program keeps its leaked sockets open: so does this one, for a while.
  if (is('never-close')) await new Promise((r) => setTimeout(r, 5000));
}

// Imported by mutants.mjs for BREAKS; run as a program, it is the agent.
if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
