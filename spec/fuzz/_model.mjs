// The oracle: what MessageReader and decodeFrame must do with a list of frames
// (as data) whose first `total` encoded bytes were received. It is written
// from RFC 6455 directly and knows nothing of the reader's chunking: each rule
// is decided at the byte that decides it (fail-fast), so the outcome of a
// truncated stream is the events whose deciding byte arrived. Each failure
// names the rule broken (the ids of lib/rules.ts) beside its close code.
import { declaredLength, len7Of } from './_frames.mjs';
import { decodeStrict, firstInvalid } from './_utf8.mjs';

const isControl = (op) => op >= 0x8;
// RFC 6455 §5.2: 0x3-0x7 and 0xB-0xF are reserved.
const isReserved = (op) => (op > 0x2 && op < 0x8) || op > 0xa;

/** RFC 6455 §7.4.1-§7.4.2 and the IANA registry: codes a Close frame may carry. */
export function closeCodeAllowed(code) {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

/** Byte 0 (RFC 6455 §5.2, §5.5): [position, closeCode, rule] of a failure, or null. */
function headerFailure(f, L) {
  const s = L.start;
  // RFC 6455 §5.2: no extension is negotiated, so RSV1-3 must be 0; reserved opcodes fail.
  if (f.rsv !== 0) return [s, 1002, 'rsv-without-extension'];
  if (isReserved(f.opcode)) return [s, 1002, 'reserved-opcode'];
  // RFC 6455 §5.5: control frames must not be fragmented.
  if (isControl(f.opcode) && !f.fin) return [s, 1002, 'fragmented-control'];
  return null;
}

/** The extended length bytes the encoder writes for `f`. */
function extBytes(f, ext) {
  const n = f.payload.length;
  if (ext === 2) return [n >>> 8, n & 255];
  const hi = f.hi >>> 0, lo = n >>> 0;
  return [hi >>> 24, (hi >>> 16) & 255, (hi >>> 8) & 255, hi & 255, lo >>> 24, (lo >>> 16) & 255, (lo >>> 8) & 255, lo & 255];
}

/**
 * Byte 1 and the extended length: [position, closeCode, rule] of the first failure, or null.
 * `limit` is the most payload bytes this frame may declare. The length is judged
 * byte by byte: after each byte the values still possible form an interval,
 * and the frame fails at the first byte after which no value in it is minimally
 * encoded (1002, RFC 6455 §5.2) or none of those is within the limit (1009) —
 * 1002 first when both happen at one byte.
 */
function lengthFailure(f, L, mask, limit, big) {
  const s = L.start;
  // RFC 6455 §5.1: clients mask every frame, servers none.
  if (mask > 0 && !f.masked) return [s + 1, 1002, 'client-frame-unmasked'];
  if (mask < 0 && f.masked) return [s + 1, 1002, 'server-frame-masked'];
  // RFC 6455 §5.5: control payloads are at most 125 bytes.
  if (isControl(f.opcode) && len7Of(f) > 125) return [s + 1, 1002, 'control-too-long'];
  if (L.ext === 0) return declaredLength(f) > limit ? [s + 1, 1009, big] : null;
  const bytes = extBytes(f, L.ext);
  const min = L.ext === 2 ? 126 : 65536;
  let value = 0;
  for (let i = 0; i <= L.ext; i++) {
    if (i > 0) {
      // RFC 6455 §5.2: the most significant bit of a 64-bit length MUST be 0.
      if (L.ext === 8 && i === 1 && bytes[0] & 0x80) return [s + 2, 1002, 'length-msb-set'];
      value = value * 256 + bytes[i - 1];
    }
    const span = 256 ** (L.ext - i);
    const lo = value * span, hi = lo + span - 1;
    if (hi < min) return [s + 1 + i, 1002, 'non-minimal-length'];
    if (Math.max(lo, min) > limit) return [s + 1 + i, 1009, big];
  }
  return null;
}

/** A Close payload (RFC 6455 §5.5.1, §7.4): { msg } or { code, rule, at } with `at` the payload byte that decides it. */
function closeOutcome(payload) {
  const last = payload.length - 1;
  if (payload.length === 0) return { msg: { type: 'close', code: 1005, reason: '' } };
  const code = (payload[0] << 8) | payload[1];
  if (!closeCodeAllowed(code)) return { code: 1002, rule: 'invalid-close-code', at: 1 }; // judged once both code bytes are in
  const reason = decodeStrict(payload.subarray(2));
  if (reason === null) return { code: 1007, rule: 'close-reason-invalid-utf8', at: last };
  return { msg: { type: 'close', code, reason } };
}

/**
 * MessageReader's outcome: { messages, code, rule } (code and rule null when
 * no error), for `frames` laid out as `layout`, of which `total` bytes arrived.
 * The limits may be any non-negative integer or Infinity: `maxFragments`
 * counts a message's first frame, so 0 refuses every data frame.
 */
export function modelReader(frames, layout, total, { role = 'server', maxMessageSize = 64 * 1024 * 1024, maxFragments = 131072 } = {}) {
  const mask = role === 'server' ? 1 : -1;
  const messages = [];
  const fail = (pos, code, rule) => (pos < total ? { messages, code, rule } : { messages, code: null, rule: null });
  let open = 0, fragments = 0, msgLen = 0, parts = [], decoder = null;
  for (let i = 0; i < frames.length; i++) {
    const f = frames[i], L = layout[i], s = L.start;
    if (s >= total) break;
    let h = headerFailure(f, L);
    // RFC 6455 §5.4: a continuation needs an open message; a new message needs none open.
    if (!h && f.opcode === 0 && open === 0) h = [s, 1002, 'unexpected-continuation'];
    if (!h && (f.opcode === 1 || f.opcode === 2) && open !== 0) h = [s, 1002, 'expected-continuation'];
    // This frame would be the message's (fragments + 1)th.
    if (!h && !isControl(f.opcode) && (f.opcode === 0 ? fragments : 0) >= maxFragments) h = [s, 1009, 'too-many-fragments'];
    if (!h) h = lengthFailure(f, L, mask, isControl(f.opcode) ? Infinity : maxMessageSize - msgLen, 'message-too-big');
    // RFC 6455 §5.5.1: a Close body starts with a 2-byte code, so a 1-byte one fails from its length.
    if (!h && f.opcode === 0x8 && declaredLength(f) === 1) h = [s + 1, 1002, 'close-body-one-byte'];
    if (h) return fail(h[0], h[1], h[2]);
    const last = (f.payload.length > 0 ? L.end : L.hdrEnd) - 1; // the byte that completes the frame
    if (isControl(f.opcode)) {
      if (f.opcode === 0x8) {
        const c = closeOutcome(f.payload);
        if (c.code) return fail(L.hdrEnd + c.at, c.code, c.rule);
        if (last >= total) break;
        messages.push(c.msg);
        return { messages, code: null, rule: null };
      }
      if (last >= total) break;
      messages.push({ type: f.opcode === 0x9 ? 'ping' : 'pong', data: f.payload });
      continue;
    }
    if (f.opcode !== 0) { open = f.opcode; fragments = 0; msgLen = 0; parts = []; decoder = new TextDecoder('utf-8', { fatal: true }); }
    // Without a limit, a frame declaring more than its bytes (a high word set)
    // takes the rest of the stream as its payload: a binary one simply never
    // ends; what a text one makes of the bytes is not modelled (`unknown`).
    if (declaredLength(f) > f.payload.length) return open === 0x2 ? { messages, code: null, rule: null } : { messages, code: null, rule: null, unknown: true };
    fragments++;
    if (open === 0x1) {
      // RFC 6455 §8.1: fail at the first byte that cannot begin valid UTF-8.
      try { decoder.decode(f.payload, { stream: true }); } catch {
        const bad = firstInvalid(concat([...parts, f.payload])) - msgLen;
        return fail(L.hdrEnd + bad, 1007, 'invalid-utf8');
      }
    }
    parts.push(f.payload);
    msgLen += f.payload.length;
    if (last >= total) break;
    if (!f.fin) continue;
    const bytes = concat(parts);
    if (open === 0x1) {
      const text = decodeStrict(bytes);
      if (text === null) return fail(last, 1007, 'invalid-utf8'); // ends inside a code point
      messages.push({ type: 'text', data: text });
    } else {
      messages.push({ type: 'binary', data: bytes });
    }
    open = 0; fragments = 0; msgLen = 0; parts = [];
  }
  return { messages, code: null, rule: null };
}

/** decodeFrame's outcome on the first `total` bytes of one frame: { code, rule } | { frame: null } | { frame }. */
export function modelDecode(f, L, total, { requireMask = false, maxPayload = 100 * 1024 * 1024 } = {}) {
  if (total < 1) return { frame: null };
  const h = headerFailure(f, L) ?? lengthFailure(f, L, requireMask ? 1 : 0, maxPayload, 'frame-too-big');
  if (h) return h[0] < total ? { code: h[1], rule: h[2] } : { frame: null };
  // Without a limit, a declared length past the frame's bytes waits for them.
  if (total < L.hdrEnd + declaredLength(f)) return { frame: null };
  return {
    frame: {
      fin: f.fin, rsv1: (f.rsv & 4) !== 0, rsv2: (f.rsv & 2) !== 0, rsv3: (f.rsv & 1) !== 0,
      opcode: f.opcode, masked: f.masked, maskKey: f.masked ? f.key : undefined, payload: f.payload, byteLength: L.end,
    },
  };
}

export function concat(parts) {
  let n = 0;
  for (const p of parts) n += p.length;
  if (parts.length === 1) return parts[0].slice();
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}
