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
 * Pushes `chunks` in order; returns { messages, code, reason }. Each chunk is
 * overwritten with `noise` after its push: the reader must neither keep nor
 * return views of it (its doc: "never modified or kept").
 */
export function runReader(opts, chunks, noise) {
  const reader = new MessageReader(opts);
  const messages = [];
  for (const chunk of chunks) {
    if (reader.closed) break; // after a Close frame push throws by design; the rest is discarded
    const before = noise ? chunk.slice() : null;
    let out;
    try {
      out = reader.push(chunk);
    } catch (e) {
      if (!(e instanceof ProtocolError)) throw new Violation(`push threw ${e?.name}: ${e?.message}`);
      if (!CLOSE_CODES.has(e.closeCode)) throw new Violation(`ProtocolError with close code ${e.closeCode}`);
      if (!reader.closed) throw new Violation('The reader is not closed after a ProtocolError');
      if (reader._buf !== null) throw new Violation('The reader keeps its buffer after an error');
      messages.push(...e.messages);
      expectRefusal(reader);
      return { messages, code: e.closeCode, reason: e.message };
    }
    if (before !== null) {
      for (let i = 0; i < chunk.length; i++) if (chunk[i] !== before[i]) throw new Violation('push modified its input');
      noise(chunk);
    }
    messages.push(...out);
    checkState(reader, opts);
  }
  if (reader.closed) {
    if (messages.at(-1)?.type !== 'close') throw new Violation('Closed without a Close message');
    expectRefusal(reader);
  } else if (messages.some((m) => m.type === 'close')) {
    throw new Violation('A Close message but the reader is not closed');
  }
  return { messages, code: null, reason: null };
}

function expectRefusal(reader) {
  try {
    reader.push(new Uint8Array(1));
  } catch (e) {
    if (e instanceof ProtocolError) throw new Violation('After the end, push threw a ProtocolError instead of a plain Error');
    return;
  }
  throw new Violation('After a Close frame or an error, push accepted more bytes');
}

/** Describes how two outcomes differ, or returns null. `strict` also compares error messages. */
export function diffOutcome(a, b, strict) {
  const n = Math.max(a.messages.length, b.messages.length);
  for (let i = 0; i < n; i++) {
    const d = diffMessage(a.messages[i], b.messages[i]);
    if (d) return `message ${i}: ${d}`;
  }
  if (a.code !== b.code) return `close code ${a.code} vs ${b.code} (${a.reason ?? '-'} | ${b.reason ?? '-'})`;
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
