// Sections 1-5, the client-role counterparts of the server suite's
// (../_cases-framing.mjs), after Autobahn|Testsuite's fuzzingserver cases:
// framing sizes, the header rules a client enforces (a masked server frame
// among them: RFC 6455 §5.1), pings and pongs, reserved bits, opcodes and
// fragmentation. The server writes; `expect` is what the client must echo and
// answer, in order; `fail` the code it must fail the connection with. See
// _fuzzingserver.mjs for the case fields and the grading.
import { frame, closePayload } from './_peer.mjs';
import { framingCases } from '../_cases-framing.mjs';
import { OP, text, binary, fill } from '../_expect.mjs';

const cases = [];
const HELLO = 'Hello, world!';
const BIN8 = Buffer.from([0x00, 0xff, 0xfe, 0xfd, 0xfc, 0xfb, 0x00, 0xff]);

/** A server frame with the MASK bit set and the masking key 00 00 00 00 (the payload reads unchanged). */
function zeroKeyFrame(opcode, payload) {
  const f = frame(opcode, payload);
  const ext = (f[1] & 0x7f) === 126 ? 2 : (f[1] & 0x7f) === 127 ? 8 : 0;
  const head = Buffer.from(f.subarray(0, 2 + ext));
  head[1] |= 0x80;
  return Buffer.concat([head, Buffer.alloc(4), f.subarray(2 + ext)]);
}

// 1.1 / 1.2 — RFC 6455 §5.2: payload lengths in each length encoding (7-bit, 16-bit, 64-bit).
const SIZES = [0, 125, 126, 127, 128, 65535, 65536];
for (const [section, opcode, unit, ev, name] of [['1.1', OP.TEXT, '*', text, 'text'], ['1.2', OP.BINARY, 0xfe, binary, 'binary']]) {
  SIZES.forEach((n, i) => {
    const data = fill(n, unit);
    cases.push({ id: `${section}.${i + 1}`, title: `A ${name} message of ${n} bytes (RFC 6455 §5.2)`, run: (s) => s.send(frame(opcode, data)), expect: [ev(data)] });
  });
  const data = fill(65536, unit);
  cases.push({ id: `${section}.8`, title: `A ${name} message of 65536 bytes written in chops of 997 bytes`, run: (s) => s.sendChopped(frame(opcode, data), 997), expect: [ev(data)] });
}

// 1.3 — beyond Autobahn: the length rules of RFC 6455 §5.2, as the server suite enforces them on servers.
// `allow`: what the case expects instead from an agent that has the named allowance (see _agents.mjs).
cases.push(
  {
    id: '1.3.1', title: 'A 125-byte payload length in the 16-bit form (RFC 6455 §5.2: the minimal number of bytes MUST be used)',
    run: (s) => s.send(frame(OP.TEXT, fill(125, '*'), { lenBytes: 2 })), expect: [], fail: 1002,
    allow: { 'lenient-length': { expect: [text(fill(125, '*'))], fail: undefined } },
  },
  {
    id: '1.3.2', title: 'A 65535-byte payload length in the 64-bit form (RFC 6455 §5.2: minimal length encoding)',
    run: (s) => s.send(frame(OP.BINARY, fill(65535, 1), { lenBytes: 8 })), expect: [], fail: 1002,
    allow: { 'lenient-length': { expect: [binary(fill(65535, 1))], fail: undefined } },
  },
  {
    id: '1.3.3', title: 'A 64-bit payload length with its most significant bit set, header only (RFC 6455 §5.2: it MUST be 0)',
    run: (s) => s.send(frame(OP.BINARY, Buffer.alloc(0), { lenBytes: 8, declare: 2 ** 63 })), expect: [], fail: 1002,
    allow: { 'huge-length-1009': { fail: 1009 } },
  },
  {
    id: '1.3.4', title: 'A text frame split after its first byte, the rest written with a whole binary frame',
    run: (s) => { const t = frame(OP.TEXT, HELLO); return s.sendEach([t.subarray(0, 1), Buffer.concat([t.subarray(1), frame(OP.BINARY, BIN8)])]); },
    expect: [text(HELLO), binary(BIN8)],
  },
);

// 1.4 — client only: RFC 6455 §5.1, "A client MUST close a connection if it detects a masked frame" (with 1002, §7.4.1).
cases.push(
  { id: '1.4.1', title: 'A masked text frame from the server (RFC 6455 §5.1)', run: (s) => s.send(frame(OP.TEXT, HELLO, { mask: true })), expect: [], fail: 1002 },
  { id: '1.4.2', title: 'A masked binary frame of 65536 bytes from the server', run: (s) => s.send(frame(OP.BINARY, fill(65536, 0xfe), { mask: true })), expect: [], fail: 1002 },
  { id: '1.4.3', title: 'A text message, then a masked Ping', run: (s) => s.send(Buffer.concat([frame(OP.TEXT, HELLO), frame(OP.PING, HELLO, { mask: true })])), expect: [text(HELLO)], fail: 1002 },
  { id: '1.4.4', title: 'A text message, then a text frame with the MASK bit set and the key 00 00 00 00', run: (s) => s.send(Buffer.concat([frame(OP.TEXT, HELLO), zeroKeyFrame(OP.TEXT, HELLO)])), expect: [text(HELLO)], fail: 1002 },
  { id: '1.4.5', title: 'The first fragment of a text message masked, the second not', run: (s) => s.send(Buffer.concat([frame(OP.TEXT, 'fragment1', { fin: false, mask: true }), frame(OP.CONT, 'fragment2')])), expect: [], fail: 1002 },
  { id: '1.4.6', title: 'A masked Close with code 1000', run: (s) => s.sendCloseFrame(frame(OP.CLOSE, closePayload(1000), { mask: true }), undefined), expect: [], fail: 1002 },
);

// 1.5 — client only: RFC 6455 §5.3, every client frame masked with a fresh key
// (checked on every connection; here 40 frames on one: 20 echoes in 1 KiB and 4 KiB messages, each after the last).
cases.push({
  id: '1.5.1', title: '20 binary messages, each sent once the last was echoed: 20 masked frames with varying keys',
  async run(s) {
    for (let i = 0; i < 20; i++) {
      await s.send(frame(OP.BINARY, fill(i % 2 ? 4096 : 1024, i)));
      if (!(await s.waitEvents(i + 1, 3000)) || s.close !== null) return;
    }
  },
  expect: Array.from({ length: 20 }, (_, i) => binary(fill(i % 2 ? 4096 : 1024, i))),
});

// 2-5: the server suite's cases, with this suite's frames (a Close written as the peer writes one).
cases.push(...framingCases({ frame, closePayload, sendClose: (s, bytes) => s.sendCloseFrame(bytes, undefined) }));

export default cases;
