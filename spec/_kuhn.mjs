// Markus Kuhn's "UTF-8 decoder capability and stress test" (UTF-8-test.txt),
// sections 1-5, written out as bytes from its public description, plus a
// small reference checker to cross-check the table.
//
// Each case: `bytes`, `valid`, and for invalid ones `bad`: the index of the
// first byte after which the bytes so far can no longer begin valid UTF-8
// (RFC 3629 §4's table). `bad === bytes.length` means every prefix can still
// be completed: the text only fails because it ends inside a sequence.
//
// How the `bad` indices follow from RFC 3629 §4:
//   UTF8-2 = %xC2-DF UTF8-tail, so C0 and C1 (overlong) are never valid: bad at the lead.
//   UTF8-3 = %xE0 %xA0-BF tail / %xE1-EC 2tail / %xED %x80-9F tail / %xEE-EF 2tail:
//            E0 80-9F (overlong) and ED A0-BF (surrogates) fail at the second byte.
//   UTF8-4 = %xF0 %x90-BF 2tail / %xF1-F3 3tail / %xF4 %x80-8F 2tail:
//            F0 80-8F (overlong) and F4 90-BF (over U+10FFFF) fail at the second byte;
//            F5-FF, 80-BF as a lead byte, and FE/FF never appear: bad at that byte.

const range = (lo, hi) => Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
/** Each byte of `leads` followed by a space, as in Kuhn's section 3.2. */
const spaced = (leads) => leads.flatMap((b) => [b, 0x20]);

const V = (id, name, bytes) => ({ id, name, bytes: Uint8Array.from(bytes), valid: true });
const X = (id, name, bytes, bad) => ({ id, name, bytes: Uint8Array.from(bytes), valid: false, bad });

