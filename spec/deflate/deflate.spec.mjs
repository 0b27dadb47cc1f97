// deflateRaw and Deflater (RFC 1951; RFC 7692 §7.2.1): the RFC 7692 §7.2.3
// examples byte for byte, the exact stored blocks of level 0, strict options,
// and structure read back by a small reference decoder written here (bit by
// bit, straight from RFC 1951 §3.2), so that these checks need no inflater
// of ours and no node:zlib: every block's type and BFINAL, every code's
// lengths (at most 15 bits, a complete code), every distance (within the
// window), and the bytes it decodes to. node:zlib's view: spec/node/deflate-zlib.spec.mjs.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Deflater, deflateRaw } from '../../dist/permessage-deflate.js';
import { atOffset, bytesEqual, concat, prng, toHex, utf8 } from '../_util.mjs';

const test = suite('deflate');

const LBASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LEXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DBASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const DEXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
const ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/**
 * A reference decoder, slow and plain (RFC 1951 §3.2). With `stream`, the
 * input may end after any block that ends on a byte boundary (a sync flush,
 * RFC 7692 §7.2.1); otherwise it must end with a final block. Returns the
 * bytes, each block's { final, type }, the longest distance and the longest
 * code length seen; throws on anything RFC 1951 forbids, and on an
 * incomplete code (ours are always complete).
 */
function decode(data, { stream = false, history = [] } = {}) {
  let pos = 0, bit = 0;
  const bits = (n) => {
    let v = 0;
    for (let i = 0; i < n; i++) {
      if (pos >= data.length) throw new Error('Input ends inside a block');
      v |= ((data[pos] >> bit) & 1) << i;
      if (++bit === 8) { bit = 0; pos++; }
    }
    return v;
  };
  const out = [...history];
  const from = history.length;
  const blocks = [];
  let maxDist = 0, maxLen = 0, maxCl = 0;
  const code = (lens) => {
    const count = new Array(17).fill(0);
    for (const l of lens) if (l) count[l]++;
    let left = 1;
    for (let l = 1; l <= 15; l++) { left = left * 2 - count[l]; if (left < 0) throw new Error('An over-subscribed code'); }
    if (count[16] !== 0) throw new Error('A code longer than 15 bits');
    if (left !== 0) throw new Error(`An incomplete code (${lens.join(',')})`);
    const next = new Array(17).fill(0);
    let c = 0;
    count[0] = 0;
    for (let l = 1; l <= 15; l++) { c = (c + count[l - 1]) << 1; next[l] = c; }
    const map = new Map();
    lens.forEach((l, s) => { if (l) { map.set(`${l}:${next[l]++}`, s); maxLen = Math.max(maxLen, l); } });
    return map;
  };
  const sym = (map) => {
    let c = 0;
    for (let l = 1; l <= 15; l++) {
      c = (c << 1) | bits(1);
      const s = map.get(`${l}:${c}`);
      if (s !== undefined) return s;
    }
    throw new Error('No such code');
  };
  for (;;) {
    if (stream && pos === data.length && bit === 0) break;
    const final = bits(1), type = bits(2);
    blocks.push({ final, type });
    if (type === 0) {
      if (bit !== 0) { bit = 0; pos++; }
      if (pos + 4 > data.length) throw new Error('Input ends inside a stored header');
      const len = data[pos] | (data[pos + 1] << 8), nlen = data[pos + 2] | (data[pos + 3] << 8);
      if ((len ^ 0xffff) !== nlen) throw new Error('LEN and NLEN disagree');
      pos += 4;
      if (pos + len > data.length) throw new Error('Input ends inside a stored block');
      for (let i = 0; i < len; i++) out.push(data[pos + i]);
      pos += len;
    } else if (type === 1 || type === 2) {
      let lit, dist;
      if (type === 1) {
        lit = code([...new Array(144).fill(8), ...new Array(112).fill(9), ...new Array(24).fill(7), ...new Array(8).fill(8)]);
        dist = code(new Array(32).fill(5)); // 30 and 31 complete the code but never occur
      } else {
        const hlit = bits(5) + 257, hdist = bits(5) + 1, hclen = bits(4) + 4;
        const cl = new Array(19).fill(0);
        for (let i = 0; i < hclen; i++) cl[ORDER[i]] = bits(3);
        const clmap = code(cl);
        maxCl = Math.max(maxCl, ...cl);
        const lens = [];
        while (lens.length < hlit + hdist) {
          const s = sym(clmap);
          if (s < 16) lens.push(s);
          else if (s === 16) { if (!lens.length) throw new Error('Repeat with no previous length'); const p = lens[lens.length - 1]; for (let r = 3 + bits(2); r > 0; r--) lens.push(p); }
          else if (s === 17) for (let r = 3 + bits(3); r > 0; r--) lens.push(0);
          else for (let r = 11 + bits(7); r > 0; r--) lens.push(0);
        }
        if (lens.length !== hlit + hdist) throw new Error('Code lengths overrun HLIT + HDIST');
        if (lens[256] === 0) throw new Error('No end-of-block code');
        lit = code(lens.slice(0, hlit));
        dist = code(lens.slice(hlit));
      }
      for (;;) {
        const s = sym(lit);
        if (s < 256) { out.push(s); continue; }
        if (s === 256) break;
        if (s > 285) throw new Error('Length symbol 286 or 287');
        const len = LBASE[s - 257] + bits(LEXTRA[s - 257]);
        const ds = sym(dist);
        if (ds > 29) throw new Error('Distance symbol 30 or 31');
        const d = DBASE[ds] + bits(DEXTRA[ds]);
        if (d > out.length) throw new Error(`Distance ${d} reaches before the start`);
        maxDist = Math.max(maxDist, d);
        for (let i = 0; i < len; i++) out.push(out[out.length - d]);
      }
    } else {
      throw new Error('Block type 3');
    }
    if (final) {
      if (stream) throw new Error('A final block in a stream that must stay open');
      break;
    }
  }
  return { out: Uint8Array.from(out.slice(from)), all: out, blocks, maxDist, maxLen, maxCl, used: pos + (bit ? 1 : 0) };
}

