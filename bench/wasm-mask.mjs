// Assembles the WebAssembly SIMD mask kernel by hand (no toolchain, no
// dependency) and writes it into lib/primitives/_mask-simd.ts as bytes, with its text
// form beside them. Run: node bench/wasm-mask.mjs [--check]
// (--check only verifies that lib/primitives/_mask-simd.ts holds these exact bytes).
import { readFileSync, writeFileSync } from 'node:fs';

const UNROLL = 4; // 4 x 16 bytes per loop turn

// The text form (WAT). Memory declares one page and the caller grows it to two
// (128 KiB) once, then copies into it; the loop XORs [p, end) in 64-byte steps
// and may run up to 63 bytes past `end`, which the caller never copies back
// (its passes stop 128 bytes short of the memory's end).
const wat = [
  '(module',
  '  (memory (export "m") 1)',
  '  (func (export "x") (param $p i32) (param $end i32) (param $key i32)',
  '    (local $k v128)',
  '    (local.set $k (i32x4.splat (local.get $key)))',
  '    (block $done',
  '      (loop $next',
  '        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))',
  ...Array.from({ length: UNROLL }, (_, i) =>
    `        (v128.store offset=${i * 16} (local.get $p) (v128.xor (v128.load offset=${i * 16} (local.get $p)) (local.get $k)))`),
  `        (local.set $p (i32.add (local.get $p) (i32.const ${UNROLL * 16})))`,
  '        (br $next)))))',
];

const u32 = (n) => { const out = []; do { let b = n & 0x7f; n >>>= 7; if (n) b |= 0x80; out.push(b); } while (n); return out; };
const s32 = (n) => { const out = []; for (;;) { const b = n & 0x7f; n >>= 7; if ((n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40)) { out.push(b); return out; } out.push(b | 0x80); } };
const vec = (items) => [...u32(items.length), ...items.flat()];
const section = (id, body) => [id, ...u32(body.length), ...body];
const name = (s) => [...u32(s.length), ...[...s].map((c) => c.charCodeAt(0))];

const I32 = 0x7f, V128 = 0x7b;
const op = {
  block: 0x02, loop: 0x03, br: 0x0c, br_if: 0x0d, end: 0x0b, void: 0x40,
  get: 0x20, set: 0x21, i32_const: 0x41, i32_add: 0x6a, i32_ge_u: 0x4f,
  simd: 0xfd, v128_load: 0x00, v128_store: 0x0b, i32x4_splat: 0x11, v128_xor: 0x51,
};
const P = 0, N = 1, KEY = 2, K = 3; // locals: three params, then $k

const body = [
  ...vec([[1, V128]]),
  op.get, KEY, op.simd, op.i32x4_splat, op.set, K,
  op.block, op.void,
  op.loop, op.void,
  op.get, P, op.get, N, op.i32_ge_u, op.br_if, 1,
  ...Array.from({ length: UNROLL }, (_, i) => [
    op.get, P, // store address
    op.get, P, op.simd, op.v128_load, 4, ...u32(i * 16), // memarg: align 2^4, offset
    op.get, K, op.simd, op.v128_xor,
    op.simd, op.v128_store, 4, ...u32(i * 16),
  ]).flat(),
  op.get, P, op.i32_const, ...s32(UNROLL * 16), op.i32_add, op.set, P,
  op.br, 0,
  op.end, op.end, op.end,
];

const module = [
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  ...section(1, vec([[0x60, ...vec([I32, I32, I32]), ...vec([])]])), // type 0: (i32, i32, i32) -> ()
  ...section(3, vec([0])), // function 0 has type 0
  ...section(5, vec([[0x00, 1]])), // memory 0: min 1 page, no max
  ...section(7, vec([[...name('m'), 0x02, 0], [...name('x'), 0x00, 0]])),
  ...section(10, vec([[...u32(body.length), ...body]])),
];
const bytes = Uint8Array.from(module);
if (!WebAssembly.validate(bytes)) throw new Error('The assembled module does not validate');

const hex = [];
for (let i = 0; i < bytes.length; i += 16) hex.push('  ' + [...bytes.subarray(i, i + 16)].map((b) => '0x' + b.toString(16).padStart(2, '0')).join(', ') + ',');
const block = `/**
 * The kernel, assembled by bench/wasm-mask.mjs from this text:
 *
${wat.map((l) => ' *   ' + l).join('\n')}
 */
export const KERNEL = /* @__PURE__ */ new Uint8Array([
${hex.join('\n')}
]);`;

const file = new URL('../lib/primitives/_mask-simd.ts', import.meta.url);
const text = readFileSync(file, 'utf8');
const start = text.indexOf('/**\n * The kernel, assembled');
const end = text.indexOf(']);', start) + 3;
if (start < 0 || end < 3) throw new Error('lib/primitives/_mask-simd.ts has no kernel block to replace');
const next = text.slice(0, start) + block + text.slice(end);
if (process.argv.includes('--check')) {
  if (next !== text) { console.error('lib/primitives/_mask-simd.ts is out of date: run node bench/wasm-mask.mjs'); process.exit(1); }
  console.log(`lib/primitives/_mask-simd.ts holds the ${bytes.length}-byte kernel`);
} else {
  writeFileSync(file, next);
  console.log(`Wrote the ${bytes.length}-byte kernel into lib/primitives/_mask-simd.ts`);
}
