// Browser compatible. The compressor's front end: LZ77 over a sliding window
// (RFC 1951 §4) with hash chains, greedy at levels 1-3 and lazy at 4-9 as in
// zlib's deflate.c, feeding the block writer in _deflate-block.ts.
import {
  DIST_SYM, LEN_SYM, SYM_CAP, W, align, dfreq, lfreq, reserve, settle, syms, writeBlock, writeStored,
} from './_deflate-block.ts';

/**
 * Per level: good (a match this long cuts the chain search to a quarter),
 * lazy (levels 4-9: no lazy search after a match this long; levels 1-3: no
 * hashing of the positions inside a longer match), nice (stop at a match
 * this long), chain (candidates tried at most). zlib's table (deflate.c)
 * for levels 1-3; from 4 on, shorter chains than zlib's: with 4-byte hashes
 * and the chain skipping in `longest`, each step finds more. Level 6 with
 * zlib's 128 steps ran at 0.85x fflate's speed on bench/deflate's 1 MiB of
 * text for 1 % less output; good 4, chain 32 runs at 1.45x for 1.2 % more
 * than zlib (1.9 % on JSON logs).
 */
const CONFIG = [
  [0, 0, 0, 0],
  [4, 4, 8, 4], [4, 5, 16, 8], [4, 6, 32, 32],
  [4, 4, 16, 8], [4, 16, 32, 16], [4, 16, 64, 32], [8, 32, 128, 64], [32, 128, 258, 256], [32, 258, 258, 1024],
];
/** A 3-byte match (a hash collision can give one) farther than this mostly costs more bits than three literals (zlib's TOO_FAR). */
const TOO_FAR = 4096;
/**
 * At levels 4-6 (chains of 32 steps or fewer), the chain skipping of
 * `longest` is used for at most this much input at a time: small messages,
 * where it finds better matches in the window and the block's fixed costs
 * dominate anyway. At levels 7-9 it is always used: with their long chains
 * it saves time too (level 9 on 1 MiB of text: 13.6 against 10.1 MB/s,
 * same output; level 7: same speed, 1.2 % less output). At level 6 with
 * context takeover it keeps 200-byte JSON messages at 29.30 bytes (29.92
 * without), but costs 16 KiB JSON-lines messages 20 % of their time for no
 * smaller output (5.2k against 6.5k a second, 1508 bytes either way); on
 * 1 MiB one-shot it gives 1.4 % less text (1.012x zlib against 1.026x) and
 * 0.6 % less JSON for 12 % of the time.
 */
const SKIP_MAX = 4096;
/** Hash bits of a one-shot call: 2^14 heads (32 KiB, freed after the call); 2^15 and 2^16 were no faster on 1 MiB of text. */
const MAX_HASH_BITS = 14;
/**
 * Hash bits of a Deflater at windowBits 14-15 (2^12 heads, 8 KiB kept per
 * instance). Against 2^13: 0.5 % more output on 200-byte JSON messages with
 * context (29.30 against 29.15 bytes each) and 0.25 % on 16 KiB ones, at
 * the same speed; 2^11 cost 1.3 % more on the 16 KiB ones. (2^14 had given 0.1 %
 * less than 2^13 on 1 MiB of text.)
 */
const STREAM_HASH_BITS = 12;
/**
 * A Deflater compresses its input this much at a time at most (half a
 * window from windowBits 14), each piece ending a block, so its buffer grows
 * up to the window and that much after it. Half a window costs 0.8 % more
 * output on 1 MiB of text than one-shot (a whole window ahead 0.3 %, 8 KiB
 * 1.7 %).
 */
const MIN_AHEAD = 4096;
/** A Deflater's first buffer (and chain slots): enough for a typical small message. */
const MIN_GROW = 1024;
/**
 * Room after the window in a Deflater's buffer between messages: a buffer
 * grown for a bigger message shrinks back to this after a message that fits
 * it. Small messages fill it, then the window slides (a copy of the window
 * every 20 or so 200-byte messages); 2 KiB measured 10 % slower on 200-byte
 * messages, and each 4 KiB more costs 4 KiB a connection.
 */
