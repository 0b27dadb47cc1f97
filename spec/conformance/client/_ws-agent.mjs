// Test only: the reference agent of the client conformance suite, the `ws`
// package's client (a devDependency; never part of the library), driving the
// fuzzing server as an Autobahn|Testsuite client does:
//
//   node spec/conformance/client/_ws-agent.mjs --url ws://127.0.0.1:9001 --agent ws
//
// getCaseCount, then runCase 1..count echoing every text and binary message
// as it came, then updateReports. `ws` is used as its users use it:
// `new WebSocket(url)` with its defaults (it offers permessage-deflate, which
// the fuzzing server never accepts). Where ws differs from the suite, see the
// ws preset in _agents.mjs.
import WebSocket from 'ws';

function args(argv) {
  const o = {};
  for (let i = 0; i < argv.length; i += 2) o[argv[i].replace(/^--/, '')] = argv[i + 1];
  if (!o.url || !o.agent) throw new Error('Usage: _ws-agent.mjs --url ws://HOST:PORT --agent NAME');
  return o;
}

/** One connection to `path`; `onMessage(ws, data, isBinary)`; resolves when it closed, however it ended. */
function connect(url, path, onMessage = () => {}) {
  return new Promise((resolve) => {
    const ws = new WebSocket(url + path);
    ws.on('message', (data, isBinary) => onMessage(ws, data, isBinary));
    ws.on('error', () => {}); // a refused handshake or a failed connection: 'close' follows
    ws.on('close', resolve);
  });
}

const { url, agent } = args(process.argv.slice(2));
let count = 0;
await connect(url, '/getCaseCount', (_, data) => { count = Number(data.toString()); });
if (!(count > 0)) throw new Error(`getCaseCount gave ${count}`);
for (let n = 1; n <= count; n++) {
  await connect(url, `/runCase?case=${n}&agent=${encodeURIComponent(agent)}`, (ws, data, isBinary) => ws.send(data, { binary: isBinary }));
}
await connect(url, `/updateReports?agent=${encodeURIComponent(agent)}`);
