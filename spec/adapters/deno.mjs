// websocket-server/web in Deno (dist/web.js) over real loopback sockets:
// first, in Deno itself (spec/adapters/_deno.mjs), the interop with Deno's own
// WebSocket server and client, subprotocols included, and the adapter on a
// Deno.Conn; then, driven from Node with ws, the Deno examples as a user runs
// them: examples/deno/echo-server.ts (--protocols, --max-message-size),
// echo-client.ts (--url), chat.ts (broadcast, a client that stops reading is
// dropped) and autobahn-client.ts (against a small fuzzingserver stand-in).
//
//   node spec/adapters/deno.mjs     (runs the first part under node_modules/.bin/deno)
//
// Prints one line per case and `adapters (deno): N passed, M failed`; exits 1
// on any failure. No case asserts on time: each waits for its outcome, within
// a limit that only guards against a hang.
import { spawn } from 'node:child_process';
import net from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const LIMIT = 30_000;

async function runCases(cases, log) {
  let passed = 0, failed = 0;
  for (const [name, fn] of cases) {
    let timer;
    try {
      await Promise.race([fn(), new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`did not finish within ${LIMIT / 1000} s`)), LIMIT); })]);
      passed++;
      log(`ok   ${name}`);
    } catch (e) {
      failed++;
      log(`FAIL ${name}: ${e?.stack ?? e}`);
    } finally {
      clearTimeout(timer);
    }
  }
  return { passed, failed };
}

if (typeof Deno !== 'undefined') {
  // The first part, in Deno: one line per case, then a count line for Node to read.
  const { cases } = await import('./_deno.mjs');
  const { passed, failed } = await runCases(cases, console.log);
  console.log(`@@deno ${passed} ${failed}`);
  Deno.exit(0);
}

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const DENO = join(ROOT, 'node_modules/.bin/deno');
const children = new Set();
const killAll = () => { for (const c of children) c.kill('SIGKILL'); };
process.once('exit', killAll);
for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => { killAll(); process.exit(130); });

/** Runs deno with `args`; resolves { code, out, err } once it exits. `input` goes to its stdin. */
function deno(args, { input } = {}) {
  const child = spawn(DENO, args, { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  children.add(child);
  let out = '', err = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { err += d; });
  child.stdin.on('error', () => {});
  if (input !== undefined) child.stdin.end(input);
  const done = new Promise((resolve) => {
    child.once('error', (e) => resolve({ code: -1, out, err: `${err}${e.message}` }));
    child.once('exit', (code, signal) => { children.delete(child); resolve({ code: code ?? signal, out, err }); });
  });
  return { child, done, output: () => out, errors: () => err };
}

/** Starts a Deno example server; resolves { url, stop } once it printed its ws:// line. */
async function startExample(file, args = []) {
  const proc = deno(['run', '--allow-net=127.0.0.1', file, '--port', '0', ...args]);
  const url = await new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const m = /ws:\/\/\S+/.exec(proc.output());
      if (m) { clearInterval(timer); resolve(m[0]); }
    }, 5);
    proc.done.then((r) => { clearInterval(timer); reject(new Error(`${file} exited (${r.code}): ${r.err}`)); });
  });
  return { url, stop: () => { proc.child.kill('SIGKILL'); return proc.done; } };
}

const { default: WebSocket, WebSocketServer } = await import('ws');

function check(ok, message) {
  if (!ok) throw new Error(message);
}
const eq = (a, b, what) => check(JSON.stringify(a) === JSON.stringify(b), `${what}: expected ${JSON.stringify(b)}, got ${JSON.stringify(a)}`);
async function until(pred) {
  while (!pred()) await new Promise((r) => setTimeout(r, 5));
}

/** A ws client that records what it gets; resolves once open (or rejects). */
async function wsClient(url, protocols) {
  const ws = new WebSocket(url, protocols);
  const log = { messages: [], close: null };
  ws.on('message', (data, binary) => log.messages.push(binary ? new Uint8Array(data) : data.toString()));
  ws.on('close', (code, reason) => { log.close = { code, reason: reason.toString() }; });
  ws.on('error', () => {});
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('close', () => reject(new Error(`closed before open (${log.close?.code})`))); });
  return { ws, log };
}

const exampleCases = [];
const test = (name, fn) => exampleCases.push([name, fn]);

test('examples/deno/echo-server.ts: the subprotocol is the server\'s first that the client offered; echoes; over --max-message-size: 1009', async () => {
  const server = await startExample('examples/deno/echo-server.ts', ['--protocols', 'a,b', '--max-message-size', '1000']);
  try {
    const { ws, log } = await wsClient(server.url, ['b', 'a']);
    eq(ws.protocol, 'a', 'protocol');
    ws.send('hello');
    ws.send(new Uint8Array([1, 2, 3]));
    await until(() => log.messages.length === 2);
    eq(log.messages[0], 'hello', 'text');
    eq([...log.messages[1]], [1, 2, 3], 'binary');
    ws.send('x'.repeat(1001));
    await until(() => log.close !== null);
    eq(log.close.code, 1009, 'close code');
  } finally {
    await server.stop();
  }
});

