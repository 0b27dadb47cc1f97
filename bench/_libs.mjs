// What the topics compare: our built bundle (twice: as shipped, and a second
// instance that found no WebAssembly, i.e. the pure-TypeScript path workerd
// runs), ws with and without bufferutil, bufferutil itself, @noble/hashes.
import { createRequire } from 'node:module';

/**
 * The bundle under test: dist/index.js, or another build of lib/ named by
 * BENCH_BUNDLE (a path from the project root), to try a change side by side.
 */
const BUNDLE = new URL(globalThis.process?.env.BENCH_BUNDLE ?? 'dist/index.js', new URL('../', import.meta.url)).href;
export const ours = await import(BUNDLE);

/**
 * A second instance of the bundle that behaves as in workerd, where compiling
 * WebAssembly from bytes is refused: the kernel is compiled on first use, so
 * refusing that one compilation pins the instance to the TypeScript loop.
 * The instance is loaded from a copy of the bundle under another name: Bun
 * keys its module cache by path without the query string, so `?pure-ts`
 * would hand back the shipped instance itself and pin it too.
 */
export const oursTS = await (async () => {
  const { mkdtempSync, readFileSync, rmSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { dirname, join } = await import('node:path');
  const { pathToFileURL, fileURLToPath } = await import('node:url');
  const copy = join(mkdtempSync(join(tmpdir(), 'wss-bench-')), 'pure-ts.js');
  writeFileSync(copy, readFileSync(fileURLToPath(BUNDLE)));
  const saved = globalThis.WebAssembly;
  globalThis.WebAssembly = { ...saved, Module: function Module() { throw new saved.CompileError('Wasm code generation disallowed by embedder (simulated)'); } };
  try {
    const m = await import(pathToFileURL(copy).href);
    m.maskInPlace(new Uint8Array(1 << 16), [1, 2, 3, 4]);
    if (m === ours) throw new Error('bench: the pure-TypeScript instance is the shipped one');
    return m;
  } finally {
    globalThis.WebAssembly = saved;
    rmSync(dirname(copy), { recursive: true, force: true });
  }
})();

const require = createRequire(import.meta.url);
/** ws's files by path: its package "exports" hides lib/. */
const WS = new URL('../node_modules/ws/', import.meta.url).pathname;

/** bufferutil's native masking, or null where the addon does not load. */
export const bufferutil = (() => {
  try {
    const b = require('bufferutil');
    const t = Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]);
    b.unmask(t, Buffer.from([1, 2, 3, 4]));
    return t[4] === 4 ? b : null;
  } catch { return null; }
})();

/**
 * Loads ws's modules afresh. With `js` true, ws is loaded with
 * WS_NO_BUFFER_UTIL so that it masks with its own JavaScript loop (what it
 * does wherever bufferutil is not installed: Deno, Bun, and many Node apps).
 */
function loadWs(js) {
  const env = globalThis.process.env;
  const saved = env.WS_NO_BUFFER_UTIL;
  for (const k of Object.keys(require.cache ?? {})) if (k.startsWith(WS)) delete require.cache[k];
  if (js) env.WS_NO_BUFFER_UTIL = '1'; else delete env.WS_NO_BUFFER_UTIL;
  try {
    return {
      Sender: require(WS + 'lib/sender.js'),
      Receiver: require(WS + 'lib/receiver.js'),
      bufferUtil: require(WS + 'lib/buffer-util.js'),
      WebSocketServer: require(WS + 'index.js').WebSocketServer,
    };
  } finally {
    if (saved === undefined) delete env.WS_NO_BUFFER_UTIL; else env.WS_NO_BUFFER_UTIL = saved;
  }
}

/** ws as installed here: with bufferutil where it loads. */
export const wsNative = bufferutil ? loadWs(false) : null;
/** ws on its JavaScript path. */
export const wsJS = loadWs(true);

/** ws's JavaScript unmask loop, as in ws/lib/buffer-util.js `_unmask`. */
export function wsUnmaskLoop(buffer, mask) {
  for (let i = 0; i < buffer.length; i++) buffer[i] ^= mask[i & 3];
}

export const noble = await import('@noble/hashes/legacy.js').then((m) => m.sha1, () => null);
export const crypto = await import('node:crypto').catch(() => null);
