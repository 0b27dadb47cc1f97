// A seeded fuzzer for inflateRaw and Inflater (issue 15 §3): random bytes and
// valid zlib streams mutated (bit flips, truncation, inserted, deleted and
// overwritten bytes, spliced streams). For each case: no crash (only Error or
// RangeError, "Cannot inflate: ..."), no hang, never more output than the
// limit, and the same accept/reject decision as zlib.inflateRawSync (window
// 15), with the same bytes on accept, also when fed to an Inflater in random
// pieces with other streams decoded in between. FUZZ_SEED and FUZZ_CASES override the seed and the count.
import { constants, deflateRawSync, inflateRawSync } from 'node:zlib';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Inflater, inflateRaw } from '../../dist/permessage-deflate.js';
import { concat, prng, utf8 } from '../_util.mjs';

const test = suite('inflate-fuzz');
const SEED = Number(process.env.FUZZ_SEED ?? 20261207);
const CASES = Number(process.env.FUZZ_CASES ?? 30000);

/** Small plain inputs that make every kind of block. */
function plains(r) {
  const words = ['the', 'deflate', 'window', 'match', 'literal', 'block', 'stream', 'huffman', 'code', 'length', '{"id":', '"name":', '},', '\n'];
  const out = [];
  for (let i = 0; i < 40; i++) {
    const n = r.int(i < 20 ? 300 : 3000);
    const k = i % 4;
    if (k === 0) out.push(r.bytes(n));
    else if (k === 1) out.push(new Uint8Array(n).fill(r.int(256)));
    else { let s = ''; while (s.length < n) s += words[r.int(words.length)] + (r.int(3) ? ' ' : ''); out.push(utf8(s.slice(0, n))); }
  }
  return out;
}

/** Valid raw streams of those inputs: stored, fixed, dynamic, small windows, sync-flushed then finished. */
function streams(r) {
  const out = [];
  const { Z_FIXED, Z_HUFFMAN_ONLY, Z_RLE, Z_SYNC_FLUSH } = constants;
  for (const p of plains(r)) {
    const strategy = [0, Z_FIXED, Z_HUFFMAN_ONLY, Z_RLE][r.int(4)];
    const level = r.int(10);
    const windowBits = 9 + r.int(7);
    out.push(new Uint8Array(deflateRawSync(p, { level, strategy, windowBits })));
    // A sync-flushed stream (an empty stored block before the end), finished by a final empty block.
    out.push(concat(new Uint8Array(deflateRawSync(p, { level, finishFlush: Z_SYNC_FLUSH })), Uint8Array.of(0x03, 0x00)));
  }
  return out;
}

function mutate(r, s) {
  const b = Array.from(s);
  const times = 1 + r.int(3);
  for (let t = 0; t < times; t++) {
    const k = r.int(6);
    const at = r.int(b.length + 1);
    if (k === 0 && b.length) { const i = r.int(b.length); b[i] ^= 1 << r.int(8); }                     // flip a bit
    else if (k === 1) b.length = at;                                                                      // truncate
    else if (k === 2) b.splice(at, 0, ...r.bytes(1 + r.int(4)));                                          // insert
    else if (k === 3 && b.length) b.splice(r.int(b.length), 1 + r.int(3));                               // delete
    else if (k === 4 && b.length) b[r.int(b.length)] = r.int(256);                                        // overwrite
    else if (k === 5 && b.length) { const i = r.int(b.length); b[i] ^= 1 << r.int(8); b[Math.min(b.length - 1, i + 1)] ^= 1 << r.int(8); }
  }
  return Uint8Array.from(b);
}

/** zlib's decision: the output, or null for an error. */
function zlibInflate(data) {
  try { return new Uint8Array(inflateRawSync(data)); } catch { return null; }
}

/** Ours: the output, or the error (which must be ours: an Error or a RangeError saying "Cannot inflate"). */
function ours(data, options) {
  try {
    return inflateRaw(data, options);
  } catch (e) {
    if (!((e.constructor === Error || e.constructor === RangeError) && /^Cannot inflate: /.test(e.message))) throw new Error(`Crash on ${Buffer.from(data).toString('hex')}: ${e.stack}`);
    return e;
  }
}

const same = (a, b) => a.length === b.length && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.length), Buffer.from(b.buffer, b.byteOffset, b.length)) === 0;

