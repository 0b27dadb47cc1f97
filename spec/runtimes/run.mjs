// The cross-runtime run: every unit spec (spec/_units.mjs), bundled once with uvu into
// plain ESM, against the same dist/index.js bytes in Node, Deno, Bun, workerd
// and headless Chromium; then the README's import examples in each runtime.
//
//   node spec/runtimes/run.mjs [--only node,deno,bun,workerd,browser]
//       [--bundle DIR]   use the bundle spec/_run.mjs made in DIR (one for all its runtime stages)
//       [--no-examples]  the unit specs only      [--no-units]  the examples only
//
// Prints `<runtime>: N passed, M failed` per runtime. Fails (exit 1) on any
// failure, on a runtime that gives no result, and when the runtimes did not
// all run the same number of tests. Without Chromium it prints one SKIPPED
// line, or fails when REQUIRE_BROWSER=1 (as .ci/run sets).
import { copyFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleUnits, copyBundle, root } from './_bundle.mjs';
import { GLUE, RUNTIMES, TIMEOUT } from './_runtimes.mjs';
import { runExamples } from './_examples.mjs';
import { missingBrowserLine } from './_browser.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const ALL = Object.keys(RUNTIMES);
// Anything else (--help included) prints the usage: it used to run every runtime for minutes.
const USAGE = 'usage: node spec/runtimes/run.mjs [--only node,deno,bun,workerd,browser] [--bundle DIR] [--no-units] [--no-examples]';
{
  const args = process.argv.slice(2);
  const bad = args.find((a, i) => !['--only', '--bundle', '--no-units', '--no-examples'].includes(a) && !['--only', '--bundle'].includes(args[i - 1]));
  if (bad !== undefined) {
    console.log(bad === '--help' ? USAGE : `${USAGE}\nunknown argument: ${bad}`);
    process.exit(bad === '--help' ? 0 : 2);
  }
}
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt === -1 ? ALL : (process.argv[onlyAt + 1] ?? '').split(',');
const unknown = only.filter((n) => !ALL.includes(n));
if (unknown.length) {
  console.error(`Unknown runtime ${unknown.map((n) => JSON.stringify(n)).join(', ')}: --only takes some of ${ALL.join(',')}`);
  process.exit(2);
}

const value = (flag) => { const at = process.argv.indexOf(flag); return at === -1 ? undefined : process.argv[at + 1]; };
const shared = value('--bundle');
const units = !process.argv.includes('--no-units');
const examples = !process.argv.includes('--no-examples');

const stage = join(root, '.tmp', `runtimes-${process.pid}`);
let failed = 0;
const fail = (line) => { failed++; console.log(line); };
try {
  const counts = {};
  if (units) {
    // Each run copies the bundle into a stage of its own: runtimes running at
    // the same time then never see each other's glue files half-written.
    const { specs, hash } = shared ? copyBundle(shared, join(stage, 'unit')) : await bundleUnits(join(stage, 'unit'));
    console.log(`${specs.length} spec files bundled; library dist/*.js sha256 ${hash.slice(0, 16)}, the same copy in every runtime`);
  }
  for (const name of units ? only : []) {
    if (name === 'browser') {
      const line = missingBrowserLine('browser');
      if (line) { line.startsWith('FAIL') ? fail(`${line}\nbrowser: 0 passed, 1 failed`) : console.log(line); continue; }
    }
    for (const [from, to] of GLUE[name]) copyFileSync(join(here, from), join(stage, 'unit', to));
    let result;
    const started = Date.now();
    // A step line first: when a stage is killed, its last lines say where it was.
    console.log(`${name}: running the unit bundle (limit ${TIMEOUT / 1000} s)`);
    try {
      result = await RUNTIMES[name](join(stage, 'unit'));
    } catch (e) {
      fail(`${name}: 0 passed, 1 failed\n${e.message}`);
      continue;
    }
    if (result.runtime !== name) fail(`${name}: the bundle says it ran in ${result.runtime}`);
    if (result.skipped) fail(`${name}: ${result.skipped} tests skipped (test.only or test.skip left in a spec)`);
    counts[name] = result.passed + result.failed;
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const wasm = result.wasm ? 'WebAssembly allowed' : 'WebAssembly from bytes refused: the TypeScript fallbacks ran';
    console.log(`${name}: ${result.passed} passed, ${result.failed} failed (${seconds} s; ${wasm})`);
    if (result.failed || result.failures) { failed++; console.log(result.failures); }
    if (result.passed === 0) fail(`${name}: no tests ran`);
  }
  // Same tests everywhere: a runtime that silently lost a suite would show here.
  if (new Set(Object.values(counts)).size > 1) {
    fail(`Runtimes ran different numbers of tests: ${Object.entries(counts).map(([n, c]) => `${n} ${c}`).join(', ')}`);
  } else if (Object.keys(counts).length > 1) {
    console.log(`The same ${Object.values(counts)[0]} tests ran in ${Object.keys(counts).join(', ')}`);
  }
  const browserless = missingBrowserLine('browser example') !== null;
  for (const line of !examples ? [] : await runExamples(join(stage, 'project'), (n) => only.includes(n) && !(n === 'browser' && browserless), console.log)) {
    fail(line);
  }
} finally {
  rmSync(stage, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
