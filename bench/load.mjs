// The load generator for the end-to-end benchmarks (bench/e2e.mjs,
// bench/servers.mjs): a raw-TCP WebSocket client. N connections on loopback,
// each keeping K masked messages in flight (a new one goes out for each echo
// that comes back) for a bounded time; then it stops sending, waits for the
// echoes still in flight, and checks every one.
//
// Every echo is validated, content and count: the messages are a ring of
// distinct payloads (each masked with its own key), and the bytes that come
// back must be exactly the unmasked frames of the messages sent, in order
// (opcode, FIN, length and payload), no more and no fewer. Checking costs one
// native compare per received chunk: the expected echoes of the ring are laid
// out twice in one buffer, so any run of them is one contiguous slice.
//
// Reports messages/s and the p50/p99 round-trip latency, leaving out a warm-up
// at the start.
//   node bench/load.mjs ws://127.0.0.1:PORT [--connections 16] [--inflight 8] [--seconds 3]
//        [--size 17] [--binary]
import net from 'node:net';

/** The handshake's key (RFC 6455 §1.3's example); its accept value is s3pPLMBiTxaQ9kYGzzhZRbK+xOo=. */
const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';
/** Whether a response head (its lines, without the blank one) is a 101 with that accept value. */
const upgraded = (head) => /^HTTP\/1\.1 101 /.test(head) && /^sec-websocket-accept:[ \t]*s3pPLMBiTxaQ9kYGzzhZRbK\+xOo=[ \t]*\r?$/im.test(head);

/** Deterministic bytes (xorshift32), so every run sends the same data. */
function xorshift(seed) {
  let x = seed | 0 || 1;
  return () => { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; return x >>> 0; };
}

/** A frame header (RFC 6455 §5.2) for one unfragmented message; `mask` adds the mask bit. */
function header(opcode, length, mask) {
  const m = mask ? 0x80 : 0;
  if (length < 126) return Buffer.from([0x80 | opcode, m | length]);
  if (length < 65536) return Buffer.from([0x80 | opcode, m | 126, length >> 8, length & 255]);
  const h = Buffer.alloc(10);
  h[0] = 0x80 | opcode; h[1] = m | 127;
  h.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
  h.writeUInt32BE(length >>> 0, 6);
  return h;
}

/**
 * The ring of messages: `count` distinct payloads of `size` bytes (printable
 * ASCII for text, any byte for binary), each as the masked frame the client
 * sends and the unmasked frame the server must send back. Both rings are laid
 * out twice, so that messages i..i+count-1 (i < count) are one slice.
 */
function ring(size, binary, count) {
  const rnd = xorshift(0x5eed + size);
  const opcode = binary ? 2 : 1;
  const sendParts = [], echoParts = [];
  for (let k = 0; k < count; k++) {
    const p = Buffer.alloc(size);
    for (let i = 0; i < size; i++) p[i] = binary ? rnd() & 255 : 0x20 + (rnd() % 95);
    let key = rnd();
    if (key === 0) key = 0x01020304; // a zero key would leave the payload as it is
    const mask = Buffer.alloc(4);
    mask.writeUInt32BE(key);
    const masked = Buffer.alloc(size);
    for (let i = 0; i < size; i++) masked[i] = p[i] ^ mask[i & 3];
    sendParts.push(Buffer.concat([header(opcode, size, true), mask, masked]));
    echoParts.push(Buffer.concat([header(opcode, size, false), p]));
  }
  return {
    count,
    sendLen: sendParts[0].length,
    echoLen: echoParts[0].length,
    send: Buffer.concat([...sendParts, ...sendParts]),
    echo: Buffer.concat([...echoParts, ...echoParts]),
  };
}

const rings = new Map();
function ringFor(size, binary, inflight) {
  // At least 64 distinct messages (small ones) and never fewer than in flight.
  const count = Math.max(inflight, size <= 1024 ? 64 : 8);
  const k = `${size}/${binary}/${count}`;
  if (!rings.has(k)) rings.set(k, ring(size, binary, count));
  return rings.get(k);
}

/** Latency samples, allocated once (4 Mi of them) and reused by every run. */
let lat = null;