/** Text with words repeated at all distances, deterministic. */
function text(n, seed = 1) {
  const r = prng(seed);
  const words = ['permessage', 'deflate', 'window', 'the', 'of', 'socket', 'frame', 'Huffman', 'literal', 'and', 'a', 'block', 'length', 'distance', 'code', 'context'];
  let s = '';
  while (s.length < n) s += words[r.int(words.length)] + (r.int(9) === 0 ? '.\n' : ' ');
  return utf8(s.slice(0, n));
}

const TAIL = '0000ffff';

test('RFC 7692 §7.2.3.1: "Hello" at the default level, sync-flushed, is f2 48 cd c9 c9 07 00 then 00 00 ff ff', () => {
  const d = new Deflater();
  const out = concat(d.write(utf8('Hello')), d.flush());
  assert.is(toHex(out), 'f248cdc9c907' + '00' + TAIL);
});

test('RFC 7692 §7.2.3.2: "Hello" again with the context kept is f2 00 11 00 00 then 00 00 ff ff (a match 5 back)', () => {
  const d = new Deflater();
  d.write(utf8('Hello'));
  d.flush();
  const out = concat(d.write(utf8('Hello')), d.flush());
  assert.is(toHex(out), 'f200110000' + TAIL);
  const back = decode(out, { stream: true, history: [...utf8('Hello')] });
  assert.is(back.maxDist, 5);
});

test('reset() forgets the window: the second "Hello" comes out as the first', () => {
  const d = new Deflater();
  d.write(utf8('Hello'));
  d.flush();
  d.reset();
  d.write(utf8('Hello'));
  assert.is(toHex(d.flush()), 'f248cdc9c907' + '00' + TAIL);
});

test('reset() drops input written but not flushed', () => {
  const d = new Deflater();
  d.write(utf8('dropped'));
  d.reset();
  d.write(utf8('Hello'));
  assert.is(toHex(d.flush()), 'f248cdc9c907' + '00' + TAIL);
});

