// Browser compatible. An incremental, fail-fast UTF-8 validator (RFC 3629 §4),
// for text that arrives in pieces: it rejects at the first byte after which
// no continuation could make the text valid.

/**
 * Carries the state of a partial code point between pieces.
 * `need` is how many continuation bytes are still due; the next one must lie
 * in `lo..hi`, which encodes RFC 3629's special second-byte ranges
 * (E0 A0-BF, ED 80-9F no surrogates, F0 90-BF no overlongs, F4 80-8F not above U+10FFFF).
 */
export class Utf8Validator {
  need = 0;
  lo = 0x80;
  hi = 0xbf;

  /** Validates `bytes[start..end)`; returns the index of the first invalid byte, or -1. */
  write(bytes: Uint8Array, start: number, end: number): number {
    let need = this.need, lo = this.lo, hi = this.hi;
    let i = start;
    while (i < end) {
      const b = bytes[i];
      if (need === 0) {
        if (b < 0x80) { i++; continue; }
        if (b < 0xc2) return this.fail(i);                // continuation or overlong C0/C1
        if (b < 0xe0) { need = 1; lo = 0x80; hi = 0xbf; }
        else if (b < 0xf0) { need = 2; lo = b === 0xe0 ? 0xa0 : 0x80; hi = b === 0xed ? 0x9f : 0xbf; }
        else if (b < 0xf5) { need = 3; lo = b === 0xf0 ? 0x90 : 0x80; hi = b === 0xf4 ? 0x8f : 0xbf; }
        else return this.fail(i);                          // F5-FF never appear
      } else {
        if (b < lo || b > hi) return this.fail(i);
        need--; lo = 0x80; hi = 0xbf;
      }
      i++;
    }
    this.need = need; this.lo = lo; this.hi = hi;
    return -1;
  }

  /** True when no code point is left unfinished. */
  get complete(): boolean {
    return this.need === 0;
  }

  /** Forgets any partial code point; returns the validator, ready for a new text. */
  reset(): this {
    this.need = 0; this.lo = 0x80; this.hi = 0xbf;
    return this;
  }

  private fail(i: number): number {
    this.reset();
    return i;
  }
}

/**
 * A validator for whole texts, shared (JavaScript runs one at a time): reset
 * it, validate the text, read `complete`, with no call in between.
 */
export const ONE = /* @__PURE__ */ new Utf8Validator();

/** True when `bytes` is complete, valid UTF-8. */
export function isValidUtf8(bytes: Uint8Array): boolean {
  return ONE.reset().write(bytes, 0, bytes.length) < 0 && ONE.complete;
}
