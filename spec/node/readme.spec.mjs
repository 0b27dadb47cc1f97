// The README's promises are tested: its quick start runs as written (on a free
// port) and a real client, ws, talks to it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import WebSocket from 'ws';

const readme = readFileSync('README.md', 'utf8');

function block(heading) {
  const at = readme.indexOf(heading);
  assert.ok(at >= 0, `README has no ${heading}`);
  const m = /```js\n([\s\S]*?)```/.exec(readme.slice(at));
  assert.ok(m, `no js block under ${heading}`);
  return m[1];
}

async function startQuickStart() {
  const source = block('## Quick start');
  assert.ok(source.includes('}).listen(8080);'), 'the quick start listens on 8080');
  mkdirSync('.tmp', { recursive: true });
  // Inside the package, so that `websocket-server` resolves through package.json exports.
  const file = '.tmp/readme-quick-start.mjs';
  writeFileSync(file, source.replace('}).listen(8080);', "}).listen(0, '127.0.0.1', function () { console.log('ws://127.0.0.1:' + this.address().port); });"));
  const child = spawn(process.execPath, [file], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('quick start did not start')), 10000);
    child.stdout.on('data', (d) => { const m = /ws:\/\/[\d.]+:\d+/.exec(String(d)); if (m) { clearTimeout(timer); resolve(m[0]); } });
    child.on('exit', (code) => reject(new Error(`quick start exited with ${code}`)));
  });
  return { child, url };
}

function session(url, steps) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const got = [];
    const timer = setTimeout(() => { ws.terminate(); reject(new Error('client timed out')); }, 10000);
    ws.on('open', () => steps(ws));
    ws.on('message', (data, isBinary) => got.push(isBinary ? ['binary', new Uint8Array(data)] : ['text', String(data)]));
    ws.on('pong', (data) => got.push(['pong', String(data)]));
    ws.on('close', (code, reason) => { clearTimeout(timer); resolve({ got, code, reason: String(reason) }); });
    ws.on('error', reject);
  });
}

test('README quick start: echoes text, binary, answers pings and the close handshake', async () => {
  const { child, url } = await startQuickStart();
  try {
    const text = 'héllo, wörld 🌍'.repeat(100);
    const bytes = Uint8Array.from({ length: 70000 }, (_, i) => (i * 7) & 255);
    const { got, code, reason } = await session(url, (ws) => {
      ws.send(text);
      ws.send(bytes);
      ws.ping('are you there');
      ws.close(4001, 'done');
    });
    assert.equal(got[0], ['text', text]);
    assert.equal(got[1][0], 'binary');
    assert.equal(got[1][1], bytes);
    assert.equal(got[2], ['pong', 'are you there']);
    assert.is(got.length, 3);
    assert.is(code, 4001);
    assert.is(reason, '');
  } finally {
    child.kill();
  }
});

test('README quick start: a protocol error closes with its code after echoing what came before', async () => {
  const { child, url } = await startQuickStart();
  try {
    const { got, code } = await session(url, (ws) => {
      ws.send('first');
      // An unmasked frame from a client breaks RFC 6455 §5.1: the server must close with 1002.
      ws._socket.write(Uint8Array.from([0x81, 0x02, 0x68, 0x69]));
    });
    assert.equal(got, [['text', 'first']]);
    assert.is(code, 1002);
  } finally {
    child.kill();
  }
});

test.run();
