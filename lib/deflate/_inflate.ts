// Browser compatible. The DEFLATE decoder (RFC 1951) behind `inflateRaw` and
// `Inflater`: a resumable state machine over a 32-bit bit buffer, with a fast
// loop for the body of Huffman blocks while plenty of input and output room
// remain, and a careful byte-at-a-time path near the ends of a chunk.
//
// Streaming needs no re-buffering: every unconsumed bit lives in the bit
// buffer (at most 30 bits), and each slow step either completes a unit (a
// block header field, a code length, a literal, a length with its extra
// bits, a distance code, its extra bits) or consumes nothing and waits for
// the next chunk. Output goes to a buffer per call (a shared one for small
// calls) that grows geometrically; the window of the last 2^windowBits bytes
// is a ring buffer kept between calls, read only by matches that reach back
// before this call's output.
import {
  buildTable, CODE_LENGTH_ROOT, DISTANCE_ROOT, fixedTables, KIND_CODE_LENGTH, KIND_DISTANCE, KIND_LITERAL, LITERAL_ROOT,
  OP_BASE, OP_END,
} from './_inflate-huffman.ts';
import { CODE_LENGTH_ORDER, MAX_MATCH } from './_tables.ts';

// Decoder states: what the next bits are.
const HEAD = 0;        // BFINAL and BTYPE (RFC 1951 §3.2.3)
const STORED_LEN = 1;  // LEN of a stored block (§3.2.4), after skipping to a byte boundary
const STORED_NLEN = 2; // NLEN, LEN's ones' complement
const COPY = 3;        // `len` stored bytes still to copy
const TABLE = 4;       // HLIT, HDIST, HCLEN of a dynamic block (§3.2.7)
const CLENS = 5;       // the code length code's lengths, 3 bits each
const CODELENS = 6;    // the literal/length and distance code lengths, Huffman coded
const CODES = 7;       // a literal/length symbol
const DIST = 8;        // a distance symbol (the match length is in `len`)
const DISTEXT = 9;     // the distance's extra bits
const DONE = 10;       // after the final block: the rest of the input is ignored
const FAILED = 11;     // after an error or the output cap: refuses input until reset

/** Size of the output buffer shared by small calls (allocated by the first; kept for the next). */
const SCRATCH_SIZE = 65536;
let scratch: Uint8Array | null = null;

/** The tail RFC 7692 §7.2.2 has the receiver append to each message: an empty stored block's LEN and NLEN. */
const TAIL = /* @__PURE__ */ Uint8Array.of(0x00, 0x00, 0xff, 0xff);
const EMPTY = /* @__PURE__ */ new Uint8Array(0);

/** The fast loop reads at most 8 bytes per match (and up to 2 past them): it runs while 10 input bytes remain. */
const FAST_IN = 10;
/** ... and while a longest match fits in the output, with the 7 bytes a word copy may write past it. */
const FAST_OUT = MAX_MATCH + 8;
/** Literal/length table size that fits any code of RFC 1951 with a 9-bit root (zlib's `enough 286 9 15` gives 852; buildTable grows a table that is short anyway). */
const LITERAL_ENTRIES = 852;
/** Distance table size for an 8-bit root (`enough 32 8 15` gives 402). */
const DISTANCE_ENTRIES = 402;
/** Where the code length code's lengths sit in `lens`, after the 286 + 30 literal/length and distance lengths. */
const CLC_AT = 316;

/**
 * The tables of dynamic blocks are shared by every core: a
 * permessage-deflate message ends at a block boundary, so a connection
 * needs its tables only while a block spans two calls, and then rebuilds
 * them from its code lengths if another core used the shared ones in
 * between (about 1 µs). Saves 5 KB per connection (13% at windowBits 15,
 * two thirds at 8-10).
 */
