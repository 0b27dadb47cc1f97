// Browser compatible. Decoding tables for the inflater's Huffman codes
// (RFC 1951 §3.2.2): canonical codes rebuilt from their lengths, then laid
// out so that one array read decodes a symbol.
//
// An entry is one Int32: `value << 16 | op << 8 | bits`, where `bits` is how
// many input bits the entry consumes and `op` says what it is:
//   OP_LITERAL (0)    a literal byte, `value`
//   OP_BASE | extra   a match length or distance `value`, then `extra` bits (0-13) to add
//   OP_END (32)       end of block
//   OP_BAD (64)       no valid symbol has this code
//   1-15              a link: after dropping `bits` (the root bits), index the
//                     sub-table at `value` with the next `op` bits
// Codes up to the root length are decoded by one read of the root table
// (2^root entries, each short code replicated at every index whose low bits
// are its bit-reversed code: DEFLATE sends codes most significant bit first,
// RFC 1951 §3.1.1); longer codes take a second read in a sub-table. zlib's
// inflate_fast and fflate's inflt decode with tables too; fflate's single
// level of 2^maxBits entries costs up to 32768 writes per dynamic block.
import { DIST_BASE, DIST_EXTRA, END_OF_BLOCK, FIXED_DIST_LENGTHS, FIXED_LITERAL_LENGTHS, LENGTH_BASE, LENGTH_EXTRA, MAX_BITS, reverse } from './_tables.ts';

export const OP_LITERAL = 0;
export const OP_BASE = 16;
export const OP_END = 32;
export const OP_BAD = 64;

/** What a table decodes: the symbol alphabets of RFC 1951 §3.2.5 and §3.2.7. */
export const KIND_LITERAL = 0;
export const KIND_DISTANCE = 1;
export const KIND_CODE_LENGTH = 2;

/**
 * Root bits of the literal/length table: 9 decodes nearly every literal and
 * length code of text or JSON (mostly 5-9 bits) in one read; 10 and 11 were
 * measured no faster on 1 MiB of text (bench/inflate), and cost more to fill
 * per dynamic block.
 */
export const LITERAL_ROOT = 9;
/** Root bits of the distance table: distance codes are rarely longer than 8 bits. */
export const DISTANCE_ROOT = 8;
/** Root bits of the code length code: its codes are at most 7 bits (RFC 1951 §3.2.7), so one level. */
export const CODE_LENGTH_ROOT = 7;

/** A built table: `table[bits & mask]` is the first entry to read. */
export interface Table { table: Int32Array; mask: number }

/** Why a set of code lengths was refused, for the error message. */
export const OVERSUBSCRIBED = 'over-subscribed';
export const INCOMPLETE = 'incomplete';

const count = /* @__PURE__ */ new Uint16Array(MAX_BITS + 1);
const next = /* @__PURE__ */ new Uint16Array(MAX_BITS + 2);
const sorted = /* @__PURE__ */ new Uint16Array(288);
const longest = /* @__PURE__ */ new Uint8Array(1 << LITERAL_ROOT);
const subAt = /* @__PURE__ */ new Int32Array(1 << LITERAL_ROOT);

function entryOf(kind: number, symbol: number, bits: number): number {
  if (kind === KIND_CODE_LENGTH) return (symbol << 16) | bits;
  if (kind === KIND_DISTANCE) {
    // Distance symbols 30 and 31 take part in the fixed code but never occur in valid data (RFC 1951 §3.2.6).
    return symbol < 30 ? (DIST_BASE[symbol] << 16) | ((OP_BASE | DIST_EXTRA[symbol]) << 8) | bits : (OP_BAD << 8) | bits;
  }
  if (symbol < 256) return (symbol << 16) | bits;
  if (symbol === END_OF_BLOCK) return (OP_END << 8) | bits;
  // Literal/length symbols 286 and 287 likewise (RFC 1951 §3.2.6).
  if (symbol > 285) return (OP_BAD << 8) | bits;
  return (LENGTH_BASE[symbol - 257] << 16) | ((OP_BASE | LENGTH_EXTRA[symbol - 257]) << 8) | bits;
}

