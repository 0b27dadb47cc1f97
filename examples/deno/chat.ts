// A chat server on Deno.listen with websocket-server/web: each message goes to
// every client, encoded once (broadcastEncode for text) and queued on each as
// it is (sendFrame); a client whose unsent bytes are over the limit at two
// checks in a row is not reading: it is dropped.
//
//   deno run --allow-net examples/deno/chat.ts [--port N] [--protocols a,b] [--max-message-size N]
import { broadcastEncode, encodeBinaryFrame } from '../../dist/index.js';
import type { WebSocketLike } from '../../dist/connection.js';
import { acceptWebSocket } from '../../dist/web.js';
import { adapterOptions, parseArgs } from '../_cli.mjs';

const LIMIT = 1 << 20; // bytes a client may leave unread
const config = parseArgs(Deno.args);
const clients = new Map<WebSocketLike, boolean>(); // each client: over the limit at the last check?

setInterval(() => {
  for (const [c, over] of clients) {
    if (over && c.bufferedAmount > LIMIT) c.terminate();
    else clients.set(c, c.bufferedAmount > LIMIT);
  }
}, 2000);

const listener = Deno.listen({ hostname: config.host, port: config.port });
console.log(`ws://${config.host}:${listener.addr.port}`);
for await (const conn of listener) {
  const ws = acceptWebSocket(conn, adapterOptions(config));
  ws.binaryType = 'uint8array';
  ws.onopen = () => clients.set(ws, false);
  ws.onclose = () => clients.delete(ws);
  ws.onmessage = (e) => {
    const frame = typeof e.data === 'string' ? broadcastEncode(e.data) : encodeBinaryFrame(e.data as Uint8Array);
    for (const c of clients.keys()) c.sendFrame(frame);
  };
}
