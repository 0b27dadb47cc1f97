// Browser compatible. Base64 with the standard alphabet and padding
// (RFC 4648 §4), written by hand: `btoa`/`atob` work on Latin-1 strings, not bytes.
import { ALPHABET } from './_base64.ts';
import { asBytes, describe } from './_bytes.ts';

/** Character code to 6-bit value; 255 marks a character outside the alphabet. */
const DECODE = /* @__PURE__ */ (() => {
  const t = new Uint8Array(256).fill(255);
  for (let i = 0; i < 64; i++) t[ALPHABET.charCodeAt(i)] = i;
  return t;
})();
/** Pairs of characters per 12 bits: halves the lookups of the hot loop. */
const PAIRS = /* @__PURE__ */ (() => {
  const t: string[] = new Array(4096);
  for (let i = 0; i < 4096; i++) t[i] = ALPHABET[i >> 6] + ALPHABET[i & 63];
  return t;
})();

/**
 * Encodes bytes as base64 (RFC 4648 §4, with `=` padding).
 *
 * @param data The bytes to encode: a Uint8Array, an ArrayBuffer or any other ArrayBufferView (only its own window, at any offset).
 * @returns The base64 text.
 * @throws {TypeError} When `data` is not an ArrayBuffer or ArrayBufferView (a string included: encode it first).
 * @example Encode bytes
 * ```ts
 * encodeBase64(new TextEncoder().encode('foobar')); // 'Zm9vYmFy'
 * ```
 */
export function encodeBase64(data: ArrayBuffer | ArrayBufferView): string {
  const bytes = asBytes(data, 'Cannot encode base64');
  const n = bytes.length;
  const whole = n - (n % 3);
  let out = '';
  for (let i = 0; i < whole; i += 3) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += PAIRS[v >> 12] + PAIRS[v & 4095];
  }
  if (n - whole === 1) {
    const v = bytes[whole] << 4;
    out += PAIRS[v] + '==';
  } else if (n - whole === 2) {
    const v = (bytes[whole] << 10) | (bytes[whole + 1] << 2);
    out += PAIRS[v >> 6] + ALPHABET[v & 63] + '=';
  }
  return out;
}

/**
 * Decodes strict base64 (RFC 4648 §4): standard alphabet, length a multiple
 * of 4, padding only at the end, and zero pad bits (RFC 4648 §3.5), so each
 * byte string has exactly one accepted encoding.
 *
 * @param text The base64 text.
 * @returns The decoded bytes.
 * @throws {TypeError} When `text` is not a string or is not canonical base64.
 * @example Decode a WebSocket key
 * ```ts
 * decodeBase64('dGhlIHNhbXBsZSBub25jZQ==').length; // 16
 * ```
 */
export function decodeBase64(text: string): Uint8Array {
  if (typeof text !== 'string') throw new TypeError(`Cannot decode base64: Expected a string, got ${describe(text)}`);
  const n = text.length;
  if (n % 4 !== 0) throw new TypeError(`Cannot decode base64: Length ${n} is not a multiple of 4`);
  let pad = 0;
  if (n > 0 && text.charCodeAt(n - 1) === 61) pad = text.charCodeAt(n - 2) === 61 ? 2 : 1;
  const out = new Uint8Array((n / 4) * 3 - pad);
  const body = n - (pad ? 4 : 0);
  let o = 0;
  for (let i = 0; i < body; i += 4) {
    const v = (sextet(text, i) << 18) | (sextet(text, i + 1) << 12) | (sextet(text, i + 2) << 6) | sextet(text, i + 3);
    out[o++] = v >> 16;
    out[o++] = (v >> 8) & 255;
    out[o++] = v & 255;
  }
  if (pad === 1) {
    const v = (sextet(text, body) << 12) | (sextet(text, body + 1) << 6) | sextet(text, body + 2);
    if (v & 3) throw new TypeError('Cannot decode base64: Non-zero pad bits');
    out[o++] = v >> 10;
    out[o] = (v >> 2) & 255;
  } else if (pad === 2) {
    const v = (sextet(text, body) << 6) | sextet(text, body + 1);
    if (v & 15) throw new TypeError('Cannot decode base64: Non-zero pad bits');
    out[o] = v >> 4;
  }
  return out;
}

function sextet(text: string, i: number): number {
  const c = text.charCodeAt(i);
  const v = c < 256 ? DECODE[c] : 255;
  if (v === 255) throw new TypeError(`Cannot decode base64: Invalid character (${JSON.stringify(text[i])}) at ${i}`);
  return v;
}
