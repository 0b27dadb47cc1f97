// inflateRaw and Inflater against node:zlib's compressor (issue 15 §3): a
// corpus (text, JSON, binary, random, empty, 1 byte, 64 KiB runs) deflated
// at every window size 9-15 and every level 0-9, and with the strategies that
// force each block type (Z_FIXED: fixed codes; Z_HUFFMAN_ONLY and Z_RLE:
// dynamic codes without or with only short matches; level 0: stored), must
// inflate to the original; and Z_SYNC_FLUSH-ed messages of one deflate
// stream (what a permessage-deflate sender makes, RFC 7692 §7.2.1) must come
// back through an Inflater with context takeover, in any chunking.
import { constants, createDeflateRaw, deflateRawSync, inflateRawSync } from 'node:zlib';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Inflater, inflateRaw } from '../../dist/permessage-deflate.js';
import { bytesEqual, concat, prng, utf8 } from '../_util.mjs';

const test = suite('inflate-zlib');
const { Z_FIXED, Z_HUFFMAN_ONLY, Z_RLE, Z_FILTERED, Z_SYNC_FLUSH, Z_FULL_FLUSH } = constants;

/** English-like text: words of a small invented vocabulary, in sentences. */
function prose(n, seed) {
  const r = prng(seed);
  const syl = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo', 'an', 'el', 'is', 'or', 'th', 'er', 'qu', 'st'];
  const words = Array.from({ length: 600 }, () => Array.from({ length: 1 + r.int(4) }, () => syl[r.int(syl.length)]).join(''));
  let s = '';
  while (s.length < n) s += words[Math.floor(600 * (r.next() / 2 ** 32) ** 2)] + (r.int(12) === 0 ? '. ' : r.int(15) === 0 ? ', ' : ' ');
  return utf8(s.slice(0, n));
}

function json(n, seed) {
  const r = prng(seed);
  let s = '';
  while (s.length < n) s += JSON.stringify({ id: r.int(1e6), user: `user${r.int(500)}`, tags: ['a', 'b', 'c'].slice(r.int(3)), score: r.int(10000) / 100, ok: r.int(2) === 1 }) + '\n';
  return utf8(s.slice(0, n));
}

/** Binary with structure: little-endian records with small deltas, as a game state or sensor log. */
function binary(n, seed) {
  const r = prng(seed);
  const out = new Uint8Array(n);
  let v = 1000;
  for (let i = 0; i + 8 <= n; i += 8) {
    v += r.int(21) - 10;
    out[i] = v & 255; out[i + 1] = v >> 8 & 255; out[i + 2] = i >> 3 & 255; out[i + 3] = r.int(4);
    out[i + 4] = 0; out[i + 5] = 0; out[i + 6] = 0x80; out[i + 7] = r.int(256);
  }
  return out;
}

const CORPUS = [
  ['text', prose(100000, 1)],
  ['JSON', json(80000, 2)],
  ['binary', binary(50000, 3)],
  ['random', prng(4).bytes(20000)],
  ['empty', new Uint8Array(0)],
  ['1 byte', Uint8Array.of(0x41)],
  ['64 KiB of zeros', new Uint8Array(65536)],
  ['64 KiB of "ab"', utf8('ab'.repeat(32768))],
  ['text then random then text', concat(prose(20000, 5), prng(6).bytes(5000), prose(20000, 5))],
];

function check(name, data, options, inflateOptions) {
  const packed = deflateRawSync(data, options);
  let out;
  try {
    out = inflateRaw(packed, inflateOptions);
  } catch (e) {
    assert.unreachable(`${name} ${JSON.stringify(options)}: ${e.message}`);
  }
  bytesEqual(out, data, `${name} ${JSON.stringify(options)}`);
}

test('every window size 9-15 and every level 0-9 (default strategy), inflated with the same window', () => {
  let n = 0;
  for (const [name, data] of CORPUS) {
    for (let windowBits = 9; windowBits <= 15; windowBits++) {
      for (let level = 0; level <= 9; level++) { check(name, data, { windowBits, level }, { windowBits }); n++; }
    }
  }
  assert.is(n, CORPUS.length * 70);
});

