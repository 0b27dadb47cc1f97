// Browser compatible. The compressor's back end: Huffman code lengths limited
// to 15 bits (RFC 1951 §3.2.7), canonical codes (§3.2.2), and the block
// writer that sizes each block three ways (stored, fixed, dynamic: §3.2.4,
// §3.2.6, §3.2.7) and writes the smallest. Every buffer here is shared by all
// compressors: compressing is synchronous and runs no caller code, so one
// set of scratch arrays per module keeps each Deflater's own state to its
// window and hash tables.
import {
  CODE_LENGTH_ORDER, DIST_BASE, DIST_EXTRA, END_OF_BLOCK, FIXED_DIST_LENGTHS, FIXED_LITERAL_LENGTHS,
  LENGTH_BASE, LENGTH_EXTRA, MAX_BITS, reverse,
} from './_tables.ts';

/** Length symbol (0-28, i.e. code - 257) of each match length - 3 (RFC 1951 §3.2.5). */
export const LEN_SYM = /* @__PURE__ */ (() => {
  const t = new Uint8Array(256);
  for (let s = 0; s < 29; s++) for (let l = LENGTH_BASE[s] - 3; l < 256 && l < LENGTH_BASE[s] - 3 + (1 << LENGTH_EXTRA[s]); l++) t[l] = s;
  // 258 (index 255) ends up with symbol 28 (code 285), not 284 + 31: RFC 1951 §3.2.5.
  return t;
})();

/**
 * Distance symbol of distance - 1 (RFC 1951 §3.2.5): entries 0-255 for
 * distances up to 256, then 256 + ((distance - 1) >> 7), as zlib's trees.c
 * does: two loads and no loop per match.
 */
export const DIST_SYM = /* @__PURE__ */ (() => {
  const t = new Uint8Array(512);
  for (let s = 0; s < 30; s++) {
    for (let d = DIST_BASE[s] - 1; d < DIST_BASE[s] - 1 + (1 << DIST_EXTRA[s]); d++) t[d < 256 ? d : 256 + (d >> 7)] = s;
  }
  return t;
})();

/** Symbols of a block: a literal byte (< 256), or distance << 8 | (length - 3) (distance >= 1, so >= 256). */
export const SYM_CAP = 16384;
export const syms = /* @__PURE__ */ new Uint32Array(SYM_CAP);
/** Frequencies of literal/length symbols 0-285 and distance symbols 0-29 in the block being gathered. */
export const lfreq = /* @__PURE__ */ new Uint16Array(288);
export const dfreq = /* @__PURE__ */ new Uint16Array(32);

/** Output: a growable byte buffer with a bit accumulator (bits go in LSB first, RFC 1951 §3.1.1). */
export const W = { out: new Uint8Array(4096), o: 0, bb: 0, bc: 0 };

/** Makes room for `n` more bytes of output. */
export function reserve(n: number): void {
  if (W.o + n <= W.out.length) return;
  const grown = new Uint8Array(Math.max(W.out.length * 2, W.o + n + 1024));
  grown.set(W.out.subarray(0, W.o));
  W.out = grown;
}

/** Appends `n` (<= 16) bits of `v`; the accumulator holds under 16 bits between calls. */
function put(v: number, n: number): void {
  let bb = W.bb | (v << W.bc), bc = W.bc + n;
  if (bc >= 16) {
    const out = W.out;
    out[W.o++] = bb;
    out[W.o++] = bb >>> 8;
    bb >>>= 16;
    bc -= 16;
  }
  W.bb = bb;
  W.bc = bc;
}

/** Pads to a byte boundary with zero bits and writes out what the accumulator holds. */
export function align(): void {
  // 7 more (zero) bits make settle() write the partial byte too: one loop for both.
  W.bc += 7;
  settle();
  W.bb = 0;
  W.bc = 0;
}

/** Writes whole bytes out of the accumulator, leaving under 8 bits in it (a call ends so). */
export function settle(): void {
  while (W.bc >= 8) {
    W.out[W.o++] = W.bb;
    W.bb >>>= 8;
    W.bc -= 8;
  }
}

