// `npm test`: builds once, then runs every stage as a process of its own (a
// crash or hang in one cannot hide another's result), several at a time, and
// sums their counts. A stage that is missing its entry file fails: nothing is
// silently skipped.
//
//   node spec/_run.mjs                 build, then every stage
//   node spec/_run.mjs --quick         build, then the unit specs in Node (npm run test:quick)
//   node spec/_run.mjs --jobs 1        one stage at a time
//   node spec/_run.mjs floods deno     build, then the stages whose names contain a word
//
// Schedule. Each stage has a kind:
//   heavy  keeps a core busy (the unit specs, each runtime, fuzz, conformance:
//          client and server both work). As many run at once as there are cores.
//   light  mostly waits on sockets and timers (the clients). One runs beside
//          the heavy ones, in the gaps they leave.
//   alone  measures time or memory (floods: heartbeat, handshake and close
//          timeouts, RSS bounds; reader-memory: ArrayBuffer bytes). Runs last,
//          one at a time, with no other stage: a neighbour's burst of work
//          would show up as a late timer or a GC that came at another moment.
// Heavy stages start longest first, so the short ones fill in at the end.
//
// Output: each stage's output is held and printed whole when the stage ends,
// so stages running together never interleave; meanwhile one progress line
// (rewritten in a terminal, every 20 s elsewhere) says what is running. A
// failed stage ends the run's output with its name, why (exit code, failed
// count, or timeout) and its last lines.
//
// Limits: each stage has its own, a few times what it takes on a loaded
// 2-core machine, and each stage's inner steps have smaller ones that name
// the step. A stage past its limit is killed with every process it started,
// found through an environment tag (spec/_kill.mjs), so no deno, bun, workerd
// or Chromium outlives the run; leftovers of a stage that ended are killed too.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { unitShards } from './_units.mjs';
import { killTree } from './_kill.mjs';

const node = process.execPath;
const uvu = 'node_modules/uvu/bin.js';
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const jobsAt = argv.indexOf('--jobs');
const CORES = jobsAt >= 0 ? Math.max(1, Number(argv[jobsAt + 1]) || 1) : availableParallelism();
const words = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--jobs');

// Every process a stage starts inherits this; spec/_kill.mjs finds them by it.
const TAG = 'WS_SPEC_RUN';
const runId = `${process.pid}-${Date.now().toString(36)}`;
const BUNDLE = join('.tmp', `run-${process.pid}`, 'bundle');

const SHARDS = Math.min(CORES, 2);
const UNIT = unitShards(SHARDS).map((pattern, i) => ({
  name: SHARDS === 1 ? 'unit (node)' : `unit (node, ${i + 1} of ${SHARDS})`,
  cmd: [uvu, 'spec', pattern], needs: 'spec/_units.mjs', limit: 240, kind: 'heavy', unit: true,
}));
const runtime = (name) => ({
  name: `runtimes (${name})`, cmd: ['spec/runtimes/run.mjs', '--only', name, '--bundle', BUNDLE, '--no-examples'],
  needs: 'spec/runtimes/run.mjs', limit: 300, kind: 'heavy', unit: true, bundle: true,
});
// The client conformance suite against one agent preset (spec/conformance/client/_agents.mjs);
// `needs` is the agent's own file, so that a preset whose agent is missing fails.
const clientConformance = (agent, needs) => ({
  name: `client conformance (${agent})`, cmd: ['spec/conformance/client-run.mjs', '--client', agent], needs, limit: 120, kind: 'heavy',
});
/**
 * In start order within each kind. `cmd` runs under node; `needs` must exist;
 * `limit` in seconds; `unit`: counts unit tests, which every runtime must match;
 * `bundle`: uses the test bundle made once for all runtime stages.
 */
