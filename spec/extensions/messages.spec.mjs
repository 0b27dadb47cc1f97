// permessage-deflate on the wire (RFC 7692 §6, §7.2): the §7.2.3 examples
// through a real connection, round trips in both roles with every window and
// context-takeover setting, streamed messages, every split point, and each
// way a peer can get it wrong (1002, 1007, 1009).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ClientConnection, ServerConnection } from '../../dist/connection.js';
import { encodeFrame } from '../../dist/index.js';
import { Deflater, permessageDeflate } from '../../dist/permessage-deflate.js';
import { concat, prng, toHex } from '../_util.mjs';
import { header } from '../_frames.mjs';
import { brief, drain, pump, URL } from '../connection/_pair.mjs';

const test = suite('permessage-deflate messages');

/** A server and a client with permessage-deflate agreed (the options of each side's extension). */
function pair(server = {}, client = {}, limits = {}) {
  const s = new ServerConnection({ extensions: [permessageDeflate(server)], ...limits.server });
  const c = new ClientConnection(URL, { extensions: [permessageDeflate(client)], ...limits.client });
  pump(c, s);
  s.takeEvents();
  s.accept();
  pump(s, c);
  assert.equal(brief(s.takeEvents()), ['open']);
  assert.equal(brief(c.takeEvents()), ['open']);
  assert.match(s.extensions, /^permessage-deflate/);
  return { s, c };
}

/** The data of the message events `to` got once `from`'s output arrived (cut at `cuts`). */
function carry(from, to, cuts) {
  pump(from, to, cuts);
  return to.takeEvents().map((e) => (e.type === 'message' ? e.data : brief([e])[0]));
}

const text = (n, seed = n) => {
  const words = ['alpha', 'beta', 'gamma', 'delta', '{"id":', '"ok":true}', 'Grüße', '🚀', '\n'];
  const r = prng(seed);
  let s = '';
  while (s.length < n) s += words[r.int(words.length)] + ' ';
  return s.slice(0, n).replace(/[\ud800-\udbff]$/, 'x');
};
const binary = (n, seed = n) => {
  const r = prng(seed);
  // Half random, half runs: something to compress and something not to.
  return Uint8Array.from({ length: n }, (_, i) => (i % 64 < 32 ? r.int(256) : i >> 6 & 0xff));
};

test('RFC 7692 §7.2.3.1-2: "Hello" from a server is c1 07 f2 48 cd c9 c9 07 00, then c1 05 f2 00 11 00 00 with the context kept', () => {
  const { s, c } = pair({ threshold: 0 });
  s.send('Hello');
  const first = drain(s);
  assert.is(toHex(first), 'c107f248cdc9c90700');
  s.send('Hello');
  const second = drain(s);
  assert.is(toHex(second), 'c105f200110000');
  c.receive(first);
  c.receive(second);
  assert.equal(c.takeEvents().map((e) => e.data), ['Hello', 'Hello']);
  // Without context takeover, the second is the first again (§7.2.3.2's other half).
  const n = pair({ threshold: 0, serverNoContextTakeover: true });
  n.s.send('Hello');
  n.s.send('Hello');
  assert.is(toHex(drain(n.s)), 'c107f248cdc9c90700c107f248cdc9c90700');
});

test('RFC 7692 §7.2.3.3-6 as received: a stored block, a final block, two blocks in one message, and the empty message', () => {
  const EXAMPLES = [
    ['00 05 00 fa ff 48 65 6c 6c 6f 00', 'Hello'], // §7.2.3.3: a non-compressed (stored) block
    ['f3 48 cd c9 c9 07 00', 'Hello'], // §7.2.3.4: BFINAL set
    ['f2 48 05 00 00 00 ff ff ca c9 c9 07 00', 'Hello'], // §7.2.3.5: two DEFLATE blocks in one message
    ['00', ''], // §7.2.3.6: an empty message (an empty stored block)
    ['', ''], // and with nothing at all: the 00 00 ff ff tail alone
  ];
  for (const [hex, want] of EXAMPLES) {
    const { s, c } = pair();
    const payload = Uint8Array.from(hex.split(' ').filter(Boolean).map((h) => parseInt(h, 16)));
    c.receive(encodeFrame(1, payload, { rsv1: true }));
    assert.equal(c.takeEvents().map((e) => e.data), [want], hex);
    // The same bytes to a server, masked.
    s.receive(encodeFrame(1, payload, { rsv1: true, mask: true }));
    assert.equal(s.takeEvents().map((e) => e.data), [want], `${hex} (server)`);
  }
});

