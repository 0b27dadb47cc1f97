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
// messages, fails. Messages per case: 1000 with --full (as Autobahn); by
// default fewer for large sizes (at most 2 MiB a case, at least 8 messages),
// so that `npm test` stays within minutes on 2 cores.
import { OP, binary, text } from './_expect.mjs';

const KiB = 1024;
const FULL = process.argv.includes('--full');
const count = (size) => (FULL ? 1000 : Math.max(8, Math.min(1000, Math.floor((2048 * KiB) / Math.max(size, 1)))));
const SIZES = [16, 64, 256, KiB, 4 * KiB, 8 * KiB, 16 * KiB, 32 * KiB, 64 * KiB, 128 * KiB];

/** A deterministic generator (xorshift32). */
function rng(seed) {
  let x = seed >>> 0 || 1;
  return () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x; };
}
const WORDS = 'the of and to in is that it was for on are as with his they at be this from have or by one had not but what all were when we there can an your which their said if do will each about how up out them then she many some so these would other into has more her two like him see time could no make than first been its who now people my made over did down only way find use may water long little very after words called just where most know get through back much before go good new write our used me man too any day same right look think also around another came come work three word must because does part even place well such here take why things help put years different away again off went old number great tell men say small every found still between name should home big give air line set own under read last never us left end along while might next sound below saw something thought both few those always looked show large often together asked house world going want school important until form food keep children feet land side without boy once animals life enough took sometimes four head above kind began almost live page got earth need far hand high year mother light parts country father let night following picture being study second eyes soon times story boys since white days ever paper hard near sentence better best across during today others however sure means knew its try told young miles sun ways thing whole hear example heard several change answer room sea against top turned learn point city play toward five using himself usually Grüße Straße über schön Größe naïve café 😀 ✓'.split(' ');

/** 256 KiB of one kind of payload, from which each message takes a different slice. */
function corpus(kind) {
  const r = rng(kind.length * 7919);
  const word = () => WORDS[r() % WORDS.length];
  const out = [];
  let n = 0;
  const push = (s) => { const b = Buffer.from(s); out.push(b); n += b.length; };
  if (kind === 'json') while (n < 256 * KiB) push(JSON.stringify({ id: r() % 100000, user: `${word()}_${r() % 100}`, text: Array.from({ length: 3 + (r() % 12) }, word).join(' '), tags: [word(), word()], at: 1.7e12 + (r() % 1e9), ok: r() % 2 === 0 }) + '\n');
  if (kind === 'text') while (n < 256 * KiB) push(Array.from({ length: 5 + (r() % 20) }, word).join(' ') + (r() % 4 === 0 ? '.\n\n' : '. '));
  if (kind === 'html') while (n < 256 * KiB) push(`<div class="${word()}" id="n${r() % 1000}"><a href="/${word()}/${r() % 100}.html">${word()} ${word()}</a><p>${Array.from({ length: 4 + (r() % 10) }, word).join(' ')}</p></div>\n`);
  if (kind === 'image') {
    // A 512-pixel-wide greyscale bitmap: smooth gradients with a little noise.
    const b = Buffer.alloc(256 * KiB);
    for (let i = 0; i < b.length; i++) b[i] = (((i % 512) >> 2) + ((i >> 9) >> 1) + (r() % 7)) & 0xff;
    return b;
  }
  if (kind === 'random') {
    const b = Buffer.alloc(256 * KiB);
    for (let i = 0; i < b.length; i++) b[i] = r() & 0xff;
    return b;
  }
  // Cut at a character boundary (never inside a UTF-8 sequence) by the slicer below.
  return Buffer.concat(out);
}

/** Message `i` of a case: `size` bytes of `data` from an offset that moves per message (whole UTF-8 characters for text). */
function slice(data, size, i, isText) {
  let at = (i * 7919) % (data.length - size);
  if (isText) {
    while (at > 0 && (data[at] & 0xc0) === 0x80) at--;
    let end = at + size;
    while (end > at && end < data.length && (data[end] & 0xc0) === 0x80) end--;
    return data.subarray(at, end);
  }
  return data.subarray(at, at + size);
}