const STAGES = [
  // Heavy, longest first (as measured under load: 30-40 s each, then 15-20 s).
  { name: 'fuzz', cmd: ['spec/fuzz/run.mjs'], needs: 'spec/fuzz/run.mjs', limit: 240, kind: 'heavy' },
  runtime('browser'),
  { name: 'node-only', cmd: [uvu, 'spec/node', '\\.spec\\.mjs$', '-i', 'reader-memory'], needs: 'spec/node', limit: 240, kind: 'heavy' },
  // The adapters over Node's sockets (spec/adapters/*.spec.mjs; Deno's and Bun's have runners of their own).
  { name: 'adapters (node)', cmd: [uvu, 'spec/adapters', '\\.spec\\.mjs$'], needs: 'spec/adapters', limit: 240, kind: 'heavy' },
  runtime('workerd'),
  runtime('deno'),
  runtime('bun'),
  ...UNIT,
  { name: 'conformance (node)', cmd: ['spec/conformance/run.mjs', '--server', 'node'], needs: 'spec/conformance/run.mjs', limit: 240, kind: 'heavy' },
  { name: 'conformance (deno)', cmd: ['spec/conformance/run.mjs', '--server', 'deno'], needs: 'examples/core/deno-echo-server.ts', limit: 240, kind: 'heavy' },
  { name: 'conformance (bun)', cmd: ['spec/conformance/run.mjs', '--server', 'bun'], needs: 'examples/core/bun-echo-server.ts', limit: 240, kind: 'heavy' },
  // The Bun adapter over real Bun sockets (the runner re-runs itself under Bun).
  { name: 'conformance (node-adapter)', cmd: ['spec/conformance/run.mjs', '--server', 'node-adapter'], needs: 'examples/node/echo-server.mjs', limit: 240, kind: 'heavy' },
  { name: 'conformance (bun-adapter)', cmd: ['spec/conformance/run.mjs', '--server', 'bun-adapter'], needs: 'examples/bun/echo-server.ts', limit: 240, kind: 'heavy' },
  // websocket-server/web: in Deno (interop with Deno's own server and client; the Deno examples) and in workerd (examples/workerd/client.js).
  { name: 'adapters (deno)', cmd: ['spec/adapters/deno.mjs'], needs: 'spec/adapters/deno.mjs', limit: 180, kind: 'heavy' },
  { name: 'adapters (workerd)', cmd: ['spec/adapters/workerd.mjs'], needs: 'spec/adapters/workerd.mjs', limit: 120, kind: 'light' },
  { name: 'conformance (deno-adapter)', cmd: ['spec/conformance/run.mjs', '--server', 'deno-adapter'], needs: 'examples/deno/echo-server.ts', limit: 240, kind: 'heavy' },
  { name: 'conformance (node-web)', cmd: ['spec/conformance/run.mjs', '--server', 'node-web'], needs: 'spec/adapters/_web-echo-server.mjs', limit: 240, kind: 'heavy' },
  { name: 'adapters (bun)', cmd: ['spec/adapters/bun.mjs'], needs: 'spec/adapters/bun.mjs', limit: 180, kind: 'heavy' },
  // The client suite: the suite's own strict raw client passes it with no
  // allowance, its mutants fail it, its legal variations pass (client/mutants.mjs);
  // then ws, the reference client, passes it with the four allowances its
  // preset documents (late UTF-8 checks, its own FIN after the closing
  // handshake, lenient lengths, 1009 for a huge length), every other check strict.
  { name: 'client conformance (mutants)', cmd: ['spec/conformance/client/mutants.mjs'], needs: 'spec/conformance/client/mutants.mjs', limit: 180, kind: 'heavy' },
  clientConformance('ws', 'spec/conformance/client/_ws-agent.mjs'),
  // Our ClientConnection, strictly (no allowance), once its agents exist: uncomment.
  clientConformance('bun', 'examples/bun/autobahn-client.ts'),
  clientConformance('node', 'examples/autobahn-client.mjs'),
  clientConformance('deno', 'examples/deno/autobahn-client.ts'),
  // Node already ran the unit specs; the README's examples run in every runtime.
  // The package as a user installs it: pack (prepack builds a copy), install, import, type-check, JSR.
  { name: 'package', cmd: ['spec/package/run.mjs'], needs: 'spec/package/run.mjs', limit: 240, kind: 'heavy' },
  { name: 'examples', cmd: ['spec/runtimes/run.mjs', '--only', 'node,deno,bun,workerd,browser', '--no-units'], needs: 'spec/runtimes/_examples.mjs', limit: 300, kind: 'heavy' },
  { name: 'browser client', cmd: ['spec/clients/browser-client.mjs'], needs: 'spec/clients/browser-client.mjs', limit: 240, kind: 'light' },
  // The demo page (examples/index.html) in Chromium: the live echo, the inspector, the in-page server.
  { name: 'demo page', cmd: ['spec/clients/demo-page.mjs'], needs: 'spec/clients/demo-page.mjs', limit: 120, kind: 'light' },
  { name: 'node client', cmd: ['--experimental-websocket', 'spec/clients/node-client.mjs'], needs: 'spec/clients/node-client.mjs', limit: 180, kind: 'light' },
  { name: 'deno client', cmd: ['spec/clients/deno-client.mjs'], needs: 'spec/clients/deno-client.mjs', limit: 180, kind: 'light' },
  { name: 'bun client', cmd: ['spec/clients/bun-client.mjs'], needs: 'spec/clients/bun-client.mjs', limit: 180, kind: 'light' },
  { name: 'reader memory', cmd: [uvu, 'spec/node', 'reader-memory\\.spec\\.mjs$'], needs: 'spec/node/reader-memory.spec.mjs', limit: 120, kind: 'alone' },
  { name: 'floods', cmd: ['spec/floods/run.mjs'], needs: 'spec/floods/run.mjs', limit: 240, kind: 'alone' },
  { name: 'floods (node-adapter)', cmd: ['spec/floods/run.mjs', '--server', 'examples/node/echo-server.mjs'], needs: 'examples/node/echo-server.mjs', limit: 240, kind: 'alone' },
];

