// Browser compatible. HTTP/1.1 syntax pieces (RFC 9110 §5.6) used by the handshake.

/** RFC 9110 §5.6.2: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA */
const TCHAR = /* @__PURE__ */ (() => {
  const t = new Uint8Array(128);
  for (const c of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") t[c.charCodeAt(0)] = 1;
  return t;
})();

/** True when `s` is a non-empty token (RFC 9110 §5.6.2). */
export function isToken(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 127 || TCHAR[c] === 0) return false;
  }
  return true;
}

/** True for a tchar code. */
export function isTchar(c: number): boolean {
  return c < 128 && TCHAR[c] === 1;
}

/**
 * True when `s` may be a field value (RFC 9110 §5.5): HTAB, SP, VCHAR and
 * obs-text only, so never CR, LF, NUL or another control character. A field
 * value is octets: a character above U+00FF is refused too, because written
 * as Latin-1 only its low byte survives (U+010A would become LF: response
 * splitting). `text` allows them, for a head the caller already decoded as text.
 */
export function isFieldValue(s: string, text = false): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f || (c > 0xff && !text)) return false;
  }
  return true;
}

/**
 * Strips optional whitespace, SP and HTAB only (RFC 9110 §5.6.3), nothing
 * else. Index loops, not a regex: /[ \t]+$/ retries at every position of an
 * inner run of blanks, quadratic in its length (90 ms for one 16 KiB value;
 * spec/fuzz/regressions.mjs).
 */
export function trimOws(s: string): string {
  let start = 0, end = s.length;
  while (start < end && (s.charCodeAt(start) === 32 || s.charCodeAt(start) === 9)) start++;
  while (end > start && (s.charCodeAt(end - 1) === 32 || s.charCodeAt(end - 1) === 9)) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/** True when the comma-separated list `value` has `token` as an element, case-insensitively (RFC 9110 §5.6.1). */
export function hasToken(value: string | undefined, token: string): boolean {
  if (value === undefined) return false;
  for (const part of value.split(',')) if (trimOws(part).toLowerCase() === token) return true;
  return false;
}