const blCount = /* @__PURE__ */ new Uint16Array(MAX_BITS + 2);
const nextCode = /* @__PURE__ */ new Uint16Array(MAX_BITS + 2);

/**
 * Canonical codes from lengths (RFC 1951 §3.2.2), stored bit-reversed:
 * Huffman codes are sent most significant bit first (§3.1.1), so reversed
 * they go through the LSB-first accumulator in one step.
 */
function buildCodes(lens: Uint8Array, n: number, codes: Uint16Array): void {
  blCount.fill(0);
  for (let s = 0; s < n; s++) blCount[lens[s]]++;
  blCount[0] = 0;
  let code = 0;
  for (let b = 1; b <= MAX_BITS; b++) {
    code = (code + blCount[b - 1]) << 1;
    nextCode[b] = code;
  }
  for (let s = 0; s < n; s++) {
    const l = lens[s];
    if (l === 0) continue;
    const c = nextCode[l]++;
    codes[s] = reverse(c, l);
  }
}

const keys = /* @__PURE__ */ new Uint32Array(288);
const work = /* @__PURE__ */ new Int32Array(288);

/**
 * Code lengths for the `k` symbols of `used` (ascending, each with a
 * frequency), none longer than `limit` (RFC 1951 §3.2.7: 15 bits, 7 for the
 * code length code), into `lens`, whose other entries must be 0. Optimal
 * lengths come from Moffat and Katajainen's in-place algorithm over the
 * weights sorted ascending; when the longest exceeds the limit, the overflow
 * is folded back by moving leaves down the tree until the Kraft sum is
 * exactly one again (the method of miniz and others), then lengths are dealt
 * to symbols by frequency. At least two symbols always get a code, so every
 * code is complete (zlib accepts a lone code of one bit, but a complete code
 * is valid everywhere): the one added goes into `used`. Returns the count
 * of symbols with a code. Working from the used symbols only, not all 286,
 * is what keeps a small message's block cheap.
 */
function buildLengths(freq: Uint16Array, used: Uint16Array, k: number, limit: number, lens: Uint8Array): number {
  if (k < 2) {
    // Zero or one symbol used: give symbols 0 and 1 (or the used one and another) one bit each.
    const a = k === 1 ? used[0] : 0, b = a === 0 ? 1 : 0;
    lens[a] = 1;
    lens[b] = 1;
    used[0] = a < b ? a : b;
    used[1] = a < b ? b : a;
    return 2;
  }
  for (let i = 0; i < k; i++) keys[i] = (freq[used[i]] << 9) | used[i];
  const sorted = keys.subarray(0, k).sort();
  const A = work;
  for (let i = 0; i < k; i++) A[i] = sorted[i] >>> 9;
  // Phase 1: combine, leaving parent pointers; phase 2: depths of internal nodes; phase 3: leaf depths.
  let leaf = 0, root = 0;
  for (let next = 0; next < k - 1; next++) {
    if (leaf >= k || (root < next && A[root] < A[leaf])) { A[next] = A[root]; A[root++] = next; } else A[next] = A[leaf++];
    if (leaf >= k || (root < next && A[root] < A[leaf])) { A[next] += A[root]; A[root++] = next; } else A[next] += A[leaf++];
  }
  A[k - 2] = 0;
  for (let t = k - 3; t >= 0; t--) A[t] = A[A[t]] + 1;
  let avail = 1, used2 = 0, depth = 0, t = k - 2, x = k - 1;
  while (avail > 0) {
    while (t >= 0 && A[t] === depth) { used2++; t--; }
    while (avail > used2) { A[x--] = depth; avail--; }
    avail = 2 * used2;
    depth++;
    used2 = 0;
  }
  // A[i] is now the length of the i-th least frequent symbol (non-increasing in i).
  blCount.fill(0);
  for (let i = 0; i < k; i++) blCount[A[i] > limit ? limit : A[i]]++;
  if (A[0] > limit) {
    let total = 0;
    for (let b = 1; b <= limit; b++) total += blCount[b] << (limit - b);
    for (; total > 1 << limit; total--) {
      blCount[limit]--;
      for (let b = limit - 1; b > 0; b--) {
        if (blCount[b] !== 0) { blCount[b]--; blCount[b + 1] += 2; break; }
      }
    }
  }
  let i = 0;
  for (let b = limit; b > 0; b--) for (let c = blCount[b]; c > 0; c--) lens[sorted[i++] & 511] = b;
  return k;
}

