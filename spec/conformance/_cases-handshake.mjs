// Section 0 (beyond Autobahn): the server's side of the opening handshake
// (RFC 6455 §4.2) and the example server's HTTP contract (issue 3): invalid
// requests get a plain HTTP error and the connection is closed; `GET /` serves
// the demo page. A `raw(url)` case talks HTTP itself and returns its problems.
import { randomBytes } from 'node:crypto';
import { frame, dial, readResponseHead, checkHandshake, Conn, chop } from './_client.mjs';
import { OP, text } from './_expect.mjs';

const cases = [];
const key = () => randomBytes(16).toString('base64');

/** Sends `head` (in `chopSize` pieces if given) and reads the whole response until the server closes TCP. */
async function exchange(url, head, chopSize) {
  const socket = await dial(url);
  const body = [];
  let ended = false;
  const closed = new Promise((resolve) => {
    const timer = setTimeout(resolve, 3000);
    socket.on('close', () => { ended = true; clearTimeout(timer); resolve(); });
  });
  socket.on('error', () => {});
  const reading = readResponseHead(socket).catch((e) => e);
  const bytes = Buffer.from(head, 'latin1');
  for (const p of chopSize ? chop(bytes, chopSize) : [bytes]) await new Promise((r) => socket.write(p, r));
  const res = await reading;
  if (!(res instanceof Error)) {
    body.push(res.rest);
    socket.resume();
    socket.on('data', (d) => body.push(d));
  }
  await closed;
  socket.destroy();
  return { res, ended, body: Buffer.concat(body) };
}

/**
 * An invalid request: the exact status, the headers it needs, and TCP closed
 * by the server. `status` may be `{ [status]: headers }` for a request that
 * more than one status answers rightly, each with the headers it needs.
 */
function rejected(id, title, head, status, headers = {}) {
  const allowed = typeof status === 'number' ? { [status]: headers } : status;
  return {
    id,
    title: `${title}: ${Object.keys(allowed).join(' or ')}`,
    async raw(url) {
      const { res, ended, body } = await exchange(url, typeof head === 'function' ? head(new URL(url).host) : head);
      if (res instanceof Error) return [res.message];
      const problems = [];
      if (allowed[res.status] === undefined) problems.push(`Expected status ${Object.keys(allowed).join(' or ')}, got ${JSON.stringify(res.statusLine)}`);
      for (const [name, value] of Object.entries(allowed[res.status] ?? {})) {
        if (res.headers[name] !== value) problems.push(`Expected ${name}: ${value}, got ${JSON.stringify(res.headers[name])}`);
      }
      if (res.headers['content-length'] !== undefined && Number(res.headers['content-length']) !== body.length) problems.push(`Content-Length ${res.headers['content-length']} but ${body.length} body bytes`);
      if (res.headers['sec-websocket-accept'] !== undefined) problems.push('A rejected request got a Sec-WebSocket-Accept');
      if (!ended) problems.push('The server did not close the connection within 3 s after the error response');
      return problems;
    },
  };
}

const upgrade = (host, { method = 'GET', version = '1.1', wsVersion = '13', k = key(), extra = '', hostLine = `Host: ${host}\r\n` } = {}) =>
  `${method} / HTTP/${version}\r\n${hostLine}Upgrade: websocket\r\nConnection: Upgrade\r\n${k === null ? '' : `Sec-WebSocket-Key: ${k}\r\n`}Sec-WebSocket-Version: ${wsVersion}\r\n${extra}\r\n`;

