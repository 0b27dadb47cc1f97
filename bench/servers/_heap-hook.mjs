// Preloaded into every Node server bench/servers.mjs starts:
//   node --expose-gc --import ./bench/servers/_heap-hook.mjs SERVER.mjs ...
// On SIGUSR2 it runs a full GC (twice, so that what the first one's weak
// callbacks and finalizers let go is collected too) and prints one line:
//   heap heapUsed=<bytes> external=<bytes> arrayBuffers=<bytes> rss=<bytes>
// It works for any Node program without changing it, ours and the rivals
// alike. Without --expose-gc it still answers, marked gc=no.
const gc = typeof globalThis.gc === 'function' ? globalThis.gc : null;
process.on('SIGUSR2', () => {
  if (gc) { gc(); gc(); }
  const m = process.memoryUsage();
  process.stdout.write(`heap heapUsed=${m.heapUsed} external=${m.external} arrayBuffers=${m.arrayBuffers} rss=${m.rss}${gc ? '' : ' gc=no'}\n`);
});