let sharedLit: Int32Array | null = null;
let sharedDist: Int32Array | null = null;
/** Which core's code the shared tables hold (its `id`); 0 for none. */
let owner = 0;
let ids = 0;
/** What a core's current block needs of the shared tables. */
const OWN_NONE = 0, OWN_CLC = 1, OWN_CODES = 2;

/**
 * The decoder of one raw DEFLATE stream, or of the messages of one
 * permessage-deflate direction (RFC 7692 §7.2.2), with the window kept
 * between them. Memory: the window (2^windowBits bytes, allocated on the
 * first output when `keepWindow`), 335 bytes of code lengths (allocated on
 * the first dynamic block), and a few hundred bytes of fields; the tables
 * (fixed and dynamic) are shared.
 *
 * The hook the permessage-deflate extension uses is `push(chunk, end, cap)`.
 */
export class InflateCore {
  wsize: number;
  private readonly keepWindow: boolean;

  private mode = HEAD;
  private final = false;
  /**
   * The bit buffer: the next `bc` (at most 30) input bits, least significant
   * first (RFC 1951 §3.1.1). Below 2^30, it stays a small integer in V8 (a
   * larger value would be a heap number, and the JIT's type feedback with it).
   */
  private bb = 0;
  private bc = 0;

  private lt: Int32Array = EMPTY_TABLE;
  private lm = 0;
  private dt: Int32Array = EMPTY_TABLE;
  private dm = 0;
  private readonly id = ++ids;
  /** OWN_CLC or OWN_CODES while the current block decodes with shared tables built from `lens`. */
  private tables = OWN_NONE;
  /** Code lengths of the current dynamic block: literal/length, distance, then the code length code's at CLC_AT. */
  private lens: Uint8Array | null = null;
  private nlen = 0;
  private ndist = 0;
  private ncode = 0;
  private have = 0;
  /** Stored bytes left (COPY), or the pending match length (DIST, DISTEXT). */
  private len = 0;
  private dist = 0;
  private extra = 0;

  private window: Uint8Array | null = null;
  private wnext = 0;
  /** Window bytes that are real output: a distance may reach back this far before this call's output. */
  private whave = 0;

  /** Input bytes of this stream or message before the current chunk (for error offsets). */
  private inBase = 0;
  private inp: Uint8Array = EMPTY;
  private p = 0;
  private end = 0;
  private out: Uint8Array = EMPTY;
  private o = 0;
  private limit = 0;
  private why = '';

  /**
   * @param windowBits 8-15: distances beyond 2^windowBits are refused.
   * @param keepWindow Keep the window between calls (an Inflater); a one-shot decode has no next call.
   */
  constructor(windowBits: number, keepWindow: boolean) {
    this.wsize = 1 << windowBits;
    this.keepWindow = keepWindow;
  }

  /** True after the final block (RFC 1951 §3.2.3 BFINAL). */
  get done(): boolean {
    return this.mode === DONE;
  }

