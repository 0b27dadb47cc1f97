// Section 0 (beyond Autobahn): the client's side of the opening handshake
// (RFC 6455 §4.1). Every request of the run is checked (see
// Fuzzer.checkRequest); these cases vary the server's response. A response
// the client must refuse is followed by a Ping in the same write: the client
// must send nothing at all (no Pong, no Close: the connection never opened)
// and close TCP. An agent must survive such a refused connection and go on
// with the next case, as Autobahn's clients do when a connection fails.
import { frame } from './_peer.mjs';
import { OP, text } from '../_expect.mjs';

const cases = [];
const HELLO = 'Hello, world!';
const ok = (accept, lines = []) => ['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Accept: ${accept}`, ...lines, '', ''].join('\r\n');
const without = (name) => (accept) => ok(accept).split('\r\n').filter((l) => !l.startsWith(`${name}:`)).join('\r\n');
const PING = frame(OP.PING, 'are you open?');

// 0.1 — responses the client must accept.
cases.push(
  { id: '0.1.1', title: 'The 101 response written a byte at a time, then a text message', handshake: { chop: 1 }, run: (s) => s.send(frame(OP.TEXT, HELLO)), expect: [text(HELLO)] },
  { id: '0.1.2', title: 'The 101 response and a text message in one write: the bytes after the head are the first frame', handshake: { first: frame(OP.TEXT, HELLO) }, expect: [text(HELLO)] },
  {
    id: '0.1.3', title: 'Header names and values in other cases, a Connection list, spaces around values, extra headers (RFC 6455 §4.1: case-insensitive)',
    handshake: { response: (accept) => ['HTTP/1.1 101 Switching Protocols', 'Server: fuzzer', 'upgrade: WebSocket', 'CONNECTION: keep-alive, Upgrade', `sec-websocket-accept:   ${accept}  `, 'X-Extra: 1', '', ''].join('\r\n') },
    run: (s) => s.send(frame(OP.TEXT, HELLO)), expect: [text(HELLO)],
  },
);

// 0.2 — responses the client MUST refuse (RFC 6455 §4.1, the client's checks, each "the client MUST _Fail the WebSocket Connection_").
const refuse = (id, title, response) => ({ id, title: `${title}: the connection never opens`, handshake: { response, first: PING, reject: true }, expect: [] });
cases.push(
  refuse('0.2.1', 'A wrong Sec-WebSocket-Accept (item 4)', () => ok('dGhlIHNhbXBsZSBub25jZQ==')),
  refuse('0.2.2', 'No Sec-WebSocket-Accept (item 4)', without('Sec-WebSocket-Accept')),
  refuse('0.2.3', 'No Upgrade header (item 2)', without('Upgrade')),
  refuse('0.2.4', 'Upgrade: h2c (item 2)', (accept) => ok(accept).replace('Upgrade: websocket', 'Upgrade: h2c')),
  refuse('0.2.5', 'No Connection header (item 3)', without('Connection')),
  refuse('0.2.6', 'Connection: keep-alive, without Upgrade (item 3)', (accept) => ok(accept).replace('Connection: Upgrade', 'Connection: keep-alive')),
  refuse('0.2.7', 'An extension the client did not offer (item 5)', (accept) => ok(accept, ['Sec-WebSocket-Extensions: x-never-offered'])),
  refuse('0.2.8', 'A subprotocol the client did not offer (item 6)', (accept) => ok(accept, ['Sec-WebSocket-Protocol: chat'])),
  // Not 101: "the client handles the response per HTTP procedures" (item 1); no
  // WebSocket connection exists. The server closes TCP (Connection: close), and
  // the client must send nothing and close its side.
  {
    id: '0.2.9', title: '403 Forbidden, then the server closes TCP: the connection never opens',
    handshake: { response: () => 'HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n', first: PING, reject: true, end: true }, expect: [],
  },
);

export default cases;
