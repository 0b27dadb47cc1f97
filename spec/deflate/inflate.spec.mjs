// inflateRaw and Inflater (RFC 1951 raw DEFLATE; RFC 7692 §7.2.2 messages):
// the RFC 7692 §7.2.3 examples byte for byte, every split point of chunked
// messages, window 8 honoured, the decoder's strictness rules (each a stream
// built here bit by bit), maxOutputLength enforced while inflating, and the
// argument checks. Cross-runtime: no node: modules (the zlib cross-checks are
// in spec/node/inflate-zlib.spec.mjs).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Inflater, inflateRaw } from '../../dist/permessage-deflate.js';
import { atOffset, bytesEqual, concat, expectThrow, hex, utf8 } from '../_util.mjs';

const test = suite('inflate');
const text = (bytes) => new TextDecoder().decode(bytes);

// ---------------------------------------------------------------------------
// A DEFLATE writer of our own for the specs, independent of lib/: RFC 1951's
// tables and canonical codes, written out from §3.2.2-§3.2.7.

const LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
const ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/** Bits, least significant first (RFC 1951 §3.1.1). */
class Bits {
  constructor() { this.bytes = []; this.acc = 0; this.n = 0; }
  put(value, count) {
    for (let i = 0; i < count; i++) {
      this.acc |= ((value >>> i) & 1) << this.n;
      if (++this.n === 8) { this.bytes.push(this.acc); this.acc = 0; this.n = 0; }
    }
    return this;
  }
  /** A Huffman code: most significant bit first. */
  code([code, len]) {
    for (let i = len - 1; i >= 0; i--) this.put((code >>> i) & 1, 1);
    return this;
  }
  align() { if (this.n !== 0) this.put(0, 8 - this.n); return this; }
  done() { return Uint8Array.from(this.n !== 0 ? [...this.bytes, this.acc] : this.bytes); }
}

/** Canonical codes of `lengths` (RFC 1951 §3.2.2): [code, length] per symbol. */
function canonical(lengths) {
  const count = new Array(16).fill(0);
  for (const l of lengths) if (l) count[l]++;
  const next = new Array(16).fill(0);
  let code = 0;
  for (let bits = 1; bits < 16; bits++) { code = (code + count[bits - 1]) << 1; next[bits] = code; }
  return lengths.map((l) => (l ? [next[l]++, l] : null));
}

const FIXED_LIT = canonical(Array.from({ length: 288 }, (_, i) => (i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8)));
const FIXED_DIST = canonical(new Array(32).fill(5));

/**
 * Writes a Huffman block's symbols: a number is a literal byte, [len, dist]
 * a match, 'end' the end-of-block code; {raw: symbol} a literal/length
 * symbol as it is, {dist: symbol} a distance symbol, {bits: [value, count]} raw bits.
 */
function symbols(bits, items, lit, dist) {
  for (const item of items) {
    if (item === 'end') bits.code(lit[256]);
    else if (typeof item === 'number') bits.code(lit[item]);
    else if (item.raw !== undefined) bits.code(lit[item.raw]);
    else if (item.dist !== undefined) bits.code(dist[item.dist]);
    else if (item.bits !== undefined) bits.put(item.bits[0], item.bits[1]);
    else {
      const [len, d] = item;
      let s = LENGTH_BASE.length - 1;
      while (LENGTH_BASE[s] > len) s--;
      bits.code(lit[257 + s]).put(len - LENGTH_BASE[s], LENGTH_EXTRA[s]);
      let t = DIST_BASE.length - 1;
      while (DIST_BASE[t] > d) t--;
      bits.code(dist[t]).put(d - DIST_BASE[t], DIST_EXTRA[t]);
    }
  }
  return bits;
}

/** A fixed-code block (RFC 1951 §3.2.6). */
function fixedBlock(bits, items, final) {
  return symbols(bits.put(final ? 1 : 0, 1).put(1, 2), items, FIXED_LIT, FIXED_DIST);
}

/** The code length code used unless a test gives one: 0-15 in 5 bits, 16 in 2, 17 and 18 in 3 (complete). */
const CLC = [...new Array(16).fill(5), 2, 3, 3];

/**
 * A dynamic block (RFC 1951 §3.2.7). `lit` and `dist` are the code lengths
 * (their lengths give HLIT and HDIST); `clc` the code length code's lengths;
 * `lengthSymbols` overrides the code length symbols written ([symbol, extra]).
 */