  /**
   * Decodes `chunk` and returns the bytes it completes, at most `cap + 1` of
   * them: when it returns `cap + 1` bytes the output cap was crossed, the
   * rest is not decoded, and the core refuses input until `reset()`. The cap
   * never throws; the caller decides (RangeError, close code 1009). With
   * `end` the message ends here: the RFC 7692 §7.2.2 tail `00 00 ff ff` is
   * appended, the stream must then stand at a block boundary (or after a
   * final block), and the next call starts the next message, with the
   * window kept (after a final block, a new stream). Error offsets count
   * from the start of the message (or stream). `cap` may be Infinity.
   * Every byte of `chunk` is consumed: at most 30 bits wait in the bit
   * buffer for the next call.
   * @throws Error on corrupt input, or when called after an error or a crossed cap
   */
  push(chunk: Uint8Array, end: boolean, cap: number): Uint8Array {
    if (this.mode === FAILED) throw new Error(`Cannot inflate: ${this.why}; reset the inflater first`);
    // A message with no bytes at all holds no block to end; taken as empty, as zlib (which waits
    // for more input) gives nothing for it either.
    if (end && chunk.length === 0 && this.inBase === 0 && this.mode === HEAD && this.bc === 0) return new Uint8Array(0);
    const limit = cap + 1;
    this.limit = limit;
    // A first guess at the output: about 4x is typical of text, and the buffer doubles as needed.
    // Small calls decode into one buffer shared by every core (push never reenters), then copy out
    // exactly what they made: per 200-byte message, a buffer of its own cost a guess, a grow to
    // the fast loop's margin and a trim, 5.4 -> 1.9 µs (Node 20).
    // (At most 16 MiB at first: a huge chunk of stored or random data would reserve 4x for nothing.)
    const guess = chunk.length < 1 << 22 ? chunk.length * 4 + 64 : 1 << 24;
    if (guess <= SCRATCH_SIZE - FAST_OUT) {
      if (scratch === null) scratch = new Uint8Array(SCRATCH_SIZE);
      this.out = scratch;
    } else {
      this.out = new Uint8Array(guess < limit ? guess : limit);
    }
    this.o = 0;
    this.run(chunk);
    if (end && this.mode !== FAILED) {
      if (this.mode !== DONE) this.run(TAIL);
      if (this.mode === DONE || this.mode === HEAD) {
        // A message ends at a block boundary, after its sync-flush block (RFC 7692 §7.2.1), or after a
        // final block (§7.2.3.4): the bits left pad the last byte, and the next message starts afresh.
        this.mode = HEAD;
        this.bb = this.bc = 0;
        this.inBase = 0;
      } else if (this.mode !== FAILED) {
        throw this.fail('the message ends inside a block'); // its sender did not flush it (RFC 7692 §7.2.1)
      }
    }
    const out = this.out, n = this.o;
    this.out = EMPTY;
    this.inp = EMPTY;
    if (this.keepWindow && n > 0) this.remember(out, n);
    if (out === scratch) return out.slice(0, n);
    // A view of the buffer when little of it is unused; otherwise an exact copy, so the caller
    // does not hold on to a buffer up to twice its size.
    return n === out.length ? out : n >= out.length - (out.length >>> 2) ? out.subarray(0, n) : out.slice(0, n);
  }

  /**
   * Forgets the window and any partial stream, and clears an error: the next
   * byte starts a new stream (no context takeover). `windowBits` changes the
   * window size (inflateRaw reuses one core for every call).
   */
  reset(windowBits?: number): void {
    if (windowBits !== undefined && 1 << windowBits !== this.wsize) {
      this.wsize = 1 << windowBits;
      this.window = null;
    }
    this.mode = HEAD;
    this.final = false;
    this.tables = OWN_NONE;
    this.bb = this.bc = 0;
    this.whave = this.wnext = 0;
    this.inBase = 0;
    this.why = '';
  }

