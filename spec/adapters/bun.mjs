// The Bun adapter (websocket-server/bun, dist/bun.js) over real loopback
// sockets, in Bun: both roles, pipelining, faults, timers, backpressure, and
// interop with Bun's own WebSocket server and client (spec/adapters/_bun.mjs).
//
//   node spec/adapters/bun.mjs     runs itself again under node_modules/.bin/bun
//   node_modules/.bin/bun spec/adapters/bun.mjs
//
// Prints one line per case and `adapters (bun): N passed, M failed`; exits 1
// on any failure.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

if (typeof Bun === 'undefined') {
  const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
  const child = spawn(join(root, 'node_modules/.bin/bun'), [fileURLToPath(import.meta.url)], { cwd: root, stdio: 'inherit' });
  const stop = () => child.kill('SIGKILL');
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  child.once('error', (e) => {
    console.log(`adapters (bun): 0 passed, 1 failed (cannot start bun: ${e.message})`);
    process.exitCode = 1;
  });
  child.once('exit', (code, signal) => { process.exitCode = code ?? (signal ? 1 : 0); });
} else {
  const { cases } = await import('./_bun.mjs');
  let passed = 0, failed = 0;
  for (const [name, fn] of cases) {
    let timer;
    try {
      await Promise.race([fn(), new Promise((_, reject) => { timer = setTimeout(() => reject(new Error('did not finish within 20 s')), 20_000); })]);
      passed++;
      console.log(`ok   ${name}`);
    } catch (e) {
      failed++;
      console.log(`FAIL ${name}: ${e?.stack ?? e}`);
    } finally {
      clearTimeout(timer);
    }
  }
  console.log(`adapters (bun): ${passed} passed, ${failed} failed`);
  process.exit(failed === 0 && passed > 0 ? 0 : 1);
}
