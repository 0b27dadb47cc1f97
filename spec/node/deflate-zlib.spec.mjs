// Node-only: our DEFLATE output read back by node:zlib (RFC 1951; RFC 7692
// §7.2.1), one-shot with inflateRawSync and message by message through one
// createInflateRaw stream, on a corpus of text, JSON, source, binary, random
// bytes and runs, at every level and window size; the output size against
// zlib's at level 6 (at most 5 % larger on text and JSON); and the block types.
import { readFileSync, readdirSync } from 'node:fs';
import { constants, createInflateRaw, deflateRawSync, inflateRawSync } from 'node:zlib';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Deflater, deflateRaw } from '../../dist/permessage-deflate.js';
import { englishText, jsonLog, smallJson } from '../../bench/deflate.mjs';
import { prng } from '../_util.mjs';

const test = suite('deflate-zlib');
const ROOT = new URL('../../', import.meta.url);
const buf = (u8) => Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);
const r = prng(1507);

/** This repository's own prose and code: real text. */
const readme = new Uint8Array(readFileSync(new URL('README.md', ROOT)));
const sources = new Uint8Array(Buffer.concat(readdirSync(new URL('lib/', ROOT), { recursive: true }).filter((f) => f.endsWith('.ts')).sort().map((f) => readFileSync(new URL(`lib/${f}`, ROOT)))));

const CORPUS = [
  ['empty', new Uint8Array(0)],
  ['1 byte', Uint8Array.of(0x41)],
  ['2 bytes', Uint8Array.of(0, 0)],
  ['3 bytes', Uint8Array.of(1, 2, 3)],
  ['"Hello"', new TextEncoder().encode('Hello')],
  ['200 B JSON', smallJson(7)],
  ['64 KiB of one byte', new Uint8Array(65536).fill(0x61)],
  ['64 KiB of zeros and then ones', new Uint8Array(131072).fill(1, 65536)],
  ['a 4-byte pattern, 100 KiB', new Uint8Array(102400).map((_, i) => [1, 2, 3, 4][i & 3])],
  ['random, 1000 B', r.bytes(1000)],
  ['random, 100 KiB', r.bytes(102400)],
  ['text, 300 KiB', englishText(300 * 1024, 5)],
  ['JSON log, 300 KiB', jsonLog(300 * 1024, 6)],
  ['README.md', readme],
  ['lib/ sources', sources],
  ['binary: random with runs', (() => { const b = r.bytes(80000); for (let i = 0; i < b.length; i += 1 + r.int(400)) b.fill(r.int(4), i, Math.min(b.length, i + r.int(300))); return b; })()],
  ['binary: sparse (a float table)', new Uint8Array(new Float64Array(20000).map((_, i) => Math.round(Math.sin(i / 50) * 1000) / 8).buffer)],
];

test('inflateRawSync reads back every input of the corpus at the default settings', () => {
  for (const [label, data] of CORPUS) assert.ok(inflateRawSync(deflateRaw(data)).equals(buf(data)), label);
});

test('every level 0-9 round-trips the corpus through zlib', () => {
  for (let level = 0; level <= 9; level++) {
    for (const [label, data] of CORPUS) assert.ok(inflateRawSync(deflateRaw(data, { level })).equals(buf(data)), `level ${level}: ${label}`);
  }
});

test('every windowBits 8-15 round-trips the corpus through zlib inflating with the same window', () => {
  for (let windowBits = 8; windowBits <= 15; windowBits++) {
    for (const [label, data] of CORPUS) {
      for (const level of [1, 6, 9]) {
        assert.ok(inflateRawSync(deflateRaw(data, { level, windowBits }), { windowBits }).equals(buf(data)), `windowBits ${windowBits}, level ${level}: ${label}`);
      }
    }
  }
});

/**
 * A zlib inflate stream read as ws reads permessage-deflate: write a
 * message's bytes, flush, and collect what came out by the flush callback.
 */
function zlibInflater(windowBits = 15) {
  const stream = createInflateRaw({ windowBits });
  const chunks = [];
  stream.on('data', (c) => chunks.push(c));
  return {
    async push(bytes) {
      stream.write(buf(bytes));
      await new Promise((resolve, reject) => {
        stream.once('error', reject);
        stream.flush(constants.Z_SYNC_FLUSH, () => { stream.off('error', reject); resolve(); });
      });
      const out = Buffer.concat(chunks);
      chunks.length = 0;
      return out;
    },
    close() { stream.close(); },
  };
}