  /** Runs the state machine over all of `inp`. */
  private run(inp: Uint8Array): void {
    this.inp = inp;
    this.p = 0;
    this.end = inp.length;
    // Another core built its tables over ours since the last call: ours again, from our lengths.
    if (this.tables !== OWN_NONE && owner !== this.id && this.mode >= CODELENS && this.mode <= DISTEXT) this.build(this.tables);
    for (;;) {
      const mode = this.mode;
      if (mode === CODES) {
        if (this.end - this.p >= FAST_IN && this.room(FAST_OUT)) { this.fast(); continue; }
        // Near the end of the chunk or the cap: one symbol at a time, each decoded only if all its bits are here.
        this.pull(15);
        if (!this.symbol()) break;
      } else if (mode === HEAD) {
        if (!this.pull(3)) break;
        this.final = (this.bb & 1) === 1;
        const type = (this.bb >>> 1) & 3;
        this.drop(3);
        if (type === 0) {
          this.drop(this.bc & 7); // stored blocks start at a byte boundary (RFC 1951 §3.2.4)
          this.mode = STORED_LEN;
        } else if (type === 1) {
          this.tables = OWN_NONE;
          const [lit, dist] = fixedTables();
          this.lt = lit.table; this.lm = lit.mask; this.dt = dist.table; this.dm = dist.mask;
          this.mode = CODES;
        } else if (type === 2) {
          this.mode = TABLE;
        } else {
          throw this.fail('invalid block type 3'); // reserved (RFC 1951 §3.2.3)
        }
      } else if (mode === STORED_LEN) {
        if (!this.pull(16)) break;
        this.len = this.bb & 0xffff;
        this.drop(16);
        this.mode = STORED_NLEN;
      } else if (mode === STORED_NLEN) {
        if (!this.pull(16)) break;
        const nlen = this.bb & 0xffff;
        this.drop(16);
        // NLEN is LEN's ones' complement (RFC 1951 §3.2.4).
        if (nlen !== (this.len ^ 0xffff)) throw this.fail('invalid stored block lengths (NLEN is not the complement of LEN)');
        this.mode = COPY;
      } else if (mode === COPY) {
        if (!this.copyStored()) break;
      } else if (mode === TABLE) {
        if (!this.pull(14)) break;
        const bb = this.bb;
        this.nlen = (bb & 31) + 257;
        this.ndist = ((bb >>> 5) & 31) + 1;
        this.ncode = ((bb >>> 10) & 15) + 4;
        this.drop(14);
        // 286 and 30 are the alphabets' sizes (RFC 1951 §3.2.5); HLIT and HDIST's 5 bits can say more.
        if (this.nlen > 286) throw this.fail(`too many literal/length codes (${this.nlen})`);
        if (this.ndist > 30) throw this.fail(`too many distance codes (${this.ndist})`);
        if (this.lens === null) this.lens = new Uint8Array(CLC_AT + 19);
        this.lens.fill(0, CLC_AT);
        this.have = 0;
        this.mode = CLENS;
      } else if (mode === CLENS) {
        const lens = this.lens as Uint8Array;
        while (this.have < this.ncode) {
          if (!this.pull(3)) return this.finish();
          lens[CLC_AT + CODE_LENGTH_ORDER[this.have++]] = this.bb & 7;
          this.drop(3);
        }
        if (!this.build(OWN_CLC)) throw this.fail(`invalid code length code (${this.why})`);
        this.have = 0;
        this.mode = CODELENS;
      } else if (mode === CODELENS) {
        if (!this.codeLengths()) break;
      } else if (mode === DIST || mode === DISTEXT) {
        if (!this.distance()) break;
      } else {
        break; // DONE: bytes after the final block are ignored; FAILED: the cap was crossed
      }
    }
    this.finish();
  }

  /** Accounts for the chunk: every byte of it is in the bit buffer, consumed or ignored. */
  private finish(): void {
    this.inBase += this.end;
  }

  /**
   * Loads input bytes until `n` bits are buffered or the chunk is exhausted;
   * true when `n` bits are there. Stops at 23+ bits so the buffer stays
   * below 2^30 (see `bb`).
   */
  private pull(n: number): boolean {
    let bb = this.bb, bc = this.bc, p = this.p;
    const inp = this.inp, end = this.end;
    while (bc < n && bc <= 22 && p < end) { bb |= inp[p++] << bc; bc += 8; }
    this.bb = bb; this.bc = bc; this.p = p;
    return bc >= n;
  }

  private drop(n: number): void {
    this.bb >>>= n;
    this.bc -= n;
  }

  /**
   * Reads one entry of table `t` (root mask `m`) from the bit buffer without
   * consuming it; returns -1 when the buffered bits do not hold a whole code.
   * The entry returned is the final one (a sub-table entry for a long code),
   * with its `bits` replaced by the code's full length.
   */
  private peek(t: Int32Array, m: number): number {
    const bb = this.bb, bc = this.bc;
    let e = t[bb & m];
    const op = (e >>> 8) & 255;
    let n = e & 255;
    if (op !== 0 && op < 16) {
      // Bits past `bc` read as zeros: a code found that way is longer than `bc` (codes are prefix-free), so the length test below refuses it.
      const sub = t[(e >>> 16) + ((bb >>> n) & ((1 << op) - 1))];
      n += sub & 255;
      e = (sub & ~255) | n;
    }
    return n <= bc ? e : -1;
  }

