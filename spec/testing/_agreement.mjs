// The inspector against the strict readers, on random frames biased to hit
// every rule (issue 16 §1): shared by spec/testing/agreement.spec.mjs (10^4
// frames, every runtime) and the fuzz stage (spec/fuzz/run.mjs, the 'inspect'
// kind: 10^5 frames and more, Node). No node: import.
//
// Which rules each strict reader judges, and so what must agree:
// - decodeFrame (lib/frame/decode.ts) judges the header alone, at the first
//   byte that breaks a rule: DECODE_RULES below. `requireMask` stands for the
//   server role; it has no option to refuse a masked frame, so
//   `server-frame-masked` (the client role) is the inspector's alone. It
//   knows no extension (every RSV bit is `rsv-without-extension`), and it
//   does not look into payloads: the Close body (`close-body-one-byte`,
//   `invalid-close-code`, `close-reason-invalid-utf8`, parseClosePayload's
//   rules) and UTF-8 text (`invalid-utf8`) are judged by MessageReader, so
//   they are held to it instead.
// - MessageReader (lib/stream/reader.ts) judges every rule, in a stream. For
//   a frame alone its `maxMessageSize` is `maxPayload` for a data frame
//   (`message-too-big` where the inspector says `frame-too-big`); a control
//   frame or a message an extension compressed has no limit from its header
//   (the reader holds a compressed message to what it decodes to), so the
//   inspector's `frame-too-big` is not the reader's there. Its extension here
//   decodes every message to nothing: the inspector does not inflate, so it
//   does not judge a compressed message's UTF-8, and neither does the reader.
//   It judges a Close reason once the frame is whole (parseClosePayload),
//   where the inspector names the bad byte: for that rule only the rule is
//   compared, not the byte.
import { decodeFrame, DEFAULT_MAX_PAYLOAD, FRAME_RULES, MessageReader, ProtocolError } from '../../dist/index.js';
import { encodeRawFrame, inspectFrame, inspectFrames } from '../../dist/testing.js';

/** The rules decodeFrame throws, in the server role (requireMask); see above. */
export const DECODE_RULES = new Set(['rsv-without-extension', 'reserved-opcode', 'fragmented-control', 'control-too-long', 'length-msb-set', 'non-minimal-length', 'client-frame-unmasked', 'frame-too-big']);
/**
 * The rules a single frame can break (the stream rules but `unexpected-continuation` need two
 * frames; the reader's own limits none; `invalid-compressed-data` needs an inflater, which the
 * inspector does not run: spec/extensions/messages.spec.mjs judges it).
 */
export const FRAME_ALONE_RULES = Object.keys(FRAME_RULES).filter((r) => !['expected-continuation', 'message-too-big', 'too-many-fragments', 'invalid-compressed-data'].includes(r));

const EMPTY = new Uint8Array(0);
/** permessage-deflate as MessageReader sees it: RSV1, and a decoder that yields nothing (see above). */
const DEFLATE = { rsv: 0x40, decode: () => EMPTY };
const ENC = new TextEncoder();

/** Draws from `r.int(n)` (spec/_util.mjs's prng, or the fuzzer's Rng). */
const chance = (r, p) => r.int(1 << 20) < p * (1 << 20);
const pick = (r, list) => list[r.int(list.length)];

/** Close codes at every boundary of RFC 6455 §7.4 (valid 1000-1003, 1007-1014, 3000-4999). */
const CODES = [0, 1, 999, 1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1011, 1014, 1015, 1016, 2999, 3000, 3999, 4000, 4999, 5000, 0xffff];
/** UTF-8 that breaks RFC 3629 in each classic way: lone continuation, overlong, surrogate, over U+10FFFF, bytes that never appear, truncated. */
const BAD_UTF8 = [[0x80], [0xbf], [0xc0, 0x80], [0xc1, 0xbf], [0xe0, 0x80, 0x80], [0xed, 0xa0, 0x80], [0xf0, 0x80, 0x80, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xf5], [0xfe], [0xff], [0xc2], [0xe2, 0x82], [0xf0, 0x9f, 0x98]];
/** Boundary characters of each UTF-8 length. */
const CHARS = ['a', '\u007f', '\u0080', '\u07ff', '\u0800', '\uffff', '\u{10000}', '\u{10ffff}', 'é', '€', '😀'];

