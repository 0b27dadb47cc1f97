// Topic 4: readers (RFC 6455 §5.2-5.4): decodeFrame and MessageReader on masked
// client frames against ws's Receiver (with bufferutil in Node, its JS path
// everywhere): 20 B text frames one per chunk, 2520 of them in one 64 KiB
// chunk, and 64 KiB binary frames.
import { bytes, runtime, table, timeCase } from './_harness.mjs';
import { ours, wsJS, wsNative } from './_libs.mjs';
import { refFrame } from './_frames.mjs';

// ws unmasks in place, so the same chunk fed again is "unmasked" back into its
// masked bytes. Key and text are ASCII, so both forms are valid UTF-8 and ws
// does the same work on every pass; ours never writes to its input.
const KEY = Uint8Array.from([0x11, 0x22, 0x33, 0x44]);
const TEXT = 'Hello, WebSocket!!!!';
const TEXT_BYTES = new TextEncoder().encode(TEXT);
const POOL = 16;

function wsReceiver(ws, onMessage) {
  const r = new ws.Receiver({ isServer: true, binaryType: 'nodebuffer', maxPayload: 0 });
  r.on('message', onMessage);
  r.on('error', (e) => { throw e; });
  return r;
}

/** Fresh Buffers (as a socket hands out) holding `frames` frames of `payload`. */
function chunks(opcode, payload, frames) {
  const one = refFrame(opcode, payload, KEY);
  return Array.from({ length: POOL }, () => {
    const b = Buffer.alloc(one.length * frames);
    for (let i = 0; i < frames; i++) b.set(one, i * one.length);
    return b;
  });
}

export async function run() {
  const bin = bytes(65536, 9);
  const cases = [
    ['text 20 B, 1 per chunk', 1, TEXT_BYTES, 1],
    ['text 20 B, 2520 per 64 KiB chunk', 1, TEXT_BYTES, 2520],
    ['binary 64 KiB, 1 per chunk', 2, bin, 1],
  ];
  const wsList = [...(wsNative ? [['ws+bufferutil', wsNative]] : []), ['ws (JS)', wsJS]];
  const rows = [];
  for (const [label, opcode, payload, frames] of cases) {
    const data = chunks(opcode, payload, frames);
    const expectText = opcode === 1;
    const good = (m) => (expectText ? m === TEXT : m.length === payload.length && Buffer.compare(Buffer.from(m.buffer, m.byteOffset, m.length), Buffer.from(payload)) === 0);
    let i = 0;
    // ok(): run on fresh chunks, and check every message of one chunk.
    const verify = (feed) => () => {
      const got = feed(chunks(opcode, payload, frames)[0]);
      return got.length === frames && got.every(good);
    };
    const reader = new ours.MessageReader({ role: 'server' });
    const inPlace = new ours.MessageReader({ role: 'server', unmaskInPlace: true });
    const variants = [
      {
        // Timed as ws is: each frame goes to a handler that does nothing with it.
        name: 'decodeFrame', fn: () => decodeAll(data[i++ & (POOL - 1)], ignore),
        ok: verify((c) => { const got = []; decodeAll(c, (f) => got.push(f)); return got.map((f) => (expectText ? new TextDecoder().decode(f.payload) : f.payload)); }),
      },
      {
        name: 'MessageReader', fn: () => reader.push(data[i++ & (POOL - 1)]),
        ok: verify((c) => new ours.MessageReader({ role: 'server' }).push(c).map((m) => m.data)),
      },
      // The opt-in zero-copy mode: unmasks inside the chunk, as ws does.
      {
        name: 'reader in place', fn: () => inPlace.push(data[i++ & (POOL - 1)]),
        ok: verify((c) => new ours.MessageReader({ role: 'server', unmaskInPlace: true }).push(c).map((m) => m.data)),
      },
    ];
    for (const [name, ws] of wsList) {
      const r = wsReceiver(ws, () => {});
      variants.push({
        name, fn: () => r.write(data[i++ & (POOL - 1)]),
        ok: verify((c) => { const got = []; wsReceiver(ws, (d, isBinary) => got.push(isBinary ? d : d.toString())).write(c); return got; }),
      });
    }
    rows.push({ label, res: timeCase(variants), scale: frames });
  }
  const native = wsNative && runtime.name === 'node';
  const den = native ? 'ws+bufferutil' : 'ws (JS)';
  const ratios = [
    { label: `reader/${den}`, num: 'MessageReader', den },
    { label: `in place/${den}`, num: 'reader in place', den },
    { label: `decodeFrame/${den}`, num: 'decodeFrame', den },
    ...(native ? [{ label: 'reader/ws (JS)', num: 'MessageReader', den: 'ws (JS)' }] : []),
  ];
  const checks = [];
  for (const num of ['MessageReader', 'reader in place', 'decodeFrame']) {
    checks.push({ label: `${num} ≥3x ${den}`, num, den, min: 3, applies: (r) => r.label.startsWith('text') });
    checks.push(native
      ? { label: `${num} ≥0.5x ws+bufferutil`, num, den: 'ws+bufferutil', min: 0.5, applies: (r) => r.label.startsWith('binary') }
      : { label: `${num} ≥3x ws (JS)`, num, den: 'ws (JS)', min: 3, applies: (r) => r.label.startsWith('binary') });
  }
  table({
    topic: 'read', title: '4. Readers (messages/s) against ws\'s Receiver', unit: 'msg/s',
    columns: ['decodeFrame', 'MessageReader', 'reader in place', ...wsList.map(([n]) => n)], rows, ratios, checks,
    notes: ['MessageReader validates UTF-8 and returns text as strings; ws\'s Receiver validates UTF-8 and hands out Buffers (a server then calls toString). decodeFrame returns the unmasked payload bytes. ws unmasks in place in the socket\'s buffer; ours copies (the input is never modified), unless the reader is created with unmaskInPlace: true (\"reader in place\").'],
  });
  stringTable();
}

// The loop of decodeFrame's JSDoc: frames found by offset, no view per frame,
// each handed to `handle`.
const SERVER = { requireMask: true };
let frames = 0;
const ignore = () => { frames++; };
// Why short ASCII text is built from its character codes (lib/stream/reader.ts,
// _shortText): the two ways to turn 20 bytes into a string, side by side.
function stringTable() {
  const codes = Array.from(TEXT, (c) => c.charCodeAt(0));
  const view = new Uint8Array(256).subarray(0, codes.length);
  view.set(codes);
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  const res = timeCase([
    { name: 'String.fromCharCode', fn: () => String.fromCharCode.apply(null, codes), ok: () => String.fromCharCode.apply(null, codes) === TEXT },
    { name: 'TextDecoder', fn: () => decoder.decode(view), ok: () => decoder.decode(view) === TEXT },
  ]);
  table({
    topic: 'read', title: '4b. A 20-byte ASCII string from its bytes (ops/s)', unit: 'ops/s',
    columns: ['String.fromCharCode', 'TextDecoder'], rows: [{ label: 'text 20 B', res }],
    ratios: [{ label: 'fromCharCode/TextDecoder', num: 'String.fromCharCode', den: 'TextDecoder' }],
    notes: ['String.fromCharCode.apply on a reused array of the codes, against TextDecoder.decode of a view of an off-heap buffer: MessageReader builds short ASCII text the first way. Not a target.'],
  });
}

function decodeAll(chunk, handle) {
  let off = 0;
  while (off < chunk.length) {
    const f = ours.decodeFrame(chunk, SERVER, off);
    handle(f);
    off += f.byteLength;
  }
}
