// Sections 12 and 13 for clients, in the spirit of the Autobahn|Testsuite
// fuzzingserver cases: permessage-deflate (RFC 7692) with a client that offers
// it. The fuzzing server answers each case's `deflate` parameters, sends
// messages compressed with node:zlib under them (context carried as a
// dictionary: ../_deflate.mjs), and requires every echo back, in order; the
// client's compressed echoes are inflated with zlib under the same agreement,
// so a client that keeps a context it must drop, or compresses with a wider
// window than agreed across messages, fails. 12: five kinds of payload at ten
// sizes, whole and in 256-byte fragments. 13: every answer a server may give
// to the default offer (server_no_context_takeover, client_no_context_takeover,
// both windows), and answers the client must refuse (RFC 7692 §7.1).
import { frame } from './_peer.mjs';
import { OP, binary, pong, text } from '../_expect.mjs';
import { count, FULL, isText, KINDS, KiB, label, SIZES, slice } from '../_payloads.mjs';

/** A case: the server answers `params`, sends `n` compressed messages of `size` bytes of `kind`, and expects each echoed. */
function echoCase(id, title, { params = {}, kind, size, fragment = 0, n = count(size) }) {
  const messages = Array.from({ length: n }, (_, i) => slice(kind, size, i));
  return {
    id, title: `${title} (${n} messages)`, deflate: params, timeout: 60000,
    async run(s) {
      const frames = messages.map((m) => s.compressed(isText(kind) ? OP.TEXT : OP.BINARY, m, { fragment }));
      for (let i = 0; i < frames.length; i += 64) await s.send(Buffer.concat(frames.slice(i, i + 64)));
      await s.waitEvents(messages.length, 50000);
      // Our agents compress messages of 1 KiB and more, as ws does by default.
      if (size >= 4 * KiB && kind !== 'random' && s.compressedIn === 0) s.problems.push('The client compressed none of its echoes of messages of 4 KiB and more');
    },
    expect: messages.map((m) => (isText(kind) ? text(m) : binary(m))),
  };
}

const cases = [];

// 12.1-12.5: five kinds of payload, each size in one frame, then the larger
// ones in 256-byte compressed fragments (RFC 7692 §6.1: RSV1 on the first).
KINDS.forEach(([kind, what], k) => {
  SIZES.forEach((size, i) => cases.push(echoCase(`12.${k + 1}.${i + 1}`, `${what}, ${size} B compressed messages, the plain answer`, { kind, size })));
  SIZES.filter((s) => s >= KiB).forEach((size, i) => cases.push(echoCase(`12.${k + 1}.${SIZES.length + i + 1}`, `${what}, ${size} B compressed messages in 256-byte fragments`, { kind, size, fragment: 256 })));
});

// 13.1-13.2: every answer to an offer of `client_max_window_bits` (what
// browsers and our agents send): 2 x 2 x 4 x 4 parameter combinations.
const ANSWERS = [];
for (const snc of [false, true]) for (const cnc of [false, true]) for (const smwb of [undefined, 8, 9, 15]) for (const cmwb of [undefined, 8, 12, 15]) {
  const o = {};
  if (snc) o.server_no_context_takeover = true;
  if (cnc) o.client_no_context_takeover = true;
  if (smwb !== undefined) o.server_max_window_bits = String(smwb);
  if (cmwb !== undefined) o.client_max_window_bits = String(cmwb);
  ANSWERS.push(o);
}
ANSWERS.forEach((o, i) => {
  const sizes = FULL ? [64, 16 * KiB, 128 * KiB] : [64, 16 * KiB];
  sizes.forEach((size, j) => cases.push(echoCase(`13.${1 + j}.${i + 1}`, `The answer ${label(o)}, ${size} B JSON messages`, { params: o, kind: 'json', size, n: FULL ? 1000 : Math.min(count(size), 16) })));
});

// 13.4: answers the client MUST refuse (RFC 7692 §7.1: "a client MUST _Fail
// the WebSocket Connection_"): the connection never opens.
const ok = (accept, ext) => ['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Accept: ${accept}`, `Sec-WebSocket-Extensions: ${ext}`, '', ''].join('\r\n');
const PING = frame(OP.PING, 'are you open?');
// With the lenient-deflate-answer allowance, a client that reads such an
// answer as a good one opens: it must answer the Ping and then the Close.
const lenient = (ext) => ({ 'lenient-deflate-answer': { handshake: { response: (accept) => ok(accept, ext), first: PING }, expect: [pong('are you open?')] } });
[
  ['an unknown parameter', 'permessage-deflate; x_unknown'],
  ['server_max_window_bits=16', 'permessage-deflate; server_max_window_bits=16'],
  ['server_max_window_bits=7', 'permessage-deflate; server_max_window_bits=7'],
  ['server_max_window_bits=010 (a leading zero, §7.1.2.1)', 'permessage-deflate; server_max_window_bits=010', true],
  ['server_max_window_bits without a value', 'permessage-deflate; server_max_window_bits'],
  ['client_max_window_bits without a value (an answer gives one)', 'permessage-deflate; client_max_window_bits'],
  ['a repeated parameter', 'permessage-deflate; server_no_context_takeover; server_no_context_takeover'],
  ['server_no_context_takeover with a value', 'permessage-deflate; server_no_context_takeover=1'],
  ['two permessage-deflate answers (one was offered)', 'permessage-deflate, permessage-deflate', true],
].forEach(([what, ext, lenientToo], i) => cases.push({
  id: `13.4.${i + 1}`, title: `The server answers with ${what}: the connection never opens`,
  handshake: { response: (accept) => ok(accept, ext), first: PING, reject: true }, expect: [],
  ...(lenientToo ? { allow: lenient(ext) } : {}),
}));

export default cases;
