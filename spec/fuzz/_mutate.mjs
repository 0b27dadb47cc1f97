// Mutations. Structural ones edit frames as data, so the oracle (_model.mjs)
// still knows the exact outcome; byte-level ones edit the encoded stream
// blindly, and only the invariants and chunking-independence judge them.
import { closePayload, makeFrame, maskKey } from './_frames.mjs';
import { concat } from './_model.mjs';

const RESERVED = [3, 4, 5, 6, 7, 0xb, 0xc, 0xd, 0xe, 0xf];

/** 1-3 structural edits of a copy of `frames`. */
export function mutateFrames(r, input, masked) {
  const frames = input.map((f) => ({ ...f }));
  const edits = r.range(1, 3);
  for (let e = 0; e < edits; e++) {
    const i = r.int(frames.length + 1);
    const f = frames[Math.min(i, frames.length - 1)];
    switch (r.int(14)) {
      case 0: f.rsv = r.range(1, 7); break; // RFC 6455 §5.2 RSV1-3
      case 1: f.opcode = r.int(16); break;
      case 2: f.opcode = r.pick(RESERVED); break;
      case 3: f.fin = !f.fin; break; // fragments control frames, or leaves messages open
      case 4: f.masked = !f.masked; f.key = maskKey(r); break; // RFC 6455 §5.1
      case 5: if (frames.length > 1) frames.splice(Math.min(i, frames.length - 1), 1); break;
      case 6: frames.splice(i, 0, { ...f }); break;
      case 7: if (i + 1 < frames.length) [frames[i], frames[i + 1]] = [frames[i + 1], frames[i]]; break;
      case 8: // often non-minimal (RFC 6455 §5.2), at the boundaries too
        f.form = r.pick(['16', '64']);
        if (r.chance(0.6)) f.payload = r.bytes(r.pick(f.form === '16' ? [0, 125, 126, 127] : [125, 126, 65535, 65536]));
        break;
      case 9: f.hi = r.pick([1, 2, r.range(1, 0x7fffffff), 0x7fffffff, 0x80000000, 0xffffffff, r.range(0x80000000, 0xffffffff)]); break;
      case 10: frames.splice(i, 0, makeFrame(r.pick([0x8, 0x9, 0xa]), r.bytes(r.range(126, 300)), { masked, key: maskKey(r) })); break;
      case 11: frames.splice(i, 0, makeFrame(0x8, closePayload(r), { masked, key: maskKey(r) })); break;
      case 12: frames.splice(i, 0, ...flood(r, masked)); break;
      default: frames.splice(i, 0, makeFrame(r.pick([0x1, 0x2, 0x0]), r.bytes(r.int(40)), { masked, key: maskKey(r), fin: r.chance(0.5) })); break;
    }
  }
  return frames;
}

/** A message in many tiny or empty fragments (the flood ws patched in 2026). */
export function flood(r, masked) {
  const k = r.range(2, r.chance(0.9) ? 40 : 1500);
  const size = r.pick([0, 0, 1, r.range(1, 4)]);
  const text = r.chance(0.5);
  const out = [];
  for (let j = 0; j < k; j++) {
    const payload = text ? new Uint8Array(size).fill(0x61) : r.bytes(size);
    out.push(makeFrame(j === 0 ? (text ? 1 : 2) : 0, payload, { masked, key: maskKey(r), fin: j === k - 1 }));
  }
  return out;
}

/** 1-4 blind edits of a copy of the encoded stream. `layout` locates frame starts for targeted edits. */
export function mutateBytes(r, input, layout) {
  let b = input.slice();
  const edits = r.range(1, 4);
  for (let e = 0; e < edits; e++) {
    const n = b.length;
    const frame = layout.length ? layout[r.int(layout.length)] : { start: 0, ext: 0 };
    const s = Math.min(frame.start, Math.max(0, n - 1));
    switch (r.int(10)) {
      case 0: for (let k = r.range(1, 8); k > 0 && n; k--) b[r.int(n)] ^= 1 << r.int(8); break; // bit flips
      case 1: b = b.subarray(0, r.int(n + 1)); break; // truncation
      case 2: // length-field edit: the 7-bit length, or the extended length bytes
        if (s + 1 < n) {
          if (r.chance(0.5) || frame.ext === 0) b[s + 1] = (b[s + 1] & 0x80) | r.pick([0, 1, 125, 126, 127, r.int(128)]);
          else for (let k = 0; k < frame.ext && s + 2 + k < n; k++) b[s + 2 + k] = r.pick([0, 0xff, 0x7f, 0x80, 0x7d, 0x7e, r.int(256)]);
        }
        break;
      case 3: if (n) b[s] = (b[s] & 0xf0) | r.int(16); break; // opcode
      case 4: if (n) b[s] = (b[s] & 0x8f) | (r.int(8) << 4); break; // RSV bits
      case 5: { // duplicated bytes
        const at = r.int(n + 1), len = Math.min(n - at, r.range(1, 20));
        b = concat([b.subarray(0, at + len), b.subarray(at, at + len), b.subarray(at + len)]);
        break;
      }
      case 6: { // dropped bytes
        const at = r.int(n + 1), len = r.range(1, 20);
        b = concat([b.subarray(0, at), b.subarray(at + len)]);
        break;
      }
      case 7: { const at = r.int(n + 1); b = concat([b.subarray(0, at), r.bytes(r.range(1, 16)), b.subarray(at)]); break; }
      case 8: if (n) b[s] ^= 0x80; break; // FIN
      default: if (s + 1 < n) b[s + 1] ^= 0x80; break; // MASK
    }
  }
  return b;
}
