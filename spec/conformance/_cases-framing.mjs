// Sections 1-5 after the Autobahn|Testsuite fuzzing-client cases: framing
// sizes, pings and pongs, reserved bits, opcodes and fragmentation.
// A case: `run(c)` sends; `expect` lists what the server must send back, in
// order; `fail` is the close code the server must fail the connection with
// (RFC 6455 §7.1.7); without `fail`, the client closes with 1000 once the
// expected events arrived and the server must echo the Close.
import { frame, closePayload } from './_client.mjs';
import { OP, text, binary, pong, fill } from './_expect.mjs';

const cases = [];
const HELLO = 'Hello, world!';
const BIN8 = Buffer.from([0x00, 0xff, 0xfe, 0xfd, 0xfc, 0xfb, 0x00, 0xff]);

// 1.1 / 1.2 — RFC 6455 §5.2: payload lengths in each length encoding (7-bit, 16-bit, 64-bit).
const SIZES = [0, 125, 126, 127, 128, 65535, 65536];
for (const [section, opcode, unit, ev, name] of [['1.1', OP.TEXT, '*', text, 'text'], ['1.2', OP.BINARY, 0xfe, binary, 'binary']]) {
  SIZES.forEach((n, i) => {
    const data = fill(n, unit);
    cases.push({ id: `${section}.${i + 1}`, title: `A ${name} message of ${n} bytes (RFC 6455 §5.2)`, run: (c) => c.send(frame(opcode, data)), expect: [ev(data)] });
  });
  const data = fill(65536, unit);
  cases.push({ id: `${section}.8`, title: `A ${name} message of 65536 bytes written in chops of 997 bytes`, run: (c) => c.sendChopped(frame(opcode, data), 997), expect: [ev(data)] });
}

// 1.3 — beyond Autobahn: header rules of RFC 6455 §5.1 and §5.2 a server must enforce.
cases.push(
  { id: '1.3.1', title: 'An unmasked text frame from the client (RFC 6455 §5.1: the server MUST close)', run: (c) => c.send(frame(OP.TEXT, HELLO, { mask: false })), expect: [], fail: 1002 },
  { id: '1.3.2', title: 'A 125-byte payload length in the 16-bit form (RFC 6455 §5.2: minimal length encoding)', run: (c) => c.send(frame(OP.TEXT, fill(125, '*'), { lenBytes: 2 })), expect: [], fail: 1002 },
  { id: '1.3.3', title: 'A 65535-byte payload length in the 64-bit form (RFC 6455 §5.2: minimal length encoding)', run: (c) => c.send(frame(OP.BINARY, fill(65535, 1), { lenBytes: 8 })), expect: [], fail: 1002 },
  { id: '1.3.4', title: 'A 64-bit payload length with its most significant bit set, header only (RFC 6455 §5.2)', run: (c) => c.send(frame(OP.BINARY, Buffer.alloc(0), { lenBytes: 8, declare: 2 ** 63 })), expect: [], fail: 1002 },
  {
    id: '1.3.5', title: 'A text frame split after its first byte, the rest written with a whole binary frame',
    run: (c) => { const t = frame(OP.TEXT, HELLO); return c.sendEach([t.subarray(0, 1), Buffer.concat([t.subarray(1), frame(OP.BINARY, BIN8)])]); },
    expect: [text(HELLO), binary(BIN8)],
  },
);

cases.push(...framingCases({ frame, closePayload }));

/**
 * Sections 2-5, shared with the client-role suite (client/_cases-framing.mjs),
 * written with its `frame` and `closePayload`: the same cases in both roles.
 * `sendClose(c, bytes)` writes a Close frame as the role's harness does.
 */