const FIXED_LCODES = /* @__PURE__ */ (() => { const c = new Uint16Array(288); buildCodes(FIXED_LITERAL_LENGTHS, 288, c); return c; })();
const FIXED_DCODES = /* @__PURE__ */ (() => { const c = new Uint16Array(32); buildCodes(FIXED_DIST_LENGTHS, 32, c); return c; })();

const llens = /* @__PURE__ */ new Uint8Array(288);
const dlens = /* @__PURE__ */ new Uint8Array(32);
const lcodes = /* @__PURE__ */ new Uint16Array(288);
const dcodes = /* @__PURE__ */ new Uint16Array(32);
/** The literal/length and distance symbols the block uses, ascending, and the code length symbols of its header. */
const lused = /* @__PURE__ */ new Uint16Array(288);
const dused = /* @__PURE__ */ new Uint16Array(32);
const clused = /* @__PURE__ */ new Uint16Array(19);
/** Run-length coded code lengths of the header (RFC 1951 §3.2.7). */
const clsyms = /* @__PURE__ */ new Uint16Array(288 + 32);
const clfreq = /* @__PURE__ */ new Uint16Array(19);
const cllens = /* @__PURE__ */ new Uint8Array(19);
const clcodes = /* @__PURE__ */ new Uint16Array(19);
const CL_EXTRA = [2, 3, 7];
/** First uses, while listing a small block's symbols: literal/length symbols at 0-287, distance symbols at 288-319; all 0 between blocks. */
const seen = /* @__PURE__ */ new Uint8Array(288 + 32);
/**
 * Under this many symbols, a block's used symbols are listed from its
 * symbols rather than from the 286 + 30 counts. With the rest of the writer
 * going over used symbols only, 200-byte JSON messages with context went
 * from 196k to 269k a second (their block writing had been half the time:
 * loops over all 286 counts for each block, though one uses 40 or so).
 */
const SMALL_BLOCK = 256;

/**
 * Run-length codes the code lengths (RFC 1951 §3.2.7): the `hlit`
 * literal/length lengths, then the `hdist` distance lengths, with symbols 16
 * (repeat the previous length 3-6 times), 17 (3-10 zeros) and 18 (11-138
 * zeros); each entry is symbol | repeat count - base << 5. Walks the used
 * symbols (`lused`, `dused`: ascending), whose gaps are the zero runs, so a
 * block of few symbols costs few steps. Returns the entry count.
 */
function runLengths(hlit: number, nl: number, hdist: number, nd: number): number {
  let m = 0, i = 0;
  clfreq.fill(0);
  const n = hlit + hdist;
  for (let u = 0; u <= nl + nd;) {
    // The next used position (n past the last): zeros run up to it.
    const p = u < nl ? lused[u] : u < nl + nd ? hlit + dused[u - nl] : n;
    let r = p - i;
    for (; r >= 11; r -= Math.min(r, 138)) { clsyms[m++] = 18 | ((Math.min(r, 138) - 11) << 5); clfreq[18]++; }
    if (r >= 3) { clsyms[m++] = 17 | ((r - 3) << 5); clfreq[17]++; r = 0; }
    for (; r > 0; r--) { clsyms[m++] = 0; clfreq[0]++; }
    if (p === n) break;
    // A run of one length over consecutive used positions.
    const l = p < hlit ? llens[p] : dlens[p - hlit];
    r = 1;
    u++;
    for (;;) {
      const q = u < nl ? lused[u] : u < nl + nd ? hlit + dused[u - nl] : n;
      if (q !== p + r || q === n || (q < hlit ? llens[q] : dlens[q - hlit]) !== l) break;
      r++;
      u++;
    }
    i = p + r;
    clsyms[m++] = l; clfreq[l]++; r--;
    for (; r >= 3; r -= Math.min(r, 6)) { clsyms[m++] = 16 | ((Math.min(r, 6) - 3) << 5); clfreq[16]++; }
    for (; r > 0; r--) { clsyms[m++] = l; clfreq[l]++; }
  }
  return m;
}

