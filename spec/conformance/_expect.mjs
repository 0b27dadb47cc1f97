// Small builders shared by the case files: expected events and opcodes.
export const OP = { CONT: 0, TEXT: 1, BINARY: 2, CLOSE: 8, PING: 9, PONG: 10 };

const bytes = (x) => (Buffer.isBuffer(x) ? x : Buffer.from(x));
export const text = (x) => ({ type: 'text', data: bytes(x) });
export const binary = (x) => ({ type: 'binary', data: bytes(x) });
export const pong = (x = '') => ({ type: 'pong', data: bytes(x) });

/** `n` bytes repeating `unit` (a string or byte). */
export function fill(n, unit) {
  return Buffer.alloc(n, unit);
}

/**
 * Index of the first byte at which `bytes` can no longer begin valid UTF-8,
 * found with the WHATWG streaming decoder (node's TextDecoder, fatal) fed a
 * byte at a time; `bytes.length` when only the end of the text makes it
 * invalid, -1 when it is valid.
 */
export function firstInvalidByte(bytes) {
  const d = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  for (let i = 0; i < bytes.length; i++) {
    try { d.decode(bytes.subarray(i, i + 1), { stream: true }); } catch { return i; }
  }
  try { d.decode(); } catch { return bytes.length; }
  return -1;
}
