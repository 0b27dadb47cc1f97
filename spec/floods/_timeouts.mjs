// Slow peers. RFC 6455 §4.2.1 sets no deadline for the opening handshake and
// §5.5.2 makes pings optional; without a deadline a peer that trickles its
// head (slowloris) or goes silent holds a connection for ever. The server
// drops a head not complete within --handshake-timeout, and with --heartbeat
// pings every interval and drops a peer that sent nothing since the last ping.
// After its Close it drops a peer that keeps TCP open past --close-timeout.
// Defence removed (--defeat: --handshake-timeout / --close-timeout 1000000000, --heartbeat 0):
// the connections stay open, or the trickled head gets its 101 — checked.
import { connect, open, requestHead, sleep } from './_client.mjs';
import { startServer } from './_server.mjs';

const HANDSHAKE_MS = 1000;
const HEARTBEAT_MS = 300;
const CLOSE_MS = 500;

/** Resolves with the ms from `start` to TCP close, or null if still open after `ms`. */
function closedWithin(socket, start, ms) {
  return new Promise((r) => {
    if (socket.destroyed) return r(Date.now() - start);
    const timer = setTimeout(() => r(null), ms);
    socket.once('close', () => { clearTimeout(timer); r(Date.now() - start); });
  });
}

function expectDropped(after, name) {
  if (after === null) throw new Error(`${name}: still open long past the deadline`);
  if (after < HANDSHAKE_MS * 0.9) throw new Error(`${name}: dropped after ${after} ms, before the ${HANDSHAKE_MS} ms timeout`);
}

const handshakeFlags = (ctx) => ['--handshake-timeout', String(ctx.defeat ? 1e9 : HANDSHAKE_MS)];

export const CASES = [
  [`a head trickled a byte every 40 ms is dropped at the ${HANDSHAKE_MS} ms handshake timeout`, async (ctx) => {
    const server = await startServer(handshakeFlags(ctx), ctx.script);
    try {
      const socket = await connect(server.port);
      const start = Date.now();
      let reply = '';
      socket.on('data', (d) => { reply += d; });
      socket.on('error', () => {});
      const head = requestHead(server.port); // ~150 bytes: 6 s at this pace
      const trickle = (async () => { for (const ch of head) { if (socket.destroyed) return; socket.write(ch); await sleep(40); } })();
      const after = await closedWithin(socket, start, HANDSHAKE_MS * 4);
      socket.destroy();
      await trickle;
      if (reply.startsWith('HTTP/1.1 101')) throw new Error('The trickled head was accepted');
      expectDropped(after, 'slow handshake');
      return `dropped after ${after} ms, ${Math.round(after / 40)} of ${head.length} head bytes sent`;
    } finally {
      server.stop();
    }
  }],
  [`a connection that never sends a head is dropped at the ${HANDSHAKE_MS} ms handshake timeout`, async (ctx) => {
    const server = await startServer(handshakeFlags(ctx), ctx.script);
    try {
      const socket = await connect(server.port);
      socket.on('error', () => {});
      const after = await closedWithin(socket, Date.now(), HANDSHAKE_MS * 4);
      socket.destroy();
      expectDropped(after, 'idle before the head');
      return `dropped after ${after} ms`;
    } finally {
      server.stop();
    }
  }],
  [`heartbeat every ${HEARTBEAT_MS} ms: a peer that stops answering pings is dropped, one that answers stays`, async (ctx) => {
    const server = await startServer(['--heartbeat', String(ctx.defeat ? 0 : HEARTBEAT_MS)], ctx.script);
    try {
      const silent = await open(server.port);
      const polite = await open(server.port);
      const start = Date.now();
      // The polite peer answers each ping with a pong of the same payload (RFC 6455 §5.5.3).
      let answered = 0;
      const timer = setInterval(() => {
        for (const m of polite.messages.splice(0)) {
          if (m.type === 'ping') { polite.socket.write(pong(m.data)); answered++; }
        }
      }, 20);
      const after = await closedWithin(silent.socket, start, HEARTBEAT_MS * 8);
      await sleep(Math.max(0, HEARTBEAT_MS * 8 - (Date.now() - start)));
      clearInterval(timer);
      const pings = silent.messages.filter((m) => m.type === 'ping').length;
      const politeOpen = !polite.socket.destroyed;
      silent.socket.destroy();
      polite.socket.destroy();
      if (after === null) throw new Error('The silent peer was not dropped');
      if (pings < 1) throw new Error('The silent peer was dropped without being pinged');
      if (after > HEARTBEAT_MS * 4) throw new Error(`The silent peer was dropped only after ${after} ms`);
      if (!politeOpen || answered < 4) throw new Error(`The answering peer was dropped or rarely pinged (${answered} pings answered)`);
      return `silent peer dropped after ${after} ms (${pings} ping); answering peer answered ${answered} pings and stayed open`;
    } finally {
      server.stop();
    }
  }],
  // RFC 6455 §7.1.1: after its Close the server closes TCP; a peer that never
  // closes its side (half-open) is dropped after --close-timeout.
  [`a peer that ignores the server's Close is dropped after the ${CLOSE_MS} ms close timeout`, async (ctx) => {
    const server = await startServer(['--close-timeout', String(ctx.defeat ? 1e9 : CLOSE_MS)], ctx.script);
    try {
      const c = await open(server.port, { allowHalfOpen: true });
      const start = Date.now();
      c.socket.write(Buffer.from([0xc1, 0x80, 0, 0, 0, 0])); // RSV1 set: the server fails the connection (1002)
      // The server's FIN came with its Close, so its final drop sends nothing by
      // itself: a byte every 50 ms meets a reset once the server has let go.
      const poke = setInterval(() => { if (!c.socket.destroyed) c.socket.write(Buffer.from([0])); }, 50);
      const after = await closedWithin(c.socket, start, CLOSE_MS * 4);
      clearInterval(poke);
      const close = c.messages.find((m) => m.type === 'close');
      c.socket.destroy();
      if (close?.code !== 1002) throw new Error(`Expected Close 1002 first, got ${close?.code}`);
      if (after === null) throw new Error('The half-open connection was never dropped');
      if (after < CLOSE_MS * 0.9) throw new Error(`Dropped after ${after} ms, before the close timeout`);
      return `Close 1002, then dropped after ${after} ms`;
    } finally {
      server.stop();
    }
  }],
];

function pong(payload) {
  // A masked pong (RFC 6455 §5.1, §5.5.3), key 0 so the payload is unchanged.
  return Buffer.concat([Buffer.from([0x8a, 0x80 | payload.length, 0, 0, 0, 0]), Buffer.from(payload)]);
}