test('strategies Z_FIXED, Z_HUFFMAN_ONLY, Z_RLE, Z_FILTERED at levels 1, 6, 9, windows 9 and 15, memLevel 1 and 9', () => {
  for (const [name, data] of CORPUS) {
    for (const strategy of [Z_FIXED, Z_HUFFMAN_ONLY, Z_RLE, Z_FILTERED]) {
      for (const level of [1, 6, 9]) {
        for (const windowBits of [9, 15]) {
          for (const memLevel of [1, 9]) check(name, data, { strategy, level, windowBits, memLevel }, { windowBits });
        }
      }
    }
  }
});

test('the block types are all there: stored (level 0), fixed (Z_FIXED), dynamic (level 9)', () => {
  const data = CORPUS[0][1];
  const btype = (options) => (deflateRawSync(data, options)[0] >> 1) & 3;
  assert.is(btype({ level: 0 }), 0);
  assert.is(btype({ strategy: Z_FIXED }), 1);
  assert.is(btype({ level: 9 }), 2);
});

test('a window of 15 reads any smaller window; a window smaller than the stream\'s is refused', () => {
  const data = CORPUS[0][1];
  for (let w = 9; w <= 15; w++) bytesEqual(inflateRaw(deflateRawSync(data, { windowBits: w })), data, `window ${w}`);
  // zlib raises a raw window of 8 to 9, but it keeps 262 bytes of lookahead in its window, so it
  // never reaches back more than 2^9 - 262 = 250 bytes: a window of 8 reads it.
  bytesEqual(inflateRaw(deflateRawSync(data, { windowBits: 8 }), { windowBits: 8 }), data);
  // A window of 10 reaches back up to 762 bytes: windowBits 9 refuses what goes past 512.
  assert.throws(() => inflateRaw(deflateRawSync(data, { windowBits: 10 }), { windowBits: 9 }), (e) => e.constructor === Error && /too far back \(\d+ bytes, the window is 512\)/.test(e.message));
});

test('outputs equal zlib inflateRawSync on every stream of the corpus at level 6', () => {
  for (const [name, data] of CORPUS) {
    const packed = deflateRawSync(data);
    bytesEqual(inflateRaw(packed), new Uint8Array(inflateRawSync(packed)), name);
  }
});

/** Deflates `messages` through one zlib stream, each ended by `flush`: what a permessage-deflate sender sends (tails kept). */
async function deflateMessages(messages, options, flush = Z_SYNC_FLUSH) {
  const deflate = createDeflateRaw(options);
  // Read as it comes, as ws does: an unread stream stops at its highWaterMark and the flush never completes.
  let parts = [];
  deflate.on('data', (b) => parts.push(b));
  const out = [];
  for (const m of messages) {
    deflate.write(m);
    out.push(await new Promise((resolve) => deflate.flush(flush, () => {
      resolve(new Uint8Array(Buffer.concat(parts)));
      parts = [];
    })));
  }
  deflate.close();
  return out;
}

const strip = (m) => {
  assert.is(Buffer.from(m.subarray(m.length - 4)).toString('hex'), '0000ffff');
  return m.subarray(0, m.length - 4);
};

/** 60 messages of 0-3000 bytes: JSON, prose, binary, repeats of earlier messages (context takeover pays). */
function messageSet(seed) {
  const r = prng(seed);
  const out = [];
  for (let i = 0; i < 60; i++) {
    const k = r.int(5);
    const n = r.int(3000);
    out.push(k === 0 ? json(n, seed + i) : k === 1 ? prose(n, seed + i) : k === 2 ? binary(n, seed + i) : k === 3 && out.length ? out[r.int(out.length)] : new Uint8Array(0));
  }
  return out;
}

test('Z_SYNC_FLUSH-ed messages through one Inflater, context kept, chunked at random', async () => {
  const r = prng(77);
  for (const windowBits of [9, 10, 12, 15]) {
    for (const level of [0, 1, 6, 9]) {
      const messages = messageSet(windowBits * 10 + level);
      const packed = await deflateMessages(messages, { windowBits, level });
      const inflater = new Inflater({ windowBits });
      for (let i = 0; i < messages.length; i++) {
        const body = strip(packed[i]);
        const parts = [];
        for (let at = 0; at < body.length;) {
          const step = 1 + r.int(r.int(2) ? 8 : 700);
          parts.push(inflater.write(body.subarray(at, at + step)));
          at += step;
        }
        parts.push(inflater.endMessage());
        bytesEqual(concat(...parts), messages[i], `window ${windowBits}, level ${level}, message ${i}`);
      }
    }
  }
});

