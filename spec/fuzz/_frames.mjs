// Frames as data, our own encoder (independent of lib/, and able to write
// frames the library's encoder refuses), and a generator of whole
// conversations (RFC 6455 §5.2 framing, §5.4 fragmentation, §5.5 control frames).
import { invalidUtf8, validUtf8 } from './_utf8.mjs';

/**
 * A frame: { fin, rsv (0-7), opcode (0-15), masked, key (4 bytes), payload (unmasked),
 * form: 'min' | '16' | '64' (length encoding; '16'/'64' may be non-minimal),
 * hi: the upper 32 bits written into a 64-bit length (0 normally; >= 2^31 sets the MSB) }.
 */
export function makeFrame(opcode, payload, o = {}) {
  return { fin: o.fin ?? true, rsv: o.rsv ?? 0, opcode, masked: o.masked ?? false, key: o.key ?? new Uint8Array(4), payload, form: o.form ?? 'min', hi: o.hi ?? 0 };
}

export function len7Of(f) {
  const n = f.payload.length;
  if (f.form === '64' || f.hi !== 0) return 127; // `hi` needs the 64-bit form
  if (f.form === '16' && f.payload.length < 65536) return 126;
  return n < 126 ? n : n < 65536 ? 126 : 127;
}

/** The length the header declares (may exceed 2^53 when `hi` is large: then approximate, always huge). */
export function declaredLength(f) {
  return f.hi * 4294967296 + f.payload.length;
}

/** Encodes frames; `layout[i]` = { start, ext, hdrEnd, end } in the returned bytes. */
export function encodeFrames(frames) {
  let total = 0;
  for (const f of frames) total += frameSize(f);
  const out = new Uint8Array(total);
  const layout = [];
  let p = 0;
  for (const f of frames) {
    const start = p;
    const len7 = len7Of(f);
    const ext = len7 === 126 ? 2 : len7 === 127 ? 8 : 0;
    out[p++] = (f.fin ? 0x80 : 0) | (f.rsv << 4) | f.opcode;
    out[p++] = (f.masked ? 0x80 : 0) | len7;
    const n = f.payload.length;
    if (ext === 2) { out[p++] = n >>> 8; out[p++] = n & 0xff; }
    if (ext === 8) {
      const hi = f.hi >>> 0, lo = n >>> 0;
      out[p++] = hi >>> 24; out[p++] = (hi >>> 16) & 0xff; out[p++] = (hi >>> 8) & 0xff; out[p++] = hi & 0xff;
      out[p++] = lo >>> 24; out[p++] = (lo >>> 16) & 0xff; out[p++] = (lo >>> 8) & 0xff; out[p++] = lo & 0xff;
    }
    if (f.masked) { out.set(f.key, p); p += 4; }
    const hdrEnd = p;
    out.set(f.payload, p);
    // RFC 6455 §5.3: octet i of the payload is XORed with octet i mod 4 of the key.
    if (f.masked) for (let i = 0; i < n; i++) out[p + i] ^= f.key[i & 3];
    p += n;
    layout.push({ start, ext, hdrEnd, end: p });
  }
  return { bytes: out, layout };
}

function frameSize(f) {
  const len7 = len7Of(f);
  return 2 + (len7 === 126 ? 2 : len7 === 127 ? 8 : 0) + (f.masked ? 4 : 0) + f.payload.length;
}

/** A payload length from every class (RFC 6455 §5.2: 7-bit, 16-bit, 64-bit), boundaries favoured; big ones rare. */
export function payloadLength(r, big = 0.004) {
  return r.weighted([
    [20, r.pick([0, 1, 2, 3, 4, 5, 124, 125])],
    [45, r.int(126)],
    [8, r.pick([126, 127, 128, 255, 256, 1023, 1024, 65535])],
    [25, r.range(126, r.chance(0.97) ? 2048 : 65535)],
    [big * 100, r.chance(0.5) ? r.pick([65536, 65537]) : r.range(65536, 200000)],
  ]);
}

export function maskKey(r) {
  return r.chance(0.05) ? new Uint8Array(4) : r.bytes(4);
}

/** Splits `n` bytes into `k` fragment lengths (some empty). */
function cuts(r, n, k) {
  const points = [];
  for (let i = 0; i < k - 1; i++) points.push(r.chance(0.15) ? r.pick([0, n]) : r.int(n + 1));
  points.sort((a, b) => a - b);
  const out = [];
  let prev = 0;
  for (const p of points) { out.push(p - prev); prev = p; }
  out.push(n - prev);
  return out;
}

/** A Close payload (RFC 6455 §5.5.1): mostly valid; sometimes 1 byte, a code that may not be sent, or a bad reason. */
export function closePayload(r) {
  const kind = r.int(20);
  if (kind < 4) return new Uint8Array(0);
  if (kind === 4) return r.bytes(1);
  let code;
  if (kind === 5 || kind === 7) code = r.pick([0, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, 65535, r.int(65536)]);
  else code = r.pick([1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999, r.range(3000, 4999)]);
  const reason = kind === 6 ? invalidUtf8(r, r.range(1, 20)).subarray(0, 123) : validUtf8(r, r.chance(0.1) ? 123 : r.int(30));
  const out = new Uint8Array(2 + reason.length);
  out[0] = code >>> 8; out[1] = code & 0xff;
  out.set(reason, 2);
  return out;
}

function control(r, o) {
  const opcode = r.chance(0.5) ? 0x9 : 0xa;
  const n = r.chance(0.2) ? r.pick([0, 125]) : r.int(126);
  return makeFrame(opcode, r.bytes(n), o());
}

/**
 * A conversation as frames: text and binary messages (some fragmented, with
 * control frames between fragments), pings and pongs, and maybe a Close with
 * bytes after it. Text is valid UTF-8 unless `badText` strikes.
 */
export function genConversation(r, { masked, big = 0.004, badText = 0.08 } = {}) {
  const frames = [];
  const o = () => ({ masked, key: masked ? maskKey(r) : undefined });
  const units = r.weighted([[30, 1], [30, r.range(2, 4)], [15, r.range(5, 12)], [3, r.range(13, 40)]]);
  for (let u = 0; u < units; u++) {
    const kind = r.int(10);
    if (kind < 2) { frames.push(control(r, o)); continue; }
    const text = kind < 6;
    const n = payloadLength(r, big);
    const data = text ? (r.chance(badText) ? invalidUtf8(r, n) : validUtf8(r, n)) : r.bytes(n);
    const k = r.weighted([[60, 1], [30, r.range(2, 5)], [8, r.range(6, 30)], [2, r.range(31, 300)]]);
    let at = 0;
    const parts = cuts(r, data.length, k);
    parts.forEach((len, i) => {
      frames.push(makeFrame(i === 0 ? (text ? 0x1 : 0x2) : 0x0, data.subarray(at, at + len), { ...o(), fin: i === k - 1 }));
      at += len;
      if (i < k - 1 && r.chance(0.15)) frames.push(control(r, o));
    });
  }
  if (r.chance(0.3)) {
    frames.push(makeFrame(0x8, closePayload(r), o()));
    if (r.chance(0.5)) frames.push(control(r, o)); // RFC 6455 §5.5.1: nothing may follow; the reader discards it
  }
  return frames;
}