const chosen = quick ? UNIT : STAGES.filter((s) => words.length === 0 || words.some((w) => s.name.includes(w)));
if (chosen.length === 0) {
  console.error(`No stage matches ${words.join(', ')}; the stages: ${STAGES.map((s) => s.name).join(', ')}`);
  process.exit(2);
}

const t0 = Date.now();
const since = (t) => ((Date.now() - t) / 1000).toFixed(1);
const running = new Map(); // stage -> { child, started }
const results = []; // { stage, ok, skipped, passed, failed, seconds, why, out, leftovers }
const tty = process.stdout.isTTY;
let progressTimer;

process.on('SIGINT', () => abort('SIGINT'));
process.on('SIGTERM', () => abort('SIGTERM'));
process.on('SIGHUP', () => abort('SIGHUP'));

try {
  const build = await stage({ name: 'build', cmd: ['build.mjs'], needs: 'build.mjs', limit: 300, kind: 'alone', nocount: true });
  if (!build.ok) {
    finish();
  } else {
    if (chosen.some((s) => s.bundle)) await bundle();
    await schedule(chosen.filter((s) => !results.some((r) => r.stage === s)));
    finish();
  }
} finally {
  clearInterval(progressTimer);
  rmSync(join('.tmp', `run-${process.pid}`), { recursive: true, force: true });
}