test('three Inflaters on three message streams, their writes interleaved at random', async () => {
  const r = prng(78);
  const sets = [messageSet(21), messageSet(22), messageSet(23)];
  const packed = await Promise.all(sets.map((m, i) => deflateMessages(m, { level: [1, 6, 9][i], windowBits: 15 })));
  const inflaters = sets.map(() => new Inflater());
  // Each stream's pieces in order, the streams' pieces shuffled together.
  const queue = [];
  sets.forEach((m, s) => m.forEach((_, i) => {
    const body = strip(packed[s][i]);
    for (let at = 0; at < body.length;) { const n = 1 + r.int(200); queue.push([s, i, body.subarray(at, at + n)]); at += n; }
    queue.push([s, i, null]);
  }));
  const heads = sets.map(() => 0);
  const byStream = sets.map((_, s) => queue.filter((q) => q[0] === s));
  const out = sets.map((m) => m.map(() => []));
  while (heads.some((h, s) => h < byStream[s].length)) {
    const s = r.int(3);
    if (heads[s] === byStream[s].length) continue;
    const [, i, piece] = byStream[s][heads[s]++];
    out[s][i].push(piece === null ? inflaters[s].endMessage() : inflaters[s].write(piece));
  }
  sets.forEach((m, s) => m.forEach((plain, i) => bytesEqual(concat(...out[s][i]), plain, `stream ${s}, message ${i}`)));
});

test('Z_FULL_FLUSH-ed messages, and an Inflater per message after reset() (no context takeover)', async () => {
  const messages = messageSet(5);
  const full = await deflateMessages(messages, { level: 6 }, Z_FULL_FLUSH);
  const inflater = new Inflater();
  for (let i = 0; i < messages.length; i++) {
    bytesEqual(concat(inflater.write(strip(full[i])), inflater.endMessage()), messages[i], `message ${i}`);
  }
  for (let i = 0; i < messages.length; i++) {
    const [alone] = await deflateMessages([messages[i]], { level: 6 });
    inflater.reset();
    bytesEqual(concat(inflater.write(strip(alone)), inflater.endMessage()), messages[i], `message ${i} alone`);
  }
});

test('a 2 MiB message through an Inflater in 64 KiB writes: each write returns its output, none held back', async () => {
  const big = concat(prose(1 << 20, 9), json(1 << 20, 10));
  const [packed] = await deflateMessages([big], { level: 6 });
  const body = strip(packed);
  const inflater = new Inflater();
  const parts = [];
  let most = 0;
  for (let at = 0; at < body.length; at += 65536) {
    const out = inflater.write(body.subarray(at, at + 65536));
    most = Math.max(most, out.length);
    parts.push(out);
  }
  parts.push(inflater.endMessage());
  // Every write's output is bounded by what its input can expand to (RFC 1951 caps a match at 258 bytes).
  assert.ok(most <= 65536 * 1032 && most > 0);
  assert.ok(parts.filter((p) => p.length > 0).length > body.length / 65536 - 1, 'output arrives with each write');
  bytesEqual(concat(...parts), big);
});

test('maxOutputLength per message against the true sizes zlib made', async () => {
  const messages = messageSet(11).filter((m) => m.length > 0);
  const packed = await deflateMessages(messages, { level: 6 });
  const limit = 1500;
  const inflater = new Inflater({ maxOutputLength: limit });
  for (let i = 0; i < messages.length; i++) {
    const body = strip(packed[i]);
    if (messages[i].length <= limit) {
      bytesEqual(concat(inflater.write(body), inflater.endMessage()), messages[i], `message ${i}`);
      continue;
    }
    assert.throws(() => { inflater.write(body); inflater.endMessage(); }, (e) => e instanceof RangeError && /maxOutputLength \(1500 bytes\)/.test(e.message), `message ${i}`);
    // The context is lost with the failed message: a new one starts after reset() (the extension closes with 1009 instead).
    break;
  }
});

test.run();
