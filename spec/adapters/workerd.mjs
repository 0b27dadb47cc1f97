// examples/workerd/client.js in workerd, as its config (examples/workerd/config.capnp)
// runs it: `workerd serve` on a free port, then requests that make the worker
// connect() to a local WebSocket server, send one message and answer with the
// echo: against ws's server, against ours (websocket-server/web in Node over
// Duplex.toWeb) with a wss-less URL given by ?url=, and against a server that
// refuses the upgrade (a 502 naming the 1006 and the failed check).
//
//   node spec/adapters/workerd.mjs
//
// Prints one line per case and `adapters (workerd): N passed, M failed`; exits
// 1 on any failure. No case asserts on time.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import net from 'node:net';
import { dirname, join } from 'node:path';
import { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';
import { acceptWebSocket } from '../../dist/web.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const LIMIT = 30_000;

/** A free loopback port (closed again at once: workerd binds it next). */
async function freePort() {
  const s = net.createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

async function listening(server) {
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return server.address().port;
}

let workerd, log = '';
const stopAll = () => workerd?.kill('SIGKILL');
process.once('exit', stopAll);
for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => { stopAll(); process.exit(130); });

/** Starts workerd on the example's config with its socket moved to a free port; resolves the base URL once it answers. */
async function startWorkerd() {
  const port = await freePort();
  workerd = spawn(join(ROOT, 'node_modules/.bin/workerd'), ['serve', 'examples/workerd/config.capnp', '--socket-addr', `http=127.0.0.1:${port}`], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  workerd.stdout.on('data', (d) => { log = (log + d).slice(-4000); });
  workerd.stderr.on('data', (d) => { log = (log + d).slice(-4000); });
  let exited = null;
  workerd.once('exit', (code, signal) => { exited = signal ?? code; });
  const base = `http://127.0.0.1:${port}`;
  for (;;) {
    if (exited !== null) throw new Error(`workerd exited (${exited}): ${log}`);
    const up = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => { s.destroy(); resolve(true); });
      s.once('error', () => resolve(false));
    });
    if (up) return base;
    await new Promise((r) => setTimeout(r, 20));
  }
}

const cases = [];
const test = (name, fn) => cases.push([name, fn]);
function check(ok, message) {
  if (!ok) throw new Error(message);
}

let base;
const ask = async (wsUrl, text) => {
  const res = await fetch(`${base}/?url=${encodeURIComponent(wsUrl)}&text=${encodeURIComponent(text)}`);
  return { status: res.status, body: await res.text() };
};

test('against ws\'s server: the message echoed', async () => {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((r) => wss.once('listening', r));
  const closes = [];
  wss.on('connection', (ws) => {
    ws.on('message', (data, binary) => ws.send(data, { binary }));
    ws.on('close', (code) => closes.push(code));
  });
  try {
    const r = await ask(`ws://127.0.0.1:${wss.address().port}/`, 'hello from node ✓');
    check(r.status === 200 && r.body === 'hello from node ✓\n', `got ${r.status} ${JSON.stringify(r.body)}`);
    while (closes.length === 0) await new Promise((res) => setTimeout(res, 5));
    check(closes[0] === 1000, `ws saw close ${closes[0]}`);
  } finally {
    await new Promise((r) => wss.close(r));
  }
});

test('against our server (websocket-server/web over Duplex.toWeb): the message echoed, a clean close', async () => {
  const logs = [];
  const server = net.createServer((socket) => {
    const ws = acceptWebSocket(Duplex.toWeb(socket));
    ws.onmessage = (e) => ws.send(e.data);
    ws.onclose = (e) => logs.push({ code: e.code, wasClean: e.wasClean, url: ws.url });
  });
  const port = await listening(server);
  try {
    const r = await ask(`ws://127.0.0.1:${port}/from-workerd`, 'x'.repeat(4000));
    check(r.status === 200 && r.body === `${'x'.repeat(4000)}\n`, `got ${r.status} ${JSON.stringify(r.body.slice(0, 80))}`);
    while (logs.length === 0) await new Promise((res) => setTimeout(res, 5));
    check(logs[0].code === 1000 && logs[0].wasClean && logs[0].url === '/from-workerd', `our server saw ${JSON.stringify(logs[0])}`);
  } finally {
    await new Promise((r) => server.close(r));
  }
});

test('against a server that refuses the upgrade: 502, closed 1006 with the failed check', async () => {
  const server = createServer((req, res) => res.writeHead(404, { 'Content-Type': 'text/plain' }).end('no'));
  const port = await listening(server);
  try {
    const r = await ask(`ws://127.0.0.1:${port}/`, 'hello');
    check(r.status === 502 && /^No reply: closed 1006 .*\b101\b/.test(r.body), `got ${r.status} ${JSON.stringify(r.body)}`);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});

let passed = 0, failed = 0;
try {
  base = await startWorkerd();
  for (const [name, fn] of cases) {
    let timer;
    try {
      await Promise.race([fn(), new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`did not finish within ${LIMIT / 1000} s`)), LIMIT); })]);
      passed++;
      console.log(`ok   ${name}`);
    } catch (e) {
      failed++;
      console.log(`FAIL ${name}: ${e?.stack ?? e}${log ? `\n  workerd: ${log.trim()}` : ''}`);
    } finally {
      clearTimeout(timer);
    }
  }
} catch (e) {
  failed++;
  console.log(`FAIL workerd did not start: ${e.message}`);
} finally {
  stopAll();
}
console.log(`adapters (workerd): ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