test('RFC 7692 §7.2.3.3: level 0 sends "Hello" in a stored block: 00 05 00 fa ff 48 65 6c 6c 6f, then the sync flush', () => {
  const d = new Deflater({ level: 0 });
  assert.is(toHex(concat(d.write(utf8('Hello')), d.flush())), '000500faff48656c6c6f' + '00' + TAIL);
});

test('RFC 7692 §7.2.3.4: deflateRaw("Hello") is the BFINAL variant f3 48 cd c9 c9 07 00', () => {
  assert.is(toHex(deflateRaw(utf8('Hello'))), 'f348cdc9c90700');
});

test('RFC 7692 §7.2.3.6: flush() with nothing written is an empty stored block, 00 00 00 ff ff (payload 00 once the tail goes), as zlib gives', () => {
  const d = new Deflater();
  assert.is(toHex(d.flush()), '00' + TAIL);
  d.write(utf8('Hello'));
  d.flush();
  assert.is(toHex(d.flush()), '00' + TAIL, 'after a message too');
  assert.is(toHex(d.write(new Uint8Array(0))), '', 'an empty write gives nothing');
});

test('empty input: deflateRaw gives the 10-bit empty fixed block 03 00; at level 0 the empty stored block 01 00 00 ff ff', () => {
  assert.is(toHex(deflateRaw(new Uint8Array(0))), '0300');
  assert.is(toHex(deflateRaw(new Uint8Array(0), { level: 0 })), '010000ffff');
  for (let level = 1; level <= 9; level++) assert.is(toHex(deflateRaw(new Uint8Array(0), { level })), '0300', `level ${level}`);
});

test('level 0 is stored blocks of exactly 65535 bytes (RFC 1951 §3.2.4), the last one final', () => {
  const r = prng(3);
  for (const n of [1, 100, 65535, 65536, 140000]) {
    const data = r.bytes(n);
    const parts = [];
    for (let at = 0; at < n; at += 65535) {
      const len = Math.min(65535, n - at);
      parts.push(Uint8Array.of(at + len === n ? 1 : 0, len & 255, len >> 8, ~len & 255, (~len >> 8) & 255), data.subarray(at, at + len));
    }
    bytesEqual(deflateRaw(data, { level: 0 }), concat(...parts), `${n} bytes`);
  }
});

test('a level 0 Deflater sends each message as stored blocks, then an empty one', () => {
  const d = new Deflater({ level: 0 });
  const data = prng(4).bytes(70000);
  const out = concat(d.write(data.subarray(0, 30000)), d.write(data.subarray(30000)), d.flush());
  const back = decode(out, { stream: true });
  bytesEqual(back.out, data);
  assert.ok(back.blocks.every((b) => b.type === 0 && b.final === 0), JSON.stringify(back.blocks));
  assert.is(toHex(out.subarray(out.length - 5)), '00' + TAIL);
});

test('deflateRaw round-trips through the reference decoder at every level, ending in one final block', () => {
  const r = prng(5);
  const inputs = [utf8('a'), utf8('ab'), utf8('abc'), utf8('abcabcabcabc'), text(3000), r.bytes(2000), new Uint8Array(5000).fill(7), text(70000, 2)];
  for (let level = 0; level <= 9; level++) {
    for (const data of inputs) {
      const back = decode(deflateRaw(data, { level }));
      bytesEqual(back.out, data, `level ${level}, ${data.length} bytes`);
      assert.ok(back.blocks.slice(0, -1).every((b) => b.final === 0) && back.blocks[back.blocks.length - 1].final === 1);
      assert.ok(back.maxLen <= 15, `level ${level}: code length ${back.maxLen}`);
    }
  }
});

