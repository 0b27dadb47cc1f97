// Topic 3: encoders (RFC 6455 §5.2) against ws's Sender.frame: a 20-byte text
// frame from a string and a 64 KiB binary frame, unmasked (as a server sends)
// and masked with a fresh random key per frame (as a client must, §5.3).
import { bytes, table, timeCase } from './_harness.mjs';
import { ours, wsNative, wsJS } from './_libs.mjs';
import { isFrame } from './_frames.mjs';

const TEXT = 'Hello, WebSocket!!!!'; // 20 ASCII bytes
const TEXT_BYTES = new TextEncoder().encode(TEXT);
const BIN = bytes(65536, 3);
const BIN_BUF = Buffer.from(BIN);

export async function run() {
  const ws = wsNative ?? wsJS;
  const wsName = wsNative ? 'ws+bufferutil' : 'ws (JS)';
  const frame = (data, opcode, mask) => ws.Sender.frame(data, { fin: true, opcode, mask, readOnly: true, rsv1: false });
  // Text rows hand both sides the string, as the reference point
  // ("ws's Sender.frame encodes about 5 M 20-byte text frames/s from a
  // string") does: ws then encodes it with Buffer.from. The "ws given bytes"
  // rows hand ws the string already encoded, so that it only writes a header
  // (what its WebSocket.send does with a precomputed byte length): shown for
  // comparison, not a target.
  const cases = [
    ['text 20 B', 1, TEXT, TEXT, false],
    ['text 20 B masked', 1, TEXT, TEXT, true],
    ['text 20 B, ws given bytes', 1, TEXT, TEXT_BYTES, false],
    ['text 20 B masked, ws given bytes', 1, TEXT, TEXT_BYTES, true],
    ['binary 64 KiB', 2, BIN, BIN_BUF, false],
    ['binary 64 KiB masked', 2, BIN, BIN_BUF, true],
  ];
  const rows = [];
  for (const [label, opcode, data, wsData, mask] of cases) {
    const payload = typeof data === 'string' ? TEXT_BYTES : data;
    const encode = opcode === 1 ? (o) => ours.encodeTextFrame(data, o) : (o) => ours.encodeBinaryFrame(data, o);
    const opts = mask ? { mask: true } : undefined;
    const variants = [
      { name: 'ours', fn: () => encode(opts), ok: () => isFrame(encode(opts), opcode, payload, mask) },
      { name: wsName, fn: () => frame(wsData, opcode, mask), ok: () => isFrame(frame(wsData, opcode, mask), opcode, payload, mask) },
    ];
    rows.push({ label, res: timeCase(variants) });
  }
  // What ws's unmasked Sender.frame does: a header, and the payload written as it is.
  const header = () => ours.encodeFrameHeader(2, BIN.length);
  const joined = () => { const h = header(); const f = new Uint8Array(h.length + BIN.length); f.set(h); f.set(BIN, h.length); return f; };
  rows.push({
    label: 'binary 64 KiB, header only',
    res: timeCase([
      { name: 'ours', fn: header, ok: () => isFrame(joined(), 2, BIN, false) },
      { name: wsName, fn: () => frame(BIN_BUF, 2, false), ok: () => isFrame(frame(BIN_BUF, 2, false), 2, BIN, false) },
    ]),
  });
  table({
    topic: 'encode', title: `3. Encoders (frames/s) against ws's Sender.frame`, unit: 'ops/s',
    columns: ['ours', wsName], rows,
    ratios: [{ label: 'ours/ws', num: 'ours', den: wsName }],
    checks: [
      { label: '≥2x ws', num: 'ours', den: wsName, min: 2, applies: (r) => r.label.startsWith('text') && !r.label.endsWith('given bytes') },
      { label: '≥1x ws', num: 'ours', den: wsName, min: 1, applies: (r) => r.label.startsWith('binary') },
    ],
    notes: ['Masked rows draw a fresh key per frame: ours from a 4 KiB pool filled by crypto.getRandomValues, ws from its randomFillSync pool. Unmasked, ws returns [header, data] without copying the payload (its sender then writes both with writev); ours returns one array holding header and payload; the "header only" row is encodeFrameHeader, the same zero-copy shape as ws.'],
  });
}