/**
 * A case that sends `n` messages of `size` bytes compressed under `offers`
 * (fragmented in `fragment`-byte frames), expects each echoed, and checks
 * that the server compressed its echoes when they were large enough to be.
 */
function echoCase(id, title, { offers, kind, size, fragment = 0, n = count(size) }) {
  const data = CORPUS[kind];
  const isText = kind === 'json' || kind === 'text' || kind === 'html';
  const messages = Array.from({ length: n }, (_, i) => Buffer.from(slice(data, size, i, isText)));
  return {
    id, title: `${title} (${n} messages)`, connect: { deflate: offers },
    timeout: 60000,
    async run(c) {
      if (c.deflate === null) { c.problems.push(`The server declined every offer: ${JSON.stringify(offers)}`); return; }
      const frames = messages.map((m) => c.compressed(isText ? OP.TEXT : OP.BINARY, m, { fragment }));
      // A few hundred KiB per write, so that the server's echoes flow back meanwhile.
      for (let i = 0; i < frames.length; i += 64) await c.send(Buffer.concat(frames.slice(i, i + 64)));
      await c.waitEvents(messages.length, 50000);
      // The echo servers compress what reaches their threshold (1024 bytes by default, as ws).
      if (size >= 4 * KiB && kind !== 'random' && !(c.compressedIn > 0)) c.problems.push('The server compressed none of its echoes of messages of 4 KiB and more');
    },
    expect: messages.map((m) => (isText ? text(m) : binary(m))),
  };
}

const CORPUS = Object.fromEntries(['json', 'text', 'html', 'image', 'random'].map((k) => [k, corpus(k)]));
const cases = [];
const DEFAULT_OFFER = [{ client_max_window_bits: true }];

// 12.1-12.5: five kinds of payload, each size in one frame, then the larger
// ones in 256-byte compressed fragments (RFC 7692 §6.1: RSV1 on the first).
[['json', 'JSON'], ['text', 'human-readable text'], ['html', 'HTML'], ['image', 'a greyscale bitmap'], ['random', 'random bytes']].forEach(([kind, label], k) => {
  SIZES.forEach((size, i) => cases.push(echoCase(`12.${k + 1}.${i + 1}`, `${label}, ${size} B compressed messages, the default offer`, { offers: DEFAULT_OFFER, kind, size })));
  SIZES.filter((s) => s >= KiB).forEach((size, i) => cases.push(echoCase(`12.${k + 1}.${SIZES.length + i + 1}`, `${label}, ${size} B compressed messages in 256-byte fragments`, { offers: DEFAULT_OFFER, kind, size, fragment: 256 })));
});

// 13.1: every combination of the four parameters in one offer (RFC 7692 §7.1),
// at a small, a middle and the largest size.
const COMBOS = [];
for (const snc of [false, true]) for (const cnc of [false, true]) for (const smwb of [undefined, 8, 9, 15]) for (const cmwb of [undefined, true, 8, 12, 15]) {
  const o = {};
  if (snc) o.server_no_context_takeover = true;
  if (cnc) o.client_no_context_takeover = true;
  if (smwb !== undefined) o.server_max_window_bits = String(smwb);
  if (cmwb !== undefined) o.client_max_window_bits = cmwb === true ? true : String(cmwb);
  COMBOS.push(o);
}
COMBOS.forEach((o, i) => {
  const label = Object.keys(o).length === 0 ? 'no parameters' : Object.entries(o).map(([k, v]) => (v === true ? k : `${k}=${v}`)).join('; ');
  [64, 16 * KiB, 128 * KiB].forEach((size, j) => cases.push(echoCase(`13.${1 + j}.${i + 1}`, `Offer ${label}, ${size} B JSON messages`, { offers: [o], kind: 'json', size, n: FULL ? 1000 : Math.min(count(size), 64) })));
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
  const messages = Array.from({ length: 20 }, (_, j) => Buffer.from(slice(CORPUS.json, 2 * KiB, j, true)));
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