test('a Deflater with context takeover: 100 messages, each flush()ed, read back in order by one zlib stream', async () => {
  for (const [level, windowBits] of [[6, 15], [1, 15], [9, 15], [0, 15], [6, 8], [6, 10], [4, 9]]) {
    const d = new Deflater({ level, windowBits });
    const back = zlibInflater(windowBits);
    let sent = 0, raw = 0;
    for (let i = 0; i < 100; i++) {
      const msg = i % 10 === 9 ? englishText(3000 + i * 50, i) : smallJson(i);
      const out = Buffer.concat([d.write(msg), d.flush()].map(buf));
      assert.ok(out.subarray(-4).equals(Buffer.from([0, 0, 0xff, 0xff])), `message ${i}: the sync flush tail`);
      assert.ok((await back.push(out)).equals(buf(msg)), `level ${level}, windowBits ${windowBits}: message ${i}`);
      sent += out.length;
      raw += msg.length;
    }
    back.close();
    if (level !== 0) assert.ok(sent < raw / 2, `level ${level}: ${sent} bytes for ${raw}`);
  }
});

test('context takeover pays: the same messages compress smaller with the window kept than with reset() after each', () => {
  const sizes = [false, true].map((reset) => {
    const d = new Deflater();
    let n = 0;
    for (let i = 0; i < 100; i++) {
      d.write(smallJson(i));
      n += d.flush().length;
      if (reset) d.reset();
    }
    return n;
  });
  assert.ok(sizes[0] < sizes[1] * 0.7, `kept ${sizes[0]}, reset ${sizes[1]}`);
});

test('reset() between messages: each one reads back through a fresh zlib stream (no context takeover)', () => {
  const d = new Deflater();
  for (let i = 0; i < 30; i++) {
    const msg = smallJson(i);
    d.write(msg);
    const out = d.flush();
    d.reset();
    // A fresh inflater with the tail completed into a final block, as one-shot zlib reads a message.
    assert.ok(inflateRawSync(Buffer.concat([buf(out), Buffer.from([1, 0, 0, 0xff, 0xff])])).equals(buf(msg)), `message ${i}`);
  }
});

test('write() in many chunks: one message of 1 MiB in pieces of 1 B to 100 KiB, the output read back by a zlib stream', async () => {
  const data = Buffer.concat([buf(englishText(600000, 9)), buf(r.bytes(100000)), buf(jsonLog(348576, 10))]);
  const d = new Deflater();
  const back = zlibInflater();
  const got = [];
  let early = 0;
  for (let at = 0; at < data.length;) {
    const n = Math.min(data.length - at, r.int(3) === 0 ? 1 + r.int(10) : 1 + r.int(100000));
    const out = d.write(data.subarray(at, at + n));
    early += out.length;
    if (out.length) got.push(await back.push(out));
    at += n;
  }
  got.push(await back.push(d.flush()));
  back.close();
  assert.ok(Buffer.concat(got).equals(data));
  assert.ok(early > 0, 'write() returns output before the flush on a long message');
});

test('level 6 output is at most 5 % larger than zlib level 6 on text and JSON', () => {
  const cases = [['text, 1 MiB', englishText(1 << 20)], ['JSON log, 1 MiB', jsonLog(1 << 20)], ['README.md', readme], ['lib/ sources', sources], ['200 B JSON', smallJson(3)]];
  for (const [label, data] of cases) {
    const ours = deflateRaw(data, { level: 6 }).length, theirs = deflateRawSync(data, { level: 6 }).length;
    assert.ok(ours <= theirs * 1.05, `${label}: ${ours} bytes against zlib's ${theirs} (${(ours / theirs).toFixed(3)}x)`);
  }
});

test('every level stays within 5 % of zlib at the same level on text and JSON, and level 9 is smaller than level 1', () => {
  for (const data of [englishText(200000, 4), jsonLog(200000, 4)]) {
    const sizes = [];
    for (let level = 1; level <= 9; level++) {
      const ours = deflateRaw(data, { level }).length, theirs = deflateRawSync(data, { level }).length;
      sizes.push(ours);
      assert.ok(ours <= theirs * 1.05, `level ${level}: ${ours} against ${theirs}`);
    }
    assert.ok(sizes[8] < sizes[0] * 0.95, String(sizes));
  }
});

test('incompressible input goes in stored blocks: 5 bytes per block over the input, no more than zlib', () => {
  const data = r.bytes(300000);
  for (const level of [1, 6, 9]) {
    const out = deflateRaw(data, { level });
    assert.ok(out.length <= deflateRawSync(data, { level }).length && out.length < data.length + 100, `level ${level}: ${out.length}`);
  }
});

/** The first block header's 3 bits (RFC 1951 §3.2.3): BFINAL then BTYPE. */
const firstType = (bytes) => (bytes[0] >> 1) & 3;

test('every block type is written: stored for random data, fixed for tiny input, dynamic for text', () => {
  assert.is(firstType(deflateRaw(r.bytes(4000))), 0, 'random: stored');
  assert.is(firstType(deflateRaw(new TextEncoder().encode('Hello'))), 1, 'tiny: fixed');
  assert.is(firstType(deflateRaw(englishText(4000))), 2, 'text: dynamic');
  const d = new Deflater();
  d.write(new TextEncoder().encode('{"ok":true}'));
  assert.is(firstType(d.flush()), 1, 'a tiny message: fixed');
  // Over half a window, write() already sends a block: the message's first block is then its output.
  assert.is(firstType(d.write(englishText(20000))), 2, 'a longer one: dynamic');
  d.flush();
  assert.is(firstType(d.write(r.bytes(20000))), 0, 'random bytes: stored');
});