/**
 * Sorts `a[0..n)` ascending: by insertion up to 64 entries (a 200-byte
 * message's block lists 40 or so symbols; against the built-in sort, whose
 * fixed cost dominates there, such messages went from 317k to 384k a
 * second), else with the built-in sort (insertion's worst case grows with
 * the square).
 */
function sortList(a: Uint16Array, n: number): void {
  if (n > 64) {
    a.subarray(0, n).sort();
    return;
  }
  for (let i = 1; i < n; i++) {
    const v = a[i];
    let j = i - 1;
    for (; j >= 0 && a[j] > v; j--) a[j + 1] = a[j];
    a[j + 1] = v;
  }
}

/** x * log2(x) for x < 256: the frequencies of a small block. */
const XLOG = /* @__PURE__ */ (() => {
  const t = new Float64Array(256);
  for (let x = 2; x < 256; x++) t[x] = x * Math.log2(x);
  return t;
})();

/** `freq` of the `k` symbols of `used`: its entropy in bits, sum of f * log2(N / f), which no prefix code beats (Kraft's inequality). */
function entropy(freq: Uint16Array, used: Uint16Array, k: number): number {
  let n = 0, sum = 0;
  for (let i = 0; i < k; i++) {
    const f = freq[used[i]];
    n += f;
    sum += f < 256 ? XLOG[f] : f * Math.log2(f);
  }
  return n < 2 ? 0 : n * Math.log2(n) - sum;
}

/**
 * A floor of a dynamic block's size without the extra bits, from the used
 * symbols (ascending) before any code is built (RFC 1951 §3.2.7): the
 * header's 17 + 3 * 4 fixed bits; in the code lengths, each run of zeros
 * between used symbols (at least 8 bits as symbol 18 with 7 extra bits for
 * 11 or more, 4 as symbol 17 for 3-10, a bit each below) and the first
 * length of each run of used symbols (a symbol of its own: a bit); the
 * entropy of both codes. The distance code's first run is left out (it may
 * continue the last literal/length run). Rounded down with room for
 * rounding error. On 200-byte JSON messages it comes within a few bits of
 * the fixed code's size, which is 0.6x the dynamic one's.
 */
function dynamicFloor(nl: number, nd: number): number {
  let bits = 29;
  if (nl >= 2) bits += runsFloor(lused, 0, nl);
  if (nd >= 2) bits += runsFloor(dused, 1, nd);
  bits += entropy(lfreq, lused, nl) + entropy(dfreq, dused, nd);
  return Math.floor(bits * (1 - 1e-9)) - 1;
}

/** The bits of code lengths for `used[from..k)` and the zeros before each (see `dynamicFloor`). */
function runsFloor(used: Uint16Array, from: number, k: number): number {
  let bits = 0;
  for (let i = from, last = from === 0 ? -1 : used[from - 1]; i < k; i++) {
    const g = used[i] - last - 1;
    bits += g >= 11 ? 8 : g >= 3 ? 4 : g;
    if (g > 0 || i === 0) bits++;
    last = used[i];
  }
  return bits;
}

/**
 * Writes `data[start..end)` as stored blocks of at most 65535 bytes each
 * (RFC 1951 §3.2.4); only the last may be final. An empty range gives one
 * empty block: the sync flush marker of RFC 7692 §7.2.1 when not final.
 */
