// A WebSocket echo server on Deno.listen with websocket-server/web: each
// accepted TCP connection is a { readable, writable } pair for acceptWebSocket.
// permessage-deflate compresses messages of 1 KiB and more.
//
//   deno run --allow-net examples/deno/echo-server.ts [--port N] [--protocols a,b] [--max-message-size N]
//
// --port 0 picks a free port; once listening it prints ws://127.0.0.1:PORT.
// --protocols: the server's subprotocols; the first the client offers is chosen.
// Also --host, --max-fragments, --handshake-timeout, --close-timeout and
// --heartbeat (ms), as every example server takes them (examples/_cli.mjs).
import { acceptWebSocket } from '../../dist/web.js';
import { permessageDeflate } from '../../dist/permessage-deflate.js';
import { adapterOptions, parseArgs } from '../_cli.mjs';

let config: ReturnType<typeof parseArgs>;
try {
  config = parseArgs(Deno.args);
} catch (e) {
  console.error((e as Error).message);
  Deno.exit(2);
}
const options = { ...adapterOptions(config), extensions: [permessageDeflate()] };

const listener = Deno.listen({ hostname: config.host, port: config.port });
console.log(`ws://${config.host}:${listener.addr.port}`);
for await (const conn of listener) {
  conn.setNoDelay(true);
  const ws = acceptWebSocket(conn, options);
  ws.binaryType = 'uint8array'; // binary echoed as received, no copy
  ws.onmessage = (e) => ws.send(e.data as string | Uint8Array);
}
