// Browser compatible. The server's side of the opening handshake (RFC 6455 §4.2.2).
import { ALPHABET } from '../primitives/_base64.ts';
import { describe } from '../primitives/_bytes.ts';
import { SHA1_IV, compress } from '../primitives/_sha1-compress.ts';
import { encodeBase64 } from '../primitives/base64.ts';
import { sha1 } from '../primitives/sha1.ts';
import { WEBSOCKET_GUID } from '../rfc6455.ts';

const GUID_LENGTH = 36;

/** Two SHA-1 blocks hold any key of up to 119 - 36 bytes with its padding. */
const BLOCK = /* @__PURE__ */ new Uint8Array(128);
const VIEW = /* @__PURE__ */ new DataView(BLOCK.buffer);
const STATE = /* @__PURE__ */ new Int32Array(5);
const MAX_FAST_KEY = 119 - GUID_LENGTH;

/**
 * Computes `Sec-WebSocket-Accept` for a client's `Sec-WebSocket-Key`
 * (RFC 6455 §4.2.2 step 5.4): base64(SHA-1(key + GUID)). Synchronous, and
 * for the usual 24-character ASCII key it allocates only the result.
 * It does not check the key: `validateUpgradeRequest` does.
 *
 * @param key The `Sec-WebSocket-Key` header value.
 * @returns The `Sec-WebSocket-Accept` header value.
 * @throws {TypeError} When `key` is not a string.
 * @example The RFC 6455 §1.3 example
 * ```ts
 * computeAcceptKey('dGhlIHNhbXBsZSBub25jZQ=='); // 's3pPLMBiTxaQ9kYGzzhZRbK+xOo='
 * ```
 */
export function computeAcceptKey(key: string): string {
  if (typeof key !== 'string') throw new TypeError(`Cannot compute accept key: Expected a string, got ${describe(key)}`);
  const n = key.length;
  if (n > MAX_FAST_KEY) return encodeBase64(sha1(key + WEBSOCKET_GUID));
  // The GUID, padding and length depend only on the key's length: write them
  // when it changes (once, for the usual 24-character keys), then only the key.
  if (n !== lastLength) {
    BLOCK.fill(0);
    for (let i = 0; i < GUID_LENGTH; i++) BLOCK[n + i] = WEBSOCKET_GUID.charCodeAt(i);
    const len = n + GUID_LENGTH;
    BLOCK[len] = 0x80; // FIPS 180-4 §5.1.1 padding: 0x80, zeros, then the length in bits
    VIEW.setUint32(len < 56 ? 60 : 124, len * 8, false);
    lastLength = n;
  }
  for (let i = 0; i < n; i++) {
    const c = key.charCodeAt(i);
    if (c >= 0x80) { lastLength = -1; return encodeBase64(sha1(key + WEBSOCKET_GUID)); }
    BLOCK[i] = c;
  }
  STATE.set(SHA1_IV);
  compress(STATE, VIEW, 0, n + GUID_LENGTH < 56 ? 1 : 2);
  // RFC 4648 §4: the 160-bit digest as 27 characters and one '=', in one call.
  const c = B64, w0 = STATE[0], w1 = STATE[1], w2 = STATE[2], w3 = STATE[3], w4 = STATE[4];
  return String.fromCharCode(
    c[w0 >>> 26], c[(w0 >>> 20) & 63], c[(w0 >>> 14) & 63], c[(w0 >>> 8) & 63], c[(w0 >>> 2) & 63],
    c[((w0 & 3) << 4) | (w1 >>> 28)], c[(w1 >>> 22) & 63], c[(w1 >>> 16) & 63], c[(w1 >>> 10) & 63], c[(w1 >>> 4) & 63],
    c[((w1 & 15) << 2) | (w2 >>> 30)], c[(w2 >>> 24) & 63], c[(w2 >>> 18) & 63], c[(w2 >>> 12) & 63], c[(w2 >>> 6) & 63], c[w2 & 63],
    c[w3 >>> 26], c[(w3 >>> 20) & 63], c[(w3 >>> 14) & 63], c[(w3 >>> 8) & 63], c[(w3 >>> 2) & 63],
    c[((w3 & 3) << 4) | (w4 >>> 28)], c[(w4 >>> 22) & 63], c[(w4 >>> 16) & 63], c[(w4 >>> 10) & 63], c[(w4 >>> 4) & 63],
    c[(w4 & 15) << 2], 61);
}

let lastLength = -1;
/** RFC 4648 §4, Table 1, as character codes. */
const B64 = /* @__PURE__ */ Uint8Array.from(ALPHABET, (ch) => ch.charCodeAt(0));
