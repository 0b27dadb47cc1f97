// Encoder round trips: conversations built with the library's own encoders
// (encodeFrame, encodeTextFrame, encodeBinaryFrame, encodePing/Pong/CloseFrame,
// broadcastEncode; masked or not; fragmented; every input type) must decode
// with decodeFrame to exactly their inputs and read back through
// MessageReader, in random chunks, as exactly the messages sent. Text is
// judged against the platform: TextEncoder then TextDecoder (lone surrogates
// become U+FFFD, as browsers' WebSocket.send does).
import {
  broadcastEncode, decodeFrame, encodeBinaryFrame, encodeCloseFrame, encodeFrame, encodePingFrame, encodePongFrame, encodeTextFrame,
} from '../../dist/index.js';
import { cutPoints, split } from './_chunks.mjs';
import { payloadLength } from './_frames.mjs';
import { concat } from './_model.mjs';
import { diffOutcome, runReader, Violation } from './_reader.mjs';

const TE = new TextEncoder();
const TD = new TextDecoder('utf-8', { ignoreBOM: true });
const CLOSE_CODES = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 4999];

/** A string of about `n` UTF-16 units: ASCII, BMP, pairs, and now and then a lone surrogate. */
function text(r, n) {
  const units = [];
  while (units.length < n) {
    const k = r.int(100);
    if (k < 60) units.push(0x20 + r.int(95));
    else if (k < 80) units.push(r.range(0x80, 0xd7ff));
    else if (k < 92) { const cp = r.range(0x10000, 0x10ffff) - 0x10000; units.push(0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff)); }
    else if (k < 96) units.push(r.range(0xe000, 0xffff));
    else units.push(r.range(0xd800, 0xdfff)); // lone
  }
  let s = '';
  for (let i = 0; i < units.length; i += 4096) s += String.fromCharCode(...units.slice(i, i + 4096));
  return s;
}

/** The same bytes as one of the accepted input types (RFC-irrelevant, API-relevant). */
function asInput(r, bytes) {
  const k = r.int(4);
  if (k === 0) return bytes;
  const pad = r.int(8);
  const buf = new ArrayBuffer(bytes.length + pad + r.int(8));
  new Uint8Array(buf, pad, bytes.length).set(bytes);
  if (k === 1) return new DataView(buf, pad, bytes.length);
  if (k === 2) return new Uint8Array(buf, pad, bytes.length);
  return pad === 0 && buf.byteLength === bytes.length ? buf : bytes;
}

export function encodeCase(r) {
  const masked = r.chance(0.5);
  const opts = () => (masked ? { mask: r.chance(0.5) ? true : r.bytes(4) } : {});
  const frames = []; // [bytes, expected decodeFrame fields]
  const want = [];
  for (let u = r.range(1, 6); u > 0; u--) {
    let kind = r.int(10);
    if (kind === 2 && masked) kind = 0; // broadcastEncode never masks: it is for servers
    if (kind < 3) {
      const s = text(r, Math.min(payloadLength(r, 0.002), 70000));
      const bytes = TE.encode(s);
      const f = kind === 0 ? encodeTextFrame(s, opts()) : kind === 1 ? encodeFrame(1, s, opts()) : broadcastEncode(s);
      if (kind === 2 && !sameBytes(f, encodeTextFrame(s))) throw new Violation('broadcastEncode differs from encodeTextFrame');
      frames.push([f, { opcode: 1, fin: true, payload: bytes, masked }]);
      want.push({ type: 'text', data: TD.decode(bytes) });
    } else if (kind < 5) {
      const bytes = r.bytes(payloadLength(r, 0.002));
      frames.push([encodeBinaryFrame(asInput(r, bytes), opts()), { opcode: 2, fin: true, payload: bytes, masked }]);
      want.push({ type: 'binary', data: bytes });
    } else if (kind < 7) {
      const bytes = r.bytes(payloadLength(r, 0.002));
      const k = r.range(1, 6);
      const cuts = Array.from({ length: k - 1 }, () => r.int(bytes.length + 1)).sort((a, b) => a - b);
      let at = 0;
      [...cuts, bytes.length].forEach((end, i) => {
        const part = bytes.subarray(at, end);
        frames.push([encodeFrame(i === 0 ? 2 : 0, asInput(r, part), { ...opts(), fin: i === k - 1 }), { opcode: i === 0 ? 2 : 0, fin: i === k - 1, payload: part, masked }]);
        at = end;
      });
      want.push({ type: 'binary', data: bytes });
    } else if (kind < 9) {
      const ping = kind === 7;
      const bytes = r.bytes(r.chance(0.2) ? 125 : r.int(126));
      frames.push([(ping ? encodePingFrame : encodePongFrame)(asInput(r, bytes), opts()), { opcode: ping ? 9 : 10, fin: true, payload: bytes, masked }]);
      want.push({ type: ping ? 'ping' : 'pong', data: bytes });
    } else {
      let code, reason = '', f;
      if (r.chance(0.2)) f = encodeCloseFrame(undefined, undefined, opts());
      else {
        code = r.pick(CLOSE_CODES);
        reason = r.chance(0.5) ? '' : text(r, r.int(40));
        while (TE.encode(reason).length > 123) reason = reason.slice(0, -1);
        f = encodeCloseFrame(code, reason, opts());
      }
      const payload = code === undefined ? new Uint8Array(0) : concat([new Uint8Array([code >> 8, code & 255]), TE.encode(reason)]);
      frames.push([f, { opcode: 8, fin: true, payload, masked }]);
      want.push({ type: 'close', code: code ?? 1005, reason: TD.decode(TE.encode(reason)) });
      break;
    }
  }
  for (const [f, w] of frames) {
    const d = decodeFrame(f);
    if (d === null || d.byteLength !== f.length) throw new Violation(`An encoded frame does not decode as one whole frame (${d?.byteLength} of ${f.length})`);
    for (const k of ['opcode', 'fin', 'masked']) if (d[k] !== w[k]) throw new Violation(`Encoded frame: ${k} ${d[k]}, expected ${w[k]}`);
    if (d.rsv1 || d.rsv2 || d.rsv3) throw new Violation('Encoded frame has RSV bits');
    if (!sameBytes(d.payload, w.payload)) throw new Violation(`Encoded frame (opcode ${w.opcode}, ${w.payload.length} bytes): payload differs`);
  }
  const stream = concat(frames.map(([f]) => f));
  const got = runReader({ role: masked ? 'server' : 'client' }, split(stream, cutPoints(r, stream.length, [])), null);
  const d = diffOutcome({ messages: want, code: null, rule: null }, got, false);
  if (d) throw new Violation(`Encoded conversation read back wrong: ${d}`);
}

function sameBytes(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