export const KUHN = [
  // 1 Some correct UTF-8 text
  V('1', 'Greek word kosme', [0xce, 0xba, 0xe1, 0xbd, 0xb9, 0xcf, 0x83, 0xce, 0xbc, 0xce, 0xb5]),

  // 2.1 First possible sequence of a certain length
  V('2.1.1', '1 byte U+0000', [0x00]),
  V('2.1.2', '2 bytes U+0080', [0xc2, 0x80]),
  V('2.1.3', '3 bytes U+0800', [0xe0, 0xa0, 0x80]),
  V('2.1.4', '4 bytes U+10000', [0xf0, 0x90, 0x80, 0x80]),
  X('2.1.5', '5 bytes U-00200000', [0xf8, 0x88, 0x80, 0x80, 0x80], 0),
  X('2.1.6', '6 bytes U-04000000', [0xfc, 0x84, 0x80, 0x80, 0x80, 0x80], 0),
  // 2.2 Last possible sequence of a certain length
  V('2.2.1', '1 byte U+007F', [0x7f]),
  V('2.2.2', '2 bytes U+07FF', [0xdf, 0xbf]),
  V('2.2.3', '3 bytes U+FFFF', [0xef, 0xbf, 0xbf]),
  X('2.2.4', '4 bytes U-001FFFFF', [0xf7, 0xbf, 0xbf, 0xbf], 0),
  X('2.2.5', '5 bytes U-03FFFFFF', [0xfb, 0xbf, 0xbf, 0xbf, 0xbf], 0),
  X('2.2.6', '6 bytes U-7FFFFFFF', [0xfd, 0xbf, 0xbf, 0xbf, 0xbf, 0xbf], 0),
  // 2.3 Other boundary conditions
  V('2.3.1', 'U+D7FF', [0xed, 0x9f, 0xbf]),
  V('2.3.2', 'U+E000', [0xee, 0x80, 0x80]),
  V('2.3.3', 'U+FFFD', [0xef, 0xbf, 0xbd]),
  V('2.3.4', 'U+10FFFF', [0xf4, 0x8f, 0xbf, 0xbf]),
  X('2.3.5', 'U+110000', [0xf4, 0x90, 0x80, 0x80], 1),

  // 3.1 Unexpected continuation bytes
  X('3.1.1', 'first continuation byte 0x80', [0x80], 0),
  X('3.1.2', 'last continuation byte 0xbf', [0xbf], 0),
  X('3.1.3', '2 continuation bytes', [0x80, 0xbf], 0),
  X('3.1.4', '3 continuation bytes', [0x80, 0xbf, 0x80], 0),
  X('3.1.5', '4 continuation bytes', [0x80, 0xbf, 0x80, 0xbf], 0),
  X('3.1.6', '5 continuation bytes', [0x80, 0xbf, 0x80, 0xbf, 0x80], 0),
  X('3.1.7', '6 continuation bytes', [0x80, 0xbf, 0x80, 0xbf, 0x80, 0xbf], 0),
  X('3.1.8', '7 continuation bytes', [0x80, 0xbf, 0x80, 0xbf, 0x80, 0xbf, 0x80], 0),
  X('3.1.9', 'all 64 continuation bytes', range(0x80, 0xbf), 0),
  // Each continuation byte alone, after valid text: it fails where it stands.
  ...range(0x80, 0xbf).map((b) => X(`3.1.9/${b.toString(16)}`, `continuation byte ${b.toString(16)} after "a"`, [0x61, b], 1)),

  // 3.2 Lonely start characters, each followed by a space
  X('3.2.1', 'all 32 first bytes of 2-byte sequences', spaced(range(0xc0, 0xdf)), 0),
  X('3.2.2', 'all 16 first bytes of 3-byte sequences', spaced(range(0xe0, 0xef)), 1),
  X('3.2.3', 'all 8 first bytes of 4-byte sequences', spaced(range(0xf0, 0xf7)), 1),
  X('3.2.4', 'all 4 first bytes of 5-byte sequences', spaced(range(0xf8, 0xfb)), 0),
  X('3.2.5', 'all 2 first bytes of 6-byte sequences', spaced(range(0xfc, 0xfd)), 0),
  // One by one: C0, C1 and F5-FF fail as lead bytes; C2-F4 fail at the space.
  ...range(0xc0, 0xfd).map((b) => X(`3.2/${b.toString(16)}`, `lonely ${b.toString(16)} then space`, [b, 0x20], b === 0xc0 || b === 0xc1 || b >= 0xf5 ? 0 : 1)),

  // 3.3 Sequences with last continuation byte missing
  X('3.3.1', '2-byte U+0000 last byte missing', [0xc0], 0),
  X('3.3.2', '3-byte U+0000 last byte missing', [0xe0, 0x80], 1),
  X('3.3.3', '4-byte U+0000 last byte missing', [0xf0, 0x80, 0x80], 1),
  X('3.3.4', '5-byte U+0000 last byte missing', [0xf8, 0x80, 0x80, 0x80], 0),
  X('3.3.5', '6-byte U+0000 last byte missing', [0xfc, 0x80, 0x80, 0x80, 0x80], 0),
  X('3.3.6', '2-byte U+07FF last byte missing', [0xdf], 1),
  X('3.3.7', '3-byte U+FFFF last byte missing', [0xef, 0xbf], 2),
  X('3.3.8', '4-byte U-001FFFFF last byte missing', [0xf7, 0xbf, 0xbf], 0),
  X('3.3.9', '5-byte U-03FFFFFF last byte missing', [0xfb, 0xbf, 0xbf, 0xbf], 0),
  X('3.3.10', '6-byte U-7FFFFFFF last byte missing', [0xfd, 0xbf, 0xbf, 0xbf, 0xbf], 0),
  // Valid sequences cut short (not in Kuhn's list, the same idea with valid code points).
  X('3.3.7b', '3-byte U+0800 last byte missing', [0xe0, 0xa0], 2),
  X('3.3.7c', '4-byte U+10000 two bytes missing', [0xf0, 0x90], 2),
  X('3.3.7d', '4-byte U+10FFFF last byte missing', [0xf4, 0x8f, 0xbf], 3),
  X('3.3.7e', 'lone lead F1 at the end', [0x61, 0xf1], 2),
  // 3.4 Concatenation of incomplete sequences
  X('3.4', 'all 10 sequences of 3.3 concatenated', [
    0xc0, 0xe0, 0x80, 0xf0, 0x80, 0x80, 0xf8, 0x80, 0x80, 0x80, 0xfc, 0x80, 0x80, 0x80, 0x80,
    0xdf, 0xef, 0xbf, 0xf7, 0xbf, 0xbf, 0xfb, 0xbf, 0xbf, 0xbf, 0xfd, 0xbf, 0xbf, 0xbf, 0xbf,
  ], 0),
  // The same after valid text, so that the failure is not at byte 0: DF then E0 fails at E0.
  X('3.4b', 'incomplete DF then EF BF then F7 after "ab"', [0x61, 0x62, 0xdf, 0xef, 0xbf, 0xf7], 3),
  // 3.5 Impossible bytes
  X('3.5.1', 'fe', [0xfe], 0),
  X('3.5.2', 'ff', [0xff], 0),
  X('3.5.3', 'fe fe ff ff', [0xfe, 0xfe, 0xff, 0xff], 0),

  // 4.1 Examples of an overlong ASCII character (U+002F)
  X('4.1.1', 'overlong / in 2 bytes', [0xc0, 0xaf], 0),
  X('4.1.2', 'overlong / in 3 bytes', [0xe0, 0x80, 0xaf], 1),
  X('4.1.3', 'overlong / in 4 bytes', [0xf0, 0x80, 0x80, 0xaf], 1),
  X('4.1.4', 'overlong / in 5 bytes', [0xf8, 0x80, 0x80, 0x80, 0xaf], 0),
  X('4.1.5', 'overlong / in 6 bytes', [0xfc, 0x80, 0x80, 0x80, 0x80, 0xaf], 0),
  // 4.2 Maximum overlong sequences
  X('4.2.1', 'overlong U+007F in 2 bytes', [0xc1, 0xbf], 0),
  X('4.2.2', 'overlong U+07FF in 3 bytes', [0xe0, 0x9f, 0xbf], 1),
  X('4.2.3', 'overlong U+FFFF in 4 bytes', [0xf0, 0x8f, 0xbf, 0xbf], 1),
  X('4.2.4', 'overlong U-001FFFFF in 5 bytes', [0xf8, 0x87, 0xbf, 0xbf, 0xbf], 0),
  X('4.2.5', 'overlong U-03FFFFFF in 6 bytes', [0xfc, 0x83, 0xbf, 0xbf, 0xbf, 0xbf], 0),
  // 4.3 Overlong representation of the NUL character
  X('4.3.1', 'overlong NUL in 2 bytes', [0xc0, 0x80], 0),
  X('4.3.2', 'overlong NUL in 3 bytes', [0xe0, 0x80, 0x80], 1),
  X('4.3.3', 'overlong NUL in 4 bytes', [0xf0, 0x80, 0x80, 0x80], 1),
  X('4.3.4', 'overlong NUL in 5 bytes', [0xf8, 0x80, 0x80, 0x80, 0x80], 0),
  X('4.3.5', 'overlong NUL in 6 bytes', [0xfc, 0x80, 0x80, 0x80, 0x80, 0x80], 0),

  // 5.1 Single UTF-16 surrogates
  X('5.1.1', 'U+D800', [0xed, 0xa0, 0x80], 1),
  X('5.1.2', 'U+DB7F', [0xed, 0xad, 0xbf], 1),
  X('5.1.3', 'U+DB80', [0xed, 0xae, 0x80], 1),
  X('5.1.4', 'U+DBFF', [0xed, 0xaf, 0xbf], 1),
  X('5.1.5', 'U+DC00', [0xed, 0xb0, 0x80], 1),
  X('5.1.6', 'U+DF80', [0xed, 0xbe, 0x80], 1),
  X('5.1.7', 'U+DFFF', [0xed, 0xbf, 0xbf], 1),
  // 5.2 Paired UTF-16 surrogates: the first half already fails
  X('5.2.1', 'U+D800 U+DC00', [0xed, 0xa0, 0x80, 0xed, 0xb0, 0x80], 1),
  X('5.2.2', 'U+D800 U+DFFF', [0xed, 0xa0, 0x80, 0xed, 0xbf, 0xbf], 1),
  X('5.2.3', 'U+DB7F U+DC00', [0xed, 0xad, 0xbf, 0xed, 0xb0, 0x80], 1),
  X('5.2.4', 'U+DB7F U+DFFF', [0xed, 0xad, 0xbf, 0xed, 0xbf, 0xbf], 1),
  X('5.2.5', 'U+DB80 U+DC00', [0xed, 0xae, 0x80, 0xed, 0xb0, 0x80], 1),
  X('5.2.6', 'U+DB80 U+DFFF', [0xed, 0xae, 0x80, 0xed, 0xbf, 0xbf], 1),
  X('5.2.7', 'U+DBFF U+DC00', [0xed, 0xaf, 0xbf, 0xed, 0xb0, 0x80], 1),
  X('5.2.8', 'U+DBFF U+DFFF', [0xed, 0xaf, 0xbf, 0xed, 0xbf, 0xbf], 1),
  // A surrogate after valid text: it fails at its second byte, not before.
  X('5.1.1b', 'U+D800 after kosme', [0xce, 0xba, 0xe1, 0xbd, 0xb9, 0xed, 0xa0, 0x80], 6),
  // 5.3 Noncharacter code positions: valid UTF-8 (RFC 3629 excludes only surrogates)
  V('5.3.1', 'U+FFFE', [0xef, 0xbf, 0xbe]),
  V('5.3.2', 'U+FFFF', [0xef, 0xbf, 0xbf]),
  V('5.3.3', 'U+FDD0 .. U+FDEF', range(0xfdd0, 0xfdef).flatMap((c) => [0xef, 0x80 | ((c >> 6) & 63), 0x80 | (c & 63)])),
  V('5.3.4', 'U+nFFFE U+nFFFF for n = 1..16', [
    0xf0, 0x9f, 0xbf, 0xbe, 0xf0, 0x9f, 0xbf, 0xbf, 0xf0, 0xaf, 0xbf, 0xbe, 0xf0, 0xaf, 0xbf, 0xbf,
    0xf0, 0xbf, 0xbf, 0xbe, 0xf0, 0xbf, 0xbf, 0xbf, 0xf1, 0x8f, 0xbf, 0xbe, 0xf1, 0x8f, 0xbf, 0xbf,
    0xf1, 0x9f, 0xbf, 0xbe, 0xf1, 0x9f, 0xbf, 0xbf, 0xf1, 0xaf, 0xbf, 0xbe, 0xf1, 0xaf, 0xbf, 0xbf,
    0xf1, 0xbf, 0xbf, 0xbe, 0xf1, 0xbf, 0xbf, 0xbf, 0xf2, 0x8f, 0xbf, 0xbe, 0xf2, 0x8f, 0xbf, 0xbf,
    0xf2, 0x9f, 0xbf, 0xbe, 0xf2, 0x9f, 0xbf, 0xbf, 0xf2, 0xaf, 0xbf, 0xbe, 0xf2, 0xaf, 0xbf, 0xbf,
    0xf2, 0xbf, 0xbf, 0xbe, 0xf2, 0xbf, 0xbf, 0xbf, 0xf3, 0x8f, 0xbf, 0xbe, 0xf3, 0x8f, 0xbf, 0xbf,
    0xf3, 0x9f, 0xbf, 0xbe, 0xf3, 0x9f, 0xbf, 0xbf, 0xf3, 0xaf, 0xbf, 0xbe, 0xf3, 0xaf, 0xbf, 0xbf,
    0xf3, 0xbf, 0xbf, 0xbe, 0xf3, 0xbf, 0xbf, 0xbf, 0xf4, 0x8f, 0xbf, 0xbe, 0xf4, 0x8f, 0xbf, 0xbf,
  ]),
  V('5.3.5', 'BOM U+FEFF then "A"', [0xef, 0xbb, 0xbf, 0x41]),
];

