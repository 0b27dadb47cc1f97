// Test only: an echo server on node:net over websocket-server/web's
// acceptWebSocket(Duplex.toWeb(socket)), to run the server conformance suite
// against the web adapter in Node (spec/conformance/_server.mjs: node-web).
// The same command line as the examples' echo servers (examples/_cli.mjs).
//
//   node spec/adapters/_web-echo-server.mjs --port 0 [--protocols a,b] [--max-message-size N]
import net from 'node:net';
import { Duplex } from 'node:stream';
import { acceptWebSocket } from '../../dist/web.js';
import { permessageDeflate } from '../../dist/permessage-deflate.js';
import { adapterOptions, parseArgs } from '../../examples/_cli.mjs';

const config = parseArgs(process.argv.slice(2));
const options = { ...adapterOptions(config), extensions: [permessageDeflate()] };
const server = net.createServer((socket) => {
  socket.setNoDelay(true);
  const ws = acceptWebSocket(Duplex.toWeb(socket), options);
  ws.binaryType = 'uint8array';
  ws.onmessage = (e) => ws.send(e.data);
});
server.listen(config.port, config.host, () => console.log(`ws://${config.host}:${server.address().port}`));