export function writeStored(data: Uint8Array, start: number, end: number, last: boolean): void {
  reserve(end - start + 5 * Math.ceil((end - start) / 65535 + 1) + 4);
  do {
    const n = Math.min(65535, end - start);
    put(last && start + n === end ? 1 : 0, 3);
    align();
    const out = W.out;
    out[W.o++] = n;
    out[W.o++] = n >>> 8;
    out[W.o++] = ~n;
    out[W.o++] = ~n >>> 8;
    // The sync flush's empty block is one per message: no subarray for it (2 % of a 200-byte message's time in the profile).
    if (n !== 0) out.set(data.subarray(start, start + n), W.o);
    W.o += n;
    start += n;
  } while (start < end);
}

/**
 * Ends the block gathered in `syms[0..nsym)`, which covers `data[start..end)`:
 * counts each encoding's exact size in bits and writes the smallest (a tie
 * goes to stored, then fixed: both are cheaper to decode). Clears the
 * frequencies for the next block.
 */
export function writeBlock(data: Uint8Array, start: number, end: number, nsym: number, last: boolean): void {
  lfreq[END_OF_BLOCK] = 1;
  let nl = 0, nd = 0;
  if (nsym < SMALL_BLOCK) {
    // Few symbols: list the used ones from the symbols themselves (`seen` marks a first use), then sort.
    lused[nl++] = END_OF_BLOCK;
    for (let i = 0; i < nsym; i++) {
      const e = syms[i];
      if (e < 256) {
        if (seen[e] === 0) { seen[e] = 1; lused[nl++] = e; }
      } else {
        const ls = 257 + LEN_SYM[e & 255], d = (e >>> 8) - 1, ds = DIST_SYM[d < 256 ? d : 256 + (d >> 7)];
        if (seen[ls] === 0) { seen[ls] = 1; lused[nl++] = ls; }
        if (seen[288 + ds] === 0) { seen[288 + ds] = 1; dused[nd++] = ds; }
      }
    }
    for (let i = 0; i < nl; i++) seen[lused[i]] = 0;
    for (let i = 0; i < nd; i++) seen[288 + dused[i]] = 0;
    sortList(lused, nl);
    sortList(dused, nd);
  } else {
    for (let s = 0; s < 286; s++) if (lfreq[s] !== 0) lused[nl++] = s;
    for (let s = 0; s < 30; s++) if (dfreq[s] !== 0) dused[nd++] = s;
  }
  let extra = 0, fixed = 3;
  for (let i = 0; i < nl; i++) {
    const s = lused[i], f = lfreq[s];
    fixed += f * FIXED_LITERAL_LENGTHS[s];
    if (s > END_OF_BLOCK) extra += f * LENGTH_EXTRA[s - 257];
  }
  for (let i = 0; i < nd; i++) {
    const s = dused[i], f = dfreq[s];
    fixed += f * 5;
    extra += f * DIST_EXTRA[s];
  }
  fixed += extra;

  // A small block nearly always goes fixed: when even a floor of the dynamic size is no smaller, skip building that code.
  let dynamic = Infinity, hlit = 0, hdist = 0, ncl = 0, hclen = 0;
  if (dynamicFloor(nl, nd) + extra < fixed) {
    dynamic = 0;
  llens.fill(0);
  dlens.fill(0);
  nl = buildLengths(lfreq, lused, nl, MAX_BITS, llens);
  nd = buildLengths(dfreq, dused, nd, MAX_BITS, dlens);
  for (let i = 0; i < nl; i++) dynamic += lfreq[lused[i]] * llens[lused[i]];
  for (let i = 0; i < nd; i++) dynamic += dfreq[dused[i]] * dlens[dused[i]];
  hlit = Math.max(257, lused[nl - 1] + 1);
  hdist = dused[nd - 1] + 1;
  ncl = runLengths(hlit, nl, hdist, nd);
  let ncu = 0;
  for (let s = 0; s < 19; s++) if (clfreq[s] !== 0) clused[ncu++] = s;
  cllens.fill(0);
  ncu = buildLengths(clfreq, clused, ncu, 7, cllens);
  hclen = 19;
  while (hclen > 4 && cllens[CODE_LENGTH_ORDER[hclen - 1]] === 0) hclen--;
  let header = 17 + 3 * hclen + 2 * clfreq[16] + 3 * clfreq[17] + 7 * clfreq[18];
  for (let i = 0; i < ncu; i++) header += clfreq[clused[i]] * cllens[clused[i]];
  dynamic += header + extra;
  }

  const len = end - start;
  const chunks = Math.max(1, Math.ceil(len / 65535));
  const stored = 3 + ((8 - ((W.bc + 3) & 7)) & 7) + 32 + 8 * len + 40 * (chunks - 1);

  if (stored <= fixed && stored <= dynamic) {
    writeStored(data, start, end, last);
  } else {
    reserve(((Math.min(fixed, dynamic) + 7) >> 3) + 8);
    if (fixed <= dynamic) {
      put((last ? 1 : 0) | (1 << 1), 3);
      writeSymbols(nsym, FIXED_LCODES, FIXED_LITERAL_LENGTHS, FIXED_DCODES, FIXED_DIST_LENGTHS);
    } else {
      buildCodes(llens, hlit, lcodes);
      buildCodes(dlens, hdist, dcodes);
      buildCodes(cllens, 19, clcodes);
      put((last ? 1 : 0) | (2 << 1), 3);
      put(hlit - 257, 5);
      put(hdist - 1, 5);
      put(hclen - 4, 4);
      for (let i = 0; i < hclen; i++) put(cllens[CODE_LENGTH_ORDER[i]], 3);
      for (let i = 0; i < ncl; i++) {
        const e = clsyms[i], s = e & 31;
        put(clcodes[s], cllens[s]);
        if (s >= 16) put(e >>> 5, CL_EXTRA[s - 16]);
      }
      writeSymbols(nsym, lcodes, llens, dcodes, dlens);
    }
  }
  lfreq.fill(0);
  dfreq.fill(0);
}