test('8 MiB of zeros in 64 KiB writes: output as it goes, under 20 KiB in all, read back in full', async () => {
  const d = new Deflater();
  const zero = new Uint8Array(65536);
  let n = 0;
  const back = zlibInflater();
  let total = 0;
  for (let i = 0; i < 128; i++) { const out = d.write(zero); n += out.length; if (out.length) total += (await back.push(out)).length; }
  const last = d.flush();
  total += (await back.push(last)).length;
  back.close();
  n += last.length;
  assert.is(total, 128 * 65536);
  assert.ok(n < 20000, `${n} bytes`);
});

/** Seeded inputs with copies at near and far distances over small and large alphabets, or random bytes. */
function mixed(rnd, n) {
  const kind = rnd.int(5), out = new Uint8Array(n);
  if (kind === 0) return rnd.bytes(n);
  const alpha = 1 + rnd.int(kind === 1 ? 3 : 40);
  for (let i = 0; i < n; i++) {
    if (i > 10 && rnd.int(4) === 0) {
      const d = 1 + rnd.int(Math.min(i, rnd.int(2) ? 300 : 40000));
      for (let k = Math.min(n - i, 3 + rnd.int(300)); k > 0; k--, i++) out[i] = out[i - d];
      i--;
    } else out[i] = 97 + rnd.int(alpha);
  }
  return out;
}

test('seeded mixtures: 150 inputs at random levels and windows, one-shot and as messages in random chunks with random resets', () => {
  const rnd = prng(4242);
  for (let t = 0; t < 150; t++) {
    const level = rnd.int(10), windowBits = 8 + rnd.int(8);
    const data = mixed(rnd, rnd.int(4) === 0 ? rnd.int(200000) : rnd.int(3000));
    assert.ok(inflateRawSync(deflateRaw(data, { level, windowBits }), { windowBits }).equals(buf(data)), `case ${t}: one-shot, level ${level}, windowBits ${windowBits}`);
    const d = new Deflater({ level, windowBits });
    const msgs = Array.from({ length: 1 + rnd.int(6) }, () => mixed(rnd, rnd.int(3) ? rnd.int(500) : rnd.int(70000)));
    const parts = [];
    for (const m of msgs) {
      for (let i = 0; i < m.length;) { const k = 1 + rnd.int(rnd.int(2) ? 20 : 70000); parts.push(buf(d.write(m.subarray(i, i + k)))); i += k; }
      parts.push(buf(d.flush()));
      if (rnd.int(5) === 0) d.reset();
    }
    // The messages end in sync flushes: an empty final block (03 00) closes the stream for a one-shot inflate.
    const joined = Buffer.concat([...parts, Buffer.from([3, 0])]);
    assert.ok(inflateRawSync(joined, { windowBits }).equals(Buffer.concat(msgs.map(buf))), `case ${t}: messages, level ${level}, windowBits ${windowBits}`);
  }
});

test('a Deflater holds no buffers before its first write, grows with the stream, and shrinks back between small messages to the bytes its JSDoc states per windowBits', () => {
  const AFTER_200 = { 15: 11, 14: 11, 13: 7, 12: 5, 11: 4, 10: 3.5, 9: 2.5, 8: 2 };
  // After 5000-byte messages the buffer keeps half a window of input room (4 KiB at least); one small message later, 4 KiB.
  const BIG = { 15: 120, 14: 64, 13: 32, 12: 18, 11: 11, 10: 7.5, 9: 6, 8: 5.25 };
  const REST = { 15: 108, 14: 60, 13: 32, 12: 18, 11: 11, 10: 7.5, 9: 6, 8: 5.25 };
  for (const wb of Object.keys(BIG)) {
    const d = new Deflater({ windowBits: Number(wb) });
    // The engine is private to TypeScript only: its typed arrays are what an instance keeps.
    const held = () => ['win', 'head', 'prev'].reduce((n, k) => n + d._engine[k].byteLength, 0);
    assert.is(held(), 0, `windowBits ${wb} before a write`);
    d.write(englishText(200, 1));
    d.flush();
    assert.is(held(), AFTER_200[wb] * 1024, `windowBits ${wb} after 200 bytes`);
    for (let i = 0; i < 20; i++) { d.write(englishText(5000, i)); d.flush(); }
    assert.is(held(), BIG[wb] * 1024, `windowBits ${wb} after 100 KB`);
    d.write(englishText(200, 2));
    d.flush();
    assert.is(held(), REST[wb] * 1024, `windowBits ${wb} after a small message`);
  }
});

test.run();
