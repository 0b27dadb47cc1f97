// `node bench/deflate-e2e.mjs [--quick]`
//
// permessage-deflate end to end (issue 15 §4): a Node echo server on
// websocket-server/node with permessageDeflate({ threshold: 0 }) against a ws
// WebSocketServer with perMessageDeflate { threshold: 0 } (bufferutil on, its
// best), both at level 6 with the context kept on the server's side, driven
// by one raw-TCP client in this process in alternating rounds. The client
// offers `permessage-deflate; client_no_context_takeover`: every message it
// sends is compressed on its own, so each is compressed once before the run
// and replayed (masked with a fresh key per copy), and the client costs the
// same for both servers. Workloads: 200-byte JSON texts (16 connections x 8
// in flight) and 16 KiB texts (16 x 2). The server is pinned to one core and
// this client to the other where taskset exists.
//
// Checked before timing: a checking run per server and workload inflates
// every echo with node:zlib under the agreed parameters (the server's context
// carried over) and requires it equal to what was sent, and that the echoes
// were compressed. Timed rounds count whole echoed messages (FIN frames with
// RSV1, as negotiated) on each connection, in order, and require as many as
// were sent.
import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const SELF = fileURLToPath(import.meta.url);
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';
const OFFER = 'permessage-deflate; client_no_context_takeover';
const TAIL = Buffer.from([0, 0, 0xff, 0xff]);

// ---- the two servers (this file, run with --serve ours|ws)
if (args[0] === '--serve') {
  const kind = args[1];
  if (kind === 'ours') {
    const { createServer } = await import('node:http');
    const { handleUpgrade } = await import('../dist/node.js');
    const { permessageDeflate } = await import('../dist/permessage-deflate.js');
    const deflate = permessageDeflate({ threshold: 0 });
    const server = createServer((req, res) => res.writeHead(426).end());
    server.on('upgrade', (req, socket, head) => {
      const ws = handleUpgrade(req, socket, head, { extensions: [deflate] });
      ws.binaryType = 'uint8array';
      ws.onmessage = (e) => ws.send(e.data);
    });
    server.listen(0, '127.0.0.1', () => console.log(`ws://127.0.0.1:${server.address().port}`));
  } else {
    const require = createRequire(import.meta.url);
    const { WebSocketServer } = require('ws');
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: { threshold: 0 }, maxPayload: 64 << 20 });
    wss.on('connection', (ws) => ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary })));
    wss.on('listening', () => console.log(`ws://127.0.0.1:${wss.address().port}`));
  }
} else {
  await main();
}

/** `count` distinct text messages of about `size` bytes: JSON chat lines, or for 16 KiB a page of them. */
function messages(size, count) {
  const out = [];
  for (let k = 0; k < count; k++) {
    let s = '';
    for (let i = 0; s.length < size; i++) s += JSON.stringify({ id: k * 1000 + i, user: `user${(k + i) % 13}`, text: `message ${i} of ${k} about ${['cats', 'lunch', 'the build', 'the release'][(k + i) % 4]}`, ok: (k + i) % 3 === 0 }) + '\n';
    out.push(Buffer.from(s.slice(0, size)));
  }
  return out;
}

/** A masked client frame (RFC 6455 §5.2) with RSV1 set: a compressed text message. */
function frame(payload) {
  const n = payload.length;
  const head = n < 126 ? Buffer.from([0xc1, 0x80 | n]) : n < 65536 ? Buffer.from([0xc1, 0x80 | 126, n >> 8, n & 255]) : null;
  const key = Buffer.from([Math.random() * 256, Math.random() * 256, Math.random() * 256, Math.random() * 256].map((x) => x | 1));
  const body = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) body[i] = payload[i] ^ key[i & 3];
  return Buffer.concat([head, key, body]);
}

