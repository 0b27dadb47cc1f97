// Runs Autobahn|Testsuite's fuzzingserver cases against this library's client
// (websocket-server/node over node:net, or node:tls for wss:). Start the
// fuzzingserver (`wstest -m fuzzingserver`, listening on ws://127.0.0.1:9001), then
//
//   node examples/autobahn-client.mjs --url ws://127.0.0.1:9001 --agent NAME
//
// The sequence is Autobahn's: GET /getCaseCount (one text message: the count),
// then for N in 1..count /runCase?case=N&agent=NAME, echoing every message
// back with its type until the server closes, then /updateReports?agent=NAME,
// which writes the report for NAME. Every connection offers permessage-deflate,
// as browsers do (sections 12 and 13 need it).
import { connect } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { connectSocket } from '../dist/node.js';
import { permessageDeflate } from '../dist/permessage-deflate.js';
import { parseArgs } from './_cli.mjs';

const { url = 'ws://127.0.0.1:9001', agent = 'websocket-server' } = parseArgs(process.argv.slice(2));

const deflate = permessageDeflate();

/** Opens `path` on the fuzzingserver; `onMessage(ws, data)` gets each message; resolves with the close event. */
function run(path, onMessage) {
  const u = new URL(path, url);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const port = Number(u.port) || (u.protocol === 'wss:' ? 443 : 80);
  const socket = u.protocol === 'wss:' ? connectTls({ host, port, servername: host }) : connect(port, host);
  const ws = connectSocket(socket, u, { extensions: [deflate] });
  ws.binaryType = 'uint8array';
  ws.onmessage = (e) => onMessage(ws, e.data);
  return new Promise((resolve) => { ws.onclose = resolve; });
}

let count = NaN;
const opened = await run('/getCaseCount', (_, data) => { count = Number(data); });
if (!Number.isInteger(count)) {
  console.error(`No case count from ${url}/getCaseCount (close ${opened.code}${opened.error ? `: ${opened.error.message}` : ''})`);
  process.exit(1);
}
const q = encodeURIComponent(agent);
for (let n = 1; n <= count; n++) {
  const closed = await run(`/runCase?case=${n}&agent=${q}`, (ws, data) => ws.send(data));
  console.log(`case ${n}/${count}: close ${closed.code}`);
}
await run(`/updateReports?agent=${q}`, () => {});
console.log(`Ran ${count} cases; the fuzzingserver wrote the reports for ${agent}`);