cases.push(
  rejected('0.1', 'Sec-WebSocket-Version 8 (RFC 6455 §4.4: 426 naming the versions served)', (h) => upgrade(h, { wsVersion: '8' }), 426, { 'sec-websocket-version': '13' }),
  rejected('0.2', 'No Sec-WebSocket-Key (RFC 6455 §4.2.1 step 5)', (h) => upgrade(h, { k: null }), 400),
  rejected('0.3', 'A Sec-WebSocket-Key of 15 bytes (RFC 6455 §4.2.1 step 5: 16 bytes, base64)', (h) => upgrade(h, { k: randomBytes(15).toString('base64') }), 400),
  // RFC 6455 names no status; 405 must say what is allowed (RFC 9110 §15.5.6). The library answers 405 (checkUpgradeRequest), the Session of examples/_session.mjs 400.
  rejected('0.4', 'A POST upgrade (RFC 6455 §4.2.1 step 1: GET)', (h) => upgrade(h, { method: 'POST' }), { 405: { allow: 'GET' }, 400: {} }),
  rejected('0.5', 'An HTTP/1.0 upgrade (RFC 6455 §4.2.1 step 1: HTTP/1.1 or higher)', (h) => upgrade(h, { version: '1.0' }), 400),
  rejected('0.6', 'An upgrade without Host (RFC 6455 §4.2.1 step 2)', (h) => upgrade(h, { hostLine: '' }), 400),
  rejected('0.7', 'A request head over 16 KiB (issue 3: the head is buffered up to 16 KiB)', (h) => upgrade(h, { extra: `X-Filler: ${'a'.repeat(17 * 1024)}\r\n` }), 431),
  rejected('0.8', 'A plain GET of another path', (h) => `GET /nothing-here HTTP/1.1\r\nHost: ${h}\r\n\r\n`, 404),
  {
    id: '0.9',
    title: 'A plain GET / serves the demo page, whose script opens a WebSocket',
    async raw(url) {
      const { res, ended, body } = await exchange(url, `GET / HTTP/1.1\r\nHost: ${new URL(url).host}\r\n\r\n`);
      if (res instanceof Error) return [res.message];
      const problems = [];
      if (res.status !== 200) problems.push(`Expected 200, got ${JSON.stringify(res.statusLine)}`);
      if (!/^text\/html\b/.test(res.headers['content-type'] ?? '')) problems.push(`Content-Type is ${JSON.stringify(res.headers['content-type'])}`);
      if (Number(res.headers['content-length']) !== body.length) problems.push(`Content-Length ${res.headers['content-length']} but ${body.length} body bytes`);
      if (!/new WebSocket\(/.test(body.toString())) problems.push('The page has no script opening a WebSocket');
      if (!ended) problems.push('The server did not close the connection after the page');
      return problems;
    },
  },
  {
    id: '0.10',
    title: 'Case-insensitive tokens and a Connection list (Firefox sends "keep-alive, Upgrade"), head trickled a byte at a time: 101',
    async raw(url) {
      const socket = await dial(url);
      socket.on('error', () => {});
      const k = key();
      const head = `GET /chat?x=1 HTTP/1.1\r\nhost: ${new URL(url).host}\r\nUPGRADE: WebSocket\r\nconnection: keep-alive, Upgrade\r\nsec-websocket-key: ${k}\r\nsec-websocket-version: 13\r\n\r\n`;
      const reading = readResponseHead(socket).catch((e) => e);
      for (const p of chop(Buffer.from(head, 'latin1'), 1)) await new Promise((r) => socket.write(p, r));
      const res = await reading;
      if (res instanceof Error) { socket.destroy(); return [res.message]; }
      const problem = checkHandshake(res, k);
      if (problem !== null) { socket.destroy(); return [problem]; }
      // The connection works: one echo, then the closing handshake.
      const c = new Conn(socket);
      c.start(res.rest);
      await c.send(frame(OP.TEXT, 'trickled'));
      await c.waitEvents(1, 3000);
      await c.sendClose(1000);
      const closed = await c.waitClose(3000);
      const ended = await c.waitEnd(3000);
      c.destroy();
      const problems = [...c.violations];
      if (c.events.length !== 1 || c.events[0].type !== 'text' || c.events[0].data.toString() !== 'trickled') problems.push('No echo after a trickled handshake');
      if (!closed || c.close.code !== 1000) problems.push('No Close 1000 echoed');
      if (!ended) problems.push('The server did not close TCP');
      return problems;
    },
  },
);

// 0.11 — frames in the same TCP write as the head are not lost (RFC 6455 §4.2.2:
// the server may receive data right after the handshake).
const pipelined = Buffer.concat([frame(OP.TEXT, 'first'), frame(OP.BINARY, Buffer.from([1, 2, 3])), frame(OP.PING, 'p')]);
cases.push({
  id: '0.11',
  title: 'Three frames in the same write as the request head: all answered in order',
  connect: { first: pipelined },
  run: () => {},
  expect: [text('first'), { type: 'binary', data: Buffer.from([1, 2, 3]) }, { type: 'pong', data: Buffer.from('p') }],
});

export default cases;

/**
 * 0.8 and 0.9 for a server that answers WebSocket upgrades only: an adapter's
 * echo server on a raw socket (Bun.listen's has no HTTP server in front of it
 * to serve a page). A plain GET is no upgrade request, so it is refused as
 * RFC 6455 §4.2.1 says: 400, and the connection closed. runSuite puts these
 * in place of the page cases for a server whose entry says `http: false`.
 */
export const upgradeOnly = [
  rejected('0.8', 'A plain GET of another path, to a server that only upgrades (RFC 6455 §4.2.1)', (h) => `GET /nothing-here HTTP/1.1\r\nHost: ${h}\r\n\r\n`, 400),
  rejected('0.9', 'A plain GET /, to a server that only upgrades (RFC 6455 §4.2.1)', (h) => `GET / HTTP/1.1\r\nHost: ${h}\r\n\r\n`, 400),
];
