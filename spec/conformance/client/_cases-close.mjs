// Section 7, the client-role counterpart of the server suite's
// (../_cases-close.mjs): the closing handshake started by the server
// (RFC 6455 §5.5.1, §7). The client answers a Close with one echoing its code
// (an empty one for an empty one), ignores every frame after it, sends nothing
// after its own, and leaves the TCP close to the server (§7.1.1); a bad Close
// payload fails the connection (1002, or 1007 for a reason that is not UTF-8).
import { frame, closePayload } from './_peer.mjs';
import { OP, text, fill } from '../_expect.mjs';

const cases = [];
const HELLO = 'Hello World!';
const hex = (s) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
// A Close frame the client must refuse: the server still sent a Close (no second one follows).
const badClose = (payload) => (s) => s.sendCloseFrame(frame(OP.CLOSE, payload), undefined);

// 7.1 — RFC 6455 §5.5.1: after a Close nothing more is read or sent.
const big = Buffer.alloc(256 * 1024, 'BAsd7&jh23');
cases.push(
  { id: '7.1.1', title: 'A text message, then a Close', run: async (s) => { await s.send(frame(OP.TEXT, HELLO)); await s.sendClose(1000); }, expect: [text(HELLO)] },
  { id: '7.1.2', title: 'Two Close frames: the second is ignored', run: async (s) => { await s.sendClose(1000); await s.send(frame(OP.CLOSE, closePayload(1000))); }, expect: [] },
  { id: '7.1.3', title: 'A Ping after a Close: no Pong', run: async (s) => { await s.sendClose(1000); await s.send(frame(OP.PING, HELLO)); }, expect: [] },
  { id: '7.1.4', title: 'A text message after a Close: no echo', run: async (s) => { await s.sendClose(1000); await s.send(frame(OP.TEXT, HELLO)); }, expect: [] },
  {
    id: '7.1.5', title: 'A Close between two fragments of a text message: the message is never echoed',
    run: async (s) => { await s.send(frame(OP.TEXT, 'fragment1', { fin: false })); await s.sendClose(1000); await s.send(frame(OP.CONT, 'fragment2')); },
    expect: [],
  },
  {
    // As in the server suite, and stricter than Autobahn (which grades its 7.1.6 informational):
    // the message came before the Close, so its echo must go out before the answering Close.
    id: '7.1.6', title: 'A 256 KiB text message, then a Close, then a Ping, in one write: the message is echoed before the Close, the Ping is not answered',
    run: (s) => s.sendCloseFrame(Buffer.concat([frame(OP.TEXT, big), frame(OP.CLOSE, closePayload(1000)), frame(OP.PING, HELLO)]), 1000),
    expect: [text(big)],
  },
);

// 7.2 — client only: RFC 6455 §7.1.1, "the underlying TCP connection, in most
// normal cases, SHOULD be closed first by the server", and "the client SHOULD
// wait for the server to close the connection". Here the server waits 300 ms
// after the closing handshake before its FIN; the client must not close TCP first.
cases.push(
  { id: '7.2.1', title: 'A Close with code 1000; the server closes TCP 300 ms after the answer: the client waits for it', run: (s) => s.sendClose(1000), expect: [], tcpDelay: 300 },
  { id: '7.2.2', title: 'A text message echoed, then a Close; the server closes TCP 300 ms after the answer', run: (s) => s.send(frame(OP.TEXT, HELLO)), expect: [text(HELLO)], tcpDelay: 300 },
  { id: '7.2.3', title: 'An empty Close; the server closes TCP 300 ms after the answer', run: (s) => s.sendClose(), expect: [], echo: null, tcpDelay: 300 },
);

// 7.3 — Close payload sizes (RFC 6455 §5.5: at most 125 bytes; §5.5.1: a code is 2 bytes).
cases.push(
  { id: '7.3.1', title: 'A Close with an empty payload: answered with an empty Close', run: (s) => s.sendClose(), expect: [], echo: null },
  { id: '7.3.2', title: 'A Close with a 1-byte payload', run: badClose(Buffer.from([0x03])), expect: [], fail: 1002 },
  { id: '7.3.3', title: 'A Close with code 1000 and no reason', run: (s) => s.sendClose(1000), expect: [] },
  { id: '7.3.4', title: 'A Close with code 1000 and a reason', run: (s) => s.sendClose(1000, HELLO), expect: [] },
  { id: '7.3.5', title: 'A Close with code 1000 and a 123-byte reason (a 125-byte payload)', run: (s) => s.sendClose(1000, fill(123, '*')), expect: [] },
  { id: '7.3.6', title: 'A Close with code 1000 and a 124-byte reason (a 126-byte payload)', run: badClose(closePayload(1000, fill(124, '*'))), expect: [], fail: 1002 },
);

// 7.5 — RFC 6455 §5.5.1, §8.1: the reason is UTF-8; invalid fails with 1007.
cases.push({
  id: '7.5.1', title: 'A Close whose reason is not UTF-8 (a surrogate)',
  run: badClose(closePayload(1000, hex('ce ba e1 bd b9 cf 83 ce bc ce b5 ed a0 80 65 64 69 74 65 64'))), expect: [], fail: 1007,
});

// 7.7 — every kind of code that may be sent (RFC 6455 §7.4.1, §7.4.2; IANA's
// registry adds 1012-1014): each is echoed (the reason need not be). Autobahn's 13, then 1012-1014.
[1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999, 1012, 1013, 1014].forEach((code, i) => {
  cases.push({ id: `7.7.${i + 1}`, title: `A Close with valid code ${code} and a UTF-8 reason: the code is echoed`, run: (s) => s.sendClose(code, `code ${code} κόσμε`), expect: [] });
});

// 7.9 / 7.13 — codes that may not be sent (RFC 6455 §7.4.1: 1004-1006 and 1015
// are reserved, 1005, 1006 and 1015 never on the wire; 0-999 unused, 1016-2999
// reserved for the protocol; above 4999 undefined): each fails the connection
// with 1002. Autobahn's 9, then 1015 and 1.
[0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999, 1015, 1].forEach((code, i) => {
  cases.push({ id: `7.9.${i + 1}`, title: `A Close with invalid code ${code}`, run: badClose(closePayload(code)), expect: [], fail: 1002 });
});
[5000, 65535].forEach((code, i) => {
  cases.push({ id: `7.13.${i + 1}`, title: `A Close with out-of-range code ${code}`, run: badClose(closePayload(code)), expect: [], fail: 1002 });
});

export default cases;
