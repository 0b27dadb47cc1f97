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
 * this long), chain (candidates tried at most). zlib's table (deflate.c),
 * so that each level trades speed for size as users expect from zlib.
 */
const CONFIG = [
  [0, 0, 0, 0],
  [4, 4, 8, 4], [4, 5, 16, 8], [4, 6, 32, 32],
  [4, 4, 16, 16], [8, 16, 32, 32], [8, 16, 128, 128], [8, 32, 128, 256], [32, 128, 258, 1024], [32, 258, 258, 4096],
];
/** A 3-byte match farther than this costs more bits than three literals mostly (zlib's TOO_FAR). */
const TOO_FAR = 4096;
/** The most hash bits: 2^14 heads (32 KiB) found matches as zlib's 2^15 do within 0.3 % of output size (bench/deflate). */
const MAX_HASH_BITS = 14;
/** A streaming window buffer holds at least this much, so a small window still gets long blocks. */
const MIN_BUFFER = 8192;

const NO_BYTES = /* @__PURE__ */ new Uint8Array(0);
const NO_POSITIONS = /* @__PURE__ */ new Uint16Array(0);

/**
 * One compressor's state: the window buffer and the hash chains over it.
 * Positions are buffer indices in Uint16Array entries (the buffer holds at
 * most 64 KiB), 0 meaning none, as zlib's NIL: a match at position 0 is
 * never found, which also reproduces zlib's output for RFC 7692 §7.2.3.2.
 * `prev` is indexed by position & pmask; the buffer slides by whole
 * windows, so that index stays right across a slide.
 */
export class Engine {
  win: Uint8Array = NO_BYTES;
  head: Uint16Array = NO_POSITIONS;
  prev: Uint16Array = NO_POSITIONS;
  /** Next position to compress; end of the bytes held; first position whose 3-byte hash is still to insert. */
  pos = 0;
  end = 0;
  ins = 0;
  /** Bits written but not yet a whole byte, kept between calls (a sync flush leaves none). */
  bb = 0;
  bc = 0;
  hshift = 0;
  pmask = 0;
  readonly level: number;
  readonly wsize: number;
  readonly good: number;
  readonly lazy: number;
  readonly nice: number;
  readonly chain: number;

  constructor(level: number, windowBits: number) {
    this.level = level;
    this.wsize = 1 << windowBits;
    [this.good, this.lazy, this.nice, this.chain] = CONFIG[level];
  }

  /** Bytes a streaming engine holds once allocated (the figure the Deflater's JSDoc states). */
  static bytes(level: number, windowBits: number): number {
    const w = 1 << windowBits;
    return Math.max(2 * w, MIN_BUFFER) + (level === 0 ? 0 : 2 * w + 2 * (1 << hashBits(windowBits)));
  }

  /** Streaming tables, allocated on first use: window buffer, hash heads and chains. */
  private alloc(): void {
    const w = this.wsize;
    this.win = new Uint8Array(Math.max(2 * w, MIN_BUFFER));
    if (this.level === 0) return;
    this.tables(w, hashBits(31 - Math.clz32(w)));
  }

  private tables(prevSize: number, bits: number): void {
    this.head = new Uint16Array(1 << bits);
    this.prev = new Uint16Array(prevSize);
    this.pmask = prevSize - 1;
    this.hshift = 32 - bits;
  }

  /** Forgets the window (no context takeover): the heads are cleared, the chains are only reached through them. */
  reset(): void {
    this.pos = this.end = this.ins = this.bb = this.bc = 0;
    this.head.fill(0);
  }

  /**
   * Appends `data`, compressing whenever the buffer fills; with `flush` 1
   * ends with a sync flush (RFC 7692 §7.2.1), with 2 with a final block.
   * Returns the whole bytes of output produced.
   */
  write(data: Uint8Array, flush: number): Uint8Array {
    if (this.win.length === 0) this.alloc();
    begin(this);
    for (let i = 0; i < data.length;) {
      if (this.end === this.win.length) {
        this.run(false);
        this.slide();
      }
      const n = Math.min(data.length - i, this.win.length - this.end);
      this.win.set(data.subarray(i, i + n), this.end);
      this.end += n;
      i += n;
    }
    if (flush !== 0) {
      this.run(flush === 2);
      // A final block ends the stream: its last byte is padded out (RFC 1951 §3.2.3).
      if (flush === 1) writeStored(NO_BYTES, 0, 0, false); else align();
    }
    return finish(this);
  }

  /**
   * One-shot compression of input that fits one buffer, in place: the input
   * itself is the window (no copy), and the tables are sized to it, so a
   * 200-byte input zeroes 512 bytes of heads, not 32 KiB.
   */
  whole(data: Uint8Array): Uint8Array {
    const n = data.length;
    if (n > Math.max(2 * this.wsize, MIN_BUFFER)) return this.write(data, 2);
    this.win = data;
    this.end = n;
    if (this.level !== 0) {
      const fit = n <= 2 ? 1 : 1 << (32 - Math.clz32(n - 1));
      this.tables(Math.min(this.wsize, fit), Math.min(hashBits(31 - Math.clz32(this.wsize)), Math.max(8, 31 - Math.clz32(fit))));
    }
    begin(this);
    this.run(true);
    align();
    return finish(this);
  }