const REST_AHEAD = 4096;

const NO_BYTES = /* @__PURE__ */ new Uint8Array(0);
const NO_POSITIONS = /* @__PURE__ */ new Uint16Array(0);

/**
 * One compressor's state: the window buffer and the hash chains over it.
 * The chains hold positions modulo 2^16 (Uint16Array: 2 bytes an entry),
 * counted from the stream's start (`base` + buffer index), and distances
 * are recovered as (position - entry) mod 2^16: no window is over 32 KiB,
 * so that is exact within reach, and a stale entry only costs a compare.
 * A slide then moves bytes only, and a one-shot input of any size is read
 * in place. Position 0 of the stream is never matched (zlib's NIL): that
 * reproduces zlib's output for RFC 7692 §7.2.3.2 byte for byte.
 */
export class Engine {
  win: Uint8Array = NO_BYTES;
  head: Uint16Array = NO_POSITIONS;
  prev: Uint16Array = NO_POSITIONS;
  /** Next position to compress; end of the bytes held; first position whose 4-byte hash is still to insert (buffer indices). */
  pos = 0;
  end = 0;
  ins = 0;
  /** Stream position of buffer index 0, kept mod 2^16, with bit 16 set once the buffer has slid (the stream is past position 0). */
  base = 0;
  /** Bits written but not yet a whole byte, kept between calls (a sync flush leaves none). */
  bb = 0;
  bc = 0;
  hshift = 0;
  pmask = 0;
  /** Bytes written since the last flush (the message so far): a message that fits the resting buffer lets a grown one shrink back. */
  msg = 0;
  readonly level: number;
  readonly wsize: number;
  /** Input compressed at a time (a block each): max(2^(windowBits-1), MIN_AHEAD). */
  readonly ahead: number;
  /** The buffer's size between messages: the window and REST_AHEAD of room. */
  readonly rest: number;
  readonly good: number;
  readonly lazy: number;
  readonly nice: number;
  readonly chain: number;

  constructor(level: number, windowBits: number) {
    this.level = level;
    this.wsize = 1 << windowBits;
    this.ahead = Math.max(this.wsize >> 1, MIN_AHEAD);
    this.rest = this.wsize + Math.min(this.ahead, REST_AHEAD);
    [this.good, this.lazy, this.nice, this.chain] = CONFIG[level];
  }

  /**
   * Makes room for `need` bytes held: the buffer and the chains start small
   * and double up to their full size (the window and `ahead` after it; a
   * window of chain slots), so a Deflater that has sent little holds little.
   * Nothing slides before the buffer is over a window, so until the chains
   * are whole, positions are buffer indices and a chain slot is its
   * position: the slots copy over as they are. The heads are allocated whole
   * on the first write: resizing them would rehash, and change the output.
   * No output depends on the buffer's size: blocks end at `ahead` bytes and
   * at flushes only.
   */
  private grow(need: number): void {
    const w = this.wsize;
    if (this.level !== 0 && this.head.length === 0) this.tables(0, hashBits(31 - Math.clz32(w)));
    let size = Math.max(this.win.length, MIN_GROW);
    while (size < need) size *= 2;
    this.resize(Math.min(size, w + this.ahead));
    const slots = Math.min(w, size);
    if (this.level !== 0 && slots > this.prev.length) {
      const prev = new Uint16Array(slots);
      prev.set(this.prev);
      this.prev = prev;
      this.pmask = slots - 1;
    }
  }

  /** A new buffer of `size` bytes holding what this one holds. */
  private resize(size: number): void {
    const win = new Uint8Array(size);
    win.set(this.win.subarray(0, this.end));
    this.win = win;
  }

  private tables(prevSize: number, bits: number): void {
    this.head = new Uint16Array(1 << bits);
    this.prev = new Uint16Array(prevSize);
    this.pmask = prevSize - 1;
    this.hshift = 32 - bits;
  }

  /** Forgets the window (no context takeover); clearing the heads makes the output the same as a new engine's. */
  reset(): void {
    this.pos = this.end = this.ins = this.base = this.bb = this.bc = this.msg = 0;
    this.head.fill(0);
  }

