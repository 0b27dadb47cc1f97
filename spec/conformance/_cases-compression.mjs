// Sections 12 and 13 in the spirit of the Autobahn|Testsuite fuzzing-client
// cases: permessage-deflate (RFC 7692) against an echo server that offers it.
// 12: payloads of five kinds (JSON, text, HTML, an image-like bitmap, random
// bytes) and sizes 16 B-128 KiB, as one frame or in 256-byte fragments,
// under the default offer. 13: every combination of the four parameters
// offered, and offers a server must decline. Each case sends its messages
// compressed with node:zlib (our harness, never the library under test) and
// requires every echo back, in order; a server's compressed echoes are
// inflated with zlib under the agreed parameters, so a server that keeps a
// context it promised to drop, or a window wider than agreed across
// messages, fails. Messages per case: see _payloads.mjs (1000 with --full).
import { OP, binary, text } from './_expect.mjs';
import { COMBOS, count, FULL, isText, KINDS, KiB, label, SIZES, slice } from './_payloads.mjs';

/**
 * A case that sends `n` messages of `size` bytes compressed under `offers`
 * (fragmented in `fragment`-byte frames), expects each echoed, and checks
 * that the server compressed its echoes when they were large enough to be.
 */
function echoCase(id, title, { offers, kind, size, fragment = 0, n = count(size) }) {
  const messages = Array.from({ length: n }, (_, i) => slice(kind, size, i));
  return {
    id, title: `${title} (${n} messages)`, connect: { deflate: offers },
    timeout: 60000,
    async run(c) {
      if (c.deflate === null) { c.problems.push(`The server declined every offer: ${JSON.stringify(offers)}`); return; }
      const frames = messages.map((m) => c.compressed(isText(kind) ? OP.TEXT : OP.BINARY, m, { fragment }));
      // A few hundred KiB per write, so that the server's echoes flow back meanwhile.
      for (let i = 0; i < frames.length; i += 64) await c.send(Buffer.concat(frames.slice(i, i + 64)));
      await c.waitEvents(messages.length, 50000);
      // The echo servers compress what reaches their threshold (1024 bytes by default, as ws).
      if (size >= 4 * KiB && kind !== 'random' && !(c.compressedIn > 0)) c.problems.push('The server compressed none of its echoes of messages of 4 KiB and more');
    },
    expect: messages.map((m) => (isText(kind) ? text(m) : binary(m))),
  };
}

const cases = [];
const DEFAULT_OFFER = [{ client_max_window_bits: true }];

// 12.1-12.5: five kinds of payload, each size in one frame, then the larger
// ones in 256-byte compressed fragments (RFC 7692 §6.1: RSV1 on the first).
KINDS.forEach(([kind, what], k) => {
  SIZES.forEach((size, i) => cases.push(echoCase(`12.${k + 1}.${i + 1}`, `${what}, ${size} B compressed messages, the default offer`, { offers: DEFAULT_OFFER, kind, size })));
  SIZES.filter((s) => s >= KiB).forEach((size, i) => cases.push(echoCase(`12.${k + 1}.${SIZES.length + i + 1}`, `${what}, ${size} B compressed messages in 256-byte fragments`, { offers: DEFAULT_OFFER, kind, size, fragment: 256 })));
});

// 13.1: every combination of the four parameters in one offer (RFC 7692 §7.1),
// at a small, a middle and the largest size.
COMBOS.forEach((o, i) => {
  [64, 16 * KiB, 128 * KiB].forEach((size, j) => cases.push(echoCase(`13.${1 + j}.${i + 1}`, `Offer ${label(o)}, ${size} B JSON messages`, { offers: [o], kind: 'json', size, n: FULL ? 1000 : Math.min(count(size), 16) })));
});

// 13.4: a list of offers, the first of which a server must decline (RFC 7692
// §7.1: an unknown parameter, a bad value, a repeated parameter); the echo
// proves the second was taken. Sent as raw header values.
const DECLINE = [
  ['an unknown parameter', 'permessage-deflate; x_unknown, permessage-deflate; server_no_context_takeover'],
  ['server_max_window_bits=7', 'permessage-deflate; server_max_window_bits=7, permessage-deflate; server_no_context_takeover'],
  ['server_max_window_bits=16', 'permessage-deflate; server_max_window_bits=16, permessage-deflate; server_no_context_takeover'],
  ['server_max_window_bits without a value', 'permessage-deflate; server_max_window_bits, permessage-deflate; server_no_context_takeover'],
  ['server_max_window_bits=010 (a leading zero)', 'permessage-deflate; server_max_window_bits=010, permessage-deflate; server_no_context_takeover'],
  ['client_max_window_bits=0', 'permessage-deflate; client_max_window_bits=0, permessage-deflate; server_no_context_takeover'],
  ['server_no_context_takeover with a value', 'permessage-deflate; server_no_context_takeover=1, permessage-deflate; server_no_context_takeover'],
  ['a repeated parameter', 'permessage-deflate; server_max_window_bits=10; server_max_window_bits=10, permessage-deflate; server_no_context_takeover'],
];
DECLINE.forEach(([what, header], i) => {
  const messages = Array.from({ length: 20 }, (_, j) => slice('json', 2 * KiB, j));
  cases.push({
    id: `13.4.${i + 1}`, title: `The first of two offers has ${what}: declined, the second taken`,
    // The harness judges the answer against the offer the server may take: the second.
    connect: { extensions: header, deflate: [{ server_no_context_takeover: true }] },
    async run(c) {
      if (c.deflate === null) { c.problems.push('The server declined the valid second offer'); return; }
      for (const m of messages) await c.send(c.compressed(OP.TEXT, m));
    },
    expect: messages.map((m) => text(m)),
  });
});
// 13.5: every offer bad: no extension, and plain messages still echo.
cases.push({
  id: '13.5.1', title: 'Only offers a server must decline: the connection opens without the extension',
  connect: { extensions: 'permessage-deflate; x_unknown, permessage-deflate; client_max_window_bits=16', deflate: [] },
  async run(c) {
    if (c.deflate !== null) c.problems.push(`The server accepted a bad offer: ${c.agreement.header}`);
    const { frame } = await import('./_client.mjs');
    await c.send(frame(OP.TEXT, 'no extension'));
  },
  expect: [text('no extension')],
});

export default cases;
