// A chat server on Bun.listen with websocket-server/bun: each message goes to
// every client, encoded once (broadcastEncode for text) and queued on each as
// it is (sendFrame); a client whose unsent bytes are over the limit at two
// checks in a row is not reading: it is dropped.
//
//   bun examples/bun/chat.ts [--port N] [--protocols a,b] [--max-message-size N]
import { broadcastEncode, encodeBinaryFrame } from '../../dist/index.js';
import type { WebSocketLike } from '../../dist/connection.js';
import { bunServerHandlers } from '../../dist/bun.js';
import { adapterOptions, parseArgs } from '../_cli.mjs';

const LIMIT = 1 << 20, config = parseArgs(Bun.argv.slice(2)); // LIMIT: bytes a client may leave unread
const clients = new Map<WebSocketLike, boolean>(); // each client: over the limit at the last check?

const { socket } = bunServerHandlers({
  ...adapterOptions(config),
  onConnection(ws) {
    ws.onopen = () => clients.set(ws, false);
    ws.onclose = () => clients.delete(ws);
    ws.onmessage = (e) => {
      const frame = typeof e.data === 'string' ? broadcastEncode(e.data) : encodeBinaryFrame(e.data);
      for (const c of clients.keys()) c.sendFrame(frame);
    };
  },
});

setInterval(() => {
  for (const [c, over] of clients) {
    if (over && c.bufferedAmount > LIMIT) c.terminate();
    else clients.set(c, c.bufferedAmount > LIMIT);
  }
}, 2000);

const { port } = Bun.listen({ hostname: config.host, port: config.port, socket });
console.log(`ws://${config.host}:${port}`);