  /**
   * Appends `data`, compressing whenever the buffer fills; with `sync` ends
   * with a sync flush (RFC 7692 §7.2.1). A final block is whole()'s only.
   * Returns the whole bytes of output produced.
   */
  write(data: Uint8Array, sync: boolean): Uint8Array {
    begin(this);
    if (this.head.length === 0 && this.level !== 0) this.grow(0);
    this.msg += data.length;
    for (let i = 0; i < data.length;) {
      // A block's worth of input held: compress it. Blocks so end at the same places however the input is cut into writes.
      if (this.end - this.pos === this.ahead) this.run(false);
      if (this.end === this.win.length) {
        // Full: drop what no later position can reach (RFC 1951 §3.2.5: distances up to the window), then grow if that was not enough.
        if (this.pos > this.wsize) this.slide(this.pos - this.wsize);
        if (this.end === this.win.length) this.grow(this.end + data.length - i);
      }
      const n = Math.min(data.length - i, this.win.length - this.end, this.ahead - (this.end - this.pos));
      // A message copied whole, the usual case, needs no subarray (1.5 % of a 200-byte message's time in the profile).
      this.win.set(n === data.length ? data : data.subarray(i, i + n), this.end);
      this.end += n;
      i += n;
    }
    if (sync) {
      this.run(false);
      writeStored(NO_BYTES, 0, 0, false);
      // A buffer grown for a big message goes back to its resting size once a message fits that (memory between messages).
      if (this.win.length > this.rest && this.msg <= this.rest - this.wsize) {
        if (this.pos > this.wsize) this.slide(this.pos - this.wsize);
        this.resize(this.rest);
      }
      this.msg = 0;
    }
    return finish(this);
  }

  /**
   * One-shot compression, in place: the input itself is the window (no
   * copy, no slide), and the tables are sized to it, so a 200-byte input
   * zeroes 512 bytes of heads, not 32 KiB.
   */
  whole(data: Uint8Array): Uint8Array {
    const n = data.length;
    this.win = data;
    this.end = n;
    if (this.level !== 0) {
      const fit = n <= 2 ? 1 : 1 << (32 - Math.clz32(n - 1));
      this.tables(Math.min(this.wsize, fit), Math.min(MAX_HASH_BITS, Math.max(8, 31 - Math.clz32(fit))));
    }
    begin(this);
    this.run(true);
    align();
    return finish(this);
  }

  /** Drops the first `s` bytes, moving the rest to the front; chain entries and slots go by stream position, so they stay put. */
  private slide(s: number): void {
    this.win.copyWithin(0, s, this.end);
    this.pos -= s;
    this.end -= s;
    this.ins = Math.max(0, this.ins - s);
    this.base = ((this.base + s) & 0xffff) | 0x10000;
  }

  /** Compresses everything held into blocks, the last one final when `last`. */
  private run(last: boolean): void {
    const start = this.pos, end = this.end;
    if (start === end && !last) return;
    if (this.level === 0) writeStored(this.win, start, end, last);
    else this.lz(last);
    this.pos = end;
  }

