// Topic: raw DEFLATE decompression (RFC 1951; issue 15 §4): our inflateRaw
// against fflate's inflateSync, pako's inflateRaw and node:zlib's
// inflateRawSync (where the runtime has node:zlib), on 1 MiB of English-like
// text, 1 MiB of JSON log lines, 64 KiB of text and 200-byte JSON messages.
// Every input is compressed once by pako at level 6 (zlib's algorithm, so the
// same streams in every runtime), and every variant's output is checked
// against the original before it is timed.
import { same, table, timeCase } from './_harness.mjs';

const ours = await import(new URL(globalThis.process?.env.BENCH_INFLATE ?? '../dist/permessage-deflate.js', import.meta.url).href);
const fflate = await import('fflate');
const pako = await import('pako');
const zlib = await import('node:zlib').then((m) => (typeof m.inflateRawSync === 'function' ? m : null), () => null);

/** A small seeded generator (xorshift32), so that every run times the same inputs. */
function rng(seed) {
  let x = seed | 0 || 1;
  return () => { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; return (x >>> 0) / 4294967296; };
}

/**
 * English-like text: 4,000 invented words of 1-4 syllables, drawn with a
 * Zipf-like skew (frequent short words, a long tail), in sentences and
 * paragraphs with punctuation and numbers. Compresses about 2.3:1 at level 6,
 * near real prose (2.5-3:1; a handful of repeated words would compress 50:1 and
 * time little but match copies).
 */
export function englishText(n, seed = 1) {
  const r = rng(seed);
  const SYL = ['th', 'e', 'an', 'in', 'er', 're', 'on', 'at', 'en', 'nd', 'ti', 'es', 'or', 'te', 'of', 'ed', 'is', 'it', 'al', 'ar', 'st', 'to', 'nt', 'ng', 'se', 'ha', 'as', 'ou', 'io', 'le', 've', 'co', 'me', 'de', 'hi', 'ri', 'ro', 'ic', 'ne', 'ea', 'ra', 'ce', 'li', 'ch', 'll', 'be', 'ma', 'si', 'om', 'ur', 'ca', 'el', 'ta', 'la', 'ns', 'di', 'fo', 'ho', 'pe', 'ec', 'pr', 'no', 'ct', 'us', 'ac', 'ot', 'il', 'tr', 'ly', 'nc', 'et', 'ut', 'ss', 'so', 'rs', 'un', 'lo', 'wa', 'ge', 'ie', 'wh', 'ee', 'wi', 'em', 'ad', 'ol', 'rt', 'po', 'we', 'na', 'ul', 'ni', 'ts', 'mo', 'ow', 'pa', 'im', 'mi', 'ai', 'sh'];
  const words = [];
  for (let i = 0; i < 4000; i++) {
    const k = 1 + Math.floor(r() * r() * 4.5);
    let w = '';
    for (let j = 0; j < k; j++) w += SYL[Math.floor(r() * SYL.length)];
    words.push(w);
  }
  const word = () => words[Math.floor(4000 * r() ** 3)];
  let s = '';
  while (s.length < n) {
    const len = 5 + Math.floor(r() * 20);
    let sentence = word();
    sentence = sentence[0].toUpperCase() + sentence.slice(1);
    for (let i = 1; i < len; i++) {
      const q = r();
      sentence += q < 0.08 ? ', ' + word() : q < 0.1 ? ' ' + Math.floor(r() * 2000) : ' ' + word();
    }
    s += sentence + (r() < 0.1 ? '?' : '.') + (r() < 0.15 ? '\n\n' : ' ');
  }
  return new TextEncoder().encode(s.slice(0, n));
}

