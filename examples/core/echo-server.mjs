// A WebSocket echo server on node:net, built on the websocket-server library
// (imported by its package name, as a user's code would). The protocol lives
// in ./_session.mjs, shared with the Deno and Bun servers; this file is the
// socket glue and the command line.
//
//   node examples/core/echo-server.mjs [options]      (after `npm run build`)
//
// Options (all optional):
//   --port N                 port to listen on (default 8080; 0 picks a free one)
//   --host H                 address to listen on (default 127.0.0.1)
//   --max-message-size B     largest message in bytes, else close 1009 (default 64 MiB)
//   --max-fragments N        most frames per message, else close 1009 (default 131072)
//   --handshake-timeout MS   drop a peer whose request head is not complete in MS,
//                            whether trickled slowly or never sent (default 10000)
//   --heartbeat MS           ping every MS and drop a peer that sent nothing and read
//                            nothing since the previous ping (default 30000; 0 disables)
//   --close-timeout MS       after our Close, drop a peer that keeps TCP open (default 5000)
//
// When listening it prints one line with ws://HOST:PORT. A plain `GET /` serves
// examples/index.html, a page that talks to this server from a browser.
//
// Backpressure: when socket.write returns false the session pauses reading
// until 'drain', so a peer that sends fast but never reads (a ping flood
// included) fills its own TCP window instead of this process's memory.
import net from 'node:net';
import { readFileSync } from 'node:fs';
import * as lib from 'websocket-server';
import { parseArgs } from '../_cli.mjs';
import { Session } from './_session.mjs';

let config;
try {
  config = parseArgs(process.argv.slice(2));
} catch (e) {
  console.error(e.message);
  process.exit(2);
}

const page = readFileSync(new URL('../index.html', import.meta.url));

const server = net.createServer((socket) => {
  socket.setNoDelay(true);
  const session = new Session({
    lib,
    page,
    ...config.limits,
    write: (bytes) => socket.write(bytes),
    end: () => socket.end(),
    destroy: () => socket.destroy(),
    pause: () => socket.pause(),
    resume: () => socket.resume(),
    onError: (e) => console.error(`Connection failed: ${e.stack ?? e}`),
  });
  // Corked: all the echoes one chunk produces leave in one writev, not one
  // syscall per frame (measured in bench/e2e: ~2.8x the messages per second).
  socket.on('data', (chunk) => {
    socket.cork();
    session.receive(chunk);
    socket.uncork();
  });
  socket.on('drain', () => session.drain());
  socket.on('close', () => session.closed());
  socket.on('error', () => {}); // a reset peer; 'close' follows
});

server.on('error', (e) => {
  console.error(`Cannot listen on ${config.host}:${config.port}: ${e.message}`);
  process.exit(1);
});

server.listen(config.port, config.host, () => {
  const { address, port } = server.address();
  const host = address.includes(':') ? `[${address}]` : address;
  console.log(`Echo server listening on ws://${host}:${port} (open http://${host}:${port}/ in a browser)`);
});
