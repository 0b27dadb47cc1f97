// The ceiling for a WebSocket echo on node:net: the handshake, then each frame
// echoed with the least work there is. No library, no validation beyond what
// framing needs: the header is parsed, the payload unmasked in the socket's
// own chunk, and the frame re-framed unmasked in place (its new header written
// over where the old one and the mask key were, the frames of one chunk moved
// together), so that all the echoes of one chunk leave in one write. Text is
// not checked for UTF-8, fragments are echoed as fragments, a ping gets its
// pong and a Close its Close; nothing else (no timeouts, no heartbeat, no
// backpressure). A benchmark's rival, not a server to copy.
//
//   node bench/servers/node-bare-echo.mjs [--port 8080] [--host 127.0.0.1]
//
// Prints one line with ws://HOST:PORT when listening.
import net from 'node:net';
import { createHash } from 'node:crypto';

const args = process.argv.slice(2);
const opt = (name, fallback) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : fallback; };
const port = Number(opt('--port', '8080'));
const host = opt('--host', '127.0.0.1');

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const MAX_HEAD = 8192;
const MAX_PAYLOAD = 64 * 1024 * 1024;

/**
 * Unmasks buf[from, from + len) with the key k0..k3 and writes the result to
 * buf[to, ...) (to <= from: the frames move left as their mask keys go). Bytes
 * one at a time for short payloads; 32-bit words for long ones (unmasked in
 * place, then moved). Assumes a little-endian machine, as Node's are.
 */
function unmask(buf, from, to, len, k0, k1, k2, k3) {
  if (len < 64) {
    for (let i = 0; i < len; i += 4) {
      buf[to + i] = buf[from + i] ^ k0;
      if (i + 1 < len) buf[to + i + 1] = buf[from + i + 1] ^ k1;
      if (i + 2 < len) buf[to + i + 2] = buf[from + i + 2] ^ k2;
      if (i + 3 < len) buf[to + i + 3] = buf[from + i + 3] ^ k3;
    }
    return;
  }
  const k = [k0, k1, k2, k3];
  const abs = buf.byteOffset + from;
  let i = 0;
  for (const lead = (4 - (abs & 3)) & 3; i < lead; i++) buf[from + i] ^= k[i & 3];
  const words = (len - i) >>> 2;
  const key = k[i & 3] | (k[(i + 1) & 3] << 8) | (k[(i + 2) & 3] << 16) | (k[(i + 3) & 3] << 24);
  const w = new Int32Array(buf.buffer, abs + i, words);
  for (let j = 0; j < words; j++) w[j] ^= key;
  for (i += words * 4; i < len; i++) buf[from + i] ^= k[i & 3];
  if (to !== from) buf.copyWithin(to, from, from + len);
}

const server = net.createServer((socket) => {
  socket.setNoDelay(true);
  let head = null; // the request head so far, until the upgrade
  let open = false;
  let parts = []; // the chunks of an incomplete frame
  let partsLen = 0;
  let need = 0; // bytes the incomplete frame needs in all (0: its header is not complete yet)

  const handshake = (chunk) => {
    head = head === null ? chunk : Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    if (end < 0) { if (head.length > MAX_HEAD) socket.destroy(); return null; }
    const m = /^sec-websocket-key:[ \t]*([A-Za-z0-9+/=]+)[ \t]*\r?$/im.exec(head.subarray(0, end).toString('latin1'));
    if (m === null) { socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n'); return null; }
    const accept = createHash('sha1').update(m[1] + GUID).digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    open = true;
    const rest = head.subarray(end + 4);
    head = null;
    return rest;
  };

  socket.on('data', (chunk) => {
    if (!open) {
      chunk = handshake(chunk);
      if (chunk === null || chunk.length === 0) return;
    }
    let buf = chunk;
    if (partsLen > 0) {
      parts.push(chunk);
      partsLen += chunk.length;
      if (need > 0 && partsLen < need) return; // a long frame still arriving: no copy yet
      buf = Buffer.concat(parts, partsLen);
      parts = []; partsLen = 0; need = 0;
    }
    let off = 0, w = 0, closing = false;
    while (buf.length - off >= 2) {
      const b0 = buf[off], b1 = buf[off + 1];
      if ((b1 & 0x80) === 0) { socket.destroy(); return; } // a client's frames are masked (§5.1)
      let len = b1 & 0x7f, hl = 2;
      if (len === 126) {
        if (buf.length - off < 4) break;
        len = buf.readUInt16BE(off + 2); hl = 4;
      } else if (len === 127) {
        if (buf.length - off < 10) break;
        len = buf.readUInt32BE(off + 2) * 2 ** 32 + buf.readUInt32BE(off + 6); hl = 10;
      }
      if (len > MAX_PAYLOAD) { socket.destroy(); return; }
      const total = hl + 4 + len;
      if (buf.length - off < total) { need = total; break; }
      const ms = off + hl;
      const k0 = buf[ms], k1 = buf[ms + 1], k2 = buf[ms + 2], k3 = buf[ms + 3];
      const op = b0 & 0x0f;
      if (op === 0xa) { off += total; continue; } // a pong needs no answer
      // The echo's header, unmasked: the same first byte (a ping's becomes a pong's).
      buf[w] = op === 0x9 ? (b0 & 0xf0) | 0xa : b0;
      buf[w + 1] = b1 & 0x7f;
      for (let i = 2; i < hl; i++) buf[w + i] = buf[off + i];
      unmask(buf, ms + 4, w + hl, len, k0, k1, k2, k3);
      w += hl + len;
      off += total;
      if (op === 0x8) { closing = true; break; } // echo the Close, then close (§5.5.1)
    }
    if (w > 0) socket.write(buf.subarray(0, w));
    if (closing) { socket.end(); return; }
    if (off < buf.length) {
      // A frame is incomplete: keep its bytes (after what was written: never overwritten).
      parts.push(buf.subarray(off));
      partsLen = buf.length - off;
    }
  });
  socket.on('error', () => {});
});

server.on('error', (e) => { console.error(`Cannot listen on ${host}:${port}: ${e.message}`); process.exit(1); });
server.listen(port, host, () => {
  const { address, port: p } = server.address();
  console.log(`bare node:net echo listening on ws://${address.includes(':') ? `[${address}]` : address}:${p}`);
});
