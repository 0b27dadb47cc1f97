// Runs MessageReader over chunks and checks the invariants that hold for any
// input. WHITE-BOX, fuzzer only: after every push it reads the reader's
// private fields `_buf`, `_msgLen`, `_fragments`, `_ctl`, `_hdr` (lib/stream/reader.ts)
// to prove the buffered bytes stay within the limits and that no buffer is
// sized from a declared length before those bytes arrive. Reading fields is
// exact and costs nothing; it fails loudly if the fields disappear, so a
// refactor of the reader must update this file rather than silently pass.
import { MessageReader, ProtocolError } from '../../dist/index.js';

export const CLOSE_CODES = new Set([1002, 1007, 1009]);
// The buffer may grow to 1 KiB before anything arrives, then at most doubles what has arrived.
const SLACK = 1024;

export class Violation extends Error {}

function checkState(reader, opts) {
  const max = opts.maxMessageSize ?? 64 * 1024 * 1024;
  const maxFragments = opts.maxFragments ?? 131072;
  if (!('_buf' in reader) || typeof reader._msgLen !== 'number' || typeof reader._fragments !== 'number') {
    throw new Violation('MessageReader no longer has the private fields the fuzzer measures (_buf, _msgLen, _fragments)');
  }
  const buf = reader._buf;
  if (buf !== null) {
    if (buf.length > max) throw new Violation(`Buffered ${buf.length} bytes, over maxMessageSize ${max}`);
    if (buf.length > Math.max(SLACK, 2 * reader._msgLen)) throw new Violation(`Buffer of ${buf.length} bytes for ${reader._msgLen} bytes received: sized from a declared length`);
  }
  if (reader._msgLen > max) throw new Violation(`Message length ${reader._msgLen} over maxMessageSize ${max}`);
  if (reader._fragments > maxFragments) throw new Violation(`${reader._fragments} fragments, over maxFragments ${maxFragments}`);
  if (reader._ctl !== null && reader._ctl.length > 125) throw new Violation(`Control buffer of ${reader._ctl.length} bytes`);
  if (reader._hdr !== null && reader._hdr.length > 14) throw new Violation(`Header buffer of ${reader._hdr.length} bytes`);
}

/**
 * Pushes `chunks` in order; returns { messages, code, rule, reason }. Each
 * chunk is overwritten with `noise` after its push: the reader must neither
 * keep nor return views of it (its doc: "never modified or kept"). Chunks
 * after a Close are pushed too: each must return [] (RFC 6455 §5.5.1).
 */
export function runReader(opts, chunks, noise) {
  const reader = new MessageReader(opts);
  const messages = [];
  for (const chunk of chunks) {
    const wasClosed = reader.closed;
    const before = noise ? chunk.slice() : null;
    let out;
    try {
      out = reader.push(chunk);
    } catch (e) {
      if (!(e instanceof ProtocolError)) throw new Violation(`push threw ${e?.name}: ${e?.message}`);
      if (wasClosed) throw new Violation(`After a Close frame, push threw ${e.rule}`);
      if (!CLOSE_CODES.has(e.closeCode)) throw new Violation(`ProtocolError with close code ${e.closeCode}`);
      if (!reader.closed || reader.error !== e) throw new Violation('The reader is not failed with its error after a ProtocolError');
      if (reader._buf !== null) throw new Violation('The reader keeps its buffer after an error');
      messages.push(...e.messages);
      expectSameError(reader, e);
      return { messages, code: e.closeCode, rule: e.rule, reason: e.message };
    }
    if (wasClosed && out.length !== 0) throw new Violation(`After a Close frame, push returned ${out.length} messages`);
    if (before !== null) {
      for (let i = 0; i < chunk.length; i++) if (chunk[i] !== before[i]) throw new Violation('push modified its input');
      noise(chunk);
    }
    messages.push(...out);
    checkState(reader, opts);
  }
  if (reader.closed) {
    if (messages.at(-1)?.type !== 'close') throw new Violation('Closed without a Close message');
    if (reader.error !== null) throw new Violation('A reader that read a Close frame reports an error');
    // After a Close, anything (a frame that would fail, nothing at all) is discarded.
    for (const more of [new Uint8Array(0), new Uint8Array([0xff, 0xff]), new Uint8Array([0x81, 0x80, 0, 0, 0, 0])]) {
      const got = reader.push(more);
      if (!Array.isArray(got) || got.length !== 0) throw new Violation('After a Close frame, push returned messages');
    }
  } else if (messages.some((m) => m.type === 'close')) {
    throw new Violation('A Close message but the reader is not closed');
  }
  return { messages, code: null, rule: null, reason: null };
}

/** After a ProtocolError, every push (an empty one too) throws that same error, with no messages. */
function expectSameError(reader, error) {
  const sent = error.messages;
  for (const more of [new Uint8Array(0), new Uint8Array(1)]) {
    let threw = null;
    try { reader.push(more); } catch (e) { threw = e; }
    if (threw !== error) throw new Violation(`After a ProtocolError, push ${threw === null ? 'returned' : `threw ${threw?.name} ${threw?.message}`} instead of the same error`);
    if (error.messages.length !== 0) throw new Violation('A ProtocolError thrown again hands out its messages again');
  }
  error.messages = sent;
}

/** Describes how two outcomes differ, or returns null: messages, close code, rule. `strict` also compares error messages. */
export function diffOutcome(a, b, strict) {
  const n = Math.max(a.messages.length, b.messages.length);
  for (let i = 0; i < n; i++) {
    const d = diffMessage(a.messages[i], b.messages[i]);
    if (d) return `message ${i}: ${d}`;
  }
  if (a.code !== b.code) return `close code ${a.code} vs ${b.code} (${a.reason ?? '-'} | ${b.reason ?? '-'})`;
  // Rules are compared where both sides name one (ws, in spec/node, names none).
  if ('rule' in a && 'rule' in b && a.rule !== b.rule) return `rule ${a.rule} vs ${b.rule} (${a.reason ?? '-'} | ${b.reason ?? '-'})`;
  if (strict && a.reason !== b.reason) return `error "${a.reason}" vs "${b.reason}"`;
  return null;
}

export function diffMessage(x, y) {
  if (x === undefined || y === undefined) return `${show(x)} vs ${show(y)}`;
  if (x.type !== y.type) return `type ${x.type} vs ${y.type}`;
  if (x.type === 'close') return x.code === y.code && x.reason === y.reason ? null : `close ${x.code} ${JSON.stringify(x.reason)} vs ${y.code} ${JSON.stringify(y.reason)}`;
  if (x.type === 'text') return x.data === y.data ? null : `text of ${x.data.length} vs ${y.data.length} chars differs`;
  if (!(x.data instanceof Uint8Array) || !(y.data instanceof Uint8Array)) return 'data is not a Uint8Array';
  if (x.data.length !== y.data.length) return `${x.type} of ${x.data.length} vs ${y.data.length} bytes`;
  for (let i = 0; i < x.data.length; i++) if (x.data[i] !== y.data[i]) return `${x.type} differs at byte ${i}`;
  return null;
}

function show(m) {
  if (m === undefined) return 'nothing';
  return m.type === 'close' ? `close ${m.code}` : `${m.type}(${m.data.length})`;
}
