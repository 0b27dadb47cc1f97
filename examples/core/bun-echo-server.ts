// A WebSocket echo server on Bun.listen, built on the websocket-server library
// (imported by its package name, as a user's code would). The protocol lives in
// ./_session.mjs, shared with the Node and Deno servers; this file is the socket
// glue and the command line.
//
//   bun examples/core/bun-echo-server.ts [options]
//
// Options and output are those of examples/core/echo-server.mjs: --port N (default
// 8080; 0 picks a free one), --host H (default 127.0.0.1), --max-message-size B,
// --max-fragments N, --handshake-timeout MS, --heartbeat MS, --close-timeout MS;
// when listening it prints one line with ws://HOST:PORT. A plain `GET /` serves
// examples/index.html.
//
// Backpressure, Bun's way: socket.write() returns how many bytes the kernel
// took and buffers nothing itself. The rest waits in our queue, write() answers
// false, the session calls socket.pause(); the `drain` handler writes the queue
// and, once it is empty, lets the session resume reading.
import * as lib from 'websocket-server';
import { parseArgs } from '../_cli.mjs';
import { Session } from './_session.mjs';

let config: ReturnType<typeof parseArgs>;
try {
  config = parseArgs(Bun.argv.slice(2));
} catch (e) {
  console.error((e as Error).message);
  process.exit(2);
}

const page = await Bun.file(new URL('../index.html', import.meta.url)).bytes();

/** Per-connection glue, kept in socket.data. */
class Connection {
  queue: Uint8Array[] = []; // bytes the kernel has not taken yet, in order
  ending = false; // end() was called, or the peer's FIN came: FIN once the queue is empty
  eof = false; // the peer's FIN came
  gone = false;
  session: Session;

  constructor(readonly socket: Bun.Socket<Connection>) {
    this.session = new Session({
      lib,
      page,
      ...config.limits,
      write: (bytes: Uint8Array) => this.write(bytes),
      end: () => { this.ending = true; this.flush(); },
      destroy: () => { this.gone = true; socket.terminate(); },
      pause: () => socket.pause(),
      resume: () => socket.resume(),
      onError: (e: unknown) => console.error(`Connection failed: ${(e as Error).stack ?? e}`),
    });
  }

  write(bytes: Uint8Array): boolean {
    if (this.gone) return true;
    if (this.queue.length === 0) {
      const n = this.socket.write(bytes);
      if (n < 0) return true; // closed; the close handler follows
      if (n === bytes.length) return true;
      bytes = bytes.subarray(n);
    }
    this.queue.push(bytes);
    return false;
  }

  // Called on `drain` and by end(): write what the kernel takes now.
  flush(): void {
    while (this.queue.length > 0 && !this.gone) {
      const chunk = this.queue[0];
      const n = this.socket.write(chunk);
      if (n < 0) return;
      if (n < chunk.length) { this.queue[0] = chunk.subarray(n); return; } // wait for the next drain
      this.queue.shift();
    }
    if (this.gone) return;
    // shutdown() sends FIN but keeps reading, so the peer's own FIN (or its
    // Close reply) is still seen; the `end` handler then closes.
    if (!this.ending) this.session.drain();
    else if (this.eof) this.socket.end();
    else this.socket.shutdown();
  }
}

const server = Bun.listen<Connection>({
  hostname: config.host,
  port: config.port,
  socket: {
    open(socket) {
      socket.setNoDelay(true);
      socket.data = new Connection(socket);
    },
    // Bun's chunk is only ours during the call, which is enough: the session
    // copies what it keeps of a head, and the reader keeps no chunk.
    data(socket, chunk) { socket.data.session.receive(chunk); },
    drain(socket) { socket.data.flush(); },
    // The peer's FIN. Like Node's default (allowHalfOpen false): flush what is
    // queued, then close our side too.
    end(socket) {
      const c = socket.data;
      c.eof = true;
      c.ending = true;
      c.flush();
    },
    close(socket) { socket.data.gone = true; socket.data.session.closed(); },
    error() {}, // a reset peer; close follows
  },
});

const host = server.hostname.includes(':') ? `[${server.hostname}]` : server.hostname;
console.log(`Echo server listening on ws://${host}:${server.port} (open http://${host}:${server.port}/ in a browser)`);