/** About `n` bytes of UTF-8 text: valid, or with one bad sequence at a random place (at the very end: truncated). */
function text(r, n, bad) {
  // Random characters for the first 64 bytes, then ASCII: a 64 KiB payload stays cheap to make.
  let s = '';
  while (s.length < Math.min(n, 64)) s += chance(r, 0.7) ? String.fromCharCode(0x20 + r.int(95)) : pick(r, CHARS);
  const head = ENC.encode(s);
  const bytes = new Uint8Array(Math.max(n, head.length)).fill(0x61);
  bytes.set(head);
  // Valid text ends at a character boundary; bad text gets one fault.
  if (!bad) return validPrefix(bytes.subarray(0, n));
  const fault = pick(r, BAD_UTF8), at = chance(r, 0.3) ? bytes.length : r.int(bytes.length + 1);
  const out = new Uint8Array(bytes.length + fault.length);
  out.set(bytes.subarray(0, at)); out.set(fault, at); out.set(bytes.subarray(at), at + fault.length);
  return out;
}

/** The longest prefix of `bytes` that ends at a character boundary. */
function validPrefix(bytes) {
  let k = bytes.length;
  let i = k - 1;
  while (i >= 0 && (bytes[i] & 0xc0) === 0x80) i--;
  if (i >= 0) {
    const b = bytes[i], size = b < 0x80 ? 1 : b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
    if (i + size > k) k = i;
  }
  return bytes.subarray(0, k);
}

function payloadLength(r) {
  const k = r.int(100);
  if (k < 40) return r.int(20);
  if (k < 55) return pick(r, [0, 1, 2, 3]);
  if (k < 75) return pick(r, [124, 125, 126, 127, 128]);
  if (k < 90) return r.int(300);
  return pick(r, [65535, 65536, 65537, r.int(70000)]);
}

function payloadFor(r, opcode) {
  if (opcode === 0x8 && chance(r, 0.75)) {
    const k = r.int(10);
    if (k === 0) return EMPTY;
    if (k === 1) return Uint8Array.of(r.int(256));
    const code = chance(r, 0.5) ? pick(r, CODES) : r.int(0x10000);
    const reason = chance(r, 0.15) ? r.int(200) : r.int(30);
    const body = text(r, reason, chance(r, 0.3));
    const out = new Uint8Array(2 + body.length);
    out[0] = code >> 8; out[1] = code & 255;
    out.set(body, 2);
    return out;
  }
  const n = payloadLength(r);
  if (opcode === 0x1 || (opcode === 0x0 && chance(r, 0.5))) return text(r, n, chance(r, 0.3));
  const out = new Uint8Array(n);
  for (let i = 0; i < Math.min(n, 64); i++) out[i] = r.int(256);
  return out;
}

/** A random frame description for encodeRawFrame, biased to break each rule now and then. */
function frameSpec(r, role, extensions) {
  const opcode = chance(r, 0.8) ? pick(r, [0x0, 0x1, 0x1, 0x2, 0x8, 0x8, 0x9, 0xa]) : r.int(16);
  const spec = { opcode, fin: chance(r, 0.85), payload: payloadFor(r, opcode) };
  if (chance(r, extensions ? 0.4 : 0.1)) spec.rsv1 = true;
  if (chance(r, 0.06)) spec.rsv2 = true;
  if (chance(r, 0.06)) spec.rsv3 = true;
  const masked = chance(r, 0.9) === (role === 'server');
  if (masked) spec.mask = maskKey(r);
  const n = spec.payload.length;
  if (chance(r, 0.2)) spec.lengthEncoding = pick(r, n > 125 ? [16, 64, 'minimal'] : [7, 16, 64]);
  if (n > 65535 && spec.lengthEncoding === 16) spec.lengthEncoding = 64;
  const k = r.int(100);
  if (k < 4) { spec.lengthEncoding = 64; spec.declaredLength = (1n << 63n) + BigInt(r.int(1 << 30)) * BigInt(1 + r.int(1 << 30)); }
  else if (k < 6) { spec.lengthEncoding = 64; spec.declaredLength = BigInt(r.int(256)) << 56n | BigInt(r.int(1 << 30)); }
  // Just under 2^63, where a length read as a number rounds up to 2^63 (checkLength judges the MSB at its first byte for that).
  else if (k < 8) { spec.lengthEncoding = 64; spec.declaredLength = (1n << 63n) - 1n - BigInt(pick(r, [0, 1, r.int(1 << 20)])); }
  else if (k < 12) spec.declaredLength = Math.min(n + 1 + r.int(pick(r, [3, 200, 70000])), spec.lengthEncoding === 7 ? 127 : spec.lengthEncoding === 16 ? 65535 : Infinity);
  else if (k < 15) spec.declaredLength = Math.max(0, n - 1 - r.int(3));
  return spec;
}

