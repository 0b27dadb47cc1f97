// Evaluated first in every test bundle, before uvu itself. uvu 0.5.6 decides at
// load time how to print (process.stdout or console.log), whether to colour
// (kleur reads process.env, which Deno guards behind --allow-env) and whether
// to run its queue by itself. The bundler rewrites uvu's and kleur's free
// `process` to `globalThis.__uvu_process`, so they all see this one stand-in
// in every runtime: same behaviour everywhere, no real `process` needed (the
// library under test must not see a fake global either, so none is created).
const start = Date.now();
globalThis.__uvu_process = {
  argv: [],
  env: { NO_COLOR: '1' },
  stdout: { isTTY: false, write() {} }, // progress dots are dropped; failures are returned by run()
  hrtime(prev) {
    const ms = Date.now() - start - (prev ? prev[0] * 1e3 + prev[1] / 1e6 : 0);
    return [Math.floor(ms / 1e3), (ms % 1e3) * 1e6];
  },
  on() {},
};
// UVU_DEFER: queue every suite's test.run() instead of running it on a timer;
// _harness.mjs walks the queue itself and counts.
globalThis.UVU_DEFER = 1;
globalThis.UVU_QUEUE = [];