/** The cross-runtime test bundle, made once: every runtime stage copies these bytes. */
async function bundle() {
  const started = Date.now();
  try {
    const { bundleUnits } = await import('./runtimes/_bundle.mjs');
    rmSync(BUNDLE, { recursive: true, force: true });
    mkdirSync(BUNDLE, { recursive: true });
    const { specs, hash } = await bundleUnits(BUNDLE);
    print(`=== bundle: ${specs.length} spec files, dist/*.js sha256 ${hash.slice(0, 16)} (${since(started)} s)\n`);
  } catch (e) {
    // Each stage that needed it fails on its own, naming the missing bundle.
    print(`=== bundle FAILED: ${e.stack ?? e}\n`);
    for (const s of chosen.filter((x) => x.bundle)) {
      results.push({ stage: s, ok: false, passed: 0, failed: 0, seconds: '0.0', why: `not run: the test bundle failed (${e.message})`, out: '' });
    }
  }
}

/** Starts stages as their kind allows (see the top of this file) until all have ended. */
function schedule(stages) {
  const pending = [...stages];
  progressTimer = setInterval(progress, tty ? 1000 : 20_000);
  return new Promise((done) => {
    const count = (kind) => [...running.keys()].filter((s) => s.kind === kind).length;
    const allowed = (s) => {
      if (CORES === 1 || count('alone') > 0) return running.size === 0;
      if (s.kind === 'alone') return running.size === 0 && !pending.some((p) => p.kind !== 'alone');
      return s.kind === 'heavy' ? count('heavy') < CORES : count('light') < 1;
    };
    const next = () => {
      for (let i = 0; i < pending.length; i++) {
        if (!allowed(pending[i])) continue;
        const [s] = pending.splice(i--, 1);
        stage(s).then(next);
      }
      if (pending.length === 0 && running.size === 0) done();
    };
    next();
  });
}

/** Runs one stage to its end; records and prints its result. */
async function stage(s) {
  const started = Date.now();
  if (!existsSync(s.needs)) return record(s, { ok: false, passed: 0, failed: 0, seconds: '0.0', why: `${s.needs} is missing`, out: '' });
  const tag = `${runId}/${s.name}`;
  const child = spawn(node, s.cmd, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, [TAG]: tag } });
  running.set(s, { child, started });
  if (tty) progress();
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { out += d; });
  let timedOut = null;
  const timer = setTimeout(() => { timedOut = killTree(child.pid, [TAG, tag]); }, s.limit * 1000);
  const code = await new Promise((resolve) => {
    child.on('error', (e) => { out += `\n${e.message}\n`; });
    child.on('close', (c, signal) => resolve(c ?? (signal ? 1 : 0)));
  });
  clearTimeout(timer);
  running.delete(s);
  // Whatever the stage left behind (an echo server, a browser) goes now.
  const leftovers = killTree(null, [TAG, tag]);
  const counts = s.nocount ? { passed: 0, failed: 0 } : count(out);
  // A stage that ran nothing passes only when it says why (a missing browser, outside CI).
  const skipped = code === 0 && counts.passed === 0 && counts.failed === 0 && /^SKIPPED /m.test(out);
  const ok = timedOut === null && code === 0 && counts.failed === 0 && (skipped || counts.passed > 0 || s.nocount);
  let why = '';
  if (timedOut) why = `TIMEOUT: no end after ${s.limit} s; killed ${timedOut.length} process(es): ${timedOut.join(', ')}`;
  else if (code !== 0) why = `exit ${code}${counts.failed ? `, ${counts.failed} failed` : ''}`;
  else if (counts.failed) why = `${counts.failed} failed`;
  else if (!ok) why = 'no tests ran';
  return record(s, { ok, skipped, ...counts, seconds: since(started), why, out, leftovers });
}

function record(s, r) {
  const result = { stage: s, ...r };
  results.push(result);
  const head = `${result.ok ? (result.skipped ? 'SKIP' : 'ok  ') : 'FAIL'} ${line(result)}`;
  print(`\n=== ${s.name}: node ${s.cmd.join(' ')}\n${r.out.replace(/\n?$/, '\n')}${head}\n`);
  return result;
}

