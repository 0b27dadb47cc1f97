// Thousands of idle WebSocket connections: the server's memory per
// connection, from its RSS (/proc/PID/status) before and after. An idle
// connection holds a socket, a session, a MessageReader and a heartbeat
// timer; the reader allocates nothing until bytes arrive, so this stays a few
// KiB. Defence removed (--defeat: a copy of the session that allocates a
// 64 KiB read buffer per connection, as a naive server would): over the bound — checked.
import { readFileSync } from 'node:fs';
import { open, sleep } from './_client.mjs';
import { startServer } from './_server.mjs';

// Each side holds one descriptor per connection; stay inside the soft limit (`ulimit -n`).
const FD_LIMIT = Number(/Max open files\s+(\d+)/.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1] ?? 1024);
const CONNECTIONS = Math.min(2000, FD_LIMIT - 200);
const BATCH = 50;
const PER_CONNECTION_BOUND = 48 * 1024;

export const CASES = [
  [`${CONNECTIONS} idle connections: memory per connection stays under ${PER_CONNECTION_BOUND / 1024} KiB`, async (ctx) => {
    const server = await startServer([], ctx.mutant ?? ctx.script);
    const clients = [];
    try {
      clients.push(await open(server.port)); // warm up the code paths before the baseline
      await sleep(500);
      const before = server.rss();
      while (clients.length < CONNECTIONS + 1) {
        const batch = Array.from({ length: Math.min(BATCH, CONNECTIONS + 1 - clients.length) }, () => open(server.port));
        clients.push(...(await Promise.all(batch)));
      }
      await sleep(1000);
      const after = server.rss();
      const dropped = clients.filter((c) => c.socket.destroyed).length;
      const per = (after - before) / CONNECTIONS;
      ctx.figures.perConnection = per;
      if (dropped) throw new Error(`${dropped} idle connections were dropped`);
      if (per > PER_CONNECTION_BOUND) throw new Error(`${(per / 1024).toFixed(1)} KiB per connection`);
      return `${CONNECTIONS} connections (ulimit -n ${FD_LIMIT}), server RSS ${(before / 1048576).toFixed(1)} -> ${(after / 1048576).toFixed(1)} MiB: ${(per / 1024).toFixed(1)} KiB per idle connection`;
    } finally {
      for (const c of clients) c.socket.destroy();
      server.stop();
    }
  }],
];
