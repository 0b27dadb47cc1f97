// Portable: runs the uvu suites that the bundled spec files queued (see
// _setup.mjs) and returns counts instead of printing uvu's summary or touching
// an exit code, so each runtime's glue reports the result its own way.

/** Names the runtime this code is really running in, so the runner can check it. */
export function runtimeName() {
  if (typeof Deno !== 'undefined') return 'deno';
  if (typeof Bun !== 'undefined') return 'bun';
  const ua = typeof navigator === 'undefined' ? '' : String(navigator.userAgent);
  if (ua.includes('Cloudflare-Workers')) return 'workerd';
  if (ua.includes('Chrome/')) return 'browser';
  if (globalThis.process?.versions?.node) return 'node';
  return `unknown (${ua})`;
}

/**
 * Whether this runtime compiles WebAssembly from bytes at run time (workerd and
 * a strict Content-Security-Policy refuse): the library's masking loop then
 * falls back from its WebAssembly SIMD kernel to plain TypeScript, so the
 * runner says which of the two paths the specs covered here.
 */
export function wasmFromBytes() {
  try {
    return new WebAssembly.Module(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0])) instanceof WebAssembly.Module;
  } catch {
    return false;
  }
}

/** @returns {Promise<{ runtime: string, wasm: boolean, files: number, passed: number, failed: number, skipped: number, failures: string }>} */
export async function run() {
  let passed = 0, failed = 0, skipped = 0, failures = '';
  const queue = globalThis.UVU_QUEUE;
  for (const [file, ...suites] of queue) {
    for (const suite of suites) {
      // uvu's runner: [true or the formatted failures, passed, skipped, total]
      const [errors, ran, skips, total] = await suite();
      passed += ran;
      failed += total - ran;
      skipped += skips;
      if (errors !== true) failures += `${file}\n${errors}\n`;
    }
  }
  return { runtime: runtimeName(), wasm: wasmFromBytes(), files: queue.length, passed, failed, skipped, failures };
}
