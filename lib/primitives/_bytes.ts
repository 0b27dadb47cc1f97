// Browser compatible. Shared byte helpers: input normalisation and UTF-8.

/** One encoder for the whole bundle: TextEncoder is stateless. */
export const ENCODER = /* @__PURE__ */ new TextEncoder();
/** ignoreBOM: a leading U+FEFF is message content, not a byte-order mark to strip. */
export const DECODER = /* @__PURE__ */ new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * Views any accepted input as a Uint8Array without copying (strings are
 * encoded as UTF-8). Only the view's own window is used.
 */
export function toBytes(data: unknown, what: string): Uint8Array {
  return typeof data === 'string' ? ENCODER.encode(data) : asBytes(data, `Cannot read ${what}`, 'a string or ');
}

/**
 * Views any ArrayBufferView (a DataView, a Uint16Array, a Node Buffer, a
 * Uint8Array of another realm) or ArrayBuffer as a Uint8Array of exactly
 * its bytes, without copying. Anything else is a TypeError that starts with
 * `where`, names the argument when `name` is given, and lists `also` among
 * what was expected.
 */
export function asBytes(data: unknown, where: string, also = '', name = ''): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  throw new TypeError(`${where}: Expected ${name === '' ? '' : name + ' to be '}${also}a Uint8Array, ArrayBuffer or ArrayBufferView, got ${describe(data)}`);
}

/** A short description of a value for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return typeof value;
}

/**
 * Exact UTF-8 length of a string as TextEncoder would encode it: lone
 * surrogates become U+FFFD (3 bytes). Lets encoders allocate once.
 */
export function utf8Length(text: string): number {
  const n = text.length;
  let len = n;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) { len += 1; continue; }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) { len += 2; i++; continue; }
    }
    len += 2;
  }
  return len;
}

/** Strings shorter than this are encoded by a plain loop: cheaper than a call into TextEncoder (bench/encode). */
export const SHORT_STRING = 64;

/**
 * Encodes `text` at `out[offset]`, as TextEncoder would (a lone surrogate
 * becomes U+FFFD); `out` has exactly its UTF-8 length (`utf8Length`) left.
 */
export function writeUtf8(text: string, out: Uint8Array, offset: number): void {
  const n = text.length;
  if (n >= SHORT_STRING) {
    ENCODER.encodeInto(text, out.subarray(offset));
    return;
  }
  let o = offset;
  for (let i = 0; i < n; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) { out[o++] = c; continue; }
    if (c < 0x800) { out[o++] = 0xc0 | (c >> 6); out[o++] = 0x80 | (c & 63); continue; }
    if (c >= 0xd800 && c <= 0xdfff) {
      const d = i + 1 < n ? text.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
        out[o++] = 0xf0 | (c >> 18); out[o++] = 0x80 | ((c >> 12) & 63);
        out[o++] = 0x80 | ((c >> 6) & 63); out[o++] = 0x80 | (c & 63);
        continue;
      }
      c = 0xfffd; // a lone surrogate, as TextEncoder encodes it
    }
    out[o++] = 0xe0 | (c >> 12); out[o++] = 0x80 | ((c >> 6) & 63); out[o++] = 0x80 | (c & 63);
  }
}