test('examples/deno/echo-client.ts --url: each stdin line sent, each echo printed, exit 0 after the close', async () => {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((r) => wss.once('listening', r));
  wss.on('connection', (ws) => ws.on('message', (data, binary) => ws.send(data, { binary })));
  try {
    const r = await deno(['run', '--allow-net=127.0.0.1', 'examples/deno/echo-client.ts', '--url', `ws://127.0.0.1:${wss.address().port}/`], { input: 'one\ntwo words\nlast' }).done;
    eq(r.code, 0, `exit code (stderr: ${r.err})`);
    eq(r.out, 'one\ntwo words\nlast\n', 'output');
  } finally {
    await new Promise((r) => wss.close(r));
  }
});

test('examples/deno/chat.ts: every message to every client, text and binary; a client that stops reading is dropped, the others keep every message', async () => {
  const server = await startExample('examples/deno/chat.ts');
  try {
    const a = await wsClient(server.url), b = await wsClient(server.url);
    a.ws.send('hi all');
    b.ws.send(new Uint8Array([7, 8]));
    await until(() => a.log.messages.length === 2 && b.log.messages.length === 2);
    for (const { log } of [a, b]) {
      eq(log.messages.find((m) => typeof m === 'string'), 'hi all', 'text');
      eq([...log.messages.find((m) => typeof m !== 'string')], [7, 8], 'binary');
    }
    // A client that handshakes, then never reads.
    const { port, hostname } = new URL(server.url);
    const slow = net.connect(Number(port), hostname);
    let slowGone = false;
    slow.on('error', () => { slowGone = true; });
    slow.on('close', () => { slowGone = true; });
    slow.write(`GET / HTTP/1.1\r\nHost: ${hostname}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    await new Promise((r) => slow.once('data', r));
    slow.pause();
    // Far more than the kernel buffers to it hold: its unsent bytes pass the limit and stay there.
    const COUNT = 32, big = 'x'.repeat(1 << 20);
    for (let i = 0; i < COUNT; i++) a.ws.send(`${i} ${big}`);
    await until(() => a.log.messages.length === 2 + COUNT && b.log.messages.length === 2 + COUNT);
    for (const { log } of [a, b]) check(log.messages.slice(2).every((m, i) => m.startsWith(`${i} `) && m.length === big.length + String(i).length + 1), 'every broadcast, in order');
    // A paused socket cannot see its end; its writes can: once the server has
    // closed it, one draws a reset and the next fails. Pings until then.
    const ping = Uint8Array.from([0x89, 0x80, 1, 2, 3, 4]);
    while (!slowGone) {
      slow.write(ping);
      await new Promise((r) => setTimeout(r, 20));
    }
    a.ws.close();
    b.ws.close();
  } finally {
    await server.stop();
  }
});

test('examples/deno/autobahn-client.ts --url --agent: getCaseCount, every case echoed with its type, updateReports', async () => {
  const seen = [];
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((r) => wss.once('listening', r));
  wss.on('connection', (ws, req) => {
    const url = new URL(req.url, 'ws://x');
    seen.push(`${url.pathname}${url.search}`);
    if (url.pathname === '/getCaseCount') return ws.send('2', () => ws.close(1000));
    if (url.pathname === '/updateReports') return ws.close(1000);
    const n = Number(url.searchParams.get('case'));
    const got = [];
    ws.on('message', (data, binary) => {
      got.push(binary ? `binary ${[...data]}` : `text ${data}`);
      if (got.length === 2) {
        seen.push(got.join(' | '));
        ws.close(1000);
      }
    });
    ws.send(`case ${n}`);
    ws.send(new Uint8Array([n, n]));
  });
  try {
    const r = await deno(['run', '--allow-net=127.0.0.1', 'examples/deno/autobahn-client.ts', '--url', `ws://127.0.0.1:${wss.address().port}`, '--agent', 'deno web']).done;
    eq(r.code, 0, `exit code (stderr: ${r.err})`);
    eq(seen, [
      '/getCaseCount',
      '/runCase?case=1&agent=deno%20web', 'text case 1 | binary 1,1',
      '/runCase?case=2&agent=deno%20web', 'text case 2 | binary 2,2',
      '/updateReports?agent=deno%20web',
    ], 'the fuzzingserver saw');
  } finally {
    await new Promise((r) => wss.close(r));
  }
});

// The Deno part first, then the examples.
const lines = [];
const log = (line) => { lines.push(line); console.log(line); };
const inDeno = deno(['run', '--allow-net=127.0.0.1', fileURLToPath(import.meta.url)]);
const r = await inDeno.done;
let passed = 0, failed = 0;
for (const line of r.out.split('\n')) {
  const m = /^@@deno (\d+) (\d+)$/.exec(line);
  if (m) { passed += Number(m[1]); failed += Number(m[2]); } else if (line !== '') log(line);
}
if (!/^@@deno /m.test(r.out)) {
  failed++;
  log(`FAIL the cases in Deno gave no result (exit ${r.code}): ${r.err.trim().slice(-2000)}`);
}
const examples = await runCases(exampleCases, log);
passed += examples.passed;
failed += examples.failed;
console.log(`adapters (deno): ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
