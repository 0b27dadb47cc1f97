// Topic: DEFLATE compression (RFC 1951; issue 15 §4): deflateRaw at level 6
// against fflate's deflateSync, pako's deflateRaw and node:zlib's
// deflateRawSync (each at level 6) on 1 MiB of English-like text, 1 MiB of
// JSON log lines, 64 KiB of text and a 200-byte JSON message; then 200-byte
// JSON messages and 16 KiB JSON-lines messages through a Deflater with
// context takeover against a zlib stream flushed per message (what ws does),
// with the bytes each. Every output is inflated back and compared with the
// input before anything is timed.
// Runs on Node, Deno and Bun (a runtime without node:zlib skips it).
import { check, clock, print, same, table, timeCase } from './_harness.mjs';

const ROOT = new URL('../', import.meta.url);
/** Our bundle: dist/permessage-deflate.js, or another build named by BENCH_DEFLATE_BUNDLE (a path from the project root). */
const ours = await import(new URL(globalThis.process?.env?.BENCH_DEFLATE_BUNDLE ?? 'dist/permessage-deflate.js', ROOT).href);
// The browser builds: plain ESM in every runtime, the same compressor as fflate's Node build.
const fflate = await import(new URL('node_modules/fflate/esm/browser.js', ROOT).href).catch(() => null);
const pako = await import(new URL('node_modules/pako/dist/pako.mjs', ROOT).href).catch(() => null);
const zlib = await import('node:zlib').catch(() => null);

/** Deterministic text: sentences of words drawn with a Zipf-like skew from a 4000-word made-up vocabulary. */
export function englishText(n, seed = 1) {
  let x = seed;
  const rnd = () => { x = (Math.imul(x, 1103515245) + 12345) >>> 0; return x / 4294967296; };
  const syl = ['the', 'an', 'ing', 'er', 'con', 'de', 'ly', 'al', 'tion', 'pro', 're', 'com', 'ver', 'ment', 'sta', 'ble', 'ca', 'ter', 'ous', 'in', 'ex', 'ar', 'ise', 'ny', 'po', 'mi', 'lo', 'ra', 'ty', 'ge'];
  const vocab = [];
  for (let i = 0; i < 4000; i++) {
    let w = '';
    const k = 1 + Math.floor(rnd() * rnd() * 4);
    for (let j = 0; j < k; j++) w += syl[Math.floor(rnd() * syl.length)];
    vocab.push(w);
  }
  const word = () => vocab[Math.floor(vocab.length * rnd() ** 3)];
  let s = '';
  while (s.length < n) {
    let sentence = word();
    sentence = sentence[0].toUpperCase() + sentence.slice(1);
    const len = 5 + Math.floor(rnd() * 15);
    for (let i = 1; i < len; i++) sentence += (rnd() < 0.08 ? ', ' : ' ') + word();
    s += sentence + (rnd() < 0.1 ? '.\n\n' : '. ');
  }
  return new TextEncoder().encode(s.slice(0, n));
}

/** Deterministic JSON log lines, as a service would write them. */
export function jsonLog(n, seed = 2) {
  let x = seed;
  const rnd = (k) => { x = (Math.imul(x, 1103515245) + 12345) >>> 0; return Math.floor((x / 4294967296) * k); };
  const levels = ['info', 'info', 'info', 'debug', 'warn', 'error'];
  const paths = ['/api/v1/items', '/api/v1/users', '/api/v2/orders', '/health', '/api/v1/search', '/static/app.js'];
  const msgs = ['request completed', 'cache miss', 'user logged in', 'slow query', 'retrying upstream', 'validation failed'];
  let s = '';
  let t = 1765000000000;
  while (s.length < n) {
    t += rnd(5000);
    s += JSON.stringify({
      ts: new Date(t).toISOString(), level: levels[rnd(6)], msg: msgs[rnd(6)], method: rnd(4) ? 'GET' : 'POST',
      path: `${paths[rnd(6)]}/${rnd(100000)}`, status: [200, 200, 200, 201, 304, 404, 500][rnd(7)],
      ms: rnd(100000) / 100, user: `user${rnd(5000)}`, ip: `10.${rnd(256)}.${rnd(256)}.${rnd(256)}`,
    }) + '\n';
  }
  return new TextEncoder().encode(s.slice(0, n));
}