  /** One literal/length symbol in the slow path; false to wait for input (or at the cap). */
  private symbol(): boolean {
    const e = this.peek(this.lt, this.lm);
    if (e < 0) return false;
    const op = (e >>> 8) & 255;
    const n = e & 255;
    if (op === 0) {
      if (!this.room(1)) return false;
      this.drop(n);
      this.out[this.o++] = e >>> 16;
      return true;
    }
    if ((op & OP_BASE) !== 0) {
      const x = op & 15;
      if (this.bc < n + x) { if (!this.pull(n + x)) return false; }
      this.drop(n);
      this.len = (e >>> 16) + (this.bb & ((1 << x) - 1));
      this.drop(x);
      this.mode = DIST;
      return true;
    }
    this.drop(n);
    if (op === OP_END) { this.mode = this.final ? DONE : HEAD; return true; }
    throw this.fail('invalid literal/length code');
  }

  /** The distance of a match (code, then extra bits) and the match itself; false to wait. */
  private distance(): boolean {
    if (this.mode === DIST) {
      this.pull(15);
      const e = this.peek(this.dt, this.dm);
      if (e < 0) return false;
      this.drop(e & 255);
      const op = (e >>> 8) & 255;
      if ((op & OP_BASE) === 0) throw this.fail('invalid distance code');
      this.dist = e >>> 16;
      this.extra = op & 15;
      this.mode = DISTEXT;
    }
    const x = this.extra;
    if (!this.pull(x)) return false;
    const dist = this.dist + (this.bb & ((1 << x) - 1));
    this.drop(x);
    this.mode = CODES;
    this.match(dist, this.len);
    return true;
  }

  /** Copies a match of `len` bytes from `dist` back, from this call's output or the window. */
  private match(dist: number, len: number): void {
    const o = this.o;
    // A distance reaches back at most the window (RFC 1951 §2; 2^windowBits as negotiated, RFC 7692
    // §7.1.2), and never before the first byte output since the stream (or context) began.
    if (dist > this.wsize || dist > o + this.whave) {
      throw this.fail(`invalid distance too far back (${dist} bytes, ${dist > this.wsize ? `the window is ${this.wsize}` : `only ${o + this.whave} bytes were output`})`);
    }
    let n = len;
    if (!this.room(len)) {
      n = this.limit - o; // the cap cuts the match; push() returns cap + 1 bytes
      this.mode = FAILED;
      this.why = 'the output cap was crossed';
    }
    const out = this.out;
    let d = o, stop = o + n;
    if (dist > o) {
      // From the ring: `back` bytes before the end of what earlier calls output.
      const win = this.window as Uint8Array;
      const back = dist - o;
      let s = this.wnext - back;
      if (s < 0) s += this.wsize;
      const fromWin = back < n ? back : n;
      for (let k = 0; k < fromWin; k++) { out[d++] = win[s++]; if (s === this.wsize) s = 0; }
    }
    let s = d - dist;
    while (d < stop) out[d++] = out[s++];
    this.o = stop;
  }

  /** Makes room for `n` more output bytes, growing the buffer up to the cap; false at the cap. */
  private room(n: number): boolean {
    const need = this.o + n;
    // The limit first: the shared buffer can be longer than the cap.
    if (need > this.limit) {
      if (this.out.length < this.limit) this.grow(this.limit);
      if (this.o >= this.limit) { this.mode = FAILED; this.why = 'the output cap was crossed'; }
      return false;
    }
    if (need > this.out.length) this.grow(need);
    return true;
  }