test('every windowBits 8-15: no distance farther than 2^windowBits - 1, and the whole window is used', () => {
  for (let wb = 8; wb <= 15; wb++) {
    const w = 1 << wb;
    // A random block repeated at period w - 1 (the farthest allowed) and at period w + 1 (out of reach).
    const r = prng(wb);
    const near = r.bytes(w - 1);
    const reach = concat(near, near, near);
    let back = decode(deflateRaw(reach, { windowBits: wb }));
    bytesEqual(back.out, reach, `windowBits ${wb}`);
    assert.is(back.maxDist, w - 1, `windowBits ${wb}: the farthest distance`);
    const far = r.bytes(w + 1);
    const beyond = concat(far, far);
    back = decode(deflateRaw(beyond, { windowBits: wb, level: 9 }));
    bytesEqual(back.out, beyond);
    assert.ok(back.maxDist < w, `windowBits ${wb}: distance ${back.maxDist}`);
  }
});

test('windowBits 8 holds for a Deflater across messages: distances stay at most 255', () => {
  const d = new Deflater({ windowBits: 8 });
  const msg = prng(8).bytes(300);
  let history = [];
  for (let i = 0; i < 5; i++) {
    const out = concat(d.write(msg), d.flush());
    const back = decode(out, { stream: true, history });
    bytesEqual(back.out, msg, `message ${i}`);
    assert.ok(back.maxDist <= 255, `message ${i}: distance ${back.maxDist}`);
    history = back.all;
  }
});

test('flush() output always ends in 00 00 ff ff and never holds a final block (RFC 7692 §7.2.1)', () => {
  const r = prng(9);
  for (let level = 0; level <= 9; level++) {
    const d = new Deflater({ level });
    let history = [];
    for (const n of [0, 1, 5, 200, 3000, 40000, 70000]) {
      const data = r.int(2) ? text(n, n) : r.bytes(n);
      const out = concat(d.write(data), d.flush());
      assert.is(toHex(out.subarray(out.length - 4)), TAIL, `level ${level}, ${n} bytes`);
      const back = decode(out, { stream: true, history });
      bytesEqual(back.out, data, `level ${level}, ${n} bytes`);
      assert.ok(back.blocks.every((b) => b.final === 0));
      history = back.all;
    }
  }
});

test('write() may hold input back, but everything comes out by flush(), whatever the chunking', () => {
  const data = text(150000, 11);
  const r = prng(12);
  const d = new Deflater();
  const parts = [];
  for (let at = 0; at < data.length;) {
    const n = Math.min(data.length - at, 1 + r.int(r.int(2) ? 50 : 20000));
    const out = d.write(data.subarray(at, at + n));
    assert.instance(out, Uint8Array);
    parts.push(out);
    at += n;
  }
  parts.push(d.flush());
  assert.ok(parts.slice(0, -1).some((p) => p.length > 0), 'a long message produces output before its flush');
  bytesEqual(decode(concat(...parts), { stream: true }).out, data);
});

test('context takeover: 100 small messages decode in sequence, and later ones refer back to earlier ones', () => {
  const d = new Deflater();
  let history = [];
  let total = 0, sizes = 0;
  for (let i = 0; i < 100; i++) {
    const msg = utf8(JSON.stringify({ type: 'update', id: i, user: `user${i % 7}`, text: `message number ${i}` }));
    const out = concat(d.write(msg), d.flush());
    const back = decode(out, { stream: true, history });
    bytesEqual(back.out, msg, `message ${i}`);
    history = back.all;
    total += msg.length;
    sizes += out.length;
  }
  assert.ok(sizes < total / 2, `100 messages: ${sizes} bytes for ${total}`);
});

test('every block type comes out: stored for random bytes, fixed for tiny input, dynamic for text', () => {
  assert.is(decode(deflateRaw(prng(13).bytes(5000))).blocks[0].type, 0);
  assert.is(decode(deflateRaw(utf8('Hello, world'))).blocks[0].type, 1);
  assert.is(decode(deflateRaw(text(5000))).blocks[0].type, 2);
});