/** JSON log lines, one object per line, as a service would write them. */
export function jsonLog(n, seed = 2) {
  const r = rng(seed);
  const pick = (a) => a[Math.floor(r() * a.length)];
  const paths = ['/api/v1/users', '/api/v1/items', '/api/v1/orders', '/health', '/api/v2/search', '/static/app.js', '/login'];
  const agents = ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36', 'curl/8.4.0', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) Safari/605.1.15', 'okhttp/4.12.0'];
  let s = '';
  let t = Date.UTC(2026, 0, 1);
  while (s.length < n) {
    t += Math.floor(r() * 5000);
    s += JSON.stringify({
      ts: new Date(t).toISOString(), level: pick(['info', 'info', 'info', 'warn', 'error', 'debug']),
      method: pick(['GET', 'GET', 'POST', 'PUT', 'DELETE']), path: `${pick(paths)}/${Math.floor(r() * 100000)}`,
      status: pick([200, 200, 200, 201, 204, 304, 400, 404, 500]), ms: Math.round(r() * 50000) / 100,
      user: r() < 0.8 ? `u${Math.floor(r() * 5000)}` : null, ip: `10.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}`,
      agent: pick(agents), bytes: Math.floor(r() * 1e6), trace: Math.floor(r() * 2 ** 32).toString(16).padStart(8, '0'),
    }) + '\n';
  }
  return new TextEncoder().encode(s.slice(0, n));
}

/** 64 distinct small JSON messages of about 200 bytes, as a chat or game server sends. */
export function smallMessages(seed = 3) {
  const r = rng(seed);
  const out = [];
  for (let i = 0; i < 64; i++) {
    const m = JSON.stringify({
      type: ['message', 'presence', 'typing', 'update'][i & 3], id: Math.floor(r() * 1e9), room: `room-${Math.floor(r() * 50)}`,
      from: { id: Math.floor(r() * 1e5), name: ['alice', 'bob', 'carol', 'dave', 'erin'][Math.floor(r() * 5)] },
      text: englishText(40 + Math.floor(r() * 40), i + 10).reduce((a, b) => a + String.fromCharCode(b), ''), ts: 1765000000000 + i * 1000,
    });
    out.push(new TextEncoder().encode(m));
  }
  return out;
}

const compress = (data) => pako.deflateRaw(data, { level: 6 });

/** The variants of one input: each decompresses `packed[i]` (cycling) and must give `plain[i]`. */
function variants(plain, packed) {
  let i = 0;
  const k = packed.length - 1;
  const v = (name, f) => ({ name, fn: () => f(packed[i++ & k]), ok: () => packed.every((c, j) => same(f(c), plain[j])) });
  const list = [
    v('inflateRaw', (c) => ours.inflateRaw(c)),
    v('fflate', (c) => fflate.inflateSync(c)),
    v('pako', (c) => pako.inflateRaw(c)),
  ];
  if (zlib) list.push(v('node:zlib', (c) => zlib.inflateRawSync(c)));
  return list;
}

/**
 * The 64 small messages through one compressor with a sync flush after each
 * (RFC 7692 §7.2.1, what a permessage-deflate sender with context takeover
 * sends), tails stripped; pako makes them in every runtime.
 */
function streamMessages(plain) {
  const deflate = new pako.Deflate({ raw: true, level: 6 });
  let parts = [];
  deflate.onData = (chunk) => parts.push(chunk);
  return plain.map((m) => {
    deflate.push(m, 2); // Z_SYNC_FLUSH
    const all = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
    let o = 0;
    for (const p of parts) { all.set(p, o); o += p.length; }
    parts = [];
    return all.subarray(0, all.length - 4);
  });
}

const TAIL = Uint8Array.of(0, 0, 0xff, 0xff);

/**
 * Each decoder takes the messages of one stream in order, keeping its window
 * (the whole cycle of 64 again and again: no message reaches back before the
 * first of its cycle, so every pass decodes alike).
 */