test(`random and mutated streams: the same decision and bytes as zlib (seed ${SEED})`, () => {
  const r = prng(SEED);
  const valid = streams(r);
  const t0 = Date.now();
  const tally = { random: 0, mutated: 0, spliced: 0, accepted: 0, rejected: 0, limited: 0, chunked: 0 };
  for (let i = 0; i < CASES; i++) {
    let data, kind;
    const k = r.int(10);
    if (k === 0) { data = r.bytes(r.int(64)); kind = 'random'; }
    else if (k === 1) {
      // Random bytes behind a valid block header: dynamic (BTYPE 2) or fixed (1), so the fuzzer reaches past the first 3 bits.
      data = r.bytes(1 + r.int(200)); data[0] = (data[0] & ~7) | (r.int(2) ? 5 : 3); kind = 'random';
    } else if (k === 2) { data = concat(valid[r.int(valid.length)].subarray(0, 1 + r.int(40)), mutate(r, valid[r.int(valid.length)])); kind = 'spliced'; }
    else { data = mutate(r, valid[r.int(valid.length)]); kind = 'mutated'; }
    tally[kind]++;
    const expect = zlibInflate(data);
    const got = ours(data);
    if (expect === null) {
      assert.ok(got instanceof Error, `zlib refuses, we accept (${kind}): ${Buffer.from(data).toString('hex')}`);
      tally.rejected++;
    } else {
      assert.ok(!(got instanceof Error), `zlib accepts, we refuse (${kind}) with "${got.message}": ${Buffer.from(data).toString('hex')}`);
      assert.ok(same(got, expect), `different output (${kind}): ${Buffer.from(data).toString('hex')}`);
      tally.accepted++;
      // The same bytes through an Inflater in random pieces: the same output (it ends at the final block).
      if (i % 4 === 0) {
        const inflater = new Inflater();
        const parts = [];
        for (let at = 0; at < data.length;) {
          const n = 1 + r.int(12);
          parts.push(inflater.write(data.subarray(at, at + n)));
          at += n;
          // Another stream decoded in between: the decoding tables are shared, and must come back.
          if (r.int(4) === 0) ours(valid[r.int(valid.length)]);
        }
        assert.ok(same(concat(...parts), expect), `Inflater in pieces: ${Buffer.from(data).toString('hex')}`);
        tally.chunked++;
      }
    }
    // Under a limit: never more output than the limit; a RangeError exactly when zlib's output is longer.
    if (i % 3 === 0) {
      const limit = r.int(expect === null ? 400 : expect.length + 2);
      const capped = ours(data, { maxOutputLength: limit });
      if (expect !== null && expect.length > limit) assert.ok(capped instanceof RangeError, `limit ${limit} < ${expect.length}: ${Buffer.from(data).toString('hex')}`);
      else if (expect !== null) assert.ok(same(capped, expect), `limit ${limit}: ${Buffer.from(data).toString('hex')}`);
      else assert.ok(capped instanceof Error);
      if (!(capped instanceof Error)) assert.ok(capped.length <= limit);
      tally.limited++;
    }
  }
  const ms = Date.now() - t0;
  console.log(`\n  inflate fuzz: ${CASES} cases in ${ms} ms (seed ${SEED}): ${JSON.stringify(tally)}`);
  // Enough of both outcomes that the comparison means something.
  assert.ok(tally.accepted > CASES / 50 && tally.rejected > CASES / 3, JSON.stringify(tally));
});

test('Inflater pieces: random messages under a per-message limit never return more than the limit', () => {
  const r = prng(SEED + 1);
  const valid = streams(r);
  let cases = 0;
  for (let i = 0; i < 2000; i++) {
    const limit = r.int(2000);
    const inflater = new Inflater({ maxOutputLength: limit });
    const data = r.int(2) ? mutate(r, valid[r.int(valid.length)]) : valid[r.int(valid.length)];
    let total = 0;
    try {
      for (let at = 0; at < data.length;) { const n = 1 + r.int(64); total += inflater.write(data.subarray(at, at + n)).length; at += n; }
      total += inflater.endMessage().length;
    } catch (e) {
      assert.ok((e.constructor === Error || e.constructor === RangeError) && /^Cannot inflate: /.test(e.message), e.stack);
    }
    assert.ok(total <= limit, `${total} > ${limit}`);
    cases++;
  }
  assert.is(cases, 2000);
});

test.run();
