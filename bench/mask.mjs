// Topic 1: the mask/XOR hot loop (RFC 6455 §5.3) at 16 B..16 MiB, aligned and
// at an odd byteOffset, against ws's JS loop, ws's default, bufferutil and memcpy.
import { bytes, same, table, timeCase, quick, runtime } from './_harness.mjs';
import { bufferutil, ours, oursTS, wsJS, wsNative, wsUnmaskLoop } from './_libs.mjs';

const SIZES = [['16 B', 16], ['125 B', 125], ['1 KiB', 1024], ['64 KiB', 65536], ['1 MiB', 1 << 20], ['16 MiB', 1 << 24]];
const KEY = Uint8Array.from([0x37, 0xfa, 0x21, 0x3d]);
const KEY_BUF = Buffer.from(KEY);

function reference(data) {
  const out = data.slice();
  for (let i = 0; i < out.length; i++) out[i] ^= KEY[i % 4];
  return out;
}

/** A Buffer view of `n` bytes at byteOffset `offset` (mod 8) of its own ArrayBuffer. */
function view(n, offset) {
  const ab = new ArrayBuffer(n + 64);
  return Buffer.from(ab, offset, n);
}

export async function run() {
  const rows = [];
  for (const [label, n] of SIZES) {
    for (const offset of [0, 1]) {
      const src = bytes(n, n + offset);
      const expect = reference(src);
      const buf = view(n, offset);
      const dst = view(n, offset);
      // Each variant XORs `buf` in place over and over; ok() checks it once on fresh input.
      const inPlace = (f) => ({ fn: () => f(buf), ok: () => { const b = view(n, offset); b.set(src); f(b); return same(b, expect); } });
      const variants = [
        { name: 'maskInPlace', ...inPlace((b) => ours.maskInPlace(b, KEY)) },
        { name: 'TS loop', ...inPlace((b) => oursTS.maskInPlace(b, KEY)) },
        { name: 'unmaskPayload', fn: () => ours.unmaskPayload(buf, KEY), ok: () => same(ours.unmaskPayload(src, KEY), expect) },
        { name: 'ws JS', ...inPlace((b) => wsUnmaskLoop(b, KEY_BUF)) },
      ];
      if (wsNative) variants.push({ name: 'ws default', ...inPlace((b) => wsNative.bufferUtil.unmask(b, KEY_BUF)) });
      if (bufferutil) variants.push({ name: 'bufferutil', ...inPlace((b) => bufferutil.unmask(b, KEY_BUF)) });
      variants.push({ name: 'memcpy', fn: () => dst.set(buf), ok: () => { const d = view(n, offset); d.set(src); return same(d, src); } });
      // 16 MiB under --quick: one round of ws's loop is already 30 ms.
      const res = timeCase(variants.filter((v) => !(quick && n === 1 << 24 && v.name === 'unmaskPayload')));
      rows.push({ label: `${label}${offset ? ' +1' : ''}`, n, res, scale: n / 1e9 });
    }
  }
  const columns = ['maskInPlace', 'TS loop', 'unmaskPayload', 'ws JS', ...(wsNative ? ['ws default'] : []), ...(bufferutil ? ['bufferutil'] : []), 'memcpy'];
  const ratios = [
    { label: 'ours/ws JS', num: 'maskInPlace', den: 'ws JS' },
    { label: 'TS/ws JS', num: 'TS loop', den: 'ws JS' },
    ...(wsNative ? [{ label: 'ours/ws default', num: 'maskInPlace', den: 'ws default' }] : []),
    ...(bufferutil ? [{ label: 'ours/bufferutil', num: 'maskInPlace', den: 'bufferutil' }] : []),
    { label: 'ours/memcpy', num: 'maskInPlace', den: 'memcpy' },
  ];
  const checks = [
    { label: '≥5x ws JS', num: 'maskInPlace', den: 'ws JS', min: 5, applies: (r) => r.n >= 1024 },
    { label: 'TS ≥5x ws JS', num: 'TS loop', den: 'ws JS', min: 5, applies: (r) => r.n >= 1024 },
    ...(bufferutil && runtime.name === 'node' ? [{ label: '≥0.5x bufferutil', num: 'maskInPlace', den: 'bufferutil', min: 0.5, applies: (r) => r.n >= 65536 }] : []),
    { label: '≥1x ws default', num: 'maskInPlace', den: wsNative ? 'ws default' : 'ws JS', min: 1, applies: (r) => r.n <= 125 },
  ];
  table({
    topic: 'mask', title: '1. Mask/XOR hot loop (GB/s, in place; "+1" = odd byteOffset)', unit: 'GB/s', columns, rows, ratios, checks,
    notes: ['maskInPlace is the shipped path (WebAssembly SIMD from 64 B where the runtime allows it); "TS loop" is the same bundle where WebAssembly is unavailable (workerd). unmaskPayload copies, so it is timed but not a target. memcpy = TypedArray.prototype.set, the ceiling.'],
  });
}
