// decodeFrame cases: one frame (any opcode, length class, mask, RSV, length
// form), its prefixes and trailing bytes against the oracle, then blind edits
// judged by invariants: documented errors only, an accepted frame re-encodes
// to exactly its bytes, and a prefix never fails differently from the whole.
import { decodeFrame, frameTypeName, ProtocolError } from '../../dist/index.js';
import { placed } from './_chunks.mjs';
import { encodeFrames, makeFrame, maskKey, payloadLength } from './_frames.mjs';
import { modelDecode } from './_model.mjs';
import { mutateBytes } from './_mutate.mjs';
import { Violation } from './_reader.mjs';
import { invalidUtf8, validUtf8 } from './_utf8.mjs';

function oneFrame(r) {
  const opcode = r.weighted([[70, r.pick([0, 1, 2, 8, 9, 10])], [10, r.int(16)]]);
  const control = opcode >= 8;
  const n = control && r.chance(0.9) ? r.int(126) : payloadLength(r, 0.01);
  const payload = opcode === 1 ? (r.chance(0.8) ? validUtf8(r, n) : invalidUtf8(r, n)) : r.bytes(n);
  const f = makeFrame(opcode, payload, { fin: r.chance(0.8), masked: r.chance(0.6), key: maskKey(r) });
  if (r.chance(0.08)) f.rsv = r.range(1, 7);
  if (r.chance(0.08)) {
    f.form = r.pick(['16', '64']);
    if (r.chance(0.4)) f.payload = r.bytes(r.pick(f.form === '16' ? [0, 125, 126, 127] : [125, 126, 65535, 65536]));
  }
  if (r.chance(0.05)) f.hi = r.pick([1, r.range(1, 0x7fffffff), 0x80000000, 0xffffffff]);
  return f;
}

/** decodeFrame on one frame, its prefixes and trailing bytes, against the oracle; then on blind edits. */
export function decodeCase(r) {
  const f = oneFrame(r);
  const { bytes, layout } = encodeFrames([f]);
  const L = layout[0];
  const opts = { requireMask: r.chance(0.5) };
  if (r.chance(0.4)) opts.maxPayload = r.pick([0, 1, 125, r.int(200), r.int(70000), Infinity]);
  const withTail = new Uint8Array(bytes.length + r.int(10));
  withTail.set(bytes);
  const totals = [withTail.length, bytes.length, 0, 1, 2, L.hdrEnd, r.int(bytes.length + 1), r.int(L.hdrEnd + 1)];
  for (const total of totals) {
    const input = placed(r, withTail.subarray(0, total));
    const copy = input.slice();
    const want = modelDecode(f, L, total, opts);
    const got = decode(input, opts);
    for (let i = 0; i < input.length; i++) if (input[i] !== copy[i]) throw new Violation('decodeFrame modified its input');
    const d = diffDecode(want, got);
    if (d) throw new Violation(`decodeFrame on ${total} of ${bytes.length} bytes: ${d}; frame ${describeFrame(f)}, options ${JSON.stringify(opts)}`);
  }
  // Blind edits: only documented outcomes, and an accepted frame re-encodes to exactly its bytes.
  const mutated = mutateBytes(r, withTail, layout);
  const got = decode(placed(r, mutated), opts);
  if (got.frame) {
    const g = got.frame;
    const back = encodeFrames([makeFrame(g.opcode, g.payload, { fin: g.fin, rsv: (g.rsv1 ? 4 : 0) | (g.rsv2 ? 2 : 0) | (g.rsv3 ? 1 : 0), masked: g.masked, key: g.maskKey })]).bytes;
    if (back.length !== g.byteLength || back.some((b, i) => b !== mutated[i])) throw new Violation('An accepted frame does not re-encode to its own bytes');
    if (decode(mutated.subarray(0, g.byteLength - 1), opts).frame !== null) throw new Violation('A frame decodes from fewer bytes than its byteLength');
  }
  const prefix = decode(mutated.subarray(0, r.int(mutated.length + 1)), opts);
  if (got.code !== undefined ? prefix.code !== undefined && prefix.code !== got.code : prefix.code !== undefined) {
    throw new Violation(`A prefix fails with ${prefix.code} where the whole gives ${got.code ?? 'a frame or null'}`);
  }
}

export function describeFrame(f) {
  return `{fin ${+f.fin} rsv ${f.rsv} opcode ${f.opcode} masked ${+f.masked} length ${f.payload.length} form ${f.form} hi ${f.hi}}`;
}

function decode(input, opts) {
  try {
    return { frame: decodeFrame(input, opts) };
  } catch (e) {
    if (!(e instanceof ProtocolError)) throw new Violation(`decodeFrame threw ${e?.name}: ${e?.message}`);
    if (e.closeCode !== 1002 && e.closeCode !== 1009) throw new Violation(`decodeFrame: close code ${e.closeCode}`);
    return { code: e.closeCode, rule: e.rule };
  }
}

function diffDecode(want, got) {
  if (want.code !== undefined || got.code !== undefined) return want.code === got.code && want.rule === got.rule ? null : `${want.code} ${want.rule} vs ${got.code} ${got.rule}`;
  if (want.frame === null || got.frame === null) return want.frame === got.frame ? null : `${want.frame ? 'a frame' : 'null'} vs ${got.frame ? 'a frame' : 'null'}`;
  const w = want.frame, g = got.frame;
  for (const k of ['fin', 'rsv1', 'rsv2', 'rsv3', 'opcode', 'masked', 'byteLength']) if (w[k] !== g[k]) return `${k}: ${w[k]} vs ${g[k]}`;
  if (g.opcodeName !== frameTypeName(w.opcode)) return `opcodeName ${g.opcodeName}`;
  if (!sameBytes(w.payload, g.payload)) return 'payload differs';
  if (w.masked ? !sameBytes(w.maskKey, g.maskKey) : g.maskKey !== undefined) return 'maskKey differs';
  return null;
}

function sameBytes(a, b) {
  if (!(b instanceof Uint8Array) || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