/**
 * Builds the decoding table of the code whose lengths are
 * `lengths[from..from+n)` (symbol i has length `lengths[from+i]`, 0 for
 * unused) into `into` when it is large enough (a new array otherwise).
 * Returns the table, or a string saying why the lengths form no valid code.
 * The rules are zlib's, so that both accept the same streams: a code may not
 * be over-subscribed (RFC 1951 §3.2.2: the codes must be prefix-free), nor
 * incomplete, except a literal/length or distance code with one code of
 * length 1 (a block whose only symbol is end-of-block, or whose matches all
 * use one distance); a distance code with no codes at all is allowed as long
 * as no match reads it.
 */
export function buildTable(lengths: Uint8Array, from: number, n: number, kind: number, root: number, into: Int32Array | null): Table | string {
  count.fill(0);
  for (let i = 0; i < n; i++) count[lengths[from + i]]++;
  let max = MAX_BITS;
  while (max > 0 && count[max] === 0) max--;
  if (max === 0) {
    if (kind === KIND_CODE_LENGTH || kind === KIND_LITERAL) return INCOMPLETE;
    const table = into ?? new Int32Array(2);
    table[0] = table[1] = (OP_BAD << 8) | 1;
    return { table, mask: 1 };
  }
  // Kraft's sum: `left` counts the codes still free at each length.
  let left = 1;
  for (let len = 1; len <= MAX_BITS; len++) {
    left = (left << 1) - count[len];
    if (left < 0) return OVERSUBSCRIBED;
  }
  if (left > 0 && (kind === KIND_CODE_LENGTH || max !== 1)) return INCOMPLETE;

  // Symbols in canonical order: by length, then by symbol (RFC 1951 §3.2.2).
  next[1] = 0;
  for (let len = 1; len < MAX_BITS; len++) next[len + 1] = next[len] + count[len];
  for (let i = 0; i < n; i++) { const len = lengths[from + i]; if (len !== 0) sorted[next[len]++] = i; }
  const bits = root < max ? root : max;
  const size = 1 << bits;
  const rootMask = size - 1;
  // Pass 1: the longest code under each root prefix sizes its sub-table.
  let total = size;
  if (max > bits) {
    longest.fill(0, 0, size);
    let code = 0, k = 0;
    for (let len = 1; len <= max; len++, code <<= 1) {
      const c = count[len];
      if (len <= bits) { code += c; k += c; continue; }
      for (let j = 0; j < c; j++, code++, k++) {
        const prefix = reverse(code, len) & rootMask;
        if (len > longest[prefix]) longest[prefix] = len;
      }
    }
    for (let i = 0; i < size; i++) {
      if (longest[i] !== 0) { subAt[i] = total; total += 1 << (longest[i] - bits); }
    }
  }
  const table = into !== null && into.length >= total ? into : new Int32Array(total);
  if (left > 0) table.fill((OP_BAD << 8) | bits, 0, size); // the one-code case: the other half decodes to nothing
  if (max > bits) {
    for (let i = 0; i < size; i++) if (longest[i] !== 0) table[i] = (subAt[i] << 16) | ((longest[i] - bits) << 8) | bits;
  }
  // Pass 2: every code's entries.
  let code = 0, k = 0;
  for (let len = 1; len <= max; len++, code <<= 1) {
    for (let j = count[len]; j > 0; j--, k++, code++) {
      const symbol = sorted[k];
      const rev = reverse(code, len);
      if (len <= bits) {
        const e = entryOf(kind, symbol, len);
        for (let i = rev; i < size; i += 1 << len) table[i] = e;
      } else {
        const prefix = rev & rootMask;
        const e = entryOf(kind, symbol, len - bits);
        const base = subAt[prefix], end = base + (1 << (longest[prefix] - bits));
        for (let i = base + (rev >>> bits); i < end; i += 1 << (len - bits)) table[i] = e;
      }
    }
  }
  return { table, mask: rootMask };
}

let fixedCache: [Table, Table] | null = null;

/** The tables of the fixed code (RFC 1951 §3.2.6), built on first use and shared. */
export function fixedTables(): [Table, Table] {
  if (fixedCache === null) {
    fixedCache = [
      buildTable(FIXED_LITERAL_LENGTHS, 0, 288, KIND_LITERAL, LITERAL_ROOT, null) as Table,
      buildTable(FIXED_DIST_LENGTHS, 0, 32, KIND_DISTANCE, DISTANCE_ROOT, null) as Table,
    ];
  }
  return fixedCache;
}
