// Backpressure check for an echo server: a peer that sends 1 MiB binary frames
// as fast as it can and never reads. The server echoes each (RFC 6455 section
// 5.6), its writes back up, and it must stop reading; then the peer's own
// writes stall (no 'drain' for 1.5 s). Without backpressure the server would
// read, and buffer, everything sent for the whole 4 s (gigabytes on loopback).
import net from 'node:net';

const MiB = 1 << 20;
/** Kernel socket buffers on both sides plus the server's own queue fit well under this. */
export const STALL_LIMIT = 64;

/** @returns {Promise<{ ok: boolean, detail: string }>} */
export async function stallsWhenPeerStopsReading(url) {
  const { hostname, port } = new URL(url);
  const sock = net.connect(Number(port), hostname);
  try {
    await new Promise((ok, fail) => { sock.once('connect', ok); sock.once('error', fail); });
    sock.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n'
      + 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n');
    const reply = await new Promise((ok) => sock.once('data', ok));
    if (!String(reply).startsWith('HTTP/1.1 101')) return { ok: false, detail: `no 101: ${String(reply).slice(0, 40)}` };
    sock.pause(); // from here on the peer reads nothing
    // FIN, binary, masked, 64-bit length 1 MiB, mask key 0 (payload sent as is)
    const frame = Buffer.concat([Buffer.from([0x82, 0xff, 0, 0, 0, 0, 0, 0x10, 0, 0, 0, 0, 0, 0]), Buffer.alloc(MiB, 0x5a)]);
    let sent = 0;
    const started = Date.now();
    while (Date.now() - started < 4000) {
      sent++;
      if (sock.write(frame)) continue;
      const drained = await new Promise((ok) => {
        const timer = setTimeout(() => ok(false), 1500);
        sock.once('drain', () => { clearTimeout(timer); ok(true); });
      });
      if (!drained) return { ok: sent <= STALL_LIMIT, detail: `stalled after ${sent} MiB` };
    }
    return { ok: false, detail: `never stalled: ${sent} MiB taken in 4 s` };
  } catch (e) {
    return { ok: false, detail: e.message };
  } finally {
    sock.destroy();
  }
}