const maskKey = (r) => (chance(r, 0.1) ? [0, 0, 0, 0] : [r.int(256), r.int(256), r.int(256), r.int(256)]);

/**
 * A random case: one frame's bytes (`buf`, the frame at `offset`, maybe cut
 * short or followed by other bytes) and the receiving side's options.
 */
export function randomCase(r) {
  const role = chance(r, 0.6) ? 'server' : 'client';
  const extensions = chance(r, 0.25) ? ['permessage-deflate'] : undefined;
  const spec = frameSpec(r, role, extensions);
  const maxPayload = chance(r, 0.6) ? Infinity : pick(r, [0, 1, 2, 10, 124, 125, 126, 127, 1000, 65535, 65536, r.int(300), DEFAULT_MAX_PAYLOAD]);
  let frame = encodeRawFrame(spec);
  if (chance(r, 0.12)) frame = frame.subarray(0, r.int(frame.length + 1));
  const offset = chance(r, 0.1) ? 1 + r.int(20) : 0;
  const tail = chance(r, 0.1) ? 1 + r.int(20) : 0;
  const buf = new Uint8Array(offset + frame.length + tail);
  for (let i = 0; i < offset; i++) buf[i] = r.int(256);
  buf.set(frame, offset);
  for (let i = offset + frame.length; i < buf.length; i++) buf[i] = r.int(256);
  // Where the inspector is run on a prefix, to compare with the whole.
  const cut = offset + r.int(buf.length - offset + 1);
  return { buf, offset, role, extensions, maxPayload, spec, cut };
}

const fail = (c, what) => {
  const head = Array.from(c.buf.subarray(c.offset, c.offset + 16), (b) => b.toString(16).padStart(2, '0')).join(' ');
  throw new Error(`${what} (frame at ${c.offset} of ${c.buf.length} bytes: ${head}${c.buf.length - c.offset > 16 ? ' …' : ''}; role ${c.role}, maxPayload ${c.maxPayload}, extensions ${c.extensions ?? 'none'})`);
};

/** Runs `fn`, returning the ProtocolError it throws or null; anything else is a failure. */
function outcome(c, what, fn) {
  try { fn(); return null; } catch (e) {
    if (e instanceof ProtocolError) return e;
    fail(c, `${what} threw ${e?.name}: ${e?.message}`);
  }
}

const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
const brief = (vs) => vs.map((v) => `${v.rule}@${v.byte}`).join(', ') || 'none';

/**
 * Checks one case; throws on any disagreement. Returns the inspector's
 * violations with the extensions, for counting which rules were hit.
 */