function dynamicBlock(bits, { lit, dist, clc = CLC, lengthSymbols, hlit, hdist }, items, final) {
  bits.put(final ? 1 : 0, 1).put(2, 2);
  bits.put((hlit ?? lit.length) - 257, 5).put((hdist ?? dist.length) - 1, 5);
  let hclen = 19;
  while (hclen > 4 && clc[ORDER[hclen - 1]] === 0) hclen--;
  bits.put(hclen - 4, 4);
  for (let i = 0; i < hclen; i++) bits.put(clc[ORDER[i]], 3);
  const clCodes = canonical(clc);
  for (const s of lengthSymbols ?? [...lit, ...dist].map((l) => [l, 0])) {
    const [sym, extra] = Array.isArray(s) ? s : [s, 0];
    bits.code(clCodes[sym]);
    if (sym === 16) bits.put(extra, 2); else if (sym === 17) bits.put(extra, 3); else if (sym === 18) bits.put(extra, 7);
  }
  return symbols(bits, items, canonical(lit), canonical(dist));
}

/**
 * A permessage-deflate message of one fixed-code block: its symbols, its
 * end-of-block code, then the empty stored block of a sync flush whose
 * `00 00 ff ff` the sender strips (RFC 7692 §7.2.1).
 */
function message(items) {
  return fixedBlock(new Bits(), [...items, 'end'], false).put(0, 3).align().done();
}

/** Literal/length lengths that code every symbol 0-285, complete: 226 codes of 8 bits and 60 of 9 (226/256 + 60/512 = 1). */
const FULL_LIT = Array.from({ length: 286 }, (_, i) => (i < 226 ? 8 : 9));

const messages = (inflater, chunks) => text(concat(...chunks.map((c) => inflater.write(c)), inflater.endMessage()));

// ---------------------------------------------------------------------------
// RFC 7692 §7.2.3's examples.

test('RFC 7692 §7.2.3.1: "Hello" in one compressed block', () => {
  const inflater = new Inflater();
  assert.is(messages(inflater, [hex('f2 48 cd c9 c9 07 00')]), 'Hello');
});

test('RFC 7692 §7.2.3.2: the second message matches into the first (context takeover)', () => {
  const inflater = new Inflater();
  assert.is(messages(inflater, [hex('f2 48 cd c9 c9 07 00')]), 'Hello');
  assert.is(messages(inflater, [hex('f2 00 11 00 00')]), 'Hello');
  // Without the window, the same bytes reach back before the stream: refused.
  inflater.reset();
  const err = expectThrow(() => messages(inflater, [hex('f2 00 11 00 00')]), Error);
  assert.match(err.message, /^Cannot inflate: invalid distance too far back .* at byte \d+$/);
});

test('RFC 7692 §7.2.3.3: a stored block', () => {
  assert.is(messages(new Inflater(), [hex('00 05 00 fa ff 48 65 6c 6c 6f 00')]), 'Hello');
});

test('RFC 7692 §7.2.3.4: a final block (BFINAL), then the next message starts a new stream with the window kept', () => {
  const inflater = new Inflater();
  assert.is(messages(inflater, [hex('f3 48 cd c9 c9 07 00 00')]), 'Hello');
  assert.is(messages(inflater, [hex('f2 00 11 00 00')]), 'Hello');
  // Without its extra 00 byte too: the tail after a final block is not read.
  assert.is(messages(inflater, [hex('f3 48 cd c9 c9 07 00')]), 'Hello');
  assert.is(messages(inflater, [hex('f3 48 cd c9 c9 07 00')]), 'Hello');
});

test('RFC 7692 §7.2.3.5: two blocks in one message', () => {
  assert.is(messages(new Inflater(), [hex('f2 48 05 00 00 00 ff ff ca c9 c9 07 00')]), 'Hello');
});

test('inflateRaw: a final block decodes; bytes after it are ignored', () => {
  assert.is(text(inflateRaw(hex('f3 48 cd c9 c9 07 00'))), 'Hello');
  assert.is(text(inflateRaw(hex('f3 48 cd c9 c9 07 00 ff ff 12'))), 'Hello');
  assert.is(text(inflateRaw(hex('01 05 00 fa ff 48 65 6c 6c 6f'))), 'Hello');
  // An empty final stored block, and an empty final fixed block.
  assert.is(inflateRaw(hex('01 00 00 ff ff')).length, 0);
  assert.is(inflateRaw(hex('03 00')).length, 0);
});

test('inflateRaw: a stream without its final block is an error that says where it ends', () => {
  for (const [h, at] of [['', 0], ['f2 48 cd c9 c9 07 00', 7], ['f3 48 cd c9 c9', 5], ['01 05 00 fa ff 48 65', 7], ['00 00 00 ff ff', 5]]) {
    const err = expectThrow(() => inflateRaw(hex(h)), Error, {}, h);
    assert.is(err.message, `Cannot inflate: the stream ends without its final block at byte ${at}`, h);
  }
});

test('inflateRaw reads any byte view at any offset, and ArrayBuffers', () => {
  const bytes = hex('f3 48 cd c9 c9 07 00');
  assert.is(text(inflateRaw(atOffset(bytes, 3))), 'Hello');
  assert.is(text(inflateRaw(bytes.slice().buffer)), 'Hello');
  const at = atOffset(bytes, 5);
  assert.is(text(inflateRaw(new DataView(at.buffer, at.byteOffset, at.byteLength))), 'Hello');
  const inflater = new Inflater();
  const first = inflater.write(new DataView(at.buffer, at.byteOffset, 3));
  assert.is(text(concat(first, inflater.write(at.subarray(3).slice().buffer), inflater.endMessage())), 'Hello');
});