/**
 * Runs the load against `url` and resolves
 * { messages, total, seconds, rate, p50, p99, errors, problems, cpu }:
 *  - messages: echoes counted (sent after the warm-up, back before the end), rate = messages / seconds;
 *  - total: every echo received in the run, warm-up and final drain included;
 *  - errors: every problem, whatever its kind; problems: { handshake, socket, content, count };
 *  - cpu: this process's CPU seconds over the run (the load generator's own cost).
 * Every socket is destroyed at the end, whatever happens.
 * size: payload bytes (default 17); binary: binary frames instead of text.
 */
export function load(url, { connections = 16, inflight = 8, seconds = 3, warmup = 0.5, size = 17, binary = false, drainSeconds = 5 } = {}) {
  const { hostname, port } = new URL(url);
  const r = ringFor(size, binary, inflight);
  const R = r.count, SL = r.sendLen, EL = r.echoLen, RING = R * EL;
  lat ??= new Float64Array(4 << 20);
  let nLat = 0, counted = 0, total = 0;
  const problems = { handshake: 0, socket: 0, content: 0, count: 0 };
  const sockets = [];
  const cpu0 = process.cpuUsage();
  return new Promise((resolve) => {
    let measureFrom = 0, stopAt = Infinity, done = false, open = 0, finished = 0, endTimer = null;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(endTimer);
      for (const c of sockets) {
        // An echo still missing, or a connection that never got going, is a count error.
        if (!c.finished) problems.count += Math.max(1, c.sent - c.received);
        c.s.destroy();
      }
      const xs = lat.subarray(0, nLat).sort();
      const q = (p) => (nLat ? xs[Math.min(nLat - 1, Math.floor(p * nLat))] : NaN);
      const secs = Math.max(0, Math.min(performance.now(), stopAt) - measureFrom) / 1000;
      const errors = problems.handshake + problems.socket + problems.content + problems.count;
      const u = process.cpuUsage(cpu0);
      resolve({ messages: counted, total, seconds: secs, rate: counted / secs, p50: q(0.5), p99: q(0.99), errors, problems, cpu: (u.user + u.system) / 1e6 });
    };
    const connDone = (c) => {
      if (c.finished) return;
      c.finished = true;
      if (++finished === connections) finish();
    };
    const fail = (c, kind) => {
      if (c.finished || done) return;
      problems[kind]++;
      c.finished = true; // counted as failed here, not again at finish()
      c.s.destroy();
      if (++finished === connections) finish();
    };
    for (let i = 0; i < connections; i++) {
      // Each connection reads into one buffer of its own (`onread`): no allocation and no stream
      // machinery per read, so the generator spends less of its core on the way in. Measured on
      // 16 KiB echoes it was the side that set the pace (92-98% of its core).
      const s = net.connect({ host: hostname, port: Number(port), onread: { buffer: Buffer.allocUnsafe(65536), callback: (n, buf) => { onData(buf.subarray(0, n)); } } });
      s.setNoDelay(true);
      // start: this connection's first message in the ring (so connections differ);
      // sent/received: messages so far; pos: bytes of the current echo received.
      const c = { s, start: (i * 7) % R, sent: 0, received: 0, pos: 0, upgraded: false, head: null, finished: false, times: new Float64Array(R) };
      sockets.push(c);
      const send = (m) => {
        const t = performance.now();
        for (let k = 0; k < m; k++) c.times[(c.sent + k) % R] = t;
        const at = (c.start + c.sent) % R;
        c.sent += m;
        s.write(r.send.subarray(at * SL, (at + m) * SL));
      };
      c.go = () => send(inflight);
      s.on('connect', () => {
        s.write(`GET / HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${KEY}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
      });
      const onData = (chunk) => {
        if (done || c.finished) return;
        if (!c.upgraded) {
          const buf = c.head === null ? chunk : Buffer.concat([c.head, chunk]);
          const end = buf.indexOf('\r\n\r\n');
          if (end < 0) { c.head = Buffer.from(buf); /* a copy: the read buffer is reused */ if (buf.length > 16384) fail(c, 'handshake'); return; }
          const head = buf.subarray(0, end).toString('latin1');
          if (!upgraded(head)) return fail(c, 'handshake');
          c.upgraded = true;
          c.head = null;
          chunk = buf.subarray(end + 4);
          if (++open === connections) {
            measureFrom = performance.now() + warmup * 1000;
            stopAt = measureFrom + seconds * 1000;
            endTimer = setTimeout(finish, (warmup + seconds + drainSeconds) * 1000);
            for (const t of sockets) if (!t.finished) t.go();
          }
          if (chunk.length === 0) return;
        }
        // The echoes must be the next bytes of this connection's echo stream:
        // compared in slices of at most one ring.
        const now = performance.now();
        const before = c.received;
        for (let off = 0; off < chunk.length;) {
          const at = ((c.start + c.received) % R) * EL + c.pos;
          const n = Math.min(chunk.length - off, RING);
          if (chunk.compare(r.echo, at, at + n, off, off + n) !== 0) return fail(c, 'content');
          off += n;
          c.pos += n;
          while (c.pos >= EL) {
            c.pos -= EL;
            const t0 = c.times[c.received % R];
            c.received++;
            if (t0 >= measureFrom && now < stopAt) { counted++; if (nLat < lat.length) lat[nLat++] = now - t0; }
          }
        }
        const got = c.received - before;
        total += got;
        if (c.received > c.sent) return fail(c, 'count'); // an echo of nothing we sent
        if (now < stopAt) { if (got > 0) send(got); }
        else if (c.received === c.sent && c.pos === 0) connDone(c);
      };
      s.on('error', () => {});
      s.on('close', () => { if (!done && !c.finished) fail(c, c.upgraded ? 'socket' : 'handshake'); });
    }
    // Bounded even if the handshakes never complete.
    setTimeout(finish, (warmup + seconds + drainSeconds) * 1000 + 10000);
  });
}

/**
 * Opens `n` WebSocket connections and leaves them idle (for memory per
 * connection), `batch` handshakes at a time. Resolves { sockets, opened,
 * errors, close() } once every handshake has answered (or failed): opened
 * counts the 101s with the right Sec-WebSocket-Accept. close() destroys them
 * all and resolves when every one has closed.
 */
export async function openIdle(url, n, { batch = 100, timeoutMs = 20000 } = {}) {
  const { hostname, port } = new URL(url);
  const sockets = [];
  let opened = 0, errors = 0;
  const one = () => new Promise((resolve) => {
    const s = net.connect({ host: hostname, port: Number(port) });
    sockets.push(s);
    let head = Buffer.alloc(0), settled = false;
    const settle = (ok) => { if (settled) return; settled = true; clearTimeout(timer); if (ok) opened++; else errors++; resolve(); };
    const timer = setTimeout(() => settle(false), timeoutMs);
    s.on('connect', () => s.write(`GET / HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${KEY}\r\nSec-WebSocket-Version: 13\r\n\r\n`));
    s.on('data', (d) => {
      if (settled) { errors++; return; } // an idle connection gets nothing after its 101
      head = Buffer.concat([head, d]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      const h = head.subarray(0, end).toString('latin1');
      settle(upgraded(h) && head.length === end + 4);
    });
    s.on('error', () => {});
    s.on('close', () => settle(false));
  });
  for (let i = 0; i < n; i += batch) await Promise.all(Array.from({ length: Math.min(batch, n - i) }, one));
  return {
    sockets,
    opened,
    get errors() { return errors; },
    close: () => Promise.all(sockets.map((s) => new Promise((resolve) => {
      if (s.destroyed) return resolve();
      s.once('close', resolve);
      s.destroy();
    }))),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const num = (name, d) => { const i = args.indexOf(name); return i >= 0 ? Number(args[i + 1]) : d; };
  const r = await load(args[0], {
    connections: num('--connections', 16), inflight: num('--inflight', 8), seconds: num('--seconds', 3),
    size: num('--size', 17), binary: args.includes('--binary'),
  });
  console.log(`${r.rate.toFixed(0)} messages/s, p50 ${r.p50.toFixed(3)} ms, p99 ${r.p99.toFixed(3)} ms, ${r.errors} errors ${JSON.stringify(r.problems)}, load CPU ${r.cpu.toFixed(2)} s`);
  process.exit(0);
}
