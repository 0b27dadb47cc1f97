// An echo client on Deno.connect (ws:) or Deno.connectTls (wss:) and
// websocket-server/web: sends each line of stdin as a text message and prints
// every message back; closes (1000) when stdin ends.
//
//   echo hello | deno run --allow-net examples/deno/echo-client.ts --url ws://127.0.0.1:8080/
import { connectWebSocket } from '../../dist/web.js';
import { parseArgs } from '../_cli.mjs';

const url = new URL(parseArgs(Deno.args).url ?? 'ws://127.0.0.1:8080/');
const hostname = url.hostname.replace(/^\[|\]$/g, ''); // an IPv6 literal without its brackets
const port = Number(url.port) || (url.protocol === 'wss:' ? 443 : 80);
const conn = url.protocol === 'wss:' ? await Deno.connectTls({ hostname, port }) : await Deno.connect({ hostname, port });
const ws = connectWebSocket(conn, url);
ws.onopen = async () => {
  let rest = '';
  for await (const text of Deno.stdin.readable.pipeThrough(new TextDecoderStream())) {
    const lines = (rest + text).split('\n');
    rest = lines.pop() as string;
    for (const line of lines) ws.send(line);
  }
  if (rest !== '') ws.send(rest);
  ws.close(1000);
};
ws.onmessage = (e) => console.log(e.data);
ws.onerror = (e) => console.error(`Failed: ${e.message}`);
ws.onclose = (e) => {
  if (e.code !== 1000) console.error(`Closed: ${e.code} ${e.reason}`);
  Deno.exit(e.code === 1000 ? 0 : 1);
};
