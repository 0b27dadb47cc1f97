// One fuzz case = one (seed, index) pair: a fresh Rng picks the kind of case
// and everything in it, so `runCase(S, I)` replays case I of seed S exactly.
// A case returns normally or throws; any throw is a failure.
import { decodeFrame, ProtocolError } from '../../dist/index.js';
import { cutPoints, placed, split } from './_chunks.mjs';
import { decodeCase } from './_decodecase.mjs';
import { encodeCase } from './_encodecase.mjs';
import { encodeFrames, genConversation, makeFrame, maskKey } from './_frames.mjs';
import { checkCase } from './_checkcase.mjs';
import { responseCase, roundTripCase, verifyCase } from './_clientcase.mjs';
import { handshakeCase } from './_headcase.mjs';
import { modelReader } from './_model.mjs';
import { mutateBytes, mutateFrames } from './_mutate.mjs';
import { Rng } from './_prng.mjs';
import { diffOutcome, runReader, Violation } from './_reader.mjs';
import { validUtf8 } from './_utf8.mjs';
import { checkCase as checkInspection, checkStream, randomCase, randomStream } from '../testing/_agreement.mjs';

const MAX_STREAM = 1 << 20; // bounds each case's work
export const FRAMES_PER_INSPECT = 32;

// The client's handshake and checkUpgradeRequest (issue 14) came last: 'response'
// (parseUpgradeResponse), 'verify', 'check' (every input shape) and 'roundtrip'.
// The frame inspector (issue 16) last: 'inspect', 32 frames and 4 streams a case, so that the
// default run (2 × 20,000 cases, about 3,400 of this kind) checks over 10^5 frames.
const KINDS = [[30, 'reader'], [30, 'bytes'], [15, 'decode'], [20, 'handshake'], [5, 'bigdecl'], [10, 'encode'], [6, 'response'], [4, 'verify'], [5, 'check'], [3, 'roundtrip'], [12, 'inspect']];

export function runCase(seed, index) {
  const r = new Rng(seed, index);
  const kind = r.weighted(KINDS);
  CASES[kind](r);
  return kind;
}

const CASES = {
  reader: (r) => readerCase(r, false), bytes: (r) => readerCase(r, true), decode: decodeCase, handshake: handshakeCase, bigdecl: bigDeclaredCase, encode: encodeCase,
  response: responseCase, verify: verifyCase, check: checkCase, roundtrip: roundTripCase, inspect: inspectCase,
};

/** The inspector against decodeFrame and MessageReader (spec/testing/_agreement.mjs): FRAMES_PER_INSPECT random frames, then 4 random streams. */
function inspectCase(r) {
  for (let i = 0; i < FRAMES_PER_INSPECT; i++) checkInspection(randomCase(r));
  for (let i = 0; i < 4; i++) checkStream(randomStream(r));
}

function limits(r) {
  const o = { role: r.chance(0.75) ? 'server' : 'client' };
  const kind = r.int(10);
  if (kind === 5 || kind === 6 || kind === 9) o.maxMessageSize = r.pick([0, 1, 125, 126, r.int(200), r.int(3000), r.range(60000, 70000), Infinity]);
  if (kind === 7 || kind === 8 || kind === 9) o.maxFragments = r.pick([0, 1, 2, 3, r.range(1, 10), 40, Infinity]);
  if (r.chance(0.15)) o.unmaskInPlace = true; // the zero-copy mode: the reader may write into and keep views of its chunks
  return o;
}

const noise = (r) => (c) => c.fill(r.int(256));

function conversation(r, masked) {
  let frames = genConversation(r, { masked: r.chance(0.03) ? !masked : masked });
  if (r.chance(0.35)) frames = mutateFrames(r, frames, masked);
  let enc = encodeFrames(frames);
  while (enc.bytes.length > MAX_STREAM && frames.length > 1) {
    frames = frames.slice(0, frames.length >> 1);
    enc = encodeFrames(frames);
  }
  return { frames, ...enc };
}

