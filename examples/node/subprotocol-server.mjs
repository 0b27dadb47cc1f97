// A server that speaks one subprotocol, json.v1 (each message a JSON request,
// answered with JSON), and takes messages of at most 64 KiB (a bigger one is
// refused with Close 1009). A client that does not offer json.v1 is closed
// with 1008.
//
//   node examples/node/subprotocol-server.mjs [--port N]
import { createServer } from 'node:http';
import { handleUpgrade } from '../../dist/node.js';
import { parseArgs } from '../_cli.mjs';

const { port, host } = parseArgs(process.argv.slice(2));
const server = createServer((req, res) => res.writeHead(426, { 'Content-Type': 'text/plain' }).end('A WebSocket server (json.v1)\n'));
server.on('upgrade', (req, socket, head) => {
  const ws = handleUpgrade(req, socket, head, { protocols: ['json.v1'], maxMessageSize: 64 * 1024 });
  ws.onopen = () => {
    if (ws.protocol !== 'json.v1') ws.close(1008, 'Offer the json.v1 subprotocol');
  };
  ws.onmessage = (e) => {
    let request;
    try {
      request = JSON.parse(e.data);
    } catch {
      return ws.close(1007, 'Each message is one JSON text');
    }
    ws.send(JSON.stringify({ ok: true, echo: request }));
  };
});
server.listen(port, host, () => console.log(`ws://${host}:${server.address().port}`));
