// Runs Autobahn|Testsuite's fuzzingserver cases against this library's client
// (websocket-server/web over Deno.connect, or Deno.connectTls for wss:). Start
// the fuzzingserver (`wstest -m fuzzingserver`, listening on ws://127.0.0.1:9001), then
//
//   deno run --allow-net examples/deno/autobahn-client.ts --url ws://127.0.0.1:9001 --agent NAME
//
// The sequence is Autobahn's: GET /getCaseCount (one text message: the count),
// then for N in 1..count /runCase?case=N&agent=NAME, echoing every message
// back with its type until the server closes, then /updateReports?agent=NAME,
// which writes the report for NAME. Every connection offers permessage-deflate,
// as browsers do (sections 12 and 13 need it).
import type { WebSocketLike } from '../../dist/connection.js';
import { connectWebSocket } from '../../dist/web.js';
import { permessageDeflate } from '../../dist/permessage-deflate.js';
import { parseArgs } from '../_cli.mjs';

const { url = 'ws://127.0.0.1:9001', agent = 'websocket-server' } = parseArgs(Deno.args);

const deflate = permessageDeflate();

/** Opens `path` on the fuzzingserver; `onMessage(ws, data)` gets each message; resolves with the close event. */
async function run(path: string, onMessage: (ws: WebSocketLike, data: string | Uint8Array) => void): Promise<{ code: number; error?: Error }> {
  const u = new URL(path, url);
  const hostname = u.hostname.replace(/^\[|\]$/g, '');
  const port = Number(u.port) || (u.protocol === 'wss:' ? 443 : 80);
  const conn = u.protocol === 'wss:' ? await Deno.connectTls({ hostname, port }) : await Deno.connect({ hostname, port });
  const ws = connectWebSocket(conn, u, { extensions: [deflate] });
  ws.binaryType = 'uint8array';
  ws.onmessage = (e) => onMessage(ws, e.data as string | Uint8Array);
  let error: Error | undefined;
  ws.onerror = (e) => { error = e.error as Error; };
  return new Promise((resolve) => { ws.onclose = (e) => resolve({ code: e.code, error }); });
}

let count = NaN;
const opened = await run('/getCaseCount', (_, data) => { count = Number(data); });
if (!Number.isInteger(count)) {
  console.error(`No case count from ${url}/getCaseCount (close ${opened.code}${opened.error ? `: ${opened.error.message}` : ''})`);
  Deno.exit(1);
}
const q = encodeURIComponent(agent);
for (let n = 1; n <= count; n++) {
  const closed = await run(`/runCase?case=${n}&agent=${q}`, (ws, data) => ws.send(data));
  console.log(`case ${n}/${count}: close ${closed.code}`);
}
await run(`/updateReports?agent=${q}`, () => {});
console.log(`Ran ${count} cases; the fuzzingserver wrote the reports for ${agent}`);
