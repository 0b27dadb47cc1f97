// Differential testing helpers: the same bytes through ws's Receiver and our
// MessageReader, and a classifier that explains every disagreement by one
// documented deviation (DEVIATIONS) after checking that the deviation's
// condition really holds in the bytes, or reports it as unexplained.
import { Receiver } from 'ws';
import { MessageReader, ProtocolError } from '../../dist/index.js';
import { firstInvalid } from '../fuzz/_utf8.mjs';
import { diffMessage } from '../fuzz/_reader.mjs';

/** Every place we knowingly differ from ws 8.23's Receiver. docs/hardening.md lists the same rows. */
export const DEVIATIONS = {
  'non-minimal-length': 'A 16-bit length under 126 or a 64-bit length under 65,536: we fail with 1002 (RFC 6455 §5.2: "the minimal number of bytes MUST be used"); ws accepts the frame',
  '64-bit-msb': 'A 64-bit length with its most significant bit set: we fail with 1002 (RFC 6455 §5.2: "the most significant bit MUST be 0"); ws fails with 1009 (it treats it as a length over 2^53)',
  'utf8-fail-fast': 'Invalid UTF-8 in a text message: we fail with 1007 at the first byte that cannot begin valid UTF-8 (RFC 6455 §8.1, Autobahn 6.x fail-fast); ws validates once the message is complete, so it may still deliver control frames that follow the bad byte, fail on a later frame with another code, or not fail at all when the stream ends first',
  'length-prefix': 'The extended length is judged byte by byte (RFC 6455 §5.2 minimal encoding and most significant bit, and the limit, §10.4): we fail at the first byte after which no value could be valid — from the 7-bit code alone when even the smallest minimal value (126 or 65,536) is over the limit (1009), from the first 64-bit byte when its top bit is set (1002) or the length is already over the limit (1009). ws reads the whole field first: it waits while the field is incomplete, and accepts a non-minimal value under the limit',
  'byte0-alone': 'A stream that ends 1 byte into a frame header whose first byte is already invalid (RSV, opcode, fragmentation): we fail from that byte alone; ws waits for 2 bytes before judging',
  'close-code-early': 'A Close frame whose status code may not be sent (RFC 6455 §7.4): we fail with 1002 as soon as the two code bytes are in; ws waits for the whole frame (so only a stream cut inside the frame differs)',
  'fragment-budget': 'Too many fragments in one message: we fail with 1009 on the header of the first frame over maxFragments (before its payload); ws (maxFragments option) fails with 1008 after that frame\'s payload arrived',
};

const STATUS = (e) => {
  const sym = Object.getOwnPropertySymbols(e).find((s) => s.description === 'status-code');
  return sym ? e[sym] : null;
};
const text = (buf) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(buf);

/** ws's Receiver on `chunks`: { messages, code, reason } in our reader's message shapes. */
export function runWs(chunks, { role = 'server', maxPayload = 0, maxFragments = 0 } = {}) {
  return new Promise((resolve) => {
    const rx = new Receiver({ isServer: role === 'server', maxPayload, maxFragments });
    const messages = [];
    let code = null, reason = null, concluded = false;
    rx.on('message', (data, isBinary) => messages.push(isBinary ? { type: 'binary', data: new Uint8Array(data) } : { type: 'text', data: text(data) }));
    rx.on('ping', (d) => messages.push({ type: 'ping', data: new Uint8Array(d) }));
    rx.on('pong', (d) => messages.push({ type: 'pong', data: new Uint8Array(d) }));
    rx.on('conclude', (c, r) => { concluded = true; messages.push({ type: 'close', code: c, reason: text(r) }); });
    rx.on('error', (e) => { if (code === null) { code = STATUS(e); reason = e.message; } });
    for (const c of chunks) {
      if (concluded || rx._errored) break; // after 'conclude' ws has ended the stream: more writes are refused
      rx.write(Buffer.from(c));
    }
    setImmediate(() => resolve({ messages, code, reason }));
  });
}

/** Our MessageReader on `chunks`, in the same shape. */
export function runOurs(chunks, opts) {
  const reader = new MessageReader(opts);
  const messages = [];
  for (const c of chunks) {
    if (reader.closed) break;
    try {
      messages.push(...reader.push(c));
    } catch (e) {
      if (!(e instanceof ProtocolError)) throw e;
      messages.push(...e.messages);
      return { messages, code: e.closeCode, rule: e.rule, reason: e.message };
    }
  }
  return { messages, code: null, rule: null, reason: null };
}

/**
 * Frames as they appear in `bytes` (our own reading, independent of both
 * parsers): { start, opcode, fin, len7, ext, len, msb, minimal, masked, payload (unmasked, what arrived), complete }.
 * The last one may be partial.
 */