/** The block's symbols and its end-of-block code, through locals: the hot loop of the writer. */
function writeSymbols(nsym: number, lc: Uint16Array, ll: Uint8Array, dc: Uint16Array, dl: Uint8Array): void {
  const out = W.out;
  let o = W.o, bb = W.bb, bc = W.bc;
  for (let i = 0; i < nsym; i++) {
    const e = syms[i];
    if (e < 256) {
      bb |= lc[e] << bc;
      bc += ll[e];
    } else {
      const lm = e & 255, ls = LEN_SYM[lm];
      bb |= lc[257 + ls] << bc;
      bc += ll[257 + ls];
      const le = LENGTH_EXTRA[ls];
      if (le !== 0) {
        if (bc >= 16) { out[o++] = bb; out[o++] = bb >>> 8; bb >>>= 16; bc -= 16; }
        bb |= (lm + 3 - LENGTH_BASE[ls]) << bc;
        bc += le;
      }
      if (bc >= 16) { out[o++] = bb; out[o++] = bb >>> 8; bb >>>= 16; bc -= 16; }
      const d = (e >>> 8) - 1, ds = DIST_SYM[d < 256 ? d : 256 + (d >> 7)];
      bb |= dc[ds] << bc;
      bc += dl[ds];
      const de = DIST_EXTRA[ds];
      if (de !== 0) {
        if (bc >= 16) { out[o++] = bb; out[o++] = bb >>> 8; bb >>>= 16; bc -= 16; }
        bb |= (d + 1 - DIST_BASE[ds]) << bc;
        bc += de;
      }
    }
    if (bc >= 16) { out[o++] = bb; out[o++] = bb >>> 8; bb >>>= 16; bc -= 16; }
  }
  W.o = o;
  W.bb = bb;
  W.bc = bc;
  put(lc[END_OF_BLOCK], ll[END_OF_BLOCK]);
}
