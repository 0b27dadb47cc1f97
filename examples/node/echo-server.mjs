// A WebSocket echo server on node:http and websocket-server/node, with
// permessage-deflate. `GET /` serves examples/index.html, a page that talks to
// this server, and `GET /dist/NAME.js` the bundles it imports.
//   node examples/node/echo-server.mjs [--port N] [--protocols a,b] [--max-message-size N]
//       [--host H] [--max-fragments N] [--handshake-timeout MS] [--close-timeout MS] [--heartbeat MS]
// --port 0 picks a free port; once listening it prints ws://HOST:PORT.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { handleUpgrade } from '../../dist/node.js';
import { permessageDeflate } from '../../dist/permessage-deflate.js';
import { adapterOptions, parseArgs } from '../_cli.mjs';

let config;
try { config = parseArgs(process.argv.slice(2)); } catch (e) { console.error(e.message); process.exit(2); }
// --protocols: the first the client offered is selected (selectProtocol); messages of 1 KiB and more compressed.
const options = { ...adapterOptions(config), extensions: [permessageDeflate()] };
const page = readFileSync(new URL('../index.html', import.meta.url));
const t = options.handshakeTimeout ?? 10000; // node:http reads the head: its timeouts drop a slow one (slowloris)
// A bundle's name is word characters and `.js` only, so no path leaves dist/; a missing one is a 404.
const bundle = (name) => { try { return name && readFileSync(new URL(`../../dist/${name}`, import.meta.url)); } catch { return null; } };

const server = createServer({ headersTimeout: t, requestTimeout: 0, connectionsCheckingInterval: Math.min(t, 1000) }, (req, res) => {
  const file = req.method !== 'GET' ? null : req.url === '/' ? page : bundle(/^\/dist\/([\w-]+\.js)$/.exec(req.url)?.[1]);
  const body = file || 'Not found\n', type = !file ? 'text/plain' : file === page ? 'text/html; charset=utf-8' : 'text/javascript; charset=utf-8';
  res.writeHead(file ? 200 : 404, { 'Content-Type': type, 'Content-Length': body.length, Connection: 'close' }).end(body);
});
// A head not sent within t ms is dropped (slowloris) by a sweep: node:http's socket timeout leaves 150 B on each.
const fresh = new Map();
server.on('connection', (s) => fresh.set(s, Date.now())).on('request', (req) => fresh.delete(req.socket));
setInterval(() => { for (const [s, at] of fresh) if (s.destroyed || Date.now() - at > t) fresh.delete(s), s.destroy(); }, Math.min(t, 1000)).unref();
server.on('upgrade', (req, socket, head) => {
  fresh.delete(socket);
  const ws = handleUpgrade(req, socket, head, options);
  ws.binaryType = 'uint8array'; // the received bytes, no copy
  ws.onmessage = echo;
});
function echo(e) { this.send(e.data); } // one handler for all, `this` the socket: a closure each would be 96 B each
server.on('error', (e) => (console.error(`Cannot listen on ${config.host}:${config.port}: ${e.message}`), process.exit(1)));
const host = config.host.includes(':') ? `[${config.host}]` : config.host; // an IPv6 address in brackets
server.listen(config.port, config.host, () => console.log(`ws://${host}:${server.address().port}`));
