// A ping flood from a peer that never reads its pongs. Each ping obliges a
// pong (RFC 6455 §5.5.2); if the server kept reading it would queue pongs in
// its own memory without bound. The server stops reading instead: when
// socket.write returns false it pauses the socket until 'drain' (its header
// comment), so the flood fills the peer's own TCP window and the peer's writes
// stall. It does not close (no 1008): once the peer reads again, it resumes.
// Measured from outside: the server's RSS (/proc/PID/status), and the stall.
// Defence removed (--defeat: a copy of the session that never pauses): the
// peer pushes all 64 MiB, the server's RSS grows past the bound — checked.
import { encodeFrame } from '../../dist/index.js';
import { open, sleep, until, writeAll } from './_client.mjs';
import { startServer } from './_server.mjs';

const CAP = 64 * 1024 * 1024; // what the peer tries to push
const RSS_BOUND = 40 * 1024 * 1024; // the server may grow by at most this

export const CASES = [
  ['ping flood from a peer that never reads: the server stops reading, memory stays bounded', async (ctx) => {
    const server = await startServer([], ctx.mutant ?? ctx.script);
    try {
      const c = await open(server.port, { read: false });
      await sleep(300);
      const before = server.rss();
      const ping = encodeFrame(0x9, new Uint8Array(125).fill(0x70), { mask: new Uint8Array([1, 2, 3, 4]) });
      const chunk = Buffer.alloc(ping.length * 8000);
      chunk.fill(ping);
      let sent = 0, stalled = false;
      while (sent < CAP) {
        if (!(await writeAll(c.socket, chunk, 1500))) { stalled = true; break; }
        sent += chunk.length;
      }
      await sleep(300);
      const grew = server.rss() - before;
      const mb = (n) => (n / 1048576).toFixed(1);
      if (!stalled) throw new Error(`The peer pushed all ${mb(sent)} MiB of pings without stalling: the server kept reading (RSS +${mb(grew)} MiB)`);
      if (grew > RSS_BOUND) throw new Error(`Server RSS grew by ${mb(grew)} MiB`);
      if (c.socket.destroyed) throw new Error('The server closed the connection instead of pausing');
      // Once the peer reads again, the pongs flow: the server only paused.
      c.socket.resume();
      await until(() => c.messages.filter((m) => m.type === 'pong').length >= 1000, 10000, 'pongs after resuming');
      c.socket.destroy();
      return `stalled after ${mb(sent)} MiB of pings accepted; server RSS +${mb(grew)} MiB (bound ${mb(RSS_BOUND)}); pongs flow after resume`;
    } finally {
      server.stop();
    }
  }],
];
