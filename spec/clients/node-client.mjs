// A WebSocket client no one here wrote — Node 20's built-in WebSocket (undici,
// behind --experimental-websocket) — against examples/node/echo-server.mjs:
// text and binary of every length class up to 4 MiB, byte-exact, multi-byte
// UTF-8 included; 200 messages back-to-back in order; closes with and without
// a code and reason (RFC 6455 §5.5.1, §7.1.5, §7.4).
//
//   node --experimental-websocket spec/clients/node-client.mjs
//   node spec/clients/node-client.mjs          (re-runs itself with the flag)
//
// Prints one FAIL line per failed check and `node-client: N passed, M failed`.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { ROOT, startServer, stopServer } from '../conformance/_server.mjs';

const SELF = fileURLToPath(import.meta.url);
const MiB = 1024 * 1024;
// Up to 4 MiB: the echo server compresses its echoes (permessage-deflate), and
// undici 6 refuses a message that inflates past 4 MiB ("Max decompressed
// message size exceeded", its own limit). Chromium, Deno and Bun go to 16 MiB.
const SIZES = [0, 1, 125, 126, 65535, 65536, MiB, 4 * MiB];
const TIMEOUT = 30000;

function runChild() {
  const child = spawn(process.execPath, ['--experimental-websocket', SELF], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  return new Promise((r) => child.once('exit', (code, signal) => r(signal ?? code)));
}

/** A string whose UTF-8 is exactly `n` bytes, cycling through 1-, 2-, 3- and 4-byte code points. */
function utf8Text(n) {
  const unit = 'aé€😀Zж中𝄞'; // 20 bytes
  return unit.repeat(Math.floor(n / 20)) + 'x'.repeat(n % 20);
}

/** `n` pseudo-random bytes (random seed, cheap for 16 MiB). */
function bytes(n) {
  const out = Buffer.allocUnsafe(n);
  let x = randomBytes(4).readUInt32LE() | 1;
  for (let i = 0; i < n; i++) { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; out[i] = x & 0xff; }
  return out;
}

const digest = (b) => createHash('sha256').update(b).digest('hex').slice(0, 16);

/** Opens a client; `next()` resolves the next message; `closed` resolves the close event. */
function open(url) {
  const ws = new WebSocket(url);
  ws.binaryType = 'arraybuffer';
  const queue = [];
  const waiting = [];
  ws.onmessage = (e) => { const w = waiting.shift(); if (w) w(e.data); else queue.push(e.data); };
  const closed = new Promise((r) => { ws.onclose = (e) => r({ code: e.code, reason: e.reason, wasClean: e.wasClean }); });
  const opened = new Promise((resolve, reject) => {
    ws.onopen = () => resolve();
    ws.onerror = () => reject(new Error('The WebSocket failed to open'));
  });
  const next = () => (queue.length > 0 ? Promise.resolve(queue.shift()) : new Promise((r) => waiting.push(r)));
  return { ws, next, closed, opened };
}

async function main() {
  const server = await startServer('node-adapter');
  const results = [];
  const check = async (name, fn) => {
    let timer;
    try {
      await Promise.race([fn(), new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`No result within ${TIMEOUT} ms`)), TIMEOUT); })]);
      results.push(null);
    } catch (e) {
      results.push(name);
      console.log(`FAIL ${name}: ${e.message}`);
    } finally {
      clearTimeout(timer);
    }
  };
  try {
    const c = open(server.url);
    await check('open', () => c.opened);
    for (const n of SIZES) {
      await check(`text of ${n} UTF-8 bytes`, async () => {
        const s = utf8Text(n);
        c.ws.send(s);
        const got = await c.next();
        if (typeof got !== 'string') throw new Error(`Expected a string, got ${typeof got}`);
        if (got !== s) throw new Error(`Echo differs: ${Buffer.byteLength(got)} bytes (sha256 ${digest(got)}), sent ${n} (sha256 ${digest(s)})`);
      });
    }
    for (const n of SIZES) {
      await check(`binary of ${n} bytes`, async () => {
        const b = bytes(n);
        c.ws.send(b);
        const got = await c.next();
        if (!(got instanceof ArrayBuffer)) throw new Error(`Expected an ArrayBuffer, got ${typeof got}`);
        const g = Buffer.from(got);
        if (!g.equals(b)) throw new Error(`Echo differs: ${g.length} bytes (sha256 ${digest(g)}), sent ${n} (sha256 ${digest(b)})`);
      });
    }
    await check('200 messages back-to-back, text and binary alternating, echoed in order', async () => {
      const sent = Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? `message ${i} κόσμε` : bytes(1 + (i % 50))));
      for (const m of sent) c.ws.send(m);
      for (let i = 0; i < sent.length; i++) {
        const got = await c.next();
        const ok = typeof sent[i] === 'string' ? got === sent[i] : got instanceof ArrayBuffer && Buffer.from(got).equals(sent[i]);
        if (!ok) throw new Error(`Message ${i} differs or is out of order`);
      }
    });
    await check('close with code 4000 and a UTF-8 reason: the close event has both', async () => {
      const reason = 'bye, κόσμε 👋';
      c.ws.close(4000, reason);
      const e = await c.closed;
      if (e.code !== 4000 || e.reason !== reason || !e.wasClean) throw new Error(`Close event ${JSON.stringify(e)}`);
    });
    await check('close with code 1000 and no reason', async () => {
      const d = open(server.url);
      await d.opened;
      d.ws.close(1000);
      const e = await d.closed;
      if (e.code !== 1000 || e.reason !== '' || !e.wasClean) throw new Error(`Close event ${JSON.stringify(e)}`);
    });
    await check('close without a code: the empty Close is answered with an empty one (code 1005)', async () => {
      const d = open(server.url);
      await d.opened;
      d.ws.close();
      const e = await d.closed;
      if (e.code !== 1005 || !e.wasClean) throw new Error(`Close event ${JSON.stringify(e)}`);
    });
  } finally {
    await stopServer(server.child);
  }
  const failed = results.filter((r) => r !== null).length;
  console.log(`node-client: ${results.length - failed} passed, ${failed} failed`);
  return failed;
}

if (typeof WebSocket === 'undefined') {
  // Started without the flag: run again with it.
  process.exitCode = (await runChild()) === 0 ? 0 : 1;
} else {
  try {
    process.exitCode = (await main()) === 0 ? 0 : 1;
  } catch (e) {
    console.error(e.message);
    process.exitCode = 1;
  }
}