export function checkCase(c) {
  const { buf, offset, role, maxPayload } = c;
  // 1. decodeFrame: no extension, requireMask for the server role.
  const insp = inspectFrame(buf, offset, { role, maxPayload });
  const opts = { requireMask: role === 'server', maxPayload };
  const judged = insp.violations.filter((v) => DECODE_RULES.has(v.rule));
  let frame = null;
  const err = outcome(c, 'decodeFrame', () => { frame = decodeFrame(buf, opts, offset); });
  const first = judged[0];
  if (first === undefined) {
    if (err) fail(c, `decodeFrame threw ${err.rule} (${err.message}); the inspector found ${brief(insp.violations)}`);
    if ((frame !== null) !== insp.complete) fail(c, `decodeFrame returned ${frame === null ? 'null' : 'a frame'}, the inspector says complete ${insp.complete}`);
    if (frame !== null) {
      const h = insp.header;
      if (frame.fin !== h.fin || frame.opcode !== h.opcode || frame.masked !== h.masked || frame.byteLength !== insp.byteLength) fail(c, 'decodeFrame and the inspector read the header differently');
      if (!same(frame.payload, insp.payload)) fail(c, 'decodeFrame and the inspector unmask the payload differently');
      if (frame.masked && !same(frame.maskKey, h.maskKey)) fail(c, 'the mask keys differ');
    }
  } else {
    if (!err) fail(c, `decodeFrame accepted what the inspector finds ${brief(insp.violations)}`);
    if (err.rule !== first.rule || err.closeCode !== first.closeCode) fail(c, `decodeFrame threw ${err.rule} ${err.closeCode}, the inspector's first is ${first.rule} ${first.closeCode} (all: ${brief(insp.violations)})`);
    if (!err.message.includes(first.message)) fail(c, `decodeFrame says "${err.message}", the inspector "${first.message}"`);
    // The byte is the one that decides: decodeFrame accepts the bytes before it, and refuses with it.
    if (outcome(c, 'decodeFrame', () => decodeFrame(buf.subarray(0, first.byte), opts, offset))) fail(c, `decodeFrame refuses the bytes before byte ${first.byte}`);
    if (outcome(c, 'decodeFrame', () => decodeFrame(buf.subarray(0, first.byte + 1), opts, offset))?.rule !== first.rule) fail(c, `decodeFrame does not refuse ${first.rule} at byte ${first.byte}`);
  }
  // 2. The inspector on every prefix reports exactly the violations of the bytes it has.
  const cut = c.cut;
  const part = inspectFrame(buf.subarray(0, cut), offset, { role, maxPayload, extensions: c.extensions });
  const whole = c.extensions ? inspectFrame(buf, offset, { role, maxPayload, extensions: c.extensions }) : insp;
  const want = whole.violations.filter((v) => v.byte < cut);
  if (brief(part.violations) !== brief(want)) fail(c, `cut at ${cut}: ${brief(part.violations)}, the whole says ${brief(want)} before it`);
  checkFields(c, whole);
  // 3. MessageReader, on a frame that is whole (see the mapping above).
  if (!whole.complete) return whole.violations;
  // Counted from the stream inspection, which adds `unexpected-continuation`.
  const bytes = buf.subarray(offset, offset + whole.byteLength);
  const [r0] = inspectFrames(bytes, { role, maxPayload, extensions: c.extensions });
  const op = r0.header.opcode;
  const compressed = c.extensions !== undefined && r0.header.rsv1 && (op === 1 || op === 2);
  const expected = r0.violations.flatMap((v) => v.rule !== 'frame-too-big' ? [v] : op >= 8 || compressed ? [] : [{ ...v, rule: 'message-too-big' }]);
  const readerOptions = { role, maxMessageSize: maxPayload, ...(c.extensions ? { extension: DEFLATE } : {}) };
  const rerr = outcome(c, 'MessageReader', () => new MessageReader(readerOptions).push(bytes));
  const rfirst = expected[0];
  if (rfirst === undefined) {
    if (rerr) fail(c, `MessageReader threw ${rerr.rule} (${rerr.message}); the inspector found ${brief(r0.violations)}`);
  } else {
    if (!rerr) fail(c, `MessageReader accepted what the inspector finds ${brief(r0.violations)}`);
    if (rerr.rule !== rfirst.rule) fail(c, `MessageReader threw ${rerr.rule}, the inspector's first is ${rfirst.rule} (all: ${brief(r0.violations)})`);
    if (rfirst.rule !== 'close-reason-invalid-utf8' && bytes.length <= 600) {
      const reader = new MessageReader(readerOptions);
      if (outcome(c, 'MessageReader', () => reader.push(bytes.subarray(0, rfirst.byte)))) fail(c, `MessageReader refuses the bytes before byte ${rfirst.byte}`);
      if (outcome(c, 'MessageReader', () => reader.push(bytes.subarray(rfirst.byte, rfirst.byte + 1)))?.rule !== rfirst.rule) fail(c, `MessageReader does not refuse ${rfirst.rule} at byte ${rfirst.byte}`);
    }
  }
  return r0.violations;
}

/** The byte fields tile the frame: byte 0's bits, byte 1's, the extended length, the key, the payload, with no gap. */
function checkFields(c, r) {
  const spans = [];
  for (const f of r.fields) {
    if (f.name === 'closeCode' || f.name === 'closeReason') continue;
    const last = spans[spans.length - 1];
    if (last && last.start === f.start && last.end === f.end && f.bits !== null) continue;
    spans.push(f);
  }
  let at = r.offset;
  for (const f of spans) {
    if (f.start !== at || f.end < f.start) fail(c, `field ${f.name} spans ${f.start}-${f.end}, expected to start at ${at}`);
    at = f.end;
  }
  const end = r.complete ? r.offset + r.byteLength : c.buf.length;
  // A frame cut inside a field that is not listed yet (the payload before the key is whole) ends early.
  if (at > end || (r.complete && at !== end)) fail(c, `the fields end at ${at}, the frame at ${end}`);
}