/**
 * The reference checker, written from the code-point definition rather than
 * RFC 3629's byte table: a prefix is viable iff some valid completion exists.
 * A lead byte fixes the sequence length by its high bits; each byte so far
 * fixes the top bits of the code point, so the possible code points form an
 * interval, which must meet the length's range (no overlongs, at most
 * U+10FFFF) outside the surrogates U+D800-DFFF.
 *
 * @returns `{ bad, complete }`: `bad` is the index of the first byte that
 * makes the prefix non-viable (bytes.length if none), `complete` whether the
 * bytes end on a code point boundary.
 */
export function referenceCheck(bytes) {
  const n = bytes.length;
  const RANGE = [null, [0, 0x7f], [0x80, 0x7ff], [0x800, 0xffff], [0x10000, 0x10ffff]];
  let i = 0;
  while (i < n) {
    const b = bytes[i];
    const len = b >> 7 === 0 ? 1 : b >> 5 === 0b110 ? 2 : b >> 4 === 0b1110 ? 3 : b >> 3 === 0b11110 ? 4 : 0;
    if (len === 0) return { bad: i, complete: false };
    const [min, max] = RANGE[len];
    let bits = len === 1 ? b : b & (0x7f >> len);
    for (let k = 1; k <= len; k++) {
      const free = 2 ** (6 * (len - k));
      const lo = Math.max(bits * free, min), hi = Math.min(bits * free + free - 1, max);
      if (lo > hi || (lo >= 0xd800 && hi <= 0xdfff)) return { bad: i + k - 1, complete: false };
      if (k === len) break;
      if (i + k >= n) return { bad: n, complete: false };
      const c = bytes[i + k];
      if (c >> 6 !== 0b10) return { bad: i + k, complete: false };
      bits = bits * 64 + (c & 63);
    }
    i += len;
  }
  return { bad: n, complete: true };
}