test('round trips in both roles: sizes around every boundary, text and binary, every window, with and without context takeover', () => {
  const SIZES = [0, 1, 5, 125, 126, 1023, 1024, 4096, 65535, 65536, 140000];
  const SETTINGS = [
    [{ threshold: 0 }, {}],
    [{ threshold: 0, serverNoContextTakeover: true, clientNoContextTakeover: true }, {}],
    [{ threshold: 0 }, { serverMaxWindowBits: 8, clientMaxWindowBits: 8 }],
    [{ threshold: 0, serverMaxWindowBits: 9, level: 1 }, { clientMaxWindowBits: 12, clientNoContextTakeover: true }],
    [{ threshold: 0, level: 9 }, { serverNoContextTakeover: true, serverMaxWindowBits: 15 }],
    [{ threshold: 0, level: 0 }, {}],
  ];
  for (const [server, client] of SETTINGS) {
    const { s, c } = pair(server, { ...client, threshold: 0 });
    for (const n of SIZES) {
      for (const data of [text(n), binary(n)]) {
        // Twice each, so that the second may refer back into the first.
        s.send(data); s.send(data);
        const got = carry(s, c);
        c.send(data); c.send(data);
        const back = carry(c, s);
        for (const [side, msgs] of [['client', got], ['server', back]]) {
          assert.is(msgs.length, 2, `${side} got 2 messages of ${n}`);
          for (const m of msgs) assert.equal(m, data, `${side}: ${typeof data} of ${n} bytes, ${JSON.stringify([server, client])}`);
        }
      }
    }
    assert.is(s.state, 'open');
  }
});

test('threshold: messages below it go uncompressed (no RSV1), at or above it compressed (RFC 7692 §6: per message)', () => {
  const { s, c } = pair({ threshold: 100 });
  s.send('x'.repeat(99));
  const small = drain(s);
  assert.is(small[0], 0x81, 'FIN text, no RSV1');
  s.send('x'.repeat(100));
  const big = drain(s);
  assert.is(big[0], 0xc1, 'FIN RSV1 text');
  assert.ok(big.length < 20, 'and smaller than the text');
  c.receive(concat(small, big));
  assert.equal(c.takeEvents().map((e) => e.data.length), [99, 100]);
});

test('a streamed message (send with fin: false) is compressed with RSV1 on its first frame only (RFC 7692 §6.1)', () => {
  const { s, c } = pair({ threshold: 0 });
  const parts = ['first part, ', 'second part, ', 'third part'];
  s.send(parts[0], { fin: false });
  s.ping(new Uint8Array([1]));
  s.send(parts[1], { fin: false });
  s.send(parts[2]);
  const bytes = drain(s);
  // Walk the frames: RSV1 on the first data frame, none on the continuations or the ping.
  const rsv = [];
  for (let at = 0; at < bytes.length; at += 2 + bytes[at + 1]) rsv.push([bytes[at] & 0x0f, (bytes[at] & 0x40) !== 0]);
  assert.equal(rsv, [[1, true], [9, false], [0, false], [0, false]]);
  c.receive(bytes);
  assert.equal(brief(c.takeEvents()), ['ping:1', `text:${parts.join('')}`]);
});

test('every split point: a compressed message from a client arrives whole whatever the chunking', () => {
  const { s, c } = pair({}, { threshold: 0 });
  const data = text(300, 7);
  c.send(data);
  c.send(data);
  const bytes = drain(c);
  for (let cut = 1; cut < bytes.length; cut++) {
    const { s: s2, c: c2 } = pair({}, { threshold: 0 });
    c2.send(data); c2.send(data);
    const again = drain(c2);
    // Masks differ per connection: cut the new bytes at the same offset.
    s2.receive(again.subarray(0, cut));
    s2.receive(again.subarray(cut));
    assert.equal(s2.takeEvents().map((e) => e.data), [data, data], `cut at ${cut}`);
  }
  assert.ok(s && bytes.length > 10);
});

