// Checks the private masking functions of lib/primitives/_mask.ts (which the public API
// does not reach directly) against the plain RFC 6455 §5.3 loop, on both
// paths: the WebAssembly SIMD kernel, and the TypeScript loop that runs where
// WebAssembly is unavailable (run with --pure to hide WebAssembly first).
// Every length 0-300 and lengths around the kernel's passes of 128 KiB - 128 B
// (lib/primitives/_mask-simd.ts CHUNK), at every byteOffset mod 4 and every key
// position. Run: node bench/mask-check.mjs [--pure]
import { build } from 'esbuild';

const pure = process.argv.includes('--pure');
const out = await build({ entryPoints: [new URL('../lib/primitives/_mask.ts', import.meta.url).pathname], bundle: true, format: 'esm', write: false, logLevel: 'warning' });
if (pure) delete globalThis.WebAssembly;
const { xorKey, xorKeyInto, xorKeyCopy } = await import('data:text/javascript;base64,' + Buffer.from(out.outputFiles[0].text).toString('base64'));

const KEY = [0x37, 0xfa, 0x21, 0x3d];
const PASS = 131072 - 128;
const lengths = [...Array.from({ length: 301 }, (_, i) => i), 1000, 8191, 8192, 8193, 40000, PASS - 1, PASS, PASS + 1, PASS + 64, 2 * PASS + 3];
let cases = 0, bad = 0;
const fail = (what, n, off, rot) => { if (bad++ < 10) console.error(`${what} wrong: length ${n}, offset ${off}, key position ${rot}`); };
for (const n of lengths) for (let off = 0; off < 4; off++) for (let rot = 0; rot < 4; rot++) {
  cases++;
  const base = new Uint8Array(n + 8);
  for (let i = 0; i < base.length; i++) base[i] = (i * 7 + 3) & 255;
  const expect = base.slice();
  for (let i = 0; i < n; i++) expect[off + i] ^= KEY[(i + rot) & 3];
  const a = base.slice();
  xorKey(a.subarray(off, off + n), Uint8Array.from(KEY), rot);
  if (a.some((x, i) => x !== expect[i])) fail('xorKey', n, off, rot);
  const src = base.slice();
  const dst = new Uint8Array(n + 8).fill(0xee);
  xorKeyInto(src.subarray(off, off + n), dst, off, KEY, rot);
  if (dst.some((x, i) => x !== (i < off || i >= off + n ? 0xee : expect[i]))) fail('xorKeyInto', n, off, rot);
  const c = xorKeyCopy(src.subarray(off, off + n), KEY, rot);
  if (c.length !== n || c.some((x, i) => x !== expect[off + i])) fail('xorKeyCopy', n, off, rot);
  if (src.some((x, i) => x !== base[i])) fail('source modified', n, off, rot);
}
console.log(`${pure ? 'TypeScript loop' : `WebAssembly ${typeof WebAssembly === 'object' ? 'SIMD kernel' : 'absent'}`}: ${cases} cases, ${bad} wrong`);
process.exit(bad ? 1 : 0);