export function scan(bytes) {
  const out = [];
  const n = bytes.length;
  let p = 0;
  while (p < n) {
    const f = { start: p, b0: bytes[p], opcode: bytes[p] & 15, fin: (bytes[p] & 0x80) !== 0, complete: false, headerComplete: false };
    out.push(f);
    if (n - p < 2) break;
    const b1 = bytes[p + 1];
    f.masked = (b1 & 0x80) !== 0;
    f.len7 = b1 & 0x7f;
    f.ext = f.len7 === 126 ? 2 : f.len7 === 127 ? 8 : 0;
    if (n - p < 2 + f.ext) break;
    if (f.ext === 2) f.len = (bytes[p + 2] << 8) | bytes[p + 3];
    else if (f.ext === 8) {
      const hi = ((bytes[p + 2] << 24) | (bytes[p + 3] << 16) | (bytes[p + 4] << 8) | bytes[p + 5]) >>> 0;
      const lo = ((bytes[p + 6] << 24) | (bytes[p + 7] << 16) | (bytes[p + 8] << 8) | bytes[p + 9]) >>> 0;
      f.msb = hi >= 0x80000000;
      f.len = hi * 4294967296 + lo;
    } else f.len = f.len7;
    f.minimal = f.ext === 0 || (f.ext === 2 ? f.len >= 126 : f.len >= 65536);
    const ps = p + 2 + f.ext + (f.masked ? 4 : 0);
    if (ps > n) break;
    f.headerComplete = true;
    const avail = Math.min(f.len, n - ps);
    f.payload = bytes.slice(ps, ps + avail);
    if (f.masked) for (let i = 0; i < avail; i++) f.payload[i] ^= bytes[ps - 4 + (i & 3)];
    if (avail < f.len) break;
    f.complete = true;
    p = ps + f.len;
  }
  return out;
}

function isPrefix(short, long) {
  if (short.length > long.length) return false;
  return short.every((m, i) => diffMessage(m, long[i]) === null);
}

function sameMessages(a, b) {
  return a.length === b.length && isPrefix(a, b);
}

/** Where the first text message of the stream stops being valid UTF-8: byte index in that message, or -1. */
function firstBadText(frames) {
  let parts = null;
  for (const f of frames) {
    if (f.payload === undefined || f.opcode >= 8) continue;
    if (f.opcode === 1) parts = [];
    else if (f.opcode !== 0) { parts = null; continue; }
    if (parts === null) continue;
    parts.push(f.payload);
    const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) { all.set(p, at); at += p.length; }
    const bad = firstInvalid(all);
    if (bad >= 0) return bad;
    if (f.fin) parts = null;
  }
  return -1;
}

/**
 * null when both agree; the name of the documented deviation that explains
 * the difference (after checking its condition in the bytes); or a string
 * starting with "unexplained". `rerun(bytes)` runs our reader on other bytes.
 */
export function classify(bytes, ours, theirs, rerun) {
  if (ours.code === theirs.code && sameMessages(ours.messages, theirs.messages)) return null;
  const frames = scan(bytes);
  // Deviations are told apart by the error's rule; the message is read only for the figures it reports.
  const msg = ours.reason ?? '';
  const rule = ours.rule;
  const last = frames.at(-1);
  if (rule === 'non-minimal-length' && frames.some((f) => f.len !== undefined && !f.minimal && !f.msb)) {
    if (isPrefix(ours.messages, theirs.messages)) return 'non-minimal-length';
  }
  if (rule === 'message-too-big' && /\b(126|65536) bytes/.test(msg) && frames.some((f) => (f.len7 === 126 || f.len7 === 127) && (f.len === undefined || !f.minimal))) {
    if (isPrefix(ours.messages, theirs.messages)) return 'length-prefix';
  }
  // The stream ends inside a length field we already refused; without that frame we agree with ws.
  if (theirs.code === null && last.len7 >= 126 && last.len === undefined && ['length-msb-set', 'message-too-big', 'non-minimal-length'].includes(rule) && sameMessages(ours.messages, theirs.messages)) {
    const before = rerun(bytes.subarray(0, last.start));
    if (before.code === null && sameMessages(before.messages, theirs.messages)) return 'length-prefix';
  }
  if (rule === 'length-msb-set' && frames.some((f) => f.msb) && theirs.code === 1009 && sameMessages(ours.messages, theirs.messages)) return '64-bit-msb';
  if (rule === 'invalid-utf8' && /at byte (\d+)/.test(msg)) {
    const at = Number(/at byte (\d+)/.exec(msg)[1]);
    const extra = theirs.messages.slice(ours.messages.length);
    if (firstBadText(frames) === at && isPrefix(ours.messages, theirs.messages) && extra.every((m) => m.type === 'ping' || m.type === 'pong' || m.type === 'close')) return 'utf8-fail-fast';
  }
  // Only the last byte differs: without it we agree with ws (no error, same messages).
  if (ours.code !== null && theirs.code === null && last.start === bytes.length - 1 && sameMessages(ours.messages, theirs.messages)) {
    const before = rerun(bytes.subarray(0, bytes.length - 1));
    if (before.code === null && sameMessages(before.messages, theirs.messages)) return 'byte0-alone';
  }
  if (rule === 'invalid-close-code' && theirs.code === null && last.opcode === 8 && last.headerComplete && !last.complete && last.payload.length >= 2 && sameMessages(ours.messages, theirs.messages)) return 'close-code-early';
  if (rule === 'too-many-fragments' && theirs.code !== 1009 && sameMessages(ours.messages, theirs.messages)) return 'fragment-budget';
  return `unexplained: ours ${ours.code} (${ours.reason}) with ${ours.messages.length} messages, ws ${theirs.code} (${theirs.reason}) with ${theirs.messages.length}`;
}
