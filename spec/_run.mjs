// Runs every stage of `npm test` in turn and sums their counts. Each stage is a
// separate process: a crash or hang in one cannot hide another's result.
// A stage that is missing its entry file fails: nothing is silently skipped.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { UNIT_PATTERN } from './_units.mjs';

const node = process.execPath;
const uvu = 'node_modules/uvu/bin.js';
/** [name, command, args, the file that must exist, timeout in seconds] */
const STAGES = [
  ['unit (node)', node, [uvu, 'spec', UNIT_PATTERN], 'spec/_units.mjs', 300],
  ['node-only', node, [uvu, 'spec/node', '\\.spec\\.mjs$'], 'spec/node', 300],
  ['conformance (node)', node, ['spec/conformance/run.mjs', '--server', 'node'], 'spec/conformance/run.mjs', 300],
  ['conformance (deno)', node, ['spec/conformance/run.mjs', '--server', 'deno'], 'examples/deno-echo-server.ts', 300],
  ['conformance (bun)', node, ['spec/conformance/run.mjs', '--server', 'bun'], 'examples/bun-echo-server.ts', 300],
  ['node client', node, ['--experimental-websocket', 'spec/clients/node-client.mjs'], 'spec/clients/node-client.mjs', 180],
  ['deno client', node, ['spec/clients/deno-client.mjs'], 'spec/clients/deno-client.mjs', 180],
  ['bun client', node, ['spec/clients/bun-client.mjs'], 'spec/clients/bun-client.mjs', 180],
  ['browser client', node, ['spec/clients/browser-client.mjs'], 'spec/clients/browser-client.mjs', 180],
  // Node already ran the unit specs above; the runner adds the other four runtimes and the README examples.
  ['runtimes', node, ['spec/runtimes/run.mjs', '--only', 'deno,bun,workerd,browser'], 'spec/runtimes/run.mjs', 420],
  ['fuzz', node, ['spec/fuzz/run.mjs'], 'spec/fuzz/run.mjs', 180],
  ['floods', node, ['spec/floods/run.mjs'], 'spec/floods/run.mjs', 180],
];

const only = process.argv.slice(2);
let passed = 0;
let failed = 0;
const summary = [];
for (const [name, cmd, args, needs, timeout] of STAGES) {
  if (only.length && !only.some((o) => name.includes(o))) continue;
  if (!existsSync(needs)) {
    failed++;
    summary.push(`FAIL ${name}: ${needs} is missing`);
    continue;
  }
  const started = Date.now();
  const { code, out } = await run(cmd, args, timeout * 1000);
  const counts = count(out);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  // A stage that ran nothing passes only when it says why (a missing browser, outside CI).
  const skipped = code === 0 && counts.passed === 0 && counts.failed === 0 && /^SKIPPED /m.test(out);
  const ok = skipped || (code === 0 && counts.failed === 0 && counts.passed > 0);
  passed += counts.passed;
  failed += counts.failed + (ok || counts.failed > 0 ? 0 : 1);
  summary.push(`${skipped ? 'SKIP' : ok ? 'ok  ' : 'FAIL'} ${name}: ${counts.passed} passed, ${counts.failed} failed (${seconds} s${code === 0 ? '' : `, exit ${code}`})`);
}
console.log('\n' + summary.join('\n'));
console.log(`\ntotal: ${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;

function run(cmd, args, timeoutMs) {
  return new Promise((resolve) => {
    console.log(`\n=== ${cmd === node ? 'node' : cmd} ${args.join(' ')}`);
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    let out = '';
    const take = (stream, sink) => stream.on('data', (d) => { out += d; sink.write(d); });
    take(child.stdout, process.stdout);
    take(child.stderr, process.stderr);
    const timer = setTimeout(() => { out += `\nTIMEOUT after ${timeoutMs / 1000} s\n`; child.kill('SIGKILL'); }, timeoutMs);
    child.on('close', (code, signal) => { clearTimeout(timer); resolve({ code: code ?? (signal ? 1 : 0), out }); });
  });
}

/** Reads uvu's "Total/Passed" block, or any number of "N passed, M failed" lines. */
function count(out) {
  // eslint-disable-next-line no-control-regex
  const text = out.replace(/\x1b\[[0-9;]*m/g, '');
  const total = [...text.matchAll(/^\s*Total:\s+(\d+)\s*$/gm)].map((m) => +m[1]);
  const ok = [...text.matchAll(/^\s*Passed:\s+(\d+)\s*$/gm)].map((m) => +m[1]);
  if (total.length) {
    const p = ok.reduce((a, b) => a + b, 0);
    return { passed: p, failed: total.reduce((a, b) => a + b, 0) - p };
  }
  let passed = 0, failed = 0;
  for (const m of text.matchAll(/(\d+) passed, (\d+) failed/g)) { passed += +m[1]; failed += +m[2]; }
  return { passed, failed };
}
