// Frame helpers for the benchmarks: a reference encoder (RFC 6455 §5.2, the
// rules spelled out, nothing clever) and a reference decoder that checks a
// frame's bytes, so that each variant's output is verified before it is timed.

/** Encodes one frame the plain way: header, optional key, payload XOR key (§5.3). */
export function refFrame(opcode, payload, key = null) {
  const n = payload.length;
  const ext = n < 126 ? 0 : n < 65536 ? 2 : 8;
  const out = new Uint8Array(2 + ext + (key ? 4 : 0) + n);
  out[0] = 0x80 | opcode;
  out[1] = (key ? 0x80 : 0) | (ext === 0 ? n : ext === 2 ? 126 : 127);
  if (ext === 2) { out[2] = n >> 8; out[3] = n & 255; }
  if (ext === 8) for (let i = 0; i < 8; i++) out[2 + i] = Math.floor(n / 2 ** (8 * (7 - i))) & 255;
  let p = 2 + ext;
  if (key) { out.set(key, p); p += 4; }
  for (let i = 0; i < n; i++) out[p + i] = key ? payload[i] ^ key[i & 3] : payload[i];
  return out;
}

/** Joins the pieces ws's Sender.frame returns (header, then data). */
export function join(list) {
  if (!Array.isArray(list)) return list;
  const n = list.reduce((s, b) => s + b.length, 0);
  const out = new Uint8Array(n);
  let p = 0;
  for (const b of list) { out.set(b, p); p += b.length; }
  return out;
}

/**
 * True when `frame` is one final frame with `opcode` carrying `payload`,
 * masked or not as `masked` says, whatever the (random) key.
 */
export function isFrame(frame, opcode, payload, masked) {
  const f = join(frame);
  if (f[0] !== (0x80 | opcode) || ((f[1] & 0x80) !== 0) !== masked) return false;
  const key = masked ? f.subarray(f.length - payload.length - 4, f.length - payload.length) : null;
  const expect = refFrame(opcode, payload, key);
  if (expect.length !== f.length) return false;
  for (let i = 0; i < f.length; i++) if (f[i] !== expect[i]) return false;
  return true;
}
