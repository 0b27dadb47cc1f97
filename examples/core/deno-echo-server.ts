// A WebSocket echo server on Deno.listen, built on the websocket-server library
// (imported by its package name; Deno resolves it through package.json and
// node_modules). The protocol lives in ./_session.mjs, shared with the Node and
// Bun servers; this file is the socket glue and the command line.
//
//   deno run --allow-net --allow-read examples/core/deno-echo-server.ts [options]
//
// Options and output are those of examples/core/echo-server.mjs: --port N (default
// 8080; 0 picks a free one), --host H (default 127.0.0.1), --max-message-size B,
// --max-fragments N, --handshake-timeout MS, --heartbeat MS, --close-timeout MS;
// when listening it prints one line with ws://HOST:PORT. --allow-read is only
// for the demo page (examples/index.html, served for a plain `GET /`).
//
// Backpressure, Deno's way: writes are awaited one after another from a queue.
// While more than HIGH_WATER bytes wait in it, write() answers false, the
// session pauses, and no conn.read() is issued until the queue has drained: a
// peer that sends fast but never reads fills its own TCP window, not our memory.
import * as lib from 'websocket-server';
import { parseArgs } from '../_cli.mjs';
import { Session } from './_session.mjs';

/** Like Node's socket highWaterMark: above it, write() asks the session to wait. */
const HIGH_WATER = 16 * 1024;
const READ_SIZE = 64 * 1024;

let config: ReturnType<typeof parseArgs>;
try {
  config = parseArgs(Deno.args);
} catch (e) {
  console.error((e as Error).message);
  Deno.exit(2);
}

let page: Uint8Array | undefined;
try {
  page = await Deno.readFile(new URL('../index.html', import.meta.url));
} catch (e) {
  console.error(`Serving no page at /: ${(e as Error).message}`);
}

function serve(conn: Deno.TcpConn): void {
  conn.setNoDelay(true);
  const queue: Uint8Array[] = [];
  let queued = 0; // bytes in the queue, not yet taken by the kernel
  let writing = false; // a flush() is awaiting conn.write
  let needDrain = false; // write() said false: call session.drain() once the queue is empty
  let ending = false; // end() was called, or the peer's FIN came: FIN after the queue
  let finSent = false;
  let eof = false; // the peer's FIN came
  let gone = false;
  let paused = false;
  let wake: (() => void) | null = null;

  const session = new Session({
    lib,
    page,
    ...config.limits,
    write(bytes: Uint8Array): boolean {
      if (gone) return true;
      queue.push(bytes);
      queued += bytes.length;
      void flush();
      if (queued < HIGH_WATER) return true;
      needDrain = true;
      return false;
    },
    end(): void { ending = true; void flush(); },
    destroy: drop,
    pause(): void { paused = true; },
    resume(): void { paused = false; wake?.(); wake = null; },
    onError: (e: unknown) => console.error(`Connection failed: ${(e as Error).stack ?? e}`),
  });

  // Drops the connection now; idempotent.
  function drop(): void {
    if (gone) return;
    gone = true;
    try { conn.close(); } catch { /* already closed */ }
    wake?.();
    session.closed();
  }

  // Writes the queue in order, each write awaited (conn.write may take part of a chunk).
  async function flush(): Promise<void> {
    if (writing || gone) return;
    writing = true;
    try {
      while (queue.length > 0) {
        const chunk = queue[0];
        for (let at = 0; at < chunk.length;) at += await conn.write(chunk.subarray(at));
        queue.shift();
        queued -= chunk.length;
      }
      if (ending && !finSent) {
        finSent = true;
        await conn.closeWrite(); // FIN; keep reading until the peer's
      }
    } catch {
      return drop(); // reset by the peer, or dropped meanwhile
    } finally {
      writing = false;
    }
    if (finSent && eof) return drop(); // both directions are done
    if (queue.length > 0 || (ending && !finSent)) return flush();
    if (needDrain) { needDrain = false; session.drain(); }
  }

  async function read(): Promise<void> {
    const buffer = new Uint8Array(READ_SIZE);
    try {
      while (!gone) {
        if (paused) await new Promise<void>((ok) => { wake = ok; });
        if (gone) break;
        const n = await conn.read(buffer);
        if (n === null) break;
        // A view will do, though the buffer is read into again: the session
        // copies what it keeps of a head, and the reader keeps no chunk.
        session.receive(buffer.subarray(0, n));
      }
    } catch {
      // reset by the peer, or closed by drop()
    }
    // The peer is done sending. Like Node's default (allowHalfOpen false):
    // flush what is queued, send FIN, then close.
    eof = true;
    if (gone) return;
    if (finSent && !writing) return drop();
    ending = true;
    void flush();
  }

  void read();
}

const listener = Deno.listen({ hostname: config.host, port: config.port });
const { hostname, port } = listener.addr;
const host = hostname.includes(':') ? `[${hostname}]` : hostname;
console.log(`Echo server listening on ws://${host}:${port}${page ? ` (open http://${host}:${port}/ in a browser)` : ''}`);
for await (const conn of listener) serve(conn);
