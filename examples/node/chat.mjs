// A chat server on node:http and websocket-server/node: every text message is
// sent to every client, encoded once (broadcastEncode) and the same bytes
// queued on each (sendFrame). A client that stops reading is dropped once its
// bufferedAmount has stayed over LIMIT for SLOW_MS, so it cannot hold this
// process's memory.
//
//   node examples/node/chat.mjs [--port N] [--protocols a,b] [--max-message-size N]
import { createServer } from 'node:http';
import { broadcastEncode } from '../../dist/index.js';
import { handleUpgrade } from '../../dist/node.js';
import { adapterOptions, parseArgs } from '../_cli.mjs';

const LIMIT = 1 << 20;
const SLOW_MS = 5000;
const config = parseArgs(process.argv.slice(2));
const clients = new Map(); // each open WebSocket -> since when it is over LIMIT (0: it is not)

function broadcast(text) {
  const frame = broadcastEncode(text);
  const now = Date.now();
  for (const [ws, since] of clients) {
    if (ws.bufferedAmount <= LIMIT) clients.set(ws, 0);
    else if (since === 0) clients.set(ws, now);
    else if (now - since > SLOW_MS) {
      ws.terminate(); // its close event removes it
      continue;
    }
    ws.sendFrame(frame);
  }
}

const server = createServer((req, res) => res.writeHead(426, { 'Content-Type': 'text/plain' }).end('A WebSocket chat\n'));
server.on('upgrade', (req, socket, head) => {
  const ws = handleUpgrade(req, socket, head, adapterOptions(config));
  ws.onopen = () => clients.set(ws, 0);
  ws.onmessage = (e) => (typeof e.data === 'string' ? broadcast(e.data) : ws.close(1003, 'Text only'));
  ws.onclose = () => clients.delete(ws);
});
server.listen(config.port, config.host, () => console.log(`ws://${config.host}:${server.address().port}`));