  /** Moves the last window's worth of bytes to the front; positions drop by the same whole number of windows. */
  private slide(): void {
    const s = this.win.length - this.wsize;
    this.win.copyWithin(0, s, this.end);
    this.pos -= s;
    this.end -= s;
    this.ins = Math.max(0, this.ins - s);
    const head = this.head, prev = this.prev;
    for (let i = 0; i < head.length; i++) { const v = head[i]; head[i] = v >= s ? v - s : 0; }
    for (let i = 0; i < prev.length; i++) { const v = prev[i]; prev[i] = v >= s ? v - s : 0; }
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
    const w = this.win, head = this.head, prev = this.prev, pmask = this.pmask, hshift = this.hshift;
    const end = this.end, wsize = this.wsize, good = this.good, lazyMax = this.lazy, niceMax = this.nice, chainMax = this.chain;
    const greedy = this.level <= 3;
    const start = this.pos;
    let pos = start, n = 0, blockStart = pos;
    // Positions left unhashed for want of 3 bytes (the end of the last message) go in first, so the next message can match them.
    let p = this.ins;
    for (; p < pos && p + 2 < end; p++) {
      const h = Math.imul(w[p] | (w[p + 1] << 8) | (w[p + 2] << 16), 0x9e3779b1) >>> hshift;
      prev[p & pmask] = head[h];
      head[h] = p;
    }
    this.ins = p < pos ? p : Math.max(pos, end - 2);
    let prevLen = 2, prevDist = 0, pending = false;
    while (pos < end) {
      let cand = 0;
      if (pos + 2 < end) {
        const h = Math.imul(w[pos] | (w[pos + 1] << 8) | (w[pos + 2] << 16), 0x9e3779b1) >>> hshift;
        cand = head[h];
        prev[pos & pmask] = cand;
        head[h] = pos;
      }
      // RFC 1951 §3.2.5: a distance is at most the window; here under it, since a chain slot is reused a window later.
      const limit = pos > wsize ? pos - wsize : 0;
      let len = 2, dist = 0;
      const maxLen = end - pos < 258 ? end - pos : 258;
      if (greedy) {
        if (cand > limit && maxLen >= 3) {
          const r = longest(w, prev, pmask, pos, cand, limit, 2, maxLen, niceMax < maxLen ? niceMax : maxLen, chainMax);
          len = r & 511;
          dist = r >>> 9;
        }
        if (len >= 3) {
          syms[n++] = (dist << 8) | (len - 3);
          lfreq[257 + LEN_SYM[len - 3]]++;
          const d = dist - 1;
          dfreq[DIST_SYM[d < 256 ? d : 256 + (d >> 7)]]++;
          const stop = pos + len;
          if (len <= lazyMax) {
            const top = stop < end - 2 ? stop : end - 2;
            for (let q = pos + 1; q < top; q++) {
              const h = Math.imul(w[q] | (w[q + 1] << 8) | (w[q + 2] << 16), 0x9e3779b1) >>> hshift;
              prev[q & pmask] = head[h];
              head[h] = q;
            }
          }
          pos = stop;
        } else {
          const c = w[pos++];
          syms[n++] = c;
          lfreq[c]++;
        }
        if (n === SYM_CAP) { writeBlock(w, blockStart, pos, n, false); n = 0; blockStart = pos; }
        continue;
      }
      if (cand > limit && prevLen < lazyMax && maxLen > prevLen) {
        const r = longest(w, prev, pmask, pos, cand, limit, prevLen, maxLen, niceMax < maxLen ? niceMax : maxLen, prevLen >= good ? chainMax >> 2 : chainMax);
        len = r & 511;
        dist = r >>> 9;
        if (len === prevLen) len = 2; // nothing longer found
        else if (len === 3 && dist > TOO_FAR) len = 2;
      }
      if (prevLen >= 3 && len <= prevLen) {
        syms[n++] = (prevDist << 8) | (prevLen - 3);
        lfreq[257 + LEN_SYM[prevLen - 3]]++;
        const d = prevDist - 1;
        dfreq[DIST_SYM[d < 256 ? d : 256 + (d >> 7)]]++;
        // The match began at pos - 1; hash the positions it covers that are not hashed yet.
        const stop = pos - 1 + prevLen;
        const top = stop < end - 2 ? stop : end - 2;
        for (let q = pos + 1; q < top; q++) {
          const h = Math.imul(w[q] | (w[q + 1] << 8) | (w[q + 2] << 16), 0x9e3779b1) >>> hshift;
          prev[q & pmask] = head[h];
          head[h] = q;
        }
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

/** Hash bits for a window: fewer for a small window, whose chains are short anyway. */
function hashBits(windowBits: number): number {
  return Math.min(MAX_HASH_BITS, Math.max(8, windowBits - 1));
}

/**
 * The longest match at `pos` longer than `best`, among the chain from
 * `cand`: returns length | distance << 9 (distance 0: none longer). A
 * candidate is compared first at the byte that would make it longer than
 * the best so far, then at its first two bytes: most candidates fail there
 * without a byte-by-byte scan (zlib's scan_end test).
 */
function longest(w: Uint8Array, prev: Uint16Array, pmask: number, pos: number, cand: number, limit: number, best: number, maxLen: number, nice: number, chain: number): number {
  let dist = 0;
  let e1 = w[pos + best - 1], e0 = w[pos + best];
  const b0 = w[pos], b1 = w[pos + 1];
  do {
    if (w[cand + best] === e0 && w[cand + best - 1] === e1 && w[cand] === b0 && w[cand + 1] === b1) {
      let l = 2;
      while (l < maxLen && w[cand + l] === w[pos + l]) l++;
      if (l > best) {
        best = l;
        dist = pos - cand;
        if (l >= nice) break;
        e1 = w[pos + l - 1];
        e0 = w[pos + l];
      }
    }
    cand = prev[cand & pmask];
  } while (cand > limit && --chain !== 0);
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
  // A big call's buffer is not kept: the shared buffer stays at most 1 MiB.
  if (W.out.length > 1 << 20) W.out = new Uint8Array(4096);
  return out;
}