  private grow(need: number): void {
    const old = this.out;
    let size = old.length * 2;
    if (size < need) size = need;
    if (size < 1024) size = 1024;
    if (size > this.limit) size = this.limit;
    const out = new Uint8Array(size);
    out.set(old.subarray(0, this.o));
    this.out = out;
  }

  /** Copies stored bytes: first those already in the bit buffer, then straight from the input. */
  private copyStored(): boolean {
    while (this.len > 0 && this.bc >= 8) {
      if (!this.room(1)) return false;
      this.out[this.o++] = this.bb & 255;
      this.drop(8);
      this.len--;
    }
    while (this.len > 0) {
      const avail = this.end - this.p;
      if (avail === 0) return false;
      let n = this.len < avail ? this.len : avail;
      if (!this.room(n)) {
        n = (this.out.length < this.limit ? this.out.length : this.limit) - this.o;
        if (n <= 0) return false;
      }
      this.out.set(this.inp.subarray(this.p, this.p + n), this.o);
      this.o += n;
      this.p += n;
      this.len -= n;
    }
    this.mode = this.final ? DONE : HEAD;
    return true;
  }

  /** The code lengths of a dynamic block (RFC 1951 §3.2.7), then its tables; false to wait. */
  private codeLengths(): boolean {
    const lens = this.lens as Uint8Array;
    const total = this.nlen + this.ndist;
    while (this.have < total) {
      this.pull(14);
      const e = this.peek(this.dt, this.dm);
      if (e < 0) return false;
      const n = e & 255;
      const sym = e >>> 16;
      if (sym < 16) {
        this.drop(n);
        lens[this.have++] = sym;
        continue;
      }
      // 16: repeat the previous length 3-6 times (2 bits); 17: 3-10 zeros (3 bits); 18: 11-138 zeros (7 bits).
      const x = sym === 16 ? 2 : sym === 17 ? 3 : 7;
      if (this.bc < n + x) return false;
      this.drop(n);
      const times = (sym === 16 ? 3 : sym === 17 ? 3 : 11) + (this.bb & ((1 << x) - 1));
      this.drop(x);
      // A repeat copies the previous length, which must exist, and no repeat may run past the HLIT +
      // HDIST lengths the header announced (RFC 1951 §3.2.7; zlib refuses both).
      if (sym === 16 && this.have === 0) throw this.fail('invalid code lengths (a repeat with no previous length)');
      if (this.have + times > total) throw this.fail('invalid code lengths (a repeat runs past HLIT + HDIST)');
      lens.fill(sym === 16 ? lens[this.have - 1] : 0, this.have, this.have + times);
      this.have += times;
    }
    // A block without an end-of-block code could never end (RFC 1951 §3.2.5: 256 ends every block).
    if (lens[256] === 0) throw this.fail('invalid literal/length code (no code for end-of-block)');
    if (!this.build(OWN_CODES)) throw this.fail(this.why);
    this.mode = CODES;
    return true;
  }

  /**
   * Builds the current block's tables (the code length code's, or the
   * literal/length and distance codes') from `lens` into the shared tables;
   * false with the reason in `why` when the lengths make no valid code.
   */
  private build(what: number): boolean {
    const lens = this.lens as Uint8Array;
    if (sharedDist === null) { sharedLit = new Int32Array(LITERAL_ENTRIES); sharedDist = new Int32Array(DISTANCE_ENTRIES); }
    owner = this.id;
    this.tables = OWN_NONE;
    if (what === OWN_CLC) {
      const t = buildTable(lens, CLC_AT, 19, KIND_CODE_LENGTH, CODE_LENGTH_ROOT, sharedDist);
      if (typeof t === 'string') { this.why = t; return false; }
      this.dt = t.table; this.dm = t.mask;
    } else {
      const lit = buildTable(lens, 0, this.nlen, KIND_LITERAL, LITERAL_ROOT, sharedLit);
      if (typeof lit === 'string') { this.why = `invalid literal/length code lengths (${lit})`; return false; }
      const dist = buildTable(lens, this.nlen, this.ndist, KIND_DISTANCE, DISTANCE_ROOT, sharedDist);
      if (typeof dist === 'string') { this.why = `invalid distance code lengths (${dist})`; return false; }
      this.lt = lit.table; this.lm = lit.mask;
      this.dt = dist.table; this.dm = dist.mask;
    }
    this.tables = what;
    return true;
  }