test('code lengths stay within their limits (RFC 1951 §3.2.7): 7 bits for the code length code when its frequencies want more, 15 for the others', () => {
  // Matches whose distance codes occur as often as Fibonacci numbers: random bytes, each 2
  // followed by a 5-byte copy from a planned distance (the rarest the farthest). The code
  // length code of its blocks then wants more than 7 bits: with the limiter taken out, zlib
  // calls the result an invalid code lengths set.
  const DBASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513];
  const counts = [1, 1];
  while (counts.length < 19) counts.push(counts[counts.length - 1] + counts[counts.length - 2]);
  const plan = [];
  counts.forEach((c, k) => { for (let i = 0; i < c; i++) plan.push(DBASE[18 - k]); });
  const r = prng(15);
  for (let i = plan.length - 1; i > 0; i--) { const j = r.int(i + 1); [plan[i], plan[j]] = [plan[j], plan[i]]; }
  const bytes = [...r.bytes(2048)];
  for (const d of plan) { bytes.push(r.int(256), r.int(256)); for (let i = 0; i < 5; i++) bytes.push(bytes[bytes.length - d]); }
  const data = Uint8Array.from(bytes);
  const back = decode(deflateRaw(data, { level: 1 }));
  bytesEqual(back.out, data);
  assert.is(back.maxCl, 7);
  assert.ok(back.maxLen <= 15);
});

test('input at an offset, as an ArrayBuffer, a DataView or a Uint16Array: only the view\'s own bytes are read', () => {
  const data = text(5000, 15);
  const expect = deflateRaw(data);
  bytesEqual(deflateRaw(atOffset(data, 3)), expect);
  bytesEqual(deflateRaw(data.slice().buffer), expect);
  const view = atOffset(data, 5);
  bytesEqual(deflateRaw(new DataView(view.buffer, view.byteOffset, view.byteLength)), expect);
  const even = atOffset(data, 8);
  bytesEqual(deflateRaw(new Uint16Array(even.buffer, even.byteOffset, even.byteLength / 2)), expect);
  const d = new Deflater();
  d.write(atOffset(data, 1));
  bytesEqual(decode(d.flush(), { stream: true }).out, data);
});

test('the input is not modified, and each call returns a new array', () => {
  const data = text(3000, 16);
  const copy = data.slice();
  const a = deflateRaw(data), b = deflateRaw(data);
  bytesEqual(data, copy);
  bytesEqual(a, b);
  assert.ok(a !== b && a.buffer !== b.buffer);
  b[0] ^= 1;
  bytesEqual(deflateRaw(data), a, 'returned arrays are not reused');
});

test('a higher level is not larger on text, and level 1 is far smaller than the input', () => {
  const data = text(60000, 17);
  const sizes = [1, 6, 9].map((level) => deflateRaw(data, { level }).length);
  assert.ok(sizes[0] < data.length / 2, String(sizes));
  assert.ok(sizes[1] <= sizes[0] && sizes[2] <= sizes[1], String(sizes));
});

const BAD_OPTIONS = [
  [null, TypeError, /options/],
  [5, TypeError, /options/],
  ['fast', TypeError, /options/],
  [{ lvl: 6 }, TypeError, /Unknown option "lvl".*"level"/],
  [{ windowbits: 9 }, TypeError, /Unknown option "windowbits".*"windowBits"/],
  [{ level: '6' }, TypeError, /level to be a number, got string/],
  [{ level: null }, TypeError, /level to be a number, got null/],
  [{ level: -1 }, RangeError, /level to be an integer from 0 to 9, got -1/],
  [{ level: 10 }, RangeError, /level to be an integer from 0 to 9, got 10/],
  [{ level: 6.5 }, RangeError, /level to be an integer from 0 to 9, got 6.5/],
  [{ level: NaN }, RangeError, /got NaN/],
  [{ level: Infinity }, RangeError, /got Infinity/],
  [{ windowBits: 7 }, RangeError, /windowBits to be an integer from 8 to 15, got 7/],
  [{ windowBits: 16 }, RangeError, /windowBits to be an integer from 8 to 15, got 16/],
  [{ windowBits: 9.5 }, RangeError, /got 9.5/],
  [{ windowBits: 15n }, TypeError, /windowBits to be a number, got bigint/],
];

