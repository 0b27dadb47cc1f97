// A WebSocket client in a worker (workerd, Cloudflare Workers) over connect()
// from 'cloudflare:sockets' and websocket-server/web: each request opens a
// connection, sends one text message, and answers with the echo.
// The URL (the examples' --url) is the `url` query parameter, else the WS_URL
// binding (config.capnp); the message is the `text` parameter.
//
//   node_modules/.bin/workerd serve examples/workerd/config.capnp
//   curl 'http://127.0.0.1:8787/?url=ws://127.0.0.1:8080/&text=hello'
import { connect } from 'cloudflare:sockets';
import { connectWebSocket } from '../../dist/web.js';

export default {
  async fetch(request, env) {
    const query = new URL(request.url).searchParams;
    const url = new URL(query.get('url') ?? env.WS_URL);
    const tls = url.protocol === 'wss:';
    const socket = connect({ hostname: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port) || (tls ? 443 : 80) }, { secureTransport: tls ? 'on' : 'off' });
    const ws = connectWebSocket(socket, url);
    let reply, error;
    ws.onopen = () => ws.send(query.get('text') ?? 'Hello from workerd');
    ws.onmessage = (e) => { reply = e.data; ws.close(1000); };
    ws.onerror = (e) => { error = e.error; };
    const closed = await new Promise((resolve) => { ws.onclose = resolve; });
    if (reply === undefined) return new Response(`No reply: closed ${closed.code} ${error?.message ?? closed.reason}\n`, { status: 502 });
    return new Response(`${reply}\n`);
  },
};
