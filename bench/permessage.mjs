// Topic: permessage-deflate's per-message cost (RFC 7692), the case WebSocket
// traffic is made of: 200-byte JSON messages, each compressed and then
// decompressed. With context takeover (the default, and what `ws` does with
// node:zlib's streaming API: write, then flush(Z_SYNC_FLUSH) with a callback),
// and without (each message on its own: zlib's one-shot sync calls).
// Outputs are checked (each round trip gives the message back) before timing.
import { now, quick, ROUNDS, table, runtime } from './_harness.mjs';

const pmd = await import(new URL('../dist/permessage-deflate.js', import.meta.url).href);
const zlib = await import('node:zlib').catch(() => null);
const TAIL = Uint8Array.of(0, 0, 0xff, 0xff);
const enc = new TextEncoder();

/** 64 different 200-byte JSON messages of a chat. */
const MESSAGES = Array.from({ length: 64 }, (_, i) => {
  const s = JSON.stringify({ id: 1000 + i, user: `user${i % 7}`, room: 'general', text: `message number ${i} about ${['cats', 'the build', 'lunch', 'the release'][i % 4]}`, at: 1733500000000 + i * 917, ok: i % 3 !== 0 });
  return enc.encode(s.padEnd(200, ' '));
});

const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Ours: one Deflater and one Inflater, context kept (or reset per message). */
function oursPair(reset) {
  const d = new pmd.Deflater(), i = new pmd.Inflater();
  return (m) => {
    const out = concat(d.write(m), d.flush());
    const payload = out.subarray(0, out.length - 4);
    const back = concat(i.write(payload), i.endMessage());
    if (reset) { d.reset(); i.reset(); }
    return back;
  };
}

function concat(a, b) {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** node:zlib's streaming API as ws uses it: write, flush(Z_SYNC_FLUSH), read in the callback. */
function zlibStreams() {
  const d = zlib.createDeflateRaw(), i = zlib.createInflateRaw();
  const dOut = [], iOut = [];
  d.on('data', (c) => dOut.push(c));
  i.on('data', (c) => iOut.push(c));
  return (m) => new Promise((resolve) => {
    d.write(m);
    d.flush(zlib.constants.Z_SYNC_FLUSH, () => {
      const all = Buffer.concat(dOut.splice(0));
      i.write(all.subarray(0, all.length - 4));
      i.write(TAIL);
      i.flush(() => resolve(Buffer.concat(iOut.splice(0))));
    });
  });
}

/** Messages per second of an async round trip, over `ms` of wall time. */
async function rateAsync(fn, ms) {
  let n = 0;
  const t0 = now();
  while (now() - t0 < ms) { await fn(MESSAGES[n & 63]); n++; }
  return (n * 1000) / (now() - t0);
}

function rateSync(fn, ms) {
  let n = 0;
  const t0 = now();
  while (now() - t0 < ms) { for (let k = 0; k < 64; k++) fn(MESSAGES[k]); n += 64; }
  return (n * 1000) / (now() - t0);
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b), h = s.length >> 1; return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2; };

export async function run() {
  const SAMPLE = quick ? 40 : 150;
  const variants = [
    { name: 'ours, context', make: () => oursPair(false), sync: true },
    { name: 'ours, no context', make: () => oursPair(true), sync: true },
  ];
  if (zlib) {
    variants.push({ name: 'zlib streams (ws)', make: zlibStreams, sync: false });
    variants.push({ name: 'zlib one-shot', make: () => (m) => zlib.inflateRawSync(zlib.deflateRawSync(m)), sync: true });
  }
  // Each variant gives every message back, in order, 2 x 64 times.
  const res = {};
  for (const v of variants) {
    const f = v.make();
    let ok = true;
    for (let r = 0; r < 2; r++) for (const m of MESSAGES) ok &&= same(new Uint8Array(await f(m)), m);
    res[v.name] = { ok, samples: [], fn: f, v };
  }
  for (const v of variants) { const r = res[v.name]; if (r.ok) v.sync ? rateSync(r.fn, SAMPLE) : await rateAsync(r.fn, SAMPLE); } // warm-up
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < variants.length; k++) {
      const v = variants[(k + round) % variants.length], r = res[v.name];
      if (r.ok) r.samples.push(v.sync ? rateSync(r.fn, SAMPLE) : await rateAsync(r.fn, SAMPLE));
    }
  }
  for (const r of Object.values(res)) Object.assign(r, { median: median(r.samples), min: Math.min(...r.samples), max: Math.max(...r.samples) });
  const columns = variants.map((v) => v.name);
  table({
    topic: 'permessage', title: 'permessage-deflate: 200-byte JSON messages, compress + decompress each (messages/s)', unit: 'msg/s', columns,
    rows: [{ label: '200-byte JSON', res }],
    ratios: zlib ? [{ label: 'context: ours/zlib streams', num: 'ours, context', den: 'zlib streams (ws)' }, { label: 'no context: ours/zlib one-shot', num: 'ours, no context', den: 'zlib one-shot' }] : [],
    checks: zlib ? [
      { label: '≥3x zlib streams (context)', num: 'ours, context', den: 'zlib streams (ws)', min: 3 },
      { label: '≥1x zlib one-shot (no context)', num: 'ours, no context', den: 'zlib one-shot', min: 1 },
    ] : [],
    notes: [`Each message is a different 200-byte chat JSON; level 6 everywhere (zlib's default, ws's). "zlib streams" is ws's way: createDeflateRaw/createInflateRaw, write then flush(Z_SYNC_FLUSH) and wait for the callback, one message at a time; its rate includes the event-loop turns that API costs. ${runtime.name === 'node' ? '' : `On ${runtime.name}, node:zlib is the runtime's own.`}`],
  });
}