export function framingCases({ frame, closePayload, sendClose = (c, bytes) => c.send(bytes) }) {
  const cases = [];
  // 2 — RFC 6455 §5.5.2, §5.5.3: a Ping gets a Pong with the same payload; unsolicited Pongs get nothing.
  const ping = (p = '', o) => frame(OP.PING, p, o);
  const pongFrame = (p = '') => frame(OP.PONG, p);
  const pings10 = Array.from({ length: 10 }, (_, i) => `payload-${i}`);
  cases.push(
    { id: '2.1', title: 'A Ping without payload', run: (c) => c.send(ping()), expect: [pong()] },
    { id: '2.2', title: 'A Ping with a small text payload', run: (c) => c.send(ping(HELLO)), expect: [pong(HELLO)] },
    { id: '2.3', title: 'A Ping with a small binary payload', run: (c) => c.send(ping(BIN8)), expect: [pong(BIN8)] },
    { id: '2.4', title: 'A Ping with a 125-byte payload', run: (c) => c.send(ping(fill(125, 0xfe))), expect: [pong(fill(125, 0xfe))] },
    { id: '2.5', title: 'A Ping with a 126-byte payload (RFC 6455 §5.5: control frames carry at most 125)', run: (c) => c.send(ping(fill(126, 0xfe))), expect: [], fail: 1002 },
    { id: '2.6', title: 'A Ping with a 125-byte payload written a byte at a time', run: (c) => c.sendChopped(ping(fill(125, 0xfe)), 1), expect: [pong(fill(125, 0xfe))] },
    { id: '2.7', title: 'An unsolicited Pong without payload', run: (c) => c.send(pongFrame()), expect: [] },
    { id: '2.8', title: 'An unsolicited Pong with payload', run: (c) => c.send(pongFrame('unsolicited pong payload')), expect: [] },
    { id: '2.9', title: 'An unsolicited Pong, then a Ping', run: (c) => c.send(Buffer.concat([pongFrame('unsolicited pong payload'), ping('ping payload')])), expect: [pong('ping payload')] },
    { id: '2.10', title: '10 Pings with payload', run: (c) => c.send(Buffer.concat(pings10.map((p) => ping(p)))), expect: pings10.map((p) => pong(p)) },
    { id: '2.11', title: '10 Pings with payload, written a byte at a time', run: (c) => c.sendChopped(Buffer.concat(pings10.map((p) => ping(p))), 1), expect: pings10.map((p) => pong(p)) },
  );

  // 3 — RFC 6455 §5.2: RSV bits MUST be 0 unless an extension defines them; none was negotiated.
  cases.push(
    { id: '3.1', title: 'A text message with RSV = 1', run: (c) => c.send(frame(OP.TEXT, HELLO, { rsv: 1 })), expect: [], fail: 1002 },
    { id: '3.2', title: 'A text message, then one with RSV = 2, then a Ping', run: (c) => c.send(Buffer.concat([frame(OP.TEXT, HELLO), frame(OP.TEXT, HELLO, { rsv: 2 }), ping(HELLO)])), expect: [text(HELLO)], fail: 1002 },
    { id: '3.3', title: 'A text message, then one with RSV = 3, then a Ping, a byte at a time', run: (c) => c.sendChopped(Buffer.concat([frame(OP.TEXT, HELLO), frame(OP.TEXT, HELLO, { rsv: 3 }), ping(HELLO)]), 1), expect: [text(HELLO)], fail: 1002 },
    { id: '3.4', title: 'A text message, then one with RSV = 4, then a Ping, a frame at a time', run: (c) => c.sendEach([frame(OP.TEXT, HELLO), frame(OP.TEXT, HELLO, { rsv: 4 }), ping(HELLO)]), expect: [text(HELLO)], fail: 1002 },
    { id: '3.5', title: 'A binary message with RSV = 5', run: (c) => c.send(frame(OP.BINARY, BIN8, { rsv: 5 })), expect: [], fail: 1002 },
    { id: '3.6', title: 'A Ping with RSV = 6', run: (c) => c.send(ping(HELLO, { rsv: 6 })), expect: [], fail: 1002 },
    { id: '3.7', title: 'A Close with RSV = 7', run: (c) => sendClose(c, frame(OP.CLOSE, closePayload(1000), { rsv: 7 })), expect: [], fail: 1002 },
  );

  // 4 — RFC 6455 §5.2: opcodes 0x3-0x7 and 0xB-0xF are reserved; receiving one fails the connection.
  for (const [section, base] of [['4.1', 3], ['4.2', 11]]) {
    const kind = base === 3 ? 'non-control' : 'control';
    cases.push(
      { id: `${section}.1`, title: `A frame with reserved ${kind} opcode ${base}`, run: (c) => c.send(frame(base)), expect: [], fail: 1002 },
      { id: `${section}.2`, title: `A frame with reserved ${kind} opcode ${base + 1} and a payload`, run: (c) => c.send(frame(base + 1, 'reserved opcode payload')), expect: [], fail: 1002 },
    );
    for (let k = 2; k < 5; k++) {
      const op = base + k;
      const withPayload = k > 2 ? 'reserved opcode payload' : '';
      cases.push({
        id: `${section}.${k + 1}`,
        title: `A text message, then reserved ${kind} opcode ${op}${withPayload ? ' with a payload' : ''}, then a Ping`,
        run: (c) => c.sendEach([frame(OP.TEXT, HELLO), frame(op, withPayload), ping(HELLO)]),
        expect: [text(HELLO)],
        fail: 1002,
      });
    }
  }

  // 5 — RFC 6455 §5.4: fragmentation. Control frames MUST NOT be fragmented but
  // may come between fragments; continuation frames need an open message.
  const F = (op, p, fin) => frame(op, p, { fin });
  const twoFragments = [F(OP.TEXT, 'fragment1', false), F(OP.CONT, 'fragment2', true)];
  const withPing = [F(OP.TEXT, 'fragment1', false), ping('ping payload'), F(OP.CONT, 'fragment2', true)];
  const stray = (fin) => [F(OP.CONT, 'non-continuation payload', fin), frame(OP.TEXT, HELLO)];
  const whole = (frames) => (c) => c.send(Buffer.concat(frames));
  const perFrame = (frames) => (c) => c.sendEach(frames);
  const perByte = (frames) => (c) => c.sendChopped(Buffer.concat(frames), 1);
  cases.push(
    { id: '5.1', title: 'A Ping in 2 fragments (RFC 6455 §5.5: control frames MUST NOT be fragmented)', run: whole([F(OP.PING, 'fragment1', false), F(OP.CONT, 'fragment2', true)]), expect: [], fail: 1002 },
    { id: '5.2', title: 'A Pong in 2 fragments', run: whole([F(OP.PONG, 'fragment1', false), F(OP.CONT, 'fragment2', true)]), expect: [], fail: 1002 },
    { id: '5.3', title: 'A text message in 2 fragments', run: whole(twoFragments), expect: [text('fragment1fragment2')] },
    { id: '5.4', title: 'A text message in 2 fragments, a byte at a time', run: perByte(twoFragments), expect: [text('fragment1fragment2')] },
    { id: '5.5', title: 'A text message in 2 fragments, a frame at a time', run: perFrame(twoFragments), expect: [text('fragment1fragment2')] },
    { id: '5.6', title: 'A text message in 2 fragments with a Ping between', run: whole(withPing), expect: [pong('ping payload'), text('fragment1fragment2')] },
    { id: '5.7', title: 'A text message in 2 fragments with a Ping between, a byte at a time', run: perByte(withPing), expect: [pong('ping payload'), text('fragment1fragment2')] },
    { id: '5.8', title: 'A text message in 2 fragments with a Ping between, a frame at a time', run: perFrame(withPing), expect: [pong('ping payload'), text('fragment1fragment2')] },
    { id: '5.9', title: 'A continuation frame (FIN = 1) with nothing to continue, then a text message', run: whole(stray(true)), expect: [], fail: 1002 },
    { id: '5.10', title: 'A continuation frame (FIN = 1) with nothing to continue, then a text message, a frame at a time', run: perFrame(stray(true)), expect: [], fail: 1002 },
    { id: '5.11', title: 'A continuation frame (FIN = 1) with nothing to continue, then a text message, a byte at a time', run: perByte(stray(true)), expect: [], fail: 1002 },
    { id: '5.12', title: 'A continuation frame (FIN = 0) with nothing to continue, then a text message', run: whole(stray(false)), expect: [], fail: 1002 },
    { id: '5.13', title: 'A continuation frame (FIN = 0) with nothing to continue, then a text message, a frame at a time', run: perFrame(stray(false)), expect: [], fail: 1002 },
    { id: '5.14', title: 'A continuation frame (FIN = 0) with nothing to continue, then a text message, a byte at a time', run: perByte(stray(false)), expect: [], fail: 1002 },
    {
      id: '5.15', title: 'A text message in 2 fragments, then a continuation frame with nothing to continue, then a text message',
      run: whole([...twoFragments, F(OP.CONT, 'fragment3', false), F(OP.TEXT, 'fragment4', true)]), expect: [text('fragment1fragment2')], fail: 1002,
    },
    {
      id: '5.16', title: 'Twice: a continuation frame (FIN = 0) with nothing to continue, then a text message in 2 fragments',
      run: whole([0, 1].flatMap(() => [F(OP.CONT, 'fragment1', false), F(OP.TEXT, 'fragment2', false), F(OP.CONT, 'fragment3', true)])), expect: [], fail: 1002,
    },
    {
      id: '5.17', title: 'Twice: a continuation frame (FIN = 1) with nothing to continue, then a text message in 2 fragments',
      run: whole([0, 1].flatMap(() => [F(OP.CONT, 'fragment1', true), F(OP.TEXT, 'fragment2', false), F(OP.CONT, 'fragment3', true)])), expect: [], fail: 1002,
    },
    { id: '5.18', title: 'A text message in 2 fragments that both carry the text opcode', run: whole([F(OP.TEXT, 'fragment1', false), F(OP.TEXT, 'fragment2', true)]), expect: [], fail: 1002 },
  );
  // 5.19 / 5.20: 5 fragments with 2 Pings between; each Pong must come back while
  // the message is still open (RFC 6455 §5.4: control frames in the middle of a message).
  for (const [id, how] of [['5.19', 'at once'], ['5.20', 'a frame at a time']]) {
    cases.push({
      id,
      title: `A text message in 5 fragments with a Ping after the 2nd and the 4th, pausing for each Pong, sent ${how}`,
      async run(c) {
        const write = (frames) => (how === 'at once' ? c.send(Buffer.concat(frames)) : c.sendEach(frames));
        await write([F(OP.TEXT, 'fragment1', false), F(OP.CONT, 'fragment2', false), ping('pongme 1!')]);
        if (!(await c.waitEvents(1, 3000))) c.problems.push('No Pong within 3 s for a Ping inside a fragmented message');
        await write([F(OP.CONT, 'fragment3', false), F(OP.CONT, 'fragment4', false), ping('pongme 2!')]);
        if (!(await c.waitEvents(2, 3000))) c.problems.push('No second Pong within 3 s for a Ping inside a fragmented message');
        await write([F(OP.CONT, 'fragment5', true)]);
      },
      expect: [pong('pongme 1!'), pong('pongme 2!'), text('fragment1fragment2fragment3fragment4fragment5')],
    });
  }

  return cases;
}

export default cases;