  /** LZ77 over [pos, end): lazy matching (levels 4-9) or greedy (1-3), as zlib's deflate_slow and deflate_fast. */
  private lz(last: boolean): void {
    const w = this.win, head = this.head, prev = this.prev, pmask = this.pmask, hshift = this.hshift, base = this.base;
    const end = this.end, good = this.good, lazyMax = this.lazy, niceMax = this.nice, chainMax = this.chain;
    // RFC 1951 §3.2.5: a distance is at most the window; here under it, since a chain slot is reused a window later.
    const wmax = this.wsize - 1;
    const greedy = this.level <= 3;
    const skip = chainMax > 32 || end - this.pos <= SKIP_MAX;
    let pos = this.pos, n = 0, blockStart = pos;
    // Positions left unhashed for want of 4 bytes (the end of the last message) go in first, so the next message can match them.
    const ready = Math.min(pos, end - 3);
    hashRange(w, head, prev, pmask, hshift, base, this.ins, ready);
    this.ins = ready < pos ? Math.max(this.ins, ready) : Math.max(pos, end - 3);
    let prevLen = 2, prevDist = 0, pending = false;
    while (pos < end) {
      // Distance to the last position with the same hash; 0 for none (fewer than 4 bytes left).
      let first = 0;
      if (pos + 3 < end) {
        const h = Math.imul(w[pos] | (w[pos + 1] << 8) | (w[pos + 2] << 16) | (w[pos + 3] << 24), 0x9e3779b1) >>> hshift;
        const e = head[h];
        prev[(pos + base) & pmask] = e;
        head[h] = pos + base;
        first = (pos + base - e) & 0xffff;
      }
      // The farthest distance allowed: within the window, and never to stream position 0.
      const far = pos + base - 1 < wmax ? pos + base - 1 : wmax;
      let len = 2, dist = 0;
      const maxLen = end - pos < 258 ? end - pos : 258;
      if (greedy) {
        if (first !== 0 && first <= far && maxLen >= 3) {
          const r = longest(w, prev, pmask, pos, pos + base, first, far, 2, maxLen, niceMax < maxLen ? niceMax : maxLen, chainMax, lazyMax >= 258);
          len = r & 511;
          dist = r >>> 9;
        }
        if (len >= 3) {
          n = match(n, dist, len);
          const stop = pos + len;
          if (len <= lazyMax) hashRange(w, head, prev, pmask, hshift, base, pos + 1, stop < end - 3 ? stop : end - 3);
          pos = stop;
        } else {
          const c = w[pos++];
          syms[n++] = c;
          lfreq[c]++;
        }
        if (n === SYM_CAP) { writeBlock(w, blockStart, pos, n, false); n = 0; blockStart = pos; }
        continue;
      }
      if (first !== 0 && first <= far && prevLen < lazyMax && maxLen > prevLen) {
        const r = longest(w, prev, pmask, pos, pos + base, first, far, prevLen, maxLen, niceMax < maxLen ? niceMax : maxLen, prevLen >= good ? chainMax >> 2 : chainMax, skip);
        len = r & 511;
        dist = r >>> 9;
        if (len === prevLen) len = 2; // nothing longer found
        else if (len === 3 && dist > TOO_FAR) len = 2;
      }
      if (prevLen >= 3 && len <= prevLen) {
        n = match(n, prevDist, prevLen);
        // The match began at pos - 1; hash the positions it covers that are not hashed yet.
        const stop = pos - 1 + prevLen;
        hashRange(w, head, prev, pmask, hshift, base, pos + 1, stop < end - 3 ? stop : end - 3);
        pos = stop;
        pending = false;
        prevLen = 2;
        if (n === SYM_CAP) { writeBlock(w, blockStart, pos, n, false); n = 0; blockStart = pos; }
      } else if (pending) {
        const c = w[pos - 1];
        syms[n++] = c;
        lfreq[c]++;
        if (n === SYM_CAP) { writeBlock(w, blockStart, pos, n, false); n = 0; blockStart = pos; }
        prevLen = len;
        prevDist = dist;
        pos++;
      } else {
        pending = true;
        prevLen = len;
        prevDist = dist;
        pos++;
      }
    }
    if (pending) {
      const c = w[end - 1];
      syms[n++] = c;
      lfreq[c]++;
    }
    writeBlock(w, blockStart, end, n, last);
  }
}

/**
 * Hashes positions [from, to) into the chains (RFC 1951 §4): the hash of
 * the 4 bytes at each (a multiplicative hash, Knuth's constant), the old
 * head into the position's chain slot, the position into the head.
 */
function hashRange(w: Uint8Array, head: Uint16Array, prev: Uint16Array, pmask: number, hshift: number, base: number, from: number, to: number): void {
  for (let q = from; q < to; q++) {
    const h = Math.imul(w[q] | (w[q + 1] << 8) | (w[q + 2] << 16) | (w[q + 3] << 24), 0x9e3779b1) >>> hshift;
    prev[(q + base) & pmask] = head[h];
    head[h] = q + base;
  }
}

