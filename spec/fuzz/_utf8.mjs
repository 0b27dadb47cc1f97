// Text payloads for the fuzzer: valid UTF-8 (RFC 3629) from every encoding
// length and its boundary code points, invalid UTF-8 from the classic
// failure classes, and the platform's WHATWG decoder as the reference.

// Boundary code points of each encoding length, the BOM, U+FFFD, around the surrogates.
const EDGES = [0x00, 0x7f, 0x80, 0x7ff, 0x800, 0xfff, 0x1000, 0xd7ff, 0xe000, 0xfeff, 0xfffd, 0xfffe, 0xffff, 0x10000, 0x3ffff, 0x40000, 0xfffff, 0x100000, 0x10ffff];

function codePoint(r, room) {
  const kind = r.int(100);
  let cp;
  if (kind < 55 || room < 2) cp = r.int(0x80);
  else if (kind < 70 || room < 3) cp = r.range(0x80, 0x7ff);
  else if (kind < 85 || room < 4) { cp = r.range(0x800, 0xfffd); if (cp >= 0xd800 && cp <= 0xdfff) cp -= 0x800; }
  else if (kind < 93) cp = r.range(0x10000, 0x10ffff);
  else { cp = r.pick(EDGES); if (utf8Size(cp) > room) cp = 0x41; }
  return cp;
}

function utf8Size(cp) {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/**
 * Exactly `n` bytes of valid UTF-8 (RFC 3629 §3 encoding, written here; the
 * oracle decodes with the platform's TextDecoder, never with this).
 */
export function validUtf8(r, n) {
  const out = new Uint8Array(n);
  let i = 0;
  // Mostly-ASCII runs keep big payloads cheap to generate.
  if (n > 4096 && r.chance(0.7)) for (; i < n - 256; i++) out[i] = 0x20 + ((i * 7 + n) % 95);
  while (i < n) {
    const cp = codePoint(r, n - i);
    if (cp < 0x80) out[i++] = cp;
    else if (cp < 0x800) { out[i++] = 0xc0 | (cp >> 6); out[i++] = 0x80 | (cp & 63); }
    else if (cp < 0x10000) { out[i++] = 0xe0 | (cp >> 12); out[i++] = 0x80 | ((cp >> 6) & 63); out[i++] = 0x80 | (cp & 63); }
    else { out[i++] = 0xf0 | (cp >> 18); out[i++] = 0x80 | ((cp >> 12) & 63); out[i++] = 0x80 | ((cp >> 6) & 63); out[i++] = 0x80 | (cp & 63); }
  }
  return out;
}

// Sequences no valid UTF-8 contains (RFC 3629 §3-§4, Markus Kuhn's stress test classes).
const BAD = [
  [0x80], [0xbf], [0xc0, 0x80], [0xc1, 0xbf], [0xc2], [0xc2, 0x41], [0xe0, 0x80, 0x80], [0xe0, 0x9f, 0xbf],
  [0xed, 0xa0, 0x80], [0xed, 0xbf, 0xbf], [0xe2, 0x82], [0xe2, 0x28, 0xa1], [0xf0, 0x80, 0x80, 0x80],
  [0xf0, 0x8f, 0xbf, 0xbf], [0xf4, 0x90, 0x80, 0x80], [0xf5, 0x80, 0x80, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0xfc, 0x84, 0x80, 0x80, 0x80, 0x80], [0xfe], [0xff], [0xf0, 0x9f, 0x98], [0xef, 0xbf],
];

/** `n`-ish bytes of UTF-8 with one invalid (or, at the end, unfinished) sequence in it. */
export function invalidUtf8(r, n) {
  const bad = r.pick(BAD);
  const body = validUtf8(r, Math.max(0, n - bad.length));
  // Insert at a code point boundary, or anywhere (which also breaks a sequence).
  let at = r.int(body.length + 1);
  if (r.chance(0.7)) while (at < body.length && (body[at] & 0xc0) === 0x80) at++;
  if (r.chance(0.2)) at = body.length;
  const out = new Uint8Array(body.length + bad.length);
  out.set(body.subarray(0, at), 0);
  out.set(bad, at);
  out.set(body.subarray(at), at + bad.length);
  return out;
}

function prefixOk(bytes, k) {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, k), { stream: true });
    return true;
  } catch {
    return false;
  }
}

/**
 * Index of the first byte after which no continuation can make `bytes` valid,
 * or -1: the WHATWG decoder in streaming mode throws exactly there
 * (Encoding Standard §9.1.1), and validity of prefixes is monotone.
 */
export function firstInvalid(bytes) {
  const n = bytes.length;
  if (prefixOk(bytes, n)) return -1;
  let lo = 0, hi = n; // prefixOk(lo) is true, prefixOk(hi) is false
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (prefixOk(bytes, mid)) lo = mid; else hi = mid;
  }
  return hi - 1;
}

/** Decodes complete, valid UTF-8 (BOM kept as content), or returns null. */
export function decodeStrict(bytes) {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}
