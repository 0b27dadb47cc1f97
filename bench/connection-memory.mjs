// Issue 14: the JS heap an open, idle sans-IO connection holds (its
// MessageReader included), without sockets or adapters: many connections are
// made, fed the RFC 6455 §1.3 handshake, their events and output taken, and
// kept; heapUsed growth after a full GC / count.
//   node --expose-gc bench/connection-memory.mjs [--count N]
// A heap snapshot of the kept server connections: add --snapshot FILE.
import { writeHeapSnapshot } from 'node:v8';
import { ClientConnection, ServerConnection } from '../dist/connection.js';
import { MessageReader } from '../dist/index.js';

if (typeof gc !== 'function') throw new Error('Run with node --expose-gc');
const arg = (name) => { const i = process.argv.indexOf(name); return i < 0 ? undefined : process.argv[i + 1]; };
const N = Number(arg('--count') ?? 20000);
const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';
const REQUEST = new TextEncoder().encode(`GET /chat HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${KEY}\r\nOrigin: http://example.com\r\nSec-WebSocket-Protocol: chat, superchat\r\nSec-WebSocket-Version: 13\r\n\r\n`);
const RESPONSE = new TextEncoder().encode('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n');

const serverOpen = () => {
  // The options the Node adapter passes.
  const c = new ServerConnection({ unmaskInPlace: true });
  c.receive(REQUEST); c.takeEvents(); c.accept(); c.takeEvents(); c.takeOutput();
  return c;
};
const cases = {
  'server, open': serverOpen,
  'server, new (before the request)': () => new ServerConnection({ unmaskInPlace: true }),
  'server, open, after a message and a ping cut mid-header': () => {
    const c = serverOpen();
    c.receive(Uint8Array.of(0x81, 0x82, 1, 2, 3, 4, 0x68 ^ 1, 0x69 ^ 2));
    c.receive(Uint8Array.of(0x89, 0x80)); c.receive(Uint8Array.of(0, 0, 0, 0));
    c.takeEvents(); c.takeOutput();
    return c;
  },
  'client, open': () => {
    const c = new ClientConnection('ws://server.example.com/chat', { key: KEY });
    c.takeOutput(); c.receive(RESPONSE); c.takeEvents(); c.takeOutput();
    if (c.state !== 'open') throw new Error(`Client ${c.state}`);
    return c;
  },
  'MessageReader, idle': () => new MessageReader(),
};

const used = () => { gc(); gc(); return process.memoryUsage().heapUsed; };
console.log(`| state | JS heap per instance (${N}) |\n|---|---|`);
for (const [name, make] of Object.entries(cases)) {
  for (let i = 0; i < 200; i++) make(); // code and hidden classes first
  const keep = new Array(N);
  const before = used();
  for (let i = 0; i < N; i++) keep[i] = make();
  const after = used();
  console.log(`| ${name} | ${((after - before) / N).toFixed(0)} B |`);
  if (name === 'server, open' && arg('--snapshot')) writeHeapSnapshot(arg('--snapshot'));
  keep.length = 0;
}
