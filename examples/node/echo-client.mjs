// An echo client on node:net (ws:) or node:tls (wss:) and websocket-server/node:
// sends each line of stdin as a text message and prints every message back;
// closes (1000) when stdin ends.
//
//   echo hello | node examples/node/echo-client.mjs --url ws://127.0.0.1:8080/
import { connect } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { createInterface } from 'node:readline';
import { connectSocket } from '../../dist/node.js';
import { parseArgs } from '../_cli.mjs';

const url = new URL(parseArgs(process.argv.slice(2)).url ?? 'ws://127.0.0.1:8080/');
const host = url.hostname.replace(/^\[|\]$/g, ''); // an IPv6 literal without its brackets
const port = Number(url.port) || (url.protocol === 'wss:' ? 443 : 80);
const socket = url.protocol === 'wss:' ? connectTls({ host, port, servername: host }) : connect(port, host);
const ws = connectSocket(socket, url);
ws.onopen = () => {
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => ws.send(line));
  lines.on('close', () => ws.close(1000));
};
ws.onmessage = (e) => console.log(e.data);
ws.onclose = (e) => {
  if (e.code !== 1000) console.error(`Closed: ${e.code} ${e.reason || (e.error?.message ?? '')}`);
  process.exit(e.code === 1000 ? 0 : 1);
};
