// The load generator for the end-to-end benchmark: N connections on loopback,
// each keeping K small masked text messages in flight (a new one goes out for
// each echo that comes back), for a bounded time. Reports messages/s and the
// p50/p99 round-trip latency, leaving out a warm-up at the start.
//   node bench/load.mjs ws://127.0.0.1:PORT [--connections 16] [--inflight 8] [--seconds 3]
import net from 'node:net';

const MESSAGE = 'ping-0123456789ab'; // 17 bytes: a small chat-like message
const KEY = [0x21, 0x43, 0x65, 0x07];

/** One masked text frame (RFC 6455 §5.2, §5.3), encoded once and reused. */
function clientFrame(text) {
  const p = Buffer.from(text);
  const f = Buffer.alloc(6 + p.length);
  f[0] = 0x81; f[1] = 0x80 | p.length;
  for (let i = 0; i < 4; i++) f[2 + i] = KEY[i];
  for (let i = 0; i < p.length; i++) f[6 + i] = p[i] ^ KEY[i & 3];
  return f;
}

/**
 * Runs the load against `url` and resolves { messages, seconds, rate, p50, p99, errors }.
 * Every socket is destroyed at the end, whatever happens.
 */
export function load(url, { connections = 16, inflight = 8, seconds = 3, warmup = 0.5 } = {}) {
  const { hostname, port } = new URL(url);
  const frame = clientFrame(MESSAGE);
  const batch = Buffer.concat(Array.from({ length: inflight }, () => frame));
  const echoLen = 2 + Buffer.byteLength(MESSAGE);
  const lat = new Float64Array(4 << 20);
  let nLat = 0, counted = 0, errors = 0;
  const sockets = [];
  return new Promise((resolve) => {
    let start = 0, measureFrom = 0, stopAt = 0, done = false;
    const finish = () => {
      if (done) return;
      done = true;
      for (const s of sockets) s.destroy();
      const xs = lat.subarray(0, nLat).sort();
      const q = (p) => (nLat ? xs[Math.min(nLat - 1, Math.floor(p * nLat))] : NaN);
      const secs = (performance.now() - measureFrom) / 1000;
      resolve({ messages: counted, seconds: secs, rate: counted / secs, p50: q(0.5), p99: q(0.99), errors });
    };
    let open = 0;
    for (let c = 0; c < connections; c++) {
      const s = net.connect({ host: hostname, port: Number(port) });
      sockets.push(s);
      s.setNoDelay(true);
      const sent = new Float64Array(inflight * 2); // send times, a ring: echoes come back in order
      let head = 0, tail = 0, upgraded = false, rest = null;
      s.on('connect', () => {
        s.write(`GET / HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`);
      });
      const send = (m) => {
        const t = performance.now();
        for (let i = 0; i < m; i++) { sent[tail] = t; tail = (tail + 1) % sent.length; }
        s.write(m === inflight ? batch : batch.subarray(0, m * frame.length));
      };
      s.on('data', (chunk) => {
        if (done) return;
        let buf = rest === null ? chunk : Buffer.concat([rest, chunk]);
        rest = null;
        if (!upgraded) {
          const end = buf.indexOf('\r\n\r\n');
          if (end < 0) { rest = buf; return; }
          if (!buf.subarray(0, 12).toString().startsWith('HTTP/1.1 101')) { errors++; s.destroy(); return; }
          upgraded = true;
          buf = buf.subarray(end + 4);
          if (++open === connections) {
            start = performance.now(); measureFrom = start + warmup * 1000; stopAt = measureFrom + seconds * 1000;
            setTimeout(finish, (warmup + seconds) * 1000 + 100);
            for (const t of sockets) t.emit('go');
          }
        }
        // The server's echoes: unmasked text frames of known size (§5.2, 7-bit length).
        let off = 0, got = 0;
        const now = performance.now();
        while (buf.length - off >= echoLen) {
          if (buf[off] !== 0x81 || buf[off + 1] !== echoLen - 2) { errors++; s.destroy(); return; }
          off += echoLen; got++;
          const t0 = sent[head]; head = (head + 1) % sent.length;
          if (t0 >= measureFrom && now < stopAt) { counted++; if (nLat < lat.length) lat[nLat++] = now - t0; }
        }
        if (off < buf.length) rest = Buffer.from(buf.subarray(off));
        if (got > 0 && now < stopAt) send(got);
      });
      s.on('go', () => send(inflight));
      s.on('error', () => { errors++; });
    }
    // Bounded even if the handshakes never complete.
    setTimeout(finish, (warmup + seconds) * 1000 + 10000);
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const num = (name, d) => { const i = args.indexOf(name); return i >= 0 ? Number(args[i + 1]) : d; };
  const r = await load(args[0], { connections: num('--connections', 16), inflight: num('--inflight', 8), seconds: num('--seconds', 3) });
  console.log(`${r.rate.toFixed(0)} messages/s, p50 ${r.p50.toFixed(3)} ms, p99 ${r.p99.toFixed(3)} ms, ${r.errors} errors`);
  process.exit(0);
}
