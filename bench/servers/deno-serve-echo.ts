// A rival for bench/servers.mjs: an echo server on Deno.serve and
// Deno.upgradeWebSocket, the way Deno's documentation writes one.
//
//   deno run --allow-net bench/servers/deno-serve-echo.ts [--port 8080] [--host 127.0.0.1]
//
// Prints one line with ws://HOST:PORT when listening.
const args = Deno.args;
const opt = (name: string, fallback: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : fallback; };

Deno.serve({
  port: Number(opt('--port', '8080')),
  hostname: opt('--host', '127.0.0.1'),
  onListen({ hostname, port }) {
    const host = hostname.includes(':') ? `[${hostname}]` : hostname;
    console.log(`Deno.serve echo listening on ws://${host}:${port}`);
  },
}, (req) => {
  if (req.headers.get('upgrade')?.toLowerCase() !== 'websocket') return new Response('Upgrade required\n', { status: 426 });
  // idleTimeout 0: no pings, as the other servers here send none.
  const { socket, response } = Deno.upgradeWebSocket(req, { idleTimeout: 0 });
  // Binary as ArrayBuffer (not Blob): echoed without a copy through a Blob.
  socket.binaryType = 'arraybuffer';
  socket.onmessage = (e) => socket.send(e.data);
  return response;
});