function line(r) {
  return `${r.stage.name}: ${r.stage.nocount ? '' : `${r.passed} passed, ${r.failed} failed `}(${r.seconds} s${r.why ? `; ${r.why}` : ''})`;
}

/** Writes whole blocks; in a terminal the progress line is redrawn under them. */
function print(text) {
  if (tty) process.stdout.write('\r\x1b[K');
  process.stdout.write(text);
  if (tty && running.size) progress();
}

function progress() {
  if (running.size === 0) return;
  const now = [...running].map(([s, { started }]) => `${s.name} ${Math.round((Date.now() - started) / 1000)} s`).join(', ');
  const text = `[${Math.round((Date.now() - t0) / 1000)} s] ${results.length} done${results.some((r) => !r.ok) ? ` (${results.filter((r) => !r.ok).length} failed)` : ''}; running: ${now}`;
  if (tty) process.stdout.write(`\r\x1b[K${text.slice(0, (process.stdout.columns || 100) - 1)}`);
  else process.stdout.write(`... ${text}\n`);
}

function finish() {
  // The same unit tests in every runtime: one that silently lost a suite shows here.
  const units = {};
  for (const r of results) {
    if (!r.stage.unit || r.passed + r.failed === 0) continue;
    const name = r.stage.name.startsWith('unit') ? 'node' : r.stage.name.replace(/^runtimes \((.*)\)$/, '$1');
    units[name] = (units[name] ?? 0) + r.passed + r.failed;
  }
  const sizes = new Set(Object.values(units));
  const mismatch = sizes.size > 1 ? `the runtimes ran different numbers of unit tests: ${Object.entries(units).map(([n, c]) => `${n} ${c}`).join(', ')}` : null;

  // The summary reads bottom up, as the layers do, whatever order the stages ran in.
  const SHOWN = ['build', 'unit', 'node-only', 'reader memory', 'conformance', 'client conformance', 'node client', 'deno client', 'bun client', 'browser client', 'runtimes', 'examples', 'fuzz', 'floods'];
  const rank = (r) => SHOWN.findIndex((p) => r.stage.name.startsWith(p)) * 100 + STAGES.indexOf(r.stage);
  results.sort((a, b) => rank(a) - rank(b));
  let passed = 0, failed = 0;
  const summary = [];
  for (const r of results) {
    passed += r.passed;
    failed += r.failed + (r.ok || r.failed > 0 ? 0 : 1);
    summary.push(`${r.ok ? (r.skipped ? 'SKIP' : 'ok  ') : 'FAIL'} ${line(r)}`);
    if (r.leftovers?.length) summary.push(`     note: it left ${r.leftovers.length} process(es) running, killed: ${r.leftovers.join(', ')}`);
  }
  if (mismatch) { failed++; summary.push(`FAIL ${mismatch}`); }
  const bad = results.filter((r) => !r.ok);
  for (const r of bad) {
    const tail = r.out.replace(/\x1b\[[0-9;]*m/g, '').trimEnd().split('\n').slice(-30);
    summary.push('', `--- ${r.stage.name} failed: ${r.why}; its last lines:`, ...tail.map((l) => `  | ${l}`));
  }
  print(`\n${summary.join('\n')}\n\ntotal: ${passed} passed, ${failed} failed in ${since(t0)} s (${CORES} heavy stage${CORES === 1 ? '' : 's'} at a time)\n`);
  process.exitCode = failed === 0 && bad.length === 0 ? 0 : 1;
}

/** Ctrl-C or a CI cancel: every stage's processes go with the runner. */
function abort(signal) {
  for (const [s, { child }] of running) {
    const killed = killTree(child.pid, [TAG, `${runId}/${s.name}`]);
    process.stdout.write(`\n${signal}: stopped ${s.name} after ${since(running.get(s).started)} s (${killed.length} process(es))\n`);
  }
  rmSync(join('.tmp', `run-${process.pid}`), { recursive: true, force: true });
  process.exit(130);
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