/** Reads server frames from a connection; `onMessage(payload, rsv1)` per whole message. */
function reader(onMessage) {
  let buf = Buffer.alloc(0), parts = [], rsv1 = false;
  return (chunk) => {
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    for (;;) {
      if (buf.length < 2) return;
      let len = buf[1] & 0x7f, at = 2;
      if (len === 126) { if (buf.length < 4) return; len = buf.readUInt16BE(2); at = 4; }
      else if (len === 127) { if (buf.length < 10) return; len = Number(buf.readBigUInt64BE(2)); at = 10; }
      if (buf.length < at + len) return;
      const b0 = buf[0], payload = buf.subarray(at, at + len);
      buf = buf.subarray(at + len);
      if ((b0 & 0x0f) !== 0) rsv1 = (b0 & 0x40) !== 0;
      parts.push(payload);
      if (b0 & 0x80) { onMessage(parts.length === 1 ? parts[0] : Buffer.concat(parts), rsv1); parts = []; }
    }
  };
}

/** Opens `n` upgraded connections offering OFFER; resolves [{ socket, rest, agreed }]. */
function open(url, n) {
  const { port } = new URL(url);
  return Promise.all(Array.from({ length: n }, () => new Promise((resolve, reject) => {
    const s = net.connect(Number(port), '127.0.0.1');
    s.setNoDelay(true);
    let head = Buffer.alloc(0);
    const timer = setTimeout(() => reject(new Error('no 101 in 10 s')), 10000);
    s.on('connect', () => s.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${KEY}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Extensions: ${OFFER}\r\n\r\n`));
    const onData = (d) => {
      head = Buffer.concat([head, d]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      clearTimeout(timer);
      s.off('data', onData);
      const text = head.subarray(0, end).toString('latin1');
      const agreed = /sec-websocket-extensions:\s*([^\r\n]*)/i.exec(text)?.[1];
      if (!/^HTTP\/1\.1 101/.test(text) || !agreed?.startsWith('permessage-deflate')) return reject(new Error(`not negotiated: ${text}`));
      resolve({ socket: s, rest: head.subarray(end + 4), agreed });
    };
    s.on('data', onData);
    s.on('error', reject);
  })));
}

/** The checking run: every echo inflated with zlib (the server's context carried as a dictionary) equals what was sent. */
async function verify(url, sent, frames) {
  const [c] = await open(url, 1);
  let history = Buffer.alloc(0), i = 0, problem = null, compressed = 0;
  const noContext = /server_no_context_takeover/.test(c.agreed);
  await new Promise((resolve) => {
    const read = reader((payload, rsv1) => {
      let data = payload;
      if (rsv1) {
        compressed++;
        const o = { finishFlush: zlib.constants.Z_SYNC_FLUSH };
        if (history.length) o.dictionary = history;
        data = zlib.inflateRawSync(Buffer.concat([payload, TAIL]), o);
        history = noContext ? Buffer.alloc(0) : Buffer.concat([history, data]).subarray(-32768);
      }
      if (!data.equals(sent[i % sent.length])) problem ??= `echo ${i} differs`;
      if (++i === sent.length * 2) resolve();
    });
    c.socket.on('data', read);
    if (c.rest.length) read(c.rest);
    for (let k = 0; k < sent.length * 2; k++) c.socket.write(frames[k % frames.length]);
    setTimeout(resolve, 10000);
  });
  c.socket.destroy();
  if (i !== sent.length * 2) problem ??= `${i} of ${sent.length * 2} echoes`;
  if (compressed === 0) problem ??= 'no echo was compressed';
  return { ok: problem === null, problem, agreed: c.agreed };
}

/** One timed round: `conns` connections x `inflight` messages in flight for `seconds`; messages/s. */
async function round(url, frames, { conns, inflight, seconds }) {
  const cs = await open(url, conns);
  let counted = 0, stopAt = 0, bad = 0;
  const t0 = performance.now() + 300;
  stopAt = t0 + seconds * 1000;
  await new Promise((resolve) => {
    let live = conns;
    for (const [j, c] of cs.entries()) {
      let sent = 0, got = 0;
      const send = (m) => { for (let k = 0; k < m; k++) c.socket.write(frames[(j * 7 + sent++) % frames.length]); };
      const read = reader((payload, rsv1) => {
        if (!rsv1) bad++;
        got++;
        const now = performance.now();
        if (now >= t0 && now < stopAt) counted++;
        if (now < stopAt) send(1);
        else if (got === sent && --live === 0) resolve();
      });
      c.socket.on('data', read);
      if (c.rest.length) read(c.rest);
      send(inflight);
    }
    setTimeout(resolve, (seconds + 10) * 1000);
  });
  for (const c of cs) c.socket.destroy();
  return { rate: counted / seconds, bad };
}

function start(kind) {
  const pin = spawnSync('taskset', ['-c', '0', 'true']).status === 0;
  const child = spawn(pin ? 'taskset' : process.execPath, [...(pin ? ['-c', '1', process.execPath] : []), SELF, '--serve', kind], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => { const m = /ws:\/\/\S+/.exec(String(d)); if (m) resolve({ url: m[0], child }); });
    child.on('exit', (code) => reject(new Error(`${kind} server exited ${code}`)));
  });
}

async function main() {
  if (spawnSync('taskset', ['-c', '0', 'true']).status === 0) spawnSync('taskset', ['-p', '-c', '0', String(process.pid)]);
  const servers = { ours: await start('ours'), ws: await start('ws') };
  const WORKLOADS = [
    { name: '200-byte JSON', size: 200, conns: 16, inflight: 8 },
    { name: '16 KiB text', size: 16384, conns: 16, inflight: 2 },
  ];
  const ROUNDS = quick ? 3 : 7, SECONDS = quick ? 1 : 3;
  const lines = [];
  try {
    for (const w of WORKLOADS) {
      const sent = messages(w.size, 64);
      const frames = sent.map((m) => frame(zlib.deflateRawSync(m, { finishFlush: zlib.constants.Z_SYNC_FLUSH }).subarray(0, -4)));
      const res = {};
      for (const [k, s] of Object.entries(servers)) {
        const v = await verify(s.url, sent, frames);
        res[k] = { ...v, rates: [] };
        if (!v.ok) console.error(`${k} ${w.name}: ${v.problem}`);
      }
      for (let r = 0; r < ROUNDS; r++) {
        for (const k of r % 2 ? ['ws', 'ours'] : ['ours', 'ws']) {
          if (!res[k].ok) continue;
          const { rate, bad } = await round(servers[k].url, frames, { ...w, seconds: SECONDS });
          if (bad) res[k].problem = `${bad} echoes without RSV1`;
          res[k].rates.push(rate);
        }
      }
      const med = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]; };
      const o = med(res.ours.rates), x = med(res.ws.rates);
      lines.push(`| ${w.name} | ${res.ours.ok ? `✔ ${(o / 1e3).toFixed(1)} k` : `✘ ${res.ours.problem}`} | ${res.ws.ok ? `✔ ${(x / 1e3).toFixed(1)} k` : `✘ ${res.ws.problem}`} | ${(o / x).toFixed(2)}x | ${o / x >= 2 ? 'PASS' : 'MISS'} ≥2x ws |`);
    }
  } finally {
    for (const s of Object.values(servers)) s.child.kill();
  }
  console.log(`\n### permessage-deflate end to end: echoes/s, Node (${quick ? 'quick' : `${ROUNDS} rounds of ${SECONDS} s`}; median)\n`);
  console.log('| workload | ours (websocket-server/node) | ws + bufferutil | ours/ws | target |');
  console.log('|---|---|---|---|---|');
  for (const l of lines) console.log(l);
  console.log(`\nBoth servers: threshold 0, level 6, server context kept; the client offers ${OFFER}. Node ${process.versions.node}, zlib ${process.versions.zlib}.`);
}