/** Adds a match to the block: its symbol, and its length and distance codes' counts (RFC 1951 §3.2.5). Returns the symbol count. */
function match(n: number, dist: number, len: number): number {
  syms[n] = (dist << 8) | (len - 3);
  lfreq[257 + LEN_SYM[len - 3]]++;
  const d = dist - 1;
  dfreq[DIST_SYM[d < 256 ? d : 256 + (d >> 7)]]++;
  return n + 1;
}

/** Hash bits for a window: fewer for a small window, whose chains are short anyway. */
function hashBits(windowBits: number): number {
  return Math.min(STREAM_HASH_BITS, Math.max(8, windowBits - 2));
}

/**
 * The longest match at `pos` longer than `best`, among the chain whose
 * first entry is `first` bytes back, going no farther than `far`: returns
 * length | distance << 9 (distance 0: none longer). `key` is pos's stream
 * position (chain entries are stream positions mod 2^16). A candidate is
 * compared first at the byte that would make it longer than the best so
 * far, then at its first two bytes: most candidates fail there without a
 * byte-by-byte scan (zlib's scan_end test; on bench/deflate's text at level
 * 6, one candidate in 14 reaches the scan).
 *
 * Once a match is found, any longer one also matches at each offset j of
 * it, so its position + j is on the chain of this match's position + j: the
 * walk moves to the offset whose chain next reaches farthest back (the
 * technique of fflate), skipping candidates that cannot be longer. With
 * the same 32 steps at level 6 it found enough more to shrink bench/deflate's
 * 1 MiB of text by 1.4 % (1.012x zlib's size against 1.026x), for 12 % more
 * time, and 200-byte messages with context by 2 %: it is used for small
 * inputs only (`SKIP_MAX`).
 */
function longest(w: Uint8Array, prev: Uint16Array, pmask: number, pos: number, key: number, first: number, far: number, best: number, maxLen: number, nice: number, chain: number, skip: boolean): number {
  // The walk follows the chain of node = pos - nd, whose candidate is node - off.
  let dist = 0, off = 0, nd = first, cand = pos - first;
  let e1 = w[pos + best - 1], e0 = w[pos + best];
  const b0 = w[pos], b1 = w[pos + 1];
  for (;;) {
    if (w[cand + best] === e0 && w[cand + best - 1] === e1 && w[cand] === b0 && w[cand + 1] === b1) {
      let l = 2;
      while (l < maxLen && w[cand + l] === w[pos + l]) l++;
      if (l > best) {
        best = l;
        dist = pos - cand;
        if (l >= nice) break;
        e1 = w[pos + l - 1];
        e0 = w[pos + l];
        if (skip) {
          // Offsets whose 4 bytes lie in the match and before pos (hashed already).
          const top = l - 4 < dist - 1 ? l - 4 : dist - 1;
          let gap = 0;
          for (let j = 0; j <= top; j++) {
            // 4 bytes not seen before have an entry out of reach: the walk then ends, rightly.
            const q = cand + j + key - pos, g = (q - prev[q & pmask]) & 0xffff;
            if (g > gap) { gap = g; off = j; }
          }
          nd = dist - off;
        }
      }
    }
    if (--chain === 0) break;
    const next = (key - prev[(key - nd) & pmask]) & 0xffff;
    // A chain only goes back; an entry that does not was overwritten (or is the empty 0).
    if (next <= nd || next + off > far) break;
    nd = next;
    cand = pos - nd - off;
  }
  return best | (dist << 9);
}

/** Starts a call's output: an empty buffer, with the bits the engine's last call left over. */
function begin(e: Engine): void {
  W.o = 0;
  W.bb = e.bb;
  W.bc = e.bc;
  reserve(64);
}

/** Ends a call's output: keeps the bits short of a byte, returns a copy of the bytes. */
function finish(e: Engine): Uint8Array {
  settle();
  e.bb = W.bb;
  e.bc = W.bc;
  const out = W.out.slice(0, W.o);
  // A big call's buffer is not kept (the process keeps at most 256 KiB): regrowing it measured no slower on 1 MiB of text (33 ms either way).
  if (W.out.length > 1 << 18) W.out = new Uint8Array(4096);
  return out;
}