/** MessageReader on a generated conversation: against the oracle (unless bytes were mutated) and against its own whole-stream run. */
function readerCase(r, mutated) {
  const opts = limits(r);
  const { frames, bytes, layout } = conversation(r, opts.role === 'server');
  let stream = bytes;
  let want = null;
  if (mutated) stream = mutateBytes(r, bytes, layout);
  else {
    const total = r.chance(0.15) ? r.int(bytes.length + 1) : bytes.length;
    stream = bytes.subarray(0, total);
    want = modelReader(frames, layout, total, opts);
    if (want.unknown) want = null;
  }
  const whole = runReader(opts, [placed(r, stream)], null);
  if (want) {
    const d = diffOutcome(want, whole, false);
    if (d) throw new Violation(`Oracle vs reader: ${d}`);
  }
  const starts = layout.map((l) => l.start);
  const cut = runReader(opts, split(placed(r, stream), cutPoints(r, stream.length, starts)), opts.unmaskInPlace ? null : noise(r));
  const d = diffOutcome(whole, cut, true);
  if (d) throw new Violation(`Whole vs chunked: ${d}`);
  if (mutated) headerAgreement(stream, opts, whole);
}

/** A frame header decodeFrame refuses (1002) is refused by the reader too, by then. */
function headerAgreement(stream, opts, whole) {
  let at = 0, frames = 0;
  for (;;) {
    let f;
    try {
      f = decodeFrame(stream.subarray(at), { requireMask: opts.role === 'server' });
    } catch (e) {
      if (!(e instanceof ProtocolError)) throw new Violation(`decodeFrame threw ${e?.name}: ${e?.message}`);
      if (e.closeCode !== 1002) return;
      if (whole.code === null && whole.messages.at(-1)?.type !== 'close') throw new Violation(`decodeFrame refuses frame ${frames} (${e.message}) but the reader accepts the stream`);
      return;
    }
    if (f === null || whole.code !== null || f.opcode === 0x8) return;
    at += f.byteLength;
    frames++;
  }
}

/**
 * A header declaring far more than arrives (up to the limit, or 2^40 with a
 * huge limit): the reader must buffer what came, never what was announced.
 */
function bigDeclaredCase(r) {
  const max = r.pick([undefined, 2 ** 40, 2 ** 31, 300000, Infinity]);
  const opts = { role: 'server', maxMessageSize: max };
  const declared = r.pick([65536, 200000, r.range(65536, 2 ** 26), 2 ** 32 + 5, 2 ** 39, r.range(2 ** 30, 2 ** 40)]);
  const lead = r.chance(0.3) ? [makeFrame(r.pick([1, 2]), validUtf8(r, r.int(3000)), { fin: false, masked: true, key: maskKey(r) })] : [];
  const text = lead.length > 0 && lead[0].opcode === 1;
  const n = Math.min(declared - 1, r.chance(0.8) ? r.int(4000) : r.range(0, 70000));
  const f = makeFrame(lead.length ? 0 : 2, text ? validUtf8(r, n) : r.bytes(n), { masked: true, key: maskKey(r), fin: r.chance(0.5), form: '64' });
  const { bytes } = encodeFrames([...lead, f]);
  // Rewrite the length to the declared one: the payload that follows is only its start.
  const hdr = bytes.length - f.payload.length - 4 - 8; // 64-bit form: declared >= 65536
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  bytes[hdr - 1] = 0x80 | 127;
  view.setUint32(hdr, Math.floor(declared / 2 ** 32));
  view.setUint32(hdr + 4, declared >>> 0);
  const whole = runReader(opts, [placed(r, bytes)], null);
  const cut = runReader(opts, split(placed(r, bytes), cutPoints(r, bytes.length, [])), noise(r));
  const d = diffOutcome(whole, cut, true);
  if (d) throw new Violation(`Whole vs chunked: ${d}`);
  const limit = max ?? 64 * 1024 * 1024;
  const leadLen = lead.length ? lead[0].payload.length : 0;
  const wantCode = leadLen + declared > limit ? 1009 : null;
  if (whole.code !== wantCode) throw new Violation(`Declared ${declared} (limit ${limit}): code ${whole.code}, expected ${wantCode}`);
  if (whole.messages.some((m) => m.type !== 'ping' && m.type !== 'pong')) throw new Violation('A message completed before its declared bytes arrived');
}