/** One chat-like JSON message of about 200 bytes; `i` varies its fields. */
export function smallJson(i) {
  return new TextEncoder().encode(JSON.stringify({
    type: 'message', id: 100000 + i, channel: `room-${i % 17}`, user: { id: 4000 + (i % 97), name: `user${i % 97}` },
    text: `Message number ${i} about the ${['weather', 'match', 'release', 'meeting'][i % 4]} today`, ts: 1765000000 + i * 7,
  }));
}

const inflate = zlib ? (b) => new Uint8Array(zlib.inflateRawSync(b)) : fflate ? (b) => fflate.inflateSync(b) : null;

export async function run() {
  if (!inflate) {
    print('Deflate (MB/s)', ['note'], [['skipped: neither node:zlib nor fflate loads, so outputs cannot be checked']]);
    return;
  }
  const inputs = [
    ['1 MiB text', englishText(1 << 20)],
    ['1 MiB JSON', jsonLog(1 << 20)],
    ['64 KiB text', englishText(1 << 16, 3)],
    ['200 B JSON', smallJson(1)],
  ];
  const contenders = [
    ['deflateRaw', (d) => ours.deflateRaw(d, { level: 6 })],
    ...(fflate ? [['fflate', (d) => fflate.deflateSync(d, { level: 6 })]] : []),
    ...(pako ? [['pako', (d) => pako.deflateRaw(d, { level: 6 })]] : []),
    ...(zlib ? [['node:zlib', (d) => zlib.deflateRawSync(d, { level: 6 })]] : []),
  ];
  const columns = contenders.map(([name]) => name);
  const rows = [];
  const sizes = [];
  for (const [label, data] of inputs) {
    const out = {};
    const variants = contenders.map(([name, f]) => ({
      name, fn: () => f(data),
      ok: () => { const o = f(data); out[name] = o.length; return same(inflate(o), data); },
    }));
    rows.push({ label, n: data.length, res: timeCase(variants), scale: data.length / 1e6 });
    sizes.push([label, data.length, out]);
  }
  table({
    topic: 'deflate', title: 'Deflate: one-shot raw DEFLATE at level 6 (MB/s of input)', unit: 'MB/s', columns, rows,
    ratios: [
      { label: 'ours/fflate', num: 'deflateRaw', den: 'fflate' },
      { label: 'ours/pako', num: 'deflateRaw', den: 'pako' },
      { label: 'ours/zlib', num: 'deflateRaw', den: 'node:zlib' },
    ],
    checks: [{ label: '≥1.2x fflate', num: 'deflateRaw', den: 'fflate', min: 1.2, applies: (r) => r.label === '1 MiB text' }],
    notes: ['fflate = deflateSync(data, { level: 6 }) (raw DEFLATE), pako = deflateRaw(data, { level: 6 }), node:zlib = deflateRawSync(data, { level: 6 }); every output was inflated back to its input before timing.'],
  });

  const lines = [];
  for (const [label, n, out] of sizes) {
    const cells = [label, String(n)];
    for (const name of columns) cells.push(out[name] === undefined ? '—' : `${out[name]} (${(100 * out[name] / n).toFixed(1)} %)`);
    let verdict = '—';
    if (out['node:zlib'] !== undefined && /1 MiB/.test(label)) {
      const x = out.deflateRaw / out['node:zlib'];
      verdict = check('deflate', `output ≤ 1.05x zlib level 6: ${label}`, `${x.toFixed(3)}x`, x <= 1.05);
    }
    cells.push(verdict);
    lines.push(cells);
  }
  print('Deflate: output bytes at level 6 (percent of input)', ['input', 'bytes', ...columns, 'target'], lines);

  if (!zlib) return;
  // Messages with context takeover: each one written then sync-flushed, as permessage-deflate sends it (RFC 7692 §7.2.1).
  await contextCase('200-byte JSON messages', Array.from({ length: 64 }, (_, i) => smallJson(i)), 2000);
  await contextCase('16 KiB JSON-lines messages (a chat log)', Array.from({ length: 64 }, (_, k) => chatLog(16384, k)), 100);
}

