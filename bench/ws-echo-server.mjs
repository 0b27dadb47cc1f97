// The competitor for the end-to-end benchmark: an echo server on ws's
// WebSocketServer, with the CLI contract of examples/core/echo-server.mjs
// (--port N, --host H; prints one ws://HOST:PORT line when listening).
//   node bench/ws-echo-server.mjs --port 0
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { WebSocketServer } = require('ws');

const args = process.argv.slice(2);
const opt = (name, fallback) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : fallback; };
const port = Number(opt('--port', '8080'));
const host = opt('--host', '127.0.0.1');

// perMessageDeflate off, as in our server; maxPayload 64 MiB like our reader's default.
const wss = new WebSocketServer({ port, host, perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 });
wss.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  ws.on('error', () => {});
});
wss.on('error', (e) => { console.error(`Cannot listen on ${host}:${port}: ${e.message}`); process.exit(1); });
wss.on('listening', () => {
  const { address, port: p } = wss.address();
  console.log(`ws echo server listening on ws://${address.includes(':') ? `[${address}]` : address}:${p}`);
});
