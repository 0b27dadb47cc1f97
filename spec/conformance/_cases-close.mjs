// Section 7 after the Autobahn|Testsuite fuzzing-client cases: the closing
// handshake (RFC 6455 §5.5.1, §7). The client's Close must be answered with a
// Close echoing its code (an empty one for an empty one), nothing may follow
// it, and the server closes TCP; a bad Close payload fails the connection.
// `echo` is the code the server's answering Close must carry (null: empty),
// `reason` the reason it must echo (the example servers echo both).
import { frame, closePayload } from './_client.mjs';
import { OP, text, fill } from './_expect.mjs';

const cases = [];
const HELLO = 'Hello World!';
const hex = (s) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
// A Close frame sent raw: not the start of a closing handshake the server should echo.
const badClose = (payload) => (c) => c.send(frame(OP.CLOSE, payload));

// 7.1 — RFC 6455 §5.5.1: after a Close nothing more is read or sent.
const big = Buffer.alloc(256 * 1024, 'BAsd7&jh23');
cases.push(
  { id: '7.1.1', title: 'A text message, then a Close', run: async (c) => { await c.send(frame(OP.TEXT, HELLO)); await c.sendClose(1000); }, expect: [text(HELLO)], echo: 1000 },
  { id: '7.1.2', title: 'Two Close frames: the second is ignored', run: async (c) => { await c.sendClose(1000); await c.send(frame(OP.CLOSE, closePayload(1000))); }, expect: [], echo: 1000 },
  { id: '7.1.3', title: 'A Ping after a Close: no Pong', run: async (c) => { await c.sendClose(1000); await c.send(frame(OP.PING, HELLO)); }, expect: [], echo: 1000 },
  { id: '7.1.4', title: 'A text message after a Close: no echo', run: async (c) => { await c.sendClose(1000); await c.send(frame(OP.TEXT, HELLO)); }, expect: [], echo: 1000 },
  {
    id: '7.1.5', title: 'A Close between two fragments of a text message: the message is never echoed',
    run: async (c) => { await c.send(frame(OP.TEXT, 'fragment1', { fin: false })); await c.sendClose(1000); await c.send(frame(OP.CONT, 'fragment2')); },
    expect: [], echo: 1000,
  },
  {
    id: '7.1.6', title: 'A 256 KiB text message, then a Close, then a Ping: the message is echoed before the Close, the Ping is not answered',
    run: async (c) => { const writes = [c.send(frame(OP.TEXT, big)), c.sendClose(1000), c.send(frame(OP.PING, HELLO))]; await Promise.all(writes); },
    expect: [text(big)], echo: 1000,
  },
);

// 7.3 — Close payload sizes (RFC 6455 §5.5: at most 125 bytes; §5.5.1: a code is 2 bytes).
cases.push(
  { id: '7.3.1', title: 'A Close with an empty payload: answered with an empty Close', run: (c) => c.sendClose(), expect: [], echo: null },
  { id: '7.3.2', title: 'A Close with a 1-byte payload', run: badClose(Buffer.from([0x03])), expect: [], fail: 1002 },
  { id: '7.3.3', title: 'A Close with code 1000 and no reason', run: (c) => c.sendClose(1000), expect: [], echo: 1000, reason: '' },
  { id: '7.3.4', title: 'A Close with code 1000 and a reason', run: (c) => c.sendClose(1000, HELLO), expect: [], echo: 1000, reason: HELLO },
  { id: '7.3.5', title: 'A Close with code 1000 and a 123-byte reason (a 125-byte payload)', run: (c) => c.sendClose(1000, fill(123, '*')), expect: [], echo: 1000, reason: '*'.repeat(123) },
  { id: '7.3.6', title: 'A Close with code 1000 and a 124-byte reason (a 126-byte payload)', run: badClose(closePayload(1000, fill(124, '*'))), expect: [], fail: 1002 },
);

// 7.5 — RFC 6455 §5.5.1, §8.1: the reason is UTF-8; invalid fails with 1007.
cases.push({
  id: '7.5.1', title: 'A Close whose reason is not UTF-8 (a surrogate)',
  run: badClose(closePayload(1000, hex('ce ba e1 bd b9 cf 83 ce bc ce b5 ed a0 80 65 64 69 74 65 64'))), expect: [], fail: 1007,
});

// 7.7 — every kind of code that may be sent (RFC 6455 §7.4.1, §7.4.2; IANA's
// registry adds 1012-1014): each is echoed. Autobahn's 13, then 1012-1014.
[1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999, 1012, 1013, 1014].forEach((code, i) => {
  const reason = `code ${code} κόσμε`;
  cases.push({ id: `7.7.${i + 1}`, title: `A Close with valid code ${code} and a UTF-8 reason: both echoed`, run: (c) => c.sendClose(code, reason), expect: [], echo: code, reason });
});

// 7.9 / 7.13 — codes that may not be sent (RFC 6455 §7.4.1: 1004-1006 and 1015 are
// reserved, 0-999 unused, 1016-2999 reserved for the protocol; above 4999 undefined):
// each fails the connection with 1002. Autobahn's 9, then 1015 and 1.
[0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999, 1015, 1].forEach((code, i) => {
  cases.push({ id: `7.9.${i + 1}`, title: `A Close with invalid code ${code}`, run: badClose(closePayload(code)), expect: [], fail: 1002 });
});
[5000, 65535].forEach((code, i) => {
  cases.push({ id: `7.13.${i + 1}`, title: `A Close with out-of-range code ${code}`, run: badClose(closePayload(code)), expect: [], fail: 1002 });
});

export default cases;