/** `size` bytes of JSON lines, one chat message a line; `k` varies them. */
export function chatLog(size, k) {
  let s = '';
  for (let i = 0; s.length < size; i++) {
    s += JSON.stringify({ id: k * 1000 + i, user: `user${(k + i) % 13}`, text: `message ${i} of ${k} about ${['cats', 'lunch', 'the build', 'the release'][(k + i) % 4]}`, ok: (k + i) % 3 === 0 }) + '\n';
  }
  return new TextEncoder().encode(s.slice(0, size));
}

/**
 * 64 messages sent in turn through one Deflater (write, then flush) against
 * a zlib stream flushed per message (as ws does): messages a second and
 * compressed bytes a message. zlib's stream is asynchronous (ws awaits each
 * flush), so it is timed by its own loop: the same clock, best of 5 runs of
 * `runs` messages.
 */
async function contextCase(what, messages, runs) {
  const total = messages.reduce((a, m) => a + m.length, 0);
  const sizes = { Deflater: 0, 'zlib stream': 0 };
  // Checked first: the 64 messages each read back in order by one zlib inflate stream.
  const okOurs = await streamCheck(messages, () => { const d = new ours.Deflater(); return async (m) => concat(d.write(m), d.flush()); }, (n) => { sizes.Deflater += n; });
  const okZlib = await streamCheck(messages, () => zlibDeflater(), (n) => { sizes['zlib stream'] += n; });
  const deflater = new ours.Deflater();
  let i = 0;
  const res = timeCase([{ name: 'Deflater', fn: () => { deflater.write(messages[i & 63]); deflater.flush(); i++; }, ok: () => okOurs }]);
  const z = zlibDeflater();
  let best = 0;
  for (let round = 0; round < 6; round++) {
    const t0 = clock.ms();
    for (let k = 0; k < runs; k++) await z(messages[k & 63]);
    const rate = runs / Math.max(clock.ms() - t0, 1e-3) * 1000;
    if (round > 0) best = Math.max(best, rate);
  }
  res['zlib stream'] = { ok: okZlib, median: best, min: best, max: best, samples: [best] };
  table({
    topic: 'deflate', title: `Deflate: ${what}, context takeover, write + sync flush (messages/s)`, unit: 'msg/s',
    columns: ['Deflater', 'zlib stream'], rows: [{ label: `${Math.round(total / 64)} B average`, res }],
    ratios: [{ label: 'ours/zlib', num: 'Deflater', den: 'zlib stream' }],
    notes: [
      `Bytes a message over the 64 (sync flush tail included): Deflater ${(sizes.Deflater / 64).toFixed(1)}, zlib stream ${(sizes['zlib stream'] / 64).toFixed(1)}.`,
      `zlib stream = createDeflateRaw({ level: 6 }): write(message), then flush(Z_SYNC_FLUSH, callback) awaited, as ws sends a compressed message (its best run of ${runs} is shown). Compression only: the issue's target counts compress + decompress, through Deflater and Inflater.`,
    ],
  });
}

function concat(a, b) {
  if (a.length === 0) return b;
  const o = new Uint8Array(a.length + b.length);
  o.set(a);
  o.set(b, a.length);
  return o;
}

/** A zlib deflate stream used as ws uses it: write, flush, collect the output in the flush callback. */
function zlibDeflater() {
  const stream = zlib.createDeflateRaw({ level: 6 });
  const chunks = [];
  stream.on('data', (c) => chunks.push(c));
  return (m) => new Promise((resolve) => {
    stream.write(m);
    stream.flush(zlib.constants.Z_SYNC_FLUSH, () => { const out = Buffer.concat(chunks); chunks.length = 0; resolve(out); });
  });
}

/** Whether each message compressed by `make()`'s function reads back, in order, through one zlib inflate stream; `count` gets each compressed size. */
async function streamCheck(messages, make, count) {
  const send = make();
  const back = zlib.createInflateRaw();
  const chunks = [];
  back.on('data', (c) => chunks.push(c));
  for (const m of messages) {
    const packed = await send(m);
    count(packed.length);
    back.write(packed);
    await new Promise((resolve) => back.flush(zlib.constants.Z_SYNC_FLUSH, resolve));
    const got = new Uint8Array(Buffer.concat(chunks));
    chunks.length = 0;
    if (!same(got, m)) return false;
  }
  back.close();
  return true;
}