function streamVariants(plain, packed) {
  const k = packed.length;
  const make = (name, open) => {
    let next = open(), i = 0;
    return {
      name,
      fn: () => { next(packed[i]); i = (i + 1) % k; },
      ok: () => { const fresh = open(); return packed.every((c, j) => same(fresh(c), plain[j])); },
    };
  };
  const join = (parts) => {
    if (parts.length === 1) return parts[0];
    const all = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
    let o = 0;
    for (const p of parts) { all.set(p, o); o += p.length; }
    return all;
  };
  return [
    make('Inflater', () => { const inf = new ours.Inflater(); return (c) => join([inf.write(c), inf.endMessage()]); }),
    make('fflate Inflate', () => {
      const inf = new fflate.Inflate();
      let got = [];
      inf.ondata = (d) => got.push(d);
      return (c) => { got = []; inf.push(c); inf.push(TAIL); return join(got); };
    }),
    make('pako Inflate', () => {
      const inf = new pako.Inflate({ raw: true });
      let got = [];
      inf.onData = (d) => got.push(d);
      return (c) => { got = []; inf.push(c, 2); inf.push(TAIL, 2); return join(got); };
    }),
  ];
}

export async function run() {
  const text = englishText(1 << 20), json = jsonLog(1 << 20), small = smallMessages();
  const cases = [
    ['1 MiB text', [text]],
    ['1 MiB JSON', [json]],
    ['64 KiB text', [text.subarray(0, 65536)]],
    ['200 B JSON', small],
  ];
  const rows = [];
  for (const [label, plain] of cases) {
    const packed = plain.map(compress);
    const size = plain.reduce((a, p) => a + p.length, 0) / plain.length;
    const zip = packed.reduce((a, p) => a + p.length, 0) / packed.length;
    rows.push({ label: `${label} (${(size / zip).toFixed(1)}:1)`, res: timeCase(variants(plain, packed)), scale: size / 1e6, text: label === '1 MiB text' });
  }
  const columns = ['inflateRaw', 'fflate', 'pako', ...(zlib ? ['node:zlib'] : [])];
  table({
    topic: 'inflate', title: 'Raw inflate (MB/s of output)', unit: 'MB/s', columns, rows,
    ratios: [
      { label: 'ours/fflate', num: 'inflateRaw', den: 'fflate' },
      { label: 'ours/pako', num: 'inflateRaw', den: 'pako' },
      ...(zlib ? [{ label: 'ours/zlib', num: 'inflateRaw', den: 'node:zlib' }] : []),
    ],
    checks: [
      { label: '≥1.5x fflate', num: 'inflateRaw', den: 'fflate', min: 1.5, applies: (r) => r.text },
      ...(zlib ? [{ label: '≥0.4x node:zlib', num: 'inflateRaw', den: 'node:zlib', min: 0.4, applies: (r) => r.text }] : []),
    ],
    notes: [
      'Inputs compressed by pako.deflateRaw at level 6 (ratios in the first column); 200 B JSON cycles through 64 distinct messages, each a stream of its own. fflate = inflateSync, pako = inflateRaw, node:zlib = inflateRawSync (native zlib, one call per stream).',
    ],
  });

  const packed = streamMessages(small);
  const size = small.reduce((a, p) => a + p.length, 0) / small.length;
  const zip = packed.reduce((a, p) => a + p.length, 0) / packed.length;
  table({
    topic: 'inflate', title: 'Inflate of 200-byte messages in one stream, context takeover (messages/s)', unit: 'msg/s',
    columns: ['Inflater', 'fflate Inflate', 'pako Inflate'],
    rows: [{ label: `200 B JSON (${(size / zip).toFixed(1)}:1)`, res: timeCase(streamVariants(small, packed)) }],
    ratios: [{ label: 'ours/fflate', num: 'Inflater', den: 'fflate Inflate' }, { label: 'ours/pako', num: 'Inflater', den: 'pako Inflate' }],
    notes: ['One message = its compressed bytes and the 00 00 ff ff tail (RFC 7692 §7.2.2) through a streaming decoder that keeps its window; the messages were deflated by one pako stream with a sync flush after each. node:zlib\'s streaming API is asynchronous, so it is not timed here (the round trip through Deflater and Inflater against it is the extension\'s benchmark).'],
  });
}