test('bad options: TypeError for a wrong type or an unknown key (named, with the nearest known one), RangeError for a value out of range', () => {
  for (const [options, Kind, re] of BAD_OPTIONS) {
    for (const [label, call] of [['deflateRaw', () => deflateRaw(utf8('x'), options)], ['Deflater', () => new Deflater(options)]]) {
      assert.throws(call, (e) => e instanceof Kind && re.test(e.message) && /^[A-Z]/.test(e.message) && !e.message.endsWith('.'), `${label} ${String(options?.level ?? options)}`);
    }
  }
});

test('options: undefined values take the defaults, and each option is read once', () => {
  bytesEqual(deflateRaw(text(2000), { level: undefined, windowBits: undefined }), deflateRaw(text(2000)));
  let reads = 0;
  const options = { get level() { reads++; return reads === 1 ? 1 : 99; } };
  const out = deflateRaw(text(2000), options);
  assert.is(reads, 1);
  bytesEqual(out, deflateRaw(text(2000), { level: 1 }));
});

test('bad data: TypeError naming it, for deflateRaw and Deflater.write', () => {
  for (const data of ['Hello', null, undefined, 42, [1, 2, 3], {}]) {
    assert.throws(() => deflateRaw(data), (e) => e instanceof TypeError && /^Cannot deflate: Expected data to be a Uint8Array, ArrayBuffer or ArrayBufferView/.test(e.message));
    assert.throws(() => new Deflater().write(data), (e) => e instanceof TypeError && /^Cannot write to Deflater: Expected data to be/.test(e.message));
  }
});

test('a Deflater is usable after a bad write, and output is the same as if it had not happened', () => {
  const d = new Deflater();
  d.write(utf8('Hel'));
  assert.throws(() => d.write('lo'), (e) => e instanceof TypeError);
  d.write(utf8('lo'));
  assert.is(toHex(d.flush()), 'f248cdc9c907' + '00' + TAIL);
});

test('messages over half a window: the same output however they are cut, blocks every half window, distances within the window', () => {
  // Big messages grow the buffer, small ones let it shrink back: output must not depend on either, nor on the writes' sizes.
  for (const windowBits of [9, 12, 15]) {
    const msgs = [text(40000, 30), text(300, 31), text(70000, 32), text(20, 33), text(5000, 34)];
    const run = (step) => {
      const d = new Deflater({ windowBits });
      const parts = [];
      for (const m of msgs) {
        for (let i = 0; i < m.length; i += step) parts.push(d.write(m.subarray(i, i + step)));
        parts.push(d.flush());
      }
      return concat(...parts);
    };
    const whole = run(1 << 20);
    for (const step of [1000, 4097, 16384, 33000]) bytesEqual(run(step), whole, `windowBits ${windowBits}, writes of ${step}`);
    const got = decode(whole, { stream: true });
    bytesEqual(got.out, concat(...msgs));
    assert.ok(got.maxDist <= (1 << windowBits) - 1, `windowBits ${windowBits}: a distance of ${got.maxDist}`);
    // Half a window (4 KiB at least) of input a block at most, plus a sync flush's empty block per message: 1 + 1 + 5 + 1 + 2 at windowBits 15.
    const ahead = Math.max(1 << (windowBits - 1), 4096);
    const expected = msgs.reduce((n, m) => n + Math.max(1, Math.ceil(m.length / ahead)) + 1, 0);
    assert.is(got.blocks.length, expected, `windowBits ${windowBits}: blocks`);
  }
});

test('output is deterministic across instances, and a stream of messages is the same however it is chunked', () => {
  const msgs = [text(500, 20), text(9000, 21), text(30, 22)];
  const run = (chunk) => {
    const d = new Deflater({ level: 5 });
    const parts = [];
    for (const m of msgs) {
      if (chunk) for (let i = 0; i < m.length; i += 7) parts.push(d.write(m.subarray(i, i + 7)));
      else parts.push(d.write(m));
      parts.push(d.flush());
    }
    return concat(...parts);
  };
  const whole = run(false);
  bytesEqual(run(true), whole);
  bytesEqual(run(false), whole, 'a second instance');
  bytesEqual(decode(whole, { stream: true }).out, concat(...msgs));
});

test.run();