// ---------------------------------------------------------------------------
// Dynamic blocks from zlib (level 9, Z_SYNC_FLUSH, tails stripped): two
// messages of one stream, the second with matches into the first.

const words = (n, seed) => {
  let s = '', x = seed;
  const w = ['alpha', 'beta', 'gamma', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet', 'kilo', 'lima', 'mike', 'november', 'oscar', 'papa', 'quebec', 'romeo', 'sierra', 'tango'];
  while (s.length < n) { x = (Math.imul(x, 1103515245) + 12345) >>> 0; s += w[(x >>> 16) % 20] + ((x & 7) === 0 ? '. ' : ' '); }
  return s.slice(0, n);
};
const PLAIN = [words(600, 1), words(300, 2)];
const PACKED = [
  hex('5c515b1283200cbc4a4ec09da246a582b1889d1ebf6336d2da1f74c8beb2ec514a619a348db4ea4b722785064995a9f23a296dbc31ed860a346b95449cb6d9298f2345a97e2ffdac14d721328dfaae456ba0143353d12c8a5f1f90ee3d173f4de9f47138d430b38b166ce29c193e392e12fe27387f8243a493ca1e35d0f3904efaeb738beb8bc3ff5689275b6252d76cce50b04c0d13bc31102c093a682c6484df490b9edd08187a4210bd680b650102a076e1486ff3dbd1b5d6b9ff65004be35a2db71eb0b9d987cbd2940c8a776f2b20988d4df4f61a1f00'),
  hex('5c93c911002008033ba230fff6efc0120e3f3e188e4dc009afbb014050e14aa629d6eaad62cb0ce879fd02b03c1adbbc18e4348fbbf4c5428d8af630402b13fadc2820790f38124a00f1397325f50f340008eae87bee03'),
];

test('dynamic blocks: every split point of both messages, context kept', () => {
  for (let k = 0; k <= PACKED[0].length; k++) {
    const inflater = new Inflater();
    const [a, b] = PACKED;
    assert.is(messages(inflater, [a.subarray(0, k), a.subarray(k)]), PLAIN[0], `first message split at ${k}`);
    const j = k % (b.length + 1);
    assert.is(messages(inflater, [b.subarray(0, j), b.subarray(j)]), PLAIN[1], `second message split at ${j}`);
  }
});

test('dynamic blocks: one byte at a time, and every pair of split points of the second message', () => {
  const inflater = new Inflater();
  assert.is(messages(inflater, Array.from(PACKED[0], (x) => Uint8Array.of(x))), PLAIN[0]);
  assert.is(messages(inflater, Array.from(PACKED[1], (x) => Uint8Array.of(x))), PLAIN[1]);
  const b = PACKED[1];
  for (let i = 0; i <= b.length; i += 3) {
    for (let j = i; j <= b.length; j += 2) {
      const fresh = new Inflater();
      messages(fresh, [PACKED[0]]);
      assert.is(messages(fresh, [b.subarray(0, i), b.subarray(i, j), b.subarray(j)]), PLAIN[1], `splits ${i}, ${j}`);
    }
  }
});

test('two Inflaters interleaved inside their dynamic blocks, at every split point (their tables are shared)', () => {
  const [a, b] = PACKED;
  for (let k = 0; k <= a.length; k++) {
    const one = new Inflater();
    const two = new Inflater();
    assert.is(messages(two, [a]), PLAIN[0]);
    // One stops inside its block (header or body); the other decodes a whole block with other codes; the first goes on.
    const j = (k * 7) % (b.length + 1);
    const first = [one.write(a.subarray(0, k))];
    const second = [two.write(b.subarray(0, j))];
    first.push(one.write(a.subarray(k)), one.endMessage());
    second.push(two.write(b.subarray(j)), two.endMessage());
    assert.is(text(concat(...first)), PLAIN[0], `split at ${k}`);
    assert.is(text(concat(...second)), PLAIN[1], `split at ${j}`);
  }
});

test('inflateRaw between two writes of an Inflater inside a dynamic block', () => {
  const inflater = new Inflater();
  messages(inflater, [PACKED[0]]);
  const parts = [inflater.write(PACKED[1].subarray(0, 40))];
  // A stream of its own, with other dynamic codes, decoded in between.
  assert.is(text(inflateRaw(concat(PACKED[0], hex('00 00 ff ff 01 00 00 ff ff')))), PLAIN[0]);
  parts.push(inflater.write(PACKED[1].subarray(40)), inflater.endMessage());
  assert.is(text(concat(...parts)), PLAIN[1]);
});

test('inflateRaw decodes the same dynamic blocks once made a final stream', () => {
  // The two messages, their tails, then an empty final stored block.
  const stream = concat(PACKED[0], hex('00 00 ff ff'), PACKED[1], hex('00 00 ff ff 01 00 00 ff ff'));
  assert.is(text(inflateRaw(stream)), PLAIN[0] + PLAIN[1]);
});

test('the output of a write is the output so far: nothing is held back', () => {
  const inflater = new Inflater();
  const first = inflater.write(PACKED[0]);
  // All but the last symbols can be decoded before the tail arrives.
  assert.ok(first.length > 500, `${first.length} bytes`);
  assert.is(text(concat(first, inflater.endMessage())), PLAIN[0]);
});

test('every split point of a stored block and of a fixed block', () => {
  const stored = hex('00 05 00 fa ff 48 65 6c 6c 6f 00');
  const fixed = hex('f2 48 05 00 00 00 ff ff ca c9 c9 07 00');
  for (const msg of [stored, fixed]) {
    for (let i = 0; i <= msg.length; i++) {
      for (let j = i; j <= msg.length; j++) {
        assert.is(messages(new Inflater(), [msg.subarray(0, i), msg.subarray(i, j), msg.subarray(j)]), 'Hello', `${i} ${j}`);
      }
    }
  }
});

test('an empty message (no bytes, or one empty stored block) gives nothing and keeps the stream going', () => {
  const inflater = new Inflater();
  assert.is(inflater.endMessage().length, 0);
  assert.is(messages(inflater, [hex('00')]), '');
  assert.is(messages(inflater, [hex('f2 48 cd c9 c9 07 00')]), 'Hello');
  assert.is(messages(inflater, [new Uint8Array(0)]), '');
  assert.is(messages(inflater, [hex('f2 00 11 00 00')]), 'Hello');
});

// ---------------------------------------------------------------------------
// Matches: every length, distances to the window's edge, windowBits honoured.

test('fixed blocks: every match length 3-258 at distances 1, 2, 3, 7 and 100, checked against a reference', () => {
  const items = [];
  const expect = [];
  for (let i = 0; i < 100; i++) { items.push(97 + (i % 26)); expect.push(97 + (i % 26)); }
  for (const d of [1, 2, 3, 7, 100]) {
    for (let len = 3; len <= 258; len++) {
      items.push([len, d]);
      for (let k = 0; k < len; k++) expect.push(expect[expect.length - d]);
      items.push(len & 255);
      expect.push(len & 255);
    }
  }
  const stream = fixedBlock(new Bits(), [...items, 'end'], true).done();
  bytesEqual(inflateRaw(stream), Uint8Array.from(expect));
  // And through an Inflater in pieces of 7 bytes.
  const inflater = new Inflater();
  const parts = [];
  for (let i = 0; i < stream.length; i += 7) parts.push(inflater.write(stream.subarray(i, i + 7)));
  bytesEqual(concat(...parts), Uint8Array.from(expect));
});

test('fixed blocks: every distance code, to the farthest distance of each', () => {
  const lits = Array.from({ length: 32768 }, (_, i) => (i * 7919) >>> 3 & 255);
  const items = [...lits];
  const expect = [...lits];
  for (let t = 0; t < 30; t++) {
    for (const d of [DIST_BASE[t], DIST_BASE[t] + (1 << DIST_EXTRA[t]) - 1]) {
      items.push([4, d]);
      for (let k = 0; k < 4; k++) expect.push(expect[expect.length - d]);
    }
  }
  bytesEqual(inflateRaw(fixedBlock(new Bits(), [...items, 'end'], true).done()), Uint8Array.from(expect));
});

test('windowBits 8 is honoured: 256 bytes back decode, 257 do not (zlib would raise 8 to 9)', () => {
  const lits = Array.from({ length: 300 }, (_, i) => i & 255);
  const at = (d) => fixedBlock(new Bits(), [...lits, [3, d], 'end'], true).done();
  assert.is(inflateRaw(at(256), { windowBits: 8 }).length, 303);
  const err = expectThrow(() => inflateRaw(at(257), { windowBits: 8 }), Error);
  assert.match(err.message, /^Cannot inflate: invalid distance too far back \(257 bytes, the window is 256\) at byte \d+$/);
  assert.is(inflateRaw(at(257), { windowBits: 9 }).length, 303);
  // (15 is the format's own limit: no distance code says 32769.)
  for (let w = 9; w <= 14; w++) {
    const d = 1 << w;
    const long = fixedBlock(new Bits(), [...Array.from({ length: d + 10 }, (_, i) => i & 127), [3, d], [3, d + 1], 'end'], true).done();
    const e = expectThrow(() => inflateRaw(long, { windowBits: w }), Error, {}, `windowBits ${w}`);
    assert.match(e.message, new RegExp(`too far back \\(${d + 1} bytes, the window is ${d}\\)`));
    assert.is(inflateRaw(long, { windowBits: w + 1 }).length, d + 16);
  }
});

test('an Inflater keeps exactly 2^windowBits bytes of window across messages', () => {
  for (const w of [8, 9, 12]) {
    const size = 1 << w;
    const inflater = new Inflater({ windowBits: w });
    const lits = Array.from({ length: size + 44 }, (_, i) => (i * 31) & 255);
    assert.is(inflater.write(message(lits)).length + inflater.endMessage().length, size + 44);
    // Message 2 reaches back to the window's first byte, then message 3 one byte farther.
    const two = concat(inflater.write(message([[5, size]])), inflater.endMessage());
    bytesEqual(two, Uint8Array.from(lits.slice(44, 49)), `windowBits ${w}`);
    const err = expectThrow(() => inflater.write(message([[3, size + 1]])), Error);
    assert.match(err.message, /too far back/);
  }
});

test('matches that start in the window, wrap around its ring and run on into the message', () => {
  for (const w of [8, 9, 15]) {
    const size = 1 << w;
    const inflater = new Inflater({ windowBits: w });
    const history = [];
    const r = (i) => (i * 167 + (i >> 3)) & 255;
    // Messages of odd sizes move the ring's end around; then matches reach back to its far end.
    for (const n of [size + 3, 100, 37, size - 56]) {
      const lits = Array.from({ length: n }, (_, i) => r(history.length + i));
      bytesEqual(concat(inflater.write(message(lits)), inflater.endMessage()), Uint8Array.from(lits));
      history.push(...lits);
      for (const [len, dist] of [[258, size], [200, size - 1], [3, size - 100], [258, 1], [10, 3]]) {
        const expect = [];
        for (let k = 0; k < len; k++) expect.push(k < dist ? history[history.length - dist + k] : expect[k - dist]);
        bytesEqual(concat(inflater.write(message([[len, dist]])), inflater.endMessage()), Uint8Array.from(expect), `window ${w}, ${len} bytes from ${dist} back`);
        history.push(...expect);
      }
    }
  }
});

test('a distance past what was output since reset is refused, in one message or across', () => {
  const err = expectThrow(() => inflateRaw(fixedBlock(new Bits(), [65, 66, [3, 3], 'end'], true).done()), Error);
  assert.is(err.message, 'Cannot inflate: invalid distance too far back (3 bytes, only 2 bytes were output) at byte 3');
  const inflater = new Inflater();
  messages(inflater, [message([65, 66])]);
  assert.is(messages(inflater, [message([67, [4, 3]])]), 'CABCA');
  inflater.reset();
  expectThrow(() => inflater.write(message([67, [3, 2]])), Error);
});

// ---------------------------------------------------------------------------
// Strictness: each stream zlib refuses is refused, with where and why.

const EOB_ONLY = (() => { const l = new Array(257).fill(0); l[256] = 1; return l; })();

const BAD = [
  ['block type 3', () => hex('07 00'), /^Cannot inflate: invalid block type 3 at byte 0$/],
  ['stored LEN/NLEN mismatch', () => hex('01 05 00 fb ff 48 65 6c 6c 6f'), /^Cannot inflate: invalid stored block lengths .* at byte 4$/],
  ['HLIT 287', () => dynamicBlock(new Bits(), { lit: FULL_LIT, dist: [1], hlit: 287 }, ['end'], true).done(), /too many literal\/length codes \(287\) at byte 2$/],
  ['HLIT 288', () => dynamicBlock(new Bits(), { lit: FULL_LIT, dist: [1], hlit: 288 }, ['end'], true).done(), /too many literal\/length codes \(288\)/],
  ['HDIST 31', () => dynamicBlock(new Bits(), { lit: FULL_LIT, dist: [1], hdist: 31 }, ['end'], true).done(), /too many distance codes \(31\)/],
  ['HDIST 32', () => dynamicBlock(new Bits(), { lit: FULL_LIT, dist: [1], hdist: 32 }, ['end'], true).done(), /too many distance codes \(32\)/],
  ['code length code over-subscribed', () => dynamicBlock(new Bits(), { lit: EOB_ONLY, dist: [1], clc: [...new Array(16).fill(4), 2, 3, 3] }, ['end'], true).done(), /invalid code length code \(over-subscribed\)/],
  ['code length code incomplete', () => dynamicBlock(new Bits(), { lit: EOB_ONLY, dist: [1], clc: [...new Array(16).fill(5), 2, 3, 0] }, ['end'], true).done(), /invalid code length code \(incomplete\)/],
  ['code length code of one code', () => dynamicBlock(new Bits(), { lit: EOB_ONLY, dist: [1], clc: [1, ...new Array(18).fill(0)], lengthSymbols: [] }, [], true).done(), /invalid code length code \(incomplete\)/],
  ['code length code empty', () => dynamicBlock(new Bits(), { lit: EOB_ONLY, dist: [1], clc: new Array(19).fill(0), lengthSymbols: [] }, [], true).done(), /invalid code length code \(incomplete\)/],
  ['repeat (16) with nothing before', () => dynamicBlock(new Bits(), { lit: EOB_ONLY, dist: [1], lengthSymbols: [[16, 0]] }, [], true).done(), /a repeat with no previous length/],
  ['repeat (16) past HLIT + HDIST', () => dynamicBlock(new Bits(), { lit: EOB_ONLY, dist: [1], lengthSymbols: [...new Array(256).fill(0), 1, [16, 3]] }, [], true).done(), /a repeat runs past HLIT \+ HDIST/],
  ['zeros (18) past HLIT + HDIST', () => dynamicBlock(new Bits(), { lit: EOB_ONLY, dist: [1], lengthSymbols: [[18, 127], [18, 127], [18, 127]] }, [], true).done(), /a repeat runs past HLIT \+ HDIST/],
  ['zeros (17) past HLIT + HDIST', () => dynamicBlock(new Bits(), { lit: EOB_ONLY, dist: [1], lengthSymbols: [[18, 127], [18, 107], 1, [17, 0]] }, [], true).done(), /a repeat runs past HLIT \+ HDIST/],
  ['no end-of-block code', () => dynamicBlock(new Bits(), { lit: (() => { const l = new Array(257).fill(0); l[65] = 1; l[66] = 1; return l; })(), dist: [1] }, [], true).done(), /no code for end-of-block/],
  ['literal/length code over-subscribed', () => dynamicBlock(new Bits(), { lit: (() => { const l = new Array(257).fill(0); l[65] = 1; l[66] = 1; l[256] = 1; return l; })(), dist: [1] }, [], true).done(), /invalid literal\/length code lengths \(over-subscribed\)/],
  ['literal/length code incomplete', () => dynamicBlock(new Bits(), { lit: (() => { const l = new Array(257).fill(0); l[65] = 2; l[256] = 2; return l; })(), dist: [1] }, [], true).done(), /invalid literal\/length code lengths \(incomplete\)/],
  ['distance code over-subscribed', () => dynamicBlock(new Bits(), { lit: EOB_ONLY, dist: [1, 1, 1] }, ['end'], true).done(), /invalid distance code lengths \(over-subscribed\)/],
  ['distance code incomplete', () => dynamicBlock(new Bits(), { lit: EOB_ONLY, dist: [2, 2, 2] }, ['end'], true).done(), /invalid distance code lengths \(incomplete\)/],
  ['distance code of one code, length 2', () => dynamicBlock(new Bits(), { lit: EOB_ONLY, dist: [0, 2] }, ['end'], true).done(), /invalid distance code lengths \(incomplete\)/],
  ['fixed code: literal/length symbol 286', () => fixedBlock(new Bits(), [65, { raw: 286 }, 'end'], true).done(), /^Cannot inflate: invalid literal\/length code at byte 2$/],
  ['fixed code: literal/length symbol 287', () => fixedBlock(new Bits(), [65, { raw: 287 }, 'end'], true).done(), /invalid literal\/length code/],
  ['fixed code: distance symbol 30', () => fixedBlock(new Bits(), [65, { raw: 257 }, { dist: 30 }, 'end'], true).done(), /^Cannot inflate: invalid distance code at byte 2$/],
  ['fixed code: distance symbol 31', () => fixedBlock(new Bits(), [65, { raw: 257 }, { dist: 31 }, 'end'], true).done(), /invalid distance code/],
  ['one-code literal/length code: the missing code', () => concat(dynamicBlock(new Bits(), { lit: EOB_ONLY, dist: [1] }, [], true).put(1, 1).done()), /invalid literal\/length code/],
  ['one-code distance code: the missing code', () => dynamicBlock(new Bits(), { lit: FULL_LIT, dist: [0, 1] }, [65, 66, { raw: 257 }, { bits: [1, 1] }, 'end'], true).done(), /invalid distance code/],
  ['no distance codes, and a match', () => dynamicBlock(new Bits(), { lit: FULL_LIT, dist: [0] }, [65, { raw: 257 }, 'end', 'end'], true).done(), /invalid distance code/],
];

test('strictness: each corrupt stream is an Error that says why and at which byte', () => {
  for (const [name, make, re] of BAD) {
    const stream = make();
    const err = expectThrow(() => inflateRaw(stream), Error, {}, name);
    assert.match(err.message, re, name);
    assert.match(err.message, /^Cannot inflate: .* at byte \d+$/, name);
    // The same bytes as a message, in pieces of 1 and 5 bytes.
    for (const step of [1, 5]) {
      const inflater = new Inflater();
      const e = expectThrow(() => { for (let i = 0; i < stream.length; i += step) inflater.write(stream.subarray(i, i + step)); inflater.endMessage(); }, Error, {}, `${name} (pieces of ${step})`);
      assert.match(e.message, re, `${name} (pieces of ${step})`);
    }
  }
});

test('strictness: what zlib accepts is accepted', () => {
  const ok = [
    // One code of length 1 for end-of-block only: an empty block.
    ['one-code literal/length code', dynamicBlock(new Bits(), { lit: EOB_ONLY, dist: [1] }, ['end'], true).done(), ''],
    // No distance codes at all, in a block of literals.
    ['no distance codes', dynamicBlock(new Bits(), { lit: FULL_LIT, dist: [0] }, [72, 105, 'end'], true).done(), 'Hi'],
    // One distance code of length 1, used.
    ['one-code distance code', dynamicBlock(new Bits(), { lit: FULL_LIT, dist: [1] }, [72, 105, [3, 1], 'end'], true).done(), 'Hiiii'],
    // Repeats (16, 17, 18) that end exactly at HLIT + HDIST, and lengths carried from the literal codes into the distance codes.
    ['repeats to the end', dynamicBlock(new Bits(), { lit: [...new Array(256).fill(0), 1, 1], dist: [1, 1], lengthSymbols: [[18, 127], [18, 107], 1, [16, 0]] }, ['end'], true).done(), ''],
    // HLIT 286 and HDIST 30, everything coded.
    ['all codes', dynamicBlock(new Bits(), { lit: FULL_LIT, dist: new Array(30).fill(5).map((x, i) => (i < 2 ? 4 : x)) }, [65, 66, [3, 2], 'end'], true).done(), 'ABABA'],
  ];
  for (const [name, stream, expect] of ok) assert.is(text(inflateRaw(stream)), expect, name);
});

test('a message that ends inside a block is an error; after any error, writes throw until reset()', () => {
  const inflater = new Inflater();
  // A stored block of 6 bytes with 1 sent: the tail's 4 bytes are taken as 4 more, and the block is still open.
  inflater.write(hex('00 06 00 f9 ff 48'));
  const err = expectThrow(() => inflater.endMessage(), Error);
  assert.match(err.message, /^Cannot inflate: the message ends inside a block at byte \d+$/);
  const again = expectThrow(() => inflater.write(hex('f2 48 cd c9 c9 07 00')), Error);
  assert.match(again.message, /reset the inflater first$/);
  expectThrow(() => inflater.endMessage(), Error);
  inflater.reset();
  assert.is(messages(inflater, [hex('f2 48 cd c9 c9 07 00')]), 'Hello');
  // A corrupt write, then the same.
  expectThrow(() => inflater.write(hex('07')), Error);
  expectThrow(() => inflater.write(hex('f2')), Error);
  inflater.reset();
  assert.is(messages(inflater, [hex('f2 48 cd c9 c9 07 00')]), 'Hello');
});

// ---------------------------------------------------------------------------
// maxOutputLength.

/**
 * A bomb: a dynamic block whose match code (length 258) and distance code
 * (distance 1) are each the single bit 0, so every zero byte of input after
 * the header inflates to 4 x 258 bytes (about 1032:1).
 */
function bomb(zeros) {
  const lit = new Array(286).fill(0);
  lit[0] = 2; lit[256] = 2; lit[285] = 1;
  const head = dynamicBlock(new Bits(), { lit, dist: [1] }, [0], true).done();
  return concat(head, new Uint8Array(zeros));
}

test('maxOutputLength: the exact size passes, one byte less is a RangeError', () => {
  const hello = hex('f3 48 cd c9 c9 07 00');
  assert.is(text(inflateRaw(hello, { maxOutputLength: 5 })), 'Hello');
  const err = expectThrow(() => inflateRaw(hello, { maxOutputLength: 4 }), RangeError);
  assert.is(err.message, 'Cannot inflate: the output exceeds maxOutputLength (4 bytes)');
  expectThrow(() => inflateRaw(hello, { maxOutputLength: 0 }), RangeError);
  assert.is(inflateRaw(hex('03 00'), { maxOutputLength: 0 }).length, 0);
});

test('maxOutputLength at every size of a 900-byte stream: a RangeError exactly below 900', () => {
  const stream = concat(PACKED[0], hex('00 00 ff ff'), PACKED[1], hex('00 00 ff ff 01 00 00 ff ff'));
  for (let limit = 0; limit <= 910; limit += limit < 880 ? 13 : 1) {
    if (limit < 900) expectThrow(() => inflateRaw(stream, { maxOutputLength: limit }), RangeError, {}, `limit ${limit}`);
    else assert.is(text(inflateRaw(stream, { maxOutputLength: limit })), PLAIN[0] + PLAIN[1]);
    // An Inflater returns at most the limit before its RangeError, whatever the pieces.
    const inflater = new Inflater({ maxOutputLength: limit });
    let total = 0;
    try {
      for (let i = 0; i < PACKED[0].length; i += 50) total += inflater.write(PACKED[0].subarray(i, i + 50)).length;
      total += inflater.endMessage().length;
      assert.ok(limit >= 600, `limit ${limit}: no RangeError`);
    } catch (e) {
      assert.ok(e instanceof RangeError && limit < 600, `limit ${limit}: ${e.message}`);
    }
    assert.ok(total <= limit);
  }
});

test('maxOutputLength stops a bomb as soon as it is crossed (1 MiB in that would be 1 GiB out)', () => {
  const data = bomb(1 << 20);
  const t0 = Date.now();
  const err = expectThrow(() => inflateRaw(data, { maxOutputLength: 100000 }), RangeError);
  assert.match(err.message, /maxOutputLength \(100000 bytes\)/);
  // Decoding 1 GiB takes seconds; stopping at 100 kB takes a millisecond or so.
  assert.ok(Date.now() - t0 < 1000, `${Date.now() - t0} ms`);
  const inflater = new Inflater({ maxOutputLength: 100000 });
  let out = 0;
  const e = expectThrow(() => { for (let i = 0; i < data.length; i += 4096) out += inflater.write(data.subarray(i, i + 4096)).length; }, RangeError);
  assert.match(e.message, /maxOutputLength/);
  assert.ok(out <= 100000, `${out} bytes returned`);
  expectThrow(() => inflater.write(new Uint8Array(1)), Error);
  inflater.reset();
  assert.is(messages(inflater, [hex('f2 48 cd c9 c9 07 00')]), 'Hello');
});

test('maxOutputLength counts each message of an Inflater on its own, across its writes', () => {
  const inflater = new Inflater({ maxOutputLength: 5 });
  for (let i = 0; i < 3; i++) assert.is(messages(inflater, [hex('f2 48 cd'), hex('c9 c9 07 00')]), 'Hello');
  const big = new Inflater({ maxOutputLength: 9 });
  assert.is(messages(big, [message([...utf8('abcd')])]), 'abcd');
  assert.is(messages(big, [message([...utf8('abcdefghi')])]), 'abcdefghi');
  const ten = message([...utf8('abcde'), [5, 5]]);
  const err = expectThrow(() => messages(big, [ten.subarray(0, 3), ten.subarray(3)]), RangeError);
  assert.match(err.message, /maxOutputLength \(9 bytes\)/);
});

// ---------------------------------------------------------------------------
// Arguments.

test('arguments: wrong types are TypeErrors, bad values RangeErrors, unknown options named', () => {
  const hello = hex('f3 48 cd c9 c9 07 00');
  const types = [
    [() => inflateRaw('f3'), /^Cannot inflate: Expected data to be a Uint8Array, ArrayBuffer or ArrayBufferView, got string$/],
    [() => inflateRaw(null), /got null/],
    [() => inflateRaw([0xf3, 0x48]), /got Array/],
    [() => inflateRaw(hello, null), /Expected options to be an object/],
    [() => inflateRaw(hello, { windowBit: 15 }), /^Cannot inflate: Unknown option "windowBit" \(did you mean "windowBits"\?\)$/],
    [() => inflateRaw(hello, { maxOutput: 1 }), /Unknown option "maxOutput"/],
    [() => inflateRaw(hello, { windowBits: '15' }), /Expected windowBits to be a number, got string/],
    [() => inflateRaw(hello, { maxOutputLength: '5' }), /Expected maxOutputLength to be a number, got string/],
    [() => new Inflater({ level: 6 }), /^Cannot create inflater: Unknown option "level"/],
    [() => new Inflater({ windowBits: null }), /^Cannot create inflater: Expected windowBits to be a number, got null$/],
    [() => new Inflater().write('x'), /^Cannot inflate: Expected chunk to be a Uint8Array, ArrayBuffer or ArrayBufferView, got string$/],
    [() => new Inflater().write(), /got undefined/],
  ];
  for (const [fn, re] of types) { const e = expectThrow(fn, TypeError); assert.match(e.message, re); }
  const ranges = [
    [() => inflateRaw(hello, { windowBits: 7 }), /^Cannot inflate: Expected windowBits to be an integer from 8 to 15, got 7$/],
    [() => inflateRaw(hello, { windowBits: 16 }), /got 16/],
    [() => inflateRaw(hello, { windowBits: 8.5 }), /got 8.5/],
    [() => inflateRaw(hello, { windowBits: NaN }), /got NaN/],
    [() => inflateRaw(hello, { maxOutputLength: -1 }), /Expected maxOutputLength to be a non-negative integer or Infinity, got -1/],
    [() => inflateRaw(hello, { maxOutputLength: 1.5 }), /got 1.5/],
    [() => new Inflater({ windowBits: 0 }), /^Cannot create inflater: Expected windowBits to be an integer from 8 to 15, got 0$/],
    [() => new Inflater({ maxOutputLength: -Infinity }), /got -Infinity/],
  ];
  for (const [fn, re] of ranges) { const e = expectThrow(fn, RangeError); assert.match(e.message, re); }
  // Undefined option values take the defaults.
  assert.is(text(inflateRaw(hello, { windowBits: undefined, maxOutputLength: undefined })), 'Hello');
  assert.is(text(inflateRaw(hello, { maxOutputLength: Infinity })), 'Hello');
});

test.run();