  /** Appends `out[0..n)` to the ring of the last `wsize` bytes. */
  private remember(out: Uint8Array, n: number): void {
    const size = this.wsize;
    if (this.window === null) this.window = new Uint8Array(size);
    const win = this.window;
    if (n >= size) {
      win.set(out.subarray(n - size, n));
      this.wnext = 0;
      this.whave = size;
      return;
    }
    const first = size - this.wnext;
    if (n <= first) {
      win.set(n === out.length ? out : out.subarray(0, n), this.wnext);
    } else {
      win.set(out.subarray(0, first), this.wnext);
      win.set(out.subarray(first, n), 0);
    }
    this.wnext = (this.wnext + n) & (size - 1);
    this.whave = this.whave + n > size ? size : this.whave + n;
  }

  /** Marks the core failed and builds the error, saying where: the byte holding the last bit read. */
  private fail(why: string): Error {
    const bit = (this.inBase + this.p) * 8 - this.bc;
    const at = bit > 0 ? (bit - 1) >>> 3 : 0;
    this.mode = FAILED;
    this.why = `an earlier error stopped it (${why})`;
    return new Error(`Cannot inflate: ${why} at byte ${at}`);
  }

  /**
   * The body of a Huffman block while at least FAST_IN input bytes and
   * FAST_OUT bytes of output room remain: no bounds test per bit, the state
   * in locals. Returns at the end of the block, or when either margin runs out.
   */
  private fast(): void {
    const inp = this.inp, out = this.out;
    const ov = new DataView(out.buffer, out.byteOffset, out.byteLength);
    const lt = this.lt, lm = this.lm, dt = this.dt, dm = this.dm, wsize = this.wsize;
    const pLast = this.end - FAST_IN;
    const oLast = (out.length < this.limit ? out.length : this.limit) - FAST_OUT;
    let p = this.p, o = this.o, bb = this.bb, bc = this.bc;
    // Refill without a branch: OR in the next 3 bytes, count the whole bytes that fit under 30 bits
    // (23 to 30 bits then: a literal/length code (15) and its extra bits (5) fit, so the extra bits
    // need no test either). Bits ORed past `bc` are the true next input bits, so ORing them again
    // later changes nothing. Measured on 1 MiB of text (Node 20): 194 -> 230 MB/s against a
    // refill of 2 bytes under a test; the mispredicted tests cost more than the work they skip.
    // (One DataView getUint32 instead of the 3 byte reads was 10% faster again in V8, but 35%
    // slower in Bun's JavaScriptCore: bytes it is.)
    bb |= ((inp[p] | (inp[p + 1] << 8) | (inp[p + 2] << 16)) << bc) & 0x3fffffff;
    let k = (30 - bc) >> 3;
    p += k; bc += k << 3;
    // The entry of the next symbol is read before the current one's bytes are written, so the
    // table read does not wait behind the stores: 260 -> 299 MB/s on text, 553 -> 623 on JSON (V8).
    let e = lt[bb & lm];
    while (p <= pLast && o <= oLast) {
      let n = e & 255;
      if ((e & 0xff00) === 0) {
        bb >>>= n; bc -= n;
        const lit = e >>> 16;
        bb |= ((inp[p] | (inp[p + 1] << 8) | (inp[p + 2] << 16)) << bc) & 0x3fffffff;
        k = (30 - bc) >> 3;
        p += k; bc += k << 3;
        e = lt[bb & lm];
        out[o++] = lit;
        continue;
      }
      let op = (e >>> 8) & 255;
      if (op < 16) {
        bb >>>= n; bc -= n;
        e = lt[(e >>> 16) + (bb & ((1 << op) - 1))];
        op = (e >>> 8) & 255;
        n = e & 255;
      }
      bb >>>= n; bc -= n;
      if (op === 0) {
        const lit = e >>> 16;
        bb |= ((inp[p] | (inp[p + 1] << 8) | (inp[p + 2] << 16)) << bc) & 0x3fffffff;
        k = (30 - bc) >> 3;
        p += k; bc += k << 3;
        e = lt[bb & lm];
        out[o++] = lit;
        continue;
      }
      if ((op & OP_BASE) === 0) {
        this.p = p; this.o = o; this.bb = bb; this.bc = bc;
        if (op === OP_END) { this.mode = this.final ? DONE : HEAD; return; }
        throw this.fail('invalid literal/length code');
      }
      let x = op & 15;
      const len = (e >>> 16) + (bb & ((1 << x) - 1));
      bb >>>= x; bc -= x;
      bb |= ((inp[p] | (inp[p + 1] << 8) | (inp[p + 2] << 16)) << bc) & 0x3fffffff;
      k = (30 - bc) >> 3;
      p += k; bc += k << 3;
      e = dt[bb & dm];
      op = (e >>> 8) & 255;
      n = e & 255;
      if (op < 16) {
        bb >>>= n; bc -= n;
        e = dt[(e >>> 16) + (bb & ((1 << op) - 1))];
        op = (e >>> 8) & 255;
        n = e & 255;
      }
      bb >>>= n; bc -= n;
      if ((op & OP_BASE) === 0) {
        this.p = p; this.o = o; this.bb = bb; this.bc = bc;
        throw this.fail('invalid distance code');
      }
      x = op & 15;
      // 8+ bits are left and the extra bits are up to 13: 16 more when under 15, again without a branch.
      bb |= ((inp[p] | (inp[p + 1] << 8)) << bc) & 0x3fffffff;
      k = (30 - bc) >> 4;
      p += k << 1; bc += k << 4;
      const dist = (e >>> 16) + (bb & ((1 << x) - 1));
      bb >>>= x; bc -= x;
      bb |= ((inp[p] | (inp[p + 1] << 8) | (inp[p + 2] << 16)) << bc) & 0x3fffffff;
      k = (30 - bc) >> 3;
      p += k; bc += k << 3;
      e = lt[bb & lm];
      if (dist > o || dist > wsize) {
        this.p = p; this.o = o; this.bb = bb; this.bc = bc;
        this.match(dist, len);
        o = this.o;
        continue;
      }
      let s = o - dist;
      // 4 bytes at a time through a DataView (unaligned; inlined by V8 and JavaScriptCore): each word's
      // source ends before its destination starts when the distance is 4+, so overlapping matches
      // copy right too, and the up to 7 bytes written past the match are overwritten by what follows
      // (FAST_OUT keeps room for them). Against a byte loop: 1 MiB of JSON (19-byte matches on
      // average) 406 -> 563 MB/s, text (6-byte matches) 230 -> 283 (V8); Bun gains as much.
      if (dist >= 4) {
        const stop = o + len;
        ov.setUint32(o, ov.getUint32(s, true), true);
        ov.setUint32(o + 4, ov.getUint32(s + 4, true), true);
        if (len > 8) { o += 8; s += 8; do { ov.setUint32(o, ov.getUint32(s, true), true); o += 4; s += 4; } while (o < stop); }
        o = stop;
      } else {
        const stop = o + len;
        do out[o++] = out[s++]; while (o < stop);
      }
    }
    this.p = p; this.o = o; this.bb = bb; this.bc = bc;
  }
}

const EMPTY_TABLE = /* @__PURE__ */ new Int32Array(1);