/**
 * A random stream of 1 to 7 frames, mostly in a valid order (messages in
 * fragments, control frames between them, text split anywhere, even inside a
 * character), with a random frame from `frameSpec` now and then and the end
 * cut off sometimes.
 */
export function randomStream(r) {
  const role = chance(r, 0.6) ? 'server' : 'client';
  const extensions = chance(r, 0.25) ? ['permessage-deflate'] : undefined;
  const frames = [];
  // The open message: its opcode (0 for none), and the rest of its text to send.
  let open = 0, rest = EMPTY;
  for (let i = 1 + r.int(7); i > 0; i--) {
    let spec;
    const k = r.int(100);
    if (k < 8) spec = frameSpec(r, role, extensions);
    else if (k < 25) spec = { opcode: pick(r, [8, 9, 10]), payload: k < 12 ? payloadFor(r, 8) : text(r, r.int(20), false) };
    else if (open !== 0 && k < 75) {
      const fin = chance(r, 0.4);
      const take = fin ? rest.length : r.int(rest.length + 1);
      spec = { opcode: 0, fin, payload: rest.subarray(0, take) };
      rest = rest.subarray(take);
      if (fin) open = 0;
    } else {
      const opcode = pick(r, [1, 2]), fin = chance(r, 0.4);
      const all = opcode === 1 ? text(r, r.int(40), chance(r, 0.15)) : payloadFor(r, 2);
      const take = fin ? all.length : r.int(all.length + 1);
      spec = { opcode, fin, payload: all.subarray(0, take) };
      if (extensions && chance(r, 0.4)) spec.rsv1 = true;
      open = fin ? 0 : opcode; rest = all.subarray(take);
    }
    if (spec.mask === undefined && chance(r, 0.97) === (role === 'server')) spec.mask = maskKey(r);
    frames.push(encodeRawFrame(spec));
  }
  let bytes = new Uint8Array(frames.reduce((n, f) => n + f.length, 0));
  frames.reduce((at, f) => { bytes.set(f, at); return at + f.length; }, 0);
  if (chance(r, 0.15)) bytes = bytes.subarray(0, r.int(bytes.length + 1));
  return { buf: bytes, offset: 0, role, extensions, maxPayload: Infinity };
}

/**
 * inspectFrames against MessageReader on a stream: the reader throws the
 * first violation of the first frame that has one, unless a Close came
 * before it (the reader reads nothing after a Close, RFC 6455 §5.5.1); on a
 * frame cut short, the Close reason is not judged by the reader yet. No limit
 * on either side (the reader's is per message, the inspector's per frame).
 */
export function checkStream(c) {
  const { buf, role, extensions } = c;
  const all = inspectFrames(buf, { role, extensions });
  let expected;
  for (const f of all) {
    const vs = f.complete ? f.violations : f.violations.filter((v) => v.rule !== 'close-reason-invalid-utf8');
    if (vs.length > 0) { expected = vs[0]; break; }
    if (f.complete && f.header.opcode === 0x8) break;
  }
  const options = { role, maxMessageSize: Infinity, ...(extensions ? { extension: DEFLATE } : {}) };
  const err = outcome(c, 'MessageReader', () => new MessageReader(options).push(buf));
  const all2 = () => all.map((f) => `[${brief(f.violations)}]`).join(' ');
  if (expected === undefined) {
    if (err) fail(c, `MessageReader threw ${err.rule} (${err.message}); the inspector found ${all2()}`);
    return all;
  }
  if (!err) fail(c, `MessageReader accepted what the inspector finds ${all2()}`);
  if (err.rule !== expected.rule) fail(c, `MessageReader threw ${err.rule}, the inspector's first is ${expected.rule}@${expected.byte} (${all2()})`);
  if (expected.rule !== 'close-reason-invalid-utf8' && buf.length <= 2000) {
    const reader = new MessageReader(options);
    if (outcome(c, 'MessageReader', () => reader.push(buf.subarray(0, expected.byte)))) fail(c, `MessageReader refuses the bytes before byte ${expected.byte}`);
    if (outcome(c, 'MessageReader', () => reader.push(buf.subarray(expected.byte, expected.byte + 1)))?.rule !== expected.rule) fail(c, `MessageReader does not refuse ${expected.rule} at byte ${expected.byte}`);
  }
  return all;
}
