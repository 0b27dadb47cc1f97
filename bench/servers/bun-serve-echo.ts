// A rival for bench/servers.mjs: an echo server on Bun.serve's built-in
// WebSocket (uWebSockets underneath), the way Bun's documentation writes one.
//
//   bun bench/servers/bun-serve-echo.ts [--port 8080] [--host 127.0.0.1]
//
// Prints one line with ws://HOST:PORT when listening.
const args = Bun.argv.slice(2);
const opt = (name: string, fallback: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : fallback; };

const server = Bun.serve({
  port: Number(opt('--port', '8080')),
  hostname: opt('--host', '127.0.0.1'),
  fetch(req, srv) {
    if (srv.upgrade(req)) return undefined;
    return new Response('Upgrade required\n', { status: 426 });
  },
  websocket: {
    // Text comes as a string and goes back as text; binary as a Buffer, back as binary.
    message(ws, message) { ws.send(message); },
    // As in our server and the ws rival: no compression, 64 MiB messages.
    perMessageDeflate: false,
    maxPayloadLength: 64 * 1024 * 1024,
  },
});

const host = server.hostname.includes(':') ? `[${server.hostname}]` : server.hostname;
console.log(`Bun.serve echo listening on ws://${host}:${server.port}`);
