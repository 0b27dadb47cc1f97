// A rival for bench/servers.mjs: an echo server on ws's WebSocketServer (ws is
// a devDependency), with or without bufferutil, and proof of which one ws runs.
//
//   node bench/servers/ws-echo.mjs --bufferutil on|off [--port 8080] [--host 127.0.0.1]
//
// ws picks its masking functions once, when its buffer-util module loads: with
// WS_NO_BUFFER_UTIL set it keeps its JS loops, else it requires bufferutil and
// calls it from 32 bytes (unmask) and 48 bytes (mask). So this file sets or
// clears that variable before it loads ws, then checks the outcome: bufferutil
// must be the native addon (not its JS fallback), and one 64-byte unmask
// through ws's buffer-util must reach bufferutil.unmask exactly when asked
// for. If not, it exits with an error instead of measuring the wrong thing.
// Prints one line with ws://HOST:PORT and the verdict when listening.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const args = process.argv.slice(2);
const opt = (name, fallback) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : fallback; };
const port = Number(opt('--port', '8080'));
const host = opt('--host', '127.0.0.1');
const wantNative = opt('--bufferutil', 'on');
if (wantNative !== 'on' && wantNative !== 'off') {
  console.error('--bufferutil must be on or off');
  process.exit(2);
}

if (wantNative === 'on') delete process.env.WS_NO_BUFFER_UTIL;
else process.env.WS_NO_BUFFER_UTIL = '1';

const require = createRequire(import.meta.url);
const { WebSocketServer } = require('ws');
// ws's own module instance (its package exports hide lib/, the resolved path does not).
const wsBufferUtil = require(join(dirname(require.resolve('ws')), 'lib', 'buffer-util.js'));
const bufferutil = require('bufferutil');

// Is the addon native? Its functions then print as [native code].
const native = /\[native code\]/.test(Function.prototype.toString.call(bufferutil.unmask));
// Does ws call it? Count the calls one unmask makes, then put the function back.
const original = bufferutil.unmask;
let calls = 0;
bufferutil.unmask = function (...a) { calls++; return original.apply(this, a); };
const probe = Buffer.alloc(64, 0x5a);
wsBufferUtil.unmask(probe, Buffer.from([1, 2, 3, 4]));
bufferutil.unmask = original;
const used = calls > 0;
if (probe[0] !== (0x5a ^ 1) || probe[63] !== (0x5a ^ 4)) {
  console.error('ws unmask probe gave wrong bytes');
  process.exit(1);
}
if (wantNative === 'on' && !(native && used)) {
  console.error(`bufferutil requested but ws does not use the native addon (native: ${native}, called by ws: ${used})`);
  process.exit(1);
}
if (wantNative === 'off' && used) {
  console.error('bufferutil not wanted but ws calls it');
  process.exit(1);
}
const verdict = used ? 'bufferutil native, used by ws' : 'no bufferutil: ws JS mask loops';

// perMessageDeflate off, as in our server; maxPayload 64 MiB like our reader's default.
const wss = new WebSocketServer({ port, host, perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 });
wss.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  ws.on('error', () => {});
});
wss.on('error', (e) => { console.error(`Cannot listen on ${host}:${port}: ${e.message}`); process.exit(1); });
wss.on('listening', () => {
  const { address, port: p } = wss.address();
  console.log(`ws echo server (${verdict}) listening on ws://${address.includes(':') ? `[${address}]` : address}:${p}`);
});