test('1009: a small compressed message that inflates past maxMessageSize fails the moment it is crossed', () => {
  const { s, c } = pair({}, { threshold: 0 }, { server: { maxMessageSize: 100000 } });
  // 1 MiB of zeros compresses to about 1 KiB.
  c.send(new Uint8Array(1 << 20));
  const bytes = drain(c);
  assert.ok(bytes.length < 4096, `compressed to ${bytes.length} bytes`);
  s.receive(bytes);
  const events = s.takeEvents();
  assert.equal(brief(events), ['close:1009::unclean:message-too-big']);
  // Exactly at the limit passes.
  const ok = pair({}, { threshold: 0 }, { server: { maxMessageSize: 100000 } });
  ok.c.send(new Uint8Array(100000));
  assert.equal(carry(ok.c, ok.s).map((m) => m.length), [100000]);
});

test('1007: a corrupt compressed message, and text that is not UTF-8 once inflated', () => {
  const { s } = pair();
  s.receive(encodeFrame(2, Uint8Array.of(0xff, 0xff, 0xff), { rsv1: true, mask: true }));
  const [close] = s.takeEvents();
  assert.is(close.code, 1007);
  assert.is(close.error.rule, 'invalid-compressed-data');
  const bad = new Deflater();
  const payload = concat(bad.write(Uint8Array.of(0x48, 0x69, 0xc3, 0x28)), bad.flush());
  const t = pair();
  t.s.receive(encodeFrame(1, payload.subarray(0, payload.length - 4), { rsv1: true, mask: true }));
  assert.equal(brief(t.s.takeEvents()), ['close:1007::unclean:invalid-utf8']);
});

test('1002: RSV1 on a control frame or a continuation frame (RFC 7692 §6.1), and RSV1 when nothing was negotiated', () => {
  // Headers by hand (the encoders refuse these), empty payloads with a mask key.
  for (const [what, frames] of [
    ['ping', [header({ rsv: 4, opcode: 9, len: 0 })]],
    ['close', [header({ rsv: 4, opcode: 8, len: 0 })]],
    ['continuation', [header({ fin: false, rsv: 4, opcode: 1, len: 0 }), header({ rsv: 4, opcode: 0, len: 0 })]],
  ]) {
    const { s } = pair();
    for (const f of frames) s.receive(f);
    const close = s.takeEvents().find((e) => e.type === 'close');
    assert.is(close?.code, 1002, what);
    assert.is(close.error.rule, 'rsv1-not-first-frame', what);
  }
  const plain = new ServerConnection();
  const c = new ClientConnection(URL, { extensions: [permessageDeflate()] });
  pump(c, plain);
  plain.takeEvents();
  plain.accept();
  assert.equal(brief(plain.takeEvents()), ['open']);
  assert.is(plain.extensions, '', 'a server without the extension declines it');
  plain.receive(encodeFrame(1, Uint8Array.of(0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00), { rsv1: true, mask: true }));
  assert.equal(brief(plain.takeEvents()), ['close:1002::unclean:rsv-without-extension']);
});

test('the session is released when the connection closes, and control frames are never compressed', () => {
  const { s, c } = pair({ threshold: 0 });
  s.ping(new Uint8Array(50).fill(65));
  s.close(1000, 'bye '.repeat(20));
  const bytes = drain(s);
  assert.is(bytes[0], 0x89, 'ping without RSV1');
  assert.is(bytes[2 + 50], 0x88, 'close without RSV1');
  c.receive(bytes);
  // The echo of the Close goes out once the events before it were taken.
  assert.equal(brief(c.takeEvents()), ['ping:50', 'close:1000:' + 'bye '.repeat(20) + ':clean']);
  pump(c, s);
  assert.is(s.state, 'closed');
  // The client waits for the server to close TCP (RFC 6455 §7.1.1).
  c.receiveEnd();
  assert.is(c.state, 'closed');
});

test.run();
