// A WebSocket echo server on Bun.listen with websocket-server/bun: the adapter
// reads the upgrade request, answers it, runs the connection (auto-pong, the
// closing handshake, timeouts, backpressure, permessage-deflate for messages
// of 1 KiB and more); this file only echoes.
//
//   bun examples/bun/echo-server.ts [--port N] [--host H] [--protocols a,b]
//     [--max-message-size N] [--max-fragments N] [--handshake-timeout MS]
//     [--close-timeout MS] [--heartbeat MS]
//
// --port 0 picks a free port; once listening it prints ws://HOST:PORT.
import { bunServerHandlers } from '../../dist/bun.js';
import { permessageDeflate } from '../../dist/permessage-deflate.js';
import { adapterOptions, parseArgs } from '../_cli.mjs';

let config: ReturnType<typeof parseArgs>;
try {
  config = parseArgs(Bun.argv.slice(2));
} catch (e) {
  console.error((e as Error).message);
  process.exit(2);
}

const { socket } = bunServerHandlers({
  ...adapterOptions(config),
  extensions: [permessageDeflate()],
  onConnection(ws) {
    // Binary messages as views of what was read: echoed without a copy.
    ws.binaryType = 'uint8array';
    ws.onmessage = (e) => ws.send(e.data);
  },
});
const server = Bun.listen({ hostname: config.host, port: config.port, socket });
console.log(`ws://${config.host}:${server.port}`);
